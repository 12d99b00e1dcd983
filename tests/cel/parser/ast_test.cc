// Tests for the AST helpers: deep copy, equality, line/column lookup and
// destruction of very deep trees.
#include "src/cel/ast.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pitboss {
namespace cel {
namespace {

ExprPtr MakeIdent(int64_t id, std::string name) {
  return std::make_unique<Expr>(id, IdentExpr{std::move(name)});
}

TEST(AstTest, CloneIsDeepAndEqual) {
  CallExpr call;
  call.function = op::kAdd;
  call.args.push_back(MakeIdent(1, "a"));
  call.args.push_back(std::make_unique<Expr>(2, Constant::Int64(7)));
  Expr e(3, std::move(call));
  Expr copy = CloneExpr(e);
  EXPECT_TRUE(ExprEquals(e, copy));
  copy.as_call()->args[0]->as_ident()->name = "b";
  EXPECT_FALSE(ExprEquals(e, copy));
  EXPECT_EQ(e.as_call()->args[0]->as_ident()->name, "a");
}

TEST(AstTest, ConstantEqualityDistinguishesKinds) {
  EXPECT_EQ(Constant::Int64(1), Constant::Int64(1));
  EXPECT_NE(Constant::Int64(1), Constant::Uint64(1));
  EXPECT_NE(Constant::String("x"), Constant::Bytes("x"));
  EXPECT_NE(Constant::Double(0.0), Constant::Double(-0.0));
}

TEST(AstTest, LineColumn) {
  SourceInfo info;
  info.line_offsets = {4, 6};  // "abc\nd\nef"
  EXPECT_EQ(info.LineColumn(0), std::make_pair(1, 1));
  EXPECT_EQ(info.LineColumn(2), std::make_pair(1, 3));
  EXPECT_EQ(info.LineColumn(4), std::make_pair(2, 1));
  EXPECT_EQ(info.LineColumn(7), std::make_pair(3, 2));
  EXPECT_EQ(info.OffsetOf(5), -1);
}

TEST(AstTest, DeepTreeDestroysWithoutRecursion) {
  // A million nested negations would overflow the stack if ~Expr recursed.
  ExprPtr e = MakeIdent(0, "x");
  for (int i = 1; i <= 1000000; ++i) {
    CallExpr call;
    call.function = op::kNegate;
    call.args.push_back(std::move(e));
    e = std::make_unique<Expr>(i, std::move(call));
  }
  EXPECT_EQ(e->id, 1000000);
  e.reset();
  EXPECT_EQ(e, nullptr);
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
