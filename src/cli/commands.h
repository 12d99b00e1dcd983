// The subcommands of the `pitboss` command. Each lives in its own
// <name>_command.cc and is listed in main.cc's table; a subcommand gets its
// arguments after the subcommand name and returns the process exit status
// (0 success, 1 failure, 2 usage error).
#ifndef PITBOSS_SRC_CLI_COMMANDS_H_
#define PITBOSS_SRC_CLI_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace pitboss {
namespace v1 {
class Diagnostic;
}  // namespace v1
namespace cli {

// `pitboss expr`: evaluate CEL expressions (see expr_command.cc).
int RunExprCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err);

// `pitboss replay`: apply an event stream through the store; backtest with
// --shadow (replay_command.cc).
int RunReplayCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                     std::ostream& err);

// `pitboss check`: every problem of a policy, "rule_id:line:col: message"
// (check_command.cc).
int RunCheckCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                    std::ostream& err);
// One diagnostic as `pitboss check` prints it.
std::string FormatDiagnostic(const v1::Diagnostic& diagnostic);

// `pitboss explain`: state machine diagrams (explain_command.cc).
int RunExplainCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                      std::ostream& err);

// `pitboss audit verify`: check a store's audit chain (audit_command.cc).
int RunAuditCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                    std::ostream& err);

// `pitboss rulebench`: the peers' fraud-rule benchmark contract, CEL or the
// hand-written baseline (rulebench_command.cc).
int RunRulebenchCommand(const std::vector<std::string>& args, std::istream& in,
                        std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_COMMANDS_H_
