// Function registry and runtime dispatch (see function_registry.h).
#include "src/cel/runtime/function_registry.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cel {

bool Overload::Matches(absl::Span<const Value> args) const {
  if (args.size() != arg_kinds.size()) return false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (arg_kinds[i] != ValueKind::kAny && arg_kinds[i] != args[i].kind()) return false;
  }
  return true;
}

absl::Status FunctionRegistry::Register(Overload overload) {
  if (overload.impl == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("overload ", overload.id, " has no implementation"));
  }
  if (by_id_.contains(overload.id)) {
    return absl::AlreadyExistsError(absl::StrCat("duplicate overload id ", overload.id));
  }
  // Overloads may share runtime kinds (e.g. math_@max_list_int and
  // math_@max_list_double both take a list): dispatch picks the first, so they
  // must implement the same generic behaviour.
  overloads_.push_back(std::make_unique<Overload>(std::move(overload)));
  const Overload* stored = overloads_.back().get();
  by_id_[stored->id] = stored;
  by_function_[stored->function].push_back(stored);
  return absl::OkStatus();
}

const Overload* FunctionRegistry::FindById(absl::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<const Overload*> FunctionRegistry::FindOverloads(absl::string_view function,
                                                             bool receiver_style,
                                                             size_t arity) const {
  std::vector<const Overload*> out;
  auto it = by_function_.find(function);
  if (it == by_function_.end()) return out;
  for (const Overload* o : it->second) {
    if (o->receiver_style == receiver_style && o->arity() == arity) out.push_back(o);
  }
  return out;
}

const Overload* FunctionRegistry::Resolve(absl::string_view function, bool receiver_style,
                                          absl::Span<const Value> args) const {
  auto it = by_function_.find(function);
  if (it == by_function_.end()) return nullptr;
  for (const Overload* o : it->second) {
    if (o->receiver_style == receiver_style && o->Matches(args)) return o;
  }
  return nullptr;
}

std::vector<std::string> FunctionRegistry::OverloadIds() const {
  std::vector<std::string> ids;
  ids.reserve(overloads_.size());
  for (const auto& o : overloads_) ids.push_back(o->id);
  return ids;
}

bool PropagateErrorOrUnknown(absl::Span<const Value> args, EvalContext& ctx, Value* out) {
  const Value* first_error = nullptr;
  const Value* first_unknown = nullptr;
  size_t unknowns = 0;
  for (const Value& a : args) {
    if (a.IsUnknown()) {
      if (first_unknown == nullptr) first_unknown = &a;
      ++unknowns;
    } else if (a.IsError() && first_error == nullptr) {
      first_error = &a;
    }
  }
  if (first_unknown != nullptr) {
    if (unknowns == 1) {
      *out = *first_unknown;
    } else {
      std::vector<int64_t> ids;
      for (const Value& a : args) {
        if (a.IsUnknown()) ids.insert(ids.end(), a.unknown_ids().begin(), a.unknown_ids().end());
      }
      *out = Value::Unknown(ctx.arena(), ids);
    }
    return true;
  }
  if (first_error != nullptr) {
    *out = *first_error;
    return true;
  }
  return false;
}

Value Invoke(const Overload& overload, absl::Span<const Value> args, EvalContext& ctx) {
  if (overload.strict) {
    Value propagated;
    if (PropagateErrorOrUnknown(args, ctx, &propagated)) return propagated;
  }
  return overload.impl(args, ctx);
}

Value FunctionRegistry::Dispatch(absl::string_view function, bool receiver_style,
                                 absl::Span<const Value> args, EvalContext& ctx) const {
  auto it = by_function_.find(function);
  if (it == by_function_.end()) return ctx.NoSuchOverload();
  const std::vector<const Overload*>& overloads = it->second;
  // Non-strict overloads see errors/unknowns as they are.
  for (const Overload* o : overloads) {
    if (!o->strict && o->receiver_style == receiver_style && o->Matches(args)) {
      return o->impl(args, ctx);
    }
  }
  Value propagated;
  if (PropagateErrorOrUnknown(args, ctx, &propagated)) return propagated;
  for (const Overload* o : overloads) {
    if (o->receiver_style == receiver_style && o->Matches(args)) return o->impl(args, ctx);
  }
  return ctx.NoSuchOverload();
}

namespace {

// The standard functions with the strings and math extensions, plus the
// opt-in libraries asked for. Registration of the built-in tables cannot fail
// unless they contain a bug; tests/cel/runtime/function_registry_test.cc
// checks that it succeeds.
const FunctionRegistry* BuildRegistry(bool optional_values, bool encoders) {
  auto* r = new FunctionRegistry();
  absl::Status s = RegisterStandardFunctions(r);
  if (s.ok()) s = RegisterStringsExtension(r);
  if (s.ok()) s = RegisterMathExtension(r);
  if (s.ok() && optional_values) s = RegisterOptionalFunctions(r);
  if (s.ok() && encoders) s = RegisterEncodersExtension(r);
  (void)s;
  return r;
}

}  // namespace

const FunctionRegistry& StandardRegistry() {
  static const FunctionRegistry* const kRegistry = BuildRegistry(false, false);
  return *kRegistry;
}

const FunctionRegistry& StandardRegistryWith(bool optional_values, bool encoders) {
  // Each combination is built the first time it is asked for.
  if (optional_values && encoders) {
    static const FunctionRegistry* const kBoth = BuildRegistry(true, true);
    return *kBoth;
  }
  if (optional_values) {
    static const FunctionRegistry* const kOptional = BuildRegistry(true, false);
    return *kOptional;
  }
  if (encoders) {
    static const FunctionRegistry* const kEncoders = BuildRegistry(false, true);
    return *kEncoders;
  }
  return StandardRegistry();
}

}  // namespace cel
}  // namespace pitboss
