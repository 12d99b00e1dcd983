// Checks of an Event's envelope shared by every domain operation that applies
// an event to an account: the idempotency key, the account it is addressed
// to, the time and channel, and which kind the `kind` oneof holds.
#ifndef PITBOSS_SRC_DOMAIN_EVENT_ENVELOPE_H_
#define PITBOSS_SRC_DOMAIN_EVENT_ENVELOPE_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace domain {

// event_id is the idempotency key: 1..255 characters (Stripe's bound).
inline constexpr size_t kMaxEventIdLength = 255;
// Ids the domain stores (deposit_id, withdrawal_id, instrument_id, ...).
inline constexpr size_t kMaxIdLength = 255;

// event_id 1..255 chars; account_id equal to the account's (when the account
// has one); occurred_at a valid timestamp; channel and agent role known enum
// values; the oneof holds `expected`. INVALID_ARGUMENT naming the field
// ("event.event_id: must be 1..255 characters").
absl::Status ValidateEventFor(const v1::Account& account, const v1::Event& event,
                              v1::Event::KindCase expected);

// A non-empty id of at most kMaxIdLength bytes.
absl::Status ValidateId(absl::string_view id, absl::string_view field);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_EVENT_ENVELOPE_H_
