#include "migrations/lint/linter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "migrations/lint/rule_catalogue.hpp"
#include "migrations/lint/rule_families.hpp"
#include "migrations/schema_edit.hpp"

namespace strata::lint {

namespace {

// Applies `operation`; one that does not fit the schema (a hand-written step the
// runner would refuse) leaves it unchanged, so the following steps are still judged.
void advance(Metadata& schema, const Operation& operation) {
    try {
        strata::apply(schema, operation);
    } catch (const Error&) {
    }
}

void run_rules(const StepContext& context, FindingSink& sink) {
    destructive_rules(context, sink);
    compatibility_rules(context, sink);
    data_rules(context, sink);
    lock_rules(context, sink);
    algorithm_rules(context, sink);
    naming_rules(context, sink);
    hygiene_rules(context, sink);
    escape_rules(context, sink);
}

// Marks the findings a step's lint_ok accepts; each lint_ok entry that accepts none is
// reported, so an acceptance never outlives the risk it was written for unnoticed.
void apply_lint_ok(const Step& step, FindingSink& sink) {
    std::vector<Finding>& findings = sink.findings();
    for (Finding& f : findings) {
        auto it = step.lint_ok.find(f.rule);
        if (it != step.lint_ok.end()) f.accepted = it->second;
    }
    for (const auto& [rule, reason] : step.lint_ok) {
        const bool used = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; });
        if (used) continue;
        const RuleInfo* info = find_rule(rule);
        // Preflight rules are judged by the preflight alone, from the live data.
        if (info && info->family == "preflight") continue;
        // A known rule may find something on another database (the file serves them
        // all): info. A name no rule has is a typo that accepts nothing: warning.
        const bool known = info != nullptr;
        sink.add({"unused-lint-ok", "", "",
                  known ? fmt::format("lint_ok accepts {}, which finds nothing on this step for this database", rule)
                        : fmt::format("lint_ok names {}, which is not a lint rule", rule),
                  known ? "keep it if the finding applies on another database, else remove it"
                        : "fix the rule id (docs/lint.md lists them) or remove the entry",
                  std::nullopt, known ? Severity::info : Severity::warning});
    }
}

void track_new_tables(const Operation& op, std::set<std::string>& new_tables) {
    if (auto* o = std::get_if<op::CreateTable>(&op)) {
        new_tables.insert(o->table.name);
    } else if (auto* o = std::get_if<op::RenameTable>(&op)) {
        if (new_tables.erase(o->from) > 0) new_tables.insert(o->to);
    } else if (auto* o = std::get_if<op::DropTable>(&op)) {
        new_tables.erase(o->table.name);
    }
}

}  // namespace

std::vector<Finding> lint_steps(const std::vector<Step>& steps, Metadata& schema, const LintTarget& target,
                                const std::string& revision, const std::string& file) {
    if (!target.dialect) throw Error(ErrorKind::internal, "lint_steps: no dialect");
    const Dialect& dialect = *target.dialect;
    const ServerVersion version =
        target.version.text.empty() ? dialect.assumed_server_version() : target.version;
    const OnlineDdl online = dialect.online_ddl(version);

    Metadata after = schema;
    for (const Step& step : steps) advance(after, step.operation);

    std::vector<Finding> out;
    std::set<std::string> new_tables;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Step& step = steps[i];
        const StepContext context{step.operation, schema, after, new_tables, dialect, version, online};
        FindingSink sink;
        run_rules(context, sink);
        apply_lint_ok(step, sink);
        for (Finding& f : sink.findings()) {
            f.revision = revision;
            f.step = static_cast<int>(i + 1);
            f.file = file;
            f.line = step.line;
            out.push_back(std::move(f));
        }
        track_new_tables(step.operation, new_tables);
        advance(schema, step.operation);
    }
    return out;
}

std::vector<RevisionFindings> lint_revisions(const RevisionGraph& graph, const std::vector<std::string>& ids,
                                             const LintTarget& target) {
    std::set<std::string> wanted;
    for (const std::string& id : ids) wanted.insert(graph.resolve(id));

    // The schema after each revision, built in the graph's order (parents first) and
    // kept only while a later revision may start from it.
    std::map<std::string, Metadata, std::less<>> after;
    std::vector<RevisionFindings> out;
    std::size_t remaining = wanted.size();
    for (const Revision& revision : graph.revisions()) {
        if (remaining == 0) break;
        Metadata schema;
        if (revision.down_revisions.size() == 1) {
            schema = after.at(revision.down_revisions.front());
        } else if (revision.is_merge()) {
            // A merge starts from everything its branches built: its ancestors replayed.
            for (const Revision* ancestor : graph.lineage(revision.id))
                if (ancestor != &revision)
                    for (const Step& s : ancestor->upgrade) advance(schema, s.operation);
        }
        if (wanted.count(revision.id)) {
            Metadata copy = schema;
            out.push_back({&revision, lint_steps(revision.upgrade, copy, target, revision.id, revision.path)});
            --remaining;
        }
        for (const Step& s : revision.upgrade) advance(schema, s.operation);
        after.emplace(revision.id, std::move(schema));
    }
    return out;
}

bool fails(const std::vector<Finding>& findings, Severity fail_on) noexcept {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return !f.accepted && f.severity >= fail_on; });
}

}  // namespace strata::lint
