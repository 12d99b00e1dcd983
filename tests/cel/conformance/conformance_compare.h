// Judging one CEL conformance case: the expected result of a
// cel.expr.conformance.test.SimpleTest against the JSON line `pitboss expr`
// printed for it (src/cli/expr_runner.h).
//
// The matchers of SimpleTest, as the cel-spec test runners apply them:
//   value         the result must equal it (CelValueJsonEquals below);
//   typedResult   the deduced type must equal deducedType, and the value must
//                 equal result when one is given (checkOnly: type only);
//   evalError /   evaluation must end in an error ("stage":"eval"); messages
//   anyEvalErrors are not compared (implementations word them differently);
//   unknown /     the result must be unknown;
//   anyUnknowns
//   (none)        the result must be the boolean true.
#ifndef PITBOSS_TESTS_CEL_CONFORMANCE_CONFORMANCE_COMPARE_H_
#define PITBOSS_TESTS_CEL_CONFORMANCE_CONFORMANCE_COMPARE_H_

#include <string>

#include "google/protobuf/struct.pb.h"
#include "src/cli/proto_types.h"

namespace pitboss {
namespace conformance {

// Equality of two cel.expr.Value JSON trees under the conformance rules: maps
// compare as unordered sets of entries, doubles numerically with NaN equal to
// NaN, 64-bit integers by value whether written as strings or numbers, bytes by
// their decoded content, messages (objectValue) by protobuf message equality
// after decoding with `types`. On inequality `why` (if not null) says where.
bool CelValueJsonEquals(const google::protobuf::Value& expected,
                        const google::protobuf::Value& actual, const cli::ProtoTypes& types,
                        std::string* why);

// Structural JSON equality (numbers by value, objects by key set): used for
// cel.expr.Type, which has no doubles or maps inside.
bool JsonTreeEquals(const google::protobuf::Value& a, const google::protobuf::Value& b);

enum class Verdict { kPass, kFail };

struct Judgement {
  Verdict verdict = Verdict::kFail;
  std::string reason;  // why it failed (empty on pass)
};

// Judges `result` (a parsed `pitboss expr` output line) against `test` (the
// parsed SimpleTest line).
Judgement Judge(const google::protobuf::Value& test, const google::protobuf::Value& result,
                const cli::ProtoTypes& types);

// Compact one-line rendering of a JSON tree for failure reasons, cut to
// `max_chars`.
std::string ShortJson(const google::protobuf::Value& value, size_t max_chars = 160);

}  // namespace conformance
}  // namespace pitboss

#endif  // PITBOSS_TESTS_CEL_CONFORMANCE_CONFORMANCE_COMPARE_H_
