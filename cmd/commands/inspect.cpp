// strata heads | history | current: what the revision files hold and what is applied.
#include <fmt/format.h>

#include <optional>

#include "cmd/commands.hpp"
#include "core/error.hpp"
#include "migrations/runner.hpp"

namespace strata::cli {

namespace {

std::string parents_text(const Revision& rev) {
    if (rev.down_revisions.empty()) return "<base>";
    return fmt::format("{}", fmt::join(rev.down_revisions, ", "));
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
    for (const std::string& s : list)
        if (s == id) return true;
    return false;
}

const ChecksumMismatch* edited_entry(const DatabaseStatus& status, const std::string& id) {
    for (const ChecksumMismatch& m : status.edited)
        if (m.revision == id) return &m;
    return nullptr;
}

// "partially applied: 2 of 5 statements; failed statement: ...; error: ..."
std::vector<std::string> incomplete_lines(const AppliedRevision& row) {
    std::vector<std::string> lines;
    bool partial = row.state == RevisionState::partial;
    lines.push_back(fmt::format("{}: {} of {} statements {}", partial ? "PARTIALLY APPLIED" : "PARTLY REVERTED",
                                row.statements_applied, row.statements_total, partial ? "applied" : "reverted"));
    if (!row.failed_sql.empty()) lines.push_back("failed statement: " + row.failed_sql);
    if (!row.error.empty()) lines.push_back("error: " + row.error);
    if (row.failed_sql.empty()) {
        std::string next = row.next_sql();
        if (!next.empty()) lines.push_back("next statement: " + next);
    }
    lines.push_back(partial ? "run `strata upgrade` to resume it, or `strata downgrade -1` to revert what ran"
                            : "run `strata downgrade` again to finish reverting it");
    return lines;
}

nlohmann::ordered_json row_json(const AppliedRevision& row) {
    nlohmann::ordered_json j = {{"revision", row.revision},
                        {"state", to_string(row.state)},
                        {"checksum", row.checksum},
                        {"applied_at", row.applied_at},
                        {"statements_applied", row.statements_applied},
                        {"statements_total", row.statements_total}};
    j["duration_ms"] = row.duration_ms ? nlohmann::ordered_json(*row.duration_ms) : nlohmann::ordered_json();
    j["failed_sql"] = row.failed_sql.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(row.failed_sql);
    j["error"] = row.error.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(row.error);
    return j;
}

nlohmann::ordered_json revision_json(const Revision& rev) {
    return {{"revision", rev.id},
            {"down_revision", rev.down_revisions},
            {"message", rev.message},
            {"path", rev.path},
            {"reversible", rev.reversible()}};
}

// The "Database: ..." line and its notes, and the JSON `engine` object.
void report_engine(Context& ctx, const EngineProfile& profile) {
    ctx.out.data()["engine"] = {
        {"name", profile.engine},
        {"version", profile.version.text},
        {"role", profile.role},
        {"standby", profile.standby},
        {"cluster_size", profile.cluster_size},
        {"lock", to_string(profile.lock)},
        {"supported", profile.supported},
        {"refusal", profile.supported ? nlohmann::ordered_json() : nlohmann::ordered_json(profile.refusal)},
        {"notes", profile.notes},
    };
    ctx.out.print("Database: " + profile.describe());
    if (!profile.supported) ctx.out.print("    not supported: " + profile.refusal);
    if (profile.standby) ctx.out.print("    read-only: upgrade, downgrade, stamp and seed cannot run here");
    for (const std::string& note : profile.notes) ctx.out.print("    note: " + note);
}

}  // namespace

int run_heads(Context& ctx) {
    RevisionGraph graph = ctx.load_graph();
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    std::vector<std::string> heads = graph.heads();
    if (heads.empty()) ctx.out.print("No revisions.");
    for (const std::string& id : heads) {
        const Revision* rev = graph.find(id);
        ctx.out.print(fmt::format("{} (head), {}", id, rev->message));
        list.push_back(revision_json(*rev));
    }
    if (heads.size() > 1)
        ctx.out.print(fmt::format("{} heads: join them with `strata merge -m MSG`", heads.size()));
    ctx.out.data()["heads"] = list;
    return exit_ok;
}

int run_history(Context& ctx) {
    std::optional<DatabaseStatus> status;
    RevisionGraph graph = ctx.load_graph();
    std::vector<std::string> heads = graph.heads();
    std::string unreadable;  // why the database could not be read
    if (!ctx.config.url.empty()) {
        // The graph is history's answer; the marks of what is applied come on top. A
        // database that cannot be reached (a SQLite file not created yet, a server that
        // is down) leaves the marks out with a note rather than hiding the graph.
        try {
            Runner runner(ctx.engine_for_reading(), graph);
            status = runner.status();
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::connection && e.kind() != ErrorKind::authentication &&
                e.kind() != ErrorKind::missing_database)
                throw;
            unreadable = bare_message(e);
        }
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    const auto& revisions = graph.revisions();
    if (revisions.empty()) ctx.out.print("No revisions.");
    // Newest first, as in a log.
    for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) {
        const Revision& rev = *it;
        std::vector<std::string> tags;
        if (contains(heads, rev.id)) tags.push_back("head");
        if (rev.is_merge()) tags.push_back("merge");
        if (!rev.reversible()) tags.push_back("irreversible");
        nlohmann::ordered_json j = revision_json(rev);
        j["head"] = contains(heads, rev.id);
        const AppliedRevision* row = status ? status->row(rev.id) : nullptr;
        if (status) {
            j["state"] = row ? nlohmann::ordered_json(to_string(row->state)) : nlohmann::ordered_json("pending");
            if (row) {
                tags.push_back(row->complete() ? "applied" : to_string(row->state));
                if (contains(status->current_heads, rev.id)) tags.push_back("current");
            }
            const ChecksumMismatch* edited = edited_entry(*status, rev.id);
            j["edited"] = edited != nullptr;
            if (edited) tags.push_back("EDITED since applied");
        }
        ctx.out.print(fmt::format("{} -> {}{}, {}", parents_text(rev), rev.id,
                                  tags.empty() ? std::string() : fmt::format(" ({})", fmt::join(tags, ", ")),
                                  rev.message));
        if (row && !row->complete())
            for (const std::string& line : incomplete_lines(*row)) ctx.out.print("    " + line);
        if (row) j["applied"] = row_json(*row);
        list.push_back(std::move(j));
    }
    if (status) {
        for (const std::string& id : status->unknown)
            ctx.out.print(fmt::format("{} (applied, but no revision file defines it)", id));
        ctx.out.data()["unknown"] = status->unknown;
    } else if (!unreadable.empty()) {
        ctx.out.print(fmt::format("(applied revisions are not shown: {})", unreadable));
        ctx.out.data()["database_error"] = unreadable;
    } else {
        ctx.out.print("(no database configured: applied revisions are not shown; pass --url to see them)");
    }
    ctx.out.data()["revisions"] = list;
    ctx.out.data()["heads"] = heads;
    ctx.out.data()["database"] = status.has_value();
    return exit_ok;
}

int run_current(Context& ctx) {
    RevisionGraph graph = ctx.load_graph(true);
    Runner runner(ctx.engine_for_reading(), graph);
    report_engine(ctx, runner.engine().connection().engine());
    DatabaseStatus status = runner.status();
    const RevisionGraph& g = runner.graph();

    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const AppliedRevision& row : status.rows) rows.push_back(row_json(row));
    ctx.out.data()["current_heads"] = status.current_heads;
    ctx.out.data()["rows"] = rows;
    ctx.out.data()["pending"] = status.pending;
    ctx.out.data()["heads"] = status.heads;
    ctx.out.data()["at_head"] = status.at_head();
    ctx.out.data()["unknown"] = status.unknown;
    nlohmann::ordered_json edited = nlohmann::ordered_json::array();
    for (const ChecksumMismatch& m : status.edited)
        edited.push_back({{"revision", m.revision}, {"file", m.file}, {"recorded", m.recorded}, {"actual", m.actual}});
    ctx.out.data()["edited"] = edited;

    if (status.rows.empty()) ctx.out.print("No revision applied.");
    for (const std::string& id : status.current_heads) {
        const Revision* rev = g.find(id);
        bool is_head = contains(status.heads, id);
        ctx.out.print(fmt::format("{}{}, {}", id, is_head ? " (head)" : "", rev ? rev->message : std::string()));
    }
    for (const AppliedRevision* row : status.incomplete()) {
        ctx.out.print(fmt::format("{}:", row->revision));
        for (const std::string& line : incomplete_lines(*row)) ctx.out.print("    " + line);
    }
    for (const std::string& id : status.unknown)
        ctx.out.print(fmt::format("{} is applied, but no revision file defines it (wrong --dir?)", id));
    for (const ChecksumMismatch& m : status.edited)
        ctx.out.print(fmt::format("{} was EDITED after it was applied: {} (recorded {}, now {})", m.revision, m.file,
                                  m.recorded, m.actual));
    if (!status.pending.empty())
        ctx.out.print(fmt::format("{} revision(s) pending: run `strata upgrade`", status.pending.size()));
    else if (!status.rows.empty() && status.at_head())
        ctx.out.print("The database is at head.");
    return exit_ok;
}

}  // namespace strata::cli
