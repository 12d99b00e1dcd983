// The payment an event is about, resolved once per event and shared by the
// feature families: its amount (in the account's currency), its instrument
// (registered, or new in a deposit request) and whether it is a withdrawal.
//
//   deposit_requested            amount; instrument_id or new_instrument
//   withdrawal_requested         amount; instrument_id (the payout destination)
//   deposit_authenticated /      the account's deposit with that deposit_id:
//     _settled / _reversed         its amount and instrument
//   withdrawal_cancelled /       the account's withdrawal with that
//     _reviewed / _sent_to_provider / _paid / _failed
//                                  withdrawal_id: its amount and instrument
//   wager_settled                amount = the stake; no instrument
//   anything else                no amount, no instrument
#ifndef PITBOSS_SRC_RISK_INTERNAL_EVENT_SUBJECT_H_
#define PITBOSS_SRC_RISK_INTERNAL_EVENT_SUBJECT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace risk_internal {

struct EventSubject {
  bool has_amount = false;
  int64_t amount_minor_units = 0;
  // The amount's currency (the account's when the profile names one).
  std::string currency;

  // The instrument, or nullptr. Points into the account or the event.
  const v1::PaymentInstrument* instrument = nullptr;
  // Its position in account.instruments (-1: the event's new instrument).
  int instrument_index = -1;
  // It came with the event and is not on the account yet.
  bool new_instrument = false;

  // The instrument's path for error messages ("account.instruments[2]",
  // "event.deposit_requested.new_instrument"); built only when needed.
  std::string InstrumentField() const;

  bool is_deposit = false;
  bool is_withdrawal = false;
  // The withdrawal (or deposit) id the event names, to leave it out of the
  // history it is compared with.
  std::string payment_id;
};

// INVALID_ARGUMENT naming the field for an amount that is not positive (a
// stake: negative) or not in the account's currency, or a missing id;
// NOT_FOUND naming the field for an id the account does not hold.
absl::StatusOr<EventSubject> ResolveEventSubject(const v1::Account& account,
                                                 const v1::Event& event);

}  // namespace risk_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_INTERNAL_EVENT_SUBJECT_H_
