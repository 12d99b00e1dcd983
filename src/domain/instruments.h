// Payment instruments on an account: lookup, validation of a newly presented
// instrument, and the closed-loop bookkeeping (which instruments were used to
// deposit, so payouts can be sent back to a deposit source).
#ifndef PITBOSS_SRC_DOMAIN_INSTRUMENTS_H_
#define PITBOSS_SRC_DOMAIN_INSTRUMENTS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

// The instrument with this id, or nullptr.
const v1::PaymentInstrument* FindInstrument(const v1::Account& account,
                                            absl::string_view instrument_id);
v1::PaymentInstrument* FindMutableInstrument(v1::Account& account,
                                             absl::string_view instrument_id);

// A new instrument is well formed: id 1..255 chars; kind known, not
// UNSPECIFIED and matching the `details` oneof; status UNSPECIFIED or ACTIVE;
// a card has a brand and a 4-digit last4; a bank account a 4-digit last4.
// Errors name `field` ("event.deposit_requested.new_instrument.card.last4: ...").
absl::Status ValidateNewInstrument(const v1::PaymentInstrument& instrument,
                                   absl::string_view field);

// The instrument exists and is ACTIVE (NOT_FOUND / FAILED_PRECONDITION naming
// `field` otherwise).
absl::StatusOr<const v1::PaymentInstrument*> RequireActiveInstrument(
    const v1::Account& account, absl::string_view instrument_id, absl::string_view field);

// True when the instrument completed at least one deposit (closed loop).
bool WasUsedToDeposit(const v1::Account& account, absl::string_view instrument_id);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_INSTRUMENTS_H_
