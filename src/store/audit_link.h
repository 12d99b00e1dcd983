// Linking an engine-built audit record to the store's real chain head.
//
// Engine::Evaluate chains its record after the head it is given. The store
// evaluates outside its write lock (so different accounts evaluate in
// parallel) with the head it last saw; by the time the record is written,
// other events may have taken that place in the chain. Under the write lock
// the store therefore checks the record against the real head and, when it
// was built for another place, re-links it: the decision's audit_sequence
// moves to head.sequence + 1 (the payload hash covers the decision, so it is
// recomputed), and the record is rebuilt with the engine's own
// AppendAuditRecord — same hashing, same canonical bytes, just the right
// position. The decision itself (outcome, reasons, state changes) is
// untouched: it depends on the account, never on the chain. Most records
// only need the cheap half of that (see LinkToHead).
#ifndef PITBOSS_SRC_STORE_AUDIT_LINK_H_
#define PITBOSS_SRC_STORE_AUDIT_LINK_H_

#include "absl/status/status.h"
#include "pitboss/v1/audit.pb.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace store_internal {

// True when `record` directly follows `head` (sequence and previous hash).
bool FollowsHead(const v1::AuditChainHead& head, const v1::AuditRecord& record);

// Makes `record` (for `event` and `*decision`) follow `head`; `*relinked`
// tells whether the decision had to change (its audit_sequence, so its
// canonical bytes). A record already at the right sequence that only links to
// another previous hash (the store evaluates a batch's accounts in parallel
// with the sequences it predicts, not knowing the hashes before) just gets
// the right previous_record_hash and record_hash: the payload and leaf hashes
// cover the sequence but not the link, so they stay. Errors are the engine's
// hashing errors.
absl::Status LinkToHead(const v1::AuditChainHead& head, const v1::Event& event,
                        v1::Decision* decision, v1::AuditRecord* record, bool* relinked);

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_AUDIT_LINK_H_
