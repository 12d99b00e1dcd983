// libFuzzer target: any bytes as a CEL expression, optionally with JSON
// bindings, through parse + check + plan + evaluate, the way `pitboss expr`
// runs them (src/cli/expr_runner.h). The definition of done is "an error with
// a position, never a crash or a hang" (CEL issue, "Bad input").
//
// Input layout: EXPR [ '\0' BINDINGS ] where BINDINGS is a JSON object
// {"name": <any JSON>, ...} bound as plain JSON values (declared dyn). Each
// input runs checked and unchecked; inputs without a NUL are also fed whole
// to the SimpleTest JSON-lines path (JSON parsing, cel.expr.Value and
// cel.expr.Type conversion). Every expression that parses must also survive
// the unparser round trip: parse -> Unparse -> parse gives the same tree.
//
// Built with libFuzzer in the `fuzz` preset (PITBOSS_BUILD_FUZZERS, clang);
// tests/fuzz/regression_driver.cc replays tests/fuzz/corpus/cel under any
// compiler in ctest.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "src/cel/parser/debug_string.h"
#include "src/cel/parser/parser.h"
#include "src/cel/parser/unparser.h"
#include "src/cli/cel_value_json.h"
#include "src/cli/expr_runner.h"
#include "src/cli/proto_types.h"

namespace {

// Inputs above this size only slow the fuzzer down; the expression size limit
// itself is tested by the parser's own tests.
constexpr size_t kMaxInput = 1 << 16;

const pitboss::cli::ProtoTypes& Types() {
  static const pitboss::cli::ProtoTypes* types = pitboss::cli::ProtoTypes::Generated().release();
  return *types;
}

// The unparser round trip: text that parses unparses to text that parses to
// the same tree (printed bare, so ids may differ).
void CheckRoundTrip(const std::string& expr) {
  pitboss::cel::ParseResult first = pitboss::cel::ParseWithDiagnostics(expr);
  if (!first.ok()) return;
  absl::StatusOr<std::string> text =
      pitboss::cel::Unparse(first.parsed.expr, &first.parsed.source_info);
  if (!text.ok()) __builtin_trap();
  pitboss::cel::ParseResult second = pitboss::cel::ParseWithDiagnostics(*text);
  if (!second.ok()) __builtin_trap();
  if (pitboss::cel::ExprDebugString(first.parsed.expr) !=
      pitboss::cel::ExprDebugString(second.parsed.expr)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  pitboss::cli::ExprRunner runner(&Types());

  pitboss::cli::ExprRequest request;
  size_t nul = input.find('\0');
  request.expr = std::string(input.substr(0, nul));
  if (nul != absl::string_view::npos) {
    absl::StatusOr<google::protobuf::Value> bindings = pitboss::cli::ParseJson(input.substr(nul + 1));
    if (bindings.ok() && bindings->kind_case() == google::protobuf::Value::kStructValue) {
      for (const auto& [name, value] : bindings->struct_value().fields()) {
        std::string json;
        if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) continue;
        request.bindings.push_back({name, "", json});
      }
    }
  }
  CheckRoundTrip(request.expr);
  for (bool disable_check : {false, true}) {
    request.disable_check = disable_check;
    pitboss::cli::ExprResult result = runner.RunExpr(request);
    // Every outcome is a JSON line; an error must say what went wrong.
    if (result.json.empty() || (!result.ok && result.text.empty())) __builtin_trap();
  }
  if (nul == absl::string_view::npos) {
    std::string line = runner.RunLine(input);
    if (line.empty() || line[0] != '{') __builtin_trap();
  }
  return 0;
}
