/* The C side of the Python-overhead benchmark (bench/python_overhead.py):
 * pitboss_engine_evaluate called from plain C on serialized bytes, the
 * baseline the Python bindings' call is compared with.
 *
 * Usage: engine_evaluate_bench POLICY.binpb REQUEST.binpb [CALLS [ROUNDS]]
 * Prints one line per round, "round R: N ns/call", then "median: N ns/call".
 * Each call is what a C host does: evaluate, then pitboss_free the response. */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pitboss/pitboss.h"

static uint8_t* read_file(const char* path, size_t* len) {
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

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int compare_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  size_t policy_len, request_len;
  uint8_t *policy, *request;
  long calls = 2000, rounds = 7, r, i;
  double* per_call;
  pitboss_engine_t* engine = NULL;
  char* error = NULL;
  if (argc < 3) {
    fprintf(stderr, "usage: %s POLICY REQUEST [CALLS [ROUNDS]]\n", argv[0]);
    return EXIT_FAILURE;
  }
  policy = read_file(argv[1], &policy_len);
  request = read_file(argv[2], &request_len);
  if (argc > 3) calls = atol(argv[3]);
  if (argc > 4) rounds = atol(argv[4]);
  if (calls <= 0 || rounds <= 0) return EXIT_FAILURE;
  if (pitboss_engine_new(policy, policy_len, &engine, &error) != PITBOSS_OK) {
    fprintf(stderr, "pitboss_engine_new: %s\n", error ? error : "");
    return EXIT_FAILURE;
  }
  per_call = (double*)calloc((size_t)rounds, sizeof(double));
  for (r = -1; r < rounds; ++r) { /* round -1 warms up */
    int64_t start = now_ns();
    for (i = 0; i < calls; ++i) {
      uint8_t* out = NULL;
      size_t out_len = 0;
      if (pitboss_engine_evaluate(engine, request, request_len, &out, &out_len, &error) !=
          PITBOSS_OK) {
        fprintf(stderr, "pitboss_engine_evaluate: %s\n", error ? error : "");
        return EXIT_FAILURE;
      }
      pitboss_free(out);
    }
    if (r >= 0) {
      per_call[r] = (double)(now_ns() - start) / (double)calls;
      printf("round %ld: %.0f ns/call\n", r, per_call[r]);
    }
  }
  qsort(per_call, (size_t)rounds, sizeof(double), compare_double);
  printf("median: %.0f ns/call\n", per_call[rounds / 2]);
  free(per_call);
  pitboss_engine_free(engine);
  free(policy);
  free(request);
  return EXIT_SUCCESS;
}
