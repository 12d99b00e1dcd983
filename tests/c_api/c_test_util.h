/* Helpers shared by the plain-C99 tests of the C ABI: a CHECK that counts
 * failures, reading a fixture file, writing the few protobuf wire-format
 * pieces the tests need (C has no protobuf library), and byte searches. */
#ifndef PITBOSS_TESTS_C_API_C_TEST_UTIL_H_
#define PITBOSS_TESTS_C_API_C_TEST_UTIL_H_

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Ends a test program: the exit status says whether every CHECK held. */
static inline int finish(const char* name) {
  if (failures != 0) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
    return EXIT_FAILURE;
  }
  printf("%s: all checks passed\n", name);
  return EXIT_SUCCESS;
}

/* Reads a whole file into malloc'ed memory; exits when it cannot. */
static inline uint8_t* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  uint8_t* data;
  long size;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(EXIT_FAILURE);
  }
  data = (uint8_t*)malloc((size_t)size + 1);
  if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(EXIT_FAILURE);
  }
  fclose(f);
  *len = (size_t)size;
  return data;
}

/* A growable buffer of serialized protobuf. */
typedef struct {
  uint8_t data[4096];
  size_t len;
} pb_buffer;

static inline void pb_varint(pb_buffer* b, uint64_t v) {
  do {
    uint8_t byte = (uint8_t)(v & 0x7f);
    v >>= 7;
    if (v != 0) byte |= 0x80;
    if (b->len < sizeof(b->data)) b->data[b->len++] = byte;
  } while (v != 0);
}

/* Field `number` with wire type 2 (string, bytes or an embedded message). */
static inline void pb_bytes(pb_buffer* b, uint32_t number, const void* data, size_t len) {
  pb_varint(b, ((uint64_t)number << 3) | 2);
  pb_varint(b, len);
  if (b->len + len <= sizeof(b->data)) {
    memcpy(b->data + b->len, data, len);
    b->len += len;
  }
}

static inline void pb_string(pb_buffer* b, uint32_t number, const char* s) {
  pb_bytes(b, number, s, strlen(s));
}

/* Field `number` with wire type 0. */
static inline void pb_varint_field(pb_buffer* b, uint32_t number, uint64_t v) {
  pb_varint(b, (uint64_t)number << 3);
  pb_varint(b, v);
}

/* 1 when `needle` occurs in the `len` bytes at `data`. */
static inline int contains(const uint8_t* data, size_t len, const char* needle) {
  size_t n = strlen(needle);
  size_t i;
  if (data == NULL || n > len) return 0;
  for (i = 0; i + n <= len; ++i) {
    if (memcmp(data + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* Counts the occurrences of `needle`. */
static inline int count(const uint8_t* data, size_t len, const char* needle) {
  size_t n = strlen(needle);
  size_t i;
  int found = 0;
  if (data == NULL || n > len) return 0;
  for (i = 0; i + n <= len; ++i) {
    if (memcmp(data + i, needle, n) == 0) ++found;
  }
  return found;
}

#endif /* PITBOSS_TESTS_C_API_C_TEST_UTIL_H_ */
