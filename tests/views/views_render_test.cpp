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
    return strata::testing::schema(
        {T("threads").id().col("title", types::string(255), false).col("state", types::string(12))});
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
    Plan plan =
        make_plan(std::vector<Operation>{widen_title()}, postgresql_dialect(), forum(), PlanOptions{nullptr, &native});
    // Created in dependency order (ties by name), dropped in the reverse order.
    CHECK(sql_of(plan) == std::vector<std::string>{
                              "DROP MATERIALIZED VIEW thread_titles",
                              "DROP VIEW busy_threads",
                              "DROP VIEW thread_activity",
                              "ALTER TABLE \"threads\" ALTER COLUMN \"title\" TYPE VARCHAR(265)",
                              "CREATE VIEW thread_activity AS SELECT ...",
                              "GRANT SELECT ON thread_activity TO PUBLIC",
                              "CREATE VIEW busy_threads AS SELECT ...",
                              "GRANT SELECT ON busy_threads TO PUBLIC",
                              "CREATE MATERIALIZED VIEW thread_titles AS SELECT ...",
                              "GRANT SELECT ON thread_titles TO PUBLIC",
                          });
    CHECK(plan.steps.at(0).transactional);
}

TEST_CASE("postgres: a drop of a column a view reads is wrapped the same way", "[views][render]") {
    NativeObjects native = forum_views();
    Column state = strata::testing::column("state", types::string(12));
    Plan plan = make_plan(std::vector<Operation>{op::DropColumn{"threads", state}}, postgresql_dialect(), forum(),
                          PlanOptions{nullptr, &native});
    CHECK(sql_of(plan) ==
          std::vector<std::string>{"DROP VIEW open_threads", "ALTER TABLE \"threads\" DROP COLUMN \"state\"",
                                   "CREATE VIEW open_threads AS SELECT ...", "GRANT SELECT ON open_threads TO PUBLIC"});
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
    CHECK(sql_of(offline) ==
          std::vector<std::string>{"ALTER TABLE \"threads\" ALTER COLUMN \"title\" TYPE VARCHAR(265)"});
}

TEST_CASE("postgres: a view whose column was renamed earlier in the plan is refused, naming it", "[views][render]") {
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
    CHECK_NOTHROW(
        make_plan(std::vector<Operation>{ops[0]}, postgresql_dialect(), forum(), PlanOptions{nullptr, &native}));
}

TEST_CASE("sqlite and mysql: a type change leaves views alone", "[views][render]") {
    NativeObjects native = forum_views();
    for (const Dialect* d : {&sqlite_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        Plan plan = make_plan(std::vector<Operation>{widen_title()}, *d, forum(), PlanOptions{nullptr, &native});
        for (const std::string& sql : sql_of(plan)) CHECK(sql.find("VIEW") == std::string::npos);
    }
}

// ---- views as schema objects: their own operations -------------------------------------------

namespace {

View view_of(std::string name, std::string definition, bool materialized = false) {
    return View{std::move(name), std::move(definition), {}, materialized};
}

std::vector<std::string> render(const Dialect& d, const Operation& op, const Metadata& schema) {
    std::vector<std::string> out;
    for (const SqlStatement& s : d.render_operation(op, RenderContext{schema})) out.push_back(s.sql);
    return out;
}

Metadata with_view(const View& v) {
    Metadata m = forum();
    m.add_view(v);
    return m;
}

}  // namespace

TEST_CASE("create_view, drop_view and replace_view render on every database", "[views][render]") {
    const View active = view_of("open_threads", "SELECT id, title FROM threads WHERE state = 'open';\n");
    View named = active;
    named.columns = {"thread_id", "headline"};
    const View changed = view_of("open_threads", "SELECT id, title, state FROM threads");

    CHECK(render(sqlite_dialect(), op::CreateView{active}, forum()) ==
          std::vector<std::string>{
              "CREATE VIEW \"open_threads\" AS\nSELECT id, title FROM threads WHERE state = 'open'"});
    CHECK(render(mysql_dialect(), op::CreateView{named}, forum()) ==
          std::vector<std::string>{"CREATE VIEW `open_threads` (`thread_id`, `headline`) AS\n"
                                   "SELECT id, title FROM threads WHERE state = 'open'"});
    CHECK(render(postgresql_dialect(), op::DropView{active}, with_view(active)) ==
          std::vector<std::string>{"DROP VIEW \"open_threads\""});

    // A replacement: one statement on MySQL, drop and create elsewhere.
    CHECK(render(mysql_dialect(), op::ReplaceView{active, changed}, with_view(active)) ==
          std::vector<std::string>{"CREATE OR REPLACE VIEW `open_threads` AS\nSELECT id, title, state FROM threads"});
    for (const Dialect* d : {&sqlite_dialect(), &postgresql_dialect()}) {
        INFO(d->name());
        std::vector<std::string> sql = render(*d, op::ReplaceView{active, changed}, with_view(active));
        REQUIRE(sql.size() == 2);
        CHECK(sql[0] == "DROP VIEW \"open_threads\"");
        CHECK(sql[1] == "CREATE VIEW \"open_threads\" AS\nSELECT id, title, state FROM threads");
    }
}

TEST_CASE("materialized views exist on PostgreSQL only", "[views][render]") {
    const View titles = view_of("thread_titles", "SELECT id, upper(title) AS shout FROM threads", true);
    CHECK(render(postgresql_dialect(), op::CreateView{titles}, forum()) ==
          std::vector<std::string>{"CREATE MATERIALIZED VIEW \"thread_titles\" AS\n"
                                   "SELECT id, upper(title) AS shout FROM threads"});
    // A drop written with the name alone is a materialized one when the schema says so.
    CHECK(render(postgresql_dialect(), op::DropView{view_of("thread_titles", "")}, with_view(titles)) ==
          std::vector<std::string>{"DROP MATERIALIZED VIEW \"thread_titles\""});
    for (const Dialect* d : {&sqlite_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        try {
            render(*d, op::CreateView{titles}, forum());
            FAIL("expected Error(unsupported)");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::unsupported);
            CHECK_THAT(e.what(), Catch::Contains("materialized view thread_titles"));
        }
    }
}

TEST_CASE("postgres: dropping or replacing a view that others read takes those with it", "[views][render]") {
    NativeObjects native = forum_views();
    const View activity = view_of("thread_activity", "SELECT ...");
    const View changed = view_of("thread_activity", "SELECT id, title, 0 AS posts FROM threads");
    Plan plan = make_plan(std::vector<Operation>{op::ReplaceView{activity, changed}}, postgresql_dialect(),
                          with_view(activity), PlanOptions{nullptr, &native});
    CHECK(sql_of(plan) == std::vector<std::string>{
                              "DROP VIEW busy_threads",
                              "DROP VIEW \"thread_activity\"",
                              "CREATE VIEW \"thread_activity\" AS\nSELECT id, title, 0 AS posts FROM threads",
                              "CREATE VIEW busy_threads AS SELECT ...",
                              "GRANT SELECT ON busy_threads TO PUBLIC",
                          });
    // Once replaced, the catalog's old text of the view is not used again by a later step:
    // the new definition is, found from its text, with the catalog's view that reads it.
    std::vector<Operation> ops{op::ReplaceView{activity, changed}, widen_title()};
    Plan both = make_plan(ops, postgresql_dialect(), with_view(activity), PlanOptions{nullptr, &native});
    REQUIRE(both.steps.size() == 2);
    std::vector<std::string> second;
    for (const SqlStatement& s : both.steps[1].statements) second.push_back(s.sql);
    CHECK(second == std::vector<std::string>{
                        "DROP MATERIALIZED VIEW thread_titles",
                        "DROP VIEW busy_threads",
                        "DROP VIEW \"thread_activity\"",
                        "ALTER TABLE \"threads\" ALTER COLUMN \"title\" TYPE VARCHAR(265)",
                        "CREATE VIEW \"thread_activity\" AS\nSELECT id, title, 0 AS posts FROM threads",
                        "CREATE VIEW busy_threads AS SELECT ...",
                        "GRANT SELECT ON busy_threads TO PUBLIC",
                        "CREATE MATERIALIZED VIEW thread_titles AS SELECT ...",
                        "GRANT SELECT ON thread_titles TO PUBLIC",
                    });
}

TEST_CASE("postgres offline: views the schema knows are wrapped by what their text mentions", "[views][render]") {
    Metadata schema = forum();
    schema.add_view(view_of("titles", "SELECT title FROM threads"));
    schema.add_view(view_of("counted", "SELECT count(*) AS n FROM titles"));
    schema.add_view(view_of("unrelated", "SELECT 1 AS one"));
    Plan plan = make_plan(std::vector<Operation>{widen_title()}, postgresql_dialect(), schema);
    CHECK(sql_of(plan) == std::vector<std::string>{
                              "DROP VIEW \"counted\"",
                              "DROP VIEW \"titles\"",
                              "ALTER TABLE \"threads\" ALTER COLUMN \"title\" TYPE VARCHAR(265)",
                              "CREATE VIEW \"titles\" AS\nSELECT title FROM threads",
                              "CREATE VIEW \"counted\" AS\nSELECT count(*) AS n FROM titles",
                          });
}
