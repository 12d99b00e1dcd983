// `pitboss explain --machine deposit|withdrawal --format dot|mermaid`: prints
// a diagram of a payment state machine generated from the transition table
// the engine enforces (state_diagram.h). docs/diagrams/ holds the output and
// its Graphviz rendering; scripts/update-diagrams regenerates them.
//
// Exit status: 0, or 2 for a usage error (unknown machine or format).
#include <iostream>
#include <optional>
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

const Subcommand kExplain = {
    "explain",
    "usage: pitboss explain --machine deposit|withdrawal [--format dot|mermaid]\n",
    kExplainFlags};

}  // namespace

int RunExplainCommand(const std::vector<std::string>& args, std::istream&, std::ostream& out,
                      std::ostream& err) {
  int exit_code = 0;
  const std::optional<CommandLine> flags = kExplain.Parse(args, out, err, &exit_code);
  if (!flags) return exit_code;
  if (!flags->Has("machine")) {
    return kExplain.UsageError(
        err, absl::StrCat("--machine is required (",
                          absl::StrJoin(StateMachineNames(), " or "), ")"));
  }
  absl::StatusOr<StateMachine> machine = GetStateMachine(flags->Get("machine"));
  if (!machine.ok()) return kExplain.UsageError(err, machine.status().message());
  const std::string format = flags->Get("format", "dot");
  if (format == "dot") {
    out << RenderDot(*machine);
  } else if (format == "mermaid") {
    out << RenderMermaid(*machine);
  } else {
    return kExplain.UsageError(
        err, absl::StrCat("--format must be dot or mermaid, not \"", format, "\""));
  }
  out.flush();
  return 0;
}

}  // namespace cli
}  // namespace pitboss
