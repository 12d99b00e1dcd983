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
namespace cli {

// `pitboss expr`: evaluate CEL expressions (see expr_command.cc).
int RunExprCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_COMMANDS_H_
