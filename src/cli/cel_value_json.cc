// cel.expr.Value proto3 JSON <-> CEL runtime values.
#include "src/cli/cel_value_json.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "src/cel/common/proto_value.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cli {
namespace {

using google::protobuf::Value;  // JSON tree
using JsonKind = google::protobuf::Value::KindCase;

absl::Status PathError(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("cel.expr.Value JSON at ", path, ": ", what));
}

// The single "kind" key of a oneof-shaped JSON object ({"int64Value": ...}).
absl::Status SingleKey(const Value& json, absl::string_view path, std::string* key,
                       const Value** value) {
  if (json.kind_case() != Value::kStructValue) return PathError(path, "expected an object");
  const auto& fields = json.struct_value().fields();
  if (fields.size() != 1) {
    return PathError(path, absl::StrCat("expected exactly one key, got ", fields.size()));
  }
  *key = fields.begin()->first;
  *value = &fields.begin()->second;
  return absl::OkStatus();
}

const Value* Field(const Value& object, absl::string_view name) {
  if (object.kind_case() != Value::kStructValue) return nullptr;
  auto it = object.struct_value().fields().find(std::string(name));
  return it == object.struct_value().fields().end() ? nullptr : &it->second;
}

absl::StatusOr<int64_t> JsonInt64(const Value& json, absl::string_view path) {
  if (json.kind_case() == Value::kStringValue) {
    int64_t out;
    if (absl::SimpleAtoi(json.string_value(), &out)) return out;
  } else if (json.kind_case() == Value::kNumberValue) {
    double d = json.number_value();
    // [-2^63, 2^63): every double in this range that is integral converts exactly.
    if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
      return static_cast<int64_t>(d);
    }
  }
  return PathError(path, "expected a 64-bit integer (string or integral number)");
}

absl::StatusOr<uint64_t> JsonUint64(const Value& json, absl::string_view path) {
  if (json.kind_case() == Value::kStringValue) {
    uint64_t out;
    if (!json.string_value().empty() && json.string_value()[0] != '-' &&
        absl::SimpleAtoi(json.string_value(), &out)) {
      return out;
    }
  } else if (json.kind_case() == Value::kNumberValue) {
    double d = json.number_value();
    if (std::trunc(d) == d && d >= 0 && d < 18446744073709551616.0) {
      return static_cast<uint64_t>(d);
    }
  }
  return PathError(path, "expected an unsigned 64-bit integer (string or integral number)");
}

absl::StatusOr<double> JsonDouble(const Value& json, absl::string_view path) {
  if (json.kind_case() == Value::kNumberValue) return json.number_value();
  if (json.kind_case() == Value::kStringValue) {
    const std::string& s = json.string_value();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    double out;
    if (absl::SimpleAtod(s, &out)) return out;
  }
  return PathError(path, "expected a number or \"NaN\"/\"Infinity\"/\"-Infinity\"");
}

// A type name that outlives the evaluation: builtin names are static, message
// and enum names are owned by the pool, anything else is copied into the arena.
absl::string_view StableTypeName(absl::string_view name, const ProtoTypes& types,
                                 google::protobuf::Arena* arena) {
  static constexpr absl::string_view kBuiltins[] = {
      cel::TypeNames::kNull,      cel::TypeNames::kBool,     cel::TypeNames::kInt,
      cel::TypeNames::kUint,      cel::TypeNames::kDouble,   cel::TypeNames::kString,
      cel::TypeNames::kBytes,     cel::TypeNames::kList,     cel::TypeNames::kMap,
      cel::TypeNames::kType,      cel::TypeNames::kTimestamp, cel::TypeNames::kDuration,
      cel::TypeNames::kError,     cel::TypeNames::kUnknown,  cel::TypeNames::kOptional,
  };
  for (absl::string_view builtin : kBuiltins) {
    if (builtin == name) return builtin;
  }
  std::string key(name);
  if (const auto* message = types.pool()->FindMessageTypeByName(key)) return message->full_name();
  if (const auto* enum_type = types.pool()->FindEnumTypeByName(key)) return enum_type->full_name();
  return *google::protobuf::Arena::Create<std::string>(arena, key);
}

// Well-known types whose proto3 JSON is not an object of fields.
bool HasSpecialJson(const std::string& full_name) {
  static constexpr absl::string_view kSpecial[] = {
      "google.protobuf.Any",         "google.protobuf.Timestamp",   "google.protobuf.Duration",
      "google.protobuf.FieldMask",   "google.protobuf.Struct",      "google.protobuf.Value",
      "google.protobuf.ListValue",   "google.protobuf.BoolValue",   "google.protobuf.Int32Value",
      "google.protobuf.Int64Value",  "google.protobuf.UInt32Value", "google.protobuf.UInt64Value",
      "google.protobuf.FloatValue",  "google.protobuf.DoubleValue", "google.protobuf.StringValue",
      "google.protobuf.BytesValue",
  };
  for (absl::string_view name : kSpecial) {
    if (name == full_name) return true;
  }
  return false;
}

absl::StatusOr<cel::Value> ObjectFromJson(const Value& json, absl::string_view path,
                                          const ProtoTypes& types, cel::EvalContext& ctx) {
  absl::StatusOr<google::protobuf::Message*> message = MessageFromAnyJson(json, types, ctx.arena());
  if (!message.ok()) return PathError(path, absl::StrCat("objectValue: ", message.status().message()));
  return cel::MessageToValue(*message, ctx);
}

absl::StatusOr<cel::Value> FromJson(const Value& json, const std::string& path,
                                    const ProtoTypes& types, cel::EvalContext& ctx) {
  std::string key;
  const Value* v = nullptr;
  PITBOSS_RETURN_IF_ERROR(SingleKey(json, path, &key, &v));
  const std::string here = absl::StrCat(path, ".", key);
  if (key == "nullValue") {
    if (v->kind_case() != Value::kNullValue &&
        !(v->kind_case() == Value::kStringValue && v->string_value() == "NULL_VALUE")) {
      return PathError(here, "expected null");
    }
    return cel::Value::Null();
  }
  if (key == "boolValue") {
    if (v->kind_case() != Value::kBoolValue) return PathError(here, "expected true or false");
    return cel::Value::Bool(v->bool_value());
  }
  if (key == "int64Value") {
    PITBOSS_ASSIGN_OR_RETURN(int64_t i, JsonInt64(*v, here));
    return cel::Value::Int(i);
  }
  if (key == "uint64Value") {
    PITBOSS_ASSIGN_OR_RETURN(uint64_t u, JsonUint64(*v, here));
    return cel::Value::Uint(u);
  }
  if (key == "doubleValue") {
    PITBOSS_ASSIGN_OR_RETURN(double d, JsonDouble(*v, here));
    return cel::Value::Double(d);
  }
  if (key == "stringValue") {
    if (v->kind_case() != Value::kStringValue) return PathError(here, "expected a string");
    return ctx.String(v->string_value());
  }
  if (key == "bytesValue") {
    if (v->kind_case() != Value::kStringValue) return PathError(here, "expected base64 text");
    std::string bytes;
    if (!absl::Base64Unescape(v->string_value(), &bytes) &&
        !absl::WebSafeBase64Unescape(v->string_value(), &bytes)) {
      return PathError(here, "invalid base64");
    }
    return ctx.Bytes(bytes);
  }
  if (key == "typeValue") {
    if (v->kind_case() != Value::kStringValue || v->string_value().empty()) {
      return PathError(here, "expected a type name");
    }
    return cel::Value::Type(StableTypeName(v->string_value(), types, ctx.arena()));
  }
  if (key == "enumValue") {
    // Enums are ints in CEL (the definition's legacy enum semantics).
    const Value* number = Field(*v, "value");
    if (number == nullptr) return cel::Value::Int(0);
    PITBOSS_ASSIGN_OR_RETURN(int64_t i, JsonInt64(*number, here + ".value"));
    if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
      return PathError(here, "enum value out of int32 range");
    }
    return cel::Value::Int(i);
  }
  if (key == "listValue") {
    if (v->kind_case() != Value::kStructValue) return PathError(here, "expected an object");
    std::vector<cel::Value> elements;
    if (const Value* values = Field(*v, "values")) {
      if (values->kind_case() != Value::kListValue) return PathError(here, "values: expected a list");
      elements.reserve(values->list_value().values_size());
      for (int i = 0; i < values->list_value().values_size(); ++i) {
        PITBOSS_ASSIGN_OR_RETURN(
            cel::Value element,
            FromJson(values->list_value().values(i), absl::StrCat(here, ".values[", i, "]"), types, ctx));
        elements.push_back(element);
      }
    }
    return cel::MakeList(ctx.arena(), elements);
  }
  if (key == "mapValue") {
    if (v->kind_case() != Value::kStructValue) return PathError(here, "expected an object");
    std::vector<cel::MapEntry> entries;
    if (const Value* list = Field(*v, "entries")) {
      if (list->kind_case() != Value::kListValue) return PathError(here, "entries: expected a list");
      for (int i = 0; i < list->list_value().values_size(); ++i) {
        const Value& entry = list->list_value().values(i);
        const std::string at = absl::StrCat(here, ".entries[", i, "]");
        const Value* k = Field(entry, "key");
        const Value* val = Field(entry, "value");
        if (k == nullptr || val == nullptr) return PathError(at, "expected {\"key\", \"value\"}");
        PITBOSS_ASSIGN_OR_RETURN(cel::Value key_value, FromJson(*k, at + ".key", types, ctx));
        PITBOSS_ASSIGN_OR_RETURN(cel::Value value_value, FromJson(*val, at + ".value", types, ctx));
        entries.push_back({key_value, value_value});
      }
    }
    cel::Value map = cel::MakeMap(ctx.arena(), entries);
    if (map.IsError()) return PathError(here, map.error_value().message());
    return map;
  }
  if (key == "objectValue") return ObjectFromJson(*v, here, types, ctx);
  return PathError(path, absl::StrCat("unknown kind \"", key, "\""));
}

// ---- writing ----

// {"@type": URL, ...} for `message` (google.protobuf.Any's JSON form), written
// by hand around the message's own JSON for the same reason as
// MessageFromAnyJson.
absl::Status AppendAnyJson(const google::protobuf::Message& message, const ProtoTypes& types,
                           std::string* out) {
  const std::string& full_name = message.GetDescriptor()->full_name();
  std::string binary;
  if (!message.SerializeToString(&binary)) {
    return absl::InternalError(absl::StrCat("cannot serialize ", full_name));
  }
  std::string json;
  google::protobuf::util::Status status = google::protobuf::util::BinaryToJsonString(
      types.resolver(), absl::StrCat(kTypeUrlPrefix, "/", full_name), binary, &json);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", full_name, " as JSON: ", status.message().ToString()));
  }
  absl::StrAppend(out, "{\"@type\":\"", kTypeUrlPrefix, "/", full_name, "\"");
  if (HasSpecialJson(full_name)) {
    absl::StrAppend(out, ",\"value\":", json, "}");
  } else if (json.size() <= 2) {  // "{}"
    out->append("}");
  } else {
    absl::StrAppend(out, ",", absl::string_view(json).substr(1));
  }
  return absl::OkStatus();
}

absl::Status AppendValue(const cel::Value& value, const ProtoTypes& types, cel::EvalContext& ctx,
                         std::string* out) {
  switch (value.kind()) {
    case cel::ValueKind::kNull:
      out->append("{\"nullValue\":null}");
      return absl::OkStatus();
    case cel::ValueKind::kBool:
      out->append(value.bool_value() ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
      return absl::OkStatus();
    case cel::ValueKind::kInt:
      absl::StrAppend(out, "{\"int64Value\":\"", value.int_value(), "\"}");
      return absl::OkStatus();
    case cel::ValueKind::kUint:
      absl::StrAppend(out, "{\"uint64Value\":\"", value.uint_value(), "\"}");
      return absl::OkStatus();
    case cel::ValueKind::kDouble:
      out->append("{\"doubleValue\":");
      AppendJsonDouble(value.double_value(), out);
      out->append("}");
      return absl::OkStatus();
    case cel::ValueKind::kString:
      out->append("{\"stringValue\":");
      AppendJsonString(value.string_value(), out);
      out->append("}");
      return absl::OkStatus();
    case cel::ValueKind::kBytes:
      out->append("{\"bytesValue\":\"");
      out->append(absl::Base64Escape(value.bytes_value()));
      out->append("\"}");
      return absl::OkStatus();
    case cel::ValueKind::kType:
      out->append("{\"typeValue\":");
      AppendJsonString(value.type_value(), out);
      out->append("}");
      return absl::OkStatus();
    case cel::ValueKind::kTimestamp: {
      google::protobuf::Timestamp ts;
      ts.set_seconds(value.seconds());
      ts.set_nanos(value.nanos());
      out->append("{\"objectValue\":");
      PITBOSS_RETURN_IF_ERROR(AppendAnyJson(ts, types, out));
      out->append("}");
      return absl::OkStatus();
    }
    case cel::ValueKind::kDuration: {
      google::protobuf::Duration d;
      d.set_seconds(value.seconds());
      d.set_nanos(value.nanos());
      out->append("{\"objectValue\":");
      PITBOSS_RETURN_IF_ERROR(AppendAnyJson(d, types, out));
      out->append("}");
      return absl::OkStatus();
    }
    case cel::ValueKind::kMessage:
      out->append("{\"objectValue\":");
      PITBOSS_RETURN_IF_ERROR(AppendAnyJson(*value.message_value(), types, out));
      out->append("}");
      return absl::OkStatus();
    case cel::ValueKind::kList: {
      const cel::ListValue* list = value.list_value();
      out->append("{\"listValue\":{");
      if (list->size() > 0) {
        out->append("\"values\":[");
        for (size_t i = 0; i < list->size(); ++i) {
          if (i > 0) out->push_back(',');
          PITBOSS_RETURN_IF_ERROR(AppendValue(list->Get(i, ctx), types, ctx, out));
        }
        out->append("]");
      }
      out->append("}}");
      return absl::OkStatus();
    }
    case cel::ValueKind::kMap: {
      const cel::MapValue* map = value.map_value();
      out->append("{\"mapValue\":{");
      if (map->size() > 0) {
        out->append("\"entries\":[");
        for (size_t i = 0; i < map->size(); ++i) {
          if (i > 0) out->push_back(',');
          out->append("{\"key\":");
          PITBOSS_RETURN_IF_ERROR(AppendValue(map->KeyAt(i, ctx), types, ctx, out));
          out->append(",\"value\":");
          PITBOSS_RETURN_IF_ERROR(AppendValue(map->ValueAt(i, ctx), types, ctx, out));
          out->append("}");
        }
        out->append("]");
      }
      out->append("}}");
      return absl::OkStatus();
    }
    case cel::ValueKind::kError:
      return absl::InvalidArgumentError(
          absl::StrCat("error value: ", value.error_value().message()));
    case cel::ValueKind::kUnknown:
      return absl::InvalidArgumentError("unknown value");
    case cel::ValueKind::kOptional:
      return absl::InvalidArgumentError("optional values have no cel.expr.Value form");
    case cel::ValueKind::kAny:
      break;
  }
  return absl::InternalError("value of an invalid kind");
}

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t min;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) { n = 2; min = 0x80; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; min = 0x800; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; min = 0x10000; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

absl::StatusOr<google::protobuf::Value> ParseJson(absl::string_view text) {
  google::protobuf::Value value;
  google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &value);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON: ", status.message().ToString()));
  }
  return value;
}

absl::StatusOr<google::protobuf::Message*> MessageFromAnyJson(const google::protobuf::Value& json,
                                                              const ProtoTypes& types,
                                                              google::protobuf::Arena* arena) {
  // Not through google.protobuf.Any's own JSON parser: protobuf 3.21 rejects a
  // packed google.protobuf.ListValue ("value: Cannot find field").
  const Value* type = Field(json, "@type");
  if (type == nullptr || type->kind_case() != Value::kStringValue) {
    return absl::InvalidArgumentError("missing \"@type\"");
  }
  absl::string_view type_name = type->string_value();
  size_t slash = type_name.rfind('/');
  if (slash != absl::string_view::npos) type_name.remove_prefix(slash + 1);
  const google::protobuf::Message* prototype = types.FindPrototype(type_name);
  if (prototype == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown message type ", type_name));
  }
  // Well-known types with a special JSON form carry it under "value"; other
  // messages have their fields next to "@type".
  Value body;
  if (HasSpecialJson(prototype->GetDescriptor()->full_name())) {
    const Value* value = Field(json, "value");
    if (value == nullptr) return absl::InvalidArgumentError("missing \"value\"");
    body = *value;
  } else {
    body = json;
    body.mutable_struct_value()->mutable_fields()->erase("@type");
  }
  std::string text;
  google::protobuf::util::Status printed = google::protobuf::util::MessageToJsonString(body, &text);
  if (!printed.ok()) return absl::InvalidArgumentError(printed.message().ToString());
  std::string binary;
  google::protobuf::util::Status parsed = google::protobuf::util::JsonToBinaryString(
      types.resolver(), absl::StrCat(kTypeUrlPrefix, "/", prototype->GetDescriptor()->full_name()),
      text, &binary);
  if (!parsed.ok()) return absl::InvalidArgumentError(parsed.message().ToString());
  google::protobuf::Message* message = prototype->New(arena);
  if (!message->ParseFromString(binary)) {
    if (arena == nullptr) delete message;
    return absl::InvalidArgumentError(absl::StrCat("cannot parse ", type_name));
  }
  return message;
}

absl::StatusOr<cel::Value> CelValueFromJson(const google::protobuf::Value& json,
                                            const ProtoTypes& types, cel::EvalContext& ctx) {
  return FromJson(json, "$", types, ctx);
}

absl::StatusOr<cel::Value> CelExprValueFromJson(const google::protobuf::Value& json,
                                                const ProtoTypes& types,
                                                cel::EvalContext& ctx) {
  std::string key;
  const Value* v = nullptr;
  PITBOSS_RETURN_IF_ERROR(SingleKey(json, "$", &key, &v));
  if (key == "value") return FromJson(*v, "$.value", types, ctx);
  if (key == "error") {
    std::string message = "error";
    const Value* errors = Field(*v, "errors");
    if (errors != nullptr && errors->kind_case() == Value::kListValue &&
        errors->list_value().values_size() > 0) {
      const Value* m = Field(errors->list_value().values(0), "message");
      if (m != nullptr && m->kind_case() == Value::kStringValue) message = m->string_value();
    }
    return ctx.Error(message);
  }
  if (key == "unknown") {
    std::vector<int64_t> ids;
    const Value* exprs = Field(*v, "exprs");
    if (exprs != nullptr) {
      if (exprs->kind_case() != Value::kListValue) return PathError("$.unknown.exprs", "expected a list");
      for (int i = 0; i < exprs->list_value().values_size(); ++i) {
        PITBOSS_ASSIGN_OR_RETURN(int64_t id, JsonInt64(exprs->list_value().values(i),
                                                       absl::StrCat("$.unknown.exprs[", i, "]")));
        ids.push_back(id);
      }
    }
    return cel::Value::Unknown(ctx.arena(), ids);
  }
  return PathError("$", absl::StrCat("expected \"value\", \"error\" or \"unknown\", got \"", key, "\""));
}

absl::StatusOr<cel::Value> CelValueFromPlainJson(const google::protobuf::Value& json,
                                                 cel::EvalContext& ctx) {
  switch (json.kind_case()) {
    case Value::kNullValue:
      return cel::Value::Null();
    case Value::kBoolValue:
      return cel::Value::Bool(json.bool_value());
    case Value::kNumberValue: {
      double d = json.number_value();
      if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        return cel::Value::Int(static_cast<int64_t>(d));
      }
      return cel::Value::Double(d);
    }
    case Value::kStringValue:
      return ctx.String(json.string_value());
    case Value::kListValue: {
      std::vector<cel::Value> elements;
      elements.reserve(json.list_value().values_size());
      for (const Value& element : json.list_value().values()) {
        PITBOSS_ASSIGN_OR_RETURN(cel::Value v, CelValueFromPlainJson(element, ctx));
        elements.push_back(v);
      }
      return cel::MakeList(ctx.arena(), elements);
    }
    case Value::kStructValue: {
      // Sorted keys: protobuf's map iteration order is unspecified.
      std::vector<const std::string*> keys;
      for (const auto& field : json.struct_value().fields()) keys.push_back(&field.first);
      std::sort(keys.begin(), keys.end(),
                [](const std::string* a, const std::string* b) { return *a < *b; });
      std::vector<cel::MapEntry> entries;
      entries.reserve(keys.size());
      for (const std::string* key : keys) {
        PITBOSS_ASSIGN_OR_RETURN(cel::Value v,
                                 CelValueFromPlainJson(json.struct_value().fields().at(*key), ctx));
        entries.push_back({ctx.String(*key), v});
      }
      return cel::MakeMap(ctx.arena(), entries);
    }
    case Value::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("JSON value without a kind");
}

absl::Status AppendCelValueJson(const cel::Value& value, const ProtoTypes& types,
                                cel::EvalContext& ctx, std::string* out) {
  std::string buffer;
  PITBOSS_RETURN_IF_ERROR(AppendValue(value, types, ctx, &buffer));
  out->append(buffer);
  return absl::OkStatus();
}

void AppendJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD
        ++i;
      } else {
        out->append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

void AppendJsonDouble(double d, std::string* out) {
  if (std::isnan(d)) {
    out->append("\"NaN\"");
    return;
  }
  if (std::isinf(d)) {
    out->append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    return;
  }
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  out->append(buf);
}

}  // namespace cli
}  // namespace pitboss
