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
#include <optional>
#include <ostream>
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

// A subcommand's name, usage text and flags: the start every subcommand
// shares (parse, --help, usage errors) in one place.
struct Subcommand {
  const char* name;   // "check": messages start with "pitboss check: "
  const char* usage;  // "usage: pitboss check --policy P\n" (one or more lines)
  absl::Span<const FlagSpec> flags;
  bool takes_positionals = false;  // false: any positional is a usage error

  // The usage text and every flag's help.
  void PrintUsage(std::ostream& out) const;
  // "pitboss NAME: message" and the usage on `err`; returns 2, the exit
  // status of a usage error.
  int UsageError(std::ostream& err, absl::string_view message) const;
  // Parses `args`. Returns the flags when the command should run; otherwise
  // nullopt with `*exit_code` set: 2 after a bad flag or an unexpected
  // positional (reported on `err` with the usage), 0 after --help (the usage
  // on `out`).
  std::optional<CommandLine> Parse(absl::Span<const std::string> args, std::ostream& out,
                                   std::ostream& err, int* exit_code) const;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_COMMAND_LINE_H_
