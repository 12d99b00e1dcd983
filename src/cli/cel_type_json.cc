// cel.expr.Type proto3 JSON <-> cel::CelType.
#include "src/cli/cel_type_json.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/cli/cel_value_json.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cli {
namespace {

using google::protobuf::Value;  // JSON tree
using cel::CelType;

absl::Status TypeError(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("cel.expr.Type JSON at ", path, ": ", what));
}

const Value* Field(const Value& object, absl::string_view name) {
  if (object.kind_case() != Value::kStructValue) return nullptr;
  auto it = object.struct_value().fields().find(std::string(name));
  return it == object.struct_value().fields().end() ? nullptr : &it->second;
}

absl::StatusOr<CelType> Primitive(const Value& v, absl::string_view path) {
  if (v.kind_case() == Value::kStringValue) {
    const std::string& s = v.string_value();
    if (s == "BOOL") return CelType::Bool();
    if (s == "INT64") return CelType::Int();
    if (s == "UINT64") return CelType::Uint();
    if (s == "DOUBLE") return CelType::Double();
    if (s == "STRING") return CelType::String();
    if (s == "BYTES") return CelType::Bytes();
  }
  return TypeError(path, "expected BOOL, INT64, UINT64, DOUBLE, STRING or BYTES");
}

absl::StatusOr<CelType> FromJson(const Value& json, const std::string& path, const cel::Env& env) {
  if (json.kind_case() != Value::kStructValue) return TypeError(path, "expected an object");
  const auto& fields = json.struct_value().fields();
  if (fields.size() != 1) return TypeError(path, "expected exactly one key");
  const std::string& key = fields.begin()->first;
  const Value& v = fields.begin()->second;
  const std::string here = absl::StrCat(path, ".", key);
  if (key == "dyn") return CelType::Dyn();
  if (key == "null") return CelType::Null();
  if (key == "error") return CelType::Error();
  if (key == "primitive") return Primitive(v, here);
  if (key == "wrapper") {
    PITBOSS_ASSIGN_OR_RETURN(CelType primitive, Primitive(v, here));
    return CelType::Wrapper(primitive);
  }
  if (key == "wellKnown") {
    if (v.kind_case() == Value::kStringValue) {
      if (v.string_value() == "ANY") return env.MessageType("google.protobuf.Any");
      if (v.string_value() == "TIMESTAMP") return CelType::Timestamp();
      if (v.string_value() == "DURATION") return CelType::Duration();
    }
    return TypeError(here, "expected ANY, TIMESTAMP or DURATION");
  }
  if (key == "listType") {
    const Value* elem = Field(v, "elemType");
    if (elem == nullptr) return TypeError(here, "missing elemType");
    PITBOSS_ASSIGN_OR_RETURN(CelType e, FromJson(*elem, here + ".elemType", env));
    return CelType::List(std::move(e));
  }
  if (key == "mapType") {
    const Value* k = Field(v, "keyType");
    const Value* val = Field(v, "valueType");
    if (k == nullptr || val == nullptr) return TypeError(here, "missing keyType or valueType");
    PITBOSS_ASSIGN_OR_RETURN(CelType kt, FromJson(*k, here + ".keyType", env));
    PITBOSS_ASSIGN_OR_RETURN(CelType vt, FromJson(*val, here + ".valueType", env));
    return CelType::Map(std::move(kt), std::move(vt));
  }
  if (key == "messageType") {
    if (v.kind_case() != Value::kStringValue) return TypeError(here, "expected a message name");
    return env.MessageType(v.string_value());
  }
  if (key == "typeParam") {
    if (v.kind_case() != Value::kStringValue) return TypeError(here, "expected a name");
    return CelType::Param(v.string_value());
  }
  if (key == "type") {
    // {"type": {}}: a type value of unspecified type, i.e. the bare `type`.
    if (v.kind_case() == Value::kStructValue && v.struct_value().fields().empty()) {
      return CelType::TypeOfTypes();
    }
    PITBOSS_ASSIGN_OR_RETURN(CelType t, FromJson(v, here, env));
    return CelType::TypeOf(std::move(t));
  }
  if (key == "abstractType") {
    const Value* name = Field(v, "name");
    if (name == nullptr || name->kind_case() != Value::kStringValue) {
      return TypeError(here, "missing name");
    }
    std::vector<CelType> params;
    if (const Value* list = Field(v, "parameterTypes")) {
      if (list->kind_case() != Value::kListValue) return TypeError(here, "parameterTypes: expected a list");
      for (int i = 0; i < list->list_value().values_size(); ++i) {
        PITBOSS_ASSIGN_OR_RETURN(
            CelType p, FromJson(list->list_value().values(i),
                                absl::StrCat(here, ".parameterTypes[", i, "]"), env));
        params.push_back(std::move(p));
      }
    }
    return CelType::Opaque(name->string_value(), std::move(params));
  }
  if (key == "function") return TypeError(here, "function types cannot be declared");
  return TypeError(path, absl::StrCat("unknown kind \"", key, "\""));
}

const char* PrimitiveName(CelType::Kind kind) {
  switch (kind) {
    case CelType::Kind::kBool: return "BOOL";
    case CelType::Kind::kInt: return "INT64";
    case CelType::Kind::kUint: return "UINT64";
    case CelType::Kind::kDouble: return "DOUBLE";
    case CelType::Kind::kString: return "STRING";
    case CelType::Kind::kBytes: return "BYTES";
    default: return nullptr;
  }
}

}  // namespace

absl::StatusOr<CelType> CelTypeFromJson(const google::protobuf::Value& json, const cel::Env& env) {
  return FromJson(json, "$", env);
}

void AppendCelTypeJson(const CelType& type, std::string* out) {
  switch (type.kind()) {
    case CelType::Kind::kDyn: out->append("{\"dyn\":{}}"); return;
    case CelType::Kind::kError: out->append("{\"error\":{}}"); return;
    case CelType::Kind::kNull: out->append("{\"null\":null}"); return;
    case CelType::Kind::kBool:
    case CelType::Kind::kInt:
    case CelType::Kind::kUint:
    case CelType::Kind::kDouble:
    case CelType::Kind::kString:
    case CelType::Kind::kBytes:
      absl::StrAppend(out, "{\"primitive\":\"", PrimitiveName(type.kind()), "\"}");
      return;
    case CelType::Kind::kTimestamp: out->append("{\"wellKnown\":\"TIMESTAMP\"}"); return;
    case CelType::Kind::kDuration: out->append("{\"wellKnown\":\"DURATION\"}"); return;
    case CelType::Kind::kList:
      out->append("{\"listType\":{\"elemType\":");
      AppendCelTypeJson(type.elem(), out);
      out->append("}}");
      return;
    case CelType::Kind::kMap:
      out->append("{\"mapType\":{\"keyType\":");
      AppendCelTypeJson(type.key(), out);
      out->append(",\"valueType\":");
      AppendCelTypeJson(type.value(), out);
      out->append("}}");
      return;
    case CelType::Kind::kMessage:
      if (type.name() == "google.protobuf.Any") {
        out->append("{\"wellKnown\":\"ANY\"}");
        return;
      }
      out->append("{\"messageType\":");
      AppendJsonString(type.name(), out);
      out->append("}");
      return;
    case CelType::Kind::kWrapper: {
      const char* name = PrimitiveName(type.elem().kind());
      absl::StrAppend(out, "{\"wrapper\":\"", name == nullptr ? "PRIMITIVE_TYPE_UNSPECIFIED" : name,
                      "\"}");
      return;
    }
    case CelType::Kind::kType:
      if (type.params().empty()) {
        out->append("{\"type\":{}}");
        return;
      }
      out->append("{\"type\":");
      AppendCelTypeJson(type.elem(), out);
      out->append("}");
      return;
    case CelType::Kind::kTypeParam:
      out->append("{\"typeParam\":");
      AppendJsonString(type.name(), out);
      out->append("}");
      return;
    case CelType::Kind::kOpaque:
      out->append("{\"abstractType\":{\"name\":");
      AppendJsonString(type.name(), out);
      if (!type.params().empty()) {
        out->append(",\"parameterTypes\":[");
        for (size_t i = 0; i < type.params().size(); ++i) {
          if (i > 0) out->push_back(',');
          AppendCelTypeJson(type.params()[i], out);
        }
        out->append("]");
      }
      out->append("}}");
      return;
  }
}

}  // namespace cli
}  // namespace pitboss
