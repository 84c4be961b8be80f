// strata check [--fresh] [--strict]: the CI gate.
#include <fmt/format.h>

#include <optional>

#include "cmd/commands.hpp"
#include "cmd/lint_report.hpp"
#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/runner.hpp"
#include "orm/create_all.hpp"

namespace strata::cli {

namespace {

// A throwaway database for `check --fresh`: the one the dialect names (SQLite in
// memory; also without a configured URL), or a database strata_check_<random> created
// on the configured server and dropped again.
class ScratchDatabase {
public:
    explicit ScratchDatabase(const Context& ctx) {
        EngineOptions options;
        options.echo = ctx.config.echo;
        Url server = ctx.config.url.empty() ? Url{} : Url::parse(ctx.config.url);
        const Dialect& dialect = ctx.config.url.empty() ? sqlite_dialect() : dialect_named(server.dialect);
        if (auto url = dialect.scratch_database_url(server)) {
            engine_.emplace(create_engine(*url, options));
            description_ = fmt::format("a scratch database at {}", engine_->url().redacted());
            return;
        }
        admin_url_ = server.str();
        std::string name = "strata_check_" + new_revision_id();
        auto admin = create_engine(admin_url_, options).connect();
        admin->execute_unprepared(fmt::format("CREATE DATABASE {}", admin->dialect().quote(name)));
        name_ = name;
        engine_.emplace(create_engine(server.with_database(name).str(), options));
        description_ = fmt::format("a scratch database {} on {}", name, server.with_database(name).redacted());
    }
    ~ScratchDatabase() {
        engine_.reset();  // closes the last connection to it, so that it can be dropped
        if (name_.empty()) return;
        try {
            auto admin = create_engine(admin_url_).connect();
            admin->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}", admin->dialect().quote(name_)));
        } catch (...) {
            // Never throw from a destructor. The database name says what it is, so a
            // leftover can be found and dropped by hand.
        }
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    Engine& engine() { return *engine_; }
    const std::string& description() const noexcept { return description_; }

private:
    std::optional<Engine> engine_;
    std::string admin_url_;
    std::string name_;  // "" for SQLite in memory
    std::string description_;
};

class Report {
public:
    explicit Report(Context& ctx) : ctx_(ctx) { ctx_.out.data()["checks"] = nlohmann::ordered_json::array(); }

    void pass(const std::string& name, const std::string& message) { add(name, message, exit_ok); }
    // A failed check; exit_code 1 (difference / pending) or 4 (refused).
    void fail(const std::string& name, const std::string& message, int exit_code,
              const std::vector<std::string>& details = {}) {
        add(name, message, exit_code, details);
    }
    int exit_code() const noexcept { return worst_; }

private:
    void add(const std::string& name, const std::string& message, int code,
             const std::vector<std::string>& details = {}) {
        ctx_.out.print(fmt::format("{:<4} {}: {}", code == exit_ok ? "ok" : "FAIL", name, message));
        for (const std::string& d : details) ctx_.out.print("       " + d);
        ctx_.out.data()["checks"].push_back(
            {{"name", name}, {"ok", code == exit_ok}, {"message", message}, {"details", details}});
        // Refusal outranks a difference: an edited revision must not read as "just pending".
        if (code == exit_refused || (code == exit_difference && worst_ == exit_ok)) worst_ = code;
    }

    Context& ctx_;
    int worst_ = exit_ok;
};

// What the database holds that strata does not model: a warning per object, and with
// --strict a failed check.
void check_notes(Context& ctx, Report& report, const DiffResult& result, bool strict) {
    report_notes(ctx, result);
    if (result.notes.empty()) return;
    if (strict)
        report.fail("notes",
                    fmt::format("{} note(s) with --strict: strata does not compare or reproduce these objects; "
                                "manage them with `op = \"sql\"` steps, or drop --strict",
                                result.notes.size()),
                    exit_difference, result.notes);
    else
        report.pass("notes", fmt::format("{} note(s), not compared (warnings above; --strict fails on them)",
                                         result.notes.size()));
}

void compare_models(Context& ctx, Report& report, Engine& engine, const std::string& what, bool strict) {
    const Metadata* models = ctx.models();
    Metadata live = reflect(engine);
    if (!models) {
        ctx.out.data()["models_compared"] = false;
        ctx.out.print(fmt::format("skip models: not compared; this `{}` binary has no models (run your own program "
                                  "built with strata::cli::run)",
                                  ctx.app.name));
        // No models to compare with, but what is not modelled is still named: the schema
        // against itself has no operations, only those notes.
        check_notes(ctx, report, diff(live, live), strict);
        return;
    }
    DiffOptions options;
    options.dialect = &engine.dialect();
    DiffResult result = diff_models(live, *models, engine, options);
    ctx.out.data()["models_compared"] = true;
    ctx.out.data()["differences"] = operations_json(result.operations);
    if (result.empty()) {
        report.pass("models", fmt::format("the models match {}", what));
    } else {
        std::vector<std::string> lines;
        for (const Operation& op : result.operations) lines.push_back(describe(op));
        report.fail("models",
                    fmt::format("{} differs from the models in {} way(s); to make it match:", what, lines.size()),
                    exit_difference, lines);
    }
    check_notes(ctx, report, result, strict);
}

// The lint findings of the pending revisions (docs/lint.md): an error finding not
// accepted with lint_ok fails the check (exit 1); warnings are listed.
void lint_pending(Context& ctx, Report& report, Engine& engine, const RevisionGraph& graph,
                  const std::vector<std::string>& pending) {
    if (pending.empty()) return;
    const lint::LintTarget target{&engine.dialect(), ServerVersion::parse(engine.connection().server_version())};
    const auto groups = lint::lint_revisions(graph, pending, target);
    const LintCounts counts = count_findings(groups, lint::Severity::error);
    ctx.out.data()["lint"] = {{"revisions", lint_json(groups)}, {"counts", counts_json(counts)}};
    std::vector<std::string> lines = lint_text(groups, counts);
    if (counts.failed)
        report.fail("lint",
                    fmt::format("{} error finding(s) in the pending revisions; make them safer, or accept each with "
                                "lint_ok = {{ rule = \"reason\" }} on its step",
                                counts.error),
                    exit_difference, lines);
    else
        report.pass("lint", lines.back());
}

}  // namespace

int run_check(Context& ctx, const CheckOptions& options) {
    Report report(ctx);
    RevisionGraph graph = ctx.load_graph();
    report.pass("files", fmt::format("{} revision file(s) in {} are valid", graph.size(), ctx.config.migrations_dir));

    std::vector<std::string> heads = graph.heads();
    ctx.out.data()["heads"] = heads;
    if (heads.size() > 1)
        report.fail("heads", fmt::format("{} heads ({}); join them with `strata merge -m MSG`", heads.size(),
                                         fmt::join(heads, ", ")),
                    exit_refused);
    else
        report.pass("heads", heads.empty() ? std::string("no revisions yet") : fmt::format("one head ({})", heads[0]));

    if (options.fresh) {
        ScratchDatabase scratch(ctx);
        {
            Runner runner(scratch.engine(), graph);
            RunOptions run;
            run.allow_destructive = true;  // a scratch database has no data to lose
            run.functions = data_fixes(ctx.app);
            run.lock_timeout = lock_timeout(ctx.config, options.lock_timeout);
            try {
                if (!graph.empty()) runner.upgrade("heads", run);
            } catch (const Error& e) {
                throw wrap_error(e, fmt::format("the revisions do not apply to an empty database ({})",
                                                scratch.description()));
            }
            report.pass("fresh", fmt::format("all {} revision(s) apply to {}", graph.size(), scratch.description()));
            compare_models(ctx, report, scratch.engine(), "the schema the revisions build", options.strict);
        }
    } else {
        Runner runner(ctx.engine_for_reading(), graph);
        DatabaseStatus status = runner.status();
        ctx.out.data()["pending"] = status.pending;
        ctx.out.data()["current_heads"] = status.current_heads;
        if (status.edited.empty()) {
            report.pass("checksums", "no applied revision was edited");
        } else {
            std::vector<std::string> lines;
            for (const ChecksumMismatch& m : status.edited)
                lines.push_back(fmt::format("{} ({}): recorded {}, file now {}", m.revision, m.file, m.recorded,
                                            m.actual));
            report.fail("checksums",
                        fmt::format("{} applied revision(s) were edited after they ran; restore the files, or "
                                    "downgrade before editing",
                                    lines.size()),
                        exit_refused, lines);
        }
        if (!status.unknown.empty())
            report.fail("unknown",
                        fmt::format("the database has revision(s) that no file defines: {} (wrong --dir?)",
                                    fmt::join(status.unknown, ", ")),
                        exit_difference);
        std::vector<std::string> incomplete;
        for (const AppliedRevision* row : status.incomplete())
            incomplete.push_back(fmt::format("{} is {} ({} of {} statements){}", row->revision,
                                             row->state == RevisionState::partial ? "partially applied"
                                                                                  : "partly reverted",
                                             row->statements_applied, row->statements_total,
                                             row->failed_sql.empty() ? "" : "; failed: " + row->failed_sql));
        if (!incomplete.empty())
            report.fail("partial", "a migration stopped midway; finish it with `strata upgrade` or `strata downgrade`",
                        exit_difference, incomplete);
        if (status.pending.empty())
            report.pass("database", status.current_heads.empty()
                                        ? std::string("nothing to apply")
                                        : fmt::format("at head ({})", fmt::join(status.current_heads, ", ")));
        else
            report.fail("database",
                        fmt::format("{} revision(s) pending: {}; run `strata upgrade`", status.pending.size(),
                                    fmt::join(status.pending, ", ")),
                        exit_difference);
        lint_pending(ctx, report, runner.engine(), graph, status.pending);
        compare_models(ctx, report, runner.engine(), "the database", options.strict);
    }

    int code = report.exit_code();
    ctx.out.data()["passed"] = code == exit_ok;
    ctx.out.print(code == exit_ok ? "check passed" : "check FAILED");
    return code;
}

}  // namespace strata::cli
