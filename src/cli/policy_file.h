// Reading a pitboss.v1.Policy from a file, for the subcommands that take
// --policy (replay, check): protobuf text format (.textproto, .txtpb, .pbtxt,
// .txt) or proto3 JSON (.json), chosen by the file's extension.
#ifndef PITBOSS_SRC_CLI_POLICY_FILE_H_
#define PITBOSS_SRC_CLI_POLICY_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {
namespace cli {

// Parses `text` as a policy in the format `path`'s extension names. Errors are
// INVALID_ARGUMENT "PATH:LINE:COL: message" (text format) or "PATH: message"
// (JSON, whose parser gives no position); unknown fields are errors in both.
absl::StatusOr<v1::Policy> ParsePolicy(absl::string_view path, absl::string_view text);

// Reads and parses the file; NOT_FOUND when it cannot be read.
absl::StatusOr<v1::Policy> LoadPolicyFile(const std::string& path);

// Reads a whole file; NOT_FOUND naming the path when it cannot be opened.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_POLICY_FILE_H_
