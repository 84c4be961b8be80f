// strata revision -m MSG [--autogenerate [--against URL] [--concurrent-indexes] [--not-valid-constraints]]
//                 [--rename SPEC ...]
// strata merge -m MSG
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "cmd/commands.hpp"
#include "cmd/lint_report.hpp"
#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/runner.hpp"
#include "migrations/safer_operations.hpp"
#include "orm/create_all.hpp"

namespace strata::cli {

namespace fs = std::filesystem;

namespace {

// Appended to a revision written without steps: the file format is easy to get wrong
// the first time (`upgrade = []` and [[upgrade]] tables cannot both be present).
constexpr const char* empty_revision_help = R"(
# Add steps by replacing `upgrade = []` (and `downgrade = []`) with tables, e.g.:
#
# [[upgrade]]
# op = "add_column"
# table = "users"
# column = { name = "email", type = "string", length = 255, nullable = true }
#
# [[downgrade]]
# op = "drop_column"
# table = "users"
# column = "email"
#
# Raw SQL: op = "sql", sql = "..." (or per dialect: sqlite = "...", postgresql = "...",
# mysql = "..."). A data fix in C++: op = "call", function = "name". Without a
# downgrade key at all, the revision is irreversible.
)";

std::string unused_revision_id(const RevisionGraph& graph) {
    std::string id = new_revision_id();
    while (graph.find(id)) id = new_revision_id();
    return id;
}

std::string now_created() { return format_created(std::chrono::system_clock::now()); }

// Writes `revision` into the migrations folder (created when missing); returns the path.
std::string write_new_revision(Context& ctx, const Revision& revision, bool with_help) {
    fs::path dir = ctx.config.migrations_dir;
    if (!fs::is_directory(dir)) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            throw Error(ErrorKind::input,
                        fmt::format("cannot create the migrations folder '{}': {}", dir.string(), ec.message()));
        ctx.out.progress(fmt::format("Created the migrations folder {}", dir.string()));
    }
    fs::path path = dir / revision_filename(revision.id, revision.message);
    std::string text = write_revision(revision);
    if (with_help) text += empty_revision_help;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        throw Error(ErrorKind::input,
                    fmt::format("cannot write '{}'; check the folder's permissions and free space", path.string()));
    return path.string();
}

std::vector<Step> steps_of(const std::vector<Operation>& operations) {
    std::vector<Step> steps;
    steps.reserve(operations.size());
    for (const Operation& op : operations) steps.push_back(Step{op, false});
    return steps;
}

// The one head a new revision goes on top of (none for the first revision).
std::vector<std::string> parent_for_new_revision(const RevisionGraph& graph) {
    std::vector<std::string> heads = graph.heads();
    if (heads.size() > 1)
        throw Error(ErrorKind::refused,
                    fmt::format("the migrations have {} heads ({}); join them first with `strata merge -m MSG`",
                                heads.size(), fmt::join(heads, ", ")));
    return heads;
}

// A database behind its revision files would make the new revision repeat the pending
// ones (Alembic's "target database is not up to date").
void require_at_head(Engine& engine, const RevisionGraph& graph) {
    Runner runner(engine, graph);
    DatabaseStatus status = runner.status();
    if (!status.incomplete().empty())
        throw Error(ErrorKind::refused,
                    fmt::format("revision {} is only partly applied on the database; finish it (`strata upgrade` or "
                                "`strata downgrade`) before autogenerating",
                                status.incomplete().front()->revision));
    if (!status.pending.empty())
        throw Error(ErrorKind::refused,
                    fmt::format("the database is not at head ({} revision(s) pending: {}); run `strata upgrade` first, "
                                "or the new revision would repeat them",
                                status.pending.size(), fmt::join(status.pending, ", ")));
}

void report_written(Context& ctx, const Revision& revision, const std::string& path) {
    ctx.out.print(fmt::format("Generated {}", path));
    ctx.out.data()["written"] = true;
    ctx.out.data()["revision"] = revision.id;
    ctx.out.data()["path"] = path;
    ctx.out.data()["down_revision"] = revision.down_revisions;
    ctx.out.data()["message"] = revision.message;
}

// The lint findings of the revision just written (read back, so each finding has its
// file:line), judged from the database's schema: on stderr in text mode, under "lint"
// in JSON. Informative only: writing the revision succeeded either way.
void report_lint(Context& ctx, Engine& engine, const std::string& path, Metadata current) {
    const Revision written = read_revision_file(path);
    const lint::LintTarget target{&engine.dialect(), ServerVersion::parse(engine.connection().server_version())};
    std::vector<lint::RevisionFindings> groups{{&written, lint::lint_steps(written.upgrade, current, target,
                                                                           written.id, written.path)}};
    const LintCounts counts = count_findings(groups, lint::Severity::error);
    ctx.out.data()["lint"] = {{"revisions", lint_json(groups)}, {"counts", counts_json(counts)}};
    if (groups.front().findings.empty()) return;
    ctx.out.aside("lint findings (`strata lint`, docs/lint.md):");
    for (const std::string& line : lint_text(groups, counts)) ctx.out.aside(line);
}

}  // namespace

int run_revision(Context& ctx, const RevisionOptions& options) {
    if (!options.autogenerate && (!options.against.empty() || !options.renames.empty()))
        throw Error(ErrorKind::usage, "--against and --rename only apply with --autogenerate");
    RevisionGraph graph = ctx.load_graph(true);
    Revision revision;
    revision.down_revisions = parent_for_new_revision(graph);
    revision.message = options.message;
    revision.created = now_created();

    if (!options.autogenerate) {
        revision.id = unused_revision_id(graph);
        revision.upgrade = {};
        revision.downgrade = std::vector<Step>{};
        std::string path = write_new_revision(ctx, revision, true);
        report_written(ctx, revision, path);
        ctx.out.data()["operations"] = nlohmann::ordered_json::array();
        return exit_ok;
    }

    DiffOptions diff_options;
    for (const std::string& spec : options.renames) add_rename(diff_options, spec);
    Engine engine = ctx.engine();
    require_at_head(engine, graph);
    DiffResult result;
    Metadata current;  // the database's schema: what the new revision's steps start from
    if (!options.against.empty()) {
        Engine target = ctx.engine_for(options.against);
        DatabaseDiff d = diff_databases(engine, target, diff_options);
        current = std::move(d.from);
        result = std::move(d.result);
    } else {
        const Metadata& models = ctx.require_models("`revision --autogenerate` without --against");
        diff_options.dialect = &engine.dialect();
        current = reflect(engine);
        result = diff_models(current, models, engine, diff_options);
    }
    report_notes(ctx, result);
    if (result.empty()) {
        ctx.out.print("No changes detected; no revision written.");
        ctx.out.data()["written"] = false;
        ctx.out.data()["operations"] = nlohmann::ordered_json::array();
        return exit_ok;
    }

    revision.id = unused_revision_id(graph);
    const SaferForms forms{.concurrent_indexes = options.concurrent_indexes,
                           .not_valid_constraints = options.not_valid_constraints};
    // The differ's operations carry what their reverse needs, so this does not throw for
    // them; a surprise here is a bug, reported as such by run(). The downgrade gets the
    // safer forms of its own operations (no validate steps reversed).
    revision.downgrade = steps_of(with_safer_forms(reverse(result.operations), forms));
    result.operations = with_safer_forms(std::move(result.operations), forms);
    revision.upgrade = steps_of(result.operations);
    for (const UnmodelledObject& u : result.unmodelled) revision.comments.push_back(note_text(u));
    std::string path = write_new_revision(ctx, revision, false);
    report_written(ctx, revision, path);
    ctx.out.data()["operations"] = operations_json(result.operations);
    std::size_t destructive = 0;
    for (const Operation& op : result.operations) {
        ctx.out.print(operation_line(op));
        if (is_destructive(op)) ++destructive;
    }
    if (destructive > 0)
        ctx.out.warn(fmt::format("{} destructive step(s): `strata upgrade` will refuse them unless you pass "
                                 "--allow-destructive or add `destructive_ok = true` to the step after review",
                                 destructive));
    report_lint(ctx, engine, path, current);
    ctx.out.print("Review the file before running `strata upgrade`.");
    return exit_ok;
}

int run_merge(Context& ctx, const MergeOptions& options) {
    RevisionGraph graph = ctx.load_graph();
    std::vector<std::string> heads = graph.heads();
    if (heads.size() < 2)
        throw Error(ErrorKind::usage,
                    heads.empty() ? std::string("nothing to merge: there are no revisions")
                                  : fmt::format("nothing to merge: the migrations have one head ({})", heads.front()));
    Revision revision;
    revision.id = unused_revision_id(graph);
    revision.down_revisions = heads;
    revision.message = options.message;
    revision.created = now_created();
    revision.upgrade = {};
    revision.downgrade = std::vector<Step>{};
    std::string path = write_new_revision(ctx, revision, false);
    report_written(ctx, revision, path);
    ctx.out.print(fmt::format("Merged heads {}", fmt::join(heads, ", ")));
    return exit_ok;
}

}  // namespace strata::cli
