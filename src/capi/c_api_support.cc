// Exception-safe plumbing for the C ABI (see c_api_support.h).
#include "src/capi/c_api_support.h"

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace pitboss {
namespace capi_internal {

absl::Status CallGuarded(absl::FunctionRef<absl::Status()> impl) noexcept {
  try {
    return impl();
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("pitboss: out of memory");
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("pitboss: internal error: ", e.what()));
  } catch (...) {
    return absl::InternalError("pitboss: internal error: unknown exception");
  }
}

int Report(const absl::Status& status, char** error_message) noexcept {
  if (error_message != nullptr) {
    *error_message = nullptr;
    if (!status.ok()) {
      const absl::string_view message = status.message();
      char* copy = static_cast<char*>(std::malloc(message.size() + 1));
      if (copy != nullptr) {
        std::memcpy(copy, message.data(), message.size());
        copy[message.size()] = '\0';
        *error_message = copy;
      }
    }
  }
  return static_cast<int>(status.code());
}

absl::Status SerializeTo(const google::protobuf::MessageLite& message,
                         uint8_t** out, size_t* out_len) {
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  const size_t size = message.ByteSizeLong();
  // malloc(0) may return NULL; always allocate at least one byte so a
  // successful empty message is distinguishable from failure.
  auto* buffer = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
  if (buffer == nullptr) return absl::ResourceExhaustedError("pitboss: out of memory");
  if (!message.SerializeWithCachedSizesToArray(buffer) && size != 0) {
    std::free(buffer);
    return absl::InternalError("pitboss: could not serialize the response");
  }
  *out = buffer;
  *out_len = size;
  return absl::OkStatus();
}

absl::Status CopyTo(absl::string_view bytes, uint8_t** out, size_t* out_len) {
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out and out_len must not be NULL");
  }
  auto* buffer = static_cast<uint8_t*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
  if (buffer == nullptr) return absl::ResourceExhaustedError("pitboss: out of memory");
  if (!bytes.empty()) std::memcpy(buffer, bytes.data(), bytes.size());
  *out = buffer;
  *out_len = bytes.size();
  return absl::OkStatus();
}

absl::Status CheckRequestBytes(const uint8_t* data, size_t len, const char* what) {
  if (data == nullptr && len != 0) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": NULL data with length ", len));
  }
  if (len > kMaxRequestBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": ", len, " bytes exceeds the limit of ", kMaxRequestBytes));
  }
  return absl::OkStatus();
}

absl::Status ParseRequest(const uint8_t* data, size_t len,
                          google::protobuf::MessageLite& message,
                          const char* what) {
  if (absl::Status checked = CheckRequestBytes(data, len, what); !checked.ok()) {
    return checked;
  }
  if (!message.ParseFromArray(data, static_cast<int>(len))) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": malformed ", message.GetTypeName(), " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace capi_internal
}  // namespace pitboss
