#include "src/engine/case_id.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

TEST(CaseIdTest, Base32MatchesRfc4648Vectors) {
  // RFC 4648 section 10 test vectors, without padding.
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
}

TEST(CaseIdTest, IsStableForTheSameInput) {
  absl::StatusOr<std::string> first = MakeCaseId("acc-1", "evt-1");
  absl::StatusOr<std::string> second = MakeCaseId("acc-1", "evt-1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(*first, *second);
  EXPECT_TRUE(IsWellFormedCaseId(*first)) << *first;
}

TEST(CaseIdTest, GoldenValueNeverChanges) {
  // Case ids are quoted to players and stored by hosts: the derivation is a
  // contract. Computed independently:
  //   python3 -c 'import hashlib,base64,struct; a=b"acc-1"; e=b"evt-1";
  //   d=hashlib.sha256(b"pitboss.case.v1\0"+struct.pack(">I",len(a))+a+
  //   struct.pack(">I",len(e))+e).digest()[:10];
  //   print("CASE-"+base64.b32encode(d).decode())'
  absl::StatusOr<std::string> id = MakeCaseId("acc-1", "evt-1");
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(*id, "CASE-WRYYLWN4FYN2FXAJ");
}

TEST(CaseIdTest, DiffersWhenEitherPartDiffers) {
  std::set<std::string> ids;
  for (const auto& [account, event] : std::initializer_list<std::pair<const char*, const char*>>{
           {"acc-1", "evt-1"}, {"acc-1", "evt-2"}, {"acc-2", "evt-1"},
           // Same concatenation, different split: the length prefixes tell them apart.
           {"ab", "c"}, {"a", "bc"}}) {
    absl::StatusOr<std::string> id = MakeCaseId(account, event);
    ASSERT_THAT(id, IsOk());
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 5u);
}

TEST(CaseIdTest, RejectsEmptyParts) {
  EXPECT_THAT(MakeCaseId("", "evt-1"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("account_id")));
  EXPECT_THAT(MakeCaseId("acc-1", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event_id")));
}

TEST(CaseIdTest, WellFormedChecksShape) {
  EXPECT_TRUE(IsWellFormedCaseId("CASE-ABCDEFGHIJKLMN23"));
  EXPECT_FALSE(IsWellFormedCaseId("CASE-ABCDEFGHIJKLMN2"));    // too short
  EXPECT_FALSE(IsWellFormedCaseId("CASE-ABCDEFGHIJKLMN01"));   // 0 and 1 not in alphabet
  EXPECT_FALSE(IsWellFormedCaseId("case-ABCDEFGHIJKLMN23"));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
