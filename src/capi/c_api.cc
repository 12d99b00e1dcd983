// The extern "C" functions of include/pitboss/pitboss.h. Each is a shell over a
// StatusOr-returning *Impl; nothing thrown inside ever crosses the boundary.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/common.h"
#include "pitboss/engine.h"
#include "pitboss/pitboss.h"
#include "pitboss/policy_check.h"
#include "pitboss/v1/api.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/capi/c_api_support.h"
#include "src/capi/cel_eval.h"
#include "src/capi/handles.h"
#include "src/common/status_macros.h"

static_assert(PITBOSS_MAX_REQUEST_BYTES == pitboss::capi_internal::kMaxRequestBytes,
              "the header's limit and the enforced one must agree");

namespace pitboss {
namespace {

v1::VersionInfo VersionInfoImpl() {
  v1::VersionInfo info;
  info.set_major(PITBOSS_VERSION_MAJOR);
  info.set_minor(PITBOSS_VERSION_MINOR);
  info.set_patch(PITBOSS_VERSION_PATCH);
  info.set_version(absl::StrCat(PITBOSS_VERSION_MAJOR, ".", PITBOSS_VERSION_MINOR,
                                ".", PITBOSS_VERSION_PATCH));
  info.set_abi_version(PITBOSS_ABI_VERSION);
  info.set_protobuf_version(
      google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION));
  return info;
}

absl::Status EngineNewImpl(const uint8_t* policy, size_t policy_len, pitboss_engine_t** out) {
  if (out == nullptr) return absl::InvalidArgumentError("out must not be NULL");
  v1::Policy parsed;
  PITBOSS_RETURN_IF_ERROR(capi_internal::ParseRequest(policy, policy_len, parsed, "policy"));
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Create(parsed));
  *out = new pitboss_engine_t{std::move(engine)};
  return absl::OkStatus();
}

absl::Status EngineEvaluateImpl(const pitboss_engine_t* engine, const uint8_t* req,
                                size_t req_len, uint8_t** out, size_t* out_len) {
  if (engine == nullptr) return absl::InvalidArgumentError("engine must not be NULL");
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  PITBOSS_RETURN_IF_ERROR(capi_internal::CheckRequestBytes(req, req_len, "EvaluateRequest"));
  const absl::string_view bytes =
      req_len == 0 ? absl::string_view() : absl::string_view(reinterpret_cast<const char*>(req), req_len);
  PITBOSS_ASSIGN_OR_RETURN(std::string response, engine->engine->EvaluateSerialized(bytes));
  return capi_internal::CopyTo(response, out, out_len);
}

absl::Status PolicyCheckImpl(const uint8_t* policy, size_t policy_len, uint8_t** out,
                             size_t* out_len) {
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  v1::Policy parsed;
  PITBOSS_RETURN_IF_ERROR(capi_internal::ParseRequest(policy, policy_len, parsed, "policy"));
  return capi_internal::SerializeTo(CheckPolicy(parsed), out, out_len);
}

absl::Status CelEvalImpl(const uint8_t* req, size_t req_len, uint8_t** out, size_t* out_len) {
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  v1::CelEvalRequest request;
  PITBOSS_RETURN_IF_ERROR(capi_internal::ParseRequest(req, req_len, request, "CelEvalRequest"));
  PITBOSS_ASSIGN_OR_RETURN(v1::CelEvalResponse response, capi_internal::EvaluateCel(request));
  return capi_internal::SerializeTo(response, out, out_len);
}

}  // namespace
}  // namespace pitboss

extern "C" {

unsigned pitboss_version_number(void) { return PITBOSS_VERSION_NUMBER; }

unsigned pitboss_abi_version(void) { return PITBOSS_ABI_VERSION; }

int pitboss_version_info(uint8_t** out, size_t* out_len, char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded([&] {
    return pitboss::capi_internal::SerializeTo(pitboss::VersionInfoImpl(), out,
                                               out_len);
  });
  return pitboss::capi_internal::Report(status, error_message);
}

void pitboss_free(void* ptr) { std::free(ptr); }

int pitboss_engine_new(const uint8_t* policy, size_t policy_len, pitboss_engine_t** out,
                       char** error_message) {
  if (out != nullptr) *out = nullptr;
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::EngineNewImpl(policy, policy_len, out); });
  return pitboss::capi_internal::Report(status, error_message);
}

void pitboss_engine_free(pitboss_engine_t* engine) { delete engine; }

int pitboss_engine_evaluate(const pitboss_engine_t* engine, const uint8_t* req, size_t req_len,
                            uint8_t** out, size_t* out_len, char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::EngineEvaluateImpl(engine, req, req_len, out, out_len); });
  return pitboss::capi_internal::Report(status, error_message);
}

int pitboss_policy_check(const uint8_t* policy, size_t policy_len, uint8_t** out,
                         size_t* out_len, char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::PolicyCheckImpl(policy, policy_len, out, out_len); });
  return pitboss::capi_internal::Report(status, error_message);
}

int pitboss_cel_eval(const uint8_t* req, size_t req_len, uint8_t** out, size_t* out_len,
                     char** error_message) {
  pitboss::capi_internal::ResetOut(out, out_len);
  const absl::Status status = pitboss::capi_internal::CallGuarded(
      [&] { return pitboss::CelEvalImpl(req, req_len, out, out_len); });
  return pitboss::capi_internal::Report(status, error_message);
}

}  // extern "C"
