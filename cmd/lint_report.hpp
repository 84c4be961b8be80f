// The lint findings as the CLI shows them (docs/lint.md): text grouped by revision, or
// JSON. Shared by `lint`, `check` and `revision --autogenerate`. Internal to cmd/.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmd/output.hpp"
#include "migrations/lint/linter.hpp"
#include "migrations/lint/preflight.hpp"

namespace strata::cli {

struct LintCounts {
    int error = 0, warning = 0, info = 0;  // findings not accepted
    int accepted = 0;
    bool failed = false;  // a finding not accepted at or above --fail-on
};

// One finding as JSON: {"rule", "severity", "revision", "step", "file", "line", "table",
// "column", "message", "fix", "accepted" (the reason, or null), "data_check" (null, or
// {"kind", "table", "columns", "ref_table", "ref_columns", "expression"}), "preflight" (null,
// or {"status", "count", "samples", "note"}: what --preflight found for data_check),
// "row_estimate" (null, or the catalogue's rows of the table of a lock finding)}.
nlohmann::ordered_json finding_json(const lint::Finding& finding);

// The groups as lines of text: per revision a header ("<id> <message> (<file>)", or
// "plan" for a diff), then two lines per finding:
//   "  <file:line>: <severity> [<rule>] step N: <message>"
//   "      fix: <fix>"   or   "      accepted: <reason>"
// and, after a finding whose data check the preflight ran, "      preflight: <status>: ..."
// and a last summary line.
std::vector<std::string> lint_text(const std::vector<lint::RevisionFindings>& groups, const LintCounts& counts);

// The counts over every group, failed judged against `fail_on`.
LintCounts count_findings(const std::vector<lint::RevisionFindings>& groups, lint::Severity fail_on);

// [{"revision", "message", "file", "findings": [...]}, ...]
nlohmann::ordered_json lint_json(const std::vector<lint::RevisionFindings>& groups);
// {"error": n, "warning": n, "info": n, "accepted": n}
nlohmann::ordered_json counts_json(const LintCounts& counts);

// The preflight's options from the command line; Error(usage) for a timeout <= 0.
lint::PreflightOptions preflight_options(double timeout_seconds);
// {"timeout_s", "checks", "passed", "failed", "skipped", "incomplete"}
nlohmann::ordered_json preflight_json(const lint::PreflightSummary& summary, const lint::PreflightOptions& options);
// "preflight: 4 data check(s) on the live database: 2 passed, 1 failed, 1 skipped, 0 incomplete"
std::string preflight_line(const lint::PreflightSummary& summary);

}  // namespace strata::cli
