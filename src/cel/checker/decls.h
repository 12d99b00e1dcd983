// Declarations the type checker resolves names against: variables and
// functions with overloads.
//
// An overload has an id (the definition's overload id, e.g. "add_int64", the
// key of CEL-VALUES' function registry), its parameter types (the receiver
// first for receiver-style `x.f(y)` overloads), a result type, and may be
// generic through type parameters (CelType::Param) that the checker unifies per
// call.
#ifndef PITBOSS_SRC_CEL_CHECKER_DECLS_H_
#define PITBOSS_SRC_CEL_CHECKER_DECLS_H_

#include <string>
#include <vector>

#include "src/cel/checker/type.h"

namespace pitboss {
namespace cel {

struct VariableDecl {
  std::string name;  // may be qualified, e.g. "request.auth"
  CelType type;
};

struct OverloadDecl {
  std::string id;
  std::vector<CelType> params;  // receiver first when `member`
  CelType result;
  bool member = false;  // receiver-style: x.f(...)
};

struct FunctionDecl {
  std::string name;  // e.g. "_+_", "size", "math.abs"
  std::vector<OverloadDecl> overloads;
};

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_CHECKER_DECLS_H_
