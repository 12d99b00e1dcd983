// The planner (see planner.h): one recursive pass over the AST that builds the
// node tree, assigns slots and folds constants.
#include "src/cel/eval/planner.h"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/cel/checker/optional_decls.h"
#include "src/cel/checker/standard_decls.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/eval/call_node.h"
#include "src/cel/eval/nodes.h"
#include "src/cel/eval/optional_or_node.h"
#include "src/cel/eval/optional_select_node.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace eval_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

bool QualifiedName(const Expr& e, std::string* out) {
  if (const IdentExpr* id = e.as_ident()) {
    *out = id->name;
    return true;
  }
  if (const SelectExpr* sel = e.as_select()) {
    if (sel->test_only || sel->operand == nullptr) return false;
    std::string prefix;
    if (!QualifiedName(*sel->operand, &prefix)) return false;
    *out = absl::StrCat(prefix, ".", sel->field);
    return true;
  }
  return false;
}

const std::string& RootIdent(const Expr& e) {
  const Expr* cur = &e;
  while (const SelectExpr* sel = cur->as_select()) cur = sel->operand.get();
  static const std::string* const kEmpty = new std::string();
  const IdentExpr* id = cur->as_ident();
  return id != nullptr ? id->name : *kEmpty;
}

class Planner {
 public:
  Planner(const CheckedExpr* checked, const CheckerEnv& env,
          const FunctionRegistry& registry, const PlannerOptions& options,
          ProgramImpl* program)
      : checked_(checked),
        env_(env),
        registry_(registry),
        options_(options),
        program_(program),
        fold_ctx_(program->constants_arena.get(), program->pool, program->factory) {
    // Declared variables first, in the environment's order (see
    // PlannerOptions::variable_order).
    if (checked_ != nullptr && !options.variable_order.empty() &&
        options.variable_order.size() <= static_cast<size_t>(ProgramImpl::kInlineSlots)) {
      for (const std::string& name : options.variable_order) {
        if (layout_slots_.emplace(name, program_->num_slots).second) ++program_->num_slots;
      }
      program_->layout_slots = program_->num_slots;
    }
  }

  absl::StatusOr<NodePtr> Plan(const Expr& e) {
    switch (e.kind()) {
      case ExprKind::kConstant:
        return PlanConstant(e.id, *e.as_constant());
      case ExprKind::kIdent:
        return PlanIdent(e, *e.as_ident());
      case ExprKind::kSelect:
        return PlanSelect(e, *e.as_select());
      case ExprKind::kCall:
        return PlanCall(e, *e.as_call());
      case ExprKind::kList:
        return PlanList(e, *e.as_list());
      case ExprKind::kMap:
        return PlanMap(e, *e.as_map());
      case ExprKind::kStruct:
        return PlanStruct(e, *e.as_struct());
      case ExprKind::kComprehension:
        return PlanComprehension(e, *e.as_comprehension());
      case ExprKind::kUnspecified:
        break;
    }
    return absl::InvalidArgumentError("unexpected empty expression node");
  }

 private:
  const Reference* FindReference(int64_t id) const {
    if (checked_ == nullptr) return nullptr;
    auto it = checked_->references.find(id);
    return it == checked_->references.end() ? nullptr : &it->second;
  }

  const CelType* FindType(int64_t id) const {
    if (checked_ == nullptr) return nullptr;
    auto it = checked_->types.find(id);
    return it == checked_->types.end() ? nullptr : &it->second;
  }

  int NewSlot() { return program_->num_slots++; }

  int VariableSlot(const std::string& name, int64_t id) {
    auto it = var_slots_.find(name);
    if (it != var_slots_.end()) return it->second;
    auto layout = layout_slots_.find(name);
    int slot = layout != layout_slots_.end() ? layout->second : NewSlot();
    var_slots_[name] = slot;
    program_->variable_slots.push_back(
        ProgramImpl::Variable{name, InternVariableName(name), slot, id,
                              fold_ctx_.Error(absl::NotFoundError(absl::StrCat(
                                  "no such attribute: no value bound for '", name, "'")))});
    return slot;
  }

  int FindLocal(absl::string_view name) const {
    if (name.empty() || name[0] == '.') return -1;
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return -1;
  }

  // Stable storage for a type name of a type value.
  absl::string_view TypeName(const CelType& t) {
    switch (t.kind()) {
      case CelType::Kind::kNull:
        return TypeNames::kNull;
      case CelType::Kind::kBool:
        return TypeNames::kBool;
      case CelType::Kind::kInt:
        return TypeNames::kInt;
      case CelType::Kind::kUint:
        return TypeNames::kUint;
      case CelType::Kind::kDouble:
        return TypeNames::kDouble;
      case CelType::Kind::kString:
        return TypeNames::kString;
      case CelType::Kind::kBytes:
        return TypeNames::kBytes;
      case CelType::Kind::kList:
        return TypeNames::kList;
      case CelType::Kind::kMap:
        return TypeNames::kMap;
      case CelType::Kind::kType:
        return TypeNames::kType;
      case CelType::Kind::kTimestamp:
        return TypeNames::kTimestamp;
      case CelType::Kind::kDuration:
        return TypeNames::kDuration;
      case CelType::Kind::kWrapper:
        return TypeName(t.elem());
      case CelType::Kind::kDyn:
        return "dyn";
      case CelType::Kind::kMessage: {
        const Descriptor* d = env_.provider().FindMessage(t.name());
        if (d != nullptr) return d->full_name();
        break;
      }
      case CelType::Kind::kOpaque:
        // Values know their opaque type by name only (optional_type).
        return fold_ctx_.String(t.name()).string_value();
      default:
        break;
    }
    return fold_ctx_.String(t.DebugString()).string_value();
  }

  // A constant for an enum constant or type name spelled `name` (already
  // container-qualified), or null.
  NodePtr StaticName(int64_t id, const std::string& name) {
    int64_t enum_value = 0;
    if (env_.provider().FindEnumConstant(name, &enum_value)) {
      if (IsNullValueConstant(name)) return std::make_unique<ConstNode>(id, Value::Null());
      return std::make_unique<ConstNode>(id, Value::Int(enum_value));
    }
    CelType type_of;
    if (StandardTypeIdent(name, &type_of)) {
      return std::make_unique<ConstNode>(id, Value::Type(TypeName(type_of.elem())));
    }
    if (const CelType* named = env_.FindTypeName(name)) {
      return std::make_unique<ConstNode>(id, Value::Type(TypeName(*named)));
    }
    if (const Descriptor* d = env_.provider().FindMessage(name)) {
      return std::make_unique<ConstNode>(
          id, Value::Type(TypeName(TypeProvider::MessageValueType(d))));
    }
    if (env_.provider().FindEnum(name) != nullptr) {
      return std::make_unique<ConstNode>(id, Value::Type(TypeNames::kInt));
    }
    return nullptr;
  }

  absl::StatusOr<NodePtr> PlanConstant(int64_t id, const Constant& c) {
    switch (c.kind) {
      case Constant::Kind::kNull:
        return std::make_unique<ConstNode>(id, Value::Null());
      case Constant::Kind::kBool:
        return std::make_unique<ConstNode>(id, Value::Bool(c.bool_value));
      case Constant::Kind::kInt64:
        return std::make_unique<ConstNode>(id, Value::Int(c.int64_value));
      case Constant::Kind::kUint64:
        return std::make_unique<ConstNode>(id, Value::Uint(c.uint64_value));
      case Constant::Kind::kDouble:
        return std::make_unique<ConstNode>(id, Value::Double(c.double_value));
      // String data lives in the program's arena (not in the node) so that
      // folded values built from it outlive the nodes folding discards.
      case Constant::Kind::kString:
        return std::make_unique<ConstNode>(id, fold_ctx_.String(c.string_value));
      case Constant::Kind::kBytes:
        return std::make_unique<ConstNode>(id, fold_ctx_.Bytes(c.string_value));
      case Constant::Kind::kUnspecified:
        break;
    }
    return absl::InvalidArgumentError("unspecified constant");
  }

  // A node for a checked reference to a name.
  absl::StatusOr<NodePtr> PlanReference(int64_t id, const Reference& ref) {
    switch (ref.kind) {
      case Reference::Kind::kVariable: {
        int local = FindLocal(ref.name);
        if (local >= 0) return std::make_unique<SlotNode>(id, local);
        return std::make_unique<SlotNode>(id, VariableSlot(ref.name, id));
      }
      case Reference::Kind::kEnumConstant:
        if (IsNullValueConstant(ref.name)) return std::make_unique<ConstNode>(id, Value::Null());
        return std::make_unique<ConstNode>(id, Value::Int(ref.enum_value));
      case Reference::Kind::kType:
        return std::make_unique<ConstNode>(id, Value::Type(TypeName(ref.type)));
      default:
        break;
    }
    return absl::InternalError(absl::StrCat("unexpected reference kind for '", ref.name, "'"));
  }

  // Unchecked (possibly qualified) name: candidates in resolution order.
  NodePtr PlanName(int64_t id, const std::string& qname) {
    std::vector<absl::string_view> parts;
    size_t start = 0;
    // Keep a leading dot with the first part.
    for (size_t i = 1; i <= qname.size(); ++i) {
      if (i == qname.size() || qname[i] == '.') {
        parts.push_back(absl::string_view(qname).substr(start, i - start));
        start = i + 1;
      }
    }
    std::vector<NameNode::Candidate> candidates;
    for (size_t k = parts.size(); k >= 1; --k) {
      std::string prefix(parts[0]);
      for (size_t j = 1; j < k; ++j) absl::StrAppend(&prefix, ".", parts[j]);
      for (const std::string& cand : env_.Candidates(prefix)) {
        NameNode::Candidate c;
        c.slot = VariableSlot(cand, id);
        for (size_t j = k; j < parts.size(); ++j) {
          c.selects.push_back(std::make_unique<SelectNode>(
              id, nullptr, std::string(parts[j]), false, nullptr, nullptr));
        }
        candidates.push_back(std::move(c));
      }
    }
    NodePtr fallback;
    for (const std::string& cand : env_.Candidates(qname)) {
      fallback = StaticName(id, cand);
      if (fallback != nullptr) break;
    }
    program_->needs_bound = true;
    return std::make_unique<NameNode>(id, qname, std::move(candidates), std::move(fallback));
  }

  absl::StatusOr<NodePtr> PlanIdent(const Expr& e, const IdentExpr& ident) {
    int local = FindLocal(ident.name);
    if (local >= 0) return std::make_unique<SlotNode>(e.id, local);
    if (const Reference* ref = FindReference(e.id)) return PlanReference(e.id, *ref);
    if (checked_ != nullptr) {
      return absl::InternalError(absl::StrCat("unresolved identifier '", ident.name, "'"));
    }
    return PlanName(e.id, ident.name);
  }

  absl::StatusOr<NodePtr> PlanSelect(const Expr& e, const SelectExpr& sel) {
    if (const Reference* ref = FindReference(e.id)) return PlanReference(e.id, *ref);
    if (checked_ == nullptr && !sel.test_only) {
      std::string qname;
      if (QualifiedName(e, &qname) && FindLocal(RootIdent(e)) < 0) {
        return PlanName(e.id, qname);
      }
    }
    // The chain of plain selections below `e` (outermost first).
    std::vector<const Expr*> chain = {&e};
    const Expr* cur = sel.operand.get();
    while (const SelectExpr* inner = cur->as_select()) {
      if (inner->test_only || FindReference(cur->id) != nullptr) break;
      chain.push_back(cur);
      cur = inner->operand.get();
    }
    PITBOSS_ASSIGN_OR_RETURN(NodePtr root, Plan(*cur));
    std::vector<std::unique_ptr<SelectNode>> steps;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const SelectExpr& s = *(*it)->as_select();
      const Descriptor* descriptor = nullptr;
      const FieldDescriptor* field = nullptr;
      if (const CelType* t = FindType(s.operand->id)) {
        if (t->kind() == CelType::Kind::kMessage) {
          descriptor = env_.provider().FindMessage(t->name());
          if (descriptor != nullptr) field = descriptor->FindFieldByName(s.field);
          if (field == nullptr) descriptor = nullptr;
        }
      }
      steps.push_back(std::make_unique<SelectNode>((*it)->id, nullptr, s.field, s.test_only,
                                                   descriptor, field));
    }
    if (steps.size() == 1) {
      const Descriptor* descriptor = nullptr;
      const FieldDescriptor* field = nullptr;
      if (const CelType* t = FindType(sel.operand->id)) {
        if (t->kind() == CelType::Kind::kMessage) {
          descriptor = env_.provider().FindMessage(t->name());
          if (descriptor != nullptr) field = descriptor->FindFieldByName(sel.field);
          if (field == nullptr) descriptor = nullptr;
        }
      }
      return std::make_unique<SelectNode>(e.id, std::move(root), sel.field, sel.test_only,
                                          descriptor, field);
    }
    return std::make_unique<SelectChainNode>(e.id, std::move(root), std::move(steps));
  }

  // The operands of the `fn` (&& or ||) chain rooted at `e`, left to right,
  // and the chain's binary tree in postfix (see LogicalChainNode).
  absl::Status PlanChain(const Expr& e, const std::string& fn, std::vector<NodePtr>* operands,
                         std::vector<int32_t>* shape) {
    const CallExpr* call = e.as_call();
    if (call != nullptr && call->target == nullptr && call->function == fn &&
        call->args.size() == 2) {
      PITBOSS_RETURN_IF_ERROR(PlanChain(*call->args[0], fn, operands, shape));
      PITBOSS_RETURN_IF_ERROR(PlanChain(*call->args[1], fn, operands, shape));
      shape->push_back(LogicalChainNode::kCombine);
      return absl::OkStatus();
    }
    PITBOSS_ASSIGN_OR_RETURN(NodePtr operand, Plan(e));
    shape->push_back(static_cast<int32_t>(operands->size()));
    operands->push_back(std::move(operand));
    return absl::OkStatus();
  }

  absl::StatusOr<NodePtr> PlanCall(const Expr& e, const CallExpr& call) {
    const Reference* ref = FindReference(e.id);
    const std::string& fn = call.function;
    if (call.target == nullptr) {
      if ((fn == op::kLogicalAnd || fn == op::kLogicalOr) && call.args.size() == 2) {
        std::vector<NodePtr> operands;
        std::vector<int32_t> shape;
        PITBOSS_RETURN_IF_ERROR(PlanChain(e, fn, &operands, &shape));
        return std::make_unique<LogicalChainNode>(e.id, fn == op::kLogicalAnd,
                                                  std::move(operands), std::move(shape));
      }
      if (fn == op::kConditional && call.args.size() == 3) {
        PITBOSS_ASSIGN_OR_RETURN(NodePtr c, Plan(*call.args[0]));
        PITBOSS_ASSIGN_OR_RETURN(NodePtr t, Plan(*call.args[1]));
        PITBOSS_ASSIGN_OR_RETURN(NodePtr f, Plan(*call.args[2]));
        if (const Value* cv = c->ConstantValue(); cv != nullptr && cv->IsBool()) {
          return cv->bool_value() ? std::move(t) : std::move(f);
        }
        return std::make_unique<ConditionalNode>(e.id, std::move(c), std::move(t),
                                                 std::move(f));
      }
      if (fn == kMapInsertFunction && (call.args.size() == 2 || call.args.size() == 3)) {
        std::vector<NodePtr> args;
        for (const ExprPtr& a : call.args) {
          PITBOSS_ASSIGN_OR_RETURN(NodePtr arg, Plan(*a));
          args.push_back(std::move(arg));
        }
        return std::make_unique<MapInsertNode>(e.id, std::move(args));
      }
      if (fn == op::kOptSelect && call.args.size() == 2 &&
          (checked_ == nullptr || ref != nullptr) && HasFunction(registry_, op::kOptSelect)) {
        return PlanOptionalSelect(e, call);
      }
      if (fn == op::kNotStrictlyFalse && call.args.size() == 1) {
        PITBOSS_ASSIGN_OR_RETURN(NodePtr arg, Plan(*call.args[0]));
        return std::make_unique<NotStrictlyFalseNode>(e.id, std::move(arg));
      }
    }
    if (call.target != nullptr && call.args.size() == 1 && (fn == "or" || fn == "orValue")) {
      const char* id = fn == "or" ? "optional_or_optional" : "optional_orValue_value";
      const bool optional_or =
          ref != nullptr ? ref->overload_ids.size() == 1 && ref->overload_ids[0] == id
                         : checked_ == nullptr && FindOverloadById(registry_, id) != nullptr;
      if (optional_or) {
        PITBOSS_ASSIGN_OR_RETURN(NodePtr optional, Plan(*call.target));
        PITBOSS_ASSIGN_OR_RETURN(NodePtr alternative, Plan(*call.args[0]));
        const bool all_const =
            optional->ConstantValue() != nullptr && alternative->ConstantValue() != nullptr;
        return Fold(std::make_unique<OptionalOrNode>(e.id, fn == "orValue", std::move(optional),
                                                     std::move(alternative)),
                    all_const);
      }
    }
    std::string function = fn;
    bool receiver = call.target != nullptr;
    bool namespaced = false;
    if (ref != nullptr) {
      function = ref->name;
      namespaced = ref->namespaced_call;
    } else if (checked_ == nullptr && call.target != nullptr) {
      std::string qname;
      if (QualifiedName(*call.target, &qname) && FindLocal(RootIdent(*call.target)) < 0) {
        for (const std::string& cand : env_.Candidates(absl::StrCat(qname, ".", fn))) {
          if (HasFunction(registry_, cand)) {
            function = cand;
            namespaced = true;
            break;
          }
        }
      }
    } else if (checked_ == nullptr) {
      for (const std::string& cand : env_.Candidates(fn)) {
        if (HasFunction(registry_, cand)) {
          function = cand;
          break;
        }
      }
    }
    if (namespaced) receiver = false;
    std::vector<NodePtr> args;
    if (receiver) {
      PITBOSS_ASSIGN_OR_RETURN(NodePtr target, Plan(*call.target));
      args.push_back(std::move(target));
    }
    for (const ExprPtr& a : call.args) {
      PITBOSS_ASSIGN_OR_RETURN(NodePtr arg, Plan(*a));
      args.push_back(std::move(arg));
    }
    bool all_const = true;
    for (const NodePtr& a : args) all_const &= a->ConstantValue() != nullptr;
    if (ref != nullptr && ref->overload_ids.size() == 1 && !all_const) {
      const std::string& oid = ref->overload_ids[0];
      const Overload* overload = FindOverloadById(registry_, oid);
      if (overload != nullptr && args.size() == 1) {
        if (oid == "logical_not") return std::make_unique<NotNode>(e.id, std::move(args[0]));
        if ((oid == "size_list" || oid == "list_size") && RepeatedFieldOfSlot(*args[0])) {
          return std::make_unique<RepeatedSizeNode>(e.id, std::move(args[0]), overload);
        }
      }
      if (overload != nullptr && args.size() == 2 && oid == "in_list" &&
          InListNode::Applies(*args[1])) {
        return std::make_unique<InListNode>(e.id, std::move(args[0]), std::move(args[1]),
                                            overload);
      }
    }
    if (ref != nullptr && ref->overload_ids.size() == 1 && args.size() == 2 && !all_const) {
      const Expr& lhs_expr = receiver ? *call.target : *call.args[0];
      const CelType* lhs_type = FindType(lhs_expr.id);
      FastOp fast;
      const Overload* overload = FindOverloadById(registry_, ref->overload_ids[0]);
      if (overload != nullptr && lhs_type != nullptr &&
          FindFastOp(ref->overload_ids[0], *lhs_type, &fast)) {
        auto general = std::make_unique<FastBinaryNode>(e.id, fast, std::move(args[0]),
                                                        std::move(args[1]), overload);
        if (auto leaf = FieldConstCompareNode::TryCreate(general)) return leaf;
        return general;
      }
    }
    static const std::vector<std::string>* const kNoIds = new std::vector<std::string>();
    PITBOSS_ASSIGN_OR_RETURN(
        NodePtr node, MakeCallNode(e.id, function, receiver, std::move(args),
                                   ref != nullptr ? ref->overload_ids : *kNoIds, registry_));
    return Fold(std::move(node), all_const);
  }

  // `operand.?field`: an OptionalSelectNode, with the field's descriptor when
  // the checker typed the operand as a message (or an optional of one).
  absl::StatusOr<NodePtr> PlanOptionalSelect(const Expr& e, const CallExpr& call) {
    const Constant* name = call.args[1]->as_constant();
    if (name == nullptr || name->kind != Constant::Kind::kString) {
      return absl::InvalidArgumentError("unsupported optional field selection");
    }
    const FieldDescriptor* field = nullptr;
    if (const CelType* t = FindType(call.args[0]->id)) {
      CelType message = *t;
      CelType inner;
      if (IsOptionalType(message, &inner)) message = inner;
      if (message.kind() == CelType::Kind::kMessage) {
        if (const Descriptor* d = env_.provider().FindMessage(message.name())) {
          field = d->FindFieldByName(name->string_value);
        }
      }
    }
    PITBOSS_ASSIGN_OR_RETURN(NodePtr operand, Plan(*call.args[0]));
    const bool all_const = operand->ConstantValue() != nullptr;
    return Fold(std::make_unique<OptionalSelectNode>(e.id, std::move(operand),
                                                     name->string_value, field),
                all_const);
  }

  // Replaces `node` by its value when its inputs are constants.
  NodePtr Fold(NodePtr node, bool all_const) {
    if (!options_.fold_constants || !all_const) return node;
    Frame frame;
    frame.ctx = &fold_ctx_;
    frame.steps_left = std::numeric_limits<int64_t>::max();
    frame.iterations_left = std::numeric_limits<int64_t>::max();
    Value v = node->Eval(frame);
    if (v.IsUnknown()) return node;
    return std::make_unique<ConstNode>(node->id(), v);
  }

  absl::StatusOr<NodePtr> PlanList(const Expr& e, const ListExpr& list) {
    std::vector<NodePtr> elements;
    std::vector<bool> optional(list.elements.size(), false);
    for (int32_t i : list.optional_indices) {
      if (i >= 0 && static_cast<size_t>(i) < optional.size()) optional[i] = true;
    }
    bool all_const = true;
    for (const ExprPtr& el : list.elements) {
      PITBOSS_ASSIGN_OR_RETURN(NodePtr n, Plan(*el));
      all_const &= n->ConstantValue() != nullptr;
      elements.push_back(std::move(n));
    }
    return Fold(std::make_unique<ListNode>(e.id, std::move(elements), std::move(optional)),
                all_const);
  }

  absl::StatusOr<NodePtr> PlanMap(const Expr& e, const MapExpr& map) {
    std::vector<MapNode::Entry> entries;
    bool all_const = true;
    for (const MapExpr::Entry& entry : map.entries) {
      PITBOSS_ASSIGN_OR_RETURN(NodePtr k, Plan(*entry.key));
      PITBOSS_ASSIGN_OR_RETURN(NodePtr v, Plan(*entry.value));
      all_const &= k->ConstantValue() != nullptr && v->ConstantValue() != nullptr;
      entries.push_back(MapNode::Entry{std::move(k), std::move(v), entry.optional});
    }
    return Fold(std::make_unique<MapNode>(e.id, std::move(entries)), all_const);
  }

  absl::StatusOr<NodePtr> PlanStruct(const Expr& e, const StructExpr& st) {
    const Descriptor* descriptor = nullptr;
    if (const Reference* ref = FindReference(e.id)) {
      descriptor = env_.provider().FindMessage(ref->name);
    } else {
      for (const std::string& cand : env_.Candidates(st.message_name)) {
        descriptor = env_.provider().FindMessage(cand);
        if (descriptor != nullptr) break;
      }
    }
    std::vector<StructNode::Field> fields;
    for (const StructExpr::Entry& entry : st.entries) {
      PITBOSS_ASSIGN_OR_RETURN(NodePtr v, Plan(*entry.value));
      fields.push_back(StructNode::Field{entry.field, std::move(v), entry.optional});
    }
    if (descriptor == nullptr) {
      // Unchecked and unknown: an error when evaluated.
      return std::make_unique<ConstNode>(
          e.id, fold_ctx_.Error(absl::NotFoundError(
                    absl::StrCat("unknown message type '", st.message_name, "'"))));
    }
    return std::make_unique<StructNode>(e.id, descriptor, std::move(fields));
  }

  absl::StatusOr<NodePtr> PlanComprehension(const Expr& e, const ComprehensionExpr& c) {
    PITBOSS_ASSIGN_OR_RETURN(NodePtr range, Plan(*c.iter_range));
    PITBOSS_ASSIGN_OR_RETURN(NodePtr init, Plan(*c.accu_init));
    const int accu_slot = NewSlot();
    const int iter_slot = NewSlot();
    const int iter2_slot = c.iter_var2.empty() ? -1 : NewSlot();
    locals_.emplace_back(c.accu_var, accu_slot);
    locals_.emplace_back(c.iter_var, iter_slot);
    if (iter2_slot >= 0) locals_.emplace_back(c.iter_var2, iter2_slot);
    absl::StatusOr<NodePtr> cond = Plan(*c.loop_condition);
    absl::StatusOr<NodePtr> step = cond.ok() ? Plan(*c.loop_step) : cond.status();
    locals_.pop_back();
    if (iter2_slot >= 0) locals_.pop_back();
    if (!step.ok()) return step.status();
    absl::StatusOr<NodePtr> result = Plan(*c.result);
    locals_.pop_back();
    if (!result.ok()) return result.status();
    return std::make_unique<ComprehensionNode>(e.id, iter_slot, iter2_slot, accu_slot,
                                               std::move(range), std::move(init),
                                               std::move(*cond), std::move(*step),
                                               std::move(*result));
  }

  const CheckedExpr* checked_;
  const CheckerEnv& env_;
  const FunctionRegistry& registry_;
  PlannerOptions options_;
  ProgramImpl* program_;
  EvalContext fold_ctx_;
  absl::flat_hash_map<std::string, int> var_slots_;
  absl::flat_hash_map<std::string, int> layout_slots_;  // variable_order
  std::vector<std::pair<std::string, int>> locals_;
};

}  // namespace

FunctionDecl MapInsertDecl() {
  const CelType k = CelType::Param("K");
  const CelType v = CelType::Param("V");
  const CelType map = CelType::Map(k, v);
  FunctionDecl decl;
  decl.name = kMapInsertFunction;
  decl.overloads.push_back({"cel_@mapInsert_map_key_value", {map, k, v}, map, false});
  decl.overloads.push_back({"cel_@mapInsert_map_map", {map, map}, map, false});
  return decl;
}

absl::StatusOr<std::unique_ptr<ProgramImpl>> Plan(const ParsedExpr& parsed,
                                                  const CheckedExpr* checked,
                                                  const CheckerEnv& env,
                                                  const FunctionRegistry& registry,
                                                  const PlannerOptions& options,
                                                  google::protobuf::MessageFactory* factory) {
  auto program = std::make_unique<ProgramImpl>();
  program->pool = env.provider().pool();
  program->factory = factory;
  program->max_steps = options.max_steps;
  program->max_iterations = options.max_iterations;
  program->result_type = checked != nullptr ? checked->result_type : CelType::Dyn();
  program->source = parsed.source_info.text;
  Planner planner(checked, env, registry, options, program.get());
  PITBOSS_ASSIGN_OR_RETURN(program->root, planner.Plan(parsed.expr));
  program->FinishPlanning();
  return program;
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
