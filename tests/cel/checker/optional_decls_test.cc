// The optional-value and encoders declarations agree with the runtime: every
// declared overload id is implemented with the same function name, receiver
// style and arity, and every implementation the opt-in registries add is
// declared (`_?._` is typed by the checker itself, not by a declaration).
#include "src/cel/checker/optional_decls.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cel/checker/standard_decls.h"
#include "src/cel/runtime/function_registry.h"

namespace pitboss {
namespace cel {
namespace {

// Ids `extended` registers beyond StandardRegistry().
std::set<std::string> AddedIds(const FunctionRegistry& extended) {
  std::vector<std::string> standard_list = StandardRegistry().OverloadIds();
  std::set<std::string> standard(standard_list.begin(), standard_list.end());
  std::set<std::string> added;
  for (const std::string& id : extended.OverloadIds()) {
    if (standard.count(id) == 0) added.insert(id);
  }
  return added;
}

std::set<std::string> DeclaredIds(const std::vector<FunctionDecl>& decls) {
  std::set<std::string> ids;
  for (const FunctionDecl& fn : decls) {
    for (const OverloadDecl& o : fn.overloads) {
      EXPECT_TRUE(ids.insert(o.id).second) << "duplicate overload id " << o.id;
    }
  }
  return ids;
}

void ExpectSameShape(const std::vector<FunctionDecl>& decls,
                     const FunctionRegistry& registry) {
  for (const FunctionDecl& fn : decls) {
    for (const OverloadDecl& o : fn.overloads) {
      const Overload* impl = registry.FindById(o.id);
      ASSERT_NE(impl, nullptr) << "declared but not implemented: " << o.id;
      EXPECT_EQ(impl->function, fn.name) << o.id;
      EXPECT_EQ(impl->receiver_style, o.member) << o.id;
      EXPECT_EQ(impl->arity(), o.params.size()) << o.id;
    }
  }
}

TEST(OptionalDeclsTest, DeclaredIdsEqualTheOptionalRegistryIds) {
  std::set<std::string> declared = DeclaredIds(OptionalFunctionDecls());
  declared.insert(kSelectOptionalFieldId);
  EXPECT_EQ(declared, AddedIds(StandardRegistryWith(true, false)));
  ExpectSameShape(OptionalFunctionDecls(), StandardRegistryWith(true, false));
}

TEST(OptionalDeclsTest, DeclaredIdsEqualTheEncodersRegistryIds) {
  EXPECT_EQ(DeclaredIds(EncodersExtensionDecls()),
            AddedIds(StandardRegistryWith(false, true)));
  ExpectSameShape(EncodersExtensionDecls(), StandardRegistryWith(false, true));
}

TEST(OptionalDeclsTest, RegistriesCombine) {
  EXPECT_EQ(&StandardRegistryWith(false, false), &StandardRegistry());
  std::set<std::string> both = AddedIds(StandardRegistryWith(true, true));
  std::set<std::string> expected = AddedIds(StandardRegistryWith(true, false));
  for (const std::string& id : AddedIds(StandardRegistryWith(false, true)))
    expected.insert(id);
  EXPECT_EQ(both, expected);
}

TEST(OptionalDeclsTest, OptionalTypeRoundTrips) {
  CelType inner;
  EXPECT_TRUE(IsOptionalType(OptionalType(CelType::Int()), &inner));
  EXPECT_EQ(inner, CelType::Int());
  EXPECT_EQ(OptionalType(CelType::String()).DebugString(), "optional_type(string)");
  EXPECT_FALSE(IsOptionalType(CelType::Opaque("other", {CelType::Int()}), &inner));
  EXPECT_FALSE(IsOptionalType(CelType::List(CelType::Int()), &inner));
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
