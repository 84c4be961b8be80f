// Live migration checks shared by the tests in this folder.
#pragma once

#include <string>
#include <vector>

#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "support/test_database.hpp"

namespace strata::testing {

enum class Mode { executor, client_script };

// One line per operation, for failure messages.
std::string listing(const DiffResult& r);
// Creates `schema` in the (empty) database through diff + plan + execute_plan.
void create(TestDatabase& db, const Metadata& schema);
// A value for row `i` (1-based) of `c`; NULL every third row when `allow_null`.
Value value_for(const Column& c, int i, bool allow_null);
// Inserts `rows` rows into every table of `a`, parents first. Keys are 1..rows, and a
// foreign-key column (of `a` or of `b`) takes a key of its parent (row i -> parent i;
// for a reference to the same table, row i - 1). Columns of keys that close a cycle
// stay NULL. Other columns get NULLs only when nullable in `a` and still nullable in `b`.
void fill(Connection& conn, const Metadata& a, const Metadata& b, int rows);
// A value as text, so that equal values of related types compare equal.
std::string canonical(const Value& v);

using Rows = std::vector<std::vector<std::string>>;
// The rows of `columns`, ordered by `order`, numbers compared by value.
Rows snapshot(Connection& conn, const std::string& table, const std::vector<std::string>& columns,
              const std::vector<std::string>& order);

// Which table and columns of B each table of A became, following renames.
struct Shared {
    std::string a_table, b_table;
    std::vector<std::string> a_columns, b_columns;
    std::vector<std::string> a_order, b_order;
};
std::vector<Shared> shared_columns(const Metadata& a, const Metadata& b, const DiffOptions& options);

// Runs `script` with the database's own command-line client; REQUIREs success.
void run_client(const TestDatabase& db, const std::string& script);

// Migrates a fresh database from `a` (filled with `rows` rows per table) to `b` through
// execute_plan or the client script, then CHECKs that the database reflects with no
// difference to `b` and that every row of the columns A and B share is unchanged.
// Returns the plan that ran.
Plan check_migration(const Metadata& a, const Metadata& b, Mode mode, const DiffOptions& extra = {}, int rows = 6);

}  // namespace strata::testing

#define MIGRATE_BOTH_WAYS(a, b, ...)                                                                         \
    SECTION("execute_plan") { strata::testing::check_migration(a, b, strata::testing::Mode::executor, ##__VA_ARGS__); } \
    SECTION("client script") {                                                                               \
        strata::testing::check_migration(a, b, strata::testing::Mode::client_script, ##__VA_ARGS__);         \
    }
