// Re-linking audit records to the chain head (audit_link.h).
#include "src/store/audit_link.h"

#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"

namespace pitboss {
namespace store_internal {

bool FollowsHead(const v1::AuditChainHead& head, const v1::AuditRecord& record) {
  if (record.sequence() != head.sequence() + 1) return false;
  const std::string& previous =
      head.record_hash().empty() ? engine::GenesisHash() : head.record_hash();
  return record.previous_record_hash() == previous;
}

absl::Status LinkToHead(const v1::AuditChainHead& head, const v1::Event& event,
                        v1::Decision* decision, v1::AuditRecord* record, bool* relinked) {
  *relinked = false;
  if (FollowsHead(head, *record)) return absl::OkStatus();
  if (record->sequence() == head.sequence() + 1) {
    const std::string& previous =
        head.record_hash().empty() ? engine::GenesisHash() : head.record_hash();
    PITBOSS_ASSIGN_OR_RETURN(std::string hash,
                             engine::ChainHash(previous, record->leaf_hash()));
    record->set_previous_record_hash(previous);
    record->set_record_hash(std::move(hash));
    return absl::OkStatus();
  }
  decision->set_audit_sequence(head.sequence() + 1);
  PITBOSS_ASSIGN_OR_RETURN(
      v1::AuditRecord linked,
      engine::AppendAuditRecord(head, event, *decision, record->account_version(),
                                domain::FromProtoTime(record->recorded_at())));
  *record = std::move(linked);
  *relinked = true;
  return absl::OkStatus();
}

}  // namespace store_internal
}  // namespace pitboss
