/* pitboss_policy_check from plain C99: the default policy has no diagnostics;
 * a broken one has one per problem (structure and each rule's CEL); bad input
 * is a status with NULL / 0 outputs.
 *
 * Usage: policy_check_test DEFAULT_POLICY.binpb BROKEN_POLICY.binpb */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test_util.h"
#include "pitboss/pitboss.h"

static void test_valid_policy_has_no_diagnostics(const uint8_t* policy, size_t len) {
  uint8_t* out = NULL;
  size_t out_len = 99;
  char* error = (char*)1;
  CHECK(pitboss_policy_check(policy, len, &out, &out_len, &error) == PITBOSS_OK);
  CHECK(error == NULL);
  /* An empty PolicyCheckResponse: zero bytes, but still a buffer to free. */
  CHECK(out != NULL);
  CHECK(out_len == 0);
  pitboss_free(out);
}

static void test_broken_policy_lists_every_problem(const uint8_t* policy, size_t len) {
  uint8_t* out = NULL;
  size_t out_len = 0;
  char* error = NULL;
  CHECK(pitboss_policy_check(policy, len, &out, &out_len, &error) == PITBOSS_OK);
  CHECK(error == NULL);
  CHECK(out != NULL && out_len > 0);
  /* PolicyCheckResponse.diagnostics is field 1: three of them (tag 0x0a). */
  CHECK(count(out, out_len, "policy_id") == 1);
  CHECK(contains(out, out_len, "TYPO-1"));
  CHECK(contains(out, out_len, "rules[0].expression"));
  CHECK(contains(out, out_len, "undeclared reference to 'featurez'"));
  CHECK(contains(out, out_len, "NOT-BOOL-2"));
  CHECK(contains(out, out_len, "rules[1].expression"));
  CHECK(contains(out, out_len, "expected type 'bool' but found 'int'"));
  pitboss_free(out);
}

static void test_bad_input(const uint8_t* policy, size_t len) {
  static const uint8_t garbage[] = {0x0a, 0xff, 0xff, 0xff, 0x0f};
  uint8_t* out = (uint8_t*)1;
  size_t out_len = 99;
  char* error = NULL;
  size_t big_len = (size_t)PITBOSS_MAX_REQUEST_BYTES + 1;
  uint8_t* big;

  CHECK(pitboss_policy_check(garbage, sizeof(garbage), &out, &out_len, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(error != NULL && strstr(error, "pitboss.v1.Policy") != NULL);
  pitboss_free(error);

  out = (uint8_t*)1;
  out_len = 99;
  CHECK(pitboss_policy_check(NULL, 3, &out, &out_len, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(pitboss_policy_check(policy, len, NULL, &out_len, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(pitboss_policy_check(policy, len, &out, NULL, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL);

  /* NULL with length 0 is the empty Policy: valid input, with problems. */
  out_len = 0;
  CHECK(pitboss_policy_check(NULL, 0, &out, &out_len, NULL) == PITBOSS_OK);
  CHECK(contains(out, out_len, "policy_id"));
  pitboss_free(out);

  big = (uint8_t*)calloc(big_len, 1);
  CHECK(big != NULL);
  if (big != NULL) {
    out = (uint8_t*)1;
    out_len = 99;
    error = NULL;
    CHECK(pitboss_policy_check(big, big_len, &out, &out_len, &error) ==
          PITBOSS_RESOURCE_EXHAUSTED);
    CHECK(out == NULL && out_len == 0);
    CHECK(error != NULL);
    pitboss_free(error);
    free(big);
  }
}

int main(int argc, char** argv) {
  uint8_t* policy;
  uint8_t* broken;
  size_t policy_len, broken_len;
  if (argc != 3) {
    fprintf(stderr, "usage: %s DEFAULT_POLICY BROKEN_POLICY\n", argv[0]);
    return EXIT_FAILURE;
  }
  policy = read_file(argv[1], &policy_len);
  broken = read_file(argv[2], &broken_len);
  test_valid_policy_has_no_diagnostics(policy, policy_len);
  test_broken_policy_lists_every_problem(broken, broken_len);
  test_bad_input(policy, policy_len);
  free(policy);
  free(broken);
  return finish("policy_check_test");
}
