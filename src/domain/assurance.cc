// Assurance levels from recent verifications (see assurance.h).
#include "src/domain/assurance.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace {

absl::Status CheckDuration(absl::Duration d, bool zero_ok, absl::string_view field) {
  if (d == absl::InfiniteDuration() || d < absl::ZeroDuration() ||
      (!zero_ok && d == absl::ZeroDuration())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, zero_ok ? ": must be zero or positive and finite"
                                    : ": must be positive and finite"));
  }
  return absl::OkStatus();
}

// The latest fact satisfying `pred`, or nullptr.
template <typename Pred>
const VerificationFact* Latest(absl::Span<const VerificationFact> facts, Pred pred) {
  const VerificationFact* best = nullptr;
  for (const VerificationFact& f : facts) {
    if (pred(f) && (best == nullptr || f.verified_at > best->verified_at)) {
      best = &f;
    }
  }
  return best;
}

}  // namespace

absl::string_view AssuranceLevelName(AssuranceLevel level) {
  switch (level) {
    case AssuranceLevel::kNone:
      return "NONE";
    case AssuranceLevel::kL1:
      return "L1";
    case AssuranceLevel::kL2:
      return "L2";
  }
  return "NONE";
}

absl::Status ValidateAssuranceOptions(const AssuranceOptions& options) {
  PITBOSS_RETURN_IF_ERROR(
      CheckDuration(options.l1_max_age, false, "assurance.l1_max_age"));
  PITBOSS_RETURN_IF_ERROR(
      CheckDuration(options.l1_idle_timeout, true, "assurance.l1_idle_timeout"));
  PITBOSS_RETURN_IF_ERROR(
      CheckDuration(options.l2_max_age, false, "assurance.l2_max_age"));
  PITBOSS_RETURN_IF_ERROR(
      CheckDuration(options.l2_idle_timeout, true, "assurance.l2_idle_timeout"));
  return absl::OkStatus();
}

v1::FactorCategory FactorCategoryOf(v1::FactorKind kind) {
  switch (kind) {
    case v1::FACTOR_KIND_PASSWORD:
    case v1::FACTOR_KIND_SECURITY_QUESTION:
    case v1::FACTOR_KIND_PHONE_KBV:
      return v1::FACTOR_CATEGORY_KNOWLEDGE;
    case v1::FACTOR_KIND_EMAIL_LINK:
    case v1::FACTOR_KIND_SMS_OTP:
    case v1::FACTOR_KIND_TOTP:
    case v1::FACTOR_KIND_APP_APPROVAL:
      return v1::FACTOR_CATEGORY_POSSESSION;
    case v1::FACTOR_KIND_ID_DOCUMENT:
      return v1::FACTOR_CATEGORY_INHERENCE;
    default:
      return v1::FACTOR_CATEGORY_UNSPECIFIED;
  }
}

bool IsPhoneKnowledgeCheck(v1::FactorKind kind, v1::Channel channel) {
  return kind == v1::FACTOR_KIND_PHONE_KBV ||
         (FactorCategoryOf(kind) == v1::FACTOR_CATEGORY_KNOWLEDGE &&
          channel == v1::CHANNEL_PHONE);
}

absl::StatusOr<std::vector<VerificationFact>> ReadVerifications(
    const google::protobuf::RepeatedPtrField<v1::Verification>& verifications,
    absl::Time now, absl::string_view field) {
  std::vector<VerificationFact> facts;
  facts.reserve(static_cast<size_t>(verifications.size()));
  for (int i = 0; i < verifications.size(); ++i) {
    const v1::Verification& v = verifications[i];
    const std::string f = absl::StrCat(field, "[", i, "]");
    VerificationFact fact;
    fact.kind = v.kind();
    fact.category = FactorCategoryOf(v.kind());
    if (fact.category == v1::FACTOR_CATEGORY_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".kind: unknown factor kind ", v.kind()));
    }
    if (v.category() != v1::FACTOR_CATEGORY_UNSPECIFIED &&
        v.category() != fact.category) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".category: ", v1::FactorCategory_Name(v.category()),
                       " contradicts kind ", v1::FactorKind_Name(v.kind()), " (",
                       v1::FactorCategory_Name(fact.category), ")"));
    }
    if (!v1::Channel_IsValid(v.channel())) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".channel: unknown channel ", v.channel()));
    }
    fact.channel = v.channel();
    const std::string at = absl::StrCat(f, ".verified_at");
    PITBOSS_RETURN_IF_ERROR(ValidateProtoTime(v.verified_at(), at));
    if (!IsSet(v.verified_at())) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": required"));
    }
    fact.verified_at = FromProtoTime(v.verified_at());
    if (fact.verified_at > now) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": in the future"));
    }
    fact.index = i;
    facts.push_back(fact);
  }
  return facts;
}

AssuranceResult ComputeAssurance(absl::Span<const VerificationFact> facts,
                                 absl::Time last_activity, absl::Time now,
                                 const AssuranceOptions& options) {
  AssuranceResult result;
  auto fresh = [now](const VerificationFact& f, absl::Duration max_age) {
    return f.verified_at <= now && now - f.verified_at < max_age;
  };

  // L2: the latest fresh possession factor plus the latest fresh factor of
  // another category; phone knowledge checks never take part.
  auto l2_eligible = [&](const VerificationFact& f) {
    return fresh(f, options.l2_max_age) && !IsPhoneKnowledgeCheck(f.kind, f.channel);
  };
  const VerificationFact* possession = Latest(facts, [&](const VerificationFact& f) {
    return l2_eligible(f) && f.category == v1::FACTOR_CATEGORY_POSSESSION;
  });
  const VerificationFact* other = Latest(facts, [&](const VerificationFact& f) {
    return l2_eligible(f) && f.category != v1::FACTOR_CATEGORY_POSSESSION;
  });
  if (possession != nullptr && other != nullptr) {
    absl::Time until =
        std::min(possession->verified_at, other->verified_at) + options.l2_max_age;
    bool idle = false;
    if (options.l2_idle_timeout > absl::ZeroDuration()) {
      const absl::Time activity =
          std::max({last_activity, possession->verified_at, other->verified_at});
      const absl::Time idle_deadline = activity + options.l2_idle_timeout;
      idle = now >= idle_deadline;
      until = std::min(until, idle_deadline);
    }
    if (!idle) {
      result.level = AssuranceLevel::kL2;
      result.used = {possession->index, other->index};
      result.valid_until = until;
      return result;
    }
    result.l2_lapsed_by_idle = true;
  }

  const VerificationFact* any = Latest(
      facts, [&](const VerificationFact& f) { return fresh(f, options.l1_max_age); });
  if (any == nullptr) return result;
  absl::Time until = any->verified_at + options.l1_max_age;
  if (options.l1_idle_timeout > absl::ZeroDuration()) {
    const absl::Time idle_deadline =
        std::max(last_activity, any->verified_at) + options.l1_idle_timeout;
    if (now >= idle_deadline) return result;
    until = std::min(until, idle_deadline);
  }
  result.level = AssuranceLevel::kL1;
  result.used = {any->index};
  result.valid_until = until;
  return result;
}

absl::StatusOr<AssuranceResult> ComputeAccountAssurance(const v1::Account& account,
                                                        absl::Time now,
                                                        const AssuranceOptions& options) {
  PITBOSS_RETURN_IF_ERROR(ValidateAssuranceOptions(options));
  PITBOSS_ASSIGN_OR_RETURN(
      std::vector<VerificationFact> facts,
      ReadVerifications(account.verifications(), now, "account.verifications"));
  const google::protobuf::Timestamp& activity = account.security().last_activity_at();
  PITBOSS_RETURN_IF_ERROR(
      ValidateProtoTime(activity, "account.security.last_activity_at"));
  if (FromProtoTime(activity) > now) {
    return absl::InvalidArgumentError("account.security.last_activity_at: in the future");
  }
  return ComputeAssurance(facts, FromProtoTime(activity), now, options);
}

}  // namespace domain
}  // namespace pitboss
