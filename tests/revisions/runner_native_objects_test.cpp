// SQLite only: the runner reads the database's native objects (triggers and indexes
// the schema model does not describe) once and reuses them while revisions only create
// tables, add columns and create indexes; any other revision has them read
// again. A table rebuild later in the same run must still recreate every such object as
// it is by then.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "dialects/connection.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/revision_graph.hpp"
#include "migrations/runner.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

Revision revision(const std::string& id, const std::string& parent, const std::string& steps) {
    std::string text = fmt::format("revision = \"{}\"\n", id);
    if (!parent.empty()) text += fmt::format("down_revision = \"{}\"\n", parent);
    text += "message = \"m\"\n" + steps;
    return parse_revision(text, id + ".toml");
}

std::int64_t count(Connection& conn, const std::string& sql) {
    return std::get<std::int64_t>(conn.query(sql).rows.at(0).at(0));
}

const char* widen_name(const char* table, int from, int to) {
    static std::string text;
    text = fmt::format(R"T(
[[upgrade]]
op = "alter_column"
table = "{}"
column = "name"
from = {{ type = "string", length = {} }}
to = {{ type = "string", length = {} }}
)T",
                       table, from, to);
    return text.c_str();
}

}  // namespace

TEST_CASE("triggers and expression indexes survive rebuilds after SQL, create_table, rename and create_index revisions in one run",
          "[sqlite][revisions]") {
    REQUIRE(strata::testing::dialect() == "sqlite");
    TestDatabase db;
    std::vector<Revision> revisions;
    revisions.push_back(revision("r1", "", R"T(
[[upgrade]]
op = "create_table"
name = "t"
columns = [ { name = "id", type = "integer", primary_key = true }, { name = "name", type = "string", length = 20 } ]

[[upgrade]]
op = "create_table"
name = "log"
columns = [ { name = "msg", type = "text" } ]
)T"));
    // Raw SQL creates a trigger: the objects read before it no longer hold.
    revisions.push_back(revision("r2", "r1", R"T(
[[upgrade]]
op = "sql"
sql = "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log (msg) VALUES (new.name); END"
)T"));
    // Only a new table: the objects read for r3 still hold for r4.
    revisions.push_back(revision("r3", "r2", R"T(
[[upgrade]]
op = "create_table"
name = "other"
columns = [ { name = "id", type = "integer", primary_key = true } ]
)T"));
    revisions.push_back(revision("r4", "r3", widen_name("t", 20, 40)));  // a rebuild of t
    // SQLite moves the trigger with the table: read again before the next rebuild.
    revisions.push_back(revision("r5", "r4", R"T(
[[upgrade]]
op = "rename_table"
from = "t"
to = "t2"
)T"));
    revisions.push_back(revision("r6", "r5", widen_name("t2", 40, 60)));  // a rebuild of t2
    // An index on an expression is modelled, like a partial one: the objects read for r7
    // still hold for r8, whose rebuild recreates the indexes from the schema.
    revisions.push_back(revision("r7", "r6", R"T(
[[upgrade]]
op = "create_index"
table = "t2"
index = { name = "ix_t2_lower_name", columns = ["lower(name)"] }

[[upgrade]]
op = "create_index"
table = "t2"
index = { name = "ix_t2_named", columns = ["name"], where = "name IS NOT NULL", order = ["desc"] }
)T"));
    revisions.push_back(revision("r8", "r7", widen_name("t2", 60, 80)));  // a rebuild of t2

    Runner runner(db.engine(), RevisionGraph(std::move(revisions)));
    RunResult result = runner.upgrade("head", {.handle_signals = false});
    CHECK(result.ran() == 8);

    Connection& conn = db.connection();
    CHECK(count(conn, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 't2'") == 1);
    conn.execute_unprepared("INSERT INTO t2 (id, name) VALUES (1, 'ann')");
    CHECK(count(conn, "SELECT count(*) FROM log WHERE msg = 'ann'") == 1);
    CHECK(count(conn, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'ix_t2_lower_name'") == 1);
    CHECK(count(conn, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'ix_t2_named' AND sql "
                      "LIKE '%WHERE name IS NOT NULL'") == 1);
    CHECK(count(conn, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 't2'") == 2);
}
