// CelType: the static types of the CEL type checker.
//
// The checker assigns one of these to every expression. They follow the
// definition's type system (cel-spec langdef "Gradual Type Checking"):
// primitives, wrapper(prim) for the protobuf wrapper messages (nullable
// primitives), list(T), map(K, V), message types by full name, type(T) for type
// values, named type parameters for generic overloads, dyn (gradual typing),
// null_type and error. Enums are typed as int (the legacy "enums as ints"
// behaviour every conformance case expects). Opaque types (e.g. optional_type)
// carry a name and parameters.
//
// A CelType is a small immutable value: copy it freely. Construction is cheap
// but does allocate for parameterized types; the checker runs once per program.
#ifndef PITBOSS_SRC_CEL_CHECKER_TYPE_H_
#define PITBOSS_SRC_CEL_CHECKER_TYPE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pitboss {
namespace cel {

class CelType {
 public:
  enum class Kind {
    kDyn,
    kError,
    kNull,
    kBool,
    kInt,
    kUint,
    kDouble,
    kString,
    kBytes,
    kTimestamp,
    kDuration,
    kList,       // params: [elem]
    kMap,        // params: [key, value]
    kMessage,    // name: full protobuf message name
    kWrapper,    // params: [primitive]
    kType,       // params: [T] (empty params: the type of all types)
    kTypeParam,  // name: the parameter's name
    kOpaque,     // name + params
  };

  // dyn.
  CelType() : kind_(Kind::kDyn) {}

  static CelType Dyn() { return CelType(Kind::kDyn); }
  static CelType Error() { return CelType(Kind::kError); }
  static CelType Null() { return CelType(Kind::kNull); }
  static CelType Bool() { return CelType(Kind::kBool); }
  static CelType Int() { return CelType(Kind::kInt); }
  static CelType Uint() { return CelType(Kind::kUint); }
  static CelType Double() { return CelType(Kind::kDouble); }
  static CelType String() { return CelType(Kind::kString); }
  static CelType Bytes() { return CelType(Kind::kBytes); }
  static CelType Timestamp() { return CelType(Kind::kTimestamp); }
  static CelType Duration() { return CelType(Kind::kDuration); }
  static CelType List(CelType elem);
  static CelType Map(CelType key, CelType value);
  static CelType Message(absl::string_view full_name);
  // `primitive` must be bool, int, uint, double, string or bytes.
  static CelType Wrapper(CelType primitive);
  // type(T); TypeOfTypes() is the bare `type` (the type of a type value whose
  // parameter is unknown).
  static CelType TypeOf(CelType type);
  static CelType TypeOfTypes() { return CelType(Kind::kType); }
  static CelType Param(absl::string_view name);
  static CelType Opaque(absl::string_view name, std::vector<CelType> params);

  Kind kind() const { return kind_; }
  // Message full name, type parameter name or opaque name; empty otherwise.
  const std::string& name() const;
  const std::vector<CelType>& params() const;

  bool IsDyn() const { return kind_ == Kind::kDyn; }
  bool IsDynOrError() const { return kind_ == Kind::kDyn || kind_ == Kind::kError; }
  bool IsPrimitive() const;  // bool int uint double string bytes
  // list(T) element, map key / value, wrapper primitive, type(T) parameter.
  const CelType& elem() const { return params()[0]; }
  const CelType& key() const { return params()[0]; }
  const CelType& value() const { return params()[1]; }

  // True when the type mentions a type parameter anywhere.
  bool HasTypeParams() const;

  // The definition's spelling: "int", "list(string)", "map(string, dyn)",
  // "google.protobuf.Timestamp", "wrapper(int)", "type(int)", "null_type", "A".
  std::string DebugString() const;

  friend bool operator==(const CelType& a, const CelType& b);
  friend bool operator!=(const CelType& a, const CelType& b) { return !(a == b); }

 private:
  struct Rep {
    std::string name;
    std::vector<CelType> params;
  };
  explicit CelType(Kind kind) : kind_(kind) {}
  CelType(Kind kind, std::string name, std::vector<CelType> params);

  Kind kind_;
  std::shared_ptr<const Rep> rep_;  // null for the parameterless kinds
};

// The CEL type of a well-known protobuf message, by full name: Timestamp,
// Duration, the wrappers, Any / Value (dyn), Struct (map(string, dyn)),
// ListValue (list(dyn)). Returns false for other names.
bool WellKnownCelType(absl::string_view message_name, CelType* out);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_CHECKER_TYPE_H_
