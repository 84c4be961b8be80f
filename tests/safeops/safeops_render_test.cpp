// Rendering of the safer operations on each database, with no server: PostgreSQL's
// CONCURRENTLY (outside the transaction, with its retry cleanup), NOT VALID and VALIDATE
// CONSTRAINT; the plain forms with a note on SQLite and MySQL/MariaDB.
#include <catch2/catch.hpp>
#include <string>

#include "migrations/plan.hpp"
#include "migrations/revision_file.hpp"
#include "safeops_steps.hpp"

using namespace strata;

namespace {

const std::string base_steps = std::string("revision = \"base1\"\nmessage = \"base\"\n") + testing::base_table_steps;

// The plan of `steps` ([[upgrade]] tables) on `dialect`, from the base schema.
Plan plan_of(const std::string& dialect, const std::string& steps) {
    const Dialect& d = dialect_named(dialect);
    Metadata base = make_plan(parse_revision(base_steps, "base1.toml").upgrade, d, Metadata{}).result;
    Revision r = parse_revision("revision = \"r2\"\nmessage = \"m\"\n\n" + steps, "r2.toml");
    return make_plan(r.upgrade, d, base);
}

const char* const index_step = testing::concurrent_index_step;

const char* const drop_index_step = R"([[upgrade]]
op = "drop_index"
table = "posts"
index = "ix_posts_score"
concurrently = true
)";

const char* const constraint_steps = testing::not_valid_steps;

bool has_note(const PlanStep& step, const std::string& fragment) {
    for (const std::string& n : step.notes)
        if (n.find(fragment) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("postgresql builds a concurrently index outside the transaction") {
    Plan p = plan_of("postgresql", index_step);
    REQUIRE(p.steps.size() == 1);
    REQUIRE(p.steps[0].statements.size() == 1);
    const SqlStatement& s = p.steps[0].statements[0];
    CHECK(s.sql == R"(CREATE INDEX CONCURRENTLY "ix_posts_score" ON "posts" ("score"))");
    CHECK_FALSE(s.transactional);
    CHECK_FALSE(p.steps[0].transactional);
    CHECK(s.retry_cleanup == R"(DROP INDEX CONCURRENTLY IF EXISTS "ix_posts_score")");
    CHECK(s.retry_probe.find("indisvalid") != std::string::npos);
    CHECK(s.retry_probe.find("'ix_posts_score'") != std::string::npos);
}

TEST_CASE("postgresql drops a concurrently index outside the transaction") {
    Plan p = plan_of("postgresql", std::string(index_step) + "\n" + drop_index_step);
    REQUIRE(p.steps.size() == 2);
    const SqlStatement& s = p.steps[1].statements.at(0);
    CHECK(s.sql == R"(DROP INDEX CONCURRENTLY "ix_posts_score")");
    CHECK_FALSE(s.transactional);
}

TEST_CASE("postgresql renders NOT VALID and VALIDATE CONSTRAINT") {
    Plan p = plan_of("postgresql", constraint_steps);
    REQUIRE(p.steps.size() == 4);
    CHECK(
        p.steps[0].statements.at(0).sql ==
        R"(ALTER TABLE "posts" ADD CONSTRAINT "fk_posts_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") NOT VALID)");
    CHECK(p.steps[0].statements.at(0).transactional);
    CHECK(p.steps[1].statements.at(0).sql ==
          R"(ALTER TABLE "posts" ADD CONSTRAINT "ck_posts_score" CHECK (score >= 0) NOT VALID)");
    CHECK(p.steps[2].statements.at(0).sql == R"(ALTER TABLE "posts" VALIDATE CONSTRAINT "fk_posts_user")");
    CHECK_FALSE(p.steps[2].statements.at(0).transactional);
    CHECK(p.steps[3].statements.at(0).sql == R"(ALTER TABLE "posts" VALIDATE CONSTRAINT "ck_posts_score")");
    for (const PlanStep& step : p.steps) CHECK_FALSE(has_note(step, "no effect"));
    CHECK(has_note(p.steps[3], "may fail if existing rows violate"));
}

TEST_CASE("a postgresql script commits before a concurrently build and shows its cleanup") {
    Plan p = plan_of("postgresql", R"([[upgrade]]
op = "add_column"
table = "posts"
column = { name = "title", type = "text" }

)" + std::string(index_step));
    const std::string script = render_script(p, dialect_named("postgresql"));
    INFO(script);
    const auto commit = script.find("COMMIT;\n");
    const auto build = script.find("CREATE INDEX CONCURRENTLY");
    REQUIRE(commit != std::string::npos);
    REQUIRE(build != std::string::npos);
    CHECK(commit < build);
    CHECK(script.find("--    after a failed attempt, first: DROP INDEX CONCURRENTLY IF EXISTS \"ix_posts_score\";") !=
          std::string::npos);
}

TEST_CASE("sqlite and mysql build a concurrently index the usual way with a note") {
    for (const char* dialect : {"sqlite", "mysql"}) {
        INFO(dialect);
        Plan p = plan_of(dialect, index_step);
        REQUIRE(p.steps.size() == 1);
        const SqlStatement& s = p.steps[0].statements.at(0);
        CHECK(s.sql.find("CONCURRENTLY") == std::string::npos);
        CHECK(s.sql.find("CREATE INDEX") == 0);
        CHECK(s.retry_probe.empty());
        CHECK(has_note(p.steps[0], "concurrently has no effect"));
    }
    CHECK(has_note(plan_of("mysql", index_step).steps[0], "InnoDB builds it in place"));
}

TEST_CASE("sqlite and mysql add not_valid constraints validated at once and validate nothing") {
    for (const char* dialect : {"sqlite", "mysql"}) {
        INFO(dialect);
        Plan p = plan_of(dialect, constraint_steps);
        REQUIRE(p.steps.size() == 4);
        for (const SqlStatement& s : p.steps[0].statements) CHECK(s.sql.find("NOT VALID") == std::string::npos);
        CHECK_FALSE(p.steps[0].statements.empty());
        CHECK(has_note(p.steps[0], "not_valid has no effect"));
        CHECK(has_note(p.steps[1], "not_valid has no effect"));
        for (std::size_t i : {2u, 3u}) {
            CHECK(p.steps[i].statements.empty());
            CHECK(has_note(p.steps[i], "nothing to do"));
        }
    }
}

TEST_CASE("validate_constraint of a constraint the table does not have is refused") {
    for (const char* dialect : {"sqlite", "postgresql", "mysql"}) {
        INFO(dialect);
        try {
            plan_of(dialect, R"([[upgrade]]
op = "validate_constraint"
table = "posts"
name = "fk_missing"
)");
            FAIL("expected Error(input)");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::input);
            CHECK(std::string(e.what()).find("fk_missing") != std::string::npos);
        }
    }
}
