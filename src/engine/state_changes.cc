// Account before/after comparison into StateChanges (see state_changes.h).
#include "src/engine/state_changes.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/money.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace engine {
namespace {

// Equality by serialized bytes: Account and everything in it is proto3
// without maps or unknown fields, so equal messages serialize identically
// (and this is several times faster than reflection-based comparison).
bool SameBytes(const google::protobuf::MessageLite& a, const google::protobuf::MessageLite& b) {
  if (a.ByteSizeLong() != b.ByteSizeLong()) return false;
  return a.SerializeAsString() == b.SerializeAsString();
}

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

void DiffSection(v1::StateChangeKind kind, const std::string& field,
                 const google::protobuf::Message& before,
                 const google::protobuf::Message& after, std::vector<v1::StateChange>& out) {
  if (SameBytes(before, after)) return;
  out.push_back(Change(kind, field, "", "changed"));
}

template <typename T>
bool RepeatedEqual(const google::protobuf::RepeatedPtrField<T>& a,
                   const google::protobuf::RepeatedPtrField<T>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (!SameBytes(a.Get(i), b.Get(i))) return false;
  }
  return true;
}

}  // namespace

std::vector<v1::StateChange> DiffAccounts(const v1::Account& before,
                                          const v1::Account& after) {
  std::vector<v1::StateChange> out;
  if (before.status() != after.status()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_ACCOUNT_STATUS, "account.status",
                         v1::AccountStatus_Name(before.status()),
                         v1::AccountStatus_Name(after.status())));
  }
  DiffMoney(v1::STATE_CHANGE_KIND_CASH, "account.balances.cash", before.balances().cash(),
            after.balances().cash(), out);
  DiffMoney(v1::STATE_CHANGE_KIND_RESERVED, "account.balances.reserved",
            before.balances().reserved(), after.balances().reserved(), out);

  absl::flat_hash_map<std::string, v1::DepositState> deposits;
  for (const v1::Deposit& d : before.deposits()) deposits[d.deposit_id()] = d.state();
  for (int i = 0; i < after.deposits_size(); ++i) {
    const v1::Deposit& d = after.deposits(i);
    auto it = deposits.find(d.deposit_id());
    const v1::DepositState from =
        it == deposits.end() ? v1::DEPOSIT_STATE_UNSPECIFIED : it->second;
    if (from == d.state()) continue;
    out.push_back(Change(v1::STATE_CHANGE_KIND_DEPOSIT_STATE,
                         absl::StrCat("account.deposits[", i, "].state"),
                         std::string(domain::DepositStateName(from)),
                         std::string(domain::DepositStateName(d.state())), d.deposit_id()));
  }
  absl::flat_hash_map<std::string, v1::WithdrawalState> withdrawals;
  for (const v1::Withdrawal& w : before.withdrawals()) withdrawals[w.withdrawal_id()] = w.state();
  for (int i = 0; i < after.withdrawals_size(); ++i) {
    const v1::Withdrawal& w = after.withdrawals(i);
    auto it = withdrawals.find(w.withdrawal_id());
    const v1::WithdrawalState from =
        it == withdrawals.end() ? v1::WITHDRAWAL_STATE_UNSPECIFIED : it->second;
    if (from == w.state()) continue;
    out.push_back(Change(v1::STATE_CHANGE_KIND_WITHDRAWAL_STATE,
                         absl::StrCat("account.withdrawals[", i, "].state"),
                         std::string(domain::WithdrawalStateName(from)),
                         std::string(domain::WithdrawalStateName(w.state())),
                         w.withdrawal_id()));
  }

  for (int i = 0; i < after.restrictions_size(); ++i) {
    const v1::Restriction& r = after.restrictions(i);
    const std::string field = absl::StrCat("account.restrictions[", i, "]");
    if (i >= before.restrictions_size()) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_RESTRICTION_ADDED, field, "",
                           v1::RestrictionKind_Name(r.kind()), r.case_id()));
    } else if (!SameBytes(before.restrictions(i).until(), r.until())) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_RESTRICTION_LIFTED, field,
                           v1::RestrictionKind_Name(r.kind()), "lifted", r.case_id()));
    }
  }
  for (int i = before.cases_size(); i < after.cases_size(); ++i) {
    const v1::Case& c = after.cases(i);
    out.push_back(Change(v1::STATE_CHANGE_KIND_CASE_OPENED,
                         absl::StrCat("account.cases[", i, "]"), "",
                         v1::CaseKind_Name(c.kind()), c.case_id()));
  }
  for (int i = 0; i < after.cases_size() && i < before.cases_size(); ++i) {
    const v1::Case& c = after.cases(i);
    if (before.cases(i).status() != c.status()) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_CASE_OPENED,
                           absl::StrCat("account.cases[", i, "].status"),
                           v1::CaseStatus_Name(before.cases(i).status()),
                           v1::CaseStatus_Name(c.status()), c.case_id()));
    }
  }
  if (before.kyc().level() != after.kyc().level()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_KYC_LEVEL, "account.kyc.level",
                         v1::KycLevel_Name(before.kyc().level()),
                         v1::KycLevel_Name(after.kyc().level())));
  } else {
    // Documents submitted or reviewed, due diligence asked for or done.
    DiffSection(v1::STATE_CHANGE_KIND_KYC_LEVEL, "account.kyc", before.kyc(), after.kyc(),
                out);
  }
  {
    v1::ResponsibleGambling rg_before = before.responsible_gambling();
    v1::ResponsibleGambling rg_after = after.responsible_gambling();
    rg_before.clear_deposit_limits();
    rg_after.clear_deposit_limits();
    DiffSection(v1::STATE_CHANGE_KIND_RESPONSIBLE_GAMBLING, "account.responsible_gambling",
                rg_before, rg_after, out);
    bool limits_equal = before.responsible_gambling().deposit_limits_size() ==
                        after.responsible_gambling().deposit_limits_size();
    for (int i = 0; limits_equal && i < after.responsible_gambling().deposit_limits_size();
         ++i) {
      limits_equal = SameBytes(before.responsible_gambling().deposit_limits(i),
                                                after.responsible_gambling().deposit_limits(i));
    }
    if (!limits_equal) {
      out.push_back(Change(v1::STATE_CHANGE_KIND_DEPOSIT_LIMIT,
                           "account.responsible_gambling.deposit_limits", "", "changed"));
    }
  }
  DiffSection(v1::STATE_CHANGE_KIND_SECURITY, "account.security", before.security(),
              after.security(), out);
  if (before.factors_size() != after.factors_size()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_FACTOR, "account.factors",
                         absl::StrCat(before.factors_size()),
                         absl::StrCat(after.factors_size())));
  } else if (!RepeatedEqual(before.factors(), after.factors())) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_FACTOR, "account.factors", "", "changed"));
  }
  if (!RepeatedEqual(before.verifications(), after.verifications())) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_FACTOR, "account.verifications",
                         absl::StrCat(before.verifications_size()),
                         absl::StrCat(after.verifications_size())));
  }
  if (before.devices_size() != after.devices_size()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_DEVICE, "account.devices",
                         absl::StrCat(before.devices_size()),
                         absl::StrCat(after.devices_size())));
  } else if (!RepeatedEqual(before.devices(), after.devices())) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_DEVICE, "account.devices", "", "seen"));
  }
  if (before.instruments_size() != after.instruments_size()) {
    out.push_back(Change(v1::STATE_CHANGE_KIND_INSTRUMENT, "account.instruments",
                         absl::StrCat(before.instruments_size()),
                         absl::StrCat(after.instruments_size())));
  } else {
    for (int i = 0; i < after.instruments_size(); ++i) {
      const v1::PaymentInstrument& was = before.instruments(i);
      const v1::PaymentInstrument& is = after.instruments(i);
      if (was.status() != is.status()) {
        out.push_back(Change(v1::STATE_CHANGE_KIND_INSTRUMENT,
                             absl::StrCat("account.instruments[", i, "].status"),
                             v1::InstrumentStatus_Name(was.status()),
                             v1::InstrumentStatus_Name(is.status()), is.instrument_id()));
      } else if (!SameBytes(was, is)) {
        out.push_back(Change(v1::STATE_CHANGE_KIND_INSTRUMENT,
                             absl::StrCat("account.instruments[", i, "]"), "", "updated",
                             is.instrument_id()));
      }
    }
  }
  DiffSection(v1::STATE_CHANGE_KIND_PROFILE, "account.profile", before.profile(),
              after.profile(), out);
  return out;
}

}  // namespace engine
}  // namespace pitboss
