// Protobuf reflection <-> CEL values (see proto_value.h).
#include "src/cel/common/proto_value.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "src/cel/common/map_key.h"
#include "src/common/status_macros.h"
#include "src/cel/common/time_util.h"

namespace pitboss {
namespace cel {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

google::protobuf::MessageFactory* FallbackFactory() {
  static auto* factory = new google::protobuf::DynamicMessageFactory();
  return factory;
}

const Message* PrototypeFor(const Descriptor* d, EvalContext& ctx) {
  const Message* proto = nullptr;
  if (d->file()->pool() == ctx.pool()) proto = ctx.factory()->GetPrototype(d);
  if (proto == nullptr && d->file()->pool() == DescriptorPool::generated_pool()) {
    proto = google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
  }
  if (proto == nullptr) proto = FallbackFactory()->GetPrototype(d);
  return proto;
}

bool IsNullValueEnum(const FieldDescriptor* f) {
  return f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM &&
         f->enum_type()->full_name() == "google.protobuf.NullValue";
}

Value StringField(const Message& m, const FieldDescriptor* f, int index, EvalContext& ctx) {
  const Reflection* r = m.GetReflection();
  std::string scratch;
  const std::string& s = index < 0 ? r->GetStringReference(m, f, &scratch)
                                   : r->GetRepeatedStringReference(m, f, index, &scratch);
  const bool bytes = f->type() == FieldDescriptor::TYPE_BYTES;
  if (&s == &scratch) return bytes ? ctx.Bytes(s) : ctx.String(s);
  return bytes ? Value::BytesView(s) : Value::StringView(s);
}

// Singular (index < 0) or repeated element value of a non-map field.
Value FieldElement(const Message& m, const FieldDescriptor* f, int index, EvalContext& ctx) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return Value::Int(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return Value::Int(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return Value::Uint(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return Value::Uint(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Value::Double(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Value::Double(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return Value::Bool(rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f));
    case FieldDescriptor::CPPTYPE_ENUM:
      if (IsNullValueEnum(f)) return Value::Null();
      return Value::Int(rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f));
    case FieldDescriptor::CPPTYPE_STRING:
      return StringField(m, f, index, ctx);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!rep && !r->HasField(m, f)) {
        WellKnownType w = GetWellKnownType(f->message_type());
        if (IsWrapperType(w) || w == WellKnownType::kValue || w == WellKnownType::kAny) {
          return Value::Null();
        }
      }
      const Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      return MessageToValue(&sub, ctx);
    }
  }
  return ctx.Error("unsupported field type");
}

class RepeatedFieldList final : public ListValue {
 public:
  RepeatedFieldList(const Message* m, const FieldDescriptor* f) : m_(m), f_(f) {}
  size_t size() const override {
    return static_cast<size_t>(m_->GetReflection()->FieldSize(*m_, f_));
  }
  Value Get(size_t i, EvalContext& ctx) const override {
    return FieldElement(*m_, f_, static_cast<int>(i), ctx);
  }
  // Strings and 64-bit/32-bit signed integers compare straight from reflection.
  int FastContains(const Value& v) const override {
    const Reflection* r = m_->GetReflection();
    const int n = r->FieldSize(*m_, f_);
    if (v.IsString() && f_->type() == FieldDescriptor::TYPE_STRING) {
      std::string scratch;
      for (int i = 0; i < n; ++i) {
        if (r->GetRepeatedStringReference(*m_, f_, i, &scratch) == v.string_value()) return 1;
      }
      return 0;
    }
    if (v.IsInt() && f_->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      for (int i = 0; i < n; ++i) {
        if (r->GetRepeatedInt64(*m_, f_, i) == v.int_value()) return 1;
      }
      return 0;
    }
    if (v.IsInt() && f_->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
      for (int i = 0; i < n; ++i) {
        if (r->GetRepeatedInt32(*m_, f_, i) == v.int_value()) return 1;
      }
      return 0;
    }
    return -1;
  }

 private:
  const Message* m_;
  const FieldDescriptor* f_;
};

// A protobuf map field (also google.protobuf.Struct's `fields`).
class MapFieldMap final : public MapValue {
 public:
  MapFieldMap(const Message* m, const FieldDescriptor* f)
      : m_(m), f_(f), key_(f->message_type()->map_key()), value_(f->message_type()->map_value()) {}
  size_t size() const override {
    return static_cast<size_t>(m_->GetReflection()->FieldSize(*m_, f_));
  }
  bool Find(const Value& key, EvalContext& ctx, Value* out) const override {
    if (!IsLookupKeyKind(key.kind())) return false;
    const size_t n = size();
    for (size_t i = 0; i < n; ++i) {
      const Message& entry = Entry(i);
      if (MapKeyEquals(FieldElement(entry, key_, -1, ctx), key)) {
        *out = FieldElement(entry, value_, -1, ctx);
        return true;
      }
    }
    return false;
  }
  Value KeyAt(size_t i, EvalContext& ctx) const override {
    return FieldElement(Entry(i), key_, -1, ctx);
  }
  Value ValueAt(size_t i, EvalContext& ctx) const override {
    return FieldElement(Entry(i), value_, -1, ctx);
  }

 private:
  const Message& Entry(size_t i) const {
    return m_->GetReflection()->GetRepeatedMessage(*m_, f_, static_cast<int>(i));
  }
  const Message* m_;
  const FieldDescriptor* f_;
  const FieldDescriptor* key_;
  const FieldDescriptor* value_;
};

Value UnpackAny(const Message& any, EvalContext& ctx) {
  const Descriptor* d = any.GetDescriptor();
  const Reflection* r = any.GetReflection();
  std::string url_scratch, value_scratch;
  const std::string& url = r->GetStringReference(any, d->FindFieldByNumber(1), &url_scratch);
  const std::string& bytes = r->GetStringReference(any, d->FindFieldByNumber(2), &value_scratch);
  size_t slash = url.rfind('/');
  if (url.empty() || slash == std::string::npos) {
    return ctx.Error(absl::StrCat("invalid type URL in google.protobuf.Any: \"", url, "\""));
  }
  std::string name = url.substr(slash + 1);
  const Descriptor* target = d->file()->pool()->FindMessageTypeByName(name);
  if (target == nullptr) target = ctx.pool()->FindMessageTypeByName(name);
  if (target == nullptr) return ctx.Error(absl::StrCat("unknown type in Any: ", name));
  Message* unpacked = PrototypeFor(target, ctx)->New(ctx.arena());
  if (!unpacked->ParseFromString(bytes)) {
    return ctx.Error(absl::StrCat("failed to unpack Any of type ", name));
  }
  return MessageToValue(unpacked, ctx);
}

Value FromJsonValue(const Message& m, EvalContext& ctx) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* set = r->GetOneofFieldDescriptor(m, d->oneof_decl(0));
  if (set == nullptr) return Value::Null();
  switch (set->number()) {
    case 1: return Value::Null();
    case 2: return Value::Double(r->GetDouble(m, set));
    case 3: return StringField(m, set, -1, ctx);
    case 4: return Value::Bool(r->GetBool(m, set));
    default: return MessageToValue(&r->GetMessage(m, set), ctx);  // struct / list
  }
}

// ---- Writing ----

absl::Status TypeMismatch(const FieldDescriptor* f, const Value& v) {
  return absl::InvalidArgumentError(absl::StrCat("type mismatch for field '", f->name(),
                                                 "': got ", v.TypeName()));
}
absl::Status RangeError() { return absl::OutOfRangeError("range"); }

Message* NewOfType(absl::string_view name, const DescriptorPool* pool, EvalContext& ctx) {
  const Descriptor* d = pool->FindMessageTypeByName(std::string(name));
  if (d == nullptr) d = ctx.pool()->FindMessageTypeByName(std::string(name));
  if (d == nullptr) d = DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(name));
  if (d == nullptr) return nullptr;
  return PrototypeFor(d, ctx)->New(ctx.arena());
}

// Adds (repeated) or sets (singular) a scalar or message.
absl::Status StoreElement(Message* m, const FieldDescriptor* f, const Value& v, EvalContext& ctx) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      if (!v.IsInt()) return TypeMismatch(f, v);
      int64_t i = v.int_value();
      if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
        return RangeError();
      }
      rep ? r->AddInt32(m, f, static_cast<int32_t>(i)) : r->SetInt32(m, f, static_cast<int32_t>(i));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64:
      if (!v.IsInt()) return TypeMismatch(f, v);
      rep ? r->AddInt64(m, f, v.int_value()) : r->SetInt64(m, f, v.int_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_UINT32: {
      if (!v.IsUint()) return TypeMismatch(f, v);
      if (v.uint_value() > std::numeric_limits<uint32_t>::max()) return RangeError();
      uint32_t u = static_cast<uint32_t>(v.uint_value());
      rep ? r->AddUInt32(m, f, u) : r->SetUInt32(m, f, u);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      if (!v.IsUint()) return TypeMismatch(f, v);
      rep ? r->AddUInt64(m, f, v.uint_value()) : r->SetUInt64(m, f, v.uint_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_FLOAT: {
      if (!v.IsDouble()) return TypeMismatch(f, v);
      // Out-of-range doubles become +-infinity (a plain cast would be UB).
      const double d = v.double_value();
      float x;
      if (d > std::numeric_limits<float>::max()) {
        x = std::numeric_limits<float>::infinity();
      } else if (d < std::numeric_limits<float>::lowest()) {
        x = -std::numeric_limits<float>::infinity();
      } else {
        x = static_cast<float>(d);
      }
      rep ? r->AddFloat(m, f, x) : r->SetFloat(m, f, x);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
      if (!v.IsDouble()) return TypeMismatch(f, v);
      rep ? r->AddDouble(m, f, v.double_value()) : r->SetDouble(m, f, v.double_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!v.IsBool()) return TypeMismatch(f, v);
      rep ? r->AddBool(m, f, v.bool_value()) : r->SetBool(m, f, v.bool_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_ENUM: {
      int64_t i;
      if (IsNullValueEnum(f) && v.IsNull()) {
        i = 0;
      } else if (v.IsInt()) {
        i = v.int_value();
      } else {
        return TypeMismatch(f, v);
      }
      if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
        return RangeError();
      }
      rep ? r->AddEnumValue(m, f, static_cast<int>(i)) : r->SetEnumValue(m, f, static_cast<int>(i));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const bool bytes = f->type() == FieldDescriptor::TYPE_BYTES;
      if (bytes ? !v.IsBytes() : !v.IsString()) return TypeMismatch(f, v);
      std::string s(bytes ? v.bytes_value() : v.string_value());
      rep ? r->AddString(m, f, std::move(s)) : r->SetString(m, f, std::move(s));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      Message* sub = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      return ValueToMessage(v, sub, ctx);
    }
  }
  return absl::InvalidArgumentError("unsupported field type");
}

absl::Status SetJsonValue(const Value& v, Message* out, EvalContext& ctx) {
  const Descriptor* d = out->GetDescriptor();
  const Reflection* r = out->GetReflection();
  switch (v.kind()) {
    case ValueKind::kNull:
      r->SetEnumValue(out, d->FindFieldByNumber(1), 0);
      return absl::OkStatus();
    case ValueKind::kBool:
      r->SetBool(out, d->FindFieldByNumber(4), v.bool_value());
      return absl::OkStatus();
    case ValueKind::kInt: {
      int64_t i = v.int_value();
      constexpr int64_t kMaxSafe = (int64_t{1} << 53) - 1;
      if (i < -kMaxSafe || i > kMaxSafe) {
        r->SetString(out, d->FindFieldByNumber(3), absl::StrCat(i));
      } else {
        r->SetDouble(out, d->FindFieldByNumber(2), static_cast<double>(i));
      }
      return absl::OkStatus();
    }
    case ValueKind::kUint: {
      uint64_t u = v.uint_value();
      if (u > (uint64_t{1} << 53) - 1) {
        r->SetString(out, d->FindFieldByNumber(3), absl::StrCat(u));
      } else {
        r->SetDouble(out, d->FindFieldByNumber(2), static_cast<double>(u));
      }
      return absl::OkStatus();
    }
    case ValueKind::kDouble:
      r->SetDouble(out, d->FindFieldByNumber(2), v.double_value());
      return absl::OkStatus();
    case ValueKind::kString:
      r->SetString(out, d->FindFieldByNumber(3), std::string(v.string_value()));
      return absl::OkStatus();
    case ValueKind::kBytes:
      r->SetString(out, d->FindFieldByNumber(3), absl::Base64Escape(v.bytes_value()));
      return absl::OkStatus();
    case ValueKind::kTimestamp:
      r->SetString(out, d->FindFieldByNumber(3), FormatTimestamp(v.seconds(), v.nanos()));
      return absl::OkStatus();
    case ValueKind::kDuration:
      r->SetString(out, d->FindFieldByNumber(3), FormatDuration(v.seconds(), v.nanos()));
      return absl::OkStatus();
    case ValueKind::kMap:
      return ValueToMessage(v, r->MutableMessage(out, d->FindFieldByNumber(5)), ctx);
    case ValueKind::kList:
      return ValueToMessage(v, r->MutableMessage(out, d->FindFieldByNumber(6)), ctx);
    case ValueKind::kMessage: {
      // Other messages through their proto3 JSON form (FieldMask -> "a,b",
      // Empty -> {}, ordinary messages -> objects).
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(*v.message_value(), &json).ok() ||
          !google::protobuf::util::JsonStringToMessage(json, out).ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("cannot convert ", v.TypeName(), " to google.protobuf.Value"));
      }
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("cannot convert ", v.TypeName(), " to google.protobuf.Value"));
  }
}

// The well-known type that packs `v` into an Any.
absl::string_view AnyTypeFor(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kBool: return "google.protobuf.BoolValue";
    case ValueKind::kInt: return "google.protobuf.Int64Value";
    case ValueKind::kUint: return "google.protobuf.UInt64Value";
    case ValueKind::kDouble: return "google.protobuf.DoubleValue";
    case ValueKind::kString: return "google.protobuf.StringValue";
    case ValueKind::kBytes: return "google.protobuf.BytesValue";
    case ValueKind::kTimestamp: return "google.protobuf.Timestamp";
    case ValueKind::kDuration: return "google.protobuf.Duration";
    case ValueKind::kList: return "google.protobuf.ListValue";
    case ValueKind::kMap: return "google.protobuf.Struct";
    case ValueKind::kNull: return "google.protobuf.Value";
    default: return "";
  }
}

}  // namespace

WellKnownType GetWellKnownType(const Descriptor* d) {
  const std::string& n = d->full_name();
  if (!absl::StartsWith(n, "google.protobuf.")) return WellKnownType::kNone;
  absl::string_view s = absl::string_view(n).substr(16);
  if (s == "Timestamp") return WellKnownType::kTimestamp;
  if (s == "Duration") return WellKnownType::kDuration;
  if (s == "BoolValue") return WellKnownType::kBoolValue;
  if (s == "Int32Value") return WellKnownType::kInt32Value;
  if (s == "Int64Value") return WellKnownType::kInt64Value;
  if (s == "UInt32Value") return WellKnownType::kUInt32Value;
  if (s == "UInt64Value") return WellKnownType::kUInt64Value;
  if (s == "FloatValue") return WellKnownType::kFloatValue;
  if (s == "DoubleValue") return WellKnownType::kDoubleValue;
  if (s == "StringValue") return WellKnownType::kStringValue;
  if (s == "BytesValue") return WellKnownType::kBytesValue;
  if (s == "Struct") return WellKnownType::kStruct;
  if (s == "Value") return WellKnownType::kValue;
  if (s == "ListValue") return WellKnownType::kListValue;
  if (s == "Any") return WellKnownType::kAny;
  return WellKnownType::kNone;
}

Value MessageToValue(const Message* m, EvalContext& ctx) {
  const Descriptor* d = m->GetDescriptor();
  WellKnownType w = GetWellKnownType(d);
  switch (w) {
    case WellKnownType::kNone:
      return Value::Message(m);
    case WellKnownType::kTimestamp:
    case WellKnownType::kDuration: {
      const Reflection* r = m->GetReflection();
      int64_t seconds = r->GetInt64(*m, d->FindFieldByNumber(1));
      int64_t nanos = r->GetInt32(*m, d->FindFieldByNumber(2));
      return w == WellKnownType::kTimestamp ? MakeTimestamp(ctx.arena(), seconds, nanos)
                                            : MakeDuration(ctx.arena(), seconds, nanos);
    }
    case WellKnownType::kStruct:
      return Value::Map(google::protobuf::Arena::Create<MapFieldMap>(ctx.arena(), m,
                                                                     d->FindFieldByNumber(1)));
    case WellKnownType::kListValue:
      return Value::List(google::protobuf::Arena::Create<RepeatedFieldList>(
          ctx.arena(), m, d->FindFieldByNumber(1)));
    case WellKnownType::kValue:
      return FromJsonValue(*m, ctx);
    case WellKnownType::kAny:
      return UnpackAny(*m, ctx);
    default:  // wrappers
      return FieldElement(*m, d->FindFieldByNumber(1), -1, ctx);
  }
}

Value GetField(const Message& m, const FieldDescriptor* f, EvalContext& ctx) {
  if (f->is_map()) {
    return Value::Map(google::protobuf::Arena::Create<MapFieldMap>(ctx.arena(), &m, f));
  }
  if (f->is_repeated()) {
    return Value::List(google::protobuf::Arena::Create<RepeatedFieldList>(ctx.arena(), &m, f));
  }
  return FieldElement(m, f, -1, ctx);
}

Value GetFieldByName(const Message& m, absl::string_view name, EvalContext& ctx) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr) return ctx.Error(absl::StrCat("no such field: '", name, "'"));
  return GetField(m, f, ctx);
}

bool HasField(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) return r->FieldSize(m, f) > 0;
  return r->HasField(m, f);
}

Value HasFieldByName(const Message& m, absl::string_view name, EvalContext& ctx) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr) return ctx.Error(absl::StrCat("no such field: '", name, "'"));
  return Value::Bool(HasField(m, f));
}

absl::Status SetField(Message* m, const FieldDescriptor* f, const Value& v, EvalContext& ctx) {
  if (v.IsErrorOrUnknown()) return absl::InvalidArgumentError("error or unknown field value");
  const Reflection* r = m->GetReflection();
  if (f->is_map()) {
    if (!v.IsMap()) return TypeMismatch(f, v);
    const MapValue* map = v.map_value();
    const FieldDescriptor* kf = f->message_type()->map_key();
    const FieldDescriptor* vf = f->message_type()->map_value();
    for (size_t i = 0; i < map->size(); ++i) {
      Message* entry = r->AddMessage(m, f);
      PITBOSS_RETURN_IF_ERROR(StoreElement(entry, kf, map->KeyAt(i, ctx), ctx));
      Value val = map->ValueAt(i, ctx);
      if (val.IsNull() && vf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          GetWellKnownType(vf->message_type()) != WellKnownType::kValue) {
        continue;  // null message value: leave the entry's value empty
      }
      PITBOSS_RETURN_IF_ERROR(StoreElement(entry, vf, val, ctx));
    }
    return absl::OkStatus();
  }
  if (f->is_repeated()) {
    if (!v.IsList()) return TypeMismatch(f, v);
    const ListValue* list = v.list_value();
    for (size_t i = 0; i < list->size(); ++i) {
      PITBOSS_RETURN_IF_ERROR(StoreElement(m, f, list->Get(i, ctx), ctx));
    }
    return absl::OkStatus();
  }
  if (v.IsNull() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    WellKnownType w = GetWellKnownType(f->message_type());
    if (w == WellKnownType::kListValue || w == WellKnownType::kStruct) {
      return absl::InvalidArgumentError("unsupported field type");
    }
    if (w != WellKnownType::kValue) {
      r->ClearField(m, f);  // null leaves a message (or wrapper) field unset
      return absl::OkStatus();
    }
  }
  return StoreElement(m, f, v, ctx);
}

absl::Status ValueToMessage(const Value& v, Message* out, EvalContext& ctx) {
  const Descriptor* d = out->GetDescriptor();
  const Reflection* r = out->GetReflection();
  WellKnownType w = GetWellKnownType(d);
  if (v.IsMessage() && v.message_value()->GetDescriptor()->full_name() == d->full_name()) {
    if (v.message_value()->GetDescriptor() == d) {
      out->CopyFrom(*v.message_value());
    } else if (!out->ParseFromString(v.message_value()->SerializeAsString())) {
      return absl::InternalError("failed to copy message");
    }
    return absl::OkStatus();
  }
  switch (w) {
    case WellKnownType::kTimestamp:
    case WellKnownType::kDuration: {
      if (v.kind() != (w == WellKnownType::kTimestamp ? ValueKind::kTimestamp : ValueKind::kDuration)) {
        return absl::InvalidArgumentError(
            absl::StrCat("type mismatch: expected ", d->full_name(), ", got ", v.TypeName()));
      }
      r->SetInt64(out, d->FindFieldByNumber(1), v.seconds());
      r->SetInt32(out, d->FindFieldByNumber(2), v.nanos());
      return absl::OkStatus();
    }
    case WellKnownType::kValue:
      return SetJsonValue(v, out, ctx);
    case WellKnownType::kStruct: {
      if (!v.IsMap()) {
        return absl::InvalidArgumentError(
            absl::StrCat("type mismatch: expected google.protobuf.Struct, got ", v.TypeName()));
      }
      const MapValue* map = v.map_value();
      const FieldDescriptor* fields = d->FindFieldByNumber(1);
      for (size_t i = 0; i < map->size(); ++i) {
        Value key = map->KeyAt(i, ctx);
        if (!key.IsString()) return absl::InvalidArgumentError("bad key type");
        Message* entry = r->AddMessage(out, fields);
        const Descriptor* ed = entry->GetDescriptor();
        entry->GetReflection()->SetString(entry, ed->map_key(), std::string(key.string_value()));
        PITBOSS_RETURN_IF_ERROR(ValueToMessage(
            map->ValueAt(i, ctx), entry->GetReflection()->MutableMessage(entry, ed->map_value()),
            ctx));
      }
      return absl::OkStatus();
    }
    case WellKnownType::kListValue: {
      if (!v.IsList()) {
        return absl::InvalidArgumentError(
            absl::StrCat("type mismatch: expected google.protobuf.ListValue, got ", v.TypeName()));
      }
      const ListValue* list = v.list_value();
      const FieldDescriptor* values = d->FindFieldByNumber(1);
      for (size_t i = 0; i < list->size(); ++i) {
        PITBOSS_RETURN_IF_ERROR(ValueToMessage(list->Get(i, ctx), r->AddMessage(out, values), ctx));
      }
      return absl::OkStatus();
    }
    case WellKnownType::kAny: {
      const Message* payload = nullptr;
      if (v.IsMessage()) {
        payload = v.message_value();
      } else {
        absl::string_view type = AnyTypeFor(v);
        Message* wrapped = type.empty() ? nullptr : NewOfType(type, d->file()->pool(), ctx);
        if (wrapped == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat("cannot pack ", v.TypeName(), " into google.protobuf.Any"));
        }
        PITBOSS_RETURN_IF_ERROR(ValueToMessage(v, wrapped, ctx));
        payload = wrapped;
      }
      r->SetString(out, d->FindFieldByNumber(1),
                   absl::StrCat(kTypeUrlPrefix, payload->GetDescriptor()->full_name()));
      r->SetString(out, d->FindFieldByNumber(2), payload->SerializeAsString());
      return absl::OkStatus();
    }
    case WellKnownType::kNone:
      return absl::InvalidArgumentError(
          absl::StrCat("type mismatch: expected ", d->full_name(), ", got ", v.TypeName()));
    default:  // wrappers
      return StoreElement(out, d->FindFieldByNumber(1), v, ctx);
  }
}

Value NewMessage(const Descriptor* d, absl::Span<const FieldInit> fields, EvalContext& ctx) {
  for (const FieldInit& init : fields) {
    if (init.value.IsErrorOrUnknown()) return init.value;
  }
  Message* m = PrototypeFor(d, ctx)->New(ctx.arena());
  for (const FieldInit& init : fields) {
    const FieldDescriptor* f = d->FindFieldByName(std::string(init.name));
    if (f == nullptr) return ctx.Error(absl::StrCat("no such field: '", init.name, "'"));
    absl::Status s = SetField(m, f, init.value, ctx);
    if (!s.ok()) return ctx.Error(std::move(s));
  }
  return MessageToValue(m, ctx);
}

Value NewMessage(absl::string_view type_name, absl::Span<const FieldInit> fields,
                 EvalContext& ctx) {
  const Descriptor* d = ctx.pool()->FindMessageTypeByName(std::string(type_name));
  if (d == nullptr) return ctx.Error(absl::StrCat("unknown message type: ", type_name));
  return NewMessage(d, fields, ctx);
}

}  // namespace cel
}  // namespace pitboss
