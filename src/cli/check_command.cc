// `pitboss check --policy P`: compiles and type-checks a policy the way the
// engine would and prints every problem, one per line:
//
//   RULE_ID:LINE:COL: message        a rule's CEL expression (position inside it)
//   RULE_ID:0:0: field: message      another field of a rule
//   field.path:0:0: message          a problem outside the rules
//   FILE:LINE:COL: message           the file is not a Policy (parse error)
//
// Exit status: 0 clean, 1 problems (or unreadable file), 2 usage error.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pitboss/policy_check.h"
#include "pitboss/v1/api.pb.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/policy_file.h"

namespace pitboss {
namespace cli {
namespace {

const FlagSpec kCheckFlags[] = {
    {"policy", true, "the policy to check (.textproto or .json)"},
    {"help", false, "this text"},
};

const Subcommand kCheck = {"check", "usage: pitboss check --policy P\n", kCheckFlags};

bool IsExpressionField(absl::string_view field) {
  return absl::StartsWith(field, "rules[") && absl::EndsWith(field, "].expression");
}

}  // namespace

std::string FormatDiagnostic(const v1::Diagnostic& d) {
  std::string where = !d.rule_id().empty() ? d.rule_id()
                      : !d.field().empty() ? d.field()
                                           : std::string("policy");
  std::string message = d.message();
  if (!d.rule_id().empty() && !d.field().empty() && !IsExpressionField(d.field())) {
    message = absl::StrCat(d.field(), ": ", message);
  }
  return absl::StrCat(where, ":", d.line(), ":", d.column(), ": ", message);
}

int RunCheckCommand(const std::vector<std::string>& args, std::istream&, std::ostream& out,
                    std::ostream& err) {
  int exit_code = 0;
  const std::optional<CommandLine> flags = kCheck.Parse(args, out, err, &exit_code);
  if (!flags) return exit_code;
  if (!flags->Has("policy")) return kCheck.UsageError(err, "--policy is required");
  const std::string path = flags->Get("policy");
  absl::StatusOr<v1::Policy> policy = LoadPolicyFile(path);
  if (!policy.ok()) {
    out << policy.status().message() << "\n";
    err << "pitboss check: " << path << ": cannot be read as a policy\n";
    return 1;
  }
  const v1::PolicyCheckResponse result = CheckPolicy(*policy);
  for (const v1::Diagnostic& d : result.diagnostics()) out << FormatDiagnostic(d) << "\n";
  if (result.diagnostics_size() > 0) {
    err << "pitboss check: " << path << ": " << result.diagnostics_size()
        << (result.diagnostics_size() == 1 ? " problem\n" : " problems\n");
    return 1;
  }
  err << "pitboss check: " << path << ": OK (" << policy->rules_size() << " rules)\n";
  return 0;
}

}  // namespace cli
}  // namespace pitboss
