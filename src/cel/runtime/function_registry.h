// The CEL function registry: overloads keyed by the definition's overload ids
// ("add_int64", "size_string", "timestamp_to_year_with_tz", ...), and runtime
// dispatch by argument kinds for unchecked evaluation.
//
// An Overload is plain data: function name ("_+_", "size", "math.abs"), id,
// receiver-style flag (x.f(y) vs f(x, y)), the runtime kinds of its arguments
// (ValueKind::kAny accepts every kind), strictness, and a function pointer.
// Strict overloads never see error or unknown arguments: Invoke/Dispatch merge
// unknown arguments into one unknown (unknowns win over errors) and otherwise
// return the first error argument. Non-strict overloads (&&, ||, ?:,
// @not_strictly_false) receive them and implement the absorption rules.
//
// Thread-safety: registration is thread-compatible; a registry that is no
// longer modified (e.g. StandardRegistry()) is thread-safe to read.
#ifndef PITBOSS_SRC_CEL_RUNTIME_FUNCTION_REGISTRY_H_
#define PITBOSS_SRC_CEL_RUNTIME_FUNCTION_REGISTRY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

// Arguments include the receiver first for receiver-style calls.
using FunctionImpl = Value (*)(absl::Span<const Value> args, EvalContext& ctx);

inline constexpr size_t kMaxOverloadArity = 4;

struct Overload {
  std::string function;  // "_+_", "size", "startsWith", "math.abs"
  std::string id;        // "add_int64"
  bool receiver_style = false;
  std::vector<ValueKind> arg_kinds;  // kAny matches every kind
  FunctionImpl impl = nullptr;
  bool strict = true;

  size_t arity() const { return arg_kinds.size(); }
  // Whether `args` have the kinds this overload accepts.
  bool Matches(absl::Span<const Value> args) const;
};

class FunctionRegistry {
 public:
  FunctionRegistry() = default;
  FunctionRegistry(const FunctionRegistry&) = delete;
  FunctionRegistry& operator=(const FunctionRegistry&) = delete;

  // Fails (AlreadyExists) on a duplicate id. Overloads with identical runtime
  // kinds are allowed (dynamic dispatch picks the first registered).
  absl::Status Register(Overload overload);

  // The overload with `id`, or null.
  const Overload* FindById(absl::string_view id) const;

  // All overloads of `function` with this style and arity (registration order).
  std::vector<const Overload*> FindOverloads(absl::string_view function, bool receiver_style,
                                             size_t arity) const;

  // The first overload of `function` whose kinds match `args`, or null.
  const Overload* Resolve(absl::string_view function, bool receiver_style,
                          absl::Span<const Value> args) const;

  // Every registered overload id (registration order).
  std::vector<std::string> OverloadIds() const;
  size_t size() const { return overloads_.size(); }

  // Unchecked call: propagates error/unknown arguments (for strict overloads),
  // resolves by runtime kinds and invokes; "no such overload" when nothing
  // matches.
  Value Dispatch(absl::string_view function, bool receiver_style, absl::Span<const Value> args,
                 EvalContext& ctx) const;

 private:
  std::vector<std::unique_ptr<Overload>> overloads_;
  absl::flat_hash_map<std::string, const Overload*> by_id_;
  // Overloads by function name (registration order); lookups by string_view
  // do not allocate.
  absl::flat_hash_map<std::string, std::vector<const Overload*>> by_function_;
};

// Error/unknown argument propagation for strict calls: returns true and sets
// `out` (merged unknown, else the first error) when any argument is an error
// or unknown.
bool PropagateErrorOrUnknown(absl::Span<const Value> args, EvalContext& ctx, Value* out);

// Calls `overload` with strict propagation applied.
Value Invoke(const Overload& overload, absl::Span<const Value> args, EvalContext& ctx);

// Registers the standard library (standard_library.cc).
absl::Status RegisterStandardFunctions(FunctionRegistry* registry);
// The strings extension (strings_extension.cc).
absl::Status RegisterStringsExtension(FunctionRegistry* registry);
// The math extension (math_extension.cc).
absl::Status RegisterMathExtension(FunctionRegistry* registry);

// Optional values (optional.of/none/ofNonZeroValue, hasValue, value, or,
// orValue, `_?._`, `_[?_]`, indexing an optional) under cel-go's ids
// (optional_library.cc). Not part of StandardRegistry(): opt in together with
// checker declarations for the same ids.
absl::Status RegisterOptionalFunctions(FunctionRegistry* registry);
// base64.encode / base64.decode (encoders_extension.cc); opt-in like optionals.
absl::Status RegisterEncodersExtension(FunctionRegistry* registry);

// Standard library + strings + math, built once; immutable and thread-safe.
const FunctionRegistry& StandardRegistry();
// StandardRegistry()'s functions plus the opt-in ones: optional values and/or
// the encoders extension. Built once per combination; immutable and
// thread-safe. (false, false) is StandardRegistry().
const FunctionRegistry& StandardRegistryWith(bool optional_values, bool encoders);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_RUNTIME_FUNCTION_REGISTRY_H_
