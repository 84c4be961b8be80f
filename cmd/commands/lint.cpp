// strata lint [--all | FROM..TO | --diff FROM TO] [--offline] [--fail-on LEVEL]
// (docs/lint.md): the risk findings of revisions (by default those pending on the
// database) or of a diff, for the database's dialect and server version.
#include <fmt/format.h>

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

int report(Context& ctx, const std::vector<lint::RevisionFindings>& groups, const lint::LintTarget& target,
           bool offline, lint::Severity fail_on) {
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
    ctx.out.data()["failed"] = counts.failed;
    ctx.out.print(fmt::format("lint: {} revision(s) for {} {}{}", groups.size(), target.dialect->name(),
                              version.text.empty() ? "(any version)" : version.text,
                              target.version.text.empty() && !version.text.empty() ? " (assumed)" : ""));
    for (const std::string& line : lint_text(groups, counts)) ctx.out.print(line);
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
    lint::RevisionFindings group{nullptr, lint::lint_steps(steps, d.from_schema, target)};
    return report(ctx, {group}, target, false, fail_on);
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
    if (!options.diff.empty()) {
        if (options.offline) throw Error(ErrorKind::usage, "--diff reads both sides: it cannot run --offline");
        return lint_diff(ctx, options, *fail_on);
    }

    RevisionGraph graph = ctx.load_graph();
    const std::string& url = ctx.config.require_url();
    lint::LintTarget target{&dialect_named(Url::parse(url).dialect), ServerVersion::parse(options.server_version)};
    std::vector<std::string> ids;
    bool offline = options.offline;
    if (!offline) {
        try {
            Engine engine = ctx.engine_for_reading();
            if (options.server_version.empty())
                target.version = ServerVersion::parse(engine.connection().server_version());
            if (!options.all && options.range.empty()) ids = Runner(engine, graph).status().pending;
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::connection) throw;
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
    return report(ctx, lint::lint_revisions(graph, ids, target), target, offline, *fail_on);
}

}  // namespace strata::cli
