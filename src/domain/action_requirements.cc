// Per-action authentication requirements (see action_requirements.h).
#include "src/domain/action_requirements.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace {

bool Contains(const std::vector<v1::Channel>& v, v1::Channel c) {
  return std::find(v.begin(), v.end(), c) != v.end();
}

bool Accepts(const ActionRequirement& r, v1::FactorKind kind) {
  return r.accepted_kinds.empty() ||
         std::find(r.accepted_kinds.begin(), r.accepted_kinds.end(), kind) !=
             r.accepted_kinds.end();
}

bool Qualifies(const ActionRequirement& r, const VerificationFact& f, absl::Time now) {
  return Accepts(r, f.kind) && !Contains(r.forbidden_channels, f.channel) &&
         f.verified_at <= now && now - f.verified_at < r.freshness;
}

// The channel a factor is used over when its record does not say.
v1::Channel NaturalChannel(v1::FactorKind kind) {
  switch (kind) {
    case v1::FACTOR_KIND_EMAIL_LINK:
      return v1::CHANNEL_EMAIL;
    case v1::FACTOR_KIND_SMS_OTP:
      return v1::CHANNEL_SMS;
    case v1::FACTOR_KIND_TOTP:
    case v1::FACTOR_KIND_APP_APPROVAL:
    case v1::FACTOR_KIND_ID_DOCUMENT:
      return v1::CHANNEL_APP;
    case v1::FACTOR_KIND_PHONE_KBV:
      return v1::CHANNEL_PHONE;
    default:
      return v1::CHANNEL_WEB;
  }
}

std::vector<v1::FactorKind> AllBut(std::initializer_list<v1::FactorKind> excluded) {
  std::vector<v1::FactorKind> kinds;
  for (int k = v1::FactorKind_MIN; k <= v1::FactorKind_MAX; ++k) {
    const auto kind = static_cast<v1::FactorKind>(k);
    if (!v1::FactorKind_IsValid(k) || kind == v1::FACTOR_KIND_UNSPECIFIED) continue;
    if (std::find(excluded.begin(), excluded.end(), kind) != excluded.end()) continue;
    kinds.push_back(kind);
  }
  return kinds;
}

// An enrolled, usable factor as a hypothetical verification at `now`.
struct Candidate {
  std::string factor_id;
  VerificationFact fact;
};

absl::StatusOr<std::vector<Candidate>> UsableFactors(const v1::Account& account,
                                                     absl::Time now) {
  std::vector<Candidate> out;
  for (int i = 0; i < account.factors_size(); ++i) {
    const v1::Factor& factor = account.factors(i);
    const std::string f = absl::StrCat("account.factors[", i, "]");
    const v1::FactorCategory category = FactorCategoryOf(factor.kind());
    if (category == v1::FACTOR_CATEGORY_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".kind: unknown factor kind ", factor.kind()));
    }
    if (factor.category() != v1::FACTOR_CATEGORY_UNSPECIFIED &&
        factor.category() != category) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".category: ", v1::FactorCategory_Name(factor.category()),
                       " contradicts kind ", v1::FactorKind_Name(factor.kind())));
    }
    if (!v1::Channel_IsValid(factor.channel())) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".channel: unknown channel ", factor.channel()));
    }
    PITBOSS_RETURN_IF_ERROR(
        ValidateProtoTime(factor.revoked_at(), absl::StrCat(f, ".revoked_at")));
    if (IsSet(factor.revoked_at()) && FromProtoTime(factor.revoked_at()) <= now) {
      continue;
    }
    Candidate c;
    c.factor_id = factor.factor_id();
    c.fact.kind = factor.kind();
    c.fact.category = category;
    c.fact.channel = factor.channel() == v1::CHANNEL_UNSPECIFIED
                         ? NaturalChannel(factor.kind())
                         : factor.channel();
    c.fact.verified_at = now;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

absl::string_view SensitiveActionName(SensitiveAction action) {
  switch (action) {
    case SensitiveAction::kPasswordChange:
      return "PASSWORD_CHANGE";
    case SensitiveAction::kPasswordReset:
      return "PASSWORD_RESET";
    case SensitiveAction::kContactChange:
      return "CONTACT_CHANGE";
    case SensitiveAction::kFactorEnrollment:
      return "FACTOR_ENROLLMENT";
    case SensitiveAction::kFactorRemoval:
      return "FACTOR_REMOVAL";
    case SensitiveAction::kAddPaymentInstrument:
      return "ADD_PAYMENT_INSTRUMENT";
    case SensitiveAction::kWithdrawal:
      return "WITHDRAWAL";
  }
  return "UNKNOWN";
}

std::optional<SensitiveAction> SensitiveActionForEvent(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kPasswordChange:
      // Without the current password it is the end of a reset: the reset's
      // requirement (a fresh e-mail link or app approval, never by phone), not
      // the L2 a logged-in change needs, which a locked-out player cannot meet.
      return event.password_change().current_password_verified()
                 ? SensitiveAction::kPasswordChange
                 : SensitiveAction::kPasswordReset;
    case v1::Event::kPasswordResetRequest:
      return SensitiveAction::kPasswordReset;
    case v1::Event::kContactChange:
      return SensitiveAction::kContactChange;
    case v1::Event::kFactorEnrolled:
      return SensitiveAction::kFactorEnrollment;
    case v1::Event::kWithdrawalRequested:
      return SensitiveAction::kWithdrawal;
    case v1::Event::kDepositRequested:
      if (event.deposit_requested().has_new_instrument()) {
        return SensitiveAction::kAddPaymentInstrument;
      }
      return std::nullopt;
    case v1::Event::kSupportActionRequest:
      switch (event.support_action_request().action()) {
        case v1::SUPPORT_ACTION_RESET_PASSWORD:
          return SensitiveAction::kPasswordReset;
        case v1::SUPPORT_ACTION_CHANGE_CONTACT:
          return SensitiveAction::kContactChange;
        default:
          return std::nullopt;
      }
    default:
      return std::nullopt;
  }
}

const std::vector<ActionRequirement>& DefaultActionRequirements() {
  static const std::vector<ActionRequirement>* const kTable = [] {
    const std::vector<v1::FactorKind> no_kbv =
        AllBut({v1::FACTOR_KIND_PHONE_KBV, v1::FACTOR_KIND_SECURITY_QUESTION});
    const std::vector<v1::Channel> no_phone = {v1::CHANNEL_PHONE};
    return new std::vector<ActionRequirement>{
        {SensitiveAction::kPasswordChange, AssuranceLevel::kL2, absl::Hours(1), no_phone,
         no_kbv},
        {SensitiveAction::kPasswordReset,
         AssuranceLevel::kL1,
         absl::Hours(1),
         no_phone,
         {v1::FACTOR_KIND_EMAIL_LINK, v1::FACTOR_KIND_APP_APPROVAL}},
        {SensitiveAction::kContactChange, AssuranceLevel::kL2, absl::Hours(1), no_phone,
         no_kbv},
        {SensitiveAction::kFactorEnrollment, AssuranceLevel::kL1, absl::Hours(1),
         no_phone, no_kbv},
        {SensitiveAction::kFactorRemoval, AssuranceLevel::kL2, absl::Hours(1), no_phone,
         no_kbv},
        {SensitiveAction::kAddPaymentInstrument, AssuranceLevel::kL1, absl::Hours(12),
         no_phone, no_kbv},
        {SensitiveAction::kWithdrawal, AssuranceLevel::kL1, absl::Hours(12), no_phone,
         no_kbv},
    };
  }();
  return *kTable;
}

absl::StatusOr<ActionRequirement> FindRequirement(
    absl::Span<const ActionRequirement> table, SensitiveAction action) {
  for (const ActionRequirement& r : table) {
    if (r.action == action) return r;
  }
  return absl::NotFoundError(
      absl::StrCat("requirements: no entry for ", SensitiveActionName(action)));
}

absl::Status ValidateActionRequirements(absl::Span<const ActionRequirement> table) {
  std::set<SensitiveAction> seen;
  for (size_t i = 0; i < table.size(); ++i) {
    const ActionRequirement& r = table[i];
    const std::string f = absl::StrCat("requirements[", i, "]");
    if (!seen.insert(r.action).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".action: duplicate ", SensitiveActionName(r.action)));
    }
    if (r.min_level == AssuranceLevel::kNone) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".min_level: must be at least L1"));
    }
    if (r.freshness <= absl::ZeroDuration() || r.freshness == absl::InfiniteDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".freshness: must be positive and finite"));
    }
    for (v1::Channel c : r.forbidden_channels) {
      if (!v1::Channel_IsValid(c) || c == v1::CHANNEL_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            absl::StrCat(f, ".forbidden_channels: invalid channel ", c));
      }
    }
    for (v1::FactorKind k : r.accepted_kinds) {
      if (FactorCategoryOf(k) == v1::FACTOR_CATEGORY_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            absl::StrCat(f, ".accepted_kinds: invalid factor kind ", k));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RequirementCheck> CheckActionRequirement(
    const v1::Account& account, const ActionRequirement& requirement, absl::Time now,
    const AssuranceOptions& options) {
  PITBOSS_RETURN_IF_ERROR(ValidateAssuranceOptions(options));
  PITBOSS_RETURN_IF_ERROR(
      ValidateActionRequirements(absl::MakeConstSpan(&requirement, 1)));
  PITBOSS_ASSIGN_OR_RETURN(
      std::vector<VerificationFact> all,
      ReadVerifications(account.verifications(), now, "account.verifications"));
  const google::protobuf::Timestamp& activity_ts = account.security().last_activity_at();
  PITBOSS_RETURN_IF_ERROR(
      ValidateProtoTime(activity_ts, "account.security.last_activity_at"));
  const absl::Time activity = FromProtoTime(activity_ts);
  if (activity > now) {
    return absl::InvalidArgumentError("account.security.last_activity_at: in the future");
  }
  PITBOSS_ASSIGN_OR_RETURN(std::vector<Candidate> candidates,
                           UsableFactors(account, now));

  std::vector<VerificationFact> qualifying;
  bool forbidden_channel_seen = false;
  for (const VerificationFact& f : all) {
    if (Qualifies(requirement, f, now)) {
      qualifying.push_back(f);
    } else if (Contains(requirement.forbidden_channels, f.channel) &&
               now - f.verified_at < requirement.freshness) {
      forbidden_channel_seen = true;
    }
  }

  RequirementCheck check;
  check.required_level = requirement.min_level;
  check.accepted_kinds =
      requirement.accepted_kinds.empty() ? AllBut({}) : requirement.accepted_kinds;
  check.level = ComputeAssurance(qualifying, activity, now, options).level;
  check.satisfied = check.level >= requirement.min_level;
  if (check.satisfied) return check;

  check.unmet.push_back(absl::StrCat(
      SensitiveActionName(requirement.action), " needs assurance ",
      AssuranceLevelName(requirement.min_level), " from verifications younger than ",
      absl::FormatDuration(requirement.freshness), "; qualifying verifications give ",
      AssuranceLevelName(check.level)));
  if (forbidden_channel_seen) {
    std::vector<std::string> names;
    for (v1::Channel c : requirement.forbidden_channels) {
      names.push_back(v1::Channel_Name(c));
    }
    check.unmet.push_back(absl::StrCat("verifications over ", absl::StrJoin(names, ", "),
                                       " do not count for this action"));
  }

  // Which enrolled factors, verified now over their own channel, would do it.
  std::vector<const Candidate*> usable;
  for (const Candidate& c : candidates) {
    if (Qualifies(requirement, c.fact, now)) usable.push_back(&c);
  }
  auto satisfies = [&](std::initializer_list<const Candidate*> extra) {
    std::vector<VerificationFact> facts = qualifying;
    for (const Candidate* c : extra) facts.push_back(c->fact);
    return ComputeAssurance(facts, activity, now, options).level >= requirement.min_level;
  };
  for (const Candidate* c : usable) {
    if (satisfies({c})) {
      check.options.push_back({{c->factor_id}, {c->fact.kind}});
    }
  }
  if (check.options.empty()) {
    for (size_t i = 0; i < usable.size(); ++i) {
      for (size_t j = i + 1; j < usable.size(); ++j) {
        if (satisfies({usable[i], usable[j]})) {
          check.options.push_back({{usable[i]->factor_id, usable[j]->factor_id},
                                   {usable[i]->fact.kind, usable[j]->fact.kind}});
        }
      }
    }
  }
  if (check.options.empty()) {
    check.unmet.push_back("no enrolled factor can satisfy it: enrol an accepted one");
  }
  return check;
}

}  // namespace domain
}  // namespace pitboss
