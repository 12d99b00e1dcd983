// Payment instrument lookup and validation (see instruments.h).
#include "src/domain/instruments.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/event_envelope.h"

namespace pitboss {
namespace domain {
namespace {

absl::Status ValidateLast4(absl::string_view last4, absl::string_view field) {
  bool ok = last4.size() == 4;
  for (char c : last4) ok = ok && absl::ascii_isdigit(static_cast<unsigned char>(c));
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be 4 digits"));
  }
  return absl::OkStatus();
}

}  // namespace

const v1::PaymentInstrument* FindInstrument(const v1::Account& account,
                                            absl::string_view instrument_id) {
  for (const v1::PaymentInstrument& instrument : account.instruments()) {
    if (instrument.instrument_id() == instrument_id) return &instrument;
  }
  return nullptr;
}

v1::PaymentInstrument* FindMutableInstrument(v1::Account& account,
                                             absl::string_view instrument_id) {
  for (v1::PaymentInstrument& instrument : *account.mutable_instruments()) {
    if (instrument.instrument_id() == instrument_id) return &instrument;
  }
  return nullptr;
}

absl::Status ValidateNewInstrument(const v1::PaymentInstrument& instrument,
                                   absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(
      ValidateId(instrument.instrument_id(), absl::StrCat(field, ".instrument_id")));
  if (instrument.status() != v1::INSTRUMENT_STATUS_UNSPECIFIED &&
      instrument.status() != v1::INSTRUMENT_STATUS_ACTIVE) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".status: a new instrument must be ACTIVE"));
  }
  v1::PaymentInstrument::DetailsCase expected = v1::PaymentInstrument::DETAILS_NOT_SET;
  switch (instrument.kind()) {
    case v1::INSTRUMENT_KIND_CARD:
      expected = v1::PaymentInstrument::kCard;
      break;
    case v1::INSTRUMENT_KIND_BANK_ACCOUNT:
      expected = v1::PaymentInstrument::kBankAccount;
      break;
    case v1::INSTRUMENT_KIND_E_WALLET:
      expected = v1::PaymentInstrument::kEWallet;
      break;
    case v1::INSTRUMENT_KIND_CRYPTO_ONRAMP:
      expected = v1::PaymentInstrument::kCryptoOnramp;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".kind: must be CARD, BANK_ACCOUNT, E_WALLET or CRYPTO_ONRAMP (got ",
          static_cast<int>(instrument.kind()), ")"));
  }
  if (instrument.details_case() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": details do not match kind ",
                     v1::InstrumentKind_Name(instrument.kind())));
  }
  if (instrument.has_card()) {
    const v1::CardBrand brand = instrument.card().brand();
    if (brand == v1::CARD_BRAND_UNSPECIFIED || !v1::CardBrand_IsValid(brand)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".card.brand: must be VISA, MASTERCARD, JCB or AMEX"));
    }
    PITBOSS_RETURN_IF_ERROR(
        ValidateLast4(instrument.card().last4(), absl::StrCat(field, ".card.last4")));
  }
  if (instrument.has_bank_account()) {
    PITBOSS_RETURN_IF_ERROR(ValidateLast4(instrument.bank_account().last4(),
                                          absl::StrCat(field, ".bank_account.last4")));
  }
  return absl::OkStatus();
}

absl::StatusOr<const v1::PaymentInstrument*> RequireActiveInstrument(
    const v1::Account& account, absl::string_view instrument_id, absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(ValidateId(instrument_id, field));
  const v1::PaymentInstrument* instrument = FindInstrument(account, instrument_id);
  if (instrument == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(field, ": no instrument \"", instrument_id, "\" on the account"));
  }
  if (instrument->status() != v1::INSTRUMENT_STATUS_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": instrument \"", instrument_id, "\" is ",
                     v1::InstrumentStatus_Name(instrument->status())));
  }
  return instrument;
}

bool WasUsedToDeposit(const v1::Account& account, absl::string_view instrument_id) {
  const v1::PaymentInstrument* instrument = FindInstrument(account, instrument_id);
  return instrument != nullptr && instrument->used_to_deposit();
}

}  // namespace domain
}  // namespace pitboss
