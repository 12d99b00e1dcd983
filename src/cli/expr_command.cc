// `pitboss expr`: evaluates CEL with pitboss's engine.
//
// Batch mode (default): reads JSON lines from stdin (or --input), each a
// cel.expr.conformance.test.SimpleTest, and writes one JSON result line per
// input line (see expr_runner.h for the shapes). This is the path the CEL
// conformance test drives.
//
// Single mode (--expr): evaluates one expression for rule authors, with
// --bind NAME=JSON (plain JSON) or --bind NAME:pkg.Message=JSON (a message in
// proto3 JSON), and prints the value in CEL syntax with its type (or the
// JSON line with --json). Exit status 1 when the expression fails to compile or
// evaluates to an error.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/expr_runner.h"
#include "src/cli/proto_types.h"

namespace pitboss {
namespace cli {
namespace {

const FlagSpec kExprFlags[] = {
    {"descriptors", true, "FileDescriptorSet with extra message types (binary)"},
    {"input", true, "batch mode: read SimpleTest JSON lines from FILE (default stdin)"},
    {"expr", true, "evaluate one expression instead of reading JSON lines"},
    {"bind", true, "with --expr: NAME=JSON or NAME:pkg.Message=JSON (repeatable)"},
    {"container", true, "with --expr: the container names resolve in (e.g. pitboss.v1)"},
    {"disable_check", false, "with --expr: skip type checking"},
    {"disable_macros", false, "with --expr: no macro expansion"},
    {"json", false, "with --expr: print the result as a JSON line"},
    {"help", false, "this text"},
};

const Subcommand kExpr = {
    "expr",
    "usage: pitboss expr [--descriptors FILE] [--input FILE]        (JSON lines in/out)\n"
    "       pitboss expr [--descriptors FILE] --expr 'EXPR' [--bind NAME=JSON]...\n",
    kExprFlags};

}  // namespace

int RunExprCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err) {
  int exit_code = 0;
  const std::optional<CommandLine> flags = kExpr.Parse(args, out, err, &exit_code);
  if (!flags) return exit_code;
  std::unique_ptr<ProtoTypes> types;
  if (flags->Has("descriptors")) {
    absl::StatusOr<std::unique_ptr<ProtoTypes>> loaded = ProtoTypes::FromFile(flags->Get("descriptors"));
    if (!loaded.ok()) {
      err << "pitboss expr: " << loaded.status().message() << "\n";
      return 2;
    }
    types = std::move(*loaded);
  } else {
    types = ProtoTypes::Generated();
  }
  ExprRunner runner(types.get());

  if (flags->Has("expr")) {
    ExprRequest request;
    request.expr = flags->Get("expr");
    request.container = flags->Get("container");
    request.disable_check = flags->Has("disable_check");
    request.disable_macros = flags->Has("disable_macros");
    for (const std::string& bind : flags->GetAll("bind")) {
      absl::StatusOr<ExprBinding> binding = ParseExprBinding(bind);
      if (!binding.ok()) {
        err << "pitboss expr: " << binding.status().message() << "\n";
        return 2;
      }
      request.bindings.push_back(std::move(*binding));
    }
    ExprResult result = runner.RunExpr(request);
    if (flags->Has("json")) {
      out << result.json << "\n";
    } else if (result.ok) {
      out << result.text;
      if (!result.type.empty()) out << "  (" << result.type << ")";
      out << "\n";
    } else {
      err << result.text << "\n";
    }
    return result.ok ? 0 : 1;
  }
  for (const char* single_only : {"bind", "container", "disable_check", "disable_macros", "json"}) {
    if (flags->Has(single_only)) {
      err << "pitboss expr: --" << single_only << " needs --expr\n";
      return 2;
    }
  }

  std::ifstream file;
  std::istream* input = &in;
  if (flags->Has("input")) {
    file.open(flags->Get("input"));
    if (!file) {
      err << "pitboss expr: cannot read " << flags->Get("input") << "\n";
      return 2;
    }
    input = &file;
  }
  std::string line;
  while (std::getline(*input, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // Flushed per line so a driver sees every result before a crash or hang.
    out << runner.RunLine(line) << std::endl;
  }
  return 0;
}

}  // namespace cli
}  // namespace pitboss
