// The shipped default policy (examples/policy/default.textproto) parses, is
// valid, has the rules the issue's scenarios need, and every field path and
// enum constant its CEL rules name exists in the schema. (Compiling the CEL
// itself is Engine::Create's job once the CEL checker is wired in.)
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/engine/policy_options.h"
#include "src/engine/policy_validator.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::DescriptorPool;
using ::google::protobuf::FieldDescriptor;
using ::pitboss::testing::IsOk;
using ::testing::IsEmpty;

v1::Policy LoadDefaultPolicy() {
  const std::string path =
      std::string(PITBOSS_SOURCE_DIR) + "/examples/policy/default.textproto";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  v1::Policy policy;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text.str(), &policy)) << path;
  return policy;
}

TEST(DefaultPolicyTest, ParsesAndValidates) {
  const v1::Policy policy = LoadDefaultPolicy();
  EXPECT_THAT(FindPolicyProblems(policy), IsEmpty());
  EXPECT_GE(policy.rules_size(), 25);
  int shadow = 0;
  for (const v1::FraudRule& rule : policy.rules()) {
    EXPECT_FALSE(rule.description().empty()) << rule.id();
    EXPECT_FALSE(rule.reason_code().empty()) << rule.id();
    if (rule.mode() == v1::RULE_MODE_SHADOW) ++shadow;
  }
  EXPECT_GE(shadow, 1);
}

TEST(DefaultPolicyTest, StatesDesignDefaults) {
  absl::StatusOr<PolicyOptions> options = ResolvePolicyOptions(LoadDefaultPolicy());
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->limits.cooling_off, absl::Hours(24));
  EXPECT_EQ(options->limits.minimum_self_exclusion_months, 6);
  EXPECT_EQ(options->security.withdrawal_hold_after_contact_change, absl::Hours(48));
  EXPECT_EQ(options->lockout.max_failures_in_window, 5);
  EXPECT_EQ(options->lockout.window, absl::Minutes(15));
  EXPECT_EQ(options->lockout.hard_lock_consecutive_failures, 100);
  EXPECT_EQ(options->kyc.withdrawal_min_level, v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  absl::StatusOr<domain::ActionRequirement> reset = domain::FindRequirement(
      options->action_requirements, domain::SensitiveAction::kPasswordReset);
  ASSERT_THAT(reset, IsOk());
  EXPECT_THAT(reset->forbidden_channels, ::testing::Contains(v1::CHANNEL_PHONE));
}

TEST(DefaultPolicyTest, CoversTheIssueScenarios) {
  // Reason codes the scenario tests (tests/scenarios/) will look for.
  std::set<std::string> codes;
  const v1::Policy policy = LoadDefaultPolicy();
  for (const v1::FraudRule& rule : policy.rules()) {
    if (rule.mode() == v1::RULE_MODE_ENFORCE) codes.insert(rule.reason_code());
  }
  for (const char* code :
       {"WITHDRAWAL_AFTER_CONTACT_CHANGE", "NEW_DEVICE_AFTER_CONTACT_CHANGE",
        "PASSWORD_RESET_NOT_BY_PHONE", "AGENT_PASSWORD_RESET_REFUSED", "HOLDER_NAME_MISMATCH",
        "DEPOSIT_WHILE_EXCLUDED", "KYC_DOCUMENTS_REQUIRED", "PAYOUT_TO_NON_DEPOSIT_SOURCE",
        "URGENT_PHONE_WITHDRAWAL", "SECURITY_HOLD_NEEDS_SECURITY_OFFICER",
        "ENHANCED_DUE_DILIGENCE_PENDING"}) {
    EXPECT_TRUE(codes.count(code)) << code;
  }
}

// Resolves a dotted field path ("withdrawal_requested.amount") on `message`.
// Returns "" when it resolves, else what is wrong.
std::string ResolvePath(const Descriptor* message, absl::string_view path) {
  const Descriptor* current = message;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (current == nullptr) return std::string("not a message before '") + std::string(part) + "'";
    const FieldDescriptor* field = current->FindFieldByName(std::string(part));
    if (field == nullptr) {
      return std::string("no field '") + std::string(part) + "' in " + current->full_name();
    }
    current = field->is_map() || field->is_repeated() ? nullptr : field->message_type();
    if (field->message_type() != nullptr &&
        (field->message_type()->full_name() == "google.protobuf.Timestamp" ||
         field->message_type()->full_name() == "google.protobuf.Duration")) {
      current = nullptr;  // CEL sees a timestamp/duration, not a message
    }
  }
  return "";
}

// The identifier path starting at `pos` in `text`: [A-Za-z0-9_.]+.
std::string PathAt(const std::string& text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && (isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '_' || text[end] == '.')) {
    ++end;
  }
  return text.substr(pos, end - pos);
}

TEST(DefaultPolicyTest, RulesNameOnlyExistingFieldsAndEnumConstants) {
  const std::map<std::string, const Descriptor*> variables = {
      {"account", v1::Account::descriptor()},
      {"event", v1::Event::descriptor()},
      {"features", v1::Features::descriptor()}};
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  int paths_checked = 0;
  const v1::Policy policy = LoadDefaultPolicy();
  for (const v1::FraudRule& rule : policy.rules()) {
    const std::string& text = rule.expression();
    for (size_t pos = 0; pos < text.size(); ++pos) {
      const bool at_word_start =
          pos == 0 || !(isalnum(static_cast<unsigned char>(text[pos - 1])) ||
                        text[pos - 1] == '_' || text[pos - 1] == '.');
      if (!at_word_start) continue;
      std::string path = PathAt(text, pos);
      if (path.empty()) continue;
      pos += path.size() - 1;
      // A receiver-style call (list.exists(...), s.startsWith(...)): the last
      // component is a function, not a field.
      if (pos + 1 < text.size() && text[pos + 1] == '(') {
        const size_t last_dot = path.rfind('.');
        if (last_dot == std::string::npos) continue;
        path = path.substr(0, last_dot);
      }
      const size_t dot = path.find('.');
      if (dot == std::string::npos) continue;
      const std::string head = path.substr(0, dot);
      if (head == "pitboss") {
        // pitboss.v1.Enum.VALUE
        const size_t last = path.rfind('.');
        const std::string enum_name = path.substr(0, last);
        const std::string value = path.substr(last + 1);
        const google::protobuf::EnumDescriptor* type = pool->FindEnumTypeByName(enum_name);
        ASSERT_NE(type, nullptr) << rule.id() << ": no enum " << enum_name;
        EXPECT_NE(type->FindValueByName(value), nullptr)
            << rule.id() << ": no value " << value << " in " << enum_name;
        ++paths_checked;
        continue;
      }
      auto variable = variables.find(head);
      if (variable == variables.end()) continue;  // a macro variable such as v.kind
      EXPECT_EQ(ResolvePath(variable->second, path.substr(dot + 1)), "")
          << rule.id() << ": " << path;
      ++paths_checked;
    }
  }
  EXPECT_GT(paths_checked, 100);
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
