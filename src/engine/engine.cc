// The evaluate pipeline (see include/pitboss/engine.h).
#include "pitboss/engine.h"

#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/account_open.h"
#include "src/domain/event_envelope.h"
#include "src/domain/name_match.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "src/engine/call_arena.h"
#include "src/engine/decision_combiner.h"
#include "src/engine/event_applier.h"
#include "src/engine/event_checks.h"
#include "src/engine/policy_options.h"
#include "src/engine/policy_validator.h"
#include "src/engine/response_bytes.h"
#include "src/engine/rule_set.h"
#include "src/engine/state_changes.h"
#include "src/engine/thread_scratch.h"
#include "src/risk/features.h"
#include "src/risk/security_timing_features.h"

namespace pitboss {
namespace engine {

// Requests above this are refused before parsing (the C ABI has its own cap).
inline constexpr size_t kMaxSerializedRequestBytes = 16u << 20;
// Arena blocks for one serialized evaluation: a typical request and response
// (account parsed, changed, diffed and hashed) fit in a couple of blocks.
inline constexpr size_t kArenaBlockBytes = 64u << 10;

// Required factors the player can actually verify: when the account has
// active factors of some of the required kinds, the others are dropped (asking
// for an SMS code from a player without a phone factor helps no one); when it
// has none of them, the list stays as is (the player must enrol one first).
void KeepAchievableFactors(const v1::Account& account, v1::Decision& decision) {
  if (decision.required_factors().empty()) return;
  std::vector<int> achievable;
  for (int kind : decision.required_factors()) {
    for (const v1::Factor& factor : account.factors()) {
      if (factor.kind() == kind && !domain::IsSet(factor.revoked_at())) {
        achievable.push_back(kind);
        break;
      }
    }
  }
  if (achievable.empty()) return;
  decision.mutable_required_factors()->Assign(achievable.begin(), achievable.end());
}

class EngineImpl {
 public:
  static absl::StatusOr<std::unique_ptr<EngineImpl>> Create(const v1::Policy& policy) {
    PITBOSS_RETURN_IF_ERROR(ValidatePolicy(policy));
    auto impl = std::unique_ptr<EngineImpl>(new EngineImpl());
    impl->policy_ = policy;
    PITBOSS_ASSIGN_OR_RETURN(impl->options_, ResolvePolicyOptions(policy));
    PITBOSS_ASSIGN_OR_RETURN(impl->rules_, RuleSet::Compile(policy));
    PITBOSS_ASSIGN_OR_RETURN(DecisionCombiner combiner,
                             DecisionCombiner::Create(std::vector<v1::ScoreThreshold>(
                                 policy.score_thresholds().begin(),
                                 policy.score_thresholds().end())));
    impl->combiner_ = std::make_unique<DecisionCombiner>(std::move(combiner));
    PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<domain::NameMatcher> matcher,
                             domain::NameMatcher::Create());
    std::shared_ptr<const domain::NameMatcher> shared(std::move(matcher));
    impl->features_.name_matcher = shared;
    impl->features_.reference_currency = policy.reference_currency();
    for (const v1::ReferenceRate& rate : policy.reference_rates()) {
      impl->features_.rates.push_back(
          {rate.currency(), rate.reference_minor_units(), rate.per_minor_units()});
    }
    // Timings some features compare against (cool-downs, recent-device window).
    PITBOSS_RETURN_IF_ERROR(risk::ApplyPolicyTimings(policy, &impl->features_));
    PITBOSS_RETURN_IF_ERROR(risk::ValidateFeatureOptions(impl->features_));
    PITBOSS_ASSIGN_OR_RETURN(EventChecker checker,
                             EventChecker::Create(policy, impl->options_, shared));
    impl->checker_ = std::make_unique<EventChecker>(std::move(checker));
    return impl;
  }

  // Evaluate's checks of the request and its time, then Decide.
  // `account_out` is null (in process: the account after is a copy in
  // `response`), or `request`'s own account, handed over (through bytes: it is
  // changed in place and stays where it is; the caller writes it out as the
  // response's). `arena` holds per-call temporaries. `decision_bytes`: see
  // Decide.
  absl::Status EvaluateInto(const v1::EvaluateRequest& request, v1::Account* account_out,
                            google::protobuf::Arena* arena, v1::EvaluateResponse* response,
                            std::string* decision_bytes = nullptr) const;

  // The one pipeline every entry point shares: decides `event` at `now`
  // against `account` and writes the account after the decision into
  // `*after`, the decision into `*decision` (empty) and the audit record,
  // chained after `head`, into `*audit`. `after` is either `&account` (the
  // account is changed in place; on error it is left half-changed and the
  // caller discards it) or an empty message that gets a changed copy;
  // `account` itself is then never changed. `arena` holds per-call
  // temporaries. When `decision_bytes` is set, it receives the decision's
  // canonical bytes, made for the audit record (the decision is final then).
  absl::Status Decide(const v1::Account& account, v1::Account* after,
                      const v1::Event& event, absl::Time now,
                      const v1::AuditChainHead& head, google::protobuf::Arena* arena,
                      v1::Decision* decision, v1::AuditRecord* audit,
                      std::string* decision_bytes = nullptr) const;

  const v1::Policy& policy() const { return policy_; }

 private:
  EngineImpl() = default;

  // The account the event applies to: `account` (not copied), or for
  // account_opened a new one built in `*after` (which may be `&account`).
  absl::StatusOr<const v1::Account*> StartingAccount(const v1::Account& account,
                                                     const v1::Event& event, absl::Time now,
                                                     v1::Account* after) const;

  v1::Policy policy_;
  PolicyOptions options_;
  std::unique_ptr<RuleSet> rules_;
  std::unique_ptr<DecisionCombiner> combiner_;
  risk::FeatureOptions features_;
  std::unique_ptr<EventChecker> checker_;
};

absl::StatusOr<const v1::Account*> EngineImpl::StartingAccount(
    const v1::Account& account, const v1::Event& event, absl::Time now,
    v1::Account* after) const {
  if (event.has_account_opened()) {
    if (!account.account_id().empty() || account.version() != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("account: '", account.account_id(),
                       "' already exists; account_opened needs an empty account"));
    }
    PITBOSS_ASSIGN_OR_RETURN(*after, domain::OpenAccount(event, now));
    return after;
  }
  if (account.account_id().empty()) {
    return absl::NotFoundError(absl::StrCat("account: unknown account '",
                                            event.account_id(),
                                            "' (open it with account_opened first)"));
  }
  PITBOSS_RETURN_IF_ERROR(domain::ValidateEventFor(account, event, event.kind_case()));
  if (!event.event_id().empty() && account.last_event_id() == event.event_id()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "event.event_id: '", event.event_id(), "' was already applied to this account"));
  }
  return &account;
}

absl::Status EngineImpl::EvaluateInto(const v1::EvaluateRequest& request,
                                      v1::Account* account_out,
                                      google::protobuf::Arena* arena,
                                      v1::EvaluateResponse* response,
                                      std::string* decision_bytes) const {
  if (!request.has_event()) return absl::InvalidArgumentError("event: missing");
  if (request.event().kind_case() == v1::Event::KIND_NOT_SET) {
    return absl::InvalidArgumentError("event.kind: no event kind set");
  }
  if (!request.has_now()) return absl::InvalidArgumentError("now: missing");
  PITBOSS_RETURN_IF_ERROR(domain::ValidateProtoTime(request.now(), "now"));
  return Decide(request.account(),
                account_out != nullptr ? account_out : response->mutable_account(),
                request.event(), domain::FromProtoTime(request.now()),
                request.audit_chain_head(), arena, response->mutable_decision(),
                response->mutable_audit(), decision_bytes);
}

absl::Status EngineImpl::Decide(const v1::Account& account, v1::Account* after,
                                const v1::Event& event, absl::Time now,
                                const v1::AuditChainHead& head,
                                google::protobuf::Arena* arena, v1::Decision* decision,
                                v1::AuditRecord* audit, std::string* decision_bytes) const {
  const bool opened = event.has_account_opened();
  // A new account is built straight into `*after`.
  PITBOSS_ASSIGN_OR_RETURN(const v1::Account* starting,
                           StartingAccount(account, event, now, after));
  const v1::Account& before = *starting;
  // On the per-call arena: its ~15 sub-messages are not heap allocations.
  auto* features = google::protobuf::Arena::CreateMessage<v1::Features>(arena);
  PITBOSS_RETURN_IF_ERROR(risk::ComputeFeaturesInto(before, event, now, features_, features));
  PITBOSS_ASSIGN_OR_RETURN(EventChecks checks,
                           checker_->Check(before, event, *features, now));

  // Domain findings first: they rank before rules of the same severity.
  // The thread's findings vector, reused (one Finding per rule: ~10 KB).
  ThreadScratch<std::vector<Finding>> findings_scratch;
  std::vector<Finding>& findings = findings_scratch.get();
  findings.clear();
  findings.insert(findings.end(), std::make_move_iterator(checks.findings.begin()),
                  std::make_move_iterator(checks.findings.end()));
  RuleInput input{&before, &event, features, now};
  PITBOSS_RETURN_IF_ERROR(rules_->EvaluateInto(input, arena, &findings));

  PITBOSS_RETURN_IF_ERROR(combiner_->CombineInto(
      findings, CombineContext{before.account_id(), event.event_id()}, decision));
  KeepAchievableFactors(before, *decision);
  decision->set_policy_id(policy_.policy_id());
  decision->set_policy_version(policy_.version());
  if (checks.support.has_value()) {
    decision->set_disclosure_tier(checks.support->tier);
    for (v1::SupportAction action : checks.support->allowed_actions) {
      decision->add_allowed_support_actions(action);
    }
  }

  // From here on `before` is not read: `*after` is changed in place (it is
  // `before` itself, or a copy of it made here). The domain steps tell the
  // recorder which sections they change before they change them, so the
  // state-change report compares just those sections.
  const int64_t version_before = opened ? 0 : before.version();
  if (!opened && after != &before) *after = before;
  StateChangeRecorder recorder(*after);
  {
    domain::ScratchAccount in_place(after, &recorder);
    PITBOSS_RETURN_IF_ERROR(ApplyDecidedEvent(after, event, checks, *decision,
                                              CaseKindFor(findings, *decision),
                                              checker_->catalog(), options_, now));
  }
  // One event is one applied change: however many domain steps it took, the
  // version moves by exactly one (and not at all when nothing changed). Every
  // domain step goes through domain::ApplyAccountChange, which moves the
  // version, so a moved version is exactly "something was applied".
  if (opened || after->version() != version_before) {
    after->set_version(opened ? 1 : version_before + 1);
    *after->mutable_updated_at() = domain::ToProtoTime(now);
    after->set_last_event_id(event.event_id());
  }
  std::vector<v1::StateChange> changes;
  if (opened) {
    changes = DiffAccounts(v1::Account::default_instance(), *after);
  } else {
    PITBOSS_ASSIGN_OR_RETURN(changes, recorder.Report(*after));
  }
  for (v1::StateChange& change : changes) {
    *decision->add_state_changes() = std::move(change);
  }
  decision->set_account_version(after->version());
  decision->set_audit_sequence(head.sequence() + 1);

  // The last step: nothing changes the decision after it is hashed.
  PITBOSS_RETURN_IF_ERROR(AppendEngineAuditRecord(head, event, *decision, after->version(),
                                                  now, audit, decision_bytes));
  return absl::OkStatus();
}

}  // namespace engine

Engine::Engine(std::unique_ptr<engine::EngineImpl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(const v1::Policy& policy) {
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<engine::EngineImpl> impl,
                           engine::EngineImpl::Create(policy));
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

absl::StatusOr<v1::EvaluateResponse> Engine::Evaluate(
    const v1::EvaluateRequest& request) const {
  engine::CallArena arena;
  v1::EvaluateResponse response;
  PITBOSS_RETURN_IF_ERROR(impl_->EvaluateInto(request, nullptr, arena.get(), &response));
  return response;
}

absl::StatusOr<std::string> Engine::EvaluateSerialized(absl::string_view bytes) const {
  if (bytes.size() > engine::kMaxSerializedRequestBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("request: ", bytes.size(), " bytes exceeds the limit of ",
                     engine::kMaxSerializedRequestBytes));
  }
  // Request and response live on one arena: parsing allocates from it, the
  // request's account is changed in place and written out as the response's
  // (no copy of the account at all), and freeing is one release instead of a
  // destructor per sub-message (the account has hundreds).
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = engine::kArenaBlockBytes;
  arena_options.max_block_size = engine::kArenaBlockBytes;
  google::protobuf::Arena arena(arena_options);
  auto* request = google::protobuf::Arena::CreateMessage<v1::EvaluateRequest>(&arena);
  if (!request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("request: malformed pitboss.v1.EvaluateRequest bytes");
  }
  auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
  std::string decision_bytes;
  PITBOSS_RETURN_IF_ERROR(impl_->EvaluateInto(*request, request->mutable_account(), &arena,
                                              response, &decision_bytes));
  // Deterministic bytes of {decision, the request's account changed in place,
  // audit}, reusing the decision's bytes that the audit record hashed.
  return engine::SerializeEvaluateResponse(decision_bytes, request->account(),
                                           response->audit());
}

absl::StatusOr<EvaluateInPlaceResult> Engine::EvaluateInPlace(
    v1::Account* account, const v1::Event& event, absl::Time now,
    const v1::AuditChainHead& head) const {
  if (account == nullptr) return absl::InvalidArgumentError("account: null");
  // The checks Evaluate makes of its request, on the unpacked arguments (the
  // same statuses for the same input).
  if (event.kind_case() == v1::Event::KIND_NOT_SET) {
    return absl::InvalidArgumentError("event.kind: no event kind set");
  }
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("now: missing");
  }
  PITBOSS_RETURN_IF_ERROR(domain::ValidateProtoTime(domain::ToProtoTime(now), "now"));
  engine::CallArena arena;  // per-call temporaries
  EvaluateInPlaceResult result;
  PITBOSS_RETURN_IF_ERROR(impl_->Decide(*account, account, event, now, head, arena.get(),
                                        &result.decision, &result.audit,
                                        &result.decision_bytes));
  return result;
}

const v1::Policy& Engine::policy() const { return impl_->policy(); }

}  // namespace pitboss
