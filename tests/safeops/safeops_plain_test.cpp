// SQLite and MySQL/MariaDB, live: they have no CONCURRENTLY and no NOT VALID, so a
// revision written for PostgreSQL's safer forms runs here in the plain forms: the index
// is built, the constraints are added and checked at once (bad data fails the add, not
// the validate step), and validate_constraint does nothing.
#include <catch2/catch.hpp>
#include <string>

#include "runner_fixture.hpp"
#include "safeops_steps.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

void write_base(MigrationsDir& dir) {
    dir.write("r1", "", std::string(base_table_steps) + R"T(

[[upgrade]]
op = "sql"
sql = "INSERT INTO users (id) VALUES (1)"
)T");
}

const std::string safer_revision = std::string(concurrent_index_step) + not_valid_steps;

}  // namespace

TEST_CASE("safeops: concurrently and not_valid run in their plain forms") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", safer_revision);
    Runner runner(db.engine(), dir.graph());
    runner.upgrade();
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2"});
    const Metadata schema = db.dialect().reflect(db.connection());
    const Table* posts = schema.find("posts");
    REQUIRE(posts);
    bool index = false, fk = false, check = false;
    for (const Index& i : posts->indexes) index = index || i.name == "ix_posts_score";
    for (const ForeignKey& f : posts->foreign_keys) fk = fk || f.ref_table == "users";
    for (const CheckConstraint& c : posts->checks) check = check || c.name == "ck_posts_score";
    CHECK(index);
    CHECK(fk);
    CHECK(check);
}

TEST_CASE("safeops: without NOT VALID bad data fails the add itself") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", safer_revision);
    Runner runner(db.engine(), dir.graph());
    runner.upgrade("r1");
    db.connection().execute_unprepared("INSERT INTO posts (id, user_id, score) VALUES (1, 1, -5)");
    std::string message;
    try {
        runner.upgrade();
        FAIL("expected the upgrade to fail on the check");
    } catch (const Error& e) {
        message = e.what();
    }
    INFO(message);
    CHECK(message.find("add check constraint ck_posts_score") != std::string::npos);
    CHECK(count_rows(db.connection(), "SELECT count(*) FROM posts") == 1);
}
