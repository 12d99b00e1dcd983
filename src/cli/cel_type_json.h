// Conversion between checker types (cel::CelType) and the proto3 JSON form of
// cel.expr.Type, used for the `typeEnv` declarations of a SimpleTest and for
// the deduced type `pitboss expr` reports for a checked expression.
//
//   {"primitive": "BOOL|INT64|UINT64|DOUBLE|STRING|BYTES"}  {"wrapper": "INT64"}
//   {"wellKnown": "ANY|TIMESTAMP|DURATION"}  {"dyn": {}}  {"null": null}
//   {"listType": {"elemType": T}}  {"mapType": {"keyType": K, "valueType": V}}
//   {"messageType": "pkg.Msg"}  {"typeParam": "A"}  {"type": T}  {"error": {}}
//   {"abstractType": {"name": "optional_type", "parameterTypes": [T...]}}
#ifndef PITBOSS_SRC_CLI_CEL_TYPE_JSON_H_
#define PITBOSS_SRC_CLI_CEL_TYPE_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/struct.pb.h"
#include "pitboss/cel.h"

namespace pitboss {
namespace cli {

// cel.expr.Type JSON -> CelType. Message names go through env.MessageType so
// well-known messages (wrappers, Struct, Value, ...) get their CEL types;
// unknown names are NotFound. InvalidArgument for malformed JSON or function
// types (which CEL declarations cannot use).
absl::StatusOr<cel::CelType> CelTypeFromJson(const google::protobuf::Value& json,
                                             const cel::Env& env);

// Appends the cel.expr.Type JSON of `type` to `out`.
void AppendCelTypeJson(const cel::CelType& type, std::string* out);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_CEL_TYPE_JSON_H_
