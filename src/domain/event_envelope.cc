// Event envelope checks (see event_envelope.h).
#include "src/domain/event_envelope.h"

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {

absl::Status ValidateId(absl::string_view id, absl::string_view field) {
  if (id.empty() || id.size() > kMaxIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1..", kMaxIdLength, " characters (got ",
                     id.size(), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEventFor(const v1::Account& account, const v1::Event& event,
                              v1::Event::KindCase expected) {
  if (event.event_id().empty() || event.event_id().size() > kMaxEventIdLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event.event_id: must be 1..255 characters (got ", event.event_id().size(), ")"));
  }
  if (!account.account_id().empty() && event.account_id() != account.account_id()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event.account_id: \"", event.account_id(),
                     "\" does not match the account \"", account.account_id(), "\""));
  }
  PITBOSS_RETURN_IF_ERROR(ValidateProtoTime(event.occurred_at(), "event.occurred_at"));
  if (!v1::Channel_IsValid(event.channel())) {
    return absl::InvalidArgumentError(
        absl::StrCat("event.channel: unknown value ", static_cast<int>(event.channel())));
  }
  if (!v1::AgentRole_IsValid(event.agent().role())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event.agent.role: unknown value ", static_cast<int>(event.agent().role())));
  }
  if (event.kind_case() != expected) {
    const google::protobuf::FieldDescriptor* field =
        v1::Event::descriptor()->FindFieldByNumber(static_cast<int>(expected));
    return absl::InvalidArgumentError(absl::StrCat(
        "event.", field != nullptr ? field->name() : "kind", ": missing (the event holds ",
        event.kind_case() == v1::Event::KIND_NOT_SET
            ? std::string("nothing")
            : v1::Event::descriptor()
                  ->FindFieldByNumber(static_cast<int>(event.kind_case()))
                  ->name(),
        ")"));
  }
  return absl::OkStatus();
}

}  // namespace domain
}  // namespace pitboss
