// `revision --autogenerate --concurrent-indexes --not-valid-constraints` with the strata
// binary, as a user would, on every database: the file has the safer forms, `upgrade`
// runs it (PostgreSQL in the safer forms, the others in the plain ones), and the database
// then matches its source.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

void create_base(Connection& conn) {
    conn.execute_unprepared("CREATE TABLE users (id integer PRIMARY KEY)");
    conn.execute_unprepared("CREATE TABLE posts (id integer PRIMARY KEY, user_id integer, score integer)");
    conn.execute_unprepared("CREATE INDEX ix_posts_user ON posts (user_id)");
}

}  // namespace

TEST_CASE("safeops cli: autogenerate writes the safer forms and upgrade runs them") {
    TestDatabase source;
    Connection& src = source.connection();
    src.execute_unprepared("CREATE TABLE users (id integer PRIMARY KEY)");
    src.execute_unprepared(
        "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer, score integer, "
        "CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id), "
        "CONSTRAINT ck_posts_score CHECK (score >= 0))");
    src.execute_unprepared("CREATE INDEX ix_posts_user ON posts (user_id)");
    src.execute_unprepared("CREATE INDEX ix_posts_score ON posts (score)");

    Project p;
    create_base(p.db.connection());
    p.db.connection().execute_unprepared("INSERT INTO users (id) VALUES (1)");
    p.db.connection().execute_unprepared("INSERT INTO posts (id, user_id, score) VALUES (1, 1, 3)");
    auto r = p.strata({"revision", "-m", "safer", "--autogenerate", "--against", source.url(), "--concurrent-indexes",
                       "--not-valid-constraints"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto files = toml_files(p.migrations);
    REQUIRE(files.size() == 1);
    const std::string text = read_text(files[0]);
    INFO(text);
    CHECK(contains(text, "op = \"create_index\"\ntable = \"posts\"\nindex = "));
    CHECK(contains(text, "concurrently = true"));
    CHECK(contains(text, "not_valid = true"));
    CHECK(contains(text, "op = \"validate_constraint\"\ntable = \"posts\"\nname = \"ck_posts_score\""));
    CHECK_FALSE(contains(r.err, "create-index-locks-writes"));
    CHECK_FALSE(contains(r.err, "constraint-not-valid"));

    r = p.strata({"upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    r = run_process(strata_binary(), {"diff", p.db.url(), source.url()});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    r = p.strata({"downgrade", "base"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
}

TEST_CASE("safeops cli: the safer-form flags need --autogenerate") {
    Project p;
    for (const char* flag : {"--concurrent-indexes", "--not-valid-constraints"}) {
        auto r = p.strata({"revision", "-m", "x", flag});
        INFO(r.transcript);
        CHECK(r.exit_code == 2);
        CHECK(contains(r.err, "--autogenerate"));
    }
    CHECK(toml_files(p.migrations).empty());
}
