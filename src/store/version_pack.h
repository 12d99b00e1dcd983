// An account's earlier versions, packed into the row of a later one.
//
// A batch usually changes an account several times, and each version must be
// kept (an idempotent replay of an event returns the account as that event
// left it). Consecutive versions differ in a few fields, so instead of a row
// per version the store writes one row per account and batch: the latest
// version's bytes as they are, and the batch's earlier versions of it in
// `earlier`, each as an LZ4 block compressed with the next newer version as its
// dictionary (~90 bytes instead of ~1.7 KB for the benchmark's accounts).
// Reading one back decodes from the latest downwards, so the current
// account -- the one read on every cache miss -- is never decoded.
//
// `earlier` (NULL or empty: the row holds one version):
//   byte 0             format, 1
//   varint             the number of versions that follow
//   then per version, newest first:
//     varint           the version number
//     varint           the length of the delta that follows
//     delta            varint size of the version's bytes, then the LZ4 block
#ifndef PITBOSS_SRC_STORE_VERSION_PACK_H_
#define PITBOSS_SRC_STORE_VERSION_PACK_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pitboss {
namespace store_internal {

// `older` as a delta against `newer` (which its decoding needs). Fails only
// for bytes too large for LZ4 (~2 GB).
absl::StatusOr<std::string> EncodeVersionDelta(absl::string_view older,
                                               absl::string_view newer);

struct EarlierVersion {
  int64_t version = 0;
  absl::string_view delta;  // EncodeVersionDelta against the next newer version
};

// The `earlier` column for versions given newest first (each one's delta is
// against the one before it, the first one's against the row's own bytes).
std::string PackEarlierVersions(absl::Span<const EarlierVersion> newest_first);

// Calls `visit(version, bytes)` for each version a row holds, newest first
// (the row's own `latest_version` and `latest`, then `earlier`), until it
// returns false. DATA_LOSS when `earlier` does not decode.
absl::Status VisitVersions(int64_t latest_version, absl::string_view latest,
                           absl::string_view earlier,
                           absl::FunctionRef<bool(int64_t, absl::string_view)> visit);

// The bytes of `version` from such a row. NOT_FOUND when the row does not
// hold that version; DATA_LOSS when `earlier` does not decode.
absl::StatusOr<std::string> UnpackVersion(int64_t latest_version,
                                          absl::string_view latest,
                                          absl::string_view earlier, int64_t version);

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_VERSION_PACK_H_
