// CommandLine: per-subcommand flag parsing.
#include "src/cli/command_line.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cli {

std::string CommandLine::Get(absl::string_view flag, absl::string_view fallback) const {
  auto it = values.find(std::string(flag));
  if (it == values.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

std::vector<std::string> CommandLine::GetAll(absl::string_view flag) const {
  auto it = values.find(std::string(flag));
  return it == values.end() ? std::vector<std::string>() : it->second;
}

absl::StatusOr<CommandLine> ParseCommandLine(absl::Span<const std::string> args,
                                             absl::Span<const FlagSpec> specs) {
  CommandLine out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.positionals.insert(out.positionals.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (!absl::StartsWith(arg, "--") || arg.size() == 2) {
      out.positionals.push_back(arg);
      continue;
    }
    absl::string_view body = absl::string_view(arg).substr(2);
    size_t eq = body.find('=');
    std::string name(body.substr(0, eq));
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    std::string value;
    if (eq != absl::string_view::npos) {
      if (!spec->takes_value) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      }
      value = std::string(body.substr(eq + 1));
    } else if (spec->takes_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
      value = args[++i];
    } else {
      value = "true";
    }
    out.values[name].push_back(std::move(value));
  }
  return out;
}

std::string FlagsHelp(absl::Span<const FlagSpec> specs) {
  std::string out;
  for (const FlagSpec& s : specs) {
    std::string left = absl::StrCat("  --", s.name, s.takes_value ? "=VALUE" : "");
    if (left.size() < 24) left.resize(24, ' ');
    absl::StrAppend(&out, left, " ", s.help, "\n");
  }
  return out;
}

void Subcommand::PrintUsage(std::ostream& out) const { out << usage << FlagsHelp(flags); }

int Subcommand::UsageError(std::ostream& err, absl::string_view message) const {
  err << "pitboss " << name << ": " << message << "\n";
  PrintUsage(err);
  return 2;
}

std::optional<CommandLine> Subcommand::Parse(absl::Span<const std::string> args,
                                             std::ostream& out, std::ostream& err,
                                             int* exit_code) const {
  absl::StatusOr<CommandLine> parsed = ParseCommandLine(args, flags);
  if (!parsed.ok()) {
    *exit_code = UsageError(err, parsed.status().message());
    return std::nullopt;
  }
  if (parsed->Has("help")) {
    PrintUsage(out);
    *exit_code = 0;
    return std::nullopt;
  }
  if (!takes_positionals && !parsed->positionals.empty()) {
    *exit_code =
        UsageError(err, absl::StrCat("unexpected argument \"", parsed->positionals[0], "\""));
    return std::nullopt;
  }
  return *std::move(parsed);
}

}  // namespace cli
}  // namespace pitboss
