// The bookkeeping of seeds: table `strata_seed_runs`, one row per successful run of a
// seed (`strata seed`), written in the seed's own transaction so that a seed that
// fails and is rolled back is not recorded.
//
// Seeds are meant to be idempotent (orm/seed.hpp) and are run again on request: the
// table is a log for people (`seed --list` shows each seed's last run), not a gate, and
// running a seed twice records two rows. Like strata_version, the table is skipped by
// reflection (ReflectOptions::internal_prefix "strata_"), so it never shows up in
// `check` or `revision --autogenerate`.
//
// Layout: id (autoincrement primary key), seed string(200), environment string(100)
// ("" for a run without --env), ran_at string(32) (UTC, "2026-11-26T05:00:00.123Z",
// the time the seed started), duration_ms big_integer.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dialects/connection.hpp"

namespace strata {

inline constexpr const char* seed_runs_table = "strata_seed_runs";

struct SeedRun {
    std::string seed;
    std::string environment;  // "" when the run named no environment
    std::string ran_at;       // UTC, format_seed_time()
    std::int64_t duration_ms = 0;

    friend bool operator==(const SeedRun&, const SeedRun&) = default;
};

// Creates the table when it does not exist (dialect-neutral DDL from the schema model).
// Call it outside a transaction: MySQL commits an open transaction on DDL, and a failed
// existence probe aborts a PostgreSQL transaction; Error(usage) when one is open.
// Safe against a concurrent creator. Throws the connection's errors.
void ensure_seed_runs_table(Connection& conn);

// Inserts one row with bound values, inside the transaction `conn` has open (if any).
// Throws the connection's errors (Error(database) naming the table when it is missing:
// call ensure_seed_runs_table first).
void record_seed_run(Connection& conn, const SeedRun& run);

// Every recorded run, oldest first; empty when the table does not exist. Call outside a
// transaction (as ensure_seed_runs_table). Throws the connection's errors.
std::vector<SeedRun> read_seed_runs(Connection& conn);

// The last run of each seed, by seed name (from read_seed_runs).
std::map<std::string, SeedRun> last_seed_runs(Connection& conn);

// UTC with milliseconds: "2026-11-26T05:00:00.123Z".
std::string format_seed_time(std::chrono::system_clock::time_point time);

}  // namespace strata
