// The plan linter (docs/lint.md): every step of a revision (or of a diff not yet
// written as one) judged by the rule catalogue for one database and server version,
// from the plan's meaning (operations as data, the schema before each step, the
// dialect's Capabilities and online-DDL answers), never from SQL text.
//
// Pure: no I/O, no connection. Deterministic: findings come in step order, then rule
// family order. Thread-safe for distinct arguments. Throws only Error(internal) (a rule
// naming an id missing from the catalogue).
#pragma once

#include <string>
#include <vector>

#include "dialects/dialect.hpp"
#include "migrations/lint/finding.hpp"
#include "migrations/revision_graph.hpp"

namespace strata::lint {

// The database a plan is judged for. `version` with an empty text is unknown: the
// dialect's assumed_server_version() is used.
struct LintTarget {
    const Dialect* dialect = nullptr;  // not owned; required
    ServerVersion version;
};

// The findings of one revision.
struct RevisionFindings {
    const Revision* revision = nullptr;  // points into the graph given to lint_revisions
    std::vector<Finding> findings;
};

// Lints `steps` (one revision's upgrade, or a diff's operations as steps) starting from
// `schema`, the schema before the first step, which is advanced past every step
// (strata::apply; a step that does not fit the schema leaves it unchanged, as the
// runner would stop there). Each finding gets `revision`, its 1-based step number,
// `file` and the step's line. A step's lint_ok marks its findings of that rule accepted;
// a lint_ok that matches no finding of the step is itself a finding (unused-lint-ok).
std::vector<Finding> lint_steps(const std::vector<Step>& steps, Metadata& schema, const LintTarget& target,
                                const std::string& revision = "", const std::string& file = "");

// Lints the revisions `ids` of `graph` (any order; reported in the graph's order), each
// from the schema its ancestors build from an empty database. Throws Error(input) for
// an id the graph does not know.
std::vector<RevisionFindings> lint_revisions(const RevisionGraph& graph, const std::vector<std::string>& ids,
                                             const LintTarget& target);

// True when a finding that is not accepted is at or above `fail_on`.
bool fails(const std::vector<Finding>& findings, Severity fail_on) noexcept;

}  // namespace strata::lint
