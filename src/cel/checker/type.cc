// CelType construction, equality and spelling (see type.h).
#include "src/cel/checker/type.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cel {
namespace {

const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

const std::vector<CelType>& EmptyParams() {
  static const std::vector<CelType>* const kEmpty = new std::vector<CelType>();
  return *kEmpty;
}

}  // namespace

CelType::CelType(Kind kind, std::string name, std::vector<CelType> params)
    : kind_(kind),
      rep_(std::make_shared<const Rep>(Rep{std::move(name), std::move(params)})) {}

CelType CelType::List(CelType elem) {
  return CelType(Kind::kList, "", {std::move(elem)});
}

CelType CelType::Map(CelType key, CelType value) {
  return CelType(Kind::kMap, "", {std::move(key), std::move(value)});
}

CelType CelType::Message(absl::string_view full_name) {
  return CelType(Kind::kMessage, std::string(full_name), {});
}

CelType CelType::Wrapper(CelType primitive) {
  return CelType(Kind::kWrapper, "", {std::move(primitive)});
}

CelType CelType::TypeOf(CelType type) {
  return CelType(Kind::kType, "", {std::move(type)});
}

CelType CelType::Param(absl::string_view name) {
  return CelType(Kind::kTypeParam, std::string(name), {});
}

CelType CelType::Opaque(absl::string_view name, std::vector<CelType> params) {
  return CelType(Kind::kOpaque, std::string(name), std::move(params));
}

const std::string& CelType::name() const {
  return rep_ != nullptr ? rep_->name : EmptyString();
}

const std::vector<CelType>& CelType::params() const {
  return rep_ != nullptr ? rep_->params : EmptyParams();
}

bool CelType::IsPrimitive() const {
  switch (kind_) {
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kUint:
    case Kind::kDouble:
    case Kind::kString:
    case Kind::kBytes:
      return true;
    default:
      return false;
  }
}

bool CelType::HasTypeParams() const {
  if (kind_ == Kind::kTypeParam) return true;
  for (const CelType& p : params()) {
    if (p.HasTypeParams()) return true;
  }
  return false;
}

std::string CelType::DebugString() const {
  switch (kind_) {
    case Kind::kDyn:
      return "dyn";
    case Kind::kError:
      return "*error*";
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kTimestamp:
      return "google.protobuf.Timestamp";
    case Kind::kDuration:
      return "google.protobuf.Duration";
    case Kind::kList:
      return absl::StrCat("list(", elem().DebugString(), ")");
    case Kind::kMap:
      return absl::StrCat("map(", key().DebugString(), ", ", value().DebugString(), ")");
    case Kind::kMessage:
    case Kind::kTypeParam:
      return name();
    case Kind::kWrapper:
      return absl::StrCat("wrapper(", elem().DebugString(), ")");
    case Kind::kType:
      if (params().empty()) return "type";
      return absl::StrCat("type(", elem().DebugString(), ")");
    case Kind::kOpaque: {
      if (params().empty()) return name();
      std::string out = absl::StrCat(name(), "(");
      for (size_t i = 0; i < params().size(); ++i) {
        if (i > 0) out += ", ";
        out += params()[i].DebugString();
      }
      out += ")";
      return out;
    }
  }
  return "?";
}

bool operator==(const CelType& a, const CelType& b) {
  if (a.kind_ != b.kind_) return false;
  if (a.rep_ == b.rep_) return true;
  return a.name() == b.name() && a.params() == b.params();
}

bool WellKnownCelType(absl::string_view name, CelType* out) {
  constexpr absl::string_view kPrefix = "google.protobuf.";
  if (name.substr(0, kPrefix.size()) != kPrefix) return false;
  absl::string_view n = name.substr(kPrefix.size());
  if (n == "Timestamp") {
    *out = CelType::Timestamp();
  } else if (n == "Duration") {
    *out = CelType::Duration();
  } else if (n == "Any" || n == "Value") {
    *out = CelType::Dyn();
  } else if (n == "Struct") {
    *out = CelType::Map(CelType::String(), CelType::Dyn());
  } else if (n == "ListValue") {
    *out = CelType::List(CelType::Dyn());
  } else if (n == "BoolValue") {
    *out = CelType::Wrapper(CelType::Bool());
  } else if (n == "BytesValue") {
    *out = CelType::Wrapper(CelType::Bytes());
  } else if (n == "DoubleValue" || n == "FloatValue") {
    *out = CelType::Wrapper(CelType::Double());
  } else if (n == "Int32Value" || n == "Int64Value") {
    *out = CelType::Wrapper(CelType::Int());
  } else if (n == "UInt32Value" || n == "UInt64Value") {
    *out = CelType::Wrapper(CelType::Uint());
  } else if (n == "StringValue") {
    *out = CelType::Wrapper(CelType::String());
  } else {
    return false;
  }
  return true;
}

}  // namespace cel
}  // namespace pitboss
