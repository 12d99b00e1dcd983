// CommandLine: the small flag parser shared by `pitboss` subcommands.
//
// Each subcommand declares its flags; parsing accepts `--name=value`,
// `--name value` and bare `--name` for boolean flags, collects repeated flags
// in order, and leaves the other arguments as positionals. Hand-written
// rather than Abseil flags because Abseil's flags are process-global, while
// every subcommand of one binary has its own set.
#ifndef PITBOSS_SRC_CLI_COMMAND_LINE_H_
#define PITBOSS_SRC_CLI_COMMAND_LINE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pitboss {
namespace cli {

struct FlagSpec {
  std::string name;        // without the leading dashes
  bool takes_value = true;  // false: a boolean flag
  std::string help;         // one line for --help
};

struct CommandLine {
  std::map<std::string, std::vector<std::string>> values;  // flag -> values in order
  std::vector<std::string> positionals;

  bool Has(absl::string_view flag) const { return values.count(std::string(flag)) > 0; }
  // The last value of `flag`, or `fallback` when absent.
  std::string Get(absl::string_view flag, absl::string_view fallback = "") const;
  // Every value of a repeated flag.
  std::vector<std::string> GetAll(absl::string_view flag) const;
};

// Parses `args` (without the program and subcommand names). InvalidArgument
// for an unknown flag, a missing value or a value given to a boolean flag.
// "--" ends flag parsing.
absl::StatusOr<CommandLine> ParseCommandLine(absl::Span<const std::string> args,
                                             absl::Span<const FlagSpec> specs);

// "  --name=VALUE   help" lines for a usage message.
std::string FlagsHelp(absl::Span<const FlagSpec> specs);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_COMMAND_LINE_H_
