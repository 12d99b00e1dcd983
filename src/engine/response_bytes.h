// The bytes of an EvaluateResponse written from its parts, for
// Engine::EvaluateSerialized.
//
// The audit record's payload hash already serializes the decision into its
// canonical bytes (audit_chain.h); writing the response would serialize it a
// second time. Here the response is written field by field in field-number
// order (decision 1, account 2, audit 3: all three always present), with the
// decision's bytes copied as they are. A sub-message's deterministic bytes are
// the same inside its parent as on their own, so the result is the response's
// deterministic serialization, byte for byte (tests/engine/response_bytes_test.cc).
#ifndef PITBOSS_SRC_ENGINE_RESPONSE_BYTES_H_
#define PITBOSS_SRC_ENGINE_RESPONSE_BYTES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/audit.pb.h"

namespace pitboss {
namespace engine {

// The deterministic serialization of EvaluateResponse{decision, account,
// audit}, where `decision_bytes` is the decision's deterministic
// serialization. INTERNAL when the response would be 2 GiB or larger.
absl::StatusOr<std::string> SerializeEvaluateResponse(absl::string_view decision_bytes,
                                                      const v1::Account& account,
                                                      const v1::AuditRecord& audit);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_RESPONSE_BYTES_H_
