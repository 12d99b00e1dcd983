// `pitboss`: the command-line tool. Dispatches to one subcommand per file
// (commands.h); new subcommands add one row to kCommands.
#include <iostream>
#include <string>
#include <vector>

#include "src/cli/commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
             std::ostream& err);
};

const Command kCommands[] = {
    {"expr", "evaluate CEL expressions (JSON lines, or one --expr)",
     pitboss::cli::RunExprCommand},
    {"replay", "apply an event stream (JSON lines) with a policy; backtest with --shadow",
     pitboss::cli::RunReplayCommand},
    {"check", "compile and type-check a policy; every problem as rule_id:line:col",
     pitboss::cli::RunCheckCommand},
    {"explain", "diagram of the deposit or withdrawal state machine (dot or mermaid)",
     pitboss::cli::RunExplainCommand},
    {"audit", "audit verify --db PATH: check a store's audit chain",
     pitboss::cli::RunAuditCommand},
    {"rulebench", "time CEL rules on the peers' fraud-rule workload (one JSON line out)",
     pitboss::cli::RunRulebenchCommand},
};

void Usage(std::ostream& out) {
  out << "usage: pitboss COMMAND [FLAGS]\n\ncommands:\n";
  for (const Command& c : kCommands) out << "  " << c.name << "\t" << c.summary << "\n";
  out << "\n`pitboss COMMAND --help` describes a command's flags.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    Usage(std::cerr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "help" || name == "-h") {
    Usage(std::cout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (name == c.name) {
      std::vector<std::string> args(argv + 2, argv + argc);
      return c.run(args, std::cin, std::cout, std::cerr);
    }
  }
  std::cerr << "pitboss: unknown command \"" << name << "\"\n";
  Usage(std::cerr);
  return 2;
}
