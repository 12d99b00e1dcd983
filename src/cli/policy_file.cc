// Policy files in text format or JSON (see policy_file.h).
#include "src/cli/policy_file.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace pitboss {
namespace cli {
namespace {

// Keeps the text-format parser's errors with 1-based positions.
class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectErrors(absl::string_view path) : path_(path) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

bool IsJsonPath(absl::string_view path) { return absl::EndsWithIgnoreCase(path, ".json"); }

}  // namespace

absl::StatusOr<v1::Policy> ParsePolicy(absl::string_view path, absl::string_view text) {
  v1::Policy policy;
  if (IsJsonPath(path)) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const google::protobuf::util::Status status =
        google::protobuf::util::JsonStringToMessage(std::string(text), &policy, options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": not a pitboss.v1.Policy in JSON: ", std::string(status.message())));
    }
    return policy;
  }
  CollectErrors errors(path);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &policy)) {
    if (errors.errors().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not a pitboss.v1.Policy"));
    }
    return absl::InvalidArgumentError(absl::StrJoin(errors.errors(), "\n"));
  }
  return policy;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.good()) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return text.str();
}

absl::StatusOr<v1::Policy> LoadPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParsePolicy(path, *text);
}

}  // namespace cli
}  // namespace pitboss
