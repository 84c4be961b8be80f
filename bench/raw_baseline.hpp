// Raw-driver baselines of strata-bench-orm: the same work as the ORM, written directly
// against sqlite3 / libpq / libmysqlclient, filling the same BenchRow structs. Each
// baseline owns its own connection (opened from the same URL as the ORM's engine).
//
// Transaction pattern, same as the ORM side: insert = one transaction, every row, the
// generated ids copied back into the structs; select = one statement, every row into a
// std::vector<BenchRow>; update = one transaction, one UPDATE of `score` per row by id.
// Every statement names the table given at construction (default strata_bench_rows).
// Failures throw std::runtime_error with the driver's message.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench_row.hpp"

namespace strata {
class Engine;
}

namespace strata::bench {

class RawBaseline {
public:
    explicit RawBaseline(std::string table) : table_(std::move(table)) {}
    virtual ~RawBaseline() = default;
    // "sqlite3 3.40.1", "libpq 15.18", ...
    virtual std::string describe() = 0;
    // Drops the bench table if present and runs `create_sql` (the dialect's DDL for it).
    virtual void reset_table(const std::vector<std::string>& create_sql) = 0;
    virtual void drop_table() = 0;
    // Inserts `rows` in one transaction, `batch` rows per INSERT statement (1: one
    // prepared single-row INSERT stepped per row), and sets each row's id.
    virtual void insert(std::vector<BenchRow>& rows, std::size_t batch) = 0;
    virtual std::vector<BenchRow> select_all() = 0;
    // One transaction: UPDATE ... SET score = ? WHERE id = ? for each row.
    virtual void update_scores(const std::vector<BenchRow>& rows) = 0;
    // SELECT COUNT(*), SUM(score) of the bench table.
    virtual std::pair<std::int64_t, double> count_and_sum() = 0;

protected:
    std::string table_;  // the bench table, same columns as strata_bench_rows
};

// For the engine's URL (its dialect decides which driver). Throws std::runtime_error
// when the connection cannot be opened. For sqlite://:memory: the baseline has its
// own in-memory database. `table`: the bench table's name.
std::unique_ptr<RawBaseline> make_sqlite_baseline(const Engine& engine, std::string table = kBenchTable);
std::unique_ptr<RawBaseline> make_postgres_baseline(const Engine& engine, std::string table = kBenchTable);
std::unique_ptr<RawBaseline> make_mysql_baseline(const Engine& engine, std::string table = kBenchTable);

}  // namespace strata::bench
