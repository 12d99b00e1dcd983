// Case ids (see the header).
#include "src/engine/case_id.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/common/status_macros.h"
#include "src/engine/audit_chain.h"

namespace pitboss {
namespace engine {
namespace {

constexpr absl::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr absl::string_view kLabel = "pitboss.case.v1";
constexpr size_t kDigestBytes = 10;  // 80 bits = 16 base32 characters

void AppendLengthPrefixed(std::string& out, absl::string_view value) {
  const uint32_t size = static_cast<uint32_t>(value.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((size >> shift) & 0xff));
  }
  out.append(value.data(), value.size());
}

}  // namespace

std::string Base32Encode(absl::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

absl::StatusOr<std::string> MakeCaseId(absl::string_view account_id,
                                       absl::string_view event_id) {
  if (account_id.empty()) return absl::InvalidArgumentError("account_id: empty");
  if (event_id.empty()) return absl::InvalidArgumentError("event_id: empty");
  if (account_id.size() > UINT32_MAX || event_id.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("account_id/event_id: too long");
  }
  std::string input(kLabel);
  input.push_back('\0');
  AppendLengthPrefixed(input, account_id);
  AppendLengthPrefixed(input, event_id);
  PITBOSS_ASSIGN_OR_RETURN(std::string digest, Sha256(input));
  return absl::StrCat(kCaseIdPrefix,
                      Base32Encode(absl::string_view(digest).substr(0, kDigestBytes)));
}

bool IsWellFormedCaseId(absl::string_view case_id) {
  if (case_id.size() != kCaseIdPrefix.size() + kCaseIdLength) return false;
  if (case_id.substr(0, kCaseIdPrefix.size()) != kCaseIdPrefix) return false;
  for (char c : case_id.substr(kCaseIdPrefix.size())) {
    if (kAlphabet.find(c) == absl::string_view::npos) return false;
  }
  return true;
}

}  // namespace engine
}  // namespace pitboss
