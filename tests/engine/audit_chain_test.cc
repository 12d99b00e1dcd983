#include "src/engine/audit_chain.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pitboss/v1/audit.pb.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/event.pb.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

absl::Time T0() { return absl::FromUnixSeconds(1'790'000'000); }

v1::Event MakeEvent(int i) {
  v1::Event event;
  event.set_event_id(absl::StrCat("evt-", i));
  event.set_account_id("acc-1");
  event.mutable_occurred_at()->set_seconds(1'790'000'000 + i);
  event.set_channel(v1::CHANNEL_WEB);
  event.set_ip_country("JP");
  v1::DepositRequested* deposit = event.mutable_deposit_requested();
  deposit->set_deposit_id(absl::StrCat("dep-", i));
  deposit->mutable_amount()->set_minor_units(1000 * i);
  deposit->mutable_amount()->set_currency("JPY");
  deposit->set_instrument_id("card-1");
  return event;
}

v1::Decision MakeDecision(int i) {
  v1::Decision decision;
  decision.set_event_id(absl::StrCat("evt-", i));
  decision.set_account_id("acc-1");
  decision.set_outcome(i % 2 == 0 ? v1::DECISION_OUTCOME_ALLOW
                                  : v1::DECISION_OUTCOME_CHALLENGE);
  decision.set_risk_score(10 * i);
  if (i % 2 != 0) decision.add_required_factors(v1::FACTOR_KIND_TOTP);
  v1::Reason* reason = decision.add_reasons();
  reason->set_code("TEST");
  reason->set_rule_id(absl::StrCat("R", i));
  reason->set_message("test reason");
  decision.set_account_version(i);
  decision.set_audit_sequence(i);
  return decision;
}

std::vector<v1::AuditRecord> MakeChain(int n) {
  std::vector<v1::AuditRecord> records;
  v1::AuditChainHead head;
  for (int i = 1; i <= n; ++i) {
    absl::StatusOr<v1::AuditRecord> record = AppendAuditRecord(
        head, MakeEvent(i), MakeDecision(i), i, T0() + absl::Seconds(i));
    EXPECT_THAT(record, IsOk());
    if (!record.ok()) return records;
    head = HeadAfter(*record);
    records.push_back(*std::move(record));
  }
  return records;
}

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

TEST(AuditChainTest, Sha256MatchesKnownVectors) {
  // FIPS 180-2 "abc" and RFC 6962's hash of the empty leaf (0x00 alone).
  absl::StatusOr<std::string> abc = Sha256("abc");
  ASSERT_THAT(abc, IsOk());
  EXPECT_EQ(Hex(*abc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  absl::StatusOr<std::string> empty_leaf = LeafHash("");
  ASSERT_THAT(empty_leaf, IsOk());
  EXPECT_EQ(Hex(*empty_leaf),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(AuditChainTest, LeafAndNodeHashesAreDomainSeparated) {
  // A node's input (0x01 || a || b) hashed as a leaf must not equal the node.
  const std::string a(32, 'a');
  const std::string b(32, 'b');
  absl::StatusOr<std::string> node = ChainHash(a, b);
  absl::StatusOr<std::string> as_leaf = LeafHash(a + b);
  absl::StatusOr<std::string> plain = Sha256(a + b);
  ASSERT_THAT(node, IsOk());
  ASSERT_THAT(as_leaf, IsOk());
  ASSERT_THAT(plain, IsOk());
  EXPECT_NE(*node, *as_leaf);
  EXPECT_NE(*node, *plain);
  // And the node hash is SHA-256 of 0x01 || a || b exactly.
  absl::StatusOr<std::string> manual = Sha256(std::string(1, '\x01') + a + b);
  ASSERT_THAT(manual, IsOk());
  EXPECT_EQ(*node, *manual);
}

TEST(AuditChainTest, ChainHashRejectsWrongSizes) {
  EXPECT_THAT(ChainHash("short", std::string(32, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("previous")));
  EXPECT_THAT(ChainHash(std::string(32, 'x'), ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("leaf")));
}

TEST(AuditChainTest, AppendLinksRecordsAndVerifies) {
  std::vector<v1::AuditRecord> records = MakeChain(5);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].sequence(), 1u);
  EXPECT_EQ(records[0].previous_record_hash(), GenesisHash());
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i].sequence(), i + 1);
    EXPECT_EQ(records[i].previous_record_hash(), records[i - 1].record_hash());
  }
  EXPECT_EQ(records[2].event_id(), "evt-3");
  EXPECT_EQ(records[2].account_id(), "acc-1");
  EXPECT_EQ(records[2].account_version(), 3);
  EXPECT_THAT(VerifyAuditChain(records, {}), IsOk());
  AuditVerifyOptions anchored;
  anchored.expected_end = HeadAfter(records.back());
  EXPECT_THAT(VerifyAuditChain(records, anchored), IsOk());
  // Every payload verifies against its event and decision.
  for (int i = 1; i <= 5; ++i) {
    EXPECT_THAT(VerifyAuditPayload(records[i - 1], MakeEvent(i), MakeDecision(i)), IsOk());
  }
}

TEST(AuditChainTest, ContinuesFromAHead) {
  std::vector<v1::AuditRecord> records = MakeChain(4);
  AuditVerifyOptions from_second;
  from_second.start = HeadAfter(records[1]);
  std::vector<v1::AuditRecord> tail(records.begin() + 2, records.end());
  EXPECT_THAT(VerifyAuditChain(tail, from_second), IsOk());
  // The same tail does not verify as a fresh chain.
  std::optional<AuditFault> fault = FindFirstAuditFault(tail, {});
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 0u);
  EXPECT_EQ(fault->kind, AuditFaultKind::kMissing);
}

TEST(AuditChainTest, IdenticalInputGivesByteIdenticalRecords) {
  std::vector<v1::AuditRecord> first = MakeChain(4);
  std::vector<v1::AuditRecord> second = MakeChain(4);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    absl::StatusOr<std::string> a = CanonicalBytes(first[i]);
    absl::StatusOr<std::string> b = CanonicalBytes(second[i]);
    ASSERT_THAT(a, IsOk());
    ASSERT_THAT(b, IsOk());
    EXPECT_EQ(*a, *b) << "record " << i;
  }
}

TEST(AuditChainTest, GoldenHashesNeverChange) {
  // Recorded chains must keep verifying after upgrades: the canonical bytes of
  // a fixed record are a contract. The payload hash below was computed
  // independently with Python (hashlib + deterministic SerializeToString of
  // the same AuditPayload).
  absl::StatusOr<std::string> payload = PayloadHash(MakeEvent(1), MakeDecision(1), 1);
  ASSERT_THAT(payload, IsOk());
  EXPECT_EQ(Hex(*payload), "c3fa85581a92cad714539df713b840d78e94dbfffe2905d596885d837b706c77");
}

TEST(AuditChainTest, PayloadHashIsTheLeafHashOfTheAssembledPayload) {
  // PayloadHash writes the AuditPayload field by field (no copies); it must
  // stay byte-identical to the canonical bytes of the assembled message, for
  // every version (0 is omitted in proto3, negatives take ten varint bytes),
  // empty and large events and decisions alike.
  v1::Decision big = MakeDecision(3);
  for (int i = 0; i < 200; ++i) {
    v1::RuleTrace* trace = big.add_trace();
    trace->set_rule_id(absl::StrCat("R-", i));
    trace->set_fired(i % 3 == 0);
    trace->add_observed()->set_value(std::string(static_cast<size_t>(i), 'x'));
  }
  const std::vector<std::pair<v1::Event, v1::Decision>> cases = {
      {MakeEvent(1), MakeDecision(1)}, {v1::Event(), v1::Decision()}, {MakeEvent(2), big}};
  for (const auto& [event, decision] : cases) {
    for (int64_t version : {int64_t{0}, int64_t{1}, int64_t{300}, int64_t{-1}, INT64_MAX}) {
      v1::AuditPayload payload;
      *payload.mutable_event() = event;
      *payload.mutable_decision() = decision;
      payload.set_account_version(version);
      absl::StatusOr<std::string> bytes = CanonicalBytes(payload);
      ASSERT_THAT(bytes, IsOk());
      absl::StatusOr<std::string> expected = LeafHash(*bytes);
      ASSERT_THAT(expected, IsOk());
      absl::StatusOr<std::string> hash = PayloadHash(event, decision, version);
      ASSERT_THAT(hash, IsOk());
      EXPECT_EQ(Hex(*hash), Hex(*expected)) << "version " << version;
    }
  }
}

TEST(AuditChainTest, EngineAppendGivesTheSameRecordOnAnArena) {
  // AppendEngineAuditRecord (the engine's own decision, written in place) is
  // AppendAuditRecord byte for byte, first record or continuing a chain.
  v1::AuditChainHead head;
  for (int i = 1; i <= 3; ++i) {
    absl::StatusOr<v1::AuditRecord> expected =
        AppendAuditRecord(head, MakeEvent(i), MakeDecision(i), i, T0() + absl::Minutes(i));
    ASSERT_THAT(expected, IsOk());
    google::protobuf::Arena arena;
    auto* record = google::protobuf::Arena::CreateMessage<v1::AuditRecord>(&arena);
    record->set_event_id("stale");  // cleared first
    ASSERT_THAT(AppendEngineAuditRecord(head, MakeEvent(i), MakeDecision(i), i,
                                        T0() + absl::Minutes(i), record),
                IsOk());
    EXPECT_EQ(record->SerializeAsString(), expected->SerializeAsString()) << i;
    absl::StatusOr<std::string> leaf = RecordLeafHash(*record);
    ASSERT_THAT(leaf, IsOk());
    EXPECT_EQ(*leaf, record->leaf_hash());
    head = HeadAfter(*expected);
  }
  // The event is still checked for unknown fields.
  v1::Event event = MakeEvent(1);
  event.GetReflection()->MutableUnknownFields(&event)->AddVarint(999, 1);
  v1::AuditRecord record;
  EXPECT_THAT(AppendEngineAuditRecord(head, event, MakeDecision(1), 1, T0(), &record),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown fields")));
}

TEST(AuditChainTest, EngineAppendHandsOutTheDecisionBytesItHashed) {
  // The bytes EvaluateSerialized writes as the response's decision: they must
  // be the decision's canonical bytes, and asking for them changes nothing.
  v1::AuditChainHead head;
  head.set_sequence(4);
  head.set_record_hash(std::string(32, '\x07'));
  for (int i = 1; i <= 2; ++i) {
    const v1::Decision decision = MakeDecision(i);
    v1::AuditRecord record;
    std::string decision_bytes = "stale";  // replaced
    ASSERT_THAT(AppendEngineAuditRecord(head, MakeEvent(i), decision, i, T0(), &record,
                                        &decision_bytes),
                IsOk());
    absl::StatusOr<std::string> canonical = CanonicalBytes(decision);
    ASSERT_THAT(canonical, IsOk());
    EXPECT_FALSE(canonical->empty());
    EXPECT_EQ(decision_bytes, *canonical) << i;
    v1::AuditRecord without;
    ASSERT_THAT(AppendEngineAuditRecord(head, MakeEvent(i), decision, i, T0(), &without),
                IsOk());
    EXPECT_EQ(record.SerializeAsString(), without.SerializeAsString()) << i;
  }
}

TEST(AuditChainTest, PayloadHashRefusesUnknownFieldsNamingThePath) {
  v1::Decision decision = MakeDecision(1);
  v1::RuleTrace* trace = decision.add_trace();
  trace->GetReflection()->MutableUnknownFields(trace)->AddVarint(999, 1);
  EXPECT_THAT(PayloadHash(MakeEvent(1), decision, 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("AuditPayload.decision.trace[0]: has unknown fields")));
}

TEST(AuditChainTest, CanonicalBytesIgnoreSetterOrder) {
  v1::Event a;
  a.set_event_id("e");
  a.set_account_id("acc");
  a.set_ip_country("JP");
  v1::Event b;
  b.set_ip_country("JP");
  b.set_account_id("acc");
  b.set_event_id("e");
  absl::StatusOr<std::string> bytes_a = CanonicalBytes(a);
  absl::StatusOr<std::string> bytes_b = CanonicalBytes(b);
  ASSERT_THAT(bytes_a, IsOk());
  ASSERT_THAT(bytes_b, IsOk());
  EXPECT_EQ(*bytes_a, *bytes_b);
  v1::Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(*bytes_a));
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, a));
}

TEST(AuditChainTest, CanonicalBytesRefuseUnknownFields) {
  v1::Event event = MakeEvent(1);
  event.mutable_deposit_requested()->mutable_amount()->GetReflection()
      ->MutableUnknownFields(event.mutable_deposit_requested()->mutable_amount())
      ->AddVarint(999, 1);
  EXPECT_THAT(CanonicalBytes(event),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("Event.deposit_requested.amount: has unknown fields")));
}

TEST(AuditChainTest, EngineAppendRefusesUnknownFieldsAnywhereInTheEvent) {
  // Inside the event's kind (a oneof member), a plain sub-message, and a
  // oneof member that is not the one set (cleared: nothing to refuse).
  v1::Event in_kind = MakeEvent(1);
  v1::Money* amount = in_kind.mutable_deposit_requested()->mutable_amount();
  amount->GetReflection()->MutableUnknownFields(amount)->AddVarint(999, 1);
  v1::Event in_time = MakeEvent(1);
  google::protobuf::Timestamp* at = in_time.mutable_occurred_at();
  at->GetReflection()->MutableUnknownFields(at)->AddVarint(999, 1);
  for (const v1::Event* event : {&in_kind, &in_time}) {
    v1::AuditRecord record;
    EXPECT_THAT(AppendEngineAuditRecord(v1::AuditChainHead(), *event, MakeDecision(1), 1,
                                        T0(), &record),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown fields")));
  }
  v1::Event replaced = in_kind;
  replaced.mutable_login_attempt();  // the kind with the unknown field is gone
  v1::AuditRecord record;
  EXPECT_THAT(AppendEngineAuditRecord(v1::AuditChainHead(), replaced, MakeDecision(1), 1,
                                      T0(), &record),
              IsOk());
}

TEST(AuditChainTest, TamperingAnyByteNamesThatRecord) {
  const std::vector<v1::AuditRecord> records = MakeChain(4);
  // Flipped bytes often make invalid UTF-8 in string fields; the parser logs it.
  google::protobuf::LogSilencer silence_parser_logs;
  int detected_by_chain = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string bytes = records[i].SerializeAsString();
    for (size_t j = 0; j < bytes.size(); ++j) {
      for (unsigned char flip : {0x01, 0x80}) {
        std::string tampered = bytes;
        tampered[j] = static_cast<char>(tampered[j] ^ flip);
        v1::AuditRecord edited;
        // Bytes that no longer parse are refused before any verification.
        if (!edited.ParseFromString(tampered)) continue;
        if (MessageDifferencer::Equals(edited, records[i])) continue;
        std::vector<v1::AuditRecord> copy = records;
        copy[i] = edited;
        std::optional<AuditFault> fault = FindFirstAuditFault(copy, {});
        ASSERT_TRUE(fault.has_value()) << "record " << i << " byte " << j;
        EXPECT_EQ(fault->index, i) << "record " << i << " byte " << j << ": "
                                   << fault->message;
        ++detected_by_chain;
      }
    }
  }
  EXPECT_GT(detected_by_chain, 400);
}

TEST(AuditChainTest, EditedFieldIsNamed) {
  std::vector<v1::AuditRecord> records = MakeChain(4);
  records[2].set_account_version(99);
  std::optional<AuditFault> fault = FindFirstAuditFault(records, {});
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kEdited);
  EXPECT_EQ(fault->index, 2u);
  EXPECT_EQ(fault->sequence, 3u);
  EXPECT_THAT(VerifyAuditChain(records, {}),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("records[2] (sequence 3): leaf_hash does not match")));
}

TEST(AuditChainTest, TruncatedHashIsMalformed) {
  std::vector<v1::AuditRecord> records = MakeChain(3);
  records[1].mutable_record_hash()->resize(31);
  std::optional<AuditFault> fault = FindFirstAuditFault(records, {});
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kMalformed);
  EXPECT_EQ(fault->index, 1u);
  EXPECT_THAT(fault->message, HasSubstr("record_hash is 31 bytes"));
}

TEST(AuditChainTest, DroppedRecordIsMissing) {
  for (size_t drop = 0; drop < 4; ++drop) {
    std::vector<v1::AuditRecord> records = MakeChain(5);
    records.erase(records.begin() + static_cast<std::ptrdiff_t>(drop));
    std::optional<AuditFault> fault = FindFirstAuditFault(records, {});
    ASSERT_TRUE(fault.has_value()) << "dropped " << drop;
    EXPECT_EQ(fault->kind, AuditFaultKind::kMissing) << fault->message;
    EXPECT_EQ(fault->index, drop);
    EXPECT_THAT(fault->message,
                HasSubstr(absl::StrCat("sequence ", drop + 1, "..", drop + 1,
                                       " are missing")));
  }
}

TEST(AuditChainTest, DroppedLastRecordNeedsTheExpectedEnd) {
  std::vector<v1::AuditRecord> records = MakeChain(5);
  AuditVerifyOptions anchored;
  anchored.expected_end = HeadAfter(records.back());
  records.pop_back();
  // Without an anchor a shorter chain is a valid prefix.
  EXPECT_THAT(VerifyAuditChain(records, {}), IsOk());
  std::optional<AuditFault> fault = FindFirstAuditFault(records, anchored);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kMissing);
  EXPECT_EQ(fault->index, 4u);
  EXPECT_THAT(fault->message, HasSubstr("sequence 5..5 are missing at the end"));
}

TEST(AuditChainTest, ReorderedRecordsAreNamed) {
  std::vector<v1::AuditRecord> records = MakeChain(5);
  std::swap(records[1], records[3]);
  std::optional<AuditFault> fault = FindFirstAuditFault(records, {});
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kReordered);
  EXPECT_EQ(fault->index, 1u);
  EXPECT_EQ(fault->sequence, 4u);

  // A record moved back behind its successor.
  records = MakeChain(5);
  std::swap(records[3], records[4]);
  fault = FindFirstAuditFault(records, {});
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kReordered);
  EXPECT_EQ(fault->index, 3u);
}

TEST(AuditChainTest, RehashedReplacementBreaksTheNextLink) {
  // An attacker edits record 2 and recomputes its own hashes consistently:
  // record 2 verifies by itself, the link from record 3 does not.
  std::vector<v1::AuditRecord> records = MakeChain(4);
  v1::AuditRecord& forged = records[1];
  forged.set_event_id("evt-forged");
  absl::StatusOr<std::string> leaf = RecordLeafHash(forged);
  ASSERT_THAT(leaf, IsOk());
  absl::StatusOr<std::string> chained = ChainHash(forged.previous_record_hash(), *leaf);
  ASSERT_THAT(chained, IsOk());
  forged.set_leaf_hash(*leaf);
  forged.set_record_hash(*chained);
  std::optional<AuditFault> fault = FindFirstAuditFault(records, {});
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kBrokenLink);
  EXPECT_EQ(fault->index, 2u);

  // The same forgery on the last record is caught by the expected end.
  records = MakeChain(4);
  AuditVerifyOptions anchored;
  anchored.expected_end = HeadAfter(records.back());
  v1::AuditRecord& last = records.back();
  last.set_account_version(1234);
  leaf = RecordLeafHash(last);
  ASSERT_THAT(leaf, IsOk());
  chained = ChainHash(last.previous_record_hash(), *leaf);
  ASSERT_THAT(chained, IsOk());
  last.set_leaf_hash(*leaf);
  last.set_record_hash(*chained);
  EXPECT_THAT(VerifyAuditChain(records, {}), IsOk());
  fault = FindFirstAuditFault(records, anchored);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->kind, AuditFaultKind::kEdited);
  EXPECT_EQ(fault->index, 3u);
}

TEST(AuditChainTest, PayloadEditsAreDetected) {
  std::vector<v1::AuditRecord> records = MakeChain(2);
  v1::Decision decision = MakeDecision(2);
  decision.set_outcome(v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(VerifyAuditPayload(records[1], MakeEvent(2), decision),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("payload_hash")));
  v1::Event event = MakeEvent(2);
  event.mutable_deposit_requested()->mutable_amount()->set_minor_units(1);
  EXPECT_THAT(VerifyAuditPayload(records[1], event, MakeDecision(2)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("payload_hash")));
  EXPECT_THAT(VerifyAuditPayload(records[1], MakeEvent(1), MakeDecision(2)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("event_id")));
}

TEST(AuditChainTest, AppendRejectsABadHead) {
  v1::AuditChainHead head;
  head.set_sequence(3);
  head.set_record_hash("too short");
  EXPECT_THAT(AppendAuditRecord(head, MakeEvent(1), MakeDecision(1), 1, T0()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit_chain_head.record_hash: 9 bytes")));
  head.clear_record_hash();
  EXPECT_THAT(AppendAuditRecord(head, MakeEvent(1), MakeDecision(1), 1, T0()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit_chain_head.record_hash: empty for sequence 3")));
  EXPECT_THAT(AppendAuditRecord(v1::AuditChainHead(), MakeEvent(1), MakeDecision(1), 1,
                                absl::InfiniteFuture()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("recorded_at")));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
