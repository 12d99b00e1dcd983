// Account before/after comparison into StateChanges (see state_changes.h).
#include "src/engine/state_changes.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/coded_stream.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/money.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace engine {
namespace {

v1::StateChange Change(v1::StateChangeKind kind, std::string field, std::string from,
                       std::string to, std::string subject = "") {
  v1::StateChange change;
  change.set_kind(kind);
  change.set_field(std::move(field));
  change.set_from(std::move(from));
  change.set_to(std::move(to));
  change.set_subject_id(std::move(subject));
  return change;
}

void DiffMoney(v1::StateChangeKind kind, const std::string& field, const v1::Money& before,
               const v1::Money& after, std::vector<v1::StateChange>& out) {
  if (before.minor_units() == after.minor_units()) return;
  v1::StateChange change = Change(kind, field, domain::FormatMoney(before),
                                  domain::FormatMoney(after));
  change.mutable_delta()->set_currency(after.currency().empty() ? before.currency()
                                                                : after.currency());
  // Balances are bounded far below overflow by the domain's checked arithmetic.
  change.mutable_delta()->set_minor_units(after.minor_units() - before.minor_units());
  out.push_back(std::move(change));
}

// Appends the serialization of `message` with its length in front, so two
// sequences of them are equal exactly when they have the same elements.
void AppendDelimited(const google::protobuf::MessageLite& message, std::string& out) {
  const size_t size = message.ByteSizeLong();
  absl::StrAppend(&out, size, ":");
  const size_t at = out.size();
  out.resize(at + size);
  message.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&out[at]));
}

template <typename T>
std::string Delimited(const google::protobuf::RepeatedPtrField<T>& elements) {
  std::string out;
  for (const T& element : elements) AppendDelimited(element, out);
  return out;
}

}  // namespace

ResponsibleGamblingBytes ResponsibleGamblingBytes::Of(const v1::ResponsibleGambling& rg) {
  // Fields are written in field-number order, unknown fields last, so the
  // deposit limits (field 1) come first: each is a one-byte tag, its length
  // and its bytes.
  static_assert(v1::ResponsibleGambling::kDepositLimitsFieldNumber == 1);
  constexpr size_t kLimitTagBytes = 1;
  ResponsibleGamblingBytes out;
  out.bytes = rg.SerializeAsString();
  for (const v1::DepositLimit& limit : rg.deposit_limits()) {
    const size_t size = limit.ByteSizeLong();
    out.limits_end += kLimitTagBytes +
                      google::protobuf::io::CodedOutputStream::VarintSize64(size) + size;
  }
  return out;
}

namespace {

// SameBytes with the before side already serialized: sized once, written
// once (no string allocation when the sizes differ).
bool SameAs(const std::string& before_bytes, const google::protobuf::MessageLite& after) {
  const size_t size = after.ByteSizeLong();
  if (size != before_bytes.size()) return false;
  std::string bytes(size, '\0');
  after.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(bytes.data()));
  return bytes == before_bytes;
}

void DiffSection(v1::StateChangeKind kind, const std::string& field,
                 const std::string& before, const google::protobuf::MessageLite& after,
                 std::vector<v1::StateChange>& out) {
  if (SameAs(before, after)) return;
  out.push_back(Change(kind, field, "", "changed"));
}

// The state each id had before: the last entry with that id wins (ids are
// unique in practice). Usually the payments are the same ones in the same
// order with at most a new one at the end, so the entry at the same index is
// tried first; a new one past the end is looked for by one scan from the
// back (a deposit request adds one deposit: no map of all ~220 kept ones for
// it); the map is built only when that fails.
template <typename State>
class StatesBefore {
 public:
  explicit StatesBefore(const std::vector<std::pair<std::string, State>>& entries)
      : entries_(entries) {}

  State Find(size_t index, const std::string& id, State missing) {
    if (index < entries_.size() && entries_[index].first == id && !HasDuplicates()) {
      return entries_[index].second;
    }
    if (index >= entries_.size() && !built_ && scans_ < kMaxScans) {
      ++scans_;
      for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        if (it->first == id) return it->second;
      }
      return missing;
    }
    if (!built_) {
      by_id_.reserve(entries_.size());
      for (const auto& [entry_id, state] : entries_) by_id_[entry_id] = state;
      built_ = true;
    }
    auto it = by_id_.find(id);
    return it == by_id_.end() ? missing : it->second;
  }

 private:
  bool HasDuplicates() {
    if (!duplicates_.has_value()) {
      std::vector<absl::string_view> ids;
      ids.reserve(entries_.size());
      for (const auto& entry : entries_) ids.push_back(entry.first);
      std::sort(ids.begin(), ids.end());
      duplicates_ = std::adjacent_find(ids.begin(), ids.end()) != ids.end();
    }
    return *duplicates_;
  }

  // Scans before the map pays off (more entries past the end are rare).
  static constexpr int kMaxScans = 4;

  const std::vector<std::pair<std::string, State>>& entries_;
  int scans_ = 0;
  std::optional<bool> duplicates_;
  absl::flat_hash_map<absl::string_view, State> by_id_;
  bool built_ = false;
};

}  // namespace

AccountSnapshot AccountSnapshot::Of(const v1::Account& account) {
  AccountSnapshot s;
  s.Capture(account, domain::kAllSections);
  return s;
}

void AccountSnapshot::Capture(const v1::Account& account,
                              domain::AccountSections sections) {
  const domain::AccountSections add = sections & ~captured_;
  if (add == 0) return;
  captured_ |= add;
  if (add & domain::kSectionStatus) status_ = account.status();
  if (add & domain::kSectionBalances) {
    cash_ = account.balances().cash();
    reserved_ = account.balances().reserved();
  }
  if (add & domain::kSectionDeposits) {
    deposits_.reserve(account.deposits_size());
    for (const v1::Deposit& d : account.deposits()) {
      deposits_.emplace_back(d.deposit_id(), d.state());
    }
  }
  if (add & domain::kSectionWithdrawals) {
    withdrawals_.reserve(account.withdrawals_size());
    for (const v1::Withdrawal& w : account.withdrawals()) {
      withdrawals_.emplace_back(w.withdrawal_id(), w.state());
    }
  }
  if (add & domain::kSectionRestrictions) {
    restriction_until_.reserve(account.restrictions_size());
    for (const v1::Restriction& r : account.restrictions()) {
      restriction_until_.push_back(r.until().SerializeAsString());
    }
  }
  if (add & domain::kSectionCases) {
    case_status_.reserve(account.cases_size());
    for (const v1::Case& c : account.cases()) case_status_.push_back(c.status());
  }
  if (add & domain::kSectionKyc) {
    kyc_level_ = account.kyc().level();
    kyc_ = account.kyc().SerializeAsString();
  }
  if (add & domain::kSectionResponsibleGambling) {
    responsible_gambling_ = ResponsibleGamblingBytes::Of(account.responsible_gambling());
  }
  if (add & domain::kSectionSecurity) security_ = account.security().SerializeAsString();
  if (add & domain::kSectionFactors) {
    factors_size_ = account.factors_size();
    factors_ = Delimited(account.factors());
  }
  if (add & domain::kSectionVerifications) {
    verifications_size_ = account.verifications_size();
    verifications_ = Delimited(account.verifications());
  }
  if (add & domain::kSectionDevices) {
    devices_size_ = account.devices_size();
    devices_ = Delimited(account.devices());
  }
  if (add & domain::kSectionInstruments) {
    instruments_.reserve(account.instruments_size());
    for (const v1::PaymentInstrument& instrument : account.instruments()) {
      instruments_.emplace_back(instrument.status(), instrument.SerializeAsString());
    }
  }
  if (add & domain::kSectionProfile) profile_ = account.profile().SerializeAsString();
}

StateChangeRecorder::StateChangeRecorder(const v1::Account& before, bool check)
    : check_(check) {
  if (check_) whole_ = AccountSnapshot::Of(before);
}

void StateChangeRecorder::WillChange(const v1::Account& account,
                                     domain::AccountSections sections) {
  before_.Capture(account, sections);
  if (check_) steps_.push_back(AccountSnapshot::Of(account));
}

absl::StatusOr<std::vector<v1::StateChange>> StateChangeRecorder::Report(
    const v1::Account& after) const {
  std::vector<v1::StateChange> changes = DiffAccounts(before_, after);
  if (check_) {
    const std::vector<v1::StateChange> whole = DiffAccounts(whole_, after);
    bool same = whole.size() == changes.size();
    for (size_t i = 0; same && i < whole.size(); ++i) {
      same = whole[i].SerializeAsString() == changes[i].SerializeAsString();
    }
    if (!same) {
      return absl::InternalError(absl::StrCat(
          "state changes: the domain steps' record (", changes.size(),
          " changes) differs from the whole-account comparison (", whole.size(),
          "): a change outside ApplyAccountChange or an undeclared section"));
    }
  }
  return changes;
}

absl::Status StateChangeRecorder::Changed(const v1::Account& account,
                                          domain::AccountSections sections) {
  if (!check_ || steps_.empty()) return absl::OkStatus();
  AccountSnapshot step = std::move(steps_.back());
  steps_.pop_back();
  step.Drop(sections);
  std::vector<v1::StateChange> undeclared = DiffAccounts(step, account);
  if (undeclared.empty()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      "a domain step changed ", undeclared.front().field(),
      " outside the sections it declared (0x", absl::Hex(sections), ")"));
}

std::vector<v1::StateChange> DiffAccounts(const v1::Account& before,
                                          const v1::Account& after) {
  return DiffAccounts(AccountSnapshot::Of(before), after);
}

std::vector<v1::StateChange> DiffAccounts(const AccountSnapshot& before,
                                          const v1::Account& after) {
  std::vector<v1::StateChange> out;
  if (before.Has(domain::kSectionStatus) && before.status_ != after.status()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_ACCOUNT_STATUS, "account.status",
                         v1::AccountStatus_Name(before.status_),
                         v1::AccountStatus_Name(after.status())));
  }
  if (before.Has(domain::kSectionBalances)) {
    DiffMoney(v1::STATE_CHANGE_KIND_CASH, "account.balances.cash", before.cash_,
              after.balances().cash(), out);
    DiffMoney(v1::STATE_CHANGE_KIND_RESERVED, "account.balances.reserved",
              before.reserved_, after.balances().reserved(), out);
  }

  StatesBefore<v1::DepositState> deposits(before.deposits_);
  const int deposits_after = before.Has(domain::kSectionDeposits) ? after.deposits_size() : 0;
  for (int i = 0; i < deposits_after; ++i) {
    const v1::Deposit& d = after.deposits(i);
    const v1::DepositState from =
        deposits.Find(static_cast<size_t>(i), d.deposit_id(), v1::DEPOSIT_STATE_UNSPECIFIED);
    if (from == d.state()) continue;
    out.push_back(Change(v1::STATE_CHANGE_KIND_DEPOSIT_STATE,
                         absl::StrCat("account.deposits[", i, "].state"),
                         std::string(domain::DepositStateName(from)),
                         std::string(domain::DepositStateName(d.state())), d.deposit_id()));
  }
  StatesBefore<v1::WithdrawalState> withdrawals(before.withdrawals_);
  const int withdrawals_after =
      before.Has(domain::kSectionWithdrawals) ? after.withdrawals_size() : 0;
  for (int i = 0; i < withdrawals_after; ++i) {
    const v1::Withdrawal& w = after.withdrawals(i);
    const v1::WithdrawalState from = withdrawals.Find(
        static_cast<size_t>(i), w.withdrawal_id(), v1::WITHDRAWAL_STATE_UNSPECIFIED);
    if (from == w.state()) continue;
    out.push_back(Change(v1::STATE_CHANGE_KIND_WITHDRAWAL_STATE,
                         absl::StrCat("account.withdrawals[", i, "].state"),
                         std::string(domain::WithdrawalStateName(from)),
                         std::string(domain::WithdrawalStateName(w.state())),
                         w.withdrawal_id()));
  }

  const int restrictions_before = static_cast<int>(before.restriction_until_.size());
  const int restrictions_after =
      before.Has(domain::kSectionRestrictions) ? after.restrictions_size() : 0;
  for (int i = 0; i < restrictions_after; ++i) {
    const v1::Restriction& r = after.restrictions(i);
    if (i >= restrictions_before) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_RESTRICTION_ADDED,
                           absl::StrCat("account.restrictions[", i, "]"), "",
                           v1::RestrictionKind_Name(r.kind()), r.case_id()));
    } else if (!SameAs(before.restriction_until_[static_cast<size_t>(i)], r.until())) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_RESTRICTION_LIFTED,
                           absl::StrCat("account.restrictions[", i, "]"),
                           v1::RestrictionKind_Name(r.kind()), "lifted", r.case_id()));
    }
  }
  const int cases_before = static_cast<int>(before.case_status_.size());
  const int cases_after = before.Has(domain::kSectionCases) ? after.cases_size() : 0;
  for (int i = cases_before; i < cases_after; ++i) {
    const v1::Case& c = after.cases(i);
    out.push_back(Change(v1::STATE_CHANGE_KIND_CASE_OPENED,
                         absl::StrCat("account.cases[", i, "]"), "",
                         v1::CaseKind_Name(c.kind()), c.case_id()));
  }
  for (int i = 0; i < cases_after && i < cases_before; ++i) {
    const v1::Case& c = after.cases(i);
    const v1::CaseStatus was = before.case_status_[static_cast<size_t>(i)];
    if (was != c.status()) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_CASE_OPENED,
                           absl::StrCat("account.cases[", i, "].status"),
                           v1::CaseStatus_Name(was), v1::CaseStatus_Name(c.status()),
                           c.case_id()));
    }
  }
  if (!before.Has(domain::kSectionKyc)) {
    // unchanged
  } else if (before.kyc_level_ != after.kyc().level()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_KYC_LEVEL, "account.kyc.level",
                         v1::KycLevel_Name(before.kyc_level_),
                         v1::KycLevel_Name(after.kyc().level())));
  } else {
    // Documents submitted or reviewed, due diligence asked for or done.
    DiffSection(v1::STATE_CHANGE_KIND_KYC_LEVEL, "account.kyc", before.kyc_, after.kyc(),
                out);
  }
  if (before.Has(domain::kSectionResponsibleGambling)) {
    const ResponsibleGamblingBytes& was = before.responsible_gambling_;
    const ResponsibleGamblingBytes is =
        ResponsibleGamblingBytes::Of(after.responsible_gambling());
    if (was.Rest() != is.Rest()) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_RESPONSIBLE_GAMBLING,
                           "account.responsible_gambling", "", "changed"));
    }
    if (was.Limits() != is.Limits()) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_DEPOSIT_LIMIT,
                           "account.responsible_gambling.deposit_limits", "", "changed"));
    }
  }
  if (before.Has(domain::kSectionSecurity)) {
    DiffSection(v1::STATE_CHANGE_KIND_SECURITY, "account.security", before.security_,
                after.security(), out);
  }
  if (!before.Has(domain::kSectionFactors)) {
    // unchanged
  } else if (before.factors_size_ != after.factors_size()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_FACTOR, "account.factors",
                         absl::StrCat(before.factors_size_),
                         absl::StrCat(after.factors_size())));
  } else if (Delimited(after.factors()) != before.factors_) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_FACTOR, "account.factors", "", "changed"));
  }
  if (before.Has(domain::kSectionVerifications) &&
      (before.verifications_size_ != after.verifications_size() ||
       Delimited(after.verifications()) != before.verifications_)) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_FACTOR, "account.verifications",
                         absl::StrCat(before.verifications_size_),
                         absl::StrCat(after.verifications_size())));
  }
  if (!before.Has(domain::kSectionDevices)) {
    // unchanged
  } else if (before.devices_size_ != after.devices_size()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_DEVICE, "account.devices",
                         absl::StrCat(before.devices_size_),
                         absl::StrCat(after.devices_size())));
  } else if (Delimited(after.devices()) != before.devices_) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_DEVICE, "account.devices", "", "seen"));
  }
  if (!before.Has(domain::kSectionInstruments)) {
    // unchanged
  } else if (before.instruments_.size() != static_cast<size_t>(after.instruments_size())) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_INSTRUMENT, "account.instruments",
                         absl::StrCat(before.instruments_.size()),
                         absl::StrCat(after.instruments_size())));
  } else {
    for (int i = 0; i < after.instruments_size(); ++i) {
      const auto& [was_status, was_bytes] = before.instruments_[static_cast<size_t>(i)];
      const v1::PaymentInstrument& is = after.instruments(i);
      if (was_status != is.status()) {
        out.push_back(Change(v1::STATE_CHANGE_KIND_INSTRUMENT,
                             absl::StrCat("account.instruments[", i, "].status"),
                             v1::InstrumentStatus_Name(was_status),
                             v1::InstrumentStatus_Name(is.status()), is.instrument_id()));
      } else if (!SameAs(was_bytes, is)) {
        out.push_back(Change(v1::STATE_CHANGE_KIND_INSTRUMENT,
                             absl::StrCat("account.instruments[", i, "]"), "", "updated",
                             is.instrument_id()));
      }
    }
  }
  if (before.Has(domain::kSectionProfile)) {
    DiffSection(v1::STATE_CHANGE_KIND_PROFILE, "account.profile", before.profile_,
                after.profile(), out);
  }
  return out;
}

}  // namespace engine
}  // namespace pitboss
