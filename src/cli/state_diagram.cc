// DOT and Mermaid renderings of a state machine (see state_diagram.h).
#include "src/cli/state_diagram.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace pitboss {
namespace cli {
namespace {

std::string Label(const StateTransition& t) {
  if (t.balance_effect.empty() || t.balance_effect == "none") return t.trigger;
  return absl::StrCat(t.trigger, " (", t.balance_effect, ")");
}

// A DOT double-quoted string body.
std::string DotEscape(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

// Mermaid transition text: ';' ends a statement and ':' separates the label,
// '#' starts an entity; all three are written as entity codes.
std::string MermaidEscape(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"#", "#35;"}, {";", "#59;"}, {":", "#58;"}, {"\n", " "}});
}

bool IsFinal(const StateMachine& machine, const std::string& state) {
  for (const std::string& s : machine.final_states) {
    if (s == state) return true;
  }
  return false;
}

std::string Header(const StateMachine& machine, absl::string_view comment,
                   absl::string_view format) {
  return absl::StrCat(comment, " The ", machine.name,
                      " state machine, generated from its transition table by\n", comment,
                      " `pitboss explain --machine ", machine.name, " --format ", format,
                      "` (scripts/update-diagrams). Do not edit.\n");
}

}  // namespace

std::string RenderDot(const StateMachine& machine) {
  std::string out = Header(machine, "//", "dot");
  absl::StrAppend(&out, "digraph ", machine.name, " {\n");
  out +=
      "  rankdir=LR;\n"
      "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=9];\n"
      "  new [shape=point, width=0.15, label=\"\"];\n";
  for (const std::string& state : machine.states) {
    absl::StrAppend(&out, "  ", state, IsFinal(machine, state) ? " [peripheries=2]" : "",
                    ";\n");
  }
  for (const StateTransition& t : machine.transitions) {
    absl::StrAppend(&out, "  ", t.from.empty() ? "new" : t.from, " -> ", t.to, " [label=\"",
                    DotEscape(Label(t)), "\"];\n");
  }
  out += "}\n";
  return out;
}

std::string RenderMermaid(const StateMachine& machine) {
  std::string out = Header(machine, "%%", "mermaid");
  out += "stateDiagram-v2\n  direction LR\n";
  for (const StateTransition& t : machine.transitions) {
    absl::StrAppend(&out, "  ", t.from.empty() ? "[*]" : t.from, " --> ", t.to, ": ",
                    MermaidEscape(Label(t)), "\n");
  }
  for (const std::string& state : machine.final_states) {
    absl::StrAppend(&out, "  ", state, " --> [*]\n");
  }
  return out;
}

}  // namespace cli
}  // namespace pitboss
