// A realistic scenario history for engine tests that compare ways of
// evaluating the same events (tests/engine/engine_test.cc,
// evaluate_in_place_test.cc).
#ifndef PITBOSS_TESTS_ENGINE_SCENARIO_HISTORY_H_
#define PITBOSS_TESTS_ENGINE_SCENARIO_HISTORY_H_

#include <vector>

#include "pitboss/v1/event.pb.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace testing {

// A realistic history: open, log in, deposits (card with 3-D Secure, bank),
// play, KYC, a withdrawal, an e-mail change, a held withdrawal, a declined
// deposit, a support call. Returns the events in order, built at the
// driver's clock; callers advance the clock and stamp each before sending.
inline std::vector<v1::Event> ScenarioHistory(scenarios::ScenarioDriver& d) {
  std::vector<v1::Event> events;
  events.push_back(d.OpenJapaneseAccount());
  events.push_back(d.Login(true));
  events.push_back(d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
  events.push_back(d.Verified("f-totp", v1::FACTOR_KIND_TOTP));
  events.push_back(d.DepositNewCard("d-1", 10000, "card-1", "YAMADA TARO"));
  events.push_back(d.Authenticated("d-1"));
  events.push_back(d.Settled("d-1"));
  events.push_back(d.DepositNewBank("d-2", 20000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  events.push_back(d.Settled("d-2"));
  events.push_back(d.Wager("g-1", 15000, 20000));
  events.push_back(d.KycDocument("doc-1"));
  events.push_back(d.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
  events.push_back(d.Withdrawal("w-1", 5000, "bank-1"));
  events.push_back(d.EmailChange("taro2@example.jp"));
  events.push_back(d.Withdrawal("w-2", 5000, "bank-1"));
  events.push_back(d.DepositNewCard("d-3", 3000, "card-9", "JOHN SMITH"));
  events.push_back(d.SupportCall("call-1", scenarios::ScenarioDriver::NameAndBirthDate()));
  return events;
}

}  // namespace testing
}  // namespace pitboss

#endif  // PITBOSS_TESTS_ENGINE_SCENARIO_HISTORY_H_
