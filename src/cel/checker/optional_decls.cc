// The optional-value declarations (see optional_decls.h), typed as cel-go's
// ext/optional library declares them.
#include "src/cel/checker/optional_decls.h"

#include <string>
#include <utility>

namespace pitboss {
namespace cel {

CelType OptionalType(CelType value) {
  return CelType::Opaque(kOptionalTypeName, {std::move(value)});
}

bool IsOptionalType(const CelType& t, CelType* value) {
  if (t.kind() != CelType::Kind::kOpaque || t.name() != kOptionalTypeName ||
      t.params().size() != 1) {
    return false;
  }
  *value = t.params()[0];
  return true;
}

namespace {

std::vector<FunctionDecl> BuildOptionalDecls() {
  const CelType v = CelType::Param("V");
  const CelType k = CelType::Param("K");
  const CelType opt_v = OptionalType(v);
  const CelType list_v = CelType::List(v);
  const CelType map_kv = CelType::Map(k, v);
  auto global = [](std::string id, std::vector<CelType> params, CelType result) {
    return OverloadDecl{std::move(id), std::move(params), std::move(result), false};
  };
  auto member = [](std::string id, std::vector<CelType> params, CelType result) {
    return OverloadDecl{std::move(id), std::move(params), std::move(result), true};
  };
  std::vector<FunctionDecl> fns;
  fns.push_back({"optional.of", {global("optional_of", {v}, opt_v)}});
  fns.push_back(
      {"optional.ofNonZeroValue", {global("optional_ofNonZeroValue", {v}, opt_v)}});
  fns.push_back({"optional.none", {global("optional_none", {}, opt_v)}});
  fns.push_back({"hasValue", {member("optional_hasValue", {opt_v}, CelType::Bool())}});
  fns.push_back({"value", {member("optional_value", {opt_v}, v)}});
  fns.push_back({"or", {member("optional_or_optional", {opt_v, opt_v}, opt_v)}});
  fns.push_back({"orValue", {member("optional_orValue_value", {opt_v, v}, v)}});
  fns.push_back({"_[?_]",
                 {global("list_optindex_optional_int", {list_v, CelType::Int()}, opt_v),
                  global("optional_list_optindex_optional_int",
                         {OptionalType(list_v), CelType::Int()}, opt_v),
                  global("map_optindex_optional_value", {map_kv, k}, opt_v),
                  global("optional_map_optindex_optional_value",
                         {OptionalType(map_kv), k}, opt_v)}});
  fns.push_back(
      {"_[_]",
       {global("optional_list_index_int", {OptionalType(list_v), CelType::Int()}, opt_v),
        global("optional_map_index_value", {OptionalType(map_kv), k}, opt_v)}});
  return fns;
}

}  // namespace

const std::vector<FunctionDecl>& OptionalFunctionDecls() {
  static const std::vector<FunctionDecl>* const kDecls =
      new std::vector<FunctionDecl>(BuildOptionalDecls());
  return *kDecls;
}

}  // namespace cel
}  // namespace pitboss
