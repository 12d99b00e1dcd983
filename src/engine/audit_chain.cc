// The audit chain: canonical bytes, hashing, append and verify (see the header).
#include "src/engine/audit_chain.h"

#include <openssl/evp.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"
#include "src/engine/unknown_fields.h"

namespace pitboss {
namespace engine {
namespace {

using google::protobuf::Message;

absl::Status RefuseUnknownFields(const Message& message) {
  if (!HasUnknownFields(message)) return absl::OkStatus();
  const std::string path =
      FindUnknownFieldsPath(message, std::string(message.GetDescriptor()->name()));
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": has unknown fields; canonical bytes need none"));
}

// Appends the deterministic serialization of `message` (ByteSizeLong already
// called) to `out`.
void AppendSerialized(const Message& message, size_t size, std::string& out) {
  const size_t at = out.size();
  out.resize(at + size);
  google::protobuf::io::ArrayOutputStream array(&out[at], static_cast<int>(size));
  google::protobuf::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&coded);
}

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// SHA-256 of the concatenation of `parts`.
absl::StatusOr<std::string> Sha256Parts(std::initializer_list<absl::string_view> parts) {
  // Fetched once: an explicit fetch avoids OpenSSL 3's per-call implicit
  // lookup. Never freed (process lifetime).
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (sha256 == nullptr) return absl::InternalError("libcrypto: SHA256 unavailable");
  // One context per thread, reset by each EVP_DigestInit_ex (three hashes per
  // evaluation: no allocation for each).
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> thread_ctx(EVP_MD_CTX_new());
  EVP_MD_CTX* ctx = thread_ctx.get();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, sha256, nullptr) != 1) {
    return absl::InternalError("libcrypto: EVP_DigestInit_ex failed");
  }
  for (absl::string_view part : parts) {
    if (EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
      return absl::InternalError("libcrypto: EVP_DigestUpdate failed");
    }
  }
  std::string digest(kSha256Size, '\0');
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(digest.data()), &length) != 1 ||
      length != kSha256Size) {
    return absl::InternalError("libcrypto: EVP_DigestFinal_ex failed");
  }
  return digest;
}

absl::string_view LeafPrefix() {
  static const char kPrefix[1] = {static_cast<char>(kLeafHashPrefix)};
  return absl::string_view(kPrefix, 1);
}

absl::string_view NodePrefix() {
  static const char kPrefix[1] = {static_cast<char>(kNodeHashPrefix)};
  return absl::string_view(kPrefix, 1);
}

// The previous hash a head stands for: its record_hash, or genesis when empty.
absl::StatusOr<std::string> HeadHash(const v1::AuditChainHead& head,
                                     absl::string_view field) {
  if (head.record_hash().empty()) {
    if (head.sequence() != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".record_hash: empty for sequence ", head.sequence()));
    }
    return GenesisHash();
  }
  if (head.record_hash().size() != kSha256Size) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".record_hash: ",
                                                   head.record_hash().size(),
                                                   " bytes, want 32"));
  }
  if (head.sequence() == 0 && head.record_hash() != GenesisHash()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".record_hash: set for sequence 0"));
  }
  return head.record_hash();
}

std::string RecordName(size_t index, uint64_t sequence) {
  return absl::StrCat("records[", index, "] (sequence ", sequence, ")");
}

}  // namespace

absl::StatusOr<std::string> CanonicalBytes(const Message& message) {
  PITBOSS_RETURN_IF_ERROR(RefuseUnknownFields(message));
  const size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return absl::OutOfRangeError(absl::StrCat(message.GetDescriptor()->name(), ": ",
                                              size, " bytes is too large to hash"));
  }
  std::string bytes(size, '\0');
  {
    google::protobuf::io::ArrayOutputStream array(bytes.data(), static_cast<int>(size));
    google::protobuf::io::CodedOutputStream coded(&array);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
    if (coded.HadError() || coded.ByteCount() != static_cast<int64_t>(size)) {
      return absl::InternalError(absl::StrCat(message.GetDescriptor()->name(),
                                              ": serialization failed"));
    }
  }
  return bytes;
}

absl::StatusOr<std::string> Sha256(absl::string_view data) { return Sha256Parts({data}); }

absl::StatusOr<std::string> LeafHash(absl::string_view leaf_bytes) {
  return Sha256Parts({LeafPrefix(), leaf_bytes});
}

absl::StatusOr<std::string> ChainHash(absl::string_view previous,
                                      absl::string_view leaf_hash) {
  if (previous.size() != kSha256Size) {
    return absl::InvalidArgumentError(
        absl::StrCat("previous hash: ", previous.size(), " bytes, want 32"));
  }
  if (leaf_hash.size() != kSha256Size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf hash: ", leaf_hash.size(), " bytes, want 32"));
  }
  return Sha256Parts({NodePrefix(), previous, leaf_hash});
}

const std::string& GenesisHash() {
  static const std::string* const kGenesis = new std::string(kSha256Size, '\0');
  return *kGenesis;
}

namespace {

// PayloadHash; `check_decision` false skips the walk of the decision for
// unknown fields (a decision the engine built cannot have any). When
// `decision_bytes` is set, it receives the decision's canonical bytes as
// hashed.
absl::StatusOr<std::string> PayloadHashImpl(const v1::Event& event,
                                            const v1::Decision& decision,
                                            int64_t account_version, bool check_decision,
                                            std::string* decision_bytes) {
  // CanonicalBytes of the AuditPayload{event, decision, account_version},
  // written field by field instead of copying the event and the decision into
  // one: tag, length and bytes of each message field (both always present),
  // then the version when it is not zero (proto3). Byte-identical to
  // serializing the assembled message (tests/engine/audit_chain_test.cc).
  // The event's plan is looked up once (every evaluation checks an event).
  static const UnknownFieldsPlan& event_plan = UnknownFieldsPlan::For(v1::Event::descriptor());
  if (event_plan.HasUnknownFields(event) ||
      (check_decision && HasUnknownFields(decision))) {
    v1::AuditPayload payload;
    *payload.mutable_event() = event;
    *payload.mutable_decision() = decision;
    return RefuseUnknownFields(payload);
  }
  const size_t event_size = event.ByteSizeLong();
  const size_t decision_size = decision.ByteSizeLong();
  if (event_size + decision_size > static_cast<size_t>(INT_MAX) - 32) {
    return absl::OutOfRangeError(absl::StrCat("AuditPayload: ", event_size + decision_size,
                                              " bytes is too large to hash"));
  }
  // The payload bytes are only hashed: one buffer per thread, reused.
  thread_local std::string bytes;
  bytes.clear();
  bytes.reserve(event_size + decision_size + 32);
  bytes.push_back(static_cast<char>((v1::AuditPayload::kEventFieldNumber << 3) | 2));
  AppendVarint(event_size, bytes);
  AppendSerialized(event, event_size, bytes);
  bytes.push_back(static_cast<char>((v1::AuditPayload::kDecisionFieldNumber << 3) | 2));
  AppendVarint(decision_size, bytes);
  const size_t decision_at = bytes.size();
  AppendSerialized(decision, decision_size, bytes);
  if (decision_bytes != nullptr) decision_bytes->assign(bytes, decision_at, decision_size);
  if (account_version != 0) {
    bytes.push_back(static_cast<char>(v1::AuditPayload::kAccountVersionFieldNumber << 3));
    AppendVarint(static_cast<uint64_t>(account_version), bytes);
  }
  return LeafHash(bytes);
}

}  // namespace

absl::StatusOr<std::string> PayloadHash(const v1::Event& event,
                                        const v1::Decision& decision,
                                        int64_t account_version) {
  return PayloadHashImpl(event, decision, account_version, /*check_decision=*/true,
                         /*decision_bytes=*/nullptr);
}

absl::StatusOr<std::string> RecordLeafHash(const v1::AuditRecord& record) {
  v1::AuditRecord leaf;
  leaf.set_sequence(record.sequence());
  leaf.set_event_id(record.event_id());
  leaf.set_account_id(record.account_id());
  leaf.set_account_version(record.account_version());
  if (record.has_recorded_at()) *leaf.mutable_recorded_at() = record.recorded_at();
  leaf.set_payload_hash(record.payload_hash());
  PITBOSS_ASSIGN_OR_RETURN(std::string bytes, CanonicalBytes(leaf));
  return LeafHash(bytes);
}

namespace {

// AppendAuditRecord into `*record` (empty); see AppendEngineAuditRecord for
// `check_decision` and `decision_bytes`.
absl::Status AppendInto(const v1::AuditChainHead& head, const v1::Event& event,
                        const v1::Decision& decision, int64_t account_version,
                        absl::Time recorded_at, bool check_decision,
                        std::string* decision_bytes, v1::AuditRecord* record) {
  PITBOSS_ASSIGN_OR_RETURN(std::string previous, HeadHash(head, "audit_chain_head"));
  if (head.sequence() == UINT64_MAX) {
    return absl::OutOfRangeError("audit_chain_head.sequence: the chain is full");
  }
  if (recorded_at == absl::InfinitePast() || recorded_at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("recorded_at: must be a finite time");
  }
  google::protobuf::Timestamp timestamp = domain::ToProtoTime(recorded_at);
  PITBOSS_RETURN_IF_ERROR(domain::ValidateProtoTime(timestamp, "recorded_at"));

  record->set_sequence(head.sequence() + 1);
  record->set_event_id(event.event_id());
  record->set_account_id(event.account_id());
  record->set_account_version(account_version);
  record->mutable_recorded_at()->set_seconds(timestamp.seconds());
  record->mutable_recorded_at()->set_nanos(timestamp.nanos());
  PITBOSS_ASSIGN_OR_RETURN(std::string payload_hash,
                           PayloadHashImpl(event, decision, account_version, check_decision,
                                           decision_bytes));
  record->set_payload_hash(std::move(payload_hash));
  // The record holds exactly the leaf fields 1..6 now (RecordLeafHash's leaf),
  // all set here from checked values: its canonical bytes directly, without
  // the copy and the unknown-field walk.
  const size_t size = record->ByteSizeLong();
  std::string leaf_bytes;
  AppendSerialized(*record, size, leaf_bytes);
  PITBOSS_ASSIGN_OR_RETURN(std::string leaf_hash, LeafHash(leaf_bytes));
  PITBOSS_ASSIGN_OR_RETURN(std::string record_hash, ChainHash(previous, leaf_hash));
  record->set_leaf_hash(std::move(leaf_hash));
  record->set_previous_record_hash(std::move(previous));
  record->set_record_hash(std::move(record_hash));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::AuditRecord> AppendAuditRecord(const v1::AuditChainHead& head,
                                                  const v1::Event& event,
                                                  const v1::Decision& decision,
                                                  int64_t account_version,
                                                  absl::Time recorded_at) {
  v1::AuditRecord record;
  PITBOSS_RETURN_IF_ERROR(AppendInto(head, event, decision, account_version, recorded_at,
                                     /*check_decision=*/true, /*decision_bytes=*/nullptr,
                                     &record));
  return record;
}

absl::Status AppendEngineAuditRecord(const v1::AuditChainHead& head, const v1::Event& event,
                                     const v1::Decision& decision, int64_t account_version,
                                     absl::Time recorded_at, v1::AuditRecord* record,
                                     std::string* decision_bytes) {
  record->Clear();
  return AppendInto(head, event, decision, account_version, recorded_at,
                    /*check_decision=*/false, decision_bytes, record);
}

v1::AuditChainHead HeadAfter(const v1::AuditRecord& record) {
  v1::AuditChainHead head;
  head.set_sequence(record.sequence());
  head.set_record_hash(record.record_hash());
  return head;
}

absl::string_view AuditFaultKindName(AuditFaultKind kind) {
  switch (kind) {
    case AuditFaultKind::kMalformed:
      return "MALFORMED";
    case AuditFaultKind::kEdited:
      return "EDITED";
    case AuditFaultKind::kMissing:
      return "MISSING";
    case AuditFaultKind::kReordered:
      return "REORDERED";
    case AuditFaultKind::kBrokenLink:
      return "BROKEN_LINK";
  }
  return "UNKNOWN";
}

std::optional<AuditFault> FindFirstAuditFault(absl::Span<const v1::AuditRecord> records,
                                              const AuditVerifyOptions& options) {
  auto fault = [](AuditFaultKind kind, size_t index, uint64_t sequence,
                  std::string message) {
    return AuditFault{kind, index, sequence, std::move(message)};
  };
  absl::StatusOr<std::string> start = HeadHash(options.start, "start");
  if (!start.ok()) {
    return fault(AuditFaultKind::kMalformed, 0, options.start.sequence(),
                 std::string(start.status().message()));
  }
  std::string previous = *std::move(start);
  uint64_t expected_sequence = options.start.sequence() + 1;

  for (size_t i = 0; i < records.size(); ++i) {
    const v1::AuditRecord& record = records[i];
    const std::string name = RecordName(i, record.sequence());
    for (auto [field, value] :
         {std::pair<absl::string_view, const std::string*>{"payload_hash",
                                                            &record.payload_hash()},
          {"leaf_hash", &record.leaf_hash()},
          {"previous_record_hash", &record.previous_record_hash()},
          {"record_hash", &record.record_hash()}}) {
      if (value->size() != kSha256Size) {
        return fault(AuditFaultKind::kMalformed, i, record.sequence(),
                     absl::StrCat(name, ": ", field, " is ", value->size(),
                                  " bytes, want 32"));
      }
    }
    // The record's own contents first: an edit anywhere in it shows here.
    absl::StatusOr<std::string> leaf = RecordLeafHash(record);
    if (!leaf.ok()) {
      return fault(AuditFaultKind::kMalformed, i, record.sequence(),
                   absl::StrCat(name, ": ", leaf.status().message()));
    }
    if (*leaf != record.leaf_hash()) {
      return fault(AuditFaultKind::kEdited, i, record.sequence(),
                   absl::StrCat(name, ": leaf_hash does not match the record's contents"));
    }
    absl::StatusOr<std::string> chained =
        ChainHash(record.previous_record_hash(), record.leaf_hash());
    if (!chained.ok() || *chained != record.record_hash()) {
      return fault(AuditFaultKind::kEdited, i, record.sequence(),
                   absl::StrCat(name, ": record_hash does not match the record"));
    }
    // Then its place in the chain.
    if (record.sequence() != expected_sequence) {
      if (record.sequence() < expected_sequence) {
        return fault(AuditFaultKind::kReordered, i, record.sequence(),
                     absl::StrCat(name, ": out of order, expected sequence ",
                                  expected_sequence));
      }
      bool expected_later = false;
      for (size_t j = i + 1; j < records.size(); ++j) {
        if (records[j].sequence() == expected_sequence) {
          expected_later = true;
          break;
        }
      }
      if (expected_later) {
        return fault(AuditFaultKind::kReordered, i, record.sequence(),
                     absl::StrCat(name, ": out of order, expected sequence ",
                                  expected_sequence, " which comes later"));
      }
      return fault(AuditFaultKind::kMissing, i, record.sequence(),
                   absl::StrCat(name, ": records with sequence ", expected_sequence,
                                "..", record.sequence() - 1, " are missing"));
    }
    if (record.previous_record_hash() != previous) {
      return fault(AuditFaultKind::kBrokenLink, i, record.sequence(),
                   absl::StrCat(name,
                                ": previous_record_hash does not match the record "
                                "before it (that record was altered or replaced)"));
    }
    previous = record.record_hash();
    ++expected_sequence;
  }

  if (options.expected_end.has_value()) {
    const v1::AuditChainHead& end = *options.expected_end;
    const uint64_t last = expected_sequence - 1;
    if (end.sequence() < options.start.sequence()) {
      return fault(AuditFaultKind::kMalformed, 0, end.sequence(),
                   absl::StrCat("expected_end: sequence ", end.sequence(),
                                " is before the start ", options.start.sequence()));
    }
    if (end.sequence() > last) {
      return fault(AuditFaultKind::kMissing, records.size(), last + 1,
                   absl::StrCat("records[", records.size(), "]: records with sequence ",
                                last + 1, "..", end.sequence(),
                                " are missing at the end"));
    }
    if (end.sequence() < last) {
      // More records than the anchor knows: the first one past it is bad.
      const size_t index = static_cast<size_t>(end.sequence() - options.start.sequence());
      return fault(AuditFaultKind::kEdited, index, end.sequence() + 1,
                   absl::StrCat(RecordName(index, end.sequence() + 1),
                                ": not in the expected chain ending at sequence ",
                                end.sequence()));
    }
    if (end.record_hash() != previous) {
      const size_t index = records.empty() ? 0 : records.size() - 1;
      return fault(AuditFaultKind::kEdited, index, last,
                   absl::StrCat(RecordName(index, last),
                                ": record_hash differs from the expected end of the "
                                "chain (the record was altered or replaced)"));
    }
  }
  return std::nullopt;
}

absl::Status VerifyAuditChain(absl::Span<const v1::AuditRecord> records,
                              const AuditVerifyOptions& options) {
  std::optional<AuditFault> fault = FindFirstAuditFault(records, options);
  if (!fault.has_value()) return absl::OkStatus();
  return absl::DataLossError(fault->message);
}

absl::Status VerifyAuditPayload(const v1::AuditRecord& record, const v1::Event& event,
                                const v1::Decision& decision) {
  if (record.event_id() != event.event_id()) {
    return absl::DataLossError(absl::StrCat("record (sequence ", record.sequence(),
                                            "): event_id differs from the event's"));
  }
  if (record.account_id() != event.account_id()) {
    return absl::DataLossError(absl::StrCat("record (sequence ", record.sequence(),
                                            "): account_id differs from the event's"));
  }
  absl::StatusOr<std::string> hash =
      PayloadHash(event, decision, record.account_version());
  if (!hash.ok()) return hash.status();
  if (*hash != record.payload_hash()) {
    return absl::DataLossError(
        absl::StrCat("record (sequence ", record.sequence(),
                     "): payload_hash does not match the event and decision"));
  }
  return absl::OkStatus();
}

}  // namespace engine
}  // namespace pitboss
