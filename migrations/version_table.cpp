#include "migrations/version_table.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "dialects/connection.hpp"

namespace strata {

namespace {

std::optional<std::int64_t> as_int(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        try {
            return std::stoll(*s);
        } catch (...) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string as_text(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* b = std::get_if<Blob>(&v)) return std::string(b->bytes.begin(), b->bytes.end());
    if (is_null(v)) return {};
    return to_display(v);
}

Value text_or_null(const std::string& s) { return s.empty() ? Value(null) : Value(s); }

std::optional<RevisionState> state_from(const std::string& s) {
    if (s == "applied") return RevisionState::applied;
    if (s == "partial") return RevisionState::partial;
    if (s == "reverting") return RevisionState::reverting;
    return std::nullopt;
}

nlohmann::json encode_statements(const std::vector<SqlStatement>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const SqlStatement& s : list) {
        nlohmann::json one = {{"sql", s.sql}, {"transactional", s.transactional}, {"destructive", s.destructive}};
        if (!s.retry_probe.empty()) {
            one["retry_probe"] = s.retry_probe;
            one["retry_cleanup"] = s.retry_cleanup;
        }
        out.push_back(std::move(one));
    }
    return out;
}

std::vector<SqlStatement> decode_statements(const nlohmann::json& list, StatementPlacement placement) {
    std::vector<SqlStatement> out;
    for (const auto& s : list) {
        SqlStatement st;
        st.sql = s.at("sql").get<std::string>();
        st.transactional = s.value("transactional", true);
        st.destructive = s.value("destructive", false);
        st.retry_probe = s.value("retry_probe", std::string());
        st.retry_cleanup = s.value("retry_cleanup", std::string());
        st.placement = placement;
        out.push_back(std::move(st));
    }
    return out;
}

}  // namespace

const char* to_string(RevisionState state) noexcept {
    switch (state) {
        case RevisionState::applied: return "applied";
        case RevisionState::partial: return "partial";
        case RevisionState::reverting: return "reverting";
    }
    return "applied";
}

std::string AppliedRevision::next_sql() const {
    if (complete() || resume_plan.empty()) return {};
    try {
        auto j = nlohmann::json::parse(resume_plan);
        std::int64_t index = 0;
        for (const auto& step : j.at("steps"))
            for (const auto& s : step) {
                if (index == statements_applied) return s.at("sql").get<std::string>();
                ++index;
            }
    } catch (const nlohmann::json::exception&) {
        // A damaged plan only loses this hint; decode_resume_plan reports it when used.
    }
    return {};
}

std::string version_timestamp() {
    auto now = std::chrono::system_clock::now();
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(micros / 1000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, micros % 1000000);
}

std::string encode_resume_plan(const Plan& plan, const std::string& origin) {
    nlohmann::json steps = nlohmann::json::array();
    for (const PlanStep& step : plan.steps) steps.push_back(encode_statements(step.statements));
    nlohmann::json j = {
        {"origin", origin},
        {"steps", steps},
        {"before_transaction", encode_statements(plan.before_transaction)},
        {"before_commit", encode_statements(plan.before_commit)},
        {"after_transaction", encode_statements(plan.after_transaction)},
    };
    return j.dump();
}

std::string resume_plan_origin(const std::string& text) {
    try {
        return nlohmann::json::parse(text).at("origin").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::database,
                    fmt::format("the plan stored in {} cannot be read ({}); the row was damaged. Fix it by hand "
                                "and use `strata stamp` to set the version table",
                                VersionTable::table_name, e.what()));
    }
}

Plan decode_resume_plan(const std::string& text, const std::vector<Step>& steps, const Dialect& dialect) {
    Plan plan;
    plan.dialect = std::string(dialect.name());
    plan.transactional_ddl = dialect.capabilities().transactional_ddl;
    try {
        auto j = nlohmann::json::parse(text);
        const auto& stored = j.at("steps");
        if (stored.size() != steps.size())
            throw Error(ErrorKind::database,
                        fmt::format("the plan stored in {} has {} steps but the revision has {}; the row does not "
                                    "belong to this revision file",
                                    VersionTable::table_name, stored.size(), steps.size()));
        for (std::size_t i = 0; i < steps.size(); ++i) {
            PlanStep step;
            step.operation = steps[i].operation;
            step.description = describe(steps[i].operation);
            step.destructive_ok = steps[i].destructive_ok;
            step.destructive = is_destructive(steps[i].operation);
            step.irreversible = !reverse(steps[i].operation).has_value();
            step.transactional = plan.transactional_ddl;
            step.statements = decode_statements(stored[i], StatementPlacement::step);
            for (const SqlStatement& s : step.statements) {
                step.destructive = step.destructive || s.destructive;
                step.transactional = step.transactional && s.transactional;
            }
            plan.steps.push_back(std::move(step));
        }
        plan.before_transaction =
            decode_statements(j.value("before_transaction", nlohmann::json::array()), StatementPlacement::before_transaction);
        plan.before_commit =
            decode_statements(j.value("before_commit", nlohmann::json::array()), StatementPlacement::before_commit);
        plan.after_transaction =
            decode_statements(j.value("after_transaction", nlohmann::json::array()), StatementPlacement::after_transaction);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::database,
                    fmt::format("the plan stored in {} cannot be read ({}); the row was damaged. Fix it by hand "
                                "and use `strata stamp` to set the version table",
                                VersionTable::table_name, e.what()));
    }
    return plan;
}

// ---- VersionTable -------------------------------------------------------------------------

std::string VersionTable::table() const { return dialect_.quote(table_name); }
std::string VersionTable::meta() const { return dialect_.quote(meta_table_name); }
std::string VersionTable::col(const char* name) const { return dialect_.quote(name); }

std::string VersionTable::spell(const std::string& sql, const std::vector<Value>& params, bool literals) const {
    std::string out;
    std::size_t n = 0;
    for (char c : sql) {
        if (c != '?') {
            out += c;
            continue;
        }
        if (n >= params.size())
            throw Error(ErrorKind::internal, fmt::format("version table statement has more markers than values: {}", sql));
        out += literals ? dialect_.literal(params[n]) : dialect_.placeholder(n + 1);
        ++n;
    }
    return out;
}

std::vector<std::string> VersionTable::create_script() const {
    auto c = [&](const char* name, const ColumnType& type, bool nullable) {
        return fmt::format("{} {}{}", col(name), dialect_.render_type(type), nullable ? "" : " NOT NULL");
    };
    std::vector<std::string> columns = {
        c("revision", types::string(64), false),
        c("checksum", types::string(80), false),
        c("state", types::string(16), false),
        c("applied_at", types::string(32), false),
        c("duration_ms", types::big_integer(), true),
        c("statements_applied", types::integer(), false),
        c("statements_total", types::integer(), false),
        c("failed_sql", types::text(), true),
        c("error", types::text(), true),
        c("resume_plan", types::text(), true),
    };
    std::string body;
    for (const std::string& column : columns) body += column + ", ";
    body += fmt::format("PRIMARY KEY ({})", col("revision"));
    return {
        fmt::format("CREATE TABLE IF NOT EXISTS {} ({})", table(), body),
        fmt::format("CREATE TABLE IF NOT EXISTS {} ({} {} NOT NULL)", meta(), col("layout"),
                    dialect_.render_type(types::integer())),
        // The derived table gives MySQL a FROM clause for the WHERE.
        fmt::format("INSERT INTO {0} ({1}) SELECT {2} FROM (SELECT 1 AS {3}) {4} WHERE NOT EXISTS (SELECT 1 FROM {0})",
                    meta(), col("layout"), layout, col("one"), col("strata_row")),
    };
}

bool VersionTable::exists(Connection& conn) const {
    try {
        conn.query(fmt::format("SELECT {} FROM {}", col("layout"), meta()));
        return true;
    } catch (const Error&) {
        // The probe fails for a missing table and for a broken connection alike; a
        // second, trivial statement tells them apart.
        conn.query("SELECT 1");
        return false;
    }
}

void VersionTable::check_layout(Connection& conn) const {
    ResultSet r = conn.query(fmt::format("SELECT {} FROM {}", col("layout"), meta()));
    if (r.rows.empty()) return;  // created by a run that stopped before the meta row: current layout
    std::optional<std::int64_t> found = as_int(r.rows[0][0]);
    if (!found || *found < 1)
        throw Error(ErrorKind::database,
                    fmt::format("{} holds an unreadable layout ({}); it was not written by strata. Move the table "
                                "away and use `strata stamp` to record the applied revisions again",
                                meta_table_name, to_display(r.rows[0][0])));
    if (*found > layout)
        throw Error(ErrorKind::unsupported,
                    fmt::format("the version table of this database has layout {}, written by a newer strata (this "
                                "one knows layout {}); upgrade strata to migrate this database",
                                *found, layout));
}

void VersionTable::ensure(Connection& conn) const {
    for (const std::string& sql : create_script()) conn.execute_unprepared(sql);
    check_layout(conn);
}

std::string VersionTable::select_columns() const {
    const char* names[] = {"revision",         "checksum",   "state", "applied_at", "duration_ms", "statements_applied",
                           "statements_total", "failed_sql", "error", "resume_plan"};
    std::string list;
    for (const char* n : names) list += (list.empty() ? "" : ", ") + col(n);
    return fmt::format("SELECT {} FROM {}", list, table());
}

AppliedRevision VersionTable::decode(const std::vector<Value>& row) {
    AppliedRevision a;
    a.revision = as_text(row[0]);
    a.checksum = as_text(row[1]);
    std::string state = as_text(row[2]);
    auto s = state_from(state);
    if (!s)
        throw Error(ErrorKind::database,
                    fmt::format("{} row for revision {} has an unknown state '{}'; it was not written by this "
                                "strata. Fix the row by hand or use `strata stamp`",
                                table_name, a.revision, state));
    a.state = *s;
    a.applied_at = as_text(row[3]);
    a.duration_ms = as_int(row[4]);
    a.statements_applied = as_int(row[5]).value_or(0);
    a.statements_total = as_int(row[6]).value_or(0);
    a.failed_sql = as_text(row[7]);
    a.error = as_text(row[8]);
    a.resume_plan = as_text(row[9]);
    return a;
}

std::vector<AppliedRevision> VersionTable::read(Connection& conn, bool may_be_missing) const {
    if (may_be_missing && !exists(conn)) return {};
    check_layout(conn);
    ResultSet r =
        conn.query(fmt::format("{} ORDER BY {}, {}", select_columns(), col("applied_at"), col("revision")));
    std::vector<AppliedRevision> out;
    out.reserve(r.rows.size());
    for (const auto& row : r.rows) out.push_back(decode(row));
    return out;
}

std::optional<AppliedRevision> VersionTable::read_row(Connection& conn, const std::string& revision) const {
    check_layout(conn);
    std::vector<Value> params = {Value(revision)};
    ResultSet r = conn.query(spell(fmt::format("{} WHERE {} = ?", select_columns(), col("revision")), params, false),
                             params);
    if (r.rows.empty()) return std::nullopt;
    return decode(r.rows.front());
}

VersionTable::Bound VersionTable::insert_statement(const AppliedRevision& row) const {
    std::string sql = fmt::format(
        "INSERT INTO {} ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", table(),
        col("revision"), col("checksum"), col("state"), col("applied_at"), col("duration_ms"),
        col("statements_applied"), col("statements_total"), col("failed_sql"), col("error"), col("resume_plan"));
    std::vector<Value> params = {
        Value(row.revision),
        Value(row.checksum),
        Value(std::string(to_string(row.state))),
        Value(row.applied_at),
        row.duration_ms ? Value(*row.duration_ms) : Value(null),
        Value(row.statements_applied),
        Value(row.statements_total),
        text_or_null(row.failed_sql),
        text_or_null(row.error),
        text_or_null(row.resume_plan),
    };
    return {std::move(sql), std::move(params)};
}

VersionTable::Bound VersionTable::remove_statement(const std::string& revision) const {
    return {fmt::format("DELETE FROM {} WHERE {} = ?", table(), col("revision")), {Value(revision)}};
}

void VersionTable::insert(Connection& conn, const AppliedRevision& row) const {
    Bound b = insert_statement(row);
    conn.execute(spell(b.sql, b.params, false), b.params);
}

void VersionTable::update(Connection& conn, const AppliedRevision& row) const {
    std::string sql = fmt::format("UPDATE {} SET {} = ?, {} = ?, {} = ?, {} = ?, {} = ?, {} = ?, {} = ?, {} = ?, {} = ? "
                                  "WHERE {} = ?",
                                  table(), col("checksum"), col("state"), col("applied_at"), col("duration_ms"),
                                  col("statements_applied"), col("statements_total"), col("failed_sql"), col("error"),
                                  col("resume_plan"), col("revision"));
    std::vector<Value> params = {
        Value(row.checksum),
        Value(std::string(to_string(row.state))),
        Value(row.applied_at),
        row.duration_ms ? Value(*row.duration_ms) : Value(null),
        Value(row.statements_applied),
        Value(row.statements_total),
        text_or_null(row.failed_sql),
        text_or_null(row.error),
        text_or_null(row.resume_plan),
        Value(row.revision),
    };
    conn.execute(spell(sql, params, false), params);
}

void VersionTable::set_progress(Connection& conn, const std::string& revision, std::int64_t statements_applied) const {
    std::vector<Value> params = {Value(statements_applied), Value(revision)};
    conn.execute(spell(fmt::format("UPDATE {} SET {} = ? WHERE {} = ?", table(), col("statements_applied"),
                                   col("revision")),
                       params, false),
                 params);
}

void VersionTable::set_duration(Connection& conn, const std::string& revision, std::int64_t duration_ms) const {
    std::vector<Value> params = {Value(duration_ms), Value(revision), Value(std::string(to_string(RevisionState::applied)))};
    conn.execute(spell(fmt::format("UPDATE {} SET {} = ? WHERE {} = ? AND {} = ?", table(), col("duration_ms"),
                                   col("revision"), col("state")),
                       params, false),
                 params);
}

void VersionTable::set_failure(Connection& conn, const std::string& revision, const std::string& failed_sql,
                               const std::string& error) const {
    std::vector<Value> params = {text_or_null(failed_sql), text_or_null(error), Value(revision)};
    conn.execute(spell(fmt::format("UPDATE {} SET {} = ?, {} = ? WHERE {} = ?", table(), col("failed_sql"),
                                   col("error"), col("revision")),
                       params, false),
                 params);
}

void VersionTable::remove(Connection& conn, const std::string& revision) const {
    Bound b = remove_statement(revision);
    conn.execute(spell(b.sql, b.params, false), b.params);
}

std::string VersionTable::insert_script(const AppliedRevision& row) const {
    Bound b = insert_statement(row);
    return spell(b.sql, b.params, true);
}

std::string VersionTable::remove_script(const std::string& revision) const {
    Bound b = remove_statement(revision);
    return spell(b.sql, b.params, true);
}

}  // namespace strata
