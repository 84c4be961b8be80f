// Pure tests of the version table's SQL and stored plans (no database).
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "migrations/plan.hpp"
#include "migrations/runner.hpp"
#include "migrations/version_table.hpp"

using namespace strata;

namespace {

std::vector<Step> sample_steps() {
    Table t;
    t.name = "audit";
    Column id;
    id.name = "id";
    id.type = types::integer();
    id.nullable = false;
    t.columns.push_back(id);
    t.primary_key.columns = {"id"};
    Column email;
    email.name = "email";
    email.type = types::string(100);
    return {
        Step{op::CreateTable{t}, false},
        Step{op::Call{"backfill", ""}, false},
        Step{op::AddColumn{"audit", email, std::nullopt}, false},
        Step{op::DropColumn{"audit", email}, true},
    };
}

}  // namespace

TEST_CASE("resume plans round-trip through their stored form") {
    const Dialect& d = mysql_dialect();
    std::vector<Step> steps = sample_steps();
    Plan plan = make_plan(steps, d, Metadata{});
    REQUIRE(plan.steps.size() == 4);
    REQUIRE(plan.statement_count() >= 3);

    std::string text = encode_resume_plan(plan, "upgrade");
    CHECK(resume_plan_origin(text) == "upgrade");
    Plan back = decode_resume_plan(text, steps, d);
    REQUIRE(back.steps.size() == plan.steps.size());
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        CHECK(back.steps[i].statements == plan.steps[i].statements);
        CHECK(back.steps[i].operation == plan.steps[i].operation);
        CHECK(back.steps[i].description == plan.steps[i].description);
        CHECK(back.steps[i].destructive == plan.steps[i].destructive);
        CHECK(back.steps[i].destructive_ok == plan.steps[i].destructive_ok);
    }
    CHECK(back.before_transaction == plan.before_transaction);
    CHECK(back.after_transaction == plan.after_transaction);
    CHECK(back.statement_count() == plan.statement_count());
    CHECK(back.dialect == "mysql");
    CHECK_FALSE(back.transactional_ddl);

    // next_sql: the first statement not yet applied.
    AppliedRevision row;
    row.state = RevisionState::partial;
    row.resume_plan = text;
    row.statements_applied = 0;
    CHECK(row.next_sql() == plan.steps[0].statements[0].sql);
    row.statements_applied = static_cast<std::int64_t>(plan.steps[0].statements.size());
    CHECK(row.next_sql() == plan.steps[2].statements[0].sql);  // the call step has none
    row.statements_applied = static_cast<std::int64_t>(plan.statement_count());
    CHECK(row.next_sql().empty());
    row.state = RevisionState::applied;
    row.statements_applied = 0;
    CHECK(row.next_sql().empty());
}

TEST_CASE("a stored plan that does not fit the revision is refused") {
    const Dialect& d = mysql_dialect();
    std::vector<Step> steps = sample_steps();
    std::string text = encode_resume_plan(make_plan(steps, d, Metadata{}), "downgrade");
    steps.pop_back();
    try {
        decode_resume_plan(text, steps, d);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::database);
        CHECK(std::string(e.what()).find("does not belong") != std::string::npos);
    }
    CHECK_THROWS_AS(decode_resume_plan("{not json", steps, d), Error);
    CHECK_THROWS_AS(resume_plan_origin("[]"), Error);
    AppliedRevision damaged;
    damaged.state = RevisionState::partial;
    damaged.resume_plan = "{not json";
    CHECK(damaged.next_sql().empty());
}

TEST_CASE("version table scripts quote per dialect and spell values as literals") {
    for (const Dialect* d : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        VersionTable v(*d);
        std::vector<std::string> create = v.create_script();
        REQUIRE(create.size() == 3);
        CHECK(create[0].find("CREATE TABLE IF NOT EXISTS " + d->quote("strata_version")) == 0);
        CHECK(create[0].find(d->quote("resume_plan")) != std::string::npos);
        CHECK(create[1].find(d->quote("strata_version_meta")) != std::string::npos);
        CHECK(create[2].find("WHERE NOT EXISTS") != std::string::npos);

        AppliedRevision row{.revision = "abc",
                            .checksum = "sha256:ff",
                            .applied_at = "2026-11-26T05:00:00.000000Z",
                            .statements_applied = 2,
                            .statements_total = 2,
                            .error = "it's broken"};
        std::string insert = v.insert_script(row);
        CHECK(insert.find("'abc'") != std::string::npos);
        CHECK(insert.find("'applied'") != std::string::npos);
        CHECK(insert.find("NULL") != std::string::npos);
        CHECK(insert.find("?") == std::string::npos);
        CHECK(insert.find("$1") == std::string::npos);
        CHECK(insert.find(d->literal(Value(std::string("it's broken")))) != std::string::npos);
        CHECK(v.remove_script("abc").find("'abc'") != std::string::npos);
    }
    CHECK(std::string(to_string(RevisionState::reverting)) == "reverting");
    CHECK(std::string(to_string(Direction::downgrade)) == "downgrade");
    CHECK(version_timestamp().size() == 27);
    CHECK(version_timestamp().back() == 'Z');
}

TEST_CASE("offline scripts need no database: nothing to do, and a bad target") {
    Runner runner(create_engine("sqlite:////nonexistent-dir/never-opened.db"), RevisionGraph{});
    std::string script = runner.upgrade_sql("heads");
    CHECK(script.find("nothing to do") != std::string::npos);
    CHECK(script.find(".bail on") != std::string::npos);
    CHECK_THROWS_AS(runner.downgrade_sql("-1"), Error);
}
