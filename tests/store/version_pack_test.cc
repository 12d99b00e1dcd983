// Packed account versions: every version comes back byte for byte, newest
// first; a version the row does not hold is NOT_FOUND; damaged bytes are
// DATA_LOSS, never a crash or a wrong account; and a small change packs small.
#include "src/store/version_pack.h"

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace store_internal {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

// Versions 5..9 of an "account": random bytes with a few bytes changed (and
// one growing field appended) per version.
std::vector<std::pair<int64_t, std::string>> Versions() {
  std::mt19937 random(7);
  std::string bytes(1800, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  std::vector<std::pair<int64_t, std::string>> out;
  for (int64_t version = 5; version <= 9; ++version) {
    for (int i = 0; i < 6; ++i)
      bytes[random() % bytes.size()] = static_cast<char>(random());
    bytes += "entry-" + std::to_string(version);
    out.emplace_back(version, bytes);
  }
  return out;
}

// The row for `versions` (oldest first): the newest as it is, the others packed.
struct Row {
  int64_t version;
  std::string latest;
  std::string earlier;
  std::vector<std::string> deltas;
};

Row Pack(const std::vector<std::pair<int64_t, std::string>>& versions) {
  Row row{versions.back().first, versions.back().second, "", {}};
  for (size_t i = versions.size() - 1; i-- > 0;) {
    absl::StatusOr<std::string> delta =
        EncodeVersionDelta(versions[i].second, versions[i + 1].second);
    EXPECT_THAT(delta, IsOk());
    row.deltas.push_back(*delta);
  }
  std::vector<EarlierVersion> newest_first;
  for (size_t k = 0; k < row.deltas.size(); ++k) {
    newest_first.push_back({versions[versions.size() - 2 - k].first, row.deltas[k]});
  }
  row.earlier = PackEarlierVersions(newest_first);
  return row;
}

TEST(VersionPackTest, EveryVersionComesBackNewestFirst) {
  const auto versions = Versions();
  const Row row = Pack(versions);
  std::vector<std::pair<int64_t, std::string>> seen;
  ASSERT_THAT(VisitVersions(row.version, row.latest, row.earlier,
                            [&](int64_t version, absl::string_view bytes) {
                              seen.emplace_back(version, std::string(bytes));
                              return true;
                            }),
              IsOk());
  const std::vector<std::pair<int64_t, std::string>> newest_first(versions.rbegin(),
                                                                  versions.rend());
  EXPECT_EQ(seen, newest_first);
  for (const auto& [version, bytes] : versions) {
    absl::StatusOr<std::string> unpacked =
        UnpackVersion(row.version, row.latest, row.earlier, version);
    ASSERT_THAT(unpacked, IsOk()) << version;
    EXPECT_TRUE(*unpacked == bytes) << version;
  }
}

TEST(VersionPackTest, VisitingStopsWhenAsked) {
  const Row row = Pack(Versions());
  std::vector<int64_t> seen;
  ASSERT_THAT(VisitVersions(row.version, row.latest, row.earlier,
                            [&](int64_t version, absl::string_view) {
                              seen.push_back(version);
                              return version != 8;
                            }),
              IsOk());
  EXPECT_EQ(seen, (std::vector<int64_t>{9, 8}));
}

TEST(VersionPackTest, ARowOfOneVersionHoldsOnlyIt) {
  EXPECT_EQ(PackEarlierVersions({}), "");
  EXPECT_THAT(UnpackVersion(3, "bytes", "", 3), IsOk());
  EXPECT_EQ(*UnpackVersion(3, "bytes", "", 3), "bytes");
  EXPECT_THAT(UnpackVersion(3, "bytes", "", 2),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("version 2")));
}

TEST(VersionPackTest, AVersionTheRowDoesNotHoldIsNotFound) {
  const Row row = Pack(Versions());
  for (int64_t version : {4, 10, 0}) {
    EXPECT_THAT(UnpackVersion(row.version, row.latest, row.earlier, version),
                StatusIs(absl::StatusCode::kNotFound,
                         HasSubstr("account version " + std::to_string(version))));
  }
}

TEST(VersionPackTest, ASmallChangePacksSmall) {
  const auto versions = Versions();
  for (const std::string& delta : Pack(versions).deltas) {
    EXPECT_LT(delta.size(), versions[0].second.size() / 8);
  }
}

TEST(VersionPackTest, DamagedBytesAreDataLoss) {
  const Row row = Pack(Versions());
  auto unpack_oldest = [&row](const std::string& earlier) {
    return UnpackVersion(row.version, row.latest, earlier, 5);
  };
  std::string format = row.earlier;
  format[0] = 2;
  EXPECT_THAT(unpack_oldest(format),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("unknown format 2")));
  // Cut anywhere, or with bytes added: never the oldest version, always a
  // clear error.
  EXPECT_THAT(
      VisitVersions(row.version, row.latest, row.earlier + "x",
                    [](int64_t, absl::string_view) { return true; }),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("bytes after the last record")));
  for (size_t size = 1; size < row.earlier.size(); ++size) {
    EXPECT_THAT(unpack_oldest(row.earlier.substr(0, size)),
                StatusIs(absl::StatusCode::kDataLoss))
        << "cut at " << size;
  }
  // A flipped byte in a delta decodes to an error or to other bytes, never past
  // its buffers (the sanitizer build checks that); here: the record's size
  // varint claims more than the version has.
  std::string size = row.earlier;
  size[4] = static_cast<char>(0x7f);
  EXPECT_THAT(unpack_oldest(size), StatusIs(absl::StatusCode::kDataLoss));
  // Decoding against the wrong newest bytes.
  EXPECT_THAT(UnpackVersion(row.version, row.latest.substr(0, 100), row.earlier, 5),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not decode")));
}

}  // namespace
}  // namespace store_internal
}  // namespace pitboss
