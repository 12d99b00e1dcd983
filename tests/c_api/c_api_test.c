/* The C ABI from plain C99: versions, outputs on success and failure, and
 * pitboss_free's NULL contract. Exits non-zero on the first failed check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pitboss/pitboss.h"

static int failures = 0;

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

/* Reads a protobuf varint at *p (bounded by end); returns 0 on truncation. */
static int read_varint(const uint8_t** p, const uint8_t* end, uint64_t* value) {
  int shift = 0;
  *value = 0;
  while (*p < end && shift < 64) {
    uint8_t byte = *(*p)++;
    *value |= (uint64_t)(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return 1;
    shift += 7;
  }
  return 0;
}

/* Finds varint field `number` in a serialized message (fields 1..3 and 5 of
 * VersionInfo are varints; 4 and 6 are strings, skipped). */
static int find_varint_field(const uint8_t* data, size_t len, uint32_t number,
                             uint64_t* value) {
  const uint8_t* p = data;
  const uint8_t* end = data + len;
  while (p < end) {
    uint64_t key, v;
    if (!read_varint(&p, end, &key)) return 0;
    if ((key & 7) == 0) {
      if (!read_varint(&p, end, &v)) return 0;
      if ((key >> 3) == number) {
        *value = v;
        return 1;
      }
    } else if ((key & 7) == 2) {
      if (!read_varint(&p, end, &v) || v > (uint64_t)(end - p)) return 0;
      p += v;
    } else {
      return 0;
    }
  }
  return 0;
}

static void test_versions(void) {
  CHECK(pitboss_version_number() == PITBOSS_VERSION_NUMBER);
  CHECK(pitboss_abi_version() == PITBOSS_ABI_VERSION);
  CHECK(PITBOSS_VERSION_NUMBER ==
        PITBOSS_VERSION_MAJOR * 10000 + PITBOSS_VERSION_MINOR * 100 + PITBOSS_VERSION_PATCH);
}

static void test_version_info(void) {
  uint8_t* out = NULL;
  size_t out_len = 0;
  char* error = (char*)1; /* must be reset to NULL on success */
  uint64_t major = 99, minor = 99, abi = 99;
  int status = pitboss_version_info(&out, &out_len, &error);
  CHECK(status == PITBOSS_OK);
  CHECK(error == NULL);
  CHECK(out != NULL && out_len > 0);
  CHECK(find_varint_field(out, out_len, 2, &minor) && minor == PITBOSS_VERSION_MINOR);
  CHECK(find_varint_field(out, out_len, 5, &abi) && abi == PITBOSS_ABI_VERSION);
  /* major is 0 in 0.x releases and proto3 omits zero: absent means 0. */
  if (!find_varint_field(out, out_len, 1, &major)) major = 0;
  CHECK(major == PITBOSS_VERSION_MAJOR);
  pitboss_free(out);
}

static void test_null_outputs_are_an_error_not_a_crash(void) {
  char* error = NULL;
  size_t out_len = 7;
  int status = pitboss_version_info(NULL, &out_len, &error);
  CHECK(status == PITBOSS_INVALID_ARGUMENT);
  CHECK(out_len == 0);
  CHECK(error != NULL && strstr(error, "NULL") != NULL);
  pitboss_free(error);
  /* A NULL error_message is allowed: the status alone reports the failure. */
  CHECK(pitboss_version_info(NULL, NULL, NULL) == PITBOSS_INVALID_ARGUMENT);
}

static void test_free_accepts_null(void) {
  pitboss_free(NULL);
  pitboss_free(NULL);
}

int main(void) {
  test_versions();
  test_version_info();
  test_null_outputs_are_an_error_not_a_crash();
  test_free_accepts_null();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return EXIT_FAILURE;
  }
  printf("c_api_test: all checks passed\n");
  return EXIT_SUCCESS;
}
