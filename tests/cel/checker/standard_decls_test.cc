// The standard declarations table and the runtime registry agree: every
// declared overload id has an implementation and every implementation is
// declared (so checked and unchecked programs see the same library).
#include "src/cel/checker/standard_decls.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cel/runtime/function_registry.h"

namespace pitboss {
namespace cel {
namespace {

std::set<std::string> DeclaredIds() {
  std::set<std::string> ids;
  for (const auto* table :
       {&StandardFunctionDecls(), &StringsExtensionDecls(), &MathExtensionDecls()}) {
    for (const FunctionDecl& fn : *table) {
      for (const OverloadDecl& o : fn.overloads) {
        EXPECT_TRUE(ids.insert(o.id).second) << "duplicate overload id " << o.id;
      }
    }
  }
  return ids;
}

TEST(StandardDeclsTest, DeclaredOverloadIdsEqualRegisteredOverloadIds) {
  std::set<std::string> declared = DeclaredIds();
  std::vector<std::string> registered_list = StandardRegistry().OverloadIds();
  std::set<std::string> registered(registered_list.begin(), registered_list.end());
  std::vector<std::string> missing_impl, undeclared;
  for (const std::string& id : declared) {
    if (registered.count(id) == 0) missing_impl.push_back(id);
  }
  for (const std::string& id : registered) {
    if (declared.count(id) == 0) undeclared.push_back(id);
  }
  EXPECT_THAT(missing_impl, ::testing::IsEmpty()) << "declared but not implemented";
  EXPECT_THAT(undeclared, ::testing::IsEmpty()) << "implemented but not declared";
}

TEST(StandardDeclsTest, DeclarationsMatchRegistryShape) {
  // Function name, receiver style and arity agree for every shared id.
  const FunctionRegistry& registry = StandardRegistry();
  for (const auto* table :
       {&StandardFunctionDecls(), &StringsExtensionDecls(), &MathExtensionDecls()}) {
    for (const FunctionDecl& fn : *table) {
      for (const OverloadDecl& o : fn.overloads) {
        const Overload* impl = registry.FindById(o.id);
        if (impl == nullptr) continue;  // reported by the test above
        EXPECT_EQ(impl->function, fn.name) << o.id;
        EXPECT_EQ(impl->receiver_style, o.member) << o.id;
        EXPECT_EQ(impl->arity(), o.params.size()) << o.id;
      }
    }
  }
}

TEST(StandardDeclsTest, NamesTypeIdentifiers) {
  CelType t;
  ASSERT_TRUE(StandardTypeIdent("int", &t));
  EXPECT_EQ(t.DebugString(), "type(int)");
  ASSERT_TRUE(StandardTypeIdent("google.protobuf.Timestamp", &t));
  EXPECT_EQ(t.DebugString(), "type(google.protobuf.Timestamp)");
  EXPECT_FALSE(StandardTypeIdent("integer", &t));
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
