// Views without a database: the statements a plan wraps around a column change on
// PostgreSQL (the views over the column dropped and created again), and that the other
// databases need no such thing.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "dialects/dialect.hpp"
#include "migrations/plan.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using T = strata::testing::TableBuilder;

namespace {

Metadata forum() {
    return strata::testing::schema({T("threads").id().col("title", types::string(255), false).col("state",
                                                                                                   types::string(12))});
}

NativeObjects::View view(std::string name, std::map<std::string, std::vector<std::string>> columns,
                         std::vector<std::string> views = {}, bool materialized = false) {
    NativeObjects::View v;
    v.name = name;
    v.materialized = materialized;
    v.columns = std::move(columns);
    v.views = std::move(views);
    const std::string kind = materialized ? "MATERIALIZED VIEW " : "VIEW ";
    v.drop_sql = "DROP " + kind + name;
    v.create_sql = {"CREATE " + kind + name + " AS SELECT ...", "GRANT SELECT ON " + name + " TO PUBLIC"};
    return v;
}

// A view over threads.title, a view over that view, a materialized view over the title,
// and a view that reads only threads.state: in dependency order, as the catalog gives them.
NativeObjects forum_views() {
    NativeObjects native;
    native.views = {view("thread_activity", {{"threads", {"id", "title"}}}),
                    view("thread_titles", {{"threads", {"title"}}}, {}, true),
                    view("open_threads", {{"threads", {"id", "state"}}}),
                    view("busy_threads", {}, {"thread_activity"})};
    return native;
}

op::AlterColumn widen_title() {
    Column from = strata::testing::column("title", types::string(255), false);
    Column to = from;
    to.type = types::string(265);
    return op::AlterColumn{"threads", from, to};
}

std::vector<std::string> sql_of(const Plan& plan) {
    std::vector<std::string> out;
    for (const PlanStep& step : plan.steps)
        for (const SqlStatement& s : step.statements) out.push_back(s.sql);
    return out;
}

}  // namespace

TEST_CASE("postgres: a type change drops the views over the column first and creates them again after",
          "[views][render]") {
    NativeObjects native = forum_views();
    Plan plan = make_plan(std::vector<Operation>{widen_title()}, postgresql_dialect(), forum(),
                          PlanOptions{nullptr, &native});
    CHECK(sql_of(plan) == std::vector<std::string>{
                              "DROP VIEW busy_threads",
                              "DROP MATERIALIZED VIEW thread_titles",
                              "DROP VIEW thread_activity",
                              "ALTER TABLE \"threads\" ALTER COLUMN \"title\" TYPE VARCHAR(265)",
                              "CREATE VIEW thread_activity AS SELECT ...",
                              "GRANT SELECT ON thread_activity TO PUBLIC",
                              "CREATE MATERIALIZED VIEW thread_titles AS SELECT ...",
                              "GRANT SELECT ON thread_titles TO PUBLIC",
                              "CREATE VIEW busy_threads AS SELECT ...",
                              "GRANT SELECT ON busy_threads TO PUBLIC",
                          });
    CHECK(plan.steps.at(0).transactional);
}

TEST_CASE("postgres: a drop of a column a view reads is wrapped the same way", "[views][render]") {
    NativeObjects native = forum_views();
    Column state = strata::testing::column("state", types::string(12));
    Plan plan = make_plan(std::vector<Operation>{op::DropColumn{"threads", state}}, postgresql_dialect(), forum(),
                          PlanOptions{nullptr, &native});
    CHECK(sql_of(plan) == std::vector<std::string>{"DROP VIEW open_threads",
                                                   "ALTER TABLE \"threads\" DROP COLUMN \"state\"",
                                                   "CREATE VIEW open_threads AS SELECT ...",
                                                   "GRANT SELECT ON open_threads TO PUBLIC"});
}

TEST_CASE("postgres: changes a view does not stop are not wrapped", "[views][render]") {
    NativeObjects native = forum_views();
    Column from = strata::testing::column("title", types::string(255), false);
    Column to = from;
    to.nullable = true;  // no type change: the server allows it under a view
    Plan plan = make_plan(std::vector<Operation>{op::AlterColumn{"threads", from, to}}, postgresql_dialect(), forum(),
                          PlanOptions{nullptr, &native});
    CHECK(sql_of(plan) == std::vector<std::string>{"ALTER TABLE \"threads\" ALTER COLUMN \"title\" DROP NOT NULL"});
    // Offline, without the catalog, the plan cannot know the views: the statement alone.
    Plan offline = make_plan(std::vector<Operation>{widen_title()}, postgresql_dialect(), forum());
    CHECK(sql_of(offline) == std::vector<std::string>{"ALTER TABLE \"threads\" ALTER COLUMN \"title\" TYPE VARCHAR(265)"});
}

TEST_CASE("postgres: a view whose column was renamed earlier in the plan is refused, naming it",
          "[views][render]") {
    NativeObjects native = forum_views();
    Column from = strata::testing::column("headline", types::string(255), false);
    Column to = from;
    to.type = types::string(265);
    std::vector<Operation> ops{op::RenameColumn{"threads", "title", "headline"}, op::AlterColumn{"threads", from, to}};
    try {
        make_plan(ops, postgresql_dialect(), forum(), PlanOptions{nullptr, &native});
        FAIL("expected Error(unsupported)");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::unsupported);
        CHECK_THAT(e.what(), Catch::Contains("view thread_activity") && Catch::Contains("separate revisions"));
    }
    // The rename alone is fine: the server keeps the view across it.
    CHECK_NOTHROW(make_plan(std::vector<Operation>{ops[0]}, postgresql_dialect(), forum(), PlanOptions{nullptr, &native}));
}

TEST_CASE("sqlite and mysql: a type change leaves views alone", "[views][render]") {
    NativeObjects native = forum_views();
    for (const Dialect* d : {&sqlite_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        Plan plan = make_plan(std::vector<Operation>{widen_title()}, *d, forum(), PlanOptions{nullptr, &native});
        for (const std::string& sql : sql_of(plan)) CHECK(sql.find("VIEW") == std::string::npos);
    }
}
