/* pitboss_cel_eval from plain C99. The CelEvalRequest bytes are written by
 * hand (c_test_util.h's wire-format writer): expression = field 1, bindings =
 * field 2 (CelBinding: name 1, json 2, value_json 3, message 4 as
 * google.protobuf.Any{type_url 1, value 2}), container = 3, disable_check = 4.
 * The response's value_json is field 1, type 2, text 3, error 4. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test_util.h"
#include "pitboss/pitboss.h"

/* Evaluates `req` expecting PITBOSS_OK; returns the response (pitboss_free it). */
static uint8_t* eval_ok(const pb_buffer* req, size_t* out_len) {
  uint8_t* out = NULL;
  char* error = (char*)1;
  int status = pitboss_cel_eval(req->data, req->len, &out, out_len, &error);
  CHECK(status == PITBOSS_OK);
  CHECK(error == NULL);
  if (status != PITBOSS_OK) {
    fprintf(stderr, "  status %d: %s\n", status, error != (char*)1 && error ? error : "");
    if (error != (char*)1) pitboss_free(error);
  }
  CHECK(out != NULL);
  return out;
}

static void test_arithmetic(void) {
  pb_buffer req = {{0}, 0};
  size_t n = 0;
  uint8_t* out;
  pb_string(&req, 1, "1 + 2");
  out = eval_ok(&req, &n);
  CHECK(contains(out, n, "{\"int64Value\":\"3\"}"));
  CHECK(contains(out, n, "int"));
  pitboss_free(out);
}

static void test_json_binding(void) {
  pb_buffer binding = {{0}, 0};
  pb_buffer req = {{0}, 0};
  size_t n = 0;
  uint8_t* out;
  pb_string(&binding, 1, "x");
  pb_string(&binding, 2, "{\"limits\": [100, 250], \"name\": \"taro\"}");
  pb_string(&req, 1, "x.limits[1] * 2 == 500 && x.name.startsWith('ta')");
  pb_bytes(&req, 2, binding.data, binding.len);
  out = eval_ok(&req, &n);
  CHECK(contains(out, n, "{\"boolValue\":true}"));
  pitboss_free(out);
}

static void test_typed_value_binding(void) {
  pb_buffer binding = {{0}, 0};
  pb_buffer req = {{0}, 0};
  size_t n = 0;
  uint8_t* out;
  pb_string(&binding, 1, "y");
  pb_string(&binding, 3, "{\"uint64Value\": \"7\"}");
  pb_string(&req, 1, "y + 1u");
  pb_bytes(&req, 2, binding.data, binding.len);
  out = eval_ok(&req, &n);
  CHECK(contains(out, n, "{\"uint64Value\":\"8\"}"));
  CHECK(contains(out, n, "uint"));
  pitboss_free(out);
}

static void test_message_binding(void) {
  /* m = pitboss.v1.Money{minor_units: 1500, currency: "JPY"} packed in an Any. */
  pb_buffer money = {{0}, 0};
  pb_buffer any = {{0}, 0};
  pb_buffer binding = {{0}, 0};
  pb_buffer req = {{0}, 0};
  size_t n = 0;
  uint8_t* out;
  pb_varint_field(&money, 1, 1500);
  pb_string(&money, 2, "JPY");
  pb_string(&any, 1, "type.googleapis.com/pitboss.v1.Money");
  pb_bytes(&any, 2, money.data, money.len);
  pb_string(&binding, 1, "m");
  pb_bytes(&binding, 4, any.data, any.len);
  pb_string(&req, 1, "m.currency == 'JPY' ? m.minor_units / 100 : -1");
  pb_bytes(&req, 2, binding.data, binding.len);
  out = eval_ok(&req, &n);
  CHECK(contains(out, n, "{\"int64Value\":\"15\"}"));
  pitboss_free(out);
}

static void test_runtime_error_is_data(void) {
  pb_buffer req = {{0}, 0};
  size_t n = 0;
  uint8_t* out;
  pb_string(&req, 1, "10 / (5 - 5)");
  out = eval_ok(&req, &n);
  CHECK(contains(out, n, "division by zero"));
  CHECK(!contains(out, n, "int64Value"));
  pitboss_free(out);
}

static void expect_error(const pb_buffer* req, int code, const char* needle) {
  uint8_t* out = (uint8_t*)1;
  size_t n = 99;
  char* error = NULL;
  CHECK(pitboss_cel_eval(req->data, req->len, &out, &n, &error) == code);
  CHECK(out == NULL && n == 0);
  CHECK(error != NULL && strstr(error, needle) != NULL);
  if (error != NULL && strstr(error, needle) == NULL) fprintf(stderr, "  got: %s\n", error);
  pitboss_free(error);
}

static void test_compile_errors_and_bad_bindings(void) {
  pb_buffer req = {{0}, 0};
  pb_buffer binding = {{0}, 0};
  pb_buffer any = {{0}, 0};

  pb_string(&req, 1, "1 +");
  expect_error(&req, PITBOSS_INVALID_ARGUMENT, "<input>:1:4");

  req.len = 0;
  pb_string(&req, 1, "nobody + 1");
  expect_error(&req, PITBOSS_INVALID_ARGUMENT, "undeclared reference to 'nobody'");

  /* A binding whose JSON does not parse. */
  req.len = 0;
  pb_string(&binding, 1, "x");
  pb_string(&binding, 2, "{not json");
  pb_string(&req, 1, "x");
  pb_bytes(&req, 2, binding.data, binding.len);
  expect_error(&req, PITBOSS_INVALID_ARGUMENT, "bindings[0] (x)");

  /* A binding without a value, and one of an unknown message type. */
  req.len = 0;
  binding.len = 0;
  pb_string(&binding, 1, "x");
  pb_string(&req, 1, "x");
  pb_bytes(&req, 2, binding.data, binding.len);
  expect_error(&req, PITBOSS_INVALID_ARGUMENT, "no value");

  req.len = 0;
  binding.len = 0;
  pb_string(&any, 1, "type.googleapis.com/no.such.Message");
  pb_string(&binding, 1, "x");
  pb_bytes(&binding, 4, any.data, any.len);
  pb_string(&req, 1, "x");
  pb_bytes(&req, 2, binding.data, binding.len);
  expect_error(&req, PITBOSS_INVALID_ARGUMENT, "unknown message type");
}

static void test_bad_input(void) {
  static const uint8_t garbage[] = {0x0a, 0x80};
  uint8_t* out = (uint8_t*)1;
  size_t n = 99;
  char* error = NULL;
  size_t big_len = (size_t)PITBOSS_MAX_REQUEST_BYTES + 1;
  uint8_t* big;
  pb_buffer req = {{0}, 0};

  CHECK(pitboss_cel_eval(garbage, sizeof(garbage), &out, &n, &error) ==
        PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && n == 0);
  CHECK(error != NULL && strstr(error, "pitboss.v1.CelEvalRequest") != NULL);
  pitboss_free(error);

  out = (uint8_t*)1;
  n = 99;
  CHECK(pitboss_cel_eval(NULL, 1, &out, &n, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && n == 0);
  pb_string(&req, 1, "true");
  CHECK(pitboss_cel_eval(req.data, req.len, NULL, &n, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(pitboss_cel_eval(req.data, req.len, &out, NULL, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL);

  /* The empty request is the empty expression: a parse error, not a crash. */
  out = (uint8_t*)1;
  CHECK(pitboss_cel_eval(NULL, 0, &out, &n, NULL) == PITBOSS_INVALID_ARGUMENT);
  CHECK(out == NULL && n == 0);

  big = (uint8_t*)calloc(big_len, 1);
  CHECK(big != NULL);
  if (big != NULL) {
    out = (uint8_t*)1;
    n = 99;
    CHECK(pitboss_cel_eval(big, big_len, &out, &n, NULL) == PITBOSS_RESOURCE_EXHAUSTED);
    CHECK(out == NULL && n == 0);
    free(big);
  }
}

int main(void) {
  test_arithmetic();
  test_json_binding();
  test_typed_value_binding();
  test_message_binding();
  test_runtime_error_is_data();
  test_compile_errors_and_bad_bindings();
  test_bad_input();
  return finish("cel_eval_test");
}
