// PostgreSQL, live: CREATE INDEX CONCURRENTLY runs outside the migration's transaction
// (the server refuses it inside one), the revision's progress is recorded so that a
// failure after part of it committed resumes where it stopped, the INVALID index a failed
// build leaves is cleared before the retry, and NOT VALID constraints are validated by a
// later step that fails on bad data with the server's message.
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "runner_fixture.hpp"
#include "safeops_steps.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

// r1: users and posts, with a user and two posts that share a score.
void write_base(MigrationsDir& dir) {
    dir.write("r1", "", std::string(base_table_steps) + R"T(

[[upgrade]]
op = "sql"
sql = "INSERT INTO users (id) VALUES (1)"

[[upgrade]]
op = "sql"
sql = "INSERT INTO posts (id, user_id, score) VALUES (1, 1, 5), (2, 1, 5)"

[[downgrade]]
op = "drop_table"
name = "posts"
destructive_ok = true

[[downgrade]]
op = "drop_table"
name = "users"
destructive_ok = true
)T");
}

// Whether index `name` exists, and is valid.
std::int64_t valid_indexes(Connection& conn, const std::string& name) {
    return count_rows(
        conn, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '" + name +
                  "' AND i.indisvalid");
}
std::int64_t indexes(Connection& conn, const std::string& name) {
    return count_rows(conn, "SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relname = '" + name + "'");
}
std::int64_t validated(Connection& conn, const std::string& name) {
    return count_rows(conn, "SELECT count(*) FROM pg_constraint WHERE conname = '" + name + "' AND convalidated");
}
std::int64_t constraints(Connection& conn, const std::string& name) {
    return count_rows(conn, "SELECT count(*) FROM pg_constraint WHERE conname = '" + name + "'");
}

std::optional<AppliedRevision> row_of(const std::vector<AppliedRevision>& rows, const std::string& id) {
    for (const AppliedRevision& r : rows)
        if (r.revision == id) return r;
    return std::nullopt;
}

std::string run_failing(Runner& runner, const std::string& direction) {
    try {
        if (direction == "upgrade")
            runner.upgrade();
        else
            runner.downgrade("r1");
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("expected the " << direction << " to fail");
    return "";
}

}  // namespace

TEST_CASE("safeops: a concurrently index is built outside the transaction and dropped by the downgrade") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", R"T(
[[upgrade]]
op = "add_column"
table = "posts"
column = { name = "title", type = "text" }

[[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_posts_score", columns = ["score"] }
concurrently = true

[[downgrade]]
op = "drop_index"
table = "posts"
index = "ix_posts_score"
concurrently = true

[[downgrade]]
op = "drop_column"
table = "posts"
column = "title"
destructive_ok = true
)T");
    Runner runner(db.engine(), dir.graph());
    runner.upgrade();
    CHECK(valid_indexes(db.connection(), "ix_posts_score") == 1);
    const auto rows = version_rows(db.url());
    const std::optional<AppliedRevision> r2 = row_of(rows, "r2");
    REQUIRE(r2);
    CHECK(r2->complete());
    CHECK(r2->statements_applied == 2);

    runner.downgrade("r1");
    CHECK(indexes(db.connection(), "ix_posts_score") == 0);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});
}

TEST_CASE("safeops: a failed concurrently build is recorded, its invalid index dropped, and the rerun resumes") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", R"T(
[[upgrade]]
op = "add_column"
table = "posts"
column = { name = "title", type = "text" }

[[upgrade]]
op = "create_index"
table = "posts"
index = { name = "uq_posts_score", columns = ["score"], unique = true }
concurrently = true

[[upgrade]]
op = "add_column"
table = "posts"
column = { name = "body", type = "text" }
)T");
    Runner runner(db.engine(), dir.graph());
    const std::string message = run_failing(runner, "upgrade");
    INFO(message);
    CHECK(message.find("partially applied") != std::string::npos);
    CHECK(message.find("runs outside the transaction") != std::string::npos);
    CHECK(message.find("DROP INDEX CONCURRENTLY IF EXISTS") != std::string::npos);
    // The column before the build committed; the build left an invalid index.
    CHECK(count_rows(db.connection(),
                     "SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' AND column_name = "
                     "'title'") == 1);
    CHECK(indexes(db.connection(), "uq_posts_score") == 1);
    CHECK(valid_indexes(db.connection(), "uq_posts_score") == 0);
    const auto rows = version_rows(db.url());
    const std::optional<AppliedRevision> r2 = row_of(rows, "r2");
    REQUIRE(r2);
    CHECK(r2->state == RevisionState::partial);
    CHECK(r2->statements_applied == 1);

    db.connection().execute_unprepared("UPDATE posts SET score = 6 WHERE id = 2");
    RunResult resumed = runner.upgrade();
    REQUIRE(resumed.revisions.size() == 1);
    CHECK(resumed.revisions[0].resumed);
    CHECK(valid_indexes(db.connection(), "uq_posts_score") == 1);
    CHECK(count_rows(db.connection(),
                     "SELECT count(*) FROM information_schema.columns WHERE table_name = 'posts' AND column_name = "
                     "'body'") == 1);
    CHECK(row_of(version_rows(db.url()), "r2")->complete());
}

TEST_CASE("safeops: a failure after a concurrently build resumes after it") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", R"T(
[[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_posts_score", columns = ["score"] }
concurrently = true

[[upgrade]]
op = "sql"
sql = "INSERT INTO posts (id, score) VALUES (3, 1)"
)T");
    Runner runner(db.engine(), dir.graph());
    runner.upgrade("r1");
    db.connection().execute_unprepared("INSERT INTO posts (id, score) VALUES (3, 9)");
    const std::string message = run_failing(runner, "upgrade");
    INFO(message);
    CHECK(message.find("partially applied") != std::string::npos);
    CHECK(valid_indexes(db.connection(), "ix_posts_score") == 1);
    const std::optional<AppliedRevision> r2 = row_of(version_rows(db.url()), "r2");
    REQUIRE(r2);
    CHECK(r2->statements_applied == 1);

    db.connection().execute_unprepared("DELETE FROM posts WHERE id = 3");
    RunResult resumed = runner.upgrade();
    REQUIRE(resumed.revisions.size() == 1);
    CHECK(resumed.revisions[0].statements == 1);
    CHECK(count_rows(db.connection(), "SELECT count(*) FROM posts WHERE id = 3 AND score = 1") == 1);
}

TEST_CASE("safeops: a revision that fails before anything committed leaves no row") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", R"T(
[[upgrade]]
op = "sql"
sql = "INSERT INTO posts (id) VALUES (1)"

[[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_posts_score", columns = ["score"] }
concurrently = true
)T");
    Runner runner(db.engine(), dir.graph());
    const std::string message = run_failing(runner, "upgrade");
    INFO(message);
    CHECK(message.find("nothing was applied") != std::string::npos);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});
    CHECK(indexes(db.connection(), "ix_posts_score") == 0);
}

TEST_CASE("safeops: not_valid constraints validated on good data") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", std::string(not_valid_steps) + R"T(
[[downgrade]]
op = "validate_constraint"
table = "posts"
name = "ck_posts_score"

[[downgrade]]
op = "drop_check"
table = "posts"
check = "ck_posts_score"

[[downgrade]]
op = "drop_foreign_key"
table = "posts"
foreign_key = "fk_posts_user"
)T");
    Runner runner(db.engine(), dir.graph());
    runner.upgrade();
    CHECK(validated(db.connection(), "fk_posts_user") == 1);
    CHECK(validated(db.connection(), "ck_posts_score") == 1);
    runner.downgrade("r1");
    CHECK(constraints(db.connection(), "fk_posts_user") == 0);
    CHECK(constraints(db.connection(), "ck_posts_score") == 0);
}

TEST_CASE("safeops: a not valid constraint reflects like a valid one") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute_unprepared("CREATE TABLE users (id integer PRIMARY KEY)");
    conn.execute_unprepared("CREATE TABLE posts (id integer PRIMARY KEY, user_id integer, score integer)");
    const Metadata plain = db.dialect().reflect(conn);
    conn.execute_unprepared(
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id)");
    conn.execute_unprepared("ALTER TABLE posts ADD CONSTRAINT ck_posts_score CHECK (score >= 0)");
    const Metadata valid = db.dialect().reflect(conn);
    conn.execute_unprepared("ALTER TABLE posts DROP CONSTRAINT fk_posts_user");
    conn.execute_unprepared("ALTER TABLE posts DROP CONSTRAINT ck_posts_score");
    conn.execute_unprepared(
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");
    conn.execute_unprepared("ALTER TABLE posts ADD CONSTRAINT ck_posts_score CHECK (score >= 0) NOT VALID");
    const Metadata not_valid = db.dialect().reflect(conn);
    CHECK_FALSE(*plain.find("posts") == *valid.find("posts"));
    CHECK(*not_valid.find("posts") == *valid.find("posts"));
}

TEST_CASE("safeops: validate_constraint fails clearly on bad data and the downgrade reverts the add") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", R"T(
[[upgrade]]
op = "add_foreign_key"
table = "posts"
foreign_key = { name = "fk_posts_user", columns = ["user_id"], ref_table = "users", ref_columns = ["id"] }
not_valid = true

[[upgrade]]
op = "validate_constraint"
table = "posts"
name = "fk_posts_user"

[[downgrade]]
op = "validate_constraint"
table = "posts"
name = "fk_posts_user"

[[downgrade]]
op = "drop_foreign_key"
table = "posts"
foreign_key = "fk_posts_user"
)T");
    Runner runner(db.engine(), dir.graph());
    runner.upgrade("r1");
    db.connection().execute_unprepared("INSERT INTO posts (id, user_id) VALUES (7, 42)");
    const std::string message = run_failing(runner, "upgrade");
    INFO(message);
    CHECK(message.find("validate constraint fk_posts_user on posts") != std::string::npos);
    CHECK(message.find("fk_posts_user") != std::string::npos);
    CHECK(message.find("partially applied") != std::string::npos);
    // The add committed before the validation: new rows are checked, old ones are not.
    CHECK(constraints(db.connection(), "fk_posts_user") == 1);
    CHECK(validated(db.connection(), "fk_posts_user") == 0);
    CHECK(row_of(version_rows(db.url()), "r2")->state == RevisionState::partial);

    runner.downgrade("r1");
    CHECK(constraints(db.connection(), "fk_posts_user") == 0);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});
}

TEST_CASE("safeops: a downgrade that fails before anything committed leaves the revision applied") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", std::string(concurrent_index_step) + R"T(
[[downgrade]]
op = "sql"
sql = "INSERT INTO posts (id) VALUES (1)"

[[downgrade]]
op = "drop_index"
table = "posts"
index = "ix_posts_score"
concurrently = true
)T");
    Runner runner(db.engine(), dir.graph());
    runner.upgrade();
    const std::string message = run_failing(runner, "downgrade");
    INFO(message);
    CHECK(message.find("nothing was applied") != std::string::npos);
    CHECK(valid_indexes(db.connection(), "ix_posts_score") == 1);
    const std::optional<AppliedRevision> r2 = row_of(version_rows(db.url()), "r2");
    REQUIRE(r2);
    CHECK(r2->complete());
    CHECK(runner.upgrade().revisions.empty());
}

TEST_CASE("safeops: --group refuses a revision with a concurrently build") {
    TestDatabase db;
    MigrationsDir dir;
    write_base(dir);
    dir.write("r2", "r1", concurrent_index_step);
    Runner runner(db.engine(), dir.graph());
    RunOptions group;
    group.group = true;
    try {
        runner.upgrade("head", group);
        FAIL("expected --group to refuse the revision");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(e.kind() == ErrorKind::unsupported);
        CHECK(std::string(e.what()).find("CREATE INDEX CONCURRENTLY") != std::string::npos);
    }
    CHECK(applied_ids(db.url()).empty());
    CHECK(indexes(db.connection(), "ix_posts_score") == 0);
}
