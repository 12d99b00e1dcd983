// `pitboss audit verify --db PATH`: walks a store's whole audit chain (every
// record's hashes and the payload hash of the event and decision it records)
// without writing anything.
//
//   audit chain OK: 10412 records, head sequence 10412 record_hash 3f9a...
//   audit chain BROKEN: audit sequence 4: record_hash does not match ...
//
// Exit status: 0 the chain verifies, 1 it does not (the first bad record is
// named) or the store cannot be opened, 2 usage error.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "pitboss/store.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"

namespace pitboss {
namespace cli {
namespace {

const FlagSpec kAuditFlags[] = {
    {"db", true, "the store file"},
    {"help", false, "this text"},
};

const Subcommand kAudit = {"audit", "usage: pitboss audit verify --db PATH\n",
                           kAuditFlags, /*takes_positionals=*/true};

}  // namespace

int RunAuditCommand(const std::vector<std::string>& args, std::istream&, std::ostream& out,
                    std::ostream& err) {
  int exit_code = 0;
  const std::optional<CommandLine> flags = kAudit.Parse(args, out, err, &exit_code);
  if (!flags) return exit_code;
  const std::vector<std::string>& action = flags->positionals;
  if (action.empty()) return kAudit.UsageError(err, "missing action (verify)");
  if (action[0] != "verify") {
    return kAudit.UsageError(err, absl::StrCat("unknown action \"", action[0], "\" (verify)"));
  }
  if (action.size() > 1) {
    return kAudit.UsageError(err, absl::StrCat("unexpected argument \"", action[1], "\""));
  }
  if (!flags->Has("db")) return kAudit.UsageError(err, "--db is required");
  StoreOptions options;
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(flags->Get("db"), options);
  if (!store.ok()) {
    err << "pitboss audit: " << store.status().message() << "\n";
    return 1;
  }
  const absl::Status verified = (*store)->VerifyAudit();
  if (!verified.ok()) {
    out << "audit chain BROKEN: " << verified.message() << "\n";
    return 1;
  }
  absl::StatusOr<v1::AuditChainHead> head = (*store)->AuditHead();
  if (!head.ok()) {
    err << "pitboss audit: " << head.status().message() << "\n";
    return 1;
  }
  out << "audit chain OK: " << head->sequence() << " records, head sequence "
      << head->sequence() << " record_hash " << absl::BytesToHexString(head->record_hash())
      << "\n";
  return 0;
}

}  // namespace cli
}  // namespace pitboss
