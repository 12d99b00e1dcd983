// Name-match features: does the holder name of the event's payment instrument
// (card, bank account, e-wallet, crypto on-ramp) belong to the account holder?
// Compared with every registered variant of the legal name (Profile.names:
// each variant's full_name and its "family_name given_name"), with the
// domain's ICU name matcher: NFKC + case folding (half-width ﾔﾏﾀﾞ = ヤマダ),
// hiragana = katakana, spacing/punctuation, token order. The best result wins.
//
//   no instrument on the event                 NAME_MATCH_NOT_APPLICABLE
//   no holder name, or no registered name      NAME_MATCH_NO_HOLDER_NAME
//   byte-for-byte a registered variant         NAME_MATCH_EXACT
//   equal after normalisation                  NAME_MATCH_NORMALIZED
//   same tokens in another order               NAME_MATCH_TOKEN_REORDERED
//   otherwise                                  NAME_MATCH_NO_MATCH
//
// Scripts are not transliterated (kanji vs kana vs Latin never match): an
// account registers a variant per script its names arrive in.
#ifndef PITBOSS_SRC_RISK_NAME_MATCH_FEATURES_H_
#define PITBOSS_SRC_RISK_NAME_MATCH_FEATURES_H_

#include "absl/status/status.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/domain/name_match.h"
#include "src/risk/internal/event_subject.h"

namespace pitboss {
namespace risk {

// The holder name of `instrument` ("" when it has none or no details).
const std::string& HolderName(const v1::PaymentInstrument& instrument);

// Sets holder_name_match and holder_name_mismatch for the subject's
// instrument. INVALID_ARGUMENT naming the field for a name the matcher cannot
// read (invalid UTF-8, too long, no letters) on either side.
absl::Status AddNameMatchFeatures(const v1::Account& account,
                                  const risk_internal::EventSubject& subject,
                                  const domain::NameMatcher& matcher,
                                  v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_NAME_MATCH_FEATURES_H_
