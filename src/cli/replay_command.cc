// `pitboss replay`: the main job. Applies an event stream (pitboss.v1.Event
// JSON lines) to a store with a policy and reports what happened; with
// --shadow, a backtest of a second policy over the same stream.
//
//   pitboss replay --policy examples/policy/default.textproto
//       --events examples/events/events.jsonl --db build/replay.db --out decisions.jsonl
//
// Each event is decided at its own occurred_at. Without --db the store is in
// memory (":memory:"). Decisions go to --out only after the store committed
// them (see replay_runner.h). Bad lines go to stderr with their line number.
// The summary (and the backtest report) go to stdout; a progress bar goes to
// stderr when stderr is a terminal.
//
// Exit status: 0 the stream was processed (bad lines skipped are in the
// summary), 1 the run stopped (--on-error=stop at a bad line, or a storage,
// read or write failure), 2 usage error.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "pitboss/engine.h"
#include "pitboss/store.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/policy_file.h"
#include "src/cli/progress_bar.h"
#include "src/cli/replay_runner.h"

namespace pitboss {
namespace cli {
namespace {

const FlagSpec kReplayFlags[] = {
    {"policy", true, "the policy (.textproto or .json)"},
    {"events", true, "event stream: pitboss.v1.Event JSON lines (\"-\": stdin)"},
    {"db", true, "store file (default: in memory, \":memory:\")"},
    {"out", true, "write each decision as a JSON line to FILE (truncated first)"},
    {"on-error", true, "bad line: \"skip\" (default; counted) or \"stop\" (exit 1)"},
    {"batch", true, "events per store transaction (group commit; default 1)"},
    {"shadow", true, "backtest: also run this policy (own in-memory state) and compare"},
    {"sync", true, "store durability: \"full\" (default) or \"normal\""},
    {"retention", true,
     "keep idempotency keys this long after each event (default 876000h: a replay "
     "restarted over the same stream must see every applied event as a duplicate)"},
    {"help", false, "this text"},
};

const Subcommand kReplay = {
    "replay",
    "usage: pitboss replay --policy P --events E.jsonl [--db PATH] [--out FILE]\n"
    "                      [--on-error skip|stop] [--batch N] [--shadow P2]\n",
    kReplayFlags};

int64_t FileSize(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<int64_t>(st.st_size);
}

absl::StatusOr<std::unique_ptr<Engine>> LoadEngine(const std::string& path) {
  absl::StatusOr<v1::Policy> policy = LoadPolicyFile(path);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
  if (!engine.ok()) {
    return absl::Status(engine.status().code(),
                        absl::StrCat(path, ": ", engine.status().message(),
                                     " (`pitboss check --policy ", path, "` lists every problem)"));
  }
  return engine;
}

}  // namespace

int RunReplayCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                     std::ostream& err) {
  int exit_code = 0;
  const std::optional<CommandLine> flags = kReplay.Parse(args, out, err, &exit_code);
  if (!flags) return exit_code;
  if (!flags->Has("policy")) return kReplay.UsageError(err, "--policy is required");
  if (!flags->Has("events")) return kReplay.UsageError(err, "--events is required");

  ReplayOptions options;
  const std::string on_error = flags->Get("on-error", "skip");
  if (on_error == "skip") {
    options.on_error = OnError::kSkip;
  } else if (on_error == "stop") {
    options.on_error = OnError::kStop;
  } else {
    return kReplay.UsageError(
        err, absl::StrCat("--on-error must be skip or stop, not \"", on_error, "\""));
  }
  const std::string batch = flags->Get("batch", "1");
  if (!absl::SimpleAtoi(batch, &options.batch_size) || options.batch_size < 1 ||
      options.batch_size > 100000) {
    return kReplay.UsageError(
        err,
        absl::StrCat("--batch must be a number from 1 to 100000, not \"", batch, "\""));
  }
  StoreOptions store_options;
  // Replay reports decisions only: no copy of the account per result.
  store_options.result_accounts = false;
  const std::string sync = flags->Get("sync", "full");
  if (sync == "full") {
    store_options.synchronous = StoreOptions::Sync::kFull;
  } else if (sync == "normal") {
    store_options.synchronous = StoreOptions::Sync::kNormal;
  } else {
    return kReplay.UsageError(
        err, absl::StrCat("--sync must be full or normal, not \"", sync, "\""));
  }
  const std::string retention = flags->Get("retention", "876000h");
  if (!absl::ParseDuration(retention, &store_options.idempotency_retention) ||
      store_options.idempotency_retention < absl::Hours(24)) {
    return kReplay.UsageError(
        err, absl::StrCat("--retention must be a duration of at least 24h, not \"",
                          retention, "\""));
  }

  const std::string events_path = flags->Get("events");
  options.source_name = events_path == "-" ? "<stdin>" : events_path;
  options.read_ahead = events_path != "-";  // a file never waits for its next line
  std::ifstream events_file;
  std::istream* events = &in;
  if (events_path != "-") {
    events_file.open(events_path, std::ios::binary);
    if (!events_file.good()) {
      err << "pitboss replay: " << events_path << ": cannot open\n";
      return 1;
    }
    events = &events_file;
  }

  absl::StatusOr<std::unique_ptr<Engine>> engine = LoadEngine(flags->Get("policy"));
  if (!engine.ok()) {
    err << "pitboss replay: " << engine.status().message() << "\n";
    return 1;
  }
  const std::string db = flags->Get("db", ":memory:");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db, store_options);
  if (!store.ok()) {
    err << "pitboss replay: " << store.status().message() << "\n";
    return 1;
  }

  ReplayRunner runner(engine->get(), store->get(), options);

  std::unique_ptr<Engine> shadow_engine;
  std::unique_ptr<Store> shadow_store;
  if (flags->Has("shadow")) {
    absl::StatusOr<std::unique_ptr<Engine>> loaded = LoadEngine(flags->Get("shadow"));
    if (!loaded.ok()) {
      err << "pitboss replay: --shadow: " << loaded.status().message() << "\n";
      return 1;
    }
    shadow_engine = *std::move(loaded);
    absl::StatusOr<std::unique_ptr<Store>> opened = Store::Open(":memory:", store_options);
    if (!opened.ok()) {
      err << "pitboss replay: --shadow: " << opened.status().message() << "\n";
      return 1;
    }
    shadow_store = *std::move(opened);
    runner.SetShadow(shadow_engine.get(), shadow_store.get());
  }

  std::ofstream decisions;
  if (flags->Has("out")) {
    decisions.open(flags->Get("out"), std::ios::binary | std::ios::trunc);
    if (!decisions.good()) {
      err << "pitboss replay: " << flags->Get("out") << ": cannot open for writing\n";
      return 1;
    }
    runner.SetDecisionOutput(&decisions);
  }

  std::unique_ptr<ProgressBar> progress;
  if (&err == &std::cerr && IsTerminal(STDERR_FILENO)) {
    progress = std::make_unique<ProgressBar>(&err, events_path == "-" ? 0 : FileSize(events_path));
    runner.SetProgress(progress.get());
  }

  const absl::Status status = runner.Run(*events, err);
  out << FormatSummary(runner.stats());
  if (runner.backtest() != nullptr) out << "\n" << runner.backtest()->Format();
  out.flush();
  if (!status.ok()) {
    err << "pitboss replay: " << status.message() << "\n";
    return 1;
  }
  if (runner.stats().stopped) {
    err << "pitboss replay: stopped at the first bad line (--on-error=stop)\n";
    return 1;
  }
  return 0;
}

}  // namespace cli
}  // namespace pitboss
