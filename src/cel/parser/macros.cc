// Implementation of CEL macro expansion (see macros.h).
#include "src/cel/parser/macros.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cel {
namespace parser_internal {
namespace {

// The accumulator name of older CEL implementations; rejected as an iteration
// variable like cel-go does, so expressions stay portable.
constexpr char kLegacyAccumulatorVar[] = "__result__";
// Iteration variable of cel.bind's empty loop.
constexpr char kUnusedIterVar[] = "#unused";
// Holds the target of optMap / optFlatMap.
constexpr char kOptionalVar[] = "@opt";

enum class MacroKind {
  kHas,
  kAll,
  kExists,
  kExistsOne,
  kMap,
  kMapFilter,
  kFilter,
  kAll2,
  kExists2,
  kExistsOne2,
  kTransformList,
  kTransformListFilter,
  kTransformMap,
  kTransformMapFilter,
  kTransformMapEntry,
  kTransformMapEntryFilter,
  kBind,
  kOptMap,
  kOptFlatMap,
  kNone,
};

MacroKind Classify(const MacroOptions& o, absl::string_view f, size_t n,
                   const Expr* target) {
  if (target == nullptr) {
    if (o.standard && f == "has" && n == 1) return MacroKind::kHas;
    return MacroKind::kNone;
  }
  if (o.standard) {
    if (f == "all" && n == 2) return MacroKind::kAll;
    if (f == "exists" && n == 2) return MacroKind::kExists;
    if ((f == "exists_one" || f == "existsOne") && n == 2) return MacroKind::kExistsOne;
    if (f == "map" && n == 2) return MacroKind::kMap;
    if (f == "map" && n == 3) return MacroKind::kMapFilter;
    if (f == "filter" && n == 2) return MacroKind::kFilter;
  }
  if (o.standard && o.two_var) {
    if (f == "all" && n == 3) return MacroKind::kAll2;
    if (f == "exists" && n == 3) return MacroKind::kExists2;
    if ((f == "existsOne" || f == "exists_one") && n == 3) return MacroKind::kExistsOne2;
    if (f == "transformList" && n == 3) return MacroKind::kTransformList;
    if (f == "transformList" && n == 4) return MacroKind::kTransformListFilter;
    if (f == "transformMap" && n == 3) return MacroKind::kTransformMap;
    if (f == "transformMap" && n == 4) return MacroKind::kTransformMapFilter;
    if (f == "transformMapEntry" && n == 3) return MacroKind::kTransformMapEntry;
    if (f == "transformMapEntry" && n == 4) return MacroKind::kTransformMapEntryFilter;
  }
  if (o.standard && o.bind && f == "bind" && n == 3 && target->as_ident() != nullptr &&
      target->as_ident()->name == "cel") {
    return MacroKind::kBind;
  }
  if (o.standard && o.optional) {
    if (f == "optMap" && n == 2) return MacroKind::kOptMap;
    if (f == "optFlatMap" && n == 2) return MacroKind::kOptFlatMap;
  }
  return MacroKind::kNone;
}

// Builds the nodes of an expansion; every node gets a fresh id positioned at
// the macro call.
class Builder {
 public:
  Builder(MacroContext& ctx, int32_t offset) : ctx_(ctx), offset_(offset) {}

  int64_t NewId() { return ctx_.NextId(offset_); }
  ExprPtr Ident(std::string name) {
    return std::make_unique<Expr>(ctx_.NextId(offset_), IdentExpr{std::move(name)});
  }
  ExprPtr Accu() { return Ident(kAccumulatorVar); }
  ExprPtr Lit(Constant c) { return std::make_unique<Expr>(ctx_.NextId(offset_), std::move(c)); }
  ExprPtr Call(std::string function, std::vector<ExprPtr> args) {
    CallExpr call;
    call.function = std::move(function);
    call.args = std::move(args);
    return std::make_unique<Expr>(ctx_.NextId(offset_), std::move(call));
  }
  ExprPtr MemberCall(std::string function, ExprPtr target) {
    CallExpr call;
    call.function = std::move(function);
    call.target = std::move(target);
    return std::make_unique<Expr>(ctx_.NextId(offset_), std::move(call));
  }
  ExprPtr Call1(const char* f, ExprPtr a) {
    std::vector<ExprPtr> v;
    v.push_back(std::move(a));
    return Call(f, std::move(v));
  }
  ExprPtr Call2(const char* f, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    return Call(f, std::move(v));
  }
  ExprPtr Call3(const char* f, ExprPtr a, ExprPtr b, ExprPtr c) {
    std::vector<ExprPtr> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    v.push_back(std::move(c));
    return Call(f, std::move(v));
  }
  ExprPtr List(ExprPtr element) {
    ListExpr list;
    if (element != nullptr) list.elements.push_back(std::move(element));
    return std::make_unique<Expr>(ctx_.NextId(offset_), std::move(list));
  }
  ExprPtr EmptyMap() { return std::make_unique<Expr>(ctx_.NextId(offset_), MapExpr{}); }

 private:
  MacroContext& ctx_;
  int32_t offset_;
};

Expr Fold(int64_t id, std::string iter_var, std::string iter_var2, ExprPtr range,
          std::string accu_var, ExprPtr init, ExprPtr cond, ExprPtr step, ExprPtr result) {
  ComprehensionExpr c;
  c.iter_var = std::move(iter_var);
  c.iter_var2 = std::move(iter_var2);
  c.iter_range = std::move(range);
  c.accu_var = std::move(accu_var);
  c.accu_init = std::move(init);
  c.loop_condition = std::move(cond);
  c.loop_step = std::move(step);
  c.result = std::move(result);
  return Expr(id, std::move(c));
}

Expr ErrorNode(int64_t id) { return Expr(id, std::monostate()); }

}  // namespace

bool IsMacro(const MacroOptions& options, absl::string_view function, size_t arg_count,
             const Expr* target) {
  return Classify(options, function, arg_count, target) != MacroKind::kNone;
}

Expr ExpandMacro(MacroContext& ctx, const MacroOptions& options, int64_t call_id,
                 int32_t call_offset, absl::string_view function, ExprPtr target,
                 std::vector<ExprPtr> args) {
  const MacroKind kind = Classify(options, function, args.size(), target.get());
  Builder b(ctx, call_offset);
  auto arg_offset = [&](size_t i) {
    int32_t off = ctx.OffsetOf(args[i]->id);
    return off >= 0 ? off : call_offset;
  };

  if (kind == MacroKind::kHas) {
    SelectExpr* sel = args[0]->as_select();
    if (sel == nullptr || sel->test_only) {
      ctx.ReportError(arg_offset(0), "invalid argument to has() macro");
      return ErrorNode(call_id);
    }
    return Expr(call_id, SelectExpr{std::move(sel->operand), sel->field, true});
  }

  // Checks that args[i] is a simple identifier usable as a loop variable.
  auto var_name = [&](size_t i, std::string* name) {
    const IdentExpr* ident = args[i]->as_ident();
    if (ident == nullptr || ident->name.empty() || ident->name[0] == '.') {
      ctx.ReportError(arg_offset(i), "argument must be a simple name");
      return false;
    }
    if (ident->name == kLegacyAccumulatorVar || ident->name == kAccumulatorVar) {
      ctx.ReportError(arg_offset(i), "iteration variable overwrites accumulator variable");
      return false;
    }
    *name = ident->name;
    return true;
  };

  switch (kind) {
    case MacroKind::kAll:
    case MacroKind::kExists:
    case MacroKind::kExistsOne:
    case MacroKind::kAll2:
    case MacroKind::kExists2:
    case MacroKind::kExistsOne2: {
      const bool two = kind == MacroKind::kAll2 || kind == MacroKind::kExists2 ||
                       kind == MacroKind::kExistsOne2;
      std::string v1, v2;
      if (!var_name(0, &v1)) return ErrorNode(call_id);
      if (two) {
        if (!var_name(1, &v2)) return ErrorNode(call_id);
        if (v1 == v2) {
          ctx.ReportError(arg_offset(1), "duplicate variable name: " + v2);
          return ErrorNode(call_id);
        }
      }
      ExprPtr pred = std::move(args.back());
      ExprPtr init, cond, step, result;
      if (kind == MacroKind::kAll || kind == MacroKind::kAll2) {
        init = b.Lit(Constant::Bool(true));
        cond = b.Call1(op::kNotStrictlyFalse, b.Accu());
        step = b.Call2(op::kLogicalAnd, b.Accu(), std::move(pred));
        result = b.Accu();
      } else if (kind == MacroKind::kExists || kind == MacroKind::kExists2) {
        init = b.Lit(Constant::Bool(false));
        cond = b.Call1(op::kNotStrictlyFalse, b.Call1(op::kLogicalNot, b.Accu()));
        step = b.Call2(op::kLogicalOr, b.Accu(), std::move(pred));
        result = b.Accu();
      } else {
        init = b.Lit(Constant::Int64(0));
        cond = b.Lit(Constant::Bool(true));
        step = b.Call3(op::kConditional, std::move(pred),
                       b.Call2(op::kAdd, b.Accu(), b.Lit(Constant::Int64(1))), b.Accu());
        result = b.Call2(op::kEquals, b.Accu(), b.Lit(Constant::Int64(1)));
      }
      return Fold(call_id, v1, v2, std::move(target), kAccumulatorVar, std::move(init),
                  std::move(cond), std::move(step), std::move(result));
    }
    case MacroKind::kMap:
    case MacroKind::kMapFilter:
    case MacroKind::kFilter: {
      std::string v;
      if (!var_name(0, &v)) return ErrorNode(call_id);
      ExprPtr step;
      if (kind == MacroKind::kMap) {
        step = b.Call2(op::kAdd, b.Accu(), b.List(std::move(args[1])));
      } else if (kind == MacroKind::kMapFilter) {
        step = b.Call3(op::kConditional, std::move(args[1]),
                       b.Call2(op::kAdd, b.Accu(), b.List(std::move(args[2]))), b.Accu());
      } else {
        step = b.Call3(op::kConditional, std::move(args[1]),
                       b.Call2(op::kAdd, b.Accu(), b.List(b.Ident(v))), b.Accu());
      }
      return Fold(call_id, v, "", std::move(target), kAccumulatorVar, b.List(nullptr),
                  b.Lit(Constant::Bool(true)), std::move(step), b.Accu());
    }
    case MacroKind::kTransformList:
    case MacroKind::kTransformListFilter:
    case MacroKind::kTransformMap:
    case MacroKind::kTransformMapFilter:
    case MacroKind::kTransformMapEntry:
    case MacroKind::kTransformMapEntryFilter: {
      std::string v1, v2;
      if (!var_name(0, &v1) || !var_name(1, &v2)) return ErrorNode(call_id);
      if (v1 == v2) {
        ctx.ReportError(arg_offset(1), "duplicate variable name: " + v2);
        return ErrorNode(call_id);
      }
      const bool filtered = args.size() == 4;
      ExprPtr filter = filtered ? std::move(args[2]) : nullptr;
      ExprPtr transform = std::move(args.back());
      ExprPtr init, grow;
      if (kind == MacroKind::kTransformList || kind == MacroKind::kTransformListFilter) {
        init = b.List(nullptr);
        grow = b.Call2(op::kAdd, b.Accu(), b.List(std::move(transform)));
      } else if (kind == MacroKind::kTransformMap ||
                 kind == MacroKind::kTransformMapFilter) {
        init = b.EmptyMap();
        grow = b.Call3(kMapInsert, b.Accu(), b.Ident(v1), std::move(transform));
      } else {
        init = b.EmptyMap();
        grow = b.Call2(kMapInsert, b.Accu(), std::move(transform));
      }
      ExprPtr step = filtered ? b.Call3(op::kConditional, std::move(filter),
                                        std::move(grow), b.Accu())
                              : std::move(grow);
      return Fold(call_id, v1, v2, std::move(target), kAccumulatorVar, std::move(init),
                  b.Lit(Constant::Bool(true)), std::move(step), b.Accu());
    }
    case MacroKind::kBind: {
      std::string v;
      if (!var_name(0, &v)) return ErrorNode(call_id);
      return Fold(call_id, kUnusedIterVar, "", b.List(nullptr), v, std::move(args[1]),
                  b.Lit(Constant::Bool(false)), b.Ident(v), std::move(args[2]));
    }
    case MacroKind::kOptMap:
    case MacroKind::kOptFlatMap: {
      // opt.optMap(x, e) is, with the target evaluated once (bound to @opt
      // instead of copied, so chains of optMap stay linear in size):
      //   cel.bind(@opt, opt,
      //     @opt.hasValue() ? optional.of(cel.bind(x, @opt.value(), e))
      //                     : optional.none())
      // optFlatMap is the same without the optional.of() wrapper.
      std::string v;
      if (!var_name(0, &v)) return ErrorNode(call_id);
      ExprPtr bound = std::make_unique<Expr>(
          Fold(b.NewId(), kUnusedIterVar, "", b.List(nullptr), v,
               b.MemberCall("value", b.Ident(kOptionalVar)), b.Lit(Constant::Bool(false)),
               b.Ident(v), std::move(args[1])));
      ExprPtr then_branch = kind == MacroKind::kOptMap
                                ? b.Call1("optional.of", std::move(bound))
                                : std::move(bound);
      ExprPtr ternary =
          b.Call3(op::kConditional, b.MemberCall("hasValue", b.Ident(kOptionalVar)),
                  std::move(then_branch), b.Call("optional.none", {}));
      return Fold(call_id, kUnusedIterVar, "", b.List(nullptr), kOptionalVar,
                  std::move(target), b.Lit(Constant::Bool(false)), b.Ident(kOptionalVar),
                  std::move(ternary));
    }
    case MacroKind::kHas:
    case MacroKind::kNone:
      break;
  }
  ctx.ReportError(call_offset, absl::StrCat("unknown macro ", function));
  return ErrorNode(call_id);
}

}  // namespace parser_internal
}  // namespace cel
}  // namespace pitboss
