// Instrument holder name vs the account holder's names (see
// name_match_features.h).
#include "src/risk/name_match_features.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace risk {
namespace {

absl::string_view HolderNameField(const v1::PaymentInstrument& instrument) {
  switch (instrument.details_case()) {
    case v1::PaymentInstrument::kCard:
      return ".card.holder_name";
    case v1::PaymentInstrument::kBankAccount:
      return ".bank_account.holder_name";
    case v1::PaymentInstrument::kEWallet:
      return ".e_wallet.holder_name";
    case v1::PaymentInstrument::kCryptoOnramp:
      return ".crypto_onramp.holder_name";
    default:
      return "";
  }
}

v1::NameMatch ToFeature(domain::NameMatchKind kind) {
  switch (kind) {
    case domain::NameMatchKind::kExact:
      return v1::NAME_MATCH_EXACT;
    case domain::NameMatchKind::kNormalized:
      return v1::NAME_MATCH_NORMALIZED;
    case domain::NameMatchKind::kTokenReordered:
      return v1::NAME_MATCH_TOKEN_REORDERED;
    case domain::NameMatchKind::kNoMatch:
      break;
  }
  return v1::NAME_MATCH_NO_MATCH;
}

// The canonical forms this thread computed last, across calls. An account's
// registered names come back with every payment event of that account (and a
// holder name with every payment from that instrument); Canonicalize is pure
// and depends on the spelling only (a NameMatcher has no settings), so a form
// computed before, by any matcher, is reused instead of another ICU pass.
// Only successes are kept; the oldest entry gives way when full.
class RecentCanonicalNames {
 public:
  static RecentCanonicalNames& Mine() {
    thread_local RecentCanonicalNames names;
    return names;
  }

  const domain::CanonicalName* Find(absl::string_view spelling) const {
    for (const Entry& entry : entries_) {
      if (entry.spelling == spelling) return &entry.canonical;
    }
    return nullptr;
  }

  void Add(absl::string_view spelling, const domain::CanonicalName& canonical) {
    Entry entry{std::string(spelling), canonical};
    if (entries_.size() < kCapacity) {
      entries_.push_back(std::move(entry));
    } else {
      entries_[next_] = std::move(entry);
      next_ = (next_ + 1) % kCapacity;
    }
  }

 private:
  static constexpr size_t kCapacity = 64;
  struct Entry {
    std::string spelling;
    domain::CanonicalName canonical;
  };
  std::vector<Entry> entries_;
  size_t next_ = 0;  // the oldest entry, once full
};

// Canonicalize with the field path built only if it fails: the check is
// deterministic, so the second call fails the same way, now naming the field.
template <typename FieldFn>
absl::StatusOr<domain::CanonicalName> CanonicalizeNamed(const domain::NameMatcher& matcher,
                                                        absl::string_view spelling,
                                                        FieldFn&& field) {
  RecentCanonicalNames& recent = RecentCanonicalNames::Mine();
  if (const domain::CanonicalName* known = recent.Find(spelling)) return *known;
  absl::StatusOr<domain::CanonicalName> canonical = matcher.Canonicalize(spelling, "");
  if (!canonical.ok()) return matcher.Canonicalize(spelling, field());
  recent.Add(spelling, *canonical);
  return canonical;
}

// Canonical forms already computed in this call, by spelling. Canonicalize is
// the costly part (ICU normalisation and transliteration) and deterministic,
// so a spelling seen before (the candidate itself, or a family/given split
// that reads like the full name) reuses its form instead of a second ICU pass.
// Only successes are kept: a failing spelling fails the first time it is seen.
class CanonicalCache {
 public:
  // `capacity`: the most entries the call adds (so entries never move).
  CanonicalCache(const domain::NameMatcher& matcher, size_t capacity) : matcher_(matcher) {
    entries_.reserve(capacity);
  }

  void Add(absl::string_view spelling, domain::CanonicalName canonical) {
    entries_.push_back({std::string(spelling), std::move(canonical)});
  }

  template <typename FieldFn>
  absl::StatusOr<const domain::CanonicalName*> Get(absl::string_view spelling,
                                                   FieldFn&& field) {
    for (const Entry& entry : entries_) {
      if (entry.spelling == spelling) return &entry.canonical;
    }
    PITBOSS_ASSIGN_OR_RETURN(domain::CanonicalName canonical,
                             CanonicalizeNamed(matcher_, spelling, field));
    entries_.push_back({std::string(spelling), std::move(canonical)});
    return &entries_.back().canonical;
  }

 private:
  struct Entry {
    std::string spelling;
    domain::CanonicalName canonical;
  };
  const domain::NameMatcher& matcher_;
  std::vector<Entry> entries_;  // reserved: stable addresses
};

// Compares the canonical candidate with one registered spelling; keeps the best.
template <typename FieldFn>
absl::Status CompareVariant(CanonicalCache& cache, absl::string_view candidate,
                            const domain::CanonicalName& canonical_candidate,
                            absl::string_view registered, FieldFn&& field,
                            bool& any_registered, domain::NameMatchKind& best) {
  if (registered.empty()) return absl::OkStatus();
  any_registered = true;
  PITBOSS_ASSIGN_OR_RETURN(const domain::CanonicalName* variant, cache.Get(registered, field));
  const domain::NameMatchKind kind = registered == candidate
                                         ? domain::NameMatchKind::kExact
                                         : domain::NameMatcher::Compare(canonical_candidate,
                                                                        *variant);
  if (kind > best) best = kind;
  return absl::OkStatus();
}

}  // namespace

const std::string& HolderName(const v1::PaymentInstrument& instrument) {
  switch (instrument.details_case()) {
    case v1::PaymentInstrument::kCard:
      return instrument.card().holder_name();
    case v1::PaymentInstrument::kBankAccount:
      return instrument.bank_account().holder_name();
    case v1::PaymentInstrument::kEWallet:
      return instrument.e_wallet().holder_name();
    case v1::PaymentInstrument::kCryptoOnramp:
      return instrument.crypto_onramp().holder_name();
    default:
      return v1::Card::default_instance().holder_name();  // ""
  }
}

absl::Status AddNameMatchFeatures(const v1::Account& account,
                                  const risk_internal::EventSubject& subject,
                                  const domain::NameMatcher& matcher,
                                  v1::Features* features) {
  if (subject.instrument == nullptr) {
    features->set_holder_name_match(v1::NAME_MATCH_NOT_APPLICABLE);
    return absl::OkStatus();
  }
  const std::string& candidate = HolderName(*subject.instrument);
  if (candidate.empty()) {
    features->set_holder_name_match(v1::NAME_MATCH_NO_HOLDER_NAME);
    return absl::OkStatus();
  }
  PITBOSS_ASSIGN_OR_RETURN(domain::CanonicalName canonical,
                           CanonicalizeNamed(matcher, candidate, [&subject] {
                             return absl::StrCat(subject.InstrumentField(),
                                                 HolderNameField(*subject.instrument));
                           }));
  const auto& names = account.profile().names();
  CanonicalCache cache(matcher, 2 * static_cast<size_t>(names.size()) + 1);
  cache.Add(candidate, canonical);
  bool any_registered = false;
  domain::NameMatchKind best = domain::NameMatchKind::kNoMatch;
  std::string split;
  for (int i = 0; i < names.size(); ++i) {
    const v1::PersonName& name = names.Get(i);
    PITBOSS_RETURN_IF_ERROR(CompareVariant(
        cache, candidate, canonical, name.full_name(),
        [i] { return absl::StrCat("account.profile.names[", i, "].full_name"); },
        any_registered, best));
    if (!name.family_name().empty() || !name.given_name().empty()) {
      split.assign(name.family_name());
      if (!split.empty() && !name.given_name().empty()) split.push_back(' ');
      split.append(name.given_name());
      PITBOSS_RETURN_IF_ERROR(CompareVariant(
          cache, candidate, canonical, split,
          [i] { return absl::StrCat("account.profile.names[", i, "].family_name/given_name"); },
          any_registered, best));
    }
  }
  if (!any_registered) {
    features->set_holder_name_match(v1::NAME_MATCH_NO_HOLDER_NAME);
    return absl::OkStatus();
  }
  const v1::NameMatch match = ToFeature(best);
  features->set_holder_name_match(match);
  features->set_holder_name_mismatch(match == v1::NAME_MATCH_NO_MATCH);
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
