/* pitboss_store_{open,free,apply,get_account,verify_audit} from plain C99 with
 * the real default policy, on a store file in a fresh temporary directory:
 * decisions committed and read back, a duplicate event replayed, the same
 * event_id with another payload refused, durability across reopen, read-only
 * opens, a tampered audit record detected, concurrent appliers, and NULL /
 * malformed / oversized input refused with NULL / 0 outputs and nothing
 * stored.
 *
 * Usage: store_test DEFAULT_POLICY.binpb ACCOUNT_OPENED_EVENT.binpb
 *                   LOGIN_FAILED_EVENT.binpb
 * The events carry no event_id / account_id: the test appends them (protobuf
 * merges a repeated scalar field as the last value), so one fixture yields
 * any number of distinct events. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "c_test_util.h"
#include "pitboss/pitboss.h"

static uint8_t* policy;
static size_t policy_len;
static uint8_t* opened_event;
static size_t opened_event_len;
static uint8_t* login_event;
static size_t login_event_len;

static pitboss_engine_t* engine;
static char dir[64];
static char db_path[128];

enum { kNow = 1764000000 };

/* ---- building requests ---------------------------------------------------- */

/* A StoreApplyRequest: the event fixture plus event_id, account_id and (when
 * not NULL) ip_country, decided at `now` (0: no `now`). */
static void make_request(pb_buffer* req, const uint8_t* event, size_t event_len,
                         const char* event_id, const char* account_id,
                         const char* ip_country, int64_t now) {
  pb_buffer ev;
  pb_buffer ts;
  ev.len = 0;
  ts.len = 0;
  req->len = 0;
  memcpy(ev.data, event, event_len);
  ev.len = event_len;
  pb_string(&ev, 1, event_id);
  pb_string(&ev, 2, account_id);
  if (ip_country != NULL) pb_string(&ev, 6, ip_country);
  pb_bytes(req, 1, ev.data, ev.len);
  if (now != 0) {
    pb_varint_field(&ts, 1, (uint64_t)now);
    pb_bytes(req, 2, ts.data, ts.len);
  }
}

/* A StoreOptions with read_only (field 3) and synchronous (field 1) when not 0. */
static void make_options(pb_buffer* options, int read_only, int synchronous) {
  options->len = 0;
  if (synchronous != 0) pb_varint_field(options, 1, (uint64_t)synchronous);
  if (read_only) pb_varint_field(options, 3, 1);
}

/* ---- reading responses ---------------------------------------------------- */

static int pb_read_varint(const uint8_t* data, size_t len, size_t* pos, uint64_t* v) {
  int shift = 0;
  *v = 0;
  while (*pos < len && shift < 64) {
    uint8_t byte = data[(*pos)++];
    *v |= (uint64_t)(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return 1;
    shift += 7;
  }
  return 0;
}

/* Finds the last top-level field `number` of a serialized message: a varint
 * into *varint, a length-delimited field into *bytes / *bytes_len (either may
 * be NULL). Returns 1 when found, 0 when absent or the bytes are malformed. */
static int pb_find(const uint8_t* data, size_t len, uint32_t number, uint64_t* varint,
                   const uint8_t** bytes, size_t* bytes_len) {
  size_t pos = 0;
  int found = 0;
  if (data == NULL) return 0;
  while (pos < len) {
    uint64_t key;
    uint64_t value;
    if (!pb_read_varint(data, len, &pos, &key)) return 0;
    switch (key & 7) {
      case 0:
        if (!pb_read_varint(data, len, &pos, &value)) return 0;
        if ((key >> 3) == number) {
          if (varint != NULL) *varint = value;
          found = 1;
        }
        break;
      case 1:
        pos += 8;
        break;
      case 2:
        if (!pb_read_varint(data, len, &pos, &value) || value > len - pos) return 0;
        if ((key >> 3) == number) {
          if (bytes != NULL) *bytes = data + pos;
          if (bytes_len != NULL) *bytes_len = (size_t)value;
          found = 1;
        }
        pos += (size_t)value;
        break;
      case 5:
        pos += 4;
        break;
      default:
        return 0;
    }
  }
  return pos == len && found;
}

/* A field path of length-delimited fields, e.g. {1, 2} = response.account. */
static int pb_path(const uint8_t* data, size_t len, const uint32_t* path, int depth,
                   const uint8_t** out, size_t* out_len) {
  int i;
  for (i = 0; i < depth; ++i) {
    if (!pb_find(data, len, path[i], NULL, &data, &len)) return 0;
  }
  *out = data;
  *out_len = len;
  return 1;
}

/* StoreApplyResponse.replayed (0 when absent). */
static uint64_t replayed_of(const uint8_t* resp, size_t len) {
  uint64_t v = 0;
  pb_find(resp, len, 2, &v, NULL, NULL);
  return v;
}

/* StoreApplyResponse.response.account.version, or -1. */
static int64_t version_of(const uint8_t* resp, size_t len) {
  static const uint32_t path[] = {1, 2};
  const uint8_t* account;
  size_t account_len;
  uint64_t v = 0;
  if (!pb_path(resp, len, path, 2, &account, &account_len)) return -1;
  if (!pb_find(account, account_len, 2, &v, NULL, NULL)) return -1;
  return (int64_t)v;
}

/* StoreApplyResponse.response.audit.sequence, or -1. */
static int64_t audit_sequence_of(const uint8_t* resp, size_t len) {
  static const uint32_t path[] = {1, 3};
  const uint8_t* audit;
  size_t audit_len;
  uint64_t v = 0;
  if (!pb_path(resp, len, path, 2, &audit, &audit_len)) return -1;
  if (!pb_find(audit, audit_len, 1, &v, NULL, NULL)) return -1;
  return (int64_t)v;
}

/* ---- helpers over the store ----------------------------------------------- */

static pitboss_store_t* open_store(const char* path, int read_only) {
  pb_buffer options;
  pitboss_store_t* store = NULL;
  char* error = NULL;
  make_options(&options, read_only, 0);
  if (pitboss_store_open(path, options.data, options.len, &store, &error) != PITBOSS_OK) {
    fprintf(stderr, "open %s: %s\n", path, error != NULL ? error : "?");
  }
  CHECK(store != NULL && error == NULL);
  pitboss_free(error);
  return store;
}

/* Applies and returns the status; the response (or NULL) in *out. */
static int apply(pitboss_store_t* store, const pb_buffer* req, uint8_t** out, size_t* out_len,
                 char** error) {
  return pitboss_store_apply(store, engine, req->data, req->len, out, out_len, error);
}

/* The verified chain head's sequence, or -1 when verification fails. */
static int64_t verified_sequence(const pitboss_store_t* store) {
  uint8_t* out = NULL;
  size_t out_len = 0;
  const uint8_t* head;
  size_t head_len;
  uint64_t sequence = 0;
  if (pitboss_store_verify_audit(store, &out, &out_len, NULL) != PITBOSS_OK) return -1;
  if (!pb_find(out, out_len, 1, NULL, &head, &head_len)) {
    pitboss_free(out);
    return out_len == 0 ? 0 : -1; /* an empty head is an empty response */
  }
  pb_find(head, head_len, 1, &sequence, NULL, NULL);
  pitboss_free(out);
  return (int64_t)sequence;
}

/* ---- tests ---------------------------------------------------------------- */

static uint8_t* first_response; /* acc-store-1's account_opened */
static size_t first_response_len;
static uint8_t* account_after; /* acc-store-1 after the failed login */
static size_t account_after_len;

static void test_apply_replay_and_read_back(void) {
  pitboss_store_t* store = open_store(db_path, 0);
  pb_buffer req;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = (char*)1; /* reset to NULL on success */
  if (store == NULL) return;

  /* A new account: decided, stored, first audit record. */
  make_request(&req, opened_event, opened_event_len, "evt-store-0001", "acc-store-1", NULL,
               kNow);
  CHECK(apply(store, &req, &out, &out_len, &error) == PITBOSS_OK);
  CHECK(error == NULL);
  CHECK(out != NULL && out_len > 0);
  CHECK(replayed_of(out, out_len) == 0);
  CHECK(version_of(out, out_len) == 1);
  CHECK(audit_sequence_of(out, out_len) == 1);
  CHECK(contains(out, out_len, "evt-store-0001") && contains(out, out_len, "acc-store-1"));
  first_response = out;
  first_response_len = out_len;

  /* The same event again: the recorded response, flagged replayed (field 2
   * appended), and nothing new in the chain. */
  out = NULL;
  out_len = 0;
  CHECK(apply(store, &req, &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(replayed_of(out, out_len) == 1);
  CHECK(out_len == first_response_len + 2 && memcmp(out, first_response, first_response_len) == 0);
  pitboss_free(out);
  CHECK(verified_sequence(store) == 1);

  /* The same event_id with another payload: ALREADY_EXISTS naming it. */
  make_request(&req, opened_event, opened_event_len, "evt-store-0001", "acc-store-1", "US",
               kNow);
  out = (uint8_t*)1;
  out_len = 99;
  error = NULL;
  CHECK(apply(store, &req, &out, &out_len, &error) == PITBOSS_ALREADY_EXISTS);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "evt-store-0001") != NULL);
  pitboss_free(error);
  CHECK(verified_sequence(store) == 1);

  /* A second event on the stored account: version 2, audit sequence 2. */
  make_request(&req, login_event, login_event_len, "evt-store-0002", "acc-store-1", NULL,
               kNow + 60);
  out = NULL;
  out_len = 0;
  CHECK(apply(store, &req, &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(replayed_of(out, out_len) == 0);
  CHECK(version_of(out, out_len) == 2);
  CHECK(audit_sequence_of(out, out_len) == 2);
  pitboss_free(out);

  /* Read back: the account after both events. */
  out = NULL;
  out_len = 0;
  error = (char*)1;
  CHECK(pitboss_store_get_account(store, "acc-store-1", &out, &out_len, &error) == PITBOSS_OK);
  CHECK(error == NULL);
  CHECK(out != NULL && contains(out, out_len, "acc-store-1") &&
        contains(out, out_len, "hanako@example.com"));
  {
    uint64_t version = 0;
    CHECK(pb_find(out, out_len, 2, &version, NULL, NULL) && version == 2);
  }
  account_after = out;
  account_after_len = out_len;

  /* An event for an account that does not exist: refused, nothing stored. */
  make_request(&req, login_event, login_event_len, "evt-store-0003", "acc-nobody", NULL,
               kNow + 120);
  out = (uint8_t*)1;
  out_len = 99;
  error = NULL;
  CHECK(apply(store, &req, &out, &out_len, &error) != PITBOSS_OK);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strlen(error) > 0);
  pitboss_free(error);
  out = (uint8_t*)1;
  out_len = 99;
  error = NULL;
  CHECK(pitboss_store_get_account(store, "acc-nobody", &out, &out_len, &error) ==
        PITBOSS_NOT_FOUND);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "acc-nobody") != NULL);
  pitboss_free(error);
  CHECK(verified_sequence(store) == 2);

  /* Verification returns the head: sequence 2 with a 32-byte hash. */
  {
    const uint8_t* head;
    size_t head_len;
    const uint8_t* hash = NULL;
    size_t hash_len = 0;
    uint64_t sequence = 0;
    out = NULL;
    out_len = 0;
    error = (char*)1;
    CHECK(pitboss_store_verify_audit(store, &out, &out_len, &error) == PITBOSS_OK);
    CHECK(error == NULL);
    CHECK(pb_find(out, out_len, 1, NULL, &head, &head_len));
    CHECK(pb_find(head, head_len, 1, &sequence, NULL, NULL) && sequence == 2);
    CHECK(pb_find(head, head_len, 2, NULL, &hash, &hash_len) && hash_len == 32);
    pitboss_free(out);
  }
  pitboss_store_free(store);
}

static void test_apply_rejects_bad_input(void) {
  static const uint8_t garbage[] = {0xff, 0xff, 0xff};
  pitboss_store_t* store = open_store(db_path, 0);
  pb_buffer req;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  if (store == NULL) return;
  make_request(&req, login_event, login_event_len, "evt-store-bad", "acc-store-1", NULL,
               kNow + 180);

  /* Malformed and truncated bytes. */
  CHECK(pitboss_store_apply(store, engine, garbage, sizeof(garbage), &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "malformed") != NULL);
  pitboss_free(error);
  out = (uint8_t*)1;
  out_len = 99;
  CHECK(pitboss_store_apply(store, engine, req.data, req.len - 1, &out, &out_len, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);

  /* No event; no `now`. */
  out = (uint8_t*)1;
  out_len = 99;
  error = NULL;
  CHECK(pitboss_store_apply(store, engine, NULL, 0, &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "event") != NULL);
  pitboss_free(error);
  {
    pb_buffer no_now;
    make_request(&no_now, login_event, login_event_len, "evt-store-bad", "acc-store-1", NULL, 0);
    error = NULL;
    CHECK(apply(store, &no_now, &out, &out_len, &error) == PITBOSS_INVALID_ARGUMENT);
    CHECK(out == NULL && out_len == 0);
    CHECK(error != NULL && strstr(error, "now") != NULL);
    pitboss_free(error);
  }

  /* NULL store, engine, data with a length, outputs. */
  error = NULL;
  CHECK(pitboss_store_apply(NULL, engine, req.data, req.len, &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "store") != NULL);
  pitboss_free(error);
  error = NULL;
  CHECK(pitboss_store_apply(store, NULL, req.data, req.len, &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(error != NULL && strstr(error, "engine") != NULL);
  pitboss_free(error);
  CHECK(pitboss_store_apply(store, engine, NULL, 7, &out, &out_len, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(pitboss_store_apply(store, engine, req.data, req.len, NULL, &out_len, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out_len == 0);
  CHECK(pitboss_store_apply(store, engine, req.data, req.len, &out, NULL, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL);

  /* get_account: NULL store / id / outputs, empty and over-long ids. */
  {
    char long_id[300];
    memset(long_id, 'a', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    out = (uint8_t*)1;
    out_len = 99;
    CHECK(pitboss_store_get_account(NULL, "acc-store-1", &out, &out_len, NULL) ==
          PITBOSS_INVALID_ARGUMENT);
    CHECK(out == NULL && out_len == 0);
    CHECK(pitboss_store_get_account(store, NULL, &out, &out_len, NULL) ==
          PITBOSS_INVALID_ARGUMENT);
    CHECK(pitboss_store_get_account(store, "", &out, &out_len, NULL) ==
          PITBOSS_INVALID_ARGUMENT);
    error = NULL;
    CHECK(pitboss_store_get_account(store, long_id, &out, &out_len, &error) ==
          PITBOSS_INVALID_ARGUMENT);
    CHECK(out == NULL && out_len == 0);
    CHECK(error != NULL && strstr(error, "limit") != NULL);
    pitboss_free(error);
    CHECK(pitboss_store_get_account(store, "acc-store-1", NULL, &out_len, NULL) ==
          PITBOSS_INVALID_ARGUMENT);
    CHECK(pitboss_store_get_account(store, "acc-store-1", &out, NULL, NULL) ==
          PITBOSS_INVALID_ARGUMENT);
  }

  /* verify_audit: NULL store / outputs. */
  out = (uint8_t*)1;
  out_len = 99;
  CHECK(pitboss_store_verify_audit(NULL, &out, &out_len, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(pitboss_store_verify_audit(store, NULL, &out_len, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(pitboss_store_verify_audit(store, &out, NULL, NULL) == PITBOSS_INVALID_ARGUMENT);

  /* None of it changed anything. */
  out = NULL;
  out_len = 0;
  CHECK(pitboss_store_get_account(store, "acc-store-1", &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(out_len == account_after_len && memcmp(out, account_after, out_len) == 0);
  pitboss_free(out);
  CHECK(verified_sequence(store) == 2);
  pitboss_store_free(store);
}

static void test_oversized_input_is_refused_unread(void) {
  /* One byte over the limit: refused before parsing (zeros would be field 0,
   * malformed, so RESOURCE_EXHAUSTED proves the order). */
  size_t len = (size_t)PITBOSS_MAX_REQUEST_BYTES + 1;
  uint8_t* big = (uint8_t*)calloc(len, 1);
  pitboss_store_t* store = (pitboss_store_t*)1;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  CHECK(big != NULL);
  if (big == NULL) return;
  CHECK(pitboss_store_open(":memory:", big, len, &store, &error) == PITBOSS_RESOURCE_EXHAUSTED);
  CHECK(store == NULL);
  CHECK(error != NULL && strstr(error, "limit") != NULL);
  pitboss_free(error);

  store = open_store(":memory:", 0);
  CHECK(pitboss_store_apply(store, engine, big, len, &out, &out_len, NULL) ==
        PITBOSS_RESOURCE_EXHAUSTED);
  CHECK(out == NULL && out_len == 0);
  CHECK(verified_sequence(store) == 0);
  pitboss_store_free(store);
  free(big);
}

static void test_open_errors(void) {
  static const uint8_t garbage[] = {0xff, 0xff, 0xff};
  pb_buffer options;
  pitboss_store_t* store = (pitboss_store_t*)1;
  char* error = NULL;
  char path[256];
  char long_path[5000];

  /* NULL / empty / over-long paths, NULL out. */
  CHECK(pitboss_store_open(NULL, NULL, 0, &store, &error) == PITBOSS_INVALID_ARGUMENT);
  CHECK(store == NULL);
  CHECK(error != NULL && strstr(error, "path") != NULL);
  pitboss_free(error);
  store = (pitboss_store_t*)1;
  CHECK(pitboss_store_open("", NULL, 0, &store, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(store == NULL);
  memset(long_path, 'p', sizeof(long_path) - 1);
  long_path[sizeof(long_path) - 1] = '\0';
  store = (pitboss_store_t*)1;
  CHECK(pitboss_store_open(long_path, NULL, 0, &store, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(store == NULL);
  CHECK(pitboss_store_open(":memory:", NULL, 0, NULL, NULL) == PITBOSS_INVALID_ARGUMENT);

  /* Options: malformed bytes, NULL with a length, an unknown synchronous
   * mode, a Duration with mixed signs. */
  store = (pitboss_store_t*)1;
  error = NULL;
  CHECK(pitboss_store_open(":memory:", garbage, sizeof(garbage), &store, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(store == NULL);
  CHECK(error != NULL && strstr(error, "StoreOptions") != NULL);
  pitboss_free(error);
  CHECK(pitboss_store_open(":memory:", NULL, 4, &store, NULL) == PITBOSS_INVALID_ARGUMENT);
  make_options(&options, 0, 7);
  error = NULL;
  CHECK(pitboss_store_open(":memory:", options.data, options.len, &store, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(store == NULL);
  CHECK(error != NULL && strstr(error, "synchronous") != NULL);
  pitboss_free(error);
  {
    pb_buffer duration;
    duration.len = 0;
    pb_varint_field(&duration, 1, 86400);                /* seconds */
    pb_varint_field(&duration, 2, (uint64_t)(int64_t)-5); /* nanos < 0 */
    options.len = 0;
    pb_bytes(&options, 2, duration.data, duration.len);
    error = NULL;
    CHECK(pitboss_store_open(":memory:", options.data, options.len, &store, &error) ==
          PITBOSS_INVALID_ARGUMENT);
    CHECK(store == NULL);
    CHECK(error != NULL && strstr(error, "idempotency_retention") != NULL);
    pitboss_free(error);
  }

  /* synchronous=NORMAL is accepted. */
  make_options(&options, 0, 2);
  CHECK(pitboss_store_open(":memory:", options.data, options.len, &store, NULL) == PITBOSS_OK);
  CHECK(store != NULL);
  pitboss_store_free(store);

  /* A missing directory; a missing file opened read-only. */
  snprintf(path, sizeof(path), "%s/no-such-dir/store.db", dir);
  store = (pitboss_store_t*)1;
  error = NULL;
  CHECK(pitboss_store_open(path, NULL, 0, &store, &error) == PITBOSS_NOT_FOUND);
  CHECK(store == NULL);
  CHECK(error != NULL && strstr(error, "no-such-dir") != NULL);
  pitboss_free(error);
  snprintf(path, sizeof(path), "%s/missing.db", dir);
  make_options(&options, 1, 0);
  store = (pitboss_store_t*)1;
  CHECK(pitboss_store_open(path, options.data, options.len, &store, NULL) == PITBOSS_NOT_FOUND);
  CHECK(store == NULL);
  CHECK(access(path, F_OK) != 0); /* and it was not created */

  /* A file that is not a store. */
  {
    FILE* f;
    snprintf(path, sizeof(path), "%s/not-a-store.db", dir);
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
      int i;
      for (i = 0; i < 256; ++i) fputs("this is not an SQLite database\n", f);
      fclose(f);
    }
    store = (pitboss_store_t*)1;
    error = NULL;
    CHECK(pitboss_store_open(path, NULL, 0, &store, &error) == PITBOSS_DATA_LOSS);
    CHECK(store == NULL);
    CHECK(error != NULL && strstr(error, "not-a-store.db") != NULL);
    pitboss_free(error);
    remove(path);
  }
}

static void test_reopen_is_durable(void) {
  pitboss_store_t* store = open_store(db_path, 0);
  pb_buffer req;
  uint8_t* out = NULL;
  size_t out_len = 0;
  if (store == NULL) return;
  /* The account as it was before the store was closed. */
  CHECK(pitboss_store_get_account(store, "acc-store-1", &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(out_len == account_after_len && memcmp(out, account_after, out_len) == 0);
  pitboss_free(out);
  CHECK(verified_sequence(store) == 2);
  /* Idempotency rows survive too: the first event is still a replay. */
  make_request(&req, opened_event, opened_event_len, "evt-store-0001", "acc-store-1", NULL,
               kNow + 300);
  out = NULL;
  out_len = 0;
  CHECK(apply(store, &req, &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(replayed_of(out, out_len) == 1);
  CHECK(out_len == first_response_len + 2 && memcmp(out, first_response, first_response_len) == 0);
  pitboss_free(out);
  pitboss_store_free(store);
}

static void test_read_only(void) {
  pitboss_store_t* store = open_store(db_path, 1);
  pb_buffer req;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  if (store == NULL) return;
  make_request(&req, login_event, login_event_len, "evt-store-ro", "acc-store-1", NULL,
               kNow + 240);
  CHECK(apply(store, &req, &out, &out_len, &error) == PITBOSS_FAILED_PRECONDITION);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strlen(error) > 0);
  pitboss_free(error);
  /* Reads work. */
  CHECK(pitboss_store_get_account(store, "acc-store-1", &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(out_len == account_after_len && memcmp(out, account_after, out_len) == 0);
  pitboss_free(out);
  CHECK(verified_sequence(store) == 2);
  pitboss_store_free(store);
}

/* Replaces every occurrence of `from` by `to` (same length) in a file;
 * returns how many. */
static int patch_file(const char* path, const char* from, const char* to) {
  size_t len = 0;
  size_t n = strlen(from);
  size_t i;
  int patched = 0;
  uint8_t* data;
  FILE* f = fopen(path, "rb");
  if (f == NULL) return 0;
  fclose(f);
  data = read_file(path, &len);
  for (i = 0; i + n <= len; ++i) {
    if (memcmp(data + i, from, n) == 0) {
      memcpy(data + i, to, n);
      ++patched;
    }
  }
  if (patched > 0) {
    f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(data, 1, len, f) == len);
    if (f != NULL) fclose(f);
  }
  free(data);
  return patched;
}

static void test_tampering_is_detected(void) {
  char wal[160];
  pitboss_store_t* store;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  int patched;
  /* Edit the recorded sign-up (same length, so the file stays well formed):
   * the account row, the recorded response and the audit payload all change,
   * and the payload hash no longer matches. */
  snprintf(wal, sizeof(wal), "%s-wal", db_path);
  patched = patch_file(db_path, "hanako@example.com", "hanaxo@example.com") +
            patch_file(wal, "hanako@example.com", "hanaxo@example.com");
  CHECK(patched > 0);
  store = open_store(db_path, 1);
  if (store == NULL) return;
  CHECK(pitboss_store_verify_audit(store, &out, &out_len, &error) == PITBOSS_DATA_LOSS);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "sequence") != NULL);
  pitboss_free(error);
  pitboss_store_free(store);
}

/* "Thread-safe": threads apply events of their own accounts on one store at
 * once; every event lands exactly once and the chain verifies. */
enum { kThreads = 4, kAccountsPerThread = 6 };

typedef struct {
  pitboss_store_t* store;
  int thread;
  long bad;
} worker_arg;

static void* apply_many(void* p) {
  worker_arg* arg = (worker_arg*)p;
  int i;
  for (i = 0; i < kAccountsPerThread; ++i) {
    char event_id[64];
    char account_id[64];
    pb_buffer req;
    int round;
    snprintf(account_id, sizeof(account_id), "acc-t%d-%d", arg->thread, i);
    snprintf(event_id, sizeof(event_id), "evt-t%d-%d", arg->thread, i);
    make_request(&req, opened_event, opened_event_len, event_id, account_id, NULL, kNow);
    for (round = 0; round < 2; ++round) { /* the second one is a replay */
      uint8_t* out = NULL;
      size_t out_len = 0;
      if (pitboss_store_apply(arg->store, engine, req.data, req.len, &out, &out_len, NULL) !=
              PITBOSS_OK ||
          replayed_of(out, out_len) != (uint64_t)round || version_of(out, out_len) != 1) {
        ++arg->bad;
      }
      pitboss_free(out);
    }
  }
  return NULL;
}

static void test_concurrent_apply(void) {
  char path[160];
  pthread_t threads[kThreads];
  worker_arg args[kThreads];
  pitboss_store_t* store;
  int i;
  snprintf(path, sizeof(path), "%s/concurrent.db", dir);
  store = open_store(path, 0);
  if (store == NULL) return;
  for (i = 0; i < kThreads; ++i) {
    args[i].store = store;
    args[i].thread = i;
    args[i].bad = 0;
    CHECK(pthread_create(&threads[i], NULL, apply_many, &args[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(args[i].bad == 0);
  }
  CHECK(verified_sequence(store) == kThreads * kAccountsPerThread);
  pitboss_store_free(store);
}

static void test_free_accepts_null(void) {
  pitboss_store_free(NULL);
  pitboss_store_free(NULL);
  pitboss_free(NULL);
  pitboss_free(NULL);
}

static void remove_dir(void) {
  static const char* const names[] = {"store.db", "store.db-wal", "store.db-shm",
                                      "concurrent.db", "concurrent.db-wal",
                                      "concurrent.db-shm", "store.db-journal"};
  char path[160];
  size_t i;
  for (i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    remove(path);
  }
  CHECK(rmdir(dir) == 0);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DEFAULT_POLICY ACCOUNT_OPENED_EVENT LOGIN_FAILED_EVENT\n",
            argv[0]);
    return EXIT_FAILURE;
  }
  policy = read_file(argv[1], &policy_len);
  opened_event = read_file(argv[2], &opened_event_len);
  login_event = read_file(argv[3], &login_event_len);
  if (pitboss_engine_new(policy, policy_len, &engine, NULL) != PITBOSS_OK) {
    fprintf(stderr, "cannot build the default policy's engine\n");
    return EXIT_FAILURE;
  }
  strcpy(dir, "/tmp/pitboss_store_test.XXXXXX");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return EXIT_FAILURE;
  }
  snprintf(db_path, sizeof(db_path), "%s/store.db", dir);

  test_open_errors();
  test_apply_replay_and_read_back();
  if (first_response != NULL && account_after != NULL) {
    test_apply_rejects_bad_input();
    test_reopen_is_durable();
    test_read_only();
    test_tampering_is_detected();
  }
  test_oversized_input_is_refused_unread();
  test_concurrent_apply();
  test_free_accepts_null();

  remove_dir();
  pitboss_free(first_response);
  pitboss_free(account_after);
  pitboss_engine_free(engine);
  free(policy);
  free(opened_event);
  free(login_event);
  return finish("store_test");
}
