// Tests of `pitboss expr`'s engine (src/cli/expr_runner.h): SimpleTest JSON
// lines in, result JSON lines out, and single expressions with --bind.
#include "src/cli/expr_runner.h"

#include <memory>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/commands.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ExprRunnerTest : public ::testing::Test {
 protected:
  std::string Run(const std::string& line) { return runner_.RunLine(line); }
  std::unique_ptr<ProtoTypes> types_ = ProtoTypes::Generated();
  ExprRunner runner_{types_.get()};
};

TEST_F(ExprRunnerTest, EvaluatesAndReportsTheCheckedType) {
  EXPECT_EQ(Run(R"j({"expr":"1 + 1"})j"), R"j({"value":{"int64Value":"2"},"type":{"primitive":"INT64"}})j");
  EXPECT_EQ(Run(R"j({"expr":"[1, 2].map(x, x * 2)"})j"),
            R"j({"value":{"listValue":{"values":[{"int64Value":"2"},{"int64Value":"4"}]}},)j"
            R"j("type":{"listType":{"elemType":{"primitive":"INT64"}}}})j");
}

TEST_F(ExprRunnerTest, UncheckedHasNoType) {
  EXPECT_EQ(Run(R"j({"expr":"'a' + 'b'","disableCheck":true})j"), R"j({"value":{"stringValue":"ab"}})j");
}

TEST_F(ExprRunnerTest, BindingsAndDeclarations) {
  EXPECT_EQ(Run(R"j({"expr":"x + 1","typeEnv":[{"name":"x","ident":{"type":{"primitive":"INT64"}}}],)j"
                R"j("bindings":{"x":{"value":{"int64Value":"41"}}}})j"),
            R"j({"value":{"int64Value":"42"},"type":{"primitive":"INT64"}})j");
  EXPECT_EQ(Run(R"j({"expr":"x.getFullYear()","disableCheck":true,"bindings":{"x":{"value":{"objectValue":)j"
                R"j({"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30Z"}}}}})j"),
            R"j({"value":{"int64Value":"2009"}})j");
}

TEST_F(ExprRunnerTest, ContainerResolvesNames) {
  EXPECT_EQ(Run(R"j({"expr":"Int32Value{value: 3} == 3","container":"google.protobuf"})j"),
            R"j({"value":{"boolValue":true},"type":{"primitive":"BOOL"}})j");
}

TEST_F(ExprRunnerTest, CheckOnlyReportsTheTypeAlone) {
  EXPECT_EQ(Run(R"j({"expr":"'a'.size()","checkOnly":true})j"), R"j({"type":{"primitive":"INT64"}})j");
}

TEST_F(ExprRunnerTest, ErrorsSayWhichStage) {
  EXPECT_EQ(Run(R"j({"expr":"1 / 0"})j"), R"j({"error":"division by zero","stage":"eval"})j");
  std::string compile = Run(R"j({"expr":"1 +"})j");
  EXPECT_THAT(compile, StartsWith(R"j({"error":")j"));
  EXPECT_THAT(compile, HasSubstr(R"j("stage":"compile")j"));
  EXPECT_THAT(compile, HasSubstr("1:4"));
  EXPECT_THAT(Run(R"j({"expr":"x"})j"), HasSubstr(R"j("stage":"compile")j"));
  EXPECT_THAT(Run("not json"), HasSubstr(R"j("stage":"input")j"));
  EXPECT_THAT(Run("[]"), HasSubstr(R"j("stage":"input")j"));
  EXPECT_THAT(Run(R"j({"container":"x"})j"), HasSubstr("missing \\\"expr\\\""));
  EXPECT_THAT(Run(R"j({"expr":"x","disableCheck":true,"bindings":{"x":{"value":{"int64Value":"z"}}}})j"),
              HasSubstr(R"j("stage":"input")j"));
  EXPECT_THAT(Run(R"j({"expr":"x","typeEnv":[{"name":"x","ident":{"type":{"messageType":"no.Such"}}}]})j"),
              HasSubstr(R"j("stage":"input")j"));
}

TEST_F(ExprRunnerTest, UnboundVariableIsAnEvaluationError) {
  EXPECT_THAT(Run(R"j({"expr":"x","disableCheck":true})j"), HasSubstr(R"j("stage":"eval")j"));
  EXPECT_EQ(Run(R"j({"expr":"x || true","disableCheck":true})j"), R"j({"value":{"boolValue":true}})j");
}

TEST_F(ExprRunnerTest, RunExprWithBindings) {
  ExprRequest request;
  request.expr = "a + size(b) > 2 && d == duration('1.5s')";
  absl::StatusOr<ExprBinding> a = ParseExprBinding("a=2");
  absl::StatusOr<ExprBinding> b = ParseExprBinding("b=[1, \"x\"]");
  absl::StatusOr<ExprBinding> d = ParseExprBinding("d:google.protobuf.Duration=\"1.5s\"");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->name, "d");
  EXPECT_EQ(d->message_type, "google.protobuf.Duration");
  request.bindings = {*a, *b, *d};
  ExprResult result = runner_.RunExpr(request);
  EXPECT_TRUE(result.ok) << result.text;
  EXPECT_EQ(result.text, "true");
  EXPECT_EQ(result.type, "bool");
  EXPECT_EQ(result.json, R"j({"value":{"boolValue":true},"type":{"primitive":"BOOL"}})j");
}

TEST_F(ExprRunnerTest, OptionalValuesAndEncodersAreEnabled) {
  EXPECT_EQ(Run(R"j({"expr":"{'a': 1}.?b.orValue(2)"})j"),
            R"j({"value":{"int64Value":"2"},"type":{"primitive":"INT64"}})j");
  EXPECT_EQ(Run(R"j({"expr":"[?optional.none(), ?optional.of(1)]","disableCheck":true})j"),
            R"j({"value":{"listValue":{"values":[{"int64Value":"1"}]}}})j");
  EXPECT_EQ(Run(R"j({"expr":"optional.of(1)","checkOnly":true})j"),
            R"j({"type":{"abstractType":{"name":"optional_type","parameterTypes":[{"primitive":"INT64"}]}}})j");
  EXPECT_EQ(Run(R"j({"expr":"base64.encode(b'hi')"})j"),
            R"j({"value":{"stringValue":"aGk="},"type":{"primitive":"STRING"}})j");
  ExprRequest request;
  request.expr = "x.?y.optMap(v, v * 2).value()";
  absl::StatusOr<ExprBinding> x = ParseExprBinding("x={\"y\": 21}");
  ASSERT_THAT(x, IsOk());
  request.bindings = {*x};
  ExprResult result = runner_.RunExpr(request);
  EXPECT_TRUE(result.ok) << result.text;
  EXPECT_EQ(result.text, "42");
}

TEST_F(ExprRunnerTest, RunExprErrors) {
  ExprRequest request;
  request.expr = "1 / 0";
  ExprResult result = runner_.RunExpr(request);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.text, "division by zero");
  request.expr = "x.";
  result = runner_.RunExpr(request);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.json, HasSubstr(R"j("stage":"compile")j"));
  request.expr = "x";
  request.bindings = {{"x", "", "{"}};
  result = runner_.RunExpr(request);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.json, HasSubstr(R"j("stage":"input")j"));
  request.bindings = {{"x", "no.Such", "{}"}};
  result = runner_.RunExpr(request);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.text, HasSubstr("unknown message type no.Such"));
}

TEST(ParseExprBindingTest, RejectsMalformedFlags) {
  EXPECT_THAT(ParseExprBinding("novalue"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseExprBinding("=1"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseExprBinding(":T=1"), StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<ExprBinding> ok = ParseExprBinding("x={\"a\":1}");
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->json, "{\"a\":1}");
}

TEST(ExprCommandTest, BatchModeWritesOneLinePerCase) {
  std::istringstream in("{\"expr\":\"1 < 2\"}\n\n{\"expr\":\"'x'\",\"disableCheck\":true}\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunExprCommand({}, in, out, err), 0);
  EXPECT_EQ(out.str(),
            "{\"value\":{\"boolValue\":true},\"type\":{\"primitive\":\"BOOL\"}}\n"
            "{\"value\":{\"stringValue\":\"x\"}}\n");
}

TEST(ExprCommandTest, SingleExpression) {
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(RunExprCommand({"--expr", "n * 2", "--bind", "n=21"}, in, out, err), 0);
  EXPECT_EQ(out.str(), "42  (int)\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(RunExprCommand({"--expr=1/0"}, in, out2, err2), 1);
  EXPECT_EQ(err2.str(), "division by zero\n");
  std::ostringstream out3, err3;
  EXPECT_EQ(RunExprCommand({"--expr", "true", "--json"}, in, out3, err3), 0);
  EXPECT_EQ(out3.str(), "{\"value\":{\"boolValue\":true},\"type\":{\"primitive\":\"BOOL\"}}\n");
}

TEST(ExprCommandTest, UsageErrors) {
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(RunExprCommand({"--nope"}, in, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("unknown flag --nope"));
  std::ostringstream out2, err2;
  EXPECT_EQ(RunExprCommand({"--bind", "x=1"}, in, out2, err2), 2);
  EXPECT_THAT(err2.str(), HasSubstr("needs --expr"));
  std::ostringstream out3, err3;
  EXPECT_EQ(RunExprCommand({"--descriptors", "/nonexistent/x.pb"}, in, out3, err3), 2);
  EXPECT_THAT(err3.str(), HasSubstr("cannot read"));
  EXPECT_EQ(out.str() + out2.str() + out3.str(), "");
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
