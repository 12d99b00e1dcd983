// Support-call pressure flags (see support_call_features.h).
#include "src/risk/support_call_features.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"

namespace pitboss {
namespace risk {

absl::Status AddSupportCallFeatures(const v1::Account& account, const v1::Event& event,
                                    v1::Features* features) {
  const google::protobuf::RepeatedField<int>* flags = nullptr;
  absl::string_view field;
  if (event.has_support_call()) {
    flags = &event.support_call().flags();
    field = "event.support_call.flags";
    const std::string& caller = event.support_call().caller_number();
    features->set_caller_number_mismatch(!caller.empty() &&
                                         caller != account.profile().phone());
  } else if (event.has_support_action_request()) {
    flags = &event.support_action_request().flags();
    field = "event.support_action_request.flags";
  } else {
    return absl::OkStatus();
  }
  features->set_is_support_call(true);
  uint32_t seen = 0;  // bit per CallFlag value
  for (int i = 0; i < flags->size(); ++i) {
    const int flag = flags->Get(i);
    if (flag == v1::CALL_FLAG_UNSPECIFIED || !v1::CallFlag_IsValid(flag) || flag >= 32) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "]: unknown or unspecified value ", flag));
    }
    seen |= 1u << flag;
    switch (static_cast<v1::CallFlag>(flag)) {
      case v1::CALL_FLAG_URGENCY_PRESSURE:
        features->set_call_urgency_pressure(true);
        break;
      case v1::CALL_FLAG_ASKED_TO_DISCLOSE_PERSONAL_DATA:
        features->set_call_asked_to_disclose_personal_data(true);
        break;
      case v1::CALL_FLAG_THIRD_PARTY:
        features->set_call_third_party(true);
        break;
      case v1::CALL_FLAG_CALLER_ID_MISMATCH:
        features->set_call_caller_id_mismatch(true);
        break;
      case v1::CALL_FLAG_INCONSISTENT_ANSWERS:
        features->set_call_inconsistent_answers(true);
        break;
      case v1::CALL_FLAG_REPORTS_COMPROMISE:
        features->set_call_reports_compromise(true);
        break;
      case v1::CALL_FLAG_CONTACT_CHANGE_AND_WITHDRAWAL:
        features->set_call_contact_change_and_withdrawal(true);
        break;
      default:
        break;
    }
  }
  int64_t count = 0;
  for (; seen != 0; seen &= seen - 1) ++count;
  features->set_call_flag_count(count);
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
