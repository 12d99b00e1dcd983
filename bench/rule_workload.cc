// The peers' fraud-rule workload: loading, pitboss CEL evaluation and the
// hand-written baseline.
#include "bench/rule_workload.h"

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace bench {
namespace {

const Rule kWorkloadRules[] = {
    {"R01", "event.type == 'withdrawal' && account.email_changed_ago_s < 172800"},
    {"R02", "event.type == 'withdrawal' && !(device.id in account.devices) && device.country != account.country"},
    {"R03", "event.type == 'deposit' && account.daily_deposit_limit > 0 && account.deposit_sum_24h + event.amount > account.daily_deposit_limit"},
    {"R04", "event.type == 'withdrawal' && account.deposit_sum_30d > 0 && account.wager_sum_30d * 2 < account.deposit_sum_30d"},
    {"R05", "event.type == 'withdrawal' && account.max_withdrawal_90d > 0 && event.amount > 5 * account.max_withdrawal_90d"},
    {"R06", "account.failed_logins_1h >= 5"},
    {"R07", "event.type == 'deposit' && event.method == 'card' && !(event.card_holder in account.name_variants)"},
    {"R08", "ip.country in ['KP', 'IR', 'SY', 'CU']"},
    {"R09", "event.channel == 'phone' && event.urgent && event.type in ['withdrawal', 'password_reset']"},
    {"R10", "size(account.devices) > 5"},
    {"R11", "event.type == 'withdrawal' && account.age_days < 7"},
    {"R12", "event.method == 'crypto_onramp' && event.amount >= 300000"},
    {"R13", "event.type == 'withdrawal' && account.kyc_level < 2 && event.amount > 100000"},
    {"R14", "event.type == 'withdrawal' && !(event.destination_id in account.deposit_sources)"},
    {"R15", "account.email.endsWith('@tempmail.test') || account.email.endsWith('@throwaway.test')"},
    {"R16", "ip.is_proxy || device.emulator"},
    {"R17", "event.type == 'deposit' && account.self_excluded"},
    {"R18", "event.type == 'deposit' && account.deposit_count_24h >= 10"},
    {"R19", "'vip' in account.tags && account.kyc_level == 2"},
    {"R20", "account.tags.exists(t, t == 'chargeback')"},
    {"R21", "account.failed_otp_1h >= 3 && event.type in ['withdrawal', 'password_reset', 'contact_change']"},
    {"R22", "event.type == 'deposit' && ip.country != account.country && device.country != account.country"},
    {"R23", "event.type == 'password_reset' && event.channel == 'phone'"},
    {"R24", "event.type == 'withdrawal' && account.password_changed_ago_s < 86400 && !(device.id in account.devices)"},
};
constexpr size_t kNumWorkloadRules = sizeof(kWorkloadRules) / sizeof(kWorkloadRules[0]);

// Arena resets: values made during evaluation are consumed at once, so the
// arena is cleared every so many evaluations to bound memory.
constexpr size_t kEvaluationsPerArenaReset = 4096;

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& s) {
  for (const std::string& x : list) {
    if (x == s) return true;
  }
  return false;
}

// The hand-written rules, numbered as kWorkloadRules. Integer arithmetic
// cannot overflow on this workload's values (amounts below 2^40), so plain
// int64 arithmetic matches CEL's checked arithmetic.
bool HandRule(int rule, const RuleInput& in) {
  const WorkloadEvent& e = in.event();
  const WorkloadAccount& a = in.account();
  const WorkloadDevice& d = in.device();
  const WorkloadIp& ip = in.ip();
  switch (rule) {
    case 0: return e.type() == "withdrawal" && a.email_changed_ago_s() < 172800;
    case 1: return e.type() == "withdrawal" && !Contains(a.devices(), d.id()) && d.country() != a.country();
    case 2: return e.type() == "deposit" && a.daily_deposit_limit() > 0 &&
                   a.deposit_sum_24h() + e.amount() > a.daily_deposit_limit();
    case 3: return e.type() == "withdrawal" && a.deposit_sum_30d() > 0 &&
                   a.wager_sum_30d() * 2 < a.deposit_sum_30d();
    case 4: return e.type() == "withdrawal" && a.max_withdrawal_90d() > 0 &&
                   e.amount() > 5 * a.max_withdrawal_90d();
    case 5: return a.failed_logins_1h() >= 5;
    case 6: return e.type() == "deposit" && e.method() == "card" && !Contains(a.name_variants(), e.card_holder());
    case 7: return ip.country() == "KP" || ip.country() == "IR" || ip.country() == "SY" || ip.country() == "CU";
    case 8: return e.channel() == "phone" && e.urgent() && (e.type() == "withdrawal" || e.type() == "password_reset");
    case 9: return a.devices_size() > 5;
    case 10: return e.type() == "withdrawal" && a.age_days() < 7;
    case 11: return e.method() == "crypto_onramp" && e.amount() >= 300000;
    case 12: return e.type() == "withdrawal" && a.kyc_level() < 2 && e.amount() > 100000;
    case 13: return e.type() == "withdrawal" && !Contains(a.deposit_sources(), e.destination_id());
    case 14: return absl::EndsWith(a.email(), "@tempmail.test") || absl::EndsWith(a.email(), "@throwaway.test");
    case 15: return ip.is_proxy() || d.emulator();
    case 16: return e.type() == "deposit" && a.self_excluded();
    case 17: return e.type() == "deposit" && a.deposit_count_24h() >= 10;
    case 18: return Contains(a.tags(), "vip") && a.kyc_level() == 2;
    case 19: return Contains(a.tags(), "chargeback");
    case 20: return a.failed_otp_1h() >= 3 && (e.type() == "withdrawal" || e.type() == "password_reset" ||
                                               e.type() == "contact_change");
    case 21: return e.type() == "deposit" && ip.country() != a.country() && d.country() != a.country();
    case 22: return e.type() == "password_reset" && e.channel() == "phone";
    case 23: return e.type() == "withdrawal" && a.password_changed_ago_s() < 86400 && !Contains(a.devices(), d.id());
    default: return false;
  }
}

}  // namespace

std::vector<RuleInput> SyntheticEvents(size_t n, uint32_t seed) {
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&state](uint32_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state >> 33) % bound);
  };
  auto pick = [&next](std::initializer_list<const char*> options) {
    return std::string(options.begin()[next(static_cast<uint32_t>(options.size()))]);
  };
  std::vector<RuleInput> events(n);
  for (size_t i = 0; i < n; ++i) {
    RuleInput& in = events[i];
    WorkloadEvent* e = in.mutable_event();
    e->set_type(pick({"deposit", "deposit", "withdrawal", "withdrawal", "login", "password_reset",
                      "contact_change"}));
    e->set_amount(next(4) == 0 ? next(800000) : next(60000));
    e->set_currency("JPY");
    e->set_method(pick({"card", "bank_transfer", "ewallet", "crypto_onramp"}));
    e->set_card_holder(pick({"MIO SASAKI", "SASAKI MIO", "JOHN DOE", ""}));
    e->set_channel(pick({"app", "web", "phone"}));
    e->set_urgent(next(5) == 0);
    e->set_destination_id(pick({"bank-1", "bank-2", "crypto-9"}));
    WorkloadAccount* a = in.mutable_account();
    a->set_id(absl::StrCat("acc-", i));
    a->set_country(pick({"JP", "JP", "JP", "US"}));
    a->set_age_days(next(400));
    a->set_kyc_level(next(4));
    a->add_name_variants("MIO SASAKI");
    a->add_name_variants("SASAKI MIO");
    a->set_email(absl::StrCat("user", i, pick({"@gmail.com", "@yahoo.co.jp", "@tempmail.test",
                                               "@throwaway.test", "@example.jp"})));
    a->set_email_changed_ago_s(next(3) == 0 ? next(200000) : 40000000);
    a->set_password_changed_ago_s(next(3) == 0 ? next(100000) : 40000000);
    a->set_deposit_sum_24h(next(300000));
    a->set_deposit_count_24h(next(12));
    a->set_deposit_sum_30d(next(5) == 0 ? 0 : next(1000000));
    a->set_wager_sum_30d(next(1000000));
    a->set_withdrawal_count_24h(next(3));
    a->set_max_withdrawal_90d(next(5) == 0 ? 0 : next(100000));
    a->set_failed_logins_1h(next(7));
    a->set_failed_otp_1h(next(5));
    a->set_daily_deposit_limit(next(2) == 0 ? 0 : 300000);
    a->set_self_excluded(next(20) == 0);
    const uint32_t devices = 1 + next(7);
    for (uint32_t k = 0; k < devices; ++k) a->add_devices(absl::StrCat("dev-", k));
    a->add_deposit_sources("bank-1");
    if (next(2) == 0) a->add_deposit_sources("crypto-9");
    if (next(4) == 0) a->add_tags("vip");
    if (next(6) == 0) a->add_tags("chargeback");
    if (next(3) == 0) a->add_tags("new");
    WorkloadDevice* d = in.mutable_device();
    d->set_id(absl::StrCat("dev-", next(9)));
    d->set_country(pick({"JP", "JP", "US", "CN"}));
    d->set_emulator(next(15) == 0);
    WorkloadIp* ip = in.mutable_ip();
    ip->set_country(pick({"JP", "JP", "JP", "US", "KP", "IR", "SY", "CU"}));
    ip->set_is_proxy(next(10) == 0);
  }
  return events;
}

absl::Span<const Rule> WorkloadRules() { return absl::MakeConstSpan(kWorkloadRules, kNumWorkloadRules); }

absl::StatusOr<std::vector<Rule>> ParseRules(absl::string_view json) {
  google::protobuf::Value value;
  google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &value);
  if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat("rules: ", status.ToString()));
  if (value.kind_case() != google::protobuf::Value::kListValue) {
    return absl::InvalidArgumentError("rules: expected a JSON array");
  }
  std::vector<Rule> rules;
  for (const google::protobuf::Value& item : value.list_value().values()) {
    const auto& fields = item.struct_value().fields();
    auto id = fields.find("id");
    auto cel = fields.find("cel");
    if (id == fields.end() || cel == fields.end() ||
        id->second.kind_case() != google::protobuf::Value::kStringValue ||
        cel->second.kind_case() != google::protobuf::Value::kStringValue) {
      return absl::InvalidArgumentError("rules: every rule needs string \"id\" and \"cel\"");
    }
    rules.push_back({id->second.string_value(), cel->second.string_value()});
  }
  return rules;
}

absl::StatusOr<std::vector<Rule>> LoadRules(const std::string& path) {
  bool ok = false;
  std::string text = ReadFile(path, &ok);
  if (!ok) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return ParseRules(text);
}

absl::Status ParseEvent(absl::string_view json_line, RuleInput* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  RuleInput parsed;
  google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json_line.data(), json_line.size()), &parsed, options);
  if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat("event: ", status.ToString()));
  out->Swap(&parsed);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RuleInput>> LoadEvents(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<RuleInput> events;
  std::string line;
  size_t line_number = 0;
  while ((limit == 0 || events.size() < limit) && std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    RuleInput input;
    absl::Status status = ParseEvent(line, &input);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_number, ": ", status.message()));
    }
    events.push_back(std::move(input));
  }
  return events;
}

absl::StatusOr<ArenaEvents> LoadEventsInArena(const std::string& path, size_t limit) {
  // Parsing first, copying after (see the header): no allocation of the
  // parser's comes between two events' string buffers.
  PITBOSS_ASSIGN_OR_RETURN(std::vector<RuleInput> parsed, LoadEvents(path, limit));
  ArenaEvents out;
  out.arena = std::make_unique<google::protobuf::Arena>();
  out.events.reserve(parsed.size());
  for (const RuleInput& input : parsed) {
    RuleInput* event = google::protobuf::Arena::CreateMessage<RuleInput>(out.arena.get());
    event->CopyFrom(input);
    out.events.push_back(event);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<CelRules>> CelRules::Create(absl::Span<const Rule> rules) {
  std::unique_ptr<CelRules> out(new CelRules());
  out->env_.options().require_bool_result = true;
  PITBOSS_RETURN_IF_ERROR(out->env_.AddMessageVariable("event", "pitboss.bench.WorkloadEvent"));
  PITBOSS_RETURN_IF_ERROR(out->env_.AddMessageVariable("account", "pitboss.bench.WorkloadAccount"));
  PITBOSS_RETURN_IF_ERROR(out->env_.AddMessageVariable("device", "pitboss.bench.WorkloadDevice"));
  PITBOSS_RETURN_IF_ERROR(out->env_.AddMessageVariable("ip", "pitboss.bench.WorkloadIp"));
  std::vector<std::unique_ptr<cel::Program>> programs;
  for (const Rule& rule : rules) {
    absl::StatusOr<std::unique_ptr<cel::Program>> program = cel::CreateProgram(out->env_, rule.cel);
    if (!program.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule ", rule.id, ": ", program.status().message()));
    }
    programs.push_back(std::move(*program));
  }
  out->programs_ = std::make_unique<cel::ProgramSet>(std::move(programs));
  out->results_.resize(out->programs_->size());
  return out;
}

namespace {

// One activation per event binding its four messages; `Events` is any
// sequence with size() and operator[] giving a RuleInput.
template <typename Events>
std::vector<cel::Activation> BindEach(const Events& inputs) {
  std::vector<cel::Activation> activations(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    activations[i].BindMessage("event", &inputs[i].event());
    activations[i].BindMessage("account", &inputs[i].account());
    activations[i].BindMessage("device", &inputs[i].device());
    activations[i].BindMessage("ip", &inputs[i].ip());
  }
  return activations;
}

}  // namespace

void CelRules::PrepareEvents(absl::Span<const RuleInput> inputs) {
  activations_ = BindEach(inputs);
}

void CelRules::PrepareEvents(const ArenaEvents& inputs) { activations_ = BindEach(inputs); }

bool CelRules::Evaluate(size_t event_index, const RuleInput&, uint32_t* counts) {
  const cel::Activation& activation = activations_[event_index];
  absl::Status status = programs_->Evaluate(activation, &arena_, absl::MakeSpan(results_));
  if (!status.ok()) {
    last_error_ = absl::StrCat("event ", event_index, ": ", status.ToString());
    return false;
  }
  bool ok = true;
  for (size_t j = 0; j < results_.size(); ++j) {
    const cel::Value& v = results_[j];
    if (v.IsBool()) {
      counts[j] += v.bool_value() ? 1 : 0;
    } else {
      ok = false;
      last_error_ = absl::StrCat("rule ", j, " on event ", event_index, ": ", v.DebugString());
    }
  }
  if (++evaluations_since_reset_ * results_.size() >= kEvaluationsPerArenaReset) {
    arena_.Reset();
    evaluations_since_reset_ = 0;
  }
  return ok;
}

absl::StatusOr<std::unique_ptr<HandwrittenRules>> HandwrittenRules::Create(
    absl::Span<const Rule> rules) {
  std::unique_ptr<HandwrittenRules> out(new HandwrittenRules());
  for (const Rule& rule : rules) {
    int found = -1;
    for (size_t k = 0; k < kNumWorkloadRules; ++k) {
      if (kWorkloadRules[k].id == rule.id && kWorkloadRules[k].cel == rule.cel) found = static_cast<int>(k);
    }
    if (found < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "handwritten: rule ", rule.id, " is not one of the 24 workload rules this code implements"));
    }
    out->order_.push_back(found);
  }
  return out;
}

bool HandwrittenRules::Evaluate(size_t, const RuleInput& input, uint32_t* counts) {
  for (size_t j = 0; j < order_.size(); ++j) counts[j] += HandRule(order_[j], input) ? 1 : 0;
  return true;
}

}  // namespace bench
}  // namespace pitboss
