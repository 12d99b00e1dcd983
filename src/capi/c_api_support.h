// Plumbing shared by every extern "C" function of the C ABI.
//
// Each C function is a thin shell: it resets its outputs, calls a StatusOr
// returning *Impl inside CallGuarded (which turns exceptions, bad_alloc included,
// into INTERNAL / RESOURCE_EXHAUSTED statuses), and reports the status as an int
// plus an optional message allocated for pitboss_free().
#ifndef PITBOSS_SRC_CAPI_C_API_SUPPORT_H_
#define PITBOSS_SRC_CAPI_C_API_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace pitboss {
namespace capi_internal {

// Requests larger than this are refused with RESOURCE_EXHAUSTED
// (PITBOSS_MAX_REQUEST_BYTES in the public header).
inline constexpr size_t kMaxRequestBytes = 64u << 20;

// Runs `impl`, converting any exception into a status. Never throws.
absl::Status CallGuarded(absl::FunctionRef<absl::Status()> impl) noexcept;

// Reports `status` to a C caller: returns its code and, when error_message is
// not NULL, stores a malloc'ed copy of its message (NULL when OK).
int Report(const absl::Status& status, char** error_message) noexcept;

// Serializes `message` into malloc'ed memory at *out / *out_len.
absl::Status SerializeTo(const google::protobuf::MessageLite& message,
                         uint8_t** out, size_t* out_len);

// Copies `bytes` into malloc'ed memory at *out / *out_len (at least one byte is
// allocated, so an empty result is still a non-NULL pointer).
absl::Status CopyTo(absl::string_view bytes, uint8_t** out, size_t* out_len);

// Refuses NULL data with a non-zero length (INVALID_ARGUMENT) and requests over
// kMaxRequestBytes (RESOURCE_EXHAUSTED), naming `what`.
absl::Status CheckRequestBytes(const uint8_t* data, size_t len, const char* what);

// Parses a request of `len` bytes at `data` into `message`, naming `what` in
// errors. Refuses NULL data with a non-zero length and oversized requests.
absl::Status ParseRequest(const uint8_t* data, size_t len,
                          google::protobuf::MessageLite& message,
                          const char* what);

// Sets *out = NULL and *out_len = 0 when the pointers are not NULL.
template <typename T>
void ResetOut(T** out, size_t* out_len) noexcept {
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
}

}  // namespace capi_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_CAPI_C_API_SUPPORT_H_
