// The CEL type checker: infers a type for every expression of a parsed AST,
// resolves identifiers (variables, enum constants, type names, container-
// qualified names) and picks the overloads of every call.
//
// It implements the definition's gradual type checking: dyn is compatible with
// everything, generic overloads unify type parameters per call, list and map
// literals join element types (falling back to dyn), comprehension variables
// are scoped to their loop. Name resolution follows langdef "Name Resolution":
// in container "a.b", name "x.y" is tried as "a.b.x.y", "a.x.y", "x.y"; a
// leading dot (".x.y") only tries the root; for `a.b.c` the longest prefix that
// names a declaration wins over field selection.
//
// The result annotates ids (the planner reads them): types, and references —
// for identifiers (and Select chains that resolved as a qualified name) the
// declaration they name, for calls the matching overload ids, for message
// literals the message's full name.
#ifndef PITBOSS_SRC_CEL_CHECKER_CHECKER_H_
#define PITBOSS_SRC_CEL_CHECKER_CHECKER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/cel/ast.h"
#include "src/cel/checker/decls.h"
#include "src/cel/checker/type.h"
#include "src/cel/checker/type_provider.h"

namespace pitboss {
namespace cel {

// What an identifier, qualified name, call or message literal resolved to.
struct Reference {
  enum class Kind { kVariable, kEnumConstant, kType, kFunction, kMessage };
  Kind kind = Kind::kVariable;
  // Variable name, type name, function name or message full name (no dot).
  std::string name;
  // Calls: the overloads that may apply (one when the types pinned it).
  std::vector<std::string> overload_ids;
  // kFunction with a receiver that turned out to be a namespace
  // (`math.abs(x)`): the call is global; the target expression is not a value.
  bool namespaced_call = false;
  int64_t enum_value = 0;  // kEnumConstant
  CelType type;            // kType: the type denoted (the value is type(type))
};

struct CheckedExpr {
  absl::flat_hash_map<int64_t, CelType> types;
  absl::flat_hash_map<int64_t, Reference> references;
  CelType result_type;
};

// The declarations and options a check runs against. Thread-compatible; the
// pointers it is built from must outlive it.
class CheckerEnv {
 public:
  explicit CheckerEnv(const TypeProvider* provider) : provider_(provider) {}

  void set_container(absl::string_view container) { container_ = std::string(container); }
  const std::string& container() const { return container_; }
  const TypeProvider& provider() const { return *provider_; }

  // Later declarations of the same variable replace earlier ones.
  void AddVariable(const VariableDecl& decl) { variables_[decl.name] = decl.type; }
  // Overloads of a function declared twice are merged (ids must differ).
  void AddFunction(const FunctionDecl& decl);
  void AddFunctions(const std::vector<FunctionDecl>& decls) {
    for (const FunctionDecl& d : decls) AddFunction(d);
  }

  // A type name usable as a type value beyond the standard ones (e.g.
  // optional_type): `name` denotes `type`.
  void AddTypeName(absl::string_view name, CelType type) {
    type_names_[name] = std::move(type);
  }

  const CelType* FindVariable(absl::string_view name) const;
  const FunctionDecl* FindFunction(absl::string_view name) const;
  const CelType* FindTypeName(absl::string_view name) const;

  // Candidate spellings of `name` in the container, most specific first
  // ("a.b.x", "a.x", "x"); a leading dot yields just the rest.
  std::vector<std::string> Candidates(absl::string_view name) const;

 private:
  const TypeProvider* provider_;
  std::string container_;
  absl::flat_hash_map<std::string, CelType> variables_;
  absl::flat_hash_map<std::string, FunctionDecl> functions_;
  absl::flat_hash_map<std::string, CelType> type_names_;
};

struct CheckOptions {
  // Rule mode: the result must be bool (or dyn).
  bool require_bool_result = false;
};

// One error with its position (1-based line and column, 0 when unknown).
struct CheckIssue {
  int32_t line = 0;
  int32_t column = 0;
  std::string message;
};

// Checks `parsed`. On type errors returns InvalidArgument whose message holds
// one "ERROR: <input>:L:C: message" line plus a snippet per error.
absl::StatusOr<CheckedExpr> Check(const ParsedExpr& parsed, const CheckerEnv& env,
                                  const CheckOptions& options = {});

// Same, but returns the issues instead of a formatted status (for tests and
// tools); `out` is filled only when the list is empty.
std::vector<CheckIssue> CheckWithIssues(const ParsedExpr& parsed, const CheckerEnv& env,
                                        const CheckOptions& options, CheckedExpr* out);

// "ERROR: <input>:L:C: message\n | line\n | ...^" for one position.
std::string FormatIssue(const SourceInfo& source_info, int32_t line, int32_t column,
                        absl::string_view message);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_CHECKER_CHECKER_H_
