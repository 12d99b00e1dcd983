// ExprRunner: the engine of `pitboss expr`. Takes one
// cel.expr.conformance.test.SimpleTest in proto3 JSON (the fields `expr`,
// `container`, `typeEnv`, `bindings`, `disableCheck`, `disableMacros`,
// `checkOnly`; expected results and unknown keys are ignored), compiles and
// evaluates it with the public CEL API (include/pitboss/cel.h), and returns
// one JSON line:
//
//   {"value": <cel.expr.Value>, "type": <cel.expr.Type>}   a result ("type" only
//                                                          when checked)
//   {"type": <cel.expr.Type>}                              checkOnly
//   {"unknown": ["<expr id>", ...]}                        an unknown result
//   {"error": "<message>", "stage": "input"|"compile"|"eval"}
//
// Expressions compile with the default CompilerOptions plus optional values
// (enable_optional_types) and the encoders extension, like cel-go's
// conformance environment.
//
// "input" errors are bad test JSON (never the expression's fault), "compile"
// errors are parse/type errors (with line, column and caret), "eval" errors are
// CEL runtime errors (division by zero, no such overload, ...). The conformance
// runner feeds its cases through this same class via the `pitboss` binary.
//
// Thread-compatible; the ProtoTypes must outlive the runner.
#ifndef PITBOSS_SRC_CLI_EXPR_RUNNER_H_
#define PITBOSS_SRC_CLI_EXPR_RUNNER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/cli/proto_types.h"

namespace pitboss {
namespace cli {

// One `--bind` of `pitboss expr --expr`: NAME=JSON binds plain JSON (null,
// bool, number: int when integral else double, string, array: list, object:
// map(string, dyn)); NAME:TYPE=JSON binds a message of full name TYPE given in
// proto3 JSON.
struct ExprBinding {
  std::string name;
  std::string message_type;  // empty for plain JSON
  std::string json;
};
// Parses "NAME=JSON" / "NAME:TYPE=JSON". InvalidArgument when malformed.
absl::StatusOr<ExprBinding> ParseExprBinding(absl::string_view flag);

struct ExprRequest {
  std::string expr;
  std::string container;
  bool disable_check = false;
  bool disable_macros = false;
  std::vector<ExprBinding> bindings;
};

// The result of ExprRunner::RunExpr, for people: the value in CEL syntax.
struct ExprResult {
  bool ok = false;     // false: `text` is an error message
  std::string text;    // the value (CEL debug form) or the error
  std::string type;    // checked type, e.g. "bool" (empty when unchecked)
  std::string json;    // the same result as a `pitboss expr` JSON line
};

class ExprRunner {
 public:
  explicit ExprRunner(const ProtoTypes* types) : types_(types) {}

  // One SimpleTest JSON line in, one result JSON line out (no newline).
  std::string RunLine(absl::string_view line) const;

  // One expression with --bind style bindings. Plain JSON bindings are
  // declared dyn and message bindings as their message type when checking.
  ExprResult RunExpr(const ExprRequest& request) const;

 private:
  const ProtoTypes* types_;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_EXPR_RUNNER_H_
