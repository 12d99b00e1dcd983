// The CEL type checker (see checker.h): a single recursive pass over the AST
// with a substitution map for type parameters, then a final pass that applies
// the substitution to every recorded type (unbound parameters become dyn).
#include "src/cel/checker/checker.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cel/checker/optional_decls.h"
#include "src/cel/checker/standard_decls.h"

namespace pitboss {
namespace cel {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

void CheckerEnv::AddFunction(const FunctionDecl& decl) {
  auto it = functions_.find(decl.name);
  if (it == functions_.end()) {
    functions_.emplace(decl.name, decl);
    return;
  }
  for (const OverloadDecl& o : decl.overloads) it->second.overloads.push_back(o);
}

const CelType* CheckerEnv::FindVariable(absl::string_view name) const {
  auto it = variables_.find(name);
  return it == variables_.end() ? nullptr : &it->second;
}

const FunctionDecl* CheckerEnv::FindFunction(absl::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

const CelType* CheckerEnv::FindTypeName(absl::string_view name) const {
  auto it = type_names_.find(name);
  return it == type_names_.end() ? nullptr : &it->second;
}

std::vector<std::string> CheckerEnv::Candidates(absl::string_view name) const {
  std::vector<std::string> out;
  if (!name.empty() && name[0] == '.') {
    out.emplace_back(name.substr(1));
    return out;
  }
  absl::string_view prefix = container_;
  while (!prefix.empty()) {
    out.push_back(absl::StrCat(prefix, ".", name));
    size_t dot = prefix.rfind('.');
    prefix = dot == absl::string_view::npos ? absl::string_view() : prefix.substr(0, dot);
  }
  out.emplace_back(name);
  return out;
}

namespace {

using Kind = CelType::Kind;
using Mapping = absl::flat_hash_map<std::string, CelType>;

// Follows bindings of a type parameter.
const CelType& Resolve(const Mapping& m, const CelType& t) {
  const CelType* cur = &t;
  while (cur->kind() == Kind::kTypeParam) {
    auto it = m.find(cur->name());
    if (it == m.end()) break;
    cur = &it->second;
  }
  return *cur;
}

// Applies the substitution everywhere; unbound parameters become dyn when
// `free_to_dyn`.
CelType Substitute(const Mapping& m, const CelType& t, bool free_to_dyn) {
  const CelType& r = Resolve(m, t);
  if (r.kind() == Kind::kTypeParam) return free_to_dyn ? CelType::Dyn() : r;
  if (r.params().empty()) return r;
  std::vector<CelType> params;
  params.reserve(r.params().size());
  for (const CelType& p : r.params()) params.push_back(Substitute(m, p, free_to_dyn));
  switch (r.kind()) {
    case Kind::kList:
      return CelType::List(std::move(params[0]));
    case Kind::kMap:
      return CelType::Map(std::move(params[0]), std::move(params[1]));
    case Kind::kWrapper:
      return CelType::Wrapper(std::move(params[0]));
    case Kind::kType:
      return CelType::TypeOf(std::move(params[0]));
    case Kind::kOpaque:
      return CelType::Opaque(r.name(), std::move(params));
    default:
      return r;
  }
}

bool OccursIn(const Mapping& m, const std::string& param, const CelType& t) {
  const CelType& r = Resolve(m, t);
  if (r.kind() == Kind::kTypeParam) return r.name() == param;
  for (const CelType& p : r.params()) {
    if (OccursIn(m, param, p)) return true;
  }
  return false;
}

bool NullAssignable(const CelType& t) {
  switch (t.kind()) {
    case Kind::kNull:
    case Kind::kMessage:
    case Kind::kWrapper:
    case Kind::kTimestamp:
    case Kind::kDuration:
    case Kind::kOpaque:
      return true;
    default:
      return false;
  }
}

// Whether a value of type `from` may be used where `to` is expected, binding
// type parameters in `m` as needed.
bool Assignable(Mapping& m, const CelType& to_in, const CelType& from_in) {
  const CelType to = Resolve(m, to_in);
  const CelType from = Resolve(m, from_in);
  if (to.kind() == Kind::kTypeParam) {
    if (from.kind() == Kind::kTypeParam && from.name() == to.name()) return true;
    if (OccursIn(m, to.name(), from)) return false;
    m[to.name()] = from;
    return true;
  }
  if (from.kind() == Kind::kTypeParam) {
    if (OccursIn(m, from.name(), to)) return false;
    m[from.name()] = to;
    return true;
  }
  if (to.IsDynOrError() || from.IsDynOrError()) return true;
  if (to.kind() == Kind::kNull) return NullAssignable(from);
  if (from.kind() == Kind::kNull) return NullAssignable(to);
  if (to.kind() == Kind::kWrapper) {
    if (from.kind() == Kind::kWrapper) return Assignable(m, to.elem(), from.elem());
    return Assignable(m, to.elem(), from);
  }
  if (from.kind() == Kind::kWrapper) return Assignable(m, to, from.elem());
  if (to.kind() != from.kind()) return false;
  switch (to.kind()) {
    case Kind::kList:
      return Assignable(m, to.elem(), from.elem());
    case Kind::kMap:
      return Assignable(m, to.key(), from.key()) && Assignable(m, to.value(), from.value());
    case Kind::kType:
      // Type values compare at run time whatever they denote (cel-go does the
      // same): type(list(int)) == type(list(string)) is well-typed.
      return true;
    case Kind::kMessage:
      return to.name() == from.name();
    case Kind::kOpaque:
      if (to.name() != from.name() || to.params().size() != from.params().size()) {
        return false;
      }
      for (size_t i = 0; i < to.params().size(); ++i) {
        if (!Assignable(m, to.params()[i], from.params()[i])) return false;
      }
      return true;
    default:
      return true;  // same primitive kind
  }
}

// Whether `a` is at most as specific as `b` (cel-go's isEqualOrLessSpecific):
// dyn and free type parameters are the least specific; parameterized types
// of one kind compare parameter by parameter.
bool EqualOrLessSpecific(const CelType& a, const CelType& b) {
  if (a.IsDyn() || a.kind() == Kind::kTypeParam) return true;
  if (b.IsDyn() || b.kind() == Kind::kTypeParam) return false;
  if (a.kind() != b.kind()) return false;
  if (a.params().empty() || a.kind() == Kind::kMessage) return a == b;
  if (a.params().size() != b.params().size()) return false;
  for (size_t i = 0; i < a.params().size(); ++i) {
    if (!EqualOrLessSpecific(a.params()[i], b.params()[i])) return false;
  }
  return true;
}

// Renames an overload's type parameters apart ("A" -> "_A3").
CelType Freshen(const CelType& t, int serial) {
  if (t.kind() == Kind::kTypeParam) return CelType::Param(absl::StrCat("_", t.name(), serial));
  if (t.params().empty()) return t;
  std::vector<CelType> params;
  for (const CelType& p : t.params()) params.push_back(Freshen(p, serial));
  switch (t.kind()) {
    case Kind::kList:
      return CelType::List(std::move(params[0]));
    case Kind::kMap:
      return CelType::Map(std::move(params[0]), std::move(params[1]));
    case Kind::kWrapper:
      return CelType::Wrapper(std::move(params[0]));
    case Kind::kType:
      return CelType::TypeOf(std::move(params[0]));
    case Kind::kOpaque:
      return CelType::Opaque(t.name(), std::move(params));
    default:
      return t;
  }
}

// "a.b.c" when `e` is an Ident / Select chain (not test-only), else empty.
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

class Checker {
 public:
  Checker(const ParsedExpr& parsed, const CheckerEnv& env)
      : parsed_(parsed), env_(env) {}

  void Run(const CheckOptions& options, CheckedExpr* out) {
    CelType result = Visit(parsed_.expr);
    result = Substitute(mapping_, result, true);
    if (options.require_bool_result && result.kind() != Kind::kBool && !result.IsDynOrError()) {
      Error(parsed_.expr.id, absl::StrCat("expected type 'bool' but found '",
                                          result.DebugString(), "'"));
    }
    for (auto& [id, t] : out_.types) t = Substitute(mapping_, t, true);
    for (auto& [id, ref] : out_.references) {
      if (ref.kind == Reference::Kind::kType) ref.type = Substitute(mapping_, ref.type, true);
    }
    out_.result_type = result;
    *out = std::move(out_);
  }

  std::vector<CheckIssue> TakeIssues() { return std::move(issues_); }

 private:
  void Error(int64_t id, std::string message) {
    CheckIssue issue;
    int32_t offset = parsed_.source_info.OffsetOf(id);
    if (offset >= 0) {
      auto [line, col] = parsed_.source_info.LineColumn(offset);
      issue.line = line;
      issue.column = col;
    }
    issue.message = std::move(message);
    issues_.push_back(std::move(issue));
  }

  CelType Set(const Expr& e, CelType t) {
    out_.types[e.id] = t;
    return t;
  }

  std::string FmtType(const CelType& t) {
    return Substitute(mapping_, t, false).DebugString();
  }

  CelType Visit(const Expr& e) {
    switch (e.kind()) {
      case ExprKind::kConstant:
        return Set(e, ConstantType(*e.as_constant()));
      case ExprKind::kIdent:
        return Set(e, VisitIdent(e, *e.as_ident()));
      case ExprKind::kSelect:
        return Set(e, VisitSelect(e, *e.as_select()));
      case ExprKind::kCall:
        return Set(e, VisitCall(e, *e.as_call()));
      case ExprKind::kList:
        return Set(e, VisitList(*e.as_list()));
      case ExprKind::kMap:
        return Set(e, VisitMap(*e.as_map()));
      case ExprKind::kStruct:
        return Set(e, VisitStruct(e, *e.as_struct()));
      case ExprKind::kComprehension:
        return Set(e, VisitComprehension(e, *e.as_comprehension()));
      case ExprKind::kUnspecified:
        break;
    }
    Error(e.id, "unexpected empty expression");
    return Set(e, CelType::Error());
  }

  static CelType ConstantType(const Constant& c) {
    switch (c.kind) {
      case Constant::Kind::kNull:
        return CelType::Null();
      case Constant::Kind::kBool:
        return CelType::Bool();
      case Constant::Kind::kInt64:
        return CelType::Int();
      case Constant::Kind::kUint64:
        return CelType::Uint();
      case Constant::Kind::kDouble:
        return CelType::Double();
      case Constant::Kind::kString:
        return CelType::String();
      case Constant::Kind::kBytes:
        return CelType::Bytes();
      case Constant::Kind::kUnspecified:
        break;
    }
    return CelType::Error();
  }

  const CelType* FindLocal(absl::string_view name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return &found->second;
    }
    return nullptr;
  }

  // Resolves a (possibly qualified) name to a declaration; records the
  // reference on `id` and returns true with its type.
  bool ResolveName(int64_t id, absl::string_view name, CelType* type) {
    if (!name.empty() && name[0] != '.') {
      if (const CelType* local = FindLocal(name)) {
        Reference ref;
        ref.kind = Reference::Kind::kVariable;
        ref.name = std::string(name);
        out_.references[id] = std::move(ref);
        *type = *local;
        return true;
      }
    }
    for (const std::string& cand : env_.Candidates(name)) {
      if (const CelType* var = env_.FindVariable(cand)) {
        Reference ref;
        ref.kind = Reference::Kind::kVariable;
        ref.name = cand;
        out_.references[id] = std::move(ref);
        *type = *var;
        return true;
      }
      int64_t enum_value = 0;
      if (env_.provider().FindEnumConstant(cand, &enum_value)) {
        Reference ref;
        ref.kind = Reference::Kind::kEnumConstant;
        ref.name = cand;
        ref.enum_value = enum_value;
        out_.references[id] = std::move(ref);
        // google.protobuf.NullValue.NULL_VALUE is the null value.
        *type = IsNullValueConstant(cand) ? CelType::Null() : CelType::Int();
        return true;
      }
      CelType type_of;
      bool is_type = StandardTypeIdent(cand, &type_of);
      if (!is_type) {
        if (const CelType* named = env_.FindTypeName(cand)) {
          type_of = CelType::TypeOf(*named);
          is_type = true;
        }
      }
      if (!is_type) {
        if (const Descriptor* d = env_.provider().FindMessage(cand)) {
          type_of = CelType::TypeOf(TypeProvider::MessageValueType(d));
          is_type = true;
        } else if (env_.provider().FindEnum(cand) != nullptr) {
          type_of = CelType::TypeOf(CelType::Int());
          is_type = true;
        }
      }
      if (is_type) {
        Reference ref;
        ref.kind = Reference::Kind::kType;
        ref.name = cand;
        ref.type = type_of.elem();
        out_.references[id] = std::move(ref);
        *type = type_of;
        return true;
      }
    }
    return false;
  }

  CelType VisitIdent(const Expr& e, const IdentExpr& ident) {
    CelType t;
    if (ResolveName(e.id, ident.name, &t)) return t;
    Error(e.id, absl::StrCat("undeclared reference to '", ident.name, "' (in container '",
                             env_.container(), "')"));
    return CelType::Error();
  }

  CelType VisitSelect(const Expr& e, const SelectExpr& sel) {
    if (!sel.test_only) {
      std::string qname;
      if (QualifiedName(e, &qname)) {
        const std::string& root = RootIdent(e);
        bool root_is_local = !root.empty() && root[0] != '.' && FindLocal(root) != nullptr;
        CelType t;
        if (!root_is_local && ResolveName(e.id, qname, &t)) return t;
      }
    }
    CelType operand = Resolve(mapping_, Visit(*sel.operand));
    CelType result = FieldSelection(e, operand, sel.field);
    if (sel.test_only) return CelType::Bool();
    return result;
  }

  CelType FieldSelection(const Expr& e, const CelType& operand, const std::string& field) {
    // Selecting through an optional stays optional (cel-go: a none operand
    // gives none, a present one the field as an optional).
    CelType inner;
    if (IsOptionalType(operand, &inner)) {
      CelType selected = FieldSelection(e, Resolve(mapping_, inner), field);
      return selected.kind() == Kind::kError ? selected : OptionalType(selected);
    }
    switch (operand.kind()) {
      case Kind::kMessage: {
        const Descriptor* d = env_.provider().FindMessage(operand.name());
        const FieldDescriptor* f = d != nullptr ? d->FindFieldByName(field) : nullptr;
        if (f == nullptr) {
          Error(e.id, absl::StrCat("undefined field '", field, "'"));
          return CelType::Error();
        }
        return TypeProvider::FieldType(f);
      }
      case Kind::kMap:
        return operand.value();
      case Kind::kDyn:
      case Kind::kError:
      case Kind::kTypeParam:
        return CelType::Dyn();
      default:
        Error(e.id, absl::StrCat("type '", FmtType(operand),
                                 "' does not support field selection"));
        return CelType::Error();
    }
  }

  // `operand.?field`: the parser's `_?._`(operand, "field"). The field's
  // type (through an optional operand too) as an optional.
  CelType VisitOptionalSelect(const Expr& e, const CallExpr& call) {
    CelType operand = Resolve(mapping_, Visit(*call.args[0]));
    const Expr& field = *call.args[1];
    const Constant* name = field.as_constant();
    if (name == nullptr || name->kind != Constant::Kind::kString) {
      Visit(field);
      Error(field.id, "unsupported optional field selection");
      return CelType::Error();
    }
    Set(field, CelType::String());
    CelType inner;
    if (IsOptionalType(operand, &inner)) operand = Resolve(mapping_, inner);
    CelType selected = FieldSelection(e, operand, name->string_value);
    if (selected.kind() == Kind::kError) return selected;
    Reference ref;
    ref.kind = Reference::Kind::kFunction;
    ref.name = op::kOptSelect;
    ref.overload_ids.push_back(kSelectOptionalFieldId);
    out_.references[e.id] = std::move(ref);
    return OptionalType(selected);
  }

  CelType VisitCall(const Expr& e, const CallExpr& call) {
    if (call.target == nullptr && call.function == op::kOptSelect && call.args.size() == 2 &&
        env_.FindTypeName(kOptionalTypeName) != nullptr) {
      return VisitOptionalSelect(e, call);
    }
    // A receiver that is a namespace: `math.abs(x)`, `pkg.fn(x)`.
    if (call.target != nullptr) {
      std::string qname;
      if (QualifiedName(*call.target, &qname)) {
        const std::string& root = RootIdent(*call.target);
        bool root_is_local = !root.empty() && root[0] != '.' && FindLocal(root) != nullptr;
        if (!root_is_local) {
          for (const std::string& cand :
               env_.Candidates(absl::StrCat(qname, ".", call.function))) {
            if (const FunctionDecl* fn = env_.FindFunction(cand)) {
              std::vector<CelType> args;
              for (const ExprPtr& a : call.args) args.push_back(Visit(*a));
              return ResolveOverload(e, *fn, /*member=*/false, std::move(args), true);
            }
          }
        }
      }
    }
    const FunctionDecl* fn = nullptr;
    if (call.target == nullptr) {
      for (const std::string& cand : env_.Candidates(call.function)) {
        fn = env_.FindFunction(cand);
        if (fn != nullptr) break;
      }
    } else {
      fn = env_.FindFunction(call.function);
    }
    std::vector<CelType> args;
    if (call.target != nullptr) args.push_back(Visit(*call.target));
    for (const ExprPtr& a : call.args) args.push_back(Visit(*a));
    if (fn == nullptr) {
      Error(e.id, absl::StrCat("undeclared reference to '", call.function,
                               "' (in container '", env_.container(), "')"));
      return CelType::Error();
    }
    return ResolveOverload(e, *fn, call.target != nullptr, std::move(args), false);
  }

  CelType ResolveOverload(const Expr& e, const FunctionDecl& fn, bool member,
                          std::vector<CelType> args, bool namespaced) {
    Reference ref;
    ref.kind = Reference::Kind::kFunction;
    ref.name = fn.name;
    ref.namespaced_call = namespaced;
    CelType result;
    bool have_result = false;
    for (const OverloadDecl& o : fn.overloads) {
      if (o.member != member || o.params.size() != args.size()) continue;
      int serial = ++serial_;
      Mapping trial = mapping_;
      bool ok = true;
      for (size_t i = 0; i < args.size() && ok; ++i) {
        ok = Assignable(trial, Freshen(o.params[i], serial), args[i]);
      }
      if (!ok) continue;
      mapping_ = std::move(trial);
      CelType r = Substitute(mapping_, Freshen(o.result, serial), false);
      ref.overload_ids.push_back(o.id);
      if (!have_result) {
        result = r;
        have_result = true;
      } else if (Substitute(mapping_, result, false) != r) {
        result = CelType::Dyn();
      }
    }
    if (ref.overload_ids.empty()) {
      // Errors in arguments were reported already; do not pile on.
      for (const CelType& a : args) {
        if (Resolve(mapping_, a).kind() == Kind::kError) return CelType::Error();
      }
      std::vector<std::string> names;
      for (size_t i = member ? 1 : 0; i < args.size(); ++i) names.push_back(FmtType(args[i]));
      std::string applied = absl::StrCat("(", absl::StrJoin(names, ", "), ")");
      if (member) applied = absl::StrCat(FmtType(args[0]), ".", applied);
      Error(e.id, absl::StrCat("found no matching overload for '", fn.name,
                               "' applied to '", applied, "'"));
      return CelType::Error();
    }
    out_.references[e.id] = std::move(ref);
    return result;
  }

  // The join of element types: the common type, or dyn when they differ.
  CelType Join(const CelType& prev, const CelType& next) {
    Mapping trial = mapping_;
    if (Assignable(trial, prev, next)) {
      mapping_ = std::move(trial);
      CelType p = Substitute(mapping_, prev, false);
      if (p.IsDyn()) return p;
      CelType n = Substitute(mapping_, next, false);
      // The more general of the two: dyn, then the nullable (wrapper) form.
      if (n.IsDyn()) return n;
      if (p.kind() == Kind::kNull) return n;  // null joins a nullable type
      if (n.kind() == Kind::kWrapper && p.kind() != Kind::kWrapper) return n;
      // list(int) and list(dyn), optional_type(int) and optional_type(dyn):
      // the less specific one.
      if (p.kind() == n.kind() && !p.params().empty() && !EqualOrLessSpecific(p, n)) return n;
      return p;
    }
    return CelType::Dyn();
  }

  CelType VisitList(const ListExpr& list) {
    CelType elem;
    bool first = true;
    for (size_t i = 0; i < list.elements.size(); ++i) {
      CelType t = Visit(*list.elements[i]);
      bool optional = false;
      for (int32_t oi : list.optional_indices) optional |= (static_cast<size_t>(oi) == i);
      if (optional) t = OptionalInner(*list.elements[i], t);
      elem = first ? t : Join(elem, t);
      first = false;
    }
    if (first) elem = CelType::Param(absl::StrCat("_elem", ++serial_));
    return CelType::List(elem);
  }

  // The value type of an optional element `[?e]` / entry `{?k: e}`; `e`
  // must be an optional (or dyn).
  CelType OptionalInner(const Expr& element, const CelType& t) {
    CelType r = Resolve(mapping_, t);
    CelType inner;
    if (IsOptionalType(r, &inner)) return inner;
    if (!r.IsDynOrError() && r.kind() != Kind::kTypeParam) {
      Error(element.id, absl::StrCat("expected type '", OptionalType(r).DebugString(),
                                     "' but found '", FmtType(r), "'"));
    }
    return CelType::Dyn();
  }

  CelType VisitMap(const MapExpr& map) {
    CelType key;
    CelType value;
    bool first = true;
    for (const MapExpr::Entry& entry : map.entries) {
      CelType k = Visit(*entry.key);
      CelType v = Visit(*entry.value);
      if (entry.optional) v = OptionalInner(*entry.value, v);
      CelType kr = Resolve(mapping_, k);
      switch (kr.kind()) {
        case Kind::kBool:
        case Kind::kInt:
        case Kind::kUint:
        case Kind::kString:
        case Kind::kDyn:
        case Kind::kError:
        case Kind::kTypeParam:
          break;
        default:
          Error(entry.key->id, absl::StrCat("unsupported map key type '", FmtType(kr), "'"));
      }
      key = first ? k : Join(key, k);
      value = first ? v : Join(value, v);
      first = false;
    }
    if (first) {
      int s = ++serial_;
      key = CelType::Param(absl::StrCat("_key", s));
      value = CelType::Param(absl::StrCat("_value", s));
    }
    return CelType::Map(key, value);
  }

  CelType VisitStruct(const Expr& e, const StructExpr& st) {
    const Descriptor* d = nullptr;
    std::string full_name;
    for (const std::string& cand : env_.Candidates(st.message_name)) {
      d = env_.provider().FindMessage(cand);
      if (d != nullptr) {
        full_name = cand;
        break;
      }
    }
    if (d == nullptr) {
      for (const StructExpr::Entry& entry : st.entries) Visit(*entry.value);
      Error(e.id, absl::StrCat("undeclared reference to '", st.message_name,
                               "' (in container '", env_.container(), "')"));
      return CelType::Error();
    }
    Reference ref;
    ref.kind = Reference::Kind::kMessage;
    ref.name = full_name;
    out_.references[e.id] = std::move(ref);
    for (const StructExpr::Entry& entry : st.entries) {
      CelType v = Visit(*entry.value);
      const FieldDescriptor* f = d->FindFieldByName(entry.field);
      if (f == nullptr) {
        Error(entry.id, absl::StrCat("undefined field '", entry.field, "'"));
        continue;
      }
      CelType ft = TypeProvider::FieldType(f);
      if (entry.optional) ft = OptionalType(ft);
      Mapping trial = mapping_;
      if (Assignable(trial, ft, v)) {
        mapping_ = std::move(trial);
      } else {
        Error(entry.id, absl::StrCat("expected type of field '", entry.field, "' is '",
                                     ft.DebugString(), "' but provided type is '",
                                     FmtType(v), "'"));
      }
    }
    return TypeProvider::MessageValueType(d);
  }

  CelType VisitComprehension(const Expr& e, const ComprehensionExpr& c) {
    CelType range = Resolve(mapping_, Visit(*c.iter_range));
    CelType var1 = CelType::Dyn();
    CelType var2 = CelType::Dyn();
    const bool two = !c.iter_var2.empty();
    switch (range.kind()) {
      case Kind::kList:
        if (two) {
          var1 = CelType::Int();
          var2 = range.elem();
        } else {
          var1 = range.elem();
        }
        break;
      case Kind::kMap:
        var1 = range.key();
        var2 = range.value();
        break;
      case Kind::kDyn:
      case Kind::kError:
      case Kind::kTypeParam:
        break;
      default:
        Error(c.iter_range->id,
              absl::StrCat("expression of type '", FmtType(range),
                           "' cannot be the range of a comprehension (must be list, map, "
                           "or dynamic)"));
        break;
    }
    CelType accu = Visit(*c.accu_init);
    scopes_.emplace_back();
    scopes_.back()[c.accu_var] = accu;
    scopes_.emplace_back();
    scopes_.back()[c.iter_var] = var1;
    if (two) scopes_.back()[c.iter_var2] = var2;
    CelType cond = Visit(*c.loop_condition);
    {
      Mapping trial = mapping_;
      if (Assignable(trial, CelType::Bool(), cond)) {
        mapping_ = std::move(trial);
      } else {
        Error(c.loop_condition->id, absl::StrCat("expected type 'bool' but found '",
                                                 FmtType(cond), "'"));
      }
    }
    CelType step = Visit(*c.loop_step);
    {
      Mapping trial = mapping_;
      if (Assignable(trial, accu, step)) {
        mapping_ = std::move(trial);
      } else {
        Error(c.loop_step->id, absl::StrCat("expected type '", FmtType(accu),
                                            "' but found '", FmtType(step), "'"));
      }
    }
    scopes_.pop_back();
    CelType result = Visit(*c.result);
    scopes_.pop_back();
    (void)e;
    return result;
  }

  const ParsedExpr& parsed_;
  const CheckerEnv& env_;
  Mapping mapping_;
  CheckedExpr out_;
  std::vector<CheckIssue> issues_;
  std::vector<absl::flat_hash_map<std::string, CelType>> scopes_;
  int serial_ = 0;
};

// Splits `text` into lines and returns line `line` (1-based).
absl::string_view SourceLine(absl::string_view text, int32_t line) {
  int32_t current = 1;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      if (current == line) return text.substr(start, i - start);
      ++current;
      start = i + 1;
    }
  }
  if (current == line) return text.substr(start);
  return absl::string_view();
}

}  // namespace

std::string FormatIssue(const SourceInfo& source_info, int32_t line, int32_t column,
                        absl::string_view message) {
  std::string out = absl::StrCat("ERROR: ", source_info.location, ":", line, ":", column,
                                 ": ", message);
  absl::string_view src = SourceLine(source_info.text, line);
  if (line > 0 && column > 0) {
    absl::StrAppend(&out, "\n | ", src, "\n | ");
    // Columns count code points: one '.' per code point before the caret.
    int32_t cps = 0;
    for (size_t i = 0; i < src.size() && cps < column - 1; ++i) {
      if ((static_cast<unsigned char>(src[i]) & 0xC0) != 0x80) {
        out += '.';
        ++cps;
      }
    }
    while (cps++ < column - 1) out += '.';
    out += '^';
  }
  return out;
}

std::vector<CheckIssue> CheckWithIssues(const ParsedExpr& parsed, const CheckerEnv& env,
                                        const CheckOptions& options, CheckedExpr* out) {
  Checker checker(parsed, env);
  CheckedExpr result;
  checker.Run(options, &result);
  std::vector<CheckIssue> issues = checker.TakeIssues();
  if (issues.empty()) *out = std::move(result);
  return issues;
}

absl::StatusOr<CheckedExpr> Check(const ParsedExpr& parsed, const CheckerEnv& env,
                                  const CheckOptions& options) {
  CheckedExpr out;
  std::vector<CheckIssue> issues = CheckWithIssues(parsed, env, options, &out);
  if (issues.empty()) return out;
  std::vector<std::string> lines;
  for (const CheckIssue& issue : issues) {
    lines.push_back(FormatIssue(parsed.source_info, issue.line, issue.column, issue.message));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

}  // namespace cel
}  // namespace pitboss
