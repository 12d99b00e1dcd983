// Conversion between CEL runtime values and the proto3 JSON form of
// cel.expr.Value / cel.expr.ExprValue (the value model of the CEL conformance
// tests and of `pitboss expr` output), without a compiled copy of cel-spec's
// .proto files.
//
// JSON comes in already parsed into a google::protobuf::Value tree (the
// generated google.protobuf.Struct JSON parser; it is lossless for this shape
// because 64-bit integers are JSON strings there). Messages
// (`objectValue`, a google.protobuf.Any in JSON: {"@type": URL, ...}) are
// converted through ProtoTypes' TypeResolver, so any message type of the pool
// works, well-known types included. The JSON written is canonical proto3 JSON
// in one line.
//
// The shapes:
//   {"nullValue": null}  {"boolValue": true}  {"int64Value": "-1"}
//   {"uint64Value": "1"}  {"doubleValue": 1.5 | "NaN" | "Infinity" | "-Infinity"}
//   {"stringValue": "s"}  {"bytesValue": "<base64>"}  {"typeValue": "int"}
//   {"enumValue": {"type": "pkg.Enum", "value": 1}}   (read as an int)
//   {"listValue": {"values": [V...]}}
//   {"mapValue": {"entries": [{"key": V, "value": V}...]}}
//   {"objectValue": {"@type": "type.googleapis.com/pkg.Msg", ...fields}}
// Timestamps and durations are written as objectValue of
// google.protobuf.Timestamp / Duration, as the conformance tests expect.
#ifndef PITBOSS_SRC_CLI_CEL_VALUE_JSON_H_
#define PITBOSS_SRC_CLI_CEL_VALUE_JSON_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"
#include "src/cli/proto_types.h"

namespace pitboss {
namespace cli {

// Parses a JSON text into a google::protobuf::Value tree (any JSON value at the
// top). InvalidArgument with the parser's message on malformed JSON.
absl::StatusOr<google::protobuf::Value> ParseJson(absl::string_view text);

// A cel.expr.Value in JSON -> a CEL value allocated in ctx.arena(). Messages are
// built with `types` and unwrapped as CEL defines for well-known types.
// InvalidArgument (with the JSON path) on anything that is not a valid
// cel.expr.Value or names an unknown message type.
absl::StatusOr<cel::Value> CelValueFromJson(const google::protobuf::Value& json,
                                            const ProtoTypes& types, cel::EvalContext& ctx);

// The message of a google.protobuf.Any in proto3 JSON ({"@type": URL, ...}),
// decoded with `types` and allocated in `arena` (null: on the heap, owned by
// the caller). InvalidArgument for an unknown type or malformed JSON.
absl::StatusOr<google::protobuf::Message*> MessageFromAnyJson(const google::protobuf::Value& json,
                                                              const ProtoTypes& types,
                                                              google::protobuf::Arena* arena);

// A cel.expr.ExprValue in JSON ({"value": V} | {"error": {"errors": [{"message":
// M}...]}} | {"unknown": {"exprs": ["1"...]}}) -> a CEL value (an error value or
// an unknown value for the last two).
absl::StatusOr<cel::Value> CelExprValueFromJson(const google::protobuf::Value& json,
                                                const ProtoTypes& types,
                                                cel::EvalContext& ctx);

// Plain JSON (e.g. an event) -> a CEL value: null, bool, string; numbers are
// int when integral and in int64 range, else double (the peers' convention:
// JSON integers are CEL ints); arrays are lists; objects are map(string, dyn).
absl::StatusOr<cel::Value> CelValueFromPlainJson(const google::protobuf::Value& json,
                                                 cel::EvalContext& ctx);

// Appends the cel.expr.Value JSON of `value` to `out`. Error and unknown values
// have no cel.expr.Value form: InvalidArgument. Lists and maps are converted
// element by element (errors inside them propagate the same way).
absl::Status AppendCelValueJson(const cel::Value& value, const ProtoTypes& types,
                                cel::EvalContext& ctx, std::string* out);

// JSON text helpers shared by the writers of `pitboss expr`.
// Appends `s` as a JSON string literal (quotes included). Invalid UTF-8 bytes
// are written as U+FFFD so the output is always valid JSON.
void AppendJsonString(absl::string_view s, std::string* out);
// Appends a double as proto3 JSON: shortest round-tripping number, or the
// strings "NaN", "Infinity", "-Infinity".
void AppendJsonDouble(double d, std::string* out);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_CEL_VALUE_JSON_H_
