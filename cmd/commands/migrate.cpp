// strata upgrade [TARGET] [--preflight] | downgrade TARGET | stamp TARGET
#include <fmt/format.h>

#include <chrono>

#include "cmd/commands.hpp"
#include "cmd/lint_report.hpp"
#include "core/error.hpp"
#include "migrations/lint/preflight.hpp"
#include "migrations/runner.hpp"

namespace strata::cli {

namespace {

std::string short_id(const Revision* rev) { return rev ? rev->id : std::string("?"); }

// "1b7e2d0a9c33 -> 3f2a9c1b7e04" for an upgrade, the other way round for a downgrade.
std::string arrow(const Revision& rev, Direction direction) {
    std::string parents =
        rev.down_revisions.empty() ? std::string("<base>") : fmt::format("{}", fmt::join(rev.down_revisions, ", "));
    return direction == Direction::upgrade ? fmt::format("{} -> {}", parents, rev.id)
                                           : fmt::format("{} -> {}", rev.id, parents);
}

// Prints each revision as it runs and collects the JSON list, so that a failure still
// reports what ran before it.
ProgressSink progress_printer(Context& ctx, bool group) {
    ctx.out.data()["revisions"] = nlohmann::ordered_json::array();
    ctx.out.data()["notes"] = nlohmann::ordered_json::array();
    return [&ctx, group](const ProgressEvent& e) {
        using K = ProgressEvent::Kind;
        const char* verb = e.direction == Direction::upgrade ? "upgrade" : "downgrade";
        switch (e.kind) {
            case K::lock_acquired:
                break;
            case K::note:
                ctx.out.progress("note: " + e.sql);
                ctx.out.data()["notes"].push_back(e.sql);
                break;
            case K::revision_started:
                ctx.out.progress(fmt::format("[{}/{}] {}{} {}, {}", e.index, e.count, verb,
                                             e.resumed ? " (resuming)" : "", arrow(*e.revision, e.direction),
                                             e.revision->message));
                break;
            case K::statement_done:
                break;
            case K::revision_finished:
            case K::revision_skipped: {
                bool skipped = e.kind == K::revision_skipped;
                if (skipped)
                    ctx.out.progress(fmt::format("      skipped: another process did it meanwhile"));
                else
                    ctx.out.progress(fmt::format("      done in {} ({} statements{})",
                                                 format_duration(static_cast<double>(e.elapsed.count()) / 1000.0),
                                                 e.statements_total, group ? "; commits with the run" : ""));
                ctx.out.data()["revisions"].push_back({{"revision", short_id(e.revision)},
                                                       {"message", e.revision ? e.revision->message : ""},
                                                       {"direction", verb},
                                                       {"duration_ms", e.elapsed.count()},
                                                       {"statements", e.statements_total},
                                                       {"resumed", e.resumed},
                                                       {"skipped", skipped}});
                break;
            }
        }
    };
}

// --group / --no-group, else `group` in strata.toml, else off.
bool grouped(const Context& ctx, const MigrateOptions& options) {
    return options.group.value_or(ctx.config.group.value_or(false));
}

// `upgrade --preflight`: under the lock, before anything runs, the data checks of the
// revisions about to run (docs/lint.md "Preflight"). Prints the preflight's findings
// (a failed, incomplete or skipped check), records them in JSON, and refuses with
// Error(refused) when a check failed and its step does not accept it with lint_ok.
void preflight(Context& ctx, const RevisionGraph& graph, const MigrateOptions& options, Connection& conn,
               const std::vector<const Revision*>& revisions) {
    const lint::PreflightOptions preflight_opts = preflight_options(options.preflight_timeout);
    std::vector<std::string> ids;
    for (const Revision* r : revisions) ids.push_back(r->id);
    const lint::LintTarget target{&conn.dialect(), ServerVersion::parse(conn.server_version())};
    std::vector<lint::RevisionFindings> groups = lint::lint_revisions(graph, ids, target);
    std::vector<const std::vector<Step>*> steps;
    for (const lint::RevisionFindings& group : groups) steps.push_back(&group.revision->upgrade);
    const lint::PreflightSummary summary = lint::run_preflight(groups, steps, conn, target.version, preflight_opts);
    // Only what the preflight found is shown: the static findings are `strata lint`'s.
    for (lint::RevisionFindings& group : groups)
        std::erase_if(group.findings, [](const lint::Finding& f) { return f.rule.rfind("preflight-", 0) != 0; });
    const LintCounts counts = count_findings(groups, lint::Severity::error);
    nlohmann::ordered_json doc = preflight_json(summary, preflight_opts);
    doc["revisions"] = lint_json(groups);
    doc["counts"] = counts_json(counts);
    ctx.out.data()["preflight"] = doc;
    std::vector<std::string> lines = lint_text(groups, counts);
    lines.pop_back();  // the counts line: the summary says it
    for (const std::string& line : lines) ctx.out.progress(line);
    ctx.out.progress(preflight_line(summary));
    if (!lint::preflight_refuses(groups)) return;
    throw Error(ErrorKind::refused,
                fmt::format("preflight: {} check(s) failed on the data already in the database; nothing was applied. "
                            "Fix the rows (see the findings above), or accept a finding on purpose with lint_ok = "
                            "{{ <rule> = \"<reason>\" }} on its step",
                            counts.error));
}

// The run options every command that takes the migration lock shares.
RunOptions locked_run_options(Context& ctx, const MigrateOptions& options) {
    RunOptions run;
    run.lock_timeout = lock_timeout(ctx.config, options.lock_timeout);
    run.engine_unchecked = options.engine_unchecked;
    run.lease_ttl = std::chrono::milliseconds(static_cast<std::int64_t>(options.lease_ttl * 1000));
    return run;
}

RunOptions run_options(Context& ctx, const MigrateOptions& options) {
    RunOptions run = locked_run_options(ctx, options);
    run.allow_destructive = options.allow_destructive;
    run.functions = data_fixes(ctx.app);
    run.group = grouped(ctx, options);
    run.progress = progress_printer(ctx, run.group);
    return run;
}

void report_run(Context& ctx, const RunResult& result, Direction direction, bool group) {
    std::size_t ran = result.ran();
    std::string heads = result.heads.empty() ? std::string("<base>") : fmt::format("{}", fmt::join(result.heads, ", "));
    if (ran == 0)
        ctx.out.print(fmt::format("Nothing to do; the database is at {}.", heads));
    else
        ctx.out.print(fmt::format("{} {} revision(s){} in {}; the database is at {}.",
                                  direction == Direction::upgrade ? "Applied" : "Reverted", ran,
                                  group ? " in one transaction" : "",
                                  format_duration(static_cast<double>(result.total.count()) / 1000.0), heads));
    ctx.out.data()["ran"] = ran;
    ctx.out.data()["total_ms"] = result.total.count();
    ctx.out.data()["group"] = group;
    ctx.out.data()["heads"] = result.heads;
}

std::string script(Context& ctx, Runner& runner, Direction direction, const MigrateOptions& options) {
    ScriptOptions script_options;
    script_options.from_database = !options.offline;
    script_options.allow_destructive = options.allow_destructive;
    script_options.group = grouped(ctx, options);
    return direction == Direction::upgrade ? runner.upgrade_sql(options.target, script_options)
                                           : runner.downgrade_sql(options.target, script_options);
}

int migrate(Context& ctx, const MigrateOptions& options, Direction direction) {
    if (options.offline && !options.sql) throw Error(ErrorKind::usage, "--offline only applies with --sql");
    if (options.preflight && options.sql)
        throw Error(ErrorKind::usage, "--preflight runs before a live upgrade: it does not apply with --sql");
    if (options.preflight) preflight_options(options.preflight_timeout);  // a bad timeout fails before the lock
    Runner runner(ctx.engine(), ctx.load_graph());
    if (options.sql) {
        std::string text;
        try {
            text = script(ctx, runner, direction, options);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::connection && e.kind() != ErrorKind::authentication &&
                e.kind() != ErrorKind::missing_database)
                throw;
            // --sql reads the database to know where it stands; say how to do without.
            throw wrap_error(e, "--sql reads the version table and schema of the database (pass --offline to write "
                                "the script from an empty database without connecting)");
        }
        ctx.out.data()["sql"] = text;
        ctx.out.print(text);
        return exit_ok;
    }
    RunOptions run = run_options(ctx, options);
    if (options.preflight) {
        if (direction != Direction::upgrade) throw Error(ErrorKind::usage, "--preflight only applies to upgrade");
        run.before_run = [&ctx, &runner, &options](Connection& conn, const std::vector<const Revision*>& revisions) {
            preflight(ctx, runner.graph(), options, conn, revisions);
        };
    }
    RunResult result = direction == Direction::upgrade ? runner.upgrade(options.target, run)
                                                       : runner.downgrade(options.target, run);
    report_run(ctx, result, direction, run.group);
    return exit_ok;
}

}  // namespace

int run_upgrade(Context& ctx, const MigrateOptions& options) {
    MigrateOptions o = options;
    if (o.target.empty()) o.target = "head";
    return migrate(ctx, o, Direction::upgrade);
}

int run_downgrade(Context& ctx, const MigrateOptions& options) { return migrate(ctx, options, Direction::downgrade); }

int run_stamp(Context& ctx, const MigrateOptions& options) {
    Runner runner(ctx.engine(), ctx.load_graph());
    RunOptions run = locked_run_options(ctx, options);
    StampResult result = runner.stamp(options.target, run);
    for (const std::string& id : result.added) ctx.out.print(fmt::format("stamped {} as applied", id));
    for (const std::string& id : result.removed) ctx.out.print(fmt::format("removed {} from the version table", id));
    std::string heads = result.heads.empty() ? std::string("<base>") : fmt::format("{}", fmt::join(result.heads, ", "));
    if (result.added.empty() && result.removed.empty())
        ctx.out.print(fmt::format("Nothing to stamp; the database is at {}.", heads));
    else
        ctx.out.print(fmt::format("The version table now says {}; no migration was run.", heads));
    ctx.out.data()["added"] = result.added;
    ctx.out.data()["removed"] = result.removed;
    ctx.out.data()["heads"] = result.heads;
    return exit_ok;
}

}  // namespace strata::cli
