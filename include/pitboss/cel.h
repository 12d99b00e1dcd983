// The public C++ API of pitboss's CEL (Common Expression Language) engine.
//
// Compile once, evaluate many:
//
//   pitboss::cel::Env env;                                  // generated pool
//   PITBOSS_RETURN_IF_ERROR(env.AddMessageVariable("account", "pitboss.v1.Account"));
//   PITBOSS_RETURN_IF_ERROR(env.AddVariable("amount", pitboss::cel::CelType::Int()));
//   PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<pitboss::cel::Program> program,
//                            pitboss::cel::CreateProgram(env, "account.kyc_level > 2"));
//   ...
//   google::protobuf::Arena arena;                           // per evaluation (or Reset())
//   pitboss::cel::Activation activation;
//   activation.BindMessage("account", &account);             // borrowed, not copied
//   activation.Bind("amount", pitboss::cel::Value::Int(100));
//   PITBOSS_ASSIGN_OR_RETURN(pitboss::cel::Value v, program->Evaluate(activation, &arena));
//   if (v.IsError()) ...                                     // a CEL error is a value
//
// Errors: CreateProgram returns InvalidArgument for parse and type errors; the
// message lists each error as "<input>:LINE:COL: message" followed by the
// source line and a caret. Evaluate returns a non-OK status only when the host
// misused the API (e.g. an unbound variable of a checked program is reported
// as an error *value*, like every CEL runtime error); division by zero,
// overflow, no such overload, exceeding the cost limit, ... are error Values
// (Value::IsError) with an OK status.
//
// Lifetimes: the Value returned by Evaluate lives in `arena` and may borrow
// strings and messages from the Activation's bound data; keep both alive while
// using it (or DeepCopy it, see src/cel/common/value.h).
#ifndef PITBOSS_INCLUDE_PITBOSS_CEL_H_
#define PITBOSS_INCLUDE_PITBOSS_CEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/cel/checker/decls.h"
#include "src/cel/checker/type.h"
#include "src/cel/common/value.h"

namespace google {
namespace protobuf {
class Arena;
class DescriptorPool;
class Message;
class MessageFactory;
}  // namespace protobuf
}  // namespace google

namespace pitboss {
namespace cel {

struct CompilerOptions {
  // Parsing.
  bool enable_macros = true;            // has, all, exists, exists_one, map, filter
  bool enable_optional_syntax = false;  // a.?b, a[?b], [?x], {?k: v}
  // Optional values (cel-spec "optionals", cel-go's cel.OptionalTypes()): the
  // type optional_type(T); optional.of, optional.ofNonZeroValue,
  // optional.none, hasValue(), value(), or(), orValue(); `a.?b` and `a[?k]`
  // (optional.none() when absent); `[?x]`, `{?k: x}` and `Msg{?f: x}` (the
  // element, entry or field left out when x is none); the optMap / optFlatMap
  // macros. Implies enable_optional_syntax.
  bool enable_optional_types = false;
  int max_nesting_depth = 250;
  int max_expression_size = 100000;  // code points
  // Type checking. When off, names resolve at run time and calls dispatch on
  // the runtime kinds of their arguments (the conformance "disableCheck").
  bool enable_checking = true;
  // Rule mode: the checked result type must be bool (or dyn).
  bool require_bool_result = false;
  // Library.
  bool enable_strings_extension = true;
  bool enable_math_extension = true;
  bool enable_encoders_extension = false;  // base64.encode, base64.decode
  // Planning.
  bool fold_constants = true;
  // Evaluation limits. A program that exceeds them evaluates to an error value
  // ("cost limit exceeded" / "comprehension iteration limit exceeded").
  // 0 means unlimited.
  int64_t max_steps = 10000000;
  int64_t max_iterations = 1000000;
};

// The compile-time environment: declarations, container and descriptor pool.
// Thread-compatible; an Env may be used by several CreateProgram calls at once
// once it is no longer modified.
class Env {
 public:
  // Messages resolve in the generated pool (every linked-in .proto, e.g.
  // pitboss.v1) with the generated message factory.
  Env();
  // Messages resolve in `pool`; `factory` builds messages for message literals
  // (null: a DynamicMessageFactory owned by the Env, or the generated factory
  // when `pool` is the generated pool). Both must outlive the Env and every
  // Program created from it.
  explicit Env(const google::protobuf::DescriptorPool* pool,
               google::protobuf::MessageFactory* factory = nullptr);
  ~Env();
  Env(Env&&) noexcept;
  Env& operator=(Env&&) noexcept;

  CompilerOptions& options() { return options_; }
  const CompilerOptions& options() const { return options_; }

  // The protobuf package (or message) names are resolved in, e.g. "pitboss.v1":
  // `Account` then also means pitboss.v1.Account.
  void SetContainer(absl::string_view container) { container_ = std::string(container); }
  const std::string& container() const { return container_; }

  // Declares a variable. Fails on a duplicate name or an unknown message type.
  absl::Status AddVariable(absl::string_view name, CelType type);
  // Declares a variable of a protobuf message type (full name) in the pool.
  absl::Status AddMessageVariable(absl::string_view name, absl::string_view message_type);
  // Declares an extra function (its overload ids must be implemented by the
  // runtime registry, or CreateProgram fails with NotFound).
  absl::Status AddFunction(FunctionDecl decl);

  const google::protobuf::DescriptorPool* pool() const { return pool_; }
  google::protobuf::MessageFactory* factory() const { return factory_; }
  const std::vector<VariableDecl>& variables() const { return variables_; }
  const std::vector<FunctionDecl>& functions() const { return functions_; }

  // The CelType of a message type name in the pool (well-known types mapped as
  // the definition says), or NotFound.
  absl::StatusOr<CelType> MessageType(absl::string_view message_type) const;

 private:
  CompilerOptions options_;
  std::string container_;
  const google::protobuf::DescriptorPool* pool_;
  google::protobuf::MessageFactory* factory_;
  std::unique_ptr<google::protobuf::MessageFactory> owned_factory_;
  std::vector<VariableDecl> variables_;
  std::vector<FunctionDecl> functions_;
};

// Name -> value bindings for one evaluation. Bound values and messages are
// borrowed, not copied: they must outlive the evaluation and its result.
// Thread-compatible; a const Activation may be shared by concurrent
// evaluations.
class Activation {
 public:
  Activation() = default;

  // Binds (or rebinds) `name`.
  void Bind(absl::string_view name, const Value& value);
  // Binds a protobuf message without copying it; well-known types
  // (Timestamp, Duration, wrappers, Struct, Value, ...) are unwrapped to their
  // CEL values when read.
  void BindMessage(absl::string_view name, const google::protobuf::Message* message);
  // Marks `name` unknown: reading it yields an unknown value.
  void BindUnknown(absl::string_view name);
  void Clear() { entries_.clear(); }

  struct Entry {
    std::string name;
    Value value;
    bool unknown = false;
    bool well_known_message = false;  // a WKT message to unwrap when read
    // `name` interned process-wide: programs find their variables by
    // comparing this pointer, not the text.
    const std::string* key = nullptr;
  };
  // Null when unbound.
  const Entry* Find(absl::string_view name) const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

namespace eval_internal {
class ProgramImpl;
}  // namespace eval_internal

// A compiled expression. Immutable and thread-safe: any number of threads may
// call Evaluate concurrently (each with its own arena).
class Program {
 public:
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Evaluates against `activation`; values created by the evaluation
  // (strings, lists, errors, ...) live in `arena`, which must outlive the
  // result. Reusing one arena per thread (Arena::Reset between evaluations)
  // keeps evaluation allocation-free in the common case.
  absl::StatusOr<Value> Evaluate(const Activation& activation,
                                 google::protobuf::Arena* arena) const;

  // The checked result type (dyn when checking was disabled).
  const CelType& result_type() const;
  // The source the program was compiled from.
  const std::string& source() const;

 private:
  friend absl::StatusOr<std::unique_ptr<Program>> CreateProgram(const Env&,
                                                                absl::string_view);
  friend class ProgramSet;
  explicit Program(std::unique_ptr<eval_internal::ProgramImpl> impl);
  std::unique_ptr<eval_internal::ProgramImpl> impl_;
};

// Programs evaluated together against one activation, e.g. every rule of a
// policy on one event: each variable is looked up in the activation once per
// call instead of once per program, and a subexpression that occurs more than
// once among the programs (e.g. `event.type == 'withdrawal'` opening many
// rules) is evaluated at most once per call and its result reused (only
// side-effect-free subexpressions without comprehensions are shared; unknown
// results are not reused). Results are exactly what each program's own
// Evaluate returns. Immutable and thread-safe like Program; the programs are
// prepared for sharing when the set is built (program(i).Evaluate still
// works alone).
class ProgramSet {
 public:
  explicit ProgramSet(std::vector<std::unique_ptr<Program>> programs);
  ~ProgramSet();
  ProgramSet(const ProgramSet&) = delete;
  ProgramSet& operator=(const ProgramSet&) = delete;

  size_t size() const { return programs_.size(); }
  const Program& program(size_t i) const { return *programs_[i]; }
  // The number of distinct subexpressions evaluated once per call for
  // several uses.
  size_t shared_subexpressions() const;

  // Evaluates every program in order: out[i] is program(i)'s result (values
  // live in `arena`, see Program::Evaluate). InvalidArgument when `arena` is
  // null or out.size() != size(); then `out` is unchanged.
  absl::Status Evaluate(const Activation& activation, google::protobuf::Arena* arena,
                        absl::Span<Value> out) const;

 private:
  struct Lookup;
  std::vector<std::unique_ptr<Program>> programs_;
  std::unique_ptr<Lookup> lookup_;
};

// Parses, checks (unless env.options().enable_checking is false) and plans
// `expression`. Parse and type errors are InvalidArgument with positions.
absl::StatusOr<std::unique_ptr<Program>> CreateProgram(const Env& env,
                                                       absl::string_view expression);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_INCLUDE_PITBOSS_CEL_H_
