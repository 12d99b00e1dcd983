// Diagrams of the payment state machines (`pitboss explain`), generated from
// the transition tables the engine enforces (include/pitboss/state_machines.h)
// so the documentation cannot drift from the code: Graphviz DOT (rendered to
// the SVGs in docs/diagrams/) and Mermaid stateDiagram-v2 (rendered by GitHub
// and most Markdown viewers).
//
// The output is a pure function of the table: same table, same bytes, which
// is what the docs/diagrams staleness test compares.
#ifndef PITBOSS_SRC_CLI_STATE_DIAGRAM_H_
#define PITBOSS_SRC_CLI_STATE_DIAGRAM_H_

#include <string>

#include "pitboss/state_machines.h"

namespace pitboss {
namespace cli {

// Edges are labelled with the trigger and, when money moves, the balance
// effect in parentheses; final states are drawn with a double border. The start point is
// "new" (the move that creates the payment).
std::string RenderDot(const StateMachine& machine);

// stateDiagram-v2: [*] --> the creating move, final states --> [*].
std::string RenderMermaid(const StateMachine& machine);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_STATE_DIAGRAM_H_
