// The extern "C" functions of include/pitboss/pitboss.h. Each is a shell over a
// StatusOr-returning *Impl; nothing thrown inside ever crosses the boundary.
#include <cstdlib>

#include "google/protobuf/stubs/common.h"
#include "pitboss/pitboss.h"
#include "pitboss/v1/api.pb.h"
#include "absl/strings/str_cat.h"
#include "src/capi/c_api_support.h"

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

}  // extern "C"
