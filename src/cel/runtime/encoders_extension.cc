// The encoders extension (cel-go ext/encoders.go): base64.encode(bytes) ->
// string and base64.decode(string) -> bytes (padded or unpadded input).
// Registered by RegisterEncodersExtension; not part of StandardRegistry().
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "src/cel/runtime/function_registry.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace {

using Args = absl::Span<const Value>;

Value Encode(Args a, EvalContext& ctx) { return ctx.String(absl::Base64Escape(a[0].bytes_value())); }

Value Decode(Args a, EvalContext& ctx) {
  absl::string_view s = a[0].string_value();
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return ctx.Error("illegal base64 data");
  }
  std::string out;
  if (!absl::Base64Unescape(s, &out)) return ctx.Error("illegal base64 data");
  return ctx.Bytes(out);
}

}  // namespace

absl::Status RegisterEncodersExtension(FunctionRegistry* registry) {
  PITBOSS_RETURN_IF_ERROR(registry->Register(
      {"base64.encode", "base64_encode_bytes", false, {ValueKind::kBytes}, Encode}));
  PITBOSS_RETURN_IF_ERROR(registry->Register(
      {"base64.decode", "base64_decode_string", false, {ValueKind::kString}, Decode}));
  return absl::OkStatus();
}

}  // namespace cel
}  // namespace pitboss
