// `pitboss explain --machine deposit|withdrawal --format dot|mermaid`: prints
// a diagram of a payment state machine generated from the transition table
// the engine enforces (state_diagram.h). docs/diagrams/ holds the output and
// its Graphviz rendering; scripts/update-diagrams regenerates them.
//
// Exit status: 0, or 2 for a usage error (unknown machine or format).
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "pitboss/state_machines.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/state_diagram.h"

namespace pitboss {
namespace cli {
namespace {

const FlagSpec kExplainFlags[] = {
    {"machine", true, "deposit or withdrawal"},
    {"format", true, "dot (Graphviz, default) or mermaid"},
    {"help", false, "this text"},
};

void Usage(std::ostream& out) {
  out << "usage: pitboss explain --machine deposit|withdrawal [--format dot|mermaid]\n"
      << FlagsHelp(kExplainFlags);
}

int UsageError(std::ostream& err, absl::string_view message) {
  err << "pitboss explain: " << message << "\n";
  Usage(err);
  return 2;
}

}  // namespace

int RunExplainCommand(const std::vector<std::string>& args, std::istream&, std::ostream& out,
                      std::ostream& err) {
  absl::StatusOr<CommandLine> flags = ParseCommandLine(args, kExplainFlags);
  if (!flags.ok()) return UsageError(err, flags.status().message());
  if (flags->Has("help")) {
    Usage(out);
    return 0;
  }
  if (!flags->positionals.empty()) {
    return UsageError(err, absl::StrCat("unexpected argument \"", flags->positionals[0], "\""));
  }
  if (!flags->Has("machine")) {
    return UsageError(err, absl::StrCat("--machine is required (",
                                        absl::StrJoin(StateMachineNames(), " or "), ")"));
  }
  absl::StatusOr<StateMachine> machine = GetStateMachine(flags->Get("machine"));
  if (!machine.ok()) return UsageError(err, machine.status().message());
  const std::string format = flags->Get("format", "dot");
  if (format == "dot") {
    out << RenderDot(*machine);
  } else if (format == "mermaid") {
    out << RenderMermaid(*machine);
  } else {
    return UsageError(err, absl::StrCat("--format must be dot or mermaid, not \"", format, "\""));
  }
  out.flush();
  return 0;
}

}  // namespace cli
}  // namespace pitboss
