// The audit chain: canonical bytes, SHA-256 with RFC 6962 domain separation,
// appending a record for a decision, and verifying a sequence of records.
//
// Every decision yields an AuditRecord (proto/pitboss/v1/audit.proto):
//
//   payload_hash = SHA-256(0x00 || canonical(AuditPayload{event, decision,
//                                                         account_version}))
//   leaf_hash    = SHA-256(0x00 || canonical(record fields 1..6: sequence,
//                                            event_id, account_id,
//                                            account_version, recorded_at,
//                                            payload_hash))
//   record_hash  = SHA-256(0x01 || previous_record_hash || leaf_hash)
//
// The 0x00 / 0x01 prefixes are RFC 6962's leaf / node domain separation: the
// bytes hashed for a leaf can never be confused with the bytes hashed to link
// two hashes, so no one can present a chain link as a leaf or vice versa. The
// first record has sequence 1 and previous_record_hash = 32 zero bytes.
//
// Canonical bytes = protobuf's deterministic serialization (CodedOutputStream::
// SetSerializationDeterministic). Why that is stable enough for us:
//   - The binary format writes known fields in field-number order; the
//     deterministic mode also sorts map entries by key (our hashed messages
//     have no maps today, but a future one is covered).
//   - proto3 scalars equal to their default are not written, so "unset" and
//     "zero" are the same bytes, as they mean the same thing in our schema;
//     adding a new field to a message leaves every old record's bytes — and
//     therefore its hashes — unchanged while the field is unset.
//   - There are no floating-point fields in the hashed messages, so no NaN or
//     negative-zero ambiguity.
//   - The guarantee is "same message, same library version, same bytes"; it
//     is not a cross-language canonical form. The chain is verified with the
//     same serializer that wrote it, and a future protobuf upgrade that
//     changed the byte layout would be caught by the byte-identical golden
//     test (tests/engine/audit_chain_test.cc).
//   - Unknown fields would be written verbatim in arrival order, so
//     CanonicalBytes refuses a message that carries any (inputs must be
//     parsed with unknown fields discarded or rejected first).
//
// Verification names the first bad record: edited (a hash does not match the
// record's contents), missing (a sequence gap, or records missing at the end
// when the expected end is given), reordered (a sequence out of place), or a
// broken link (previous_record_hash does not match the record before: the
// record before was replaced). Everything here is pure and thread-safe.
#ifndef PITBOSS_SRC_ENGINE_AUDIT_CHAIN_H_
#define PITBOSS_SRC_ENGINE_AUDIT_CHAIN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "pitboss/v1/audit.pb.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace engine {

inline constexpr size_t kSha256Size = 32;
inline constexpr unsigned char kLeafHashPrefix = 0x00;
inline constexpr unsigned char kNodeHashPrefix = 0x01;

// Deterministic serialization of `message` (see above). INVALID_ARGUMENT when
// the message (or any message inside it) has unknown fields; OUT_OF_RANGE when
// it is 2 GiB or larger.
absl::StatusOr<std::string> CanonicalBytes(const google::protobuf::Message& message);

// SHA-256 of `data` (32 bytes). INTERNAL only if libcrypto fails.
absl::StatusOr<std::string> Sha256(absl::string_view data);

// SHA-256(0x00 || leaf_bytes).
absl::StatusOr<std::string> LeafHash(absl::string_view leaf_bytes);

// SHA-256(0x01 || previous || leaf_hash); both inputs must be 32 bytes
// (INVALID_ARGUMENT otherwise).
absl::StatusOr<std::string> ChainHash(absl::string_view previous,
                                      absl::string_view leaf_hash);

// 32 zero bytes: the previous_record_hash of a chain's first record.
const std::string& GenesisHash();

// payload_hash of (event, decision, account_version).
absl::StatusOr<std::string> PayloadHash(const v1::Event& event,
                                        const v1::Decision& decision,
                                        int64_t account_version);

// leaf_hash of a record: its fields 1..6 (the hash fields are ignored).
absl::StatusOr<std::string> RecordLeafHash(const v1::AuditRecord& record);

// The record for a decision, appended after `head` (sequence head.sequence + 1,
// previous_record_hash head.record_hash, or the genesis hash for an empty
// head). event_id and account_id come from the event. INVALID_ARGUMENT naming
// "audit_chain_head.record_hash" for a hash that is not 32 bytes (or set with
// sequence 0), "recorded_at" for a time outside the Timestamp range.
absl::StatusOr<v1::AuditRecord> AppendAuditRecord(const v1::AuditChainHead& head,
                                                  const v1::Event& event,
                                                  const v1::Decision& decision,
                                                  int64_t account_version,
                                                  absl::Time recorded_at);

// AppendAuditRecord for a decision the engine itself built (never parsed from
// bytes, so it cannot carry unknown fields: it is not walked for them; the
// event is), written into `*record` (cleared first; allocated on its arena,
// if any). Same record, byte for byte. When `decision_bytes` is set, it
// receives the decision's canonical bytes that went into the payload hash, so
// a caller that writes the decision out again need not serialize it twice.
absl::Status AppendEngineAuditRecord(const v1::AuditChainHead& head, const v1::Event& event,
                                     const v1::Decision& decision, int64_t account_version,
                                     absl::Time recorded_at, v1::AuditRecord* record,
                                     std::string* decision_bytes = nullptr);

// The head after `record`.
v1::AuditChainHead HeadAfter(const v1::AuditRecord& record);

// Why a chain does not verify.
enum class AuditFaultKind {
  kMalformed,   // a hash field is not 32 bytes
  kEdited,      // leaf_hash or record_hash does not match the contents
  kMissing,     // records missing (a sequence gap, or at the end)
  kReordered,   // a record out of its place in the sequence
  kBrokenLink,  // previous_record_hash is not the record_hash before it
};

absl::string_view AuditFaultKindName(AuditFaultKind kind);

struct AuditFault {
  AuditFaultKind kind = AuditFaultKind::kEdited;
  // Index in the verified span of the first bad record (records.size() when
  // records are missing at the end).
  size_t index = 0;
  // That record's stated sequence (or the expected one when missing at the end).
  uint64_t sequence = 0;
  // "records[3] (sequence 4): record_hash does not match the record"
  std::string message;
};

struct AuditVerifyOptions {
  // The head the first record must follow (default: a fresh chain).
  v1::AuditChainHead start;
  // When set, the last record must produce exactly this head (catches records
  // dropped at the end, or an edited last record rehashed consistently).
  std::optional<v1::AuditChainHead> expected_end;
};

// The first fault in `records`, or nullopt when the chain verifies.
std::optional<AuditFault> FindFirstAuditFault(absl::Span<const v1::AuditRecord> records,
                                              const AuditVerifyOptions& options);

// OK, or DATA_LOSS with the first fault's message.
absl::Status VerifyAuditChain(absl::Span<const v1::AuditRecord> records,
                              const AuditVerifyOptions& options);

// OK when record.payload_hash is the payload hash of (event, decision,
// record.account_version) and the event's ids match the record; DATA_LOSS
// otherwise.
absl::Status VerifyAuditPayload(const v1::AuditRecord& record, const v1::Event& event,
                                const v1::Decision& decision);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_AUDIT_CHAIN_H_
