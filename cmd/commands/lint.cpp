// strata lint [--all | FROM..TO | --diff FROM TO] [--offline] [--fail-on LEVEL] [--preflight]
// (docs/lint.md): the risk findings of revisions (by default those pending on the
// database) or of a diff, for the database's dialect and server version; with
// --preflight also what the live data says about the data-dependent ones.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "cmd/commands.hpp"
#include "cmd/lint_report.hpp"
#include "core/error.hpp"
#include "dialects/url.hpp"
#include "migrations/lint/linter.hpp"
#include "migrations/runner.hpp"

namespace strata::cli {

namespace {

// The revisions a range names: what `upgrade TO` would apply with FROM and its
// ancestors applied. FROM empty or "base": from nothing; TO empty: every head.
std::vector<std::string> range_ids(const RevisionGraph& graph, const std::string& range) {
    const auto dots = range.find("..");
    if (dots == std::string::npos)
        throw Error(ErrorKind::usage, fmt::format("bad range '{}': write FROM..TO (e.g. base..head, 1b7e..3f2a)", range));
    const std::string from = range.substr(0, dots);
    const std::string to = range.substr(dots + 2);
    std::set<std::string> applied;
    if (!from.empty() && from != "base")
        for (const Revision* r : graph.lineage(from)) applied.insert(r->id);
    std::vector<std::string> ids;
    for (const Revision* r : graph.upgrade_path(applied, to.empty() ? "heads" : to)) ids.push_back(r->id);
    return ids;
}

std::vector<std::string> all_ids(const RevisionGraph& graph) {
    std::vector<std::string> ids;
    for (const Revision& r : graph.revisions()) ids.push_back(r.id);
    return ids;
}

// The preflight that ran, for the report.
struct PreflightRun {
    lint::PreflightSummary summary;
    lint::PreflightOptions options;
};

// Runs the preflight of `groups` (whose steps are `steps`) on `engine`'s database.
PreflightRun preflight(Engine& engine, std::vector<lint::RevisionFindings>& groups,
                       const std::vector<const std::vector<Step>*>& steps, const LintOptions& options) {
    PreflightRun run{{}, preflight_options(options.preflight_timeout)};
    Connection& conn = engine.connection();
    run.summary = lint::run_preflight(groups, steps, conn, ServerVersion::parse(conn.server_version()), run.options);
    return run;
}

int report(Context& ctx, const std::vector<lint::RevisionFindings>& groups, const lint::LintTarget& target,
           bool offline, lint::Severity fail_on, const std::optional<PreflightRun>& preflight_run = std::nullopt) {
    const LintCounts counts = count_findings(groups, fail_on);
    const ServerVersion version =
        target.version.text.empty() ? target.dialect->assumed_server_version() : target.version;
    ctx.out.data()["dialect"] = std::string(target.dialect->name());
    ctx.out.data()["server_version"] = version.text;
    ctx.out.data()["version_assumed"] = target.version.text.empty();
    ctx.out.data()["offline"] = offline;
    ctx.out.data()["fail_on"] = lint::severity_name(fail_on);
    ctx.out.data()["revisions"] = lint_json(groups);
    ctx.out.data()["counts"] = counts_json(counts);
    ctx.out.data()["preflight"] = preflight_run ? preflight_json(preflight_run->summary, preflight_run->options)
                                                : nlohmann::ordered_json(nullptr);
    ctx.out.data()["failed"] = counts.failed;
    ctx.out.print(fmt::format("lint: {} revision(s) for {} {}{}", groups.size(), target.dialect->name(),
                              version.text.empty() ? "(any version)" : version.text,
                              target.version.text.empty() && !version.text.empty() ? " (assumed)" : ""));
    for (const std::string& line : lint_text(groups, counts)) ctx.out.print(line);
    if (preflight_run) ctx.out.print(preflight_line(preflight_run->summary));
    return counts.failed ? exit_difference : exit_ok;
}

int lint_diff(Context& ctx, const LintOptions& options, lint::Severity fail_on) {
    ComputedDiff d = compute_diff(ctx, options.diff[0], options.diff[1], options.renames);
    lint::LintTarget target{d.dialect, ServerVersion::parse(options.server_version)};
    if (options.server_version.empty()) {
        Engine& engine = d.from_engine ? *d.from_engine : *d.to_engine;
        target.version = ServerVersion::parse(engine.connection().server_version());
    }
    std::vector<Step> steps;
    for (const Operation& op : d.result.operations) steps.push_back(Step{op});
    std::vector<lint::RevisionFindings> groups{{nullptr, lint::lint_steps(steps, d.from_schema, target)}};
    if (!options.preflight) return report(ctx, groups, target, false, fail_on);
    // The diff turns FROM into TO: FROM holds the rows the steps meet.
    if (!d.from_engine) throw Error(ErrorKind::usage, "--preflight reads the data of FROM: give a database URL as FROM");
    std::optional<PreflightRun> run = preflight(*d.from_engine, groups, {&steps}, options);
    return report(ctx, groups, target, false, fail_on, run);
}

}  // namespace

int run_lint(Context& ctx, const LintOptions& options) {
    const auto fail_on = lint::parse_severity(options.fail_on);
    if (!fail_on)
        throw Error(ErrorKind::usage, fmt::format("bad --fail-on '{}': use error, warning or info", options.fail_on));
    const int selections = (options.all ? 1 : 0) + (options.range.empty() ? 0 : 1) + (options.diff.empty() ? 0 : 1);
    if (selections > 1) throw Error(ErrorKind::usage, "give one of --all, FROM..TO and --diff FROM TO");
    if (!options.renames.empty() && options.diff.empty())
        throw Error(ErrorKind::usage, "--rename only applies with --diff");
    if (options.preflight && options.offline)
        throw Error(ErrorKind::usage, "--preflight reads the live database: it cannot run --offline; drop one of them");
    if (!options.diff.empty()) {
        if (options.offline) throw Error(ErrorKind::usage, "--diff reads both sides: it cannot run --offline");
        return lint_diff(ctx, options, *fail_on);
    }

    RevisionGraph graph = ctx.load_graph();
    const std::string& url = ctx.config.require_url();
    lint::LintTarget target{&dialect_named(Url::parse(url).dialect), ServerVersion::parse(options.server_version)};
    std::vector<std::string> ids;
    bool offline = options.offline;
    std::optional<Engine> engine;
    if (!offline) {
        try {
            engine.emplace(ctx.engine_for_reading());
            if (options.server_version.empty())
                target.version = ServerVersion::parse(engine->connection().server_version());
            if (!options.all && options.range.empty()) ids = Runner(*engine, graph).status().pending;
        } catch (const Error& e) {
            // The preflight needs the data: no offline fallback for it.
            if (e.kind() != ErrorKind::connection || options.preflight) throw;
            // As --offline: what the file says, for the URL's dialect (design.md §5).
            ctx.out.warn(fmt::format("cannot reach the database ({}); linting offline", bare_message(e)));
            offline = true;
        }
    }
    if (options.all) ids = all_ids(graph);
    else if (!options.range.empty()) ids = range_ids(graph, options.range);
    else if (offline) {
        ctx.out.warn("offline, the pending revisions are unknown: linting every revision");
        ids = all_ids(graph);
    }
    std::vector<lint::RevisionFindings> groups = lint::lint_revisions(graph, ids, target);
    if (!options.preflight) return report(ctx, groups, target, offline, *fail_on);
    // Only revisions still pending are a plan the live data will meet: an applied one
    // (--all, a range) already ran, and its tables are no longer new.
    const std::vector<std::string> pending = Runner(*engine, graph).status().pending;
    std::vector<lint::RevisionFindings> plan;
    std::vector<const std::vector<Step>*> steps;
    for (lint::RevisionFindings& group : groups) {
        if (std::find(pending.begin(), pending.end(), group.revision->id) == pending.end()) continue;
        plan.push_back(std::move(group));
        steps.push_back(&plan.back().revision->upgrade);
    }
    std::optional<PreflightRun> run = preflight(*engine, plan, steps, options);
    for (lint::RevisionFindings& group : groups)
        for (lint::RevisionFindings& checked : plan)
            if (checked.revision == group.revision) group = std::move(checked);
    return report(ctx, groups, target, offline, *fail_on, run);
}

}  // namespace strata::cli
