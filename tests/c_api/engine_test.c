/* pitboss_engine_{new,free,evaluate} from plain C99 with the real default
 * policy: a decision on success, NULL / 0 outputs and a message on every kind
 * of bad input, and concurrent evaluation on one engine.
 *
 * Usage: engine_test DEFAULT_POLICY.binpb BROKEN_POLICY.binpb REQUEST.binpb
 * (serialized by protoc --encode at build time from examples/policy/ and
 * tests/c_api/testdata/). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test_util.h"
#include "pitboss/pitboss.h"

static uint8_t* policy;
static size_t policy_len;
static uint8_t* broken;
static size_t broken_len;
static uint8_t* request;
static size_t request_len;

/* The expected response bytes, for the determinism and thread checks. */
static uint8_t* expected;
static size_t expected_len;

static void test_new_and_evaluate(void) {
  pitboss_engine_t* engine = (pitboss_engine_t*)1;
  char* error = (char*)1; /* must be reset to NULL on success */
  uint8_t* out = NULL;
  size_t out_len = 0;
  CHECK(pitboss_engine_new(policy, policy_len, &engine, &error) == PITBOSS_OK);
  CHECK(error == NULL);
  CHECK(engine != NULL && engine != (pitboss_engine_t*)1);

  error = (char*)1;
  CHECK(pitboss_engine_evaluate(engine, request, request_len, &out, &out_len, &error) ==
        PITBOSS_OK);
  CHECK(error == NULL);
  CHECK(out != NULL && out_len > 0);
  /* The response names the account, the policy and the event it decided. */
  CHECK(contains(out, out_len, "acc-c-api"));
  CHECK(contains(out, out_len, "pitboss-default"));
  CHECK(contains(out, out_len, "evt-0001"));
  expected = out;
  expected_len = out_len;

  /* The same request gives the same bytes. */
  out = NULL;
  out_len = 0;
  CHECK(pitboss_engine_evaluate(engine, request, request_len, &out, &out_len, NULL) ==
        PITBOSS_OK);
  CHECK(out_len == expected_len && out != NULL && memcmp(out, expected, out_len) == 0);
  pitboss_free(out);
  pitboss_engine_free(engine);
}

static void test_new_rejects_bad_policies(void) {
  static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff};
  pitboss_engine_t* engine = (pitboss_engine_t*)1;
  char* error = NULL;

  /* Bytes that are not a Policy. */
  CHECK(pitboss_engine_new(garbage, sizeof(garbage), &engine, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(engine == NULL);
  CHECK(error != NULL && strstr(error, "malformed") != NULL);
  pitboss_free(error);

  /* A well-formed Policy with problems: the message names one. */
  engine = (pitboss_engine_t*)1;
  error = NULL;
  CHECK(pitboss_engine_new(broken, broken_len, &engine, &error) == PITBOSS_INVALID_ARGUMENT);
  CHECK(engine == NULL);
  CHECK(error != NULL && strstr(error, "policy_id") != NULL);
  pitboss_free(error);

  /* An empty policy is invalid too (no policy_id), not a crash. */
  engine = (pitboss_engine_t*)1;
  CHECK(pitboss_engine_new(NULL, 0, &engine, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(engine == NULL);

  /* NULL data with a length, NULL out. */
  engine = (pitboss_engine_t*)1;
  error = NULL;
  CHECK(pitboss_engine_new(NULL, 10, &engine, &error) == PITBOSS_INVALID_ARGUMENT);
  CHECK(engine == NULL);
  CHECK(error != NULL && strstr(error, "NULL") != NULL);
  pitboss_free(error);
  CHECK(pitboss_engine_new(policy, policy_len, NULL, NULL) == PITBOSS_INVALID_ARGUMENT);
}

static void test_evaluate_rejects_bad_requests(void) {
  static const uint8_t garbage[] = {0xff, 0xff, 0xff};
  pitboss_engine_t* engine = NULL;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  CHECK(pitboss_engine_new(policy, policy_len, &engine, NULL) == PITBOSS_OK);

  /* Malformed bytes. */
  CHECK(pitboss_engine_evaluate(engine, garbage, sizeof(garbage), &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL);
  pitboss_free(error);

  /* A truncated request (the last field cut short). */
  out = (uint8_t*)1;
  out_len = 99;
  CHECK(pitboss_engine_evaluate(engine, request, request_len - 1, &out, &out_len, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);

  /* A well-formed but empty request: no event to decide. */
  out = (uint8_t*)1;
  out_len = 99;
  error = NULL;
  CHECK(pitboss_engine_evaluate(engine, NULL, 0, &out, &out_len, &error) != PITBOSS_OK);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strlen(error) > 0);
  pitboss_free(error);

  /* NULL engine, NULL data with a length, NULL outputs. */
  out = (uint8_t*)1;
  out_len = 99;
  error = NULL;
  CHECK(pitboss_engine_evaluate(NULL, request, request_len, &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "engine") != NULL);
  pitboss_free(error);
  CHECK(pitboss_engine_evaluate(engine, NULL, 5, &out, &out_len, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(pitboss_engine_evaluate(engine, request, request_len, NULL, &out_len, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out_len == 0);
  CHECK(pitboss_engine_evaluate(engine, request, request_len, &out, NULL, NULL) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL);

  /* The engine still works after all that. */
  CHECK(pitboss_engine_evaluate(engine, request, request_len, &out, &out_len, NULL) ==
        PITBOSS_OK);
  CHECK(out_len == expected_len && memcmp(out, expected, out_len) == 0);
  pitboss_free(out);
  pitboss_engine_free(engine);
}

static void test_oversized_input_is_refused_unread(void) {
  /* One byte over the limit: refused before parsing (zeros would parse as
   * field 0, which is malformed, so RESOURCE_EXHAUSTED proves the order). */
  size_t len = (size_t)PITBOSS_MAX_REQUEST_BYTES + 1;
  uint8_t* big = (uint8_t*)calloc(len, 1);
  pitboss_engine_t* engine = (pitboss_engine_t*)1;
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  CHECK(big != NULL);
  if (big == NULL) return;
  CHECK(pitboss_engine_new(big, len, &engine, &error) == PITBOSS_RESOURCE_EXHAUSTED);
  CHECK(engine == NULL);
  CHECK(error != NULL && strstr(error, "limit") != NULL);
  pitboss_free(error);

  CHECK(pitboss_engine_new(policy, policy_len, &engine, NULL) == PITBOSS_OK);
  CHECK(pitboss_engine_evaluate(engine, big, len, &out, &out_len, NULL) ==
        PITBOSS_RESOURCE_EXHAUSTED);
  CHECK(out == NULL && out_len == 0);
  pitboss_engine_free(engine);
  free(big);
}

static void test_free_accepts_null(void) {
  pitboss_engine_free(NULL);
  pitboss_engine_free(NULL);
  pitboss_free(NULL);
}

/* "Thread-safe": several threads evaluate on one engine at once and all get
 * the single-threaded bytes. */
enum { kThreads = 4, kCallsPerThread = 25 };

static void* evaluate_many(void* arg) {
  const pitboss_engine_t* engine = (const pitboss_engine_t*)arg;
  int i;
  long bad = 0;
  for (i = 0; i < kCallsPerThread; ++i) {
    uint8_t* out = NULL;
    size_t out_len = 0;
    if (pitboss_engine_evaluate(engine, request, request_len, &out, &out_len, NULL) !=
            PITBOSS_OK ||
        out_len != expected_len || memcmp(out, expected, out_len) != 0) {
      ++bad;
    }
    pitboss_free(out);
  }
  return (void*)bad;
}

static void test_concurrent_evaluate(void) {
  pthread_t threads[kThreads];
  pitboss_engine_t* engine = NULL;
  int i;
  CHECK(pitboss_engine_new(policy, policy_len, &engine, NULL) == PITBOSS_OK);
  for (i = 0; i < kThreads; ++i) {
    CHECK(pthread_create(&threads[i], NULL, evaluate_many, engine) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    void* bad = (void*)1;
    CHECK(pthread_join(threads[i], &bad) == 0);
    CHECK(bad == NULL);
  }
  pitboss_engine_free(engine);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DEFAULT_POLICY BROKEN_POLICY REQUEST\n", argv[0]);
    return EXIT_FAILURE;
  }
  policy = read_file(argv[1], &policy_len);
  broken = read_file(argv[2], &broken_len);
  request = read_file(argv[3], &request_len);
  test_new_and_evaluate();
  if (expected == NULL) return finish("engine_test");
  test_new_rejects_bad_policies();
  test_evaluate_rejects_bad_requests();
  test_oversized_input_is_refused_unread();
  test_free_accepts_null();
  test_concurrent_evaluate();
  pitboss_free(expected);
  free(policy);
  free(broken);
  free(request);
  return finish("engine_test");
}
