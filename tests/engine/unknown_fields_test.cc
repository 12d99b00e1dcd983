// UnknownFieldsPlan against a plain reflection walk: an unknown field at any
// depth of any event kind (and of a decision) is found, a message without
// one is clean, and a oneof member that is no longer set does not count.
#include "src/engine/unknown_fields.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/engine/audit_chain.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

// The reference: the plain walk over every set field (ListFields) that names
// the path for error messages.
bool PlainWalkFindsUnknownFields(const Message& message) {
  return !FindUnknownFieldsPath(message, "root").empty();
}

using Path = std::vector<const FieldDescriptor*>;

// Every chain of message fields below `type` that repeats no type.
void CollectPaths(const Descriptor* type, Path& path, std::set<const Descriptor*>& on_path,
                  std::vector<Path>& out) {
  for (int f = 0; f < type->field_count(); ++f) {
    const FieldDescriptor* field = type->field(f);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const Descriptor* child = field->message_type();
    if (on_path.count(child) != 0) continue;
    path.push_back(field);
    out.push_back(path);
    on_path.insert(child);
    CollectPaths(child, path, on_path, out);
    on_path.erase(child);
    path.pop_back();
  }
}

// The message at the end of `path` inside `root`, created on the way (one
// element added to each repeated field).
Message* Materialize(Message* root, const Path& path) {
  Message* message = root;
  for (const FieldDescriptor* field : path) {
    const google::protobuf::Reflection* reflection = message->GetReflection();
    message = field->is_repeated() ? reflection->AddMessage(message, field)
                                   : reflection->MutableMessage(message, field);
  }
  return message;
}

void AddUnknownField(Message* message) {
  message->GetReflection()->MutableUnknownFields(message)->AddVarint(999, 1);
}

v1::Event Envelope() {
  v1::Event event;
  event.set_event_id("e-1");
  event.set_account_id("acct-1");
  return event;
}

std::string Name(const Path& path) {
  std::string name;
  for (const FieldDescriptor* field : path) name += "." + field->name();
  return name;
}

TEST(UnknownFieldsTest, FoundAtEveryDepthOfEveryEventKind) {
  std::vector<Path> paths;
  Path path;
  std::set<const Descriptor*> on_path = {v1::Event::descriptor()};
  CollectPaths(v1::Event::descriptor(), path, on_path, paths);
  std::set<const FieldDescriptor*> kinds_reached;
  size_t deepest = 0;
  for (const Path& p : paths) {
    v1::Event clean = Envelope();
    Materialize(&clean, p);
    EXPECT_FALSE(HasUnknownFields(clean)) << Name(p);
    v1::Event event = Envelope();
    AddUnknownField(Materialize(&event, p));
    ASSERT_TRUE(PlainWalkFindsUnknownFields(event)) << Name(p);
    EXPECT_TRUE(HasUnknownFields(event)) << Name(p);
    // What the audit record refuses: the engine's append path uses the plan.
    v1::AuditRecord record;
    EXPECT_THAT(AppendEngineAuditRecord(v1::AuditChainHead(), event, v1::Decision(), 1,
                                        absl::FromUnixSeconds(1700000000), &record),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown fields")))
        << Name(p);
    if (p[0]->real_containing_oneof() != nullptr) kinds_reached.insert(p[0]);
    deepest = std::max(deepest, p.size());
  }
  // Every event kind, and below the kinds' own messages.
  const google::protobuf::OneofDescriptor* kind = v1::Event::descriptor()->FindOneofByName("kind");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kinds_reached.size(), static_cast<size_t>(kind->field_count()));
  EXPECT_GE(deepest, 3u);  // e.g. event.account_opened.profile.<message>
}

TEST(UnknownFieldsTest, RootAndRepeatedElementsOfADecision) {
  v1::Decision decision;
  decision.add_trace()->set_rule_id("R1");
  v1::RuleTrace* trace = decision.add_trace();
  trace->set_rule_id("R2");
  v1::ObservedValue* observed = trace->add_observed();
  observed->set_path("event.amount");
  EXPECT_FALSE(HasUnknownFields(decision));
  AddUnknownField(observed);  // the second trace's first observed value
  EXPECT_TRUE(HasUnknownFields(decision));
  EXPECT_EQ(FindUnknownFieldsPath(decision, "Decision"), "Decision.trace[1].observed[0]");

  v1::Decision root;
  AddUnknownField(&root);
  EXPECT_TRUE(HasUnknownFields(root));
  EXPECT_EQ(FindUnknownFieldsPath(root, "Decision"), "Decision");
  EXPECT_EQ(FindUnknownFieldsPath(v1::Decision(), "Decision"), "");
}

TEST(UnknownFieldsTest, AOneofMemberNoLongerSetDoesNotCount) {
  v1::Event event = Envelope();
  AddUnknownField(event.mutable_deposit_requested()->mutable_amount());
  EXPECT_TRUE(HasUnknownFields(event));
  event.mutable_login_attempt();  // replaces the deposit request
  EXPECT_FALSE(HasUnknownFields(event));
  EXPECT_FALSE(PlainWalkFindsUnknownFields(event));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
