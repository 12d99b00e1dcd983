// Earlier account versions packed as LZ4 deltas (version_pack.h).
#include "src/store/version_pack.h"

#include <lz4.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace store_internal {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;

constexpr char kFormat = 1;
constexpr size_t kMaxVarintBytes = 10;  // a 64-bit varint

void AppendVarint(uint64_t value, std::string& out) {
  uint8_t buffer[kMaxVarintBytes];
  const uint8_t* end = CodedOutputStream::WriteVarint64ToArray(value, buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(end - buffer));
}

// Reads a varint at the front of `*in` and drops it from `*in`.
bool ReadVarint(absl::string_view* in, uint64_t* value) {
  CodedInputStream stream(
      reinterpret_cast<const uint8_t*>(in->data()),
      static_cast<int>(std::min<size_t>(in->size(), kMaxVarintBytes)));
  if (!stream.ReadVarint64(value)) return false;
  in->remove_prefix(static_cast<size_t>(stream.CurrentPosition()));
  return true;
}

absl::Status Damaged(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("packed account versions: ", what));
}

}  // namespace

absl::StatusOr<std::string> EncodeVersionDelta(absl::string_view older,
                                               absl::string_view newer) {
  if (older.size() > LZ4_MAX_INPUT_SIZE ||
      newer.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError(
        absl::StrCat("account version of ", older.size(), " bytes is too large to pack"));
  }
  // LZ4's tables are 16 KB: one set per thread, reset by loading the dictionary.
  thread_local LZ4_stream_t stream;
  thread_local std::string block;
  LZ4_loadDict(&stream, newer.data(), static_cast<int>(newer.size()));
  const int bound = LZ4_compressBound(static_cast<int>(older.size()));
  if (block.size() < static_cast<size_t>(bound)) block.resize(static_cast<size_t>(bound));
  const int written = LZ4_compress_fast_continue(&stream, older.data(), block.data(),
                                                 static_cast<int>(older.size()), bound,
                                                 /*acceleration=*/1);
  if (written <= 0) {
    return absl::InternalError("LZ4 failed to compress an account version");
  }
  std::string out;
  out.reserve(kMaxVarintBytes + static_cast<size_t>(written));
  AppendVarint(older.size(), out);
  out.append(block.data(), static_cast<size_t>(written));
  return out;
}

std::string PackEarlierVersions(absl::Span<const EarlierVersion> newest_first) {
  if (newest_first.empty()) return std::string();
  size_t size = 1;
  for (const EarlierVersion& v : newest_first) {
    size += 2 * kMaxVarintBytes + v.delta.size();
  }
  std::string out;
  out.reserve(size);
  out.push_back(kFormat);
  AppendVarint(newest_first.size(), out);
  for (const EarlierVersion& v : newest_first) {
    AppendVarint(static_cast<uint64_t>(v.version), out);
    AppendVarint(v.delta.size(), out);
    out.append(v.delta.data(), v.delta.size());
  }
  return out;
}

absl::Status VisitVersions(int64_t latest_version, absl::string_view latest,
                           absl::string_view earlier,
                           absl::FunctionRef<bool(int64_t, absl::string_view)> visit) {
  if (!visit(latest_version, latest) || earlier.empty()) return absl::OkStatus();
  if (earlier.front() != kFormat) {
    return Damaged(absl::StrCat("unknown format ", static_cast<int>(earlier.front())));
  }
  earlier.remove_prefix(1);
  uint64_t count = 0;
  if (!ReadVarint(&earlier, &count)) return Damaged("truncated record count");
  std::string newer(latest);
  std::string older;
  for (uint64_t record = 0; record < count; ++record) {
    uint64_t version = 0;
    uint64_t delta_size = 0;
    uint64_t size = 0;
    if (!ReadVarint(&earlier, &version) || !ReadVarint(&earlier, &delta_size) ||
        delta_size > earlier.size()) {
      return Damaged("truncated record");
    }
    absl::string_view delta = earlier.substr(0, delta_size);
    earlier.remove_prefix(delta_size);
    if (!ReadVarint(&delta, &size) || size > LZ4_MAX_INPUT_SIZE) {
      return Damaged(absl::StrCat("bad size in the record of version ", version));
    }
    older.resize(size);
    const int decoded = LZ4_decompress_safe_usingDict(
        delta.data(), older.data(), static_cast<int>(delta.size()),
        static_cast<int>(size), newer.data(), static_cast<int>(newer.size()));
    if (decoded != static_cast<int>(size)) {
      return Damaged(absl::StrCat("the record of version ", version, " does not decode"));
    }
    if (!visit(static_cast<int64_t>(version), older)) return absl::OkStatus();
    newer.swap(older);
  }
  if (!earlier.empty()) return Damaged("bytes after the last record");
  return absl::OkStatus();
}

absl::StatusOr<std::string> UnpackVersion(int64_t latest_version,
                                          absl::string_view latest,
                                          absl::string_view earlier, int64_t version) {
  std::optional<std::string> found;
  PITBOSS_RETURN_IF_ERROR(VisitVersions(latest_version, latest, earlier,
                                        [&](int64_t number, absl::string_view bytes) {
                                          if (number != version) return true;
                                          found.emplace(bytes);
                                          return false;
                                        }));
  if (!found) {
    return absl::NotFoundError(absl::StrCat("account version ", version,
                                            " is not among those packed with version ",
                                            latest_version));
  }
  return *std::move(found);
}

}  // namespace store_internal
}  // namespace pitboss
