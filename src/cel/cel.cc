// The public C++ API (include/pitboss/cel.h): Env, Activation, Program and
// CreateProgram, wiring parser -> checker -> planner.
#include "include/pitboss/cel.h"

#include <atomic>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "src/cel/checker/checker.h"
#include "src/cel/checker/standard_decls.h"
#include "src/cel/checker/type_provider.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/eval/planner.h"
#include "src/cel/eval/program_impl.h"
#include "src/cel/parser/parser.h"
#include "src/cel/runtime/function_registry.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {

using google::protobuf::DescriptorPool;
using google::protobuf::MessageFactory;

Env::Env()
    : pool_(DescriptorPool::generated_pool()),
      factory_(MessageFactory::generated_factory()) {}

Env::Env(const DescriptorPool* pool, MessageFactory* factory) : pool_(pool), factory_(factory) {
  if (pool_ == nullptr) pool_ = DescriptorPool::generated_pool();
  if (factory_ == nullptr) {
    if (pool_ == DescriptorPool::generated_pool()) {
      factory_ = MessageFactory::generated_factory();
    } else {
      owned_factory_ = std::make_unique<google::protobuf::DynamicMessageFactory>(pool_);
      factory_ = owned_factory_.get();
    }
  }
}

Env::~Env() = default;
Env::Env(Env&&) noexcept = default;
Env& Env::operator=(Env&&) noexcept = default;

absl::Status Env::AddVariable(absl::string_view name, CelType type) {
  if (name.empty()) return absl::InvalidArgumentError("empty variable name");
  for (const VariableDecl& v : variables_) {
    if (v.name == name) {
      return absl::AlreadyExistsError(absl::StrCat("variable '", name, "' already declared"));
    }
  }
  variables_.push_back(VariableDecl{std::string(name), std::move(type)});
  return absl::OkStatus();
}

absl::StatusOr<CelType> Env::MessageType(absl::string_view message_type) const {
  TypeProvider provider(pool_);
  const google::protobuf::Descriptor* d = provider.FindMessage(message_type);
  if (d == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown message type '", message_type, "'"));
  }
  return TypeProvider::MessageValueType(d);
}

absl::Status Env::AddMessageVariable(absl::string_view name, absl::string_view message_type) {
  PITBOSS_ASSIGN_OR_RETURN(CelType type, MessageType(message_type));
  return AddVariable(name, std::move(type));
}

absl::Status Env::AddFunction(FunctionDecl decl) {
  if (decl.name.empty()) return absl::InvalidArgumentError("empty function name");
  functions_.push_back(std::move(decl));
  return absl::OkStatus();
}

void Activation::Bind(absl::string_view name, const Value& value) {
  for (Entry& e : entries_) {
    if (e.name == name) {
      e.value = value;
      e.unknown = false;
      e.well_known_message = false;
      return;
    }
  }
  entries_.push_back(
      Entry{std::string(name), value, false, false, eval_internal::InternVariableName(name)});
}

void Activation::BindMessage(absl::string_view name, const google::protobuf::Message* message) {
  Bind(name, Value::Message(message));
  for (Entry& e : entries_) {
    if (e.name == name) {
      e.well_known_message =
          GetWellKnownType(message->GetDescriptor()) != WellKnownType::kNone;
    }
  }
}

void Activation::BindUnknown(absl::string_view name) {
  Bind(name, Value::Null());
  for (Entry& e : entries_) {
    if (e.name == name) e.unknown = true;
  }
}

const Activation::Entry* Activation::Find(absl::string_view name) const {
  for (const Entry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Program::Program(std::unique_ptr<eval_internal::ProgramImpl> impl) : impl_(std::move(impl)) {}
Program::~Program() = default;

absl::StatusOr<Value> Program::Evaluate(const Activation& activation,
                                        google::protobuf::Arena* arena) const {
  return impl_->Evaluate(activation, arena);
}

// The distinct variables of a ProgramSet's programs and, per program, where
// each of its variables is among them.
struct ProgramSet::Lookup {
  std::vector<const std::string*> keys;
  std::unique_ptr<std::atomic<uint32_t>[]> hints;  // per key (FindEntry)
  std::vector<std::vector<uint32_t>> index;        // per program, per variable
};

ProgramSet::ProgramSet(std::vector<std::unique_ptr<Program>> programs)
    : programs_(std::move(programs)), lookup_(std::make_unique<Lookup>()) {
  absl::flat_hash_map<const std::string*, uint32_t> position;
  for (const std::unique_ptr<Program>& program : programs_) {
    std::vector<uint32_t> index;
    for (const eval_internal::ProgramImpl::Variable& var : program->impl_->variable_slots) {
      auto [it, added] = position.emplace(var.key, static_cast<uint32_t>(lookup_->keys.size()));
      if (added) lookup_->keys.push_back(var.key);
      index.push_back(it->second);
    }
    lookup_->index.push_back(std::move(index));
  }
  lookup_->hints.reset(new std::atomic<uint32_t>[lookup_->keys.size()]);
  for (size_t i = 0; i < lookup_->keys.size(); ++i) {
    lookup_->hints[i].store(0, std::memory_order_relaxed);
  }
}

ProgramSet::~ProgramSet() = default;

absl::Status ProgramSet::Evaluate(const Activation& activation, google::protobuf::Arena* arena,
                                  absl::Span<Value> out) const {
  if (arena == nullptr) return absl::InvalidArgumentError("Evaluate needs an arena");
  if (out.size() != programs_.size()) {
    return absl::InvalidArgumentError(absl::StrCat("ProgramSet::Evaluate: ", out.size(),
                                                   " result slots for ", programs_.size(),
                                                   " programs"));
  }
  absl::InlinedVector<const Activation::Entry*, 16> entries(lookup_->keys.size());
  for (size_t k = 0; k < entries.size(); ++k) {
    entries[k] = eval_internal::FindEntry(activation, lookup_->keys[k], lookup_->hints[k]);
  }
  for (size_t i = 0; i < programs_.size(); ++i) {
    const eval_internal::ProgramImpl& impl = *programs_[i]->impl_;
    EvalContext ctx(arena, impl.pool, impl.factory);
    out[i] = impl.Run(entries.data(), lookup_->index[i].data(), ctx);
  }
  return absl::OkStatus();
}

const CelType& Program::result_type() const { return impl_->result_type; }
const std::string& Program::source() const { return impl_->source; }

namespace {

// The math extension's macros: math.greatest(...) / math.least(...) become
// math.@max / math.@min with one argument, two arguments, or a list of three
// or more (as the extension defines them).
absl::Status ExpandMathMacros(Expr* e, ParsedExpr* parsed) {
  if (e == nullptr) return absl::OkStatus();
  switch (e->kind()) {
    case ExprKind::kSelect:
      return ExpandMathMacros(e->as_select()->operand.get(), parsed);
    case ExprKind::kCall: {
      CallExpr* call = e->as_call();
      PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(call->target.get(), parsed));
      for (ExprPtr& a : call->args) PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(a.get(), parsed));
      const IdentExpr* ns = call->target != nullptr ? call->target->as_ident() : nullptr;
      if (ns == nullptr || ns->name != "math" ||
          (call->function != "greatest" && call->function != "least")) {
        return absl::OkStatus();
      }
      const bool greatest = call->function == "greatest";
      if (call->args.empty()) {
        return absl::InvalidArgumentError(
            FormatSourceError(parsed->source_info, parsed->source_info.OffsetOf(e->id),
                              absl::StrCat("math.", call->function,
                                           "() requires at least one argument")));
      }
      call->target.reset();
      call->function = greatest ? "math.@max" : "math.@min";
      if (call->args.size() > 2) {
        ListExpr list;
        list.elements = std::move(call->args);
        const int64_t id = parsed->next_id++;
        auto pos = parsed->source_info.positions.find(e->id);
        if (pos != parsed->source_info.positions.end()) {
          parsed->source_info.positions[id] = pos->second;
        }
        call->args.clear();
        call->args.push_back(std::make_unique<Expr>(id, std::move(list)));
      }
      return absl::OkStatus();
    }
    case ExprKind::kList:
      for (ExprPtr& el : e->as_list()->elements) {
        PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(el.get(), parsed));
      }
      return absl::OkStatus();
    case ExprKind::kMap:
      for (MapExpr::Entry& entry : e->as_map()->entries) {
        PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(entry.key.get(), parsed));
        PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(entry.value.get(), parsed));
      }
      return absl::OkStatus();
    case ExprKind::kStruct:
      for (StructExpr::Entry& entry : e->as_struct()->entries) {
        PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(entry.value.get(), parsed));
      }
      return absl::OkStatus();
    case ExprKind::kComprehension: {
      ComprehensionExpr* c = e->as_comprehension();
      for (Expr* sub : {c->iter_range.get(), c->accu_init.get(), c->loop_condition.get(),
                        c->loop_step.get(), c->result.get()}) {
        PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(sub, parsed));
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Program>> CreateProgram(const Env& env,
                                                       absl::string_view expression) {
  const CompilerOptions& options = env.options();
  ParserOptions parser_options;
  parser_options.enable_macros = options.enable_macros;
  parser_options.enable_optional_syntax = options.enable_optional_syntax;
  parser_options.max_recursion_depth = options.max_nesting_depth;
  parser_options.max_expression_size = options.max_expression_size;
  PITBOSS_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse(expression, parser_options));
  if (options.enable_math_extension && options.enable_macros) {
    PITBOSS_RETURN_IF_ERROR(ExpandMathMacros(&parsed.expr, &parsed));
  }

  TypeProvider provider(env.pool());
  CheckerEnv checker_env(&provider);
  checker_env.set_container(env.container());
  checker_env.AddFunctions(StandardFunctionDecls());
  if (options.enable_strings_extension) checker_env.AddFunctions(StringsExtensionDecls());
  if (options.enable_math_extension) checker_env.AddFunctions(MathExtensionDecls());
  if (options.enable_macros) checker_env.AddFunction(eval_internal::MapInsertDecl());
  checker_env.AddFunctions(env.functions());
  for (const VariableDecl& v : env.variables()) checker_env.AddVariable(v);

  CheckedExpr checked;
  const CheckedExpr* checked_ptr = nullptr;
  if (options.enable_checking) {
    CheckOptions check_options;
    check_options.require_bool_result = options.require_bool_result;
    PITBOSS_ASSIGN_OR_RETURN(checked, Check(parsed, checker_env, check_options));
    checked_ptr = &checked;
  }
  eval_internal::PlannerOptions planner_options;
  planner_options.fold_constants = options.fold_constants;
  planner_options.max_steps = options.max_steps;
  planner_options.max_iterations = options.max_iterations;
  PITBOSS_ASSIGN_OR_RETURN(
      std::unique_ptr<eval_internal::ProgramImpl> impl,
      eval_internal::Plan(parsed, checked_ptr, checker_env, StandardRegistry(),
                          planner_options, env.factory()));
  return std::unique_ptr<Program>(new Program(std::move(impl)));
}

}  // namespace cel
}  // namespace pitboss
