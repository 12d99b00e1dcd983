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

void Usage(std::ostream& out) {
  out << "usage: pitboss audit verify --db PATH\n" << FlagsHelp(kAuditFlags);
}

int UsageError(std::ostream& err, absl::string_view message) {
  err << "pitboss audit: " << message << "\n";
  Usage(err);
  return 2;
}

}  // namespace

int RunAuditCommand(const std::vector<std::string>& args, std::istream&, std::ostream& out,
                    std::ostream& err) {
  absl::StatusOr<CommandLine> flags = ParseCommandLine(args, kAuditFlags);
  if (!flags.ok()) return UsageError(err, flags.status().message());
  if (flags->Has("help")) {
    Usage(out);
    return 0;
  }
  if (flags->positionals.size() != 1 || flags->positionals[0] != "verify") {
    return UsageError(err, flags->positionals.empty()
                               ? std::string("missing action (verify)")
                               : absl::StrCat("unknown action \"", flags->positionals[0],
                                              "\" (verify)"));
  }
  if (!flags->Has("db")) return UsageError(err, "--db is required");
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
