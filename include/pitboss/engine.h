// The pitboss engine, C++ API: a compiled Policy that decides account events.
//
//   PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<pitboss::Engine> engine,
//                            pitboss::Engine::Create(policy));
//   pitboss::v1::EvaluateRequest request;       // account, event, now
//   PITBOSS_ASSIGN_OR_RETURN(pitboss::v1::EvaluateResponse response,
//                            engine->Evaluate(request));
//   // response.decision(): outcome, reasons, required factors, trace, ...
//   // response.account():  the account after the decision
//   // response.audit():    the audit record, chained after request.audit_chain_head
//
// Pipeline (DESIGN.md): validate -> features (src/risk) -> built-in domain checks
// (src/engine/event_checks.h) -> the policy's CEL rules (rule_set.h) -> combine
// by precedence (decision_combiner.h) -> apply to the account
// (event_applier.h) -> state changes + audit record (audit_chain.h).
//
// Evaluate is pure and deterministic: no clock (time is request.now), no I/O,
// no global state; identical requests give byte-identical responses. Bad input
// (malformed or inconsistent request, unknown account, impossible transition)
// is a non-OK status naming the field, and nothing is returned or changed; a
// refusal ("deny", "hold", "verify first") is a Decision, never an error.
//
// Thread-safety: an Engine is immutable after Create and thread-safe; any
// number of threads may call Evaluate concurrently. A new policy is a new
// Engine (the host swaps pointers).
#ifndef PITBOSS_INCLUDE_PITBOSS_ENGINE_H_
#define PITBOSS_INCLUDE_PITBOSS_ENGINE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {

namespace engine {
class EngineImpl;
}  // namespace engine

// What EvaluateInPlace returns besides the account it changed.
struct EvaluateInPlaceResult {
  v1::Decision decision;
  v1::AuditRecord audit;
  // The canonical (deterministic) serialization of `decision`: the very bytes
  // the engine hashed into audit.payload_hash, handed out so that a host that
  // stores or sends the decision need not serialize it a second time. They
  // describe `decision` as returned; once the host changes the decision (say,
  // moves its audit_sequence to re-link the record elsewhere in the chain)
  // they are stale and it must serialize the decision again.
  std::string decision_bytes;
};

class Engine {
 public:
  // Validates the policy and compiles and type-checks every rule against
  // `account`, `event`, `features` and `now`. INVALID_ARGUMENT names the field
  // ("rules[3] (ATO-004): <input>:1:9: undeclared reference to 'featurez'").
  static absl::StatusOr<std::unique_ptr<Engine>> Create(const v1::Policy& policy);

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  absl::StatusOr<v1::EvaluateResponse> Evaluate(const v1::EvaluateRequest& request) const;

  // Serialized EvaluateRequest in, serialized (deterministic) EvaluateResponse
  // out; INVALID_ARGUMENT for malformed bytes.
  absl::StatusOr<std::string> EvaluateSerialized(absl::string_view request) const;

  // Evaluate for a host that keeps the account parsed (the store): evaluates
  // `event` at `now` against `*account`, chained after `head`, and changes
  // `*account` in place into the account after the decision -- no parse, no
  // copy of the account. `*account` is the empty default for account_opened.
  // Decision and audit are byte-identical to Evaluate's on the same input, and
  // `*account` ends byte-identical to Evaluate's response.account().
  //
  // Ownership: the caller keeps `account` (it must stay valid for the call and
  // not be touched by another thread). On error (the same status Evaluate
  // returns for the same input) `*account` is UNSPECIFIED -- it may be
  // half-changed -- and the caller must discard it (reload or re-parse its
  // last stored version); only an OK result leaves a meaningful account.
  // INVALID_ARGUMENT for a null `account` or an infinite or out-of-range `now`.
  absl::StatusOr<EvaluateInPlaceResult> EvaluateInPlace(v1::Account* account,
                                                        const v1::Event& event,
                                                        absl::Time now,
                                                        const v1::AuditChainHead& head) const;

  const v1::Policy& policy() const;

 private:
  explicit Engine(std::unique_ptr<engine::EngineImpl> impl);
  std::unique_ptr<engine::EngineImpl> impl_;
};

}  // namespace pitboss

#endif  // PITBOSS_INCLUDE_PITBOSS_ENGINE_H_
