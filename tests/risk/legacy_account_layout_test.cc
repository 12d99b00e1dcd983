// Accounts written in the legacy velocity layout (one message per window and
// per bucket, before 2026-11) evaluate exactly like the same account in the
// compact layout: same features, same decision, and the account that comes
// back is the compact one byte for byte once the event recorded velocity.
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "src/domain/proto_time.h"
#include "src/risk/features.h"
#include "tests/domain/velocity_legacy_layout.h"
#include "tests/matchers.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace {

using ::pitboss::testing::IsOk;
using scenarios::ScenarioDriver;

void Send(ScenarioDriver& d, const v1::Event& event) {
  d.Advance(absl::Minutes(11));
  ASSERT_THAT(d.Send(event), IsOk());
}

// Ten days of play with deposits, wagers, failed logins and OTPs, a support
// call and a paid withdrawal: every velocity metric the default policy reads.
void BuildHistory(ScenarioDriver& d) {
  Send(d, d.OpenJapaneseAccount());
  Send(d, d.Login(true));
  Send(d, d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
  Send(d, d.Verified("f-totp", v1::FACTOR_KIND_TOTP));
  Send(d, d.KycDocument("doc-1"));
  Send(d, d.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
  Send(d, d.DepositNewBank("d-bank", 20000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  Send(d, d.Settled("d-bank"));
  int wager = 0;
  for (int day = 0; day < 10; ++day) {
    d.Advance(absl::Hours(21));
    Send(d, d.Login(day % 3 != 1));
    Send(d, d.Login(true));
    Send(d, d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    if (day % 4 == 2) Send(d, d.VerificationFailed("f-totp", v1::FACTOR_KIND_TOTP));
    const std::string id = "d-" + std::to_string(day);
    Send(d, d.Deposit(id, 3000 + 100 * day, "bank-1"));
    Send(d, d.Settled(id));
    for (int i = 0; i < 5; ++i) {
      Send(d, d.Wager("g-" + std::to_string(++wager), 400, i % 2 == 0 ? 700 : 0));
    }
    if (day == 6) Send(d, d.SupportCall("call-1", ScenarioDriver::NameAndBirthDate()));
  }
  Send(d, d.Withdrawal("w-1", 2000, "bank-1"));
}

TEST(LegacyAccountLayoutTest, OldLayoutAccountGivesTheSameFeaturesAndDecisions) {
  absl::StatusOr<v1::Policy> policy = scenarios::LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  ASSERT_THAT(policy, IsOk());
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
  ASSERT_THAT(engine, IsOk());
  absl::StatusOr<risk::FeatureOptions> options = risk::DefaultFeatureOptions();
  ASSERT_THAT(options, IsOk());
  options->reference_currency = policy->reference_currency();
  for (const v1::ReferenceRate& rate : policy->reference_rates()) {
    options->rates.push_back(
        {rate.currency(), rate.reference_minor_units(), rate.per_minor_units()});
  }

  ScenarioDriver d(engine->get(), "acct-legacy", scenarios::ScenarioStart());
  BuildHistory(d);
  ASSERT_GE(d.account().velocity().series_size(), 8);
  d.Advance(absl::Minutes(4));
  const std::vector<v1::Event> events = {
      d.Wager("g-next", 900, 0),
      d.Login(false),
      d.Login(true),
      d.VerificationFailed("f-totp", v1::FACTOR_KIND_TOTP),
      d.Deposit("d-next", 50000, "bank-1"),
      d.Withdrawal("w-next", 9000, "bank-1"),
      d.SupportCall("call-2", ScenarioDriver::NameAndBirthDate()),
  };
  int compared_accounts = 0;
  for (const v1::Event& event : events) {
    SCOPED_TRACE(event.ShortDebugString());
    const v1::EvaluateRequest compact = d.Request(event);
    v1::EvaluateRequest legacy = compact;
    *legacy.mutable_account() = testing::WithLegacyVelocityLayout(compact.account());
    ASSERT_GT(legacy.account().velocity().series(0).windows_size(), 0);
    ASSERT_NE(legacy.account().SerializeAsString(), compact.account().SerializeAsString());

    absl::StatusOr<v1::Features> compact_features =
        risk::ComputeFeatures(compact.account(), event, d.now(), *options);
    absl::StatusOr<v1::Features> legacy_features =
        risk::ComputeFeatures(legacy.account(), event, d.now(), *options);
    ASSERT_THAT(compact_features, IsOk());
    ASSERT_THAT(legacy_features, IsOk());
    EXPECT_EQ(legacy_features->SerializeAsString(), compact_features->SerializeAsString());

    absl::StatusOr<v1::EvaluateResponse> from_compact = (*engine)->Evaluate(compact);
    absl::StatusOr<v1::EvaluateResponse> from_legacy = (*engine)->Evaluate(legacy);
    ASSERT_THAT(from_compact, IsOk());
    ASSERT_THAT(from_legacy, IsOk());
    EXPECT_EQ(from_legacy->decision().SerializeAsString(),
              from_compact->decision().SerializeAsString());
    EXPECT_EQ(from_legacy->audit().SerializeAsString(), from_compact->audit().SerializeAsString());
    // Through bytes too.
    absl::StatusOr<std::string> bytes = (*engine)->EvaluateSerialized(legacy.SerializeAsString());
    ASSERT_THAT(bytes, IsOk());
    v1::EvaluateResponse through_bytes;
    ASSERT_TRUE(through_bytes.ParseFromString(*bytes));
    EXPECT_EQ(through_bytes.decision().SerializeAsString(),
              from_compact->decision().SerializeAsString());
    // An event that recorded velocity rewrote the account in the compact
    // layout: the same account as from the compact request.
    bool still_legacy = false;
    for (const v1::VelocitySeries& series : from_legacy->account().velocity().series()) {
      still_legacy |= series.windows_size() > 0;
    }
    if (!still_legacy) {
      ++compared_accounts;
      EXPECT_EQ(from_legacy->account().SerializeAsString(),
                from_compact->account().SerializeAsString());
    }
  }
  EXPECT_GE(compared_accounts, 4);  // wager, failed login/OTP, deposit, withdrawal, call
}

}  // namespace
}  // namespace pitboss
