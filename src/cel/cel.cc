// The public C++ API (include/pitboss/cel.h): Env, Activation, Program and
// CreateProgram, wiring parser -> checker -> planner.
#include "include/pitboss/cel.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "src/cel/checker/checker.h"
#include "src/cel/checker/optional_decls.h"
#include "src/cel/checker/standard_decls.h"
#include "src/cel/checker/type_provider.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/eval/nodes.h"
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
// each of its variables is among them; and the subexpressions the programs
// share (each evaluated once per ProgramSet::Evaluate).
struct ProgramSet::Lookup {
  std::vector<const std::string*> keys;
  std::unique_ptr<std::atomic<uint32_t>[]> hints;  // per key (FindEntry)
  std::vector<std::vector<uint32_t>> index;        // per program, per variable
  size_t shared = 0;  // shared subexpressions (memo table size)
  // Whether every program has the same pool and factory (one EvalContext
  // serves them all).
  bool one_context = true;
  // Per program, what evaluating it in one Frame shared by the whole call
  // needs (when every variable is bound to a known value). Kept small (40
  // bytes): for most programs of a typical event the loop only checks the
  // guard.
  struct Prepared {
    const eval_internal::Node* root = nullptr;
    int64_t max_steps = 0;
    int64_t max_iterations = 0;
    // A shared subexpression on the leftmost spine of the program's `&&`
    // tree (-1: none). The tree evaluates its leaves left to right and is
    // false as soon as one is false, so when this one has already been
    // computed false in this call the program's result is false.
    int32_t guard = -1;
    uint32_t locals_begin = 0, locals_end = 0;  // its comprehension slots in `locals`
    bool shared_frame = false;  // false: ProgramImpl::Run (unchecked names)
  };
  std::vector<Prepared> prepared;
  std::vector<int> locals;  // every program's comprehension slots (reset to null)
  // Per program, its variables as (slot, key): written per program unless
  // one_layout.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> variables;
  int max_slots = 0;
  // Whether every shared-frame program gives each variable the same slot
  // (programs of one Env: PlannerOptions::variable_order) and keeps its
  // comprehension slots apart from all of them: then each variable is
  // written into the Frame once per call, not once per program.
  bool one_layout = false;
  // one_layout, and every program on the shared frame.
  bool all_on_one_layout = false;
  std::vector<int> layout;  // per key: its slot (-1: read by no program)
};

namespace {

// Marks the operands whose subexpression occurs more than once among the
// programs (in one program or several) as shared: Operand::SetMemoIndex
// with one index per distinct subexpression. Returns the number of indexes.
size_t ShareSubexpressions(const std::vector<eval_internal::ProgramImpl*>& impls) {
  absl::flat_hash_map<std::string, std::vector<eval_internal::Operand*>> by_key;
  std::vector<std::string> order;  // first-seen order: deterministic indexes
  for (eval_internal::ProgramImpl* impl : impls) {
    std::vector<eval_internal::Operand*> operands;
    impl->root->CollectOperands(&operands);
    eval_internal::KeyContext context;
    context.slot_variables = &impl->slot_variables;
    for (eval_internal::Operand* operand : operands) {
      if (!operand->is_node()) continue;
      // Programs built against other pools or factories never share.
      std::string key;
      eval_internal::AppendPointerKey(impl->pool, &key);
      eval_internal::AppendPointerKey(impl->factory, &key);
      if (!operand->AppendKey(context, &key)) continue;
      auto [it, added] = by_key.try_emplace(key);
      if (added) order.push_back(key);
      it->second.push_back(operand);
    }
  }
  size_t shared = 0;
  for (const std::string& key : order) {
    const std::vector<eval_internal::Operand*>& operands = by_key[key];
    if (operands.size() < 2) continue;
    for (eval_internal::Operand* operand : operands) {
      operand->SetMemoIndex(static_cast<uint32_t>(shared));
    }
    ++shared;
  }
  return shared;
}

// Uninitialised storage for `n` Values (on the stack up to N): Value is
// trivially copyable and destructible, and callers construct each element
// before reading it.
template <size_t N>
class RawValues {
 public:
  static_assert(std::is_trivially_copyable_v<Value> && std::is_trivially_destructible_v<Value>);
  explicit RawValues(size_t n) {
    if (n > N) heap_.reset(new Value[n]);
  }
  Value* data() { return heap_ != nullptr ? heap_.get() : reinterpret_cast<Value*>(storage_); }

 private:
  alignas(Value) unsigned char storage_[N * sizeof(Value)];
  std::unique_ptr<Value[]> heap_;
};

// Asks for the first cache lines of a bound message (its fields and, for
// messages built in an arena, what was allocated right after them: their
// strings and sub-messages) before any program reads them. Rules read an
// event's fields one after another through the interpreter, so without this
// each first touch of a line not in cache is a miss of its own; requested
// together, the misses overlap. A hint only: it never faults and changes no
// result.
void PrefetchMessage(const google::protobuf::Message* message) {
  constexpr int kLines = 8;
  const char* bytes = reinterpret_cast<const char*>(message);
  for (int line = 0; line < kLines; ++line) __builtin_prefetch(bytes + 64 * line);
}

}  // namespace

ProgramSet::ProgramSet(std::vector<std::unique_ptr<Program>> programs)
    : programs_(std::move(programs)), lookup_(std::make_unique<Lookup>()) {
  absl::flat_hash_map<const std::string*, uint32_t> position;
  std::vector<eval_internal::ProgramImpl*> impls;
  for (const std::unique_ptr<Program>& program : programs_) {
    impls.push_back(program->impl_.get());
    std::vector<uint32_t> index;
    for (const eval_internal::ProgramImpl::Variable& var : program->impl_->variable_slots) {
      auto [it, added] = position.emplace(var.key, static_cast<uint32_t>(lookup_->keys.size()));
      if (added) lookup_->keys.push_back(var.key);
      index.push_back(it->second);
    }
    lookup_->index.push_back(std::move(index));
    lookup_->one_context &= program->impl_->pool == programs_[0]->impl_->pool &&
                            program->impl_->factory == programs_[0]->impl_->factory;
  }
  lookup_->hints.reset(new std::atomic<uint32_t>[lookup_->keys.size()]);
  for (size_t i = 0; i < lookup_->keys.size(); ++i) {
    lookup_->hints[i].store(0, std::memory_order_relaxed);
  }
  lookup_->shared = ShareSubexpressions(impls);
  constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max();
  for (size_t i = 0; i < impls.size(); ++i) {
    const eval_internal::ProgramImpl& impl = *impls[i];
    Lookup::Prepared& p = lookup_->prepared.emplace_back();
    p.root = impl.root.get();
    auto& variables = lookup_->variables.emplace_back();
    for (size_t v = 0; v < impl.variable_slots.size(); ++v) {
      variables.emplace_back(static_cast<uint32_t>(impl.variable_slots[v].slot),
                             lookup_->index[i][v]);
    }
    p.locals_begin = static_cast<uint32_t>(lookup_->locals.size());
    lookup_->locals.insert(lookup_->locals.end(), impl.comprehension_slots.begin(),
                           impl.comprehension_slots.end());
    p.locals_end = static_cast<uint32_t>(lookup_->locals.size());
    p.max_steps = impl.max_steps > 0 ? impl.max_steps : kUnlimited;
    p.max_iterations = impl.max_iterations > 0 ? impl.max_iterations : kUnlimited;
    p.shared_frame = !impl.needs_bound;
    const eval_internal::Node* spine = impl.root.get();
    while (const auto* chain = dynamic_cast<const eval_internal::LogicalChainNode*>(spine)) {
      if (!chain->is_and()) break;
      const eval_internal::Operand& lhs = chain->first();
      if (lhs.memo_index() >= 0) {
        p.guard = static_cast<int32_t>(lhs.memo_index());
        break;
      }
      spine = lhs.is_node() ? &lhs.node() : nullptr;
    }
    lookup_->max_slots = std::max(lookup_->max_slots, impl.num_slots);
  }
  lookup_->layout.assign(lookup_->keys.size(), -1);
  bool one_layout = true;
  int variables_end = 0;  // one past the highest variable slot
  std::vector<int> slot_key(static_cast<size_t>(lookup_->max_slots), -1);
  for (size_t i = 0; i < lookup_->prepared.size(); ++i) {
    if (!lookup_->prepared[i].shared_frame) continue;
    for (const auto& [slot, key] : lookup_->variables[i]) {
      int& layout_slot = lookup_->layout[key];
      if (layout_slot < 0) layout_slot = static_cast<int>(slot);
      int& owner = slot_key[slot];  // two variables never share a slot
      if (owner < 0) owner = static_cast<int>(key);
      one_layout &= layout_slot == static_cast<int>(slot) && owner == static_cast<int>(key);
      variables_end = std::max(variables_end, static_cast<int>(slot) + 1);
    }
  }
  for (const Lookup::Prepared& p : lookup_->prepared) {
    if (!p.shared_frame) continue;
    for (uint32_t j = p.locals_begin; j < p.locals_end; ++j) {
      one_layout &= lookup_->locals[j] >= variables_end;
    }
  }
  lookup_->one_layout = one_layout;
  lookup_->all_on_one_layout = one_layout;
  for (const Lookup::Prepared& p : lookup_->prepared) {
    lookup_->all_on_one_layout &= p.shared_frame;
  }
}

ProgramSet::~ProgramSet() = default;

size_t ProgramSet::shared_subexpressions() const { return lookup_->shared; }

absl::Status ProgramSet::Evaluate(const Activation& activation, google::protobuf::Arena* arena,
                                  absl::Span<Value> out) const {
  if (arena == nullptr) return absl::InvalidArgumentError("Evaluate needs an arena");
  if (out.size() != programs_.size()) {
    return absl::InvalidArgumentError(absl::StrCat("ProgramSet::Evaluate: ", out.size(),
                                                   " result slots for ", programs_.size(),
                                                   " programs"));
  }
  if (programs_.empty()) return absl::OkStatus();
  absl::InlinedVector<const Activation::Entry*, 16> entries(lookup_->keys.size());
  for (size_t k = 0; k < entries.size(); ++k) {
    entries[k] = eval_internal::FindEntry(activation, lookup_->keys[k], lookup_->hints[k]);
  }
  // The shared results of this call (on the stack for the usual sizes; a
  // value is written before its computed flag is set).
  const size_t shared = lookup_->shared;
  RawValues<32> memo_values(shared);
  std::unique_ptr<bool[]> heap_computed;
  bool inline_computed[32];
  bool* computed = inline_computed;
  if (shared > 32) {
    heap_computed.reset(new bool[shared]);
    computed = heap_computed.get();
  }
  std::fill(computed, computed + shared, false);
  eval_internal::MemoTable memo;
  memo.values = memo_values.data();
  memo.computed = computed;
  const eval_internal::ProgramImpl& first = *programs_[0]->impl_;
  EvalContext shared_ctx(arena, first.pool, first.factory);

  // The common case: every variable bound to a known value and one context.
  // The variables' values are made once, and every program runs in one
  // Frame (its variable slots written, its comprehension slots reset),
  // which is what ProgramImpl::Run would set up for it.
  bool plain = lookup_->one_context;
  RawValues<16> values(entries.size());
  for (size_t k = 0; plain && k < entries.size(); ++k) {
    const Activation::Entry* entry = entries[k];
    if (entry == nullptr || entry->unknown) {
      plain = false;  // per-program unbound errors and unknown ids
    } else if (entry->well_known_message) {
      new (&values.data()[k]) Value(MessageToValue(entry->value.message_value(), shared_ctx));
    } else {
      new (&values.data()[k]) Value(entry->value);
      if (entry->value.IsMessage()) PrefetchMessage(entry->value.message_value());
    }
  }
  if (plain) {
    // Every slot a program reads is written for it first.
    RawValues<16> slots_storage(static_cast<size_t>(lookup_->max_slots));
    Value* slots = slots_storage.data();
    eval_internal::Frame frame;
    frame.ctx = &shared_ctx;
    frame.slots = slots;
    frame.memo = &memo;
    const bool one_layout = lookup_->one_layout;
    if (one_layout) {
      for (size_t k = 0; k < entries.size(); ++k) {
        if (lookup_->layout[k] >= 0) new (&slots[lookup_->layout[k]]) Value(values.data()[k]);
      }
    }
    // Locals copied out of *lookup_: the loop's stores through `out` and
    // `slots` would otherwise make the compiler reload them every program.
    const Lookup::Prepared* prepared = lookup_->prepared.data();
    const int* locals = lookup_->locals.data();
    const size_t n = lookup_->prepared.size();
    // One loop, compiled twice: without the per-program checks when every
    // program runs on the frame as laid out once (the usual rule set).
    auto run_programs = [&](auto all_on_one_layout) {
      for (size_t i = 0; i < n; ++i) {
        const Lookup::Prepared& p = prepared[i];
        if constexpr (!decltype(all_on_one_layout)::value) {
          if (!p.shared_frame) {
            out[i] = programs_[i]->impl_->Run(entries.data(), lookup_->index[i].data(),
                                              shared_ctx, &memo);
            continue;
          }
        }
        if (p.guard >= 0 && computed[p.guard]) {
          const Value& guard = memo.values[p.guard];
          if (guard.IsBool() && !guard.bool_value()) {
            out[i] = guard;
            continue;
          }
        }
        if constexpr (!decltype(all_on_one_layout)::value) {
          if (!one_layout) {
            for (const auto& [slot, key] : lookup_->variables[i]) {
              new (&slots[slot]) Value(values.data()[key]);
            }
          }
        }
        for (uint32_t j = p.locals_begin; j < p.locals_end; ++j) new (&slots[locals[j]]) Value();
        frame.steps_left = p.max_steps;
        frame.iterations_left = p.max_iterations;
        frame.exhausted = false;
        out[i] = p.root->Eval(frame);
      }
    };
    if (lookup_->all_on_one_layout) {
      run_programs(std::true_type{});
    } else {
      run_programs(std::false_type{});
    }
    return absl::OkStatus();
  }

  for (size_t i = 0; i < programs_.size(); ++i) {
    const eval_internal::ProgramImpl& impl = *programs_[i]->impl_;
    if (lookup_->one_context) {
      out[i] = impl.Run(entries.data(), lookup_->index[i].data(), shared_ctx, &memo);
    } else {
      EvalContext ctx(arena, impl.pool, impl.factory);
      out[i] = impl.Run(entries.data(), lookup_->index[i].data(), ctx, &memo);
    }
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
  parser_options.enable_optional_syntax =
      options.enable_optional_syntax || options.enable_optional_types;
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
  if (options.enable_encoders_extension) checker_env.AddFunctions(EncodersExtensionDecls());
  if (options.enable_optional_types) {
    checker_env.AddFunctions(OptionalFunctionDecls());
    checker_env.AddTypeName(kOptionalTypeName, OptionalType(CelType::Dyn()));
  }
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
  for (const VariableDecl& v : env.variables()) planner_options.variable_order.push_back(v.name);
  PITBOSS_ASSIGN_OR_RETURN(
      std::unique_ptr<eval_internal::ProgramImpl> impl,
      eval_internal::Plan(parsed, checked_ptr, checker_env,
                          StandardRegistryWith(options.enable_optional_types,
                                               options.enable_encoders_extension),
                          planner_options, env.factory()));
  return std::unique_ptr<Program>(new Program(std::move(impl)));
}

}  // namespace cel
}  // namespace pitboss
