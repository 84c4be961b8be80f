#include "orm/seed_run.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/error.hpp"
#include "orm/schema/column_type.hpp"
#include "orm/schema/table.hpp"

namespace strata {

namespace {

Table seed_runs_layout() {
    Table t;
    t.name = seed_runs_table;
    Column id{.name = "id", .type = types::big_integer(), .nullable = false};
    id.autoincrement = true;
    t.columns = {
        id,
        Column{.name = "seed", .type = types::string(200), .nullable = false},
        Column{.name = "environment", .type = types::string(100), .nullable = false},
        Column{.name = "ran_at", .type = types::string(32), .nullable = false},
        Column{.name = "duration_ms", .type = types::big_integer(), .nullable = true},
    };
    t.primary_key.columns = {"id"};
    apply_naming_convention(t);
    return t;
}

bool table_exists(Connection& conn) {
    const Dialect& d = conn.dialect();
    try {
        conn.query(fmt::format("SELECT {} FROM {} WHERE 1 = 0", d.quote("id"), d.quote(seed_runs_table)));
        return true;
    } catch (const Error&) {
        // A missing table and a broken connection both fail the probe; a trivial
        // statement tells them apart (and throws for the latter).
        conn.query("SELECT 1");
        return false;
    }
}

void require_no_transaction(Connection& conn, const char* what) {
    if (conn.in_transaction())
        throw Error(ErrorKind::usage,
                    fmt::format("{}() must run outside a transaction (it may create {}); call it before begin()",
                                what, seed_runs_table));
}

std::string text_of(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return is_null(v) ? std::string() : to_display(v);
}

std::int64_t int_of(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        try {
            return std::stoll(*s);
        } catch (const std::exception&) {
            return 0;
        }
    }
    return 0;
}

}  // namespace

void ensure_seed_runs_table(Connection& conn) {
    require_no_transaction(conn, "ensure_seed_runs_table");
    if (table_exists(conn)) return;
    const Table layout = seed_runs_layout();
    try {
        for (const std::string& sql : conn.dialect().render_create_table(layout)) conn.execute_unprepared(sql);
    } catch (const Error&) {
        // Another process may have created it between the probe and CREATE TABLE.
        if (table_exists(conn)) return;
        throw;
    }
}

void record_seed_run(Connection& conn, const SeedRun& run) {
    const Dialect& d = conn.dialect();
    std::string sql = fmt::format("INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, {}, {})", d.quote(seed_runs_table),
                                  d.quote("seed"), d.quote("environment"), d.quote("ran_at"), d.quote("duration_ms"),
                                  d.placeholder(1), d.placeholder(2), d.placeholder(3), d.placeholder(4));
    conn.execute(sql, {Value(run.seed), Value(run.environment), Value(run.ran_at), Value(run.duration_ms)});
}

std::vector<SeedRun> read_seed_runs(Connection& conn) {
    require_no_transaction(conn, "read_seed_runs");
    if (!table_exists(conn)) return {};
    const Dialect& d = conn.dialect();
    ResultSet r = conn.query(fmt::format("SELECT {}, {}, {}, {} FROM {} ORDER BY {}", d.quote("seed"),
                                         d.quote("environment"), d.quote("ran_at"), d.quote("duration_ms"),
                                         d.quote(seed_runs_table), d.quote("id")));
    std::vector<SeedRun> runs;
    runs.reserve(r.rows.size());
    for (const auto& row : r.rows)
        runs.push_back(SeedRun{text_of(row[0]), text_of(row[1]), text_of(row[2]), int_of(row[3])});
    return runs;
}

std::map<std::string, SeedRun> last_seed_runs(Connection& conn) {
    std::map<std::string, SeedRun> last;
    for (SeedRun& run : read_seed_runs(conn)) last[run.seed] = std::move(run);
    return last;
}

std::string format_seed_time(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
}

}  // namespace strata
