// An EvaluateResponse's bytes from its parts (see the header).
#include "src/engine/response_bytes.h"

#include <climits>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {
namespace engine {
namespace {

using google::protobuf::io::CodedOutputStream;
using google::protobuf::internal::WireFormatLite;

// Tag, length and room for one length-delimited field of `size` bytes.
size_t FieldSize(int number, size_t size) {
  return CodedOutputStream::VarintSize32(WireFormatLite::MakeTag(
             number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED)) +
         CodedOutputStream::VarintSize64(size) + size;
}

void WriteFieldHeader(int number, size_t size, CodedOutputStream& out) {
  out.WriteTag(WireFormatLite::MakeTag(number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.WriteVarint64(size);
}

}  // namespace

absl::StatusOr<std::string> SerializeEvaluateResponse(absl::string_view decision_bytes,
                                                      const v1::Account& account,
                                                      const v1::AuditRecord& audit) {
  const size_t account_size = account.ByteSizeLong();
  const size_t audit_size = audit.ByteSizeLong();
  const size_t size = FieldSize(v1::EvaluateResponse::kDecisionFieldNumber,
                                decision_bytes.size()) +
                      FieldSize(v1::EvaluateResponse::kAccountFieldNumber, account_size) +
                      FieldSize(v1::EvaluateResponse::kAuditFieldNumber, audit_size);
  if (decision_bytes.size() > static_cast<size_t>(INT_MAX) ||
      account_size > static_cast<size_t>(INT_MAX) || size > static_cast<size_t>(INT_MAX)) {
    return absl::InternalError("response: too large to serialize");
  }
  std::string out;
  out.resize(size);
  google::protobuf::io::ArrayOutputStream array(out.data(), static_cast<int>(size));
  CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  WriteFieldHeader(v1::EvaluateResponse::kDecisionFieldNumber, decision_bytes.size(), coded);
  coded.WriteRaw(decision_bytes.data(), static_cast<int>(decision_bytes.size()));
  WriteFieldHeader(v1::EvaluateResponse::kAccountFieldNumber, account_size, coded);
  account.SerializeWithCachedSizes(&coded);
  WriteFieldHeader(v1::EvaluateResponse::kAuditFieldNumber, audit_size, coded);
  audit.SerializeWithCachedSizes(&coded);
  coded.Trim();
  if (coded.HadError() || coded.ByteCount() != static_cast<int64_t>(size)) {
    return absl::InternalError("response: could not serialize");
  }
  return out;
}

}  // namespace engine
}  // namespace pitboss
