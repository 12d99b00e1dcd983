// The store functions of the C ABI (pitboss_store_*): open, free, apply,
// get_account and verify_audit over pitboss::Store (include/pitboss/store.h).
//
// Like c_api.cc, each extern "C" function resets its outputs and calls a
// Status-returning *Impl inside CallGuarded, so no exception crosses the
// boundary. Options and requests are serialized pitboss.v1 messages
// (StoreOptions, StoreApplyRequest); responses are StoreApplyResponse, Account
// and StoreVerifyAuditResponse.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "pitboss/pitboss.h"
#include "pitboss/store.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/api.pb.h"
#include "src/capi/c_api_support.h"
#include "src/capi/handles.h"
#include "src/common/status_macros.h"
#include "src/domain/event_envelope.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace {

// Longest path pitboss_store_open accepts (PATH_MAX on Linux, with its NUL).
constexpr size_t kMaxPathBytes = 4095;

// google.protobuf.Duration's documented range: +-10,000 years.
constexpr int64_t kMaxDurationSeconds = 315576000000;

// A google.protobuf.Duration as absl::Duration; a value outside the documented
// range or with mixed signs is INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::Duration> FromProtoDuration(const google::protobuf::Duration& duration,
                                                 absl::string_view field) {
  const int64_t seconds = duration.seconds();
  const int32_t nanos = duration.nanos();
  if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds ||
      nanos <= -1000000000 || nanos >= 1000000000 || (seconds > 0 && nanos < 0) ||
      (seconds < 0 && nanos > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": not a valid google.protobuf.Duration (seconds ", seconds, ", nanos ", nanos,
        ")"));
  }
  return absl::Seconds(seconds) + absl::Nanoseconds(nanos);
}

// pitboss.v1.StoreOptions -> pitboss::StoreOptions (unset fields keep the C++
// defaults).
absl::StatusOr<StoreOptions> ToStoreOptions(const v1::StoreOptions& proto) {
  StoreOptions options;
  switch (proto.synchronous()) {
    case v1::StoreOptions::SYNCHRONOUS_UNSPECIFIED:
    case v1::StoreOptions::SYNCHRONOUS_FULL:
      options.synchronous = StoreOptions::Sync::kFull;
      break;
    case v1::StoreOptions::SYNCHRONOUS_NORMAL:
      options.synchronous = StoreOptions::Sync::kNormal;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "StoreOptions.synchronous: unknown value ", static_cast<int>(proto.synchronous())));
  }
  if (proto.has_idempotency_retention()) {
    PITBOSS_ASSIGN_OR_RETURN(options.idempotency_retention,
                             FromProtoDuration(proto.idempotency_retention(),
                                               "StoreOptions.idempotency_retention"));
  }
  if (proto.has_busy_timeout()) {
    PITBOSS_ASSIGN_OR_RETURN(options.busy_timeout,
                             FromProtoDuration(proto.busy_timeout(), "StoreOptions.busy_timeout"));
  }
  options.read_only = proto.read_only();
  return options;
}

// The NUL-terminated string at `s` if it is at most `max_bytes` long (reading
// no further than max_bytes + 1 bytes).
absl::StatusOr<absl::string_view> BoundedCString(const char* s, size_t max_bytes,
                                                 absl::string_view what) {
  if (s == nullptr) return absl::InvalidArgumentError(absl::StrCat(what, " must not be NULL"));
  const size_t len = strnlen(s, max_bytes + 1);
  if (len > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": longer than the limit of ", max_bytes, " bytes"));
  }
  return absl::string_view(s, len);
}

absl::Status StoreOpenImpl(const char* path, const uint8_t* options, size_t options_len,
                           pitboss_store_t** out) {
  if (out == nullptr) return absl::InvalidArgumentError("out must not be NULL");
  PITBOSS_ASSIGN_OR_RETURN(absl::string_view checked_path,
                           BoundedCString(path, kMaxPathBytes, "path"));
  if (checked_path.empty()) return absl::InvalidArgumentError("path must not be empty");
  v1::StoreOptions parsed;
  PITBOSS_RETURN_IF_ERROR(
      capi_internal::ParseRequest(options, options_len, parsed, "StoreOptions"));
  PITBOSS_ASSIGN_OR_RETURN(StoreOptions store_options, ToStoreOptions(parsed));
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                           Store::Open(std::string(checked_path), store_options));
  *out = new pitboss_store_t{std::move(store)};
  return absl::OkStatus();
}

absl::Status StoreApplyImpl(pitboss_store_t* store, const pitboss_engine_t* engine,
                            const uint8_t* req, size_t req_len, uint8_t** out,
                            size_t* out_len) {
  if (store == nullptr) return absl::InvalidArgumentError("store must not be NULL");
  if (engine == nullptr) return absl::InvalidArgumentError("engine must not be NULL");
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  v1::StoreApplyRequest request;
  PITBOSS_RETURN_IF_ERROR(capi_internal::ParseRequest(req, req_len, request, "StoreApplyRequest"));
  if (!request.has_event()) {
    return absl::InvalidArgumentError("StoreApplyRequest.event must be set");
  }
  if (!domain::IsSet(request.now())) {
    return absl::InvalidArgumentError(
        "StoreApplyRequest.now must be set (the library never reads a clock)");
  }
  PITBOSS_RETURN_IF_ERROR(domain::ValidateProtoTime(request.now(), "StoreApplyRequest.now"));
  PITBOSS_ASSIGN_OR_RETURN(
      ApplyResult result,
      store->store->Apply(*engine->engine, request.event(), domain::FromProtoTime(request.now())));
  v1::StoreApplyResponse response;
  *response.mutable_response() = std::move(result.response);
  response.set_replayed(result.replayed);
  return capi_internal::SerializeTo(response, out, out_len);
}

absl::Status StoreGetAccountImpl(const pitboss_store_t* store, const char* account_id,
                                 uint8_t** out, size_t* out_len) {
  if (store == nullptr) return absl::InvalidArgumentError("store must not be NULL");
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  PITBOSS_ASSIGN_OR_RETURN(absl::string_view id,
                           BoundedCString(account_id, domain::kMaxIdLength, "account_id"));
  if (id.empty()) return absl::InvalidArgumentError("account_id must not be empty");
  PITBOSS_ASSIGN_OR_RETURN(v1::Account account, store->store->GetAccount(id));
  return capi_internal::SerializeTo(account, out, out_len);
}

absl::Status StoreVerifyAuditImpl(const pitboss_store_t* store, uint8_t** out,
                                  size_t* out_len) {
  if (store == nullptr) return absl::InvalidArgumentError("store must not be NULL");
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  // The head is read first: the walk that follows covers at least every
  // record up to it, even while other threads append.
  v1::StoreVerifyAuditResponse response;
  PITBOSS_ASSIGN_OR_RETURN(*response.mutable_head(), store->store->AuditHead());
  PITBOSS_RETURN_IF_ERROR(store->store->VerifyAudit());
  return capi_internal::SerializeTo(response, out, out_len);
}

}  // namespace
}  // namespace pitboss

extern "C" {

int pitboss_store_open(const char* path, const uint8_t* options, size_t options_len,
                       pitboss_store_t** out, char** error_message) {
  if (out != nullptr) *out = nullptr;
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::StoreOpenImpl(path, options, options_len, out); });
  return pitboss::capi_internal::Report(status, error_message);
}

void pitboss_store_free(pitboss_store_t* store) { delete store; }

int pitboss_store_apply(pitboss_store_t* store, const pitboss_engine_t* engine,
                        const uint8_t* req, size_t req_len, uint8_t** out, size_t* out_len,
                        char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::StoreApplyImpl(store, engine, req, req_len, out, out_len); });
  return pitboss::capi_internal::Report(status, error_message);
}

int pitboss_store_get_account(const pitboss_store_t* store, const char* account_id,
                              uint8_t** out, size_t* out_len, char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::StoreGetAccountImpl(store, account_id, out, out_len); });
  return pitboss::capi_internal::Report(status, error_message);
}

int pitboss_store_verify_audit(const pitboss_store_t* store, uint8_t** out, size_t* out_len,
                               char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::StoreVerifyAuditImpl(store, out, out_len); });
  return pitboss::capi_internal::Report(status, error_message);
}

}  // extern "C"
