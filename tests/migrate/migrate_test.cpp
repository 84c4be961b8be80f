// Live migration tests, run unchanged on SQLite, PostgreSQL and MySQL/MariaDB.
//
// For each pair of schemas A and B: create A, fill it with rows, reflect it, diff it
// with B, plan, and run the plan - once through execute_plan and once as the `--sql`
// script fed to the database's own client (sqlite3, psql, mariadb). Then the database
// must reflect with no difference to B, and every row of the columns A and B share
// must be unchanged.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "support/test_database.hpp"
#include "../differ/schema_builder.hpp"
#include "migration_check.hpp"

using namespace strata;
using strata::testing::column;
using strata::testing::schema;
using strata::testing::TestDatabase;
using namespace strata::testing;
using T = strata::testing::TableBuilder;

namespace {

Metadata users_posts() {
    return schema({T("users").id("id", true).col("name", types::string(50), false).col("email", types::string(100)),
                   T("posts")
                       .id()
                       .col("user_id", types::integer(), false)
                       .col("title", types::string(200))
                       .fk("fk_posts_user_id_users", {"user_id"}, "users", {"id"})});
}

}  // namespace

TEST_CASE("migrate: add and drop tables in foreign-key order", "[migrate]") {
    Metadata a = schema({T("users").id().col("name", types::string(50))});
    Metadata b = schema({T("users").id().col("name", types::string(50)),
                         T("posts").id().col("user_id", types::integer()).fk("fk_posts_user", {"user_id"}, "users",
                                                                             {"id"}),
                         T("comments").id().col("post_id", types::integer()).fk("fk_comments_post", {"post_id"},
                                                                                "posts", {"id"})});
    SECTION("up") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("down") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: add and drop columns", "[migrate]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    Table& users = *b.find("users");
    users.columns.push_back(column("age", types::small_integer()));
    users.columns.push_back(column("status", types::string(10), false, ServerDefault::literal("active")));
    users.columns.erase(users.columns.begin() + 2);  // email
    b.find("posts")->columns.erase(b.find("posts")->columns.begin() + 2);  // title
    MIGRATE_BOTH_WAYS(a, b)
}

TEST_CASE("migrate: nullability both ways", "[migrate]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->find_column("name")->nullable = true;
    b.find("users")->find_column("email")->nullable = false;
    SECTION("there") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("and back") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: type changes keep every value", "[migrate]") {
    auto make = [](ColumnType s, ColumnType i, ColumnType n, ColumnType t1, ColumnType t2) {
        return schema({T("things").id().col("code", s).col("qty", i).col("price", n).col("note", t1).col("body", t2)});
    };
    Metadata a = make(types::string(6), types::integer(), types::numeric(8, 2), types::text(), types::string(40));
    Metadata b = make(types::string(12), types::big_integer(), types::numeric(10, 2), types::string(200), types::text());
    MIGRATE_BOTH_WAYS(a, b)
}

TEST_CASE("migrate: server defaults added, changed, removed", "[migrate]") {
    Metadata a = schema({T("t")
                             .id()
                             .col("label", types::string(20), true, ServerDefault::literal("it's"))
                             .col("n", types::integer(), true, ServerDefault::literal("1"))
                             .col("flag", types::boolean(), true)
                             .col("at", types::datetime(), true)});
    Metadata b = schema({T("t")
                             .id()
                             .col("label", types::string(20), true, ServerDefault::literal("new 'one'"))
                             .col("n", types::integer(), true)
                             .col("flag", types::boolean(), true, ServerDefault::literal("true"))
                             .col("at", types::datetime(), true, ServerDefault::expression("CURRENT_TIMESTAMP"))});
    SECTION("there") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("and back") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: indexes and unique constraints", "[migrate]") {
    auto make = [](std::vector<Index> ix, std::vector<UniqueConstraint> uq) {
        Table t = T("t").id().col("a", types::integer()).col("b", types::string(20)).col("c", types::integer());
        t.indexes = std::move(ix);
        t.uniques = std::move(uq);
        return schema({t});
    };
    Metadata a = make({Index{"ix_t_ab", {"a", "b"}, false}, Index{"ix_t_c", {"c"}, false}}, {});
    Metadata b = make({Index{"ix_t_ab", {"b", "a"}, false}, Index{"ix_t_c", {"c"}, true}},
                      {UniqueConstraint{"uq_t_b", {"b"}}});
    SECTION("there") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("and back") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: foreign keys added, dropped, changed, composite", "[migrate]") {
    auto parent = T("parent").col("a", types::integer(), false).col("b", types::integer(), false).pk({"a", "b"});
    auto child = [] { return T("child").id().col("pa", types::integer()).col("pb", types::integer()); };
    Metadata none = schema({parent, child()});
    Metadata composite = schema({parent, child().fk("fk_child_parent", {"pa", "pb"}, "parent", {"a", "b"})});
    Metadata cascade = schema({parent, child().fk("fk_child_parent", {"pa", "pb"}, "parent", {"a", "b"},
                                                  FkAction::cascade, FkAction::cascade)});
    SECTION("add") { MIGRATE_BOTH_WAYS(none, composite) }
    SECTION("change actions") { MIGRATE_BOTH_WAYS(composite, cascade) }
    SECTION("drop") { MIGRATE_BOTH_WAYS(cascade, none) }
}

TEST_CASE("migrate: self-referencing and circular foreign keys", "[migrate]") {
    Metadata a = schema({T("node").id().col("parent_id", types::integer()),
                         T("a").id().col("b_id", types::integer()), T("b").id().col("a_id", types::integer())});
    Metadata b = schema({T("node").id().col("parent_id", types::integer()).fk("fk_node_parent", {"parent_id"}, "node",
                                                                              {"id"}, FkAction::set_null),
                         T("a").id().col("b_id", types::integer()).fk("fk_a_b", {"b_id"}, "b", {"id"}),
                         T("b").id().col("a_id", types::integer()).fk("fk_b_a", {"a_id"}, "a", {"id"})});
    SECTION("add keys") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("drop keys") { MIGRATE_BOTH_WAYS(b, a) }
    SECTION("create and drop the whole cycle") {
        Metadata empty;
        SECTION("create") {
            TestDatabase db;
            create(db, b);
            DiffOptions o;
            o.dialect = &db.dialect();
            CHECK(diff(db.dialect().reflect(db.connection()), b, o).empty());
        }
        SECTION("drop") { MIGRATE_BOTH_WAYS(b, empty) }
    }
}

TEST_CASE("migrate: a referenced column changes type on both sides", "[migrate]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->find_column("id")->type = types::big_integer();
    b.find("posts")->find_column("user_id")->type = types::big_integer();
    MIGRATE_BOTH_WAYS(a, b)
}

TEST_CASE("migrate: checks and comments", "[migrate]") {
    Metadata a = schema({T("t").id().col("price", types::integer()).check("ck_t_price", "price > 0")});
    Metadata b = schema({T("t")
                             .id()
                             .col("price", types::integer())
                             .col_comment("in cents")
                             .check("ck_t_price", "price >= 0")
                             .check("ck_t_id", "id < 1000000")
                             .comment("price list")});
    SECTION("there") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("and back") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: renames from hints keep the data", "[migrate]") {
    Metadata a = users_posts();
    Metadata b;
    b.add(T("people")
              .renamed_from("users")
              .id("id", true)
              .col("full_name", types::string(50), false)
              .col_renamed_from("name")
              .col("email", types::string(100)));
    b.add(T("posts")
              .id()
              .col("user_id", types::integer(), false)
              .col("headline", types::string(200))
              .fk("fk_posts_user_id_users", {"user_id"}, "people", {"id"}));
    DiffOptions explicit_rename;
    explicit_rename.column_renames.push_back({"posts", "title", "headline"});
    MIGRATE_BOTH_WAYS(a, b, explicit_rename)
}

TEST_CASE("migrate: reserved words and mixed-case identifiers", "[migrate]") {
    Metadata a = schema({T("order").col("select", types::integer(), false).pk({"select"}).col("Group",
                                                                                          types::string(20))});
    Metadata b = schema({T("order")
                             .col("select", types::integer(), false)
                             .pk({"select"})
                             .col("Group", types::string(40), false)
                             .col("From", types::integer())
                             .index("ix_order_From", {"From"}),
                         T("User").id().col("where", types::integer()).fk("fk_User_where", {"where"}, "order",
                                                                          {"select"})});
    MIGRATE_BOTH_WAYS(a, b)
}

TEST_CASE("migrate: primary key changes", "[migrate]") {
    Metadata a = schema({T("link").col("a", types::integer(), false).col("b", types::integer(), false).pk({"a"})});
    Metadata b = schema({T("link").col("a", types::integer(), false).col("b", types::integer(), false).pk({"a", "b"})});
    SECTION("there") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("and back") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: NOT NULL column with a backfill value on a table with rows", "[migrate]") {
    Metadata a = users_posts();
    Column score = column("score", types::integer(), false);
    for (Mode mode : {Mode::executor, Mode::client_script}) {
        TestDatabase db;
        Connection& conn = db.connection();
        const Dialect& d = db.dialect();
        create(db, a);
        fill(conn, a, a, 4);
        Metadata current = d.reflect(conn);
        std::vector<Operation> ops = {op::AddColumn{"users", score, std::string("10")}};
        Plan plan = make_plan(ops, d, current, PlanOptions{&conn, nullptr});
        std::unique_ptr<Connection> fresh;
        if (mode == Mode::executor) {
            execute_plan(plan, conn);
        } else {
            run_client(db, render_script(plan, d));
            fresh = db.engine().open();
        }
        Connection& check = fresh ? *fresh : conn;
        ResultSet rs = check.query(fmt::format("SELECT {} FROM {}", d.quote("score"), d.quote("users")));
        REQUIRE(rs.rows.size() == 4);
        for (const auto& row : rs.rows) CHECK(canonical(row[0]) == "10");
        Metadata after = d.reflect(check);
        CHECK_FALSE(after.find("users")->find_column("score")->nullable);
    }
}

TEST_CASE("migrate: NOT NULL column without default is refused on a table with rows", "[migrate]") {
    Metadata a = users_posts();
    TestDatabase db;
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    create(db, a);
    std::vector<Operation> ops = {op::AddColumn{"users", column("score", types::integer(), false), std::nullopt}};
    // Empty table: nothing to fill, so it runs.
    SECTION("empty table") {
        Metadata current = d.reflect(conn);
        execute_plan(make_plan(ops, d, current, PlanOptions{&conn, nullptr}), conn);
        CHECK_FALSE(d.reflect(conn).find("users")->find_column("score")->nullable);
    }
    SECTION("table with rows") {
        fill(conn, a, a, 2);
        Metadata current = d.reflect(conn);
        try {
            make_plan(ops, d, current, PlanOptions{&conn, nullptr});
            FAIL("expected a refusal");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::refused);
            CHECK(std::string(e.what()).find("has rows") != std::string::npos);
        }
    }
}

TEST_CASE("migrate: a failing step is rolled back or reported as partial", "[migrate]") {
    Metadata a = users_posts();
    TestDatabase db;
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    create(db, a);
    fill(conn, a, a, 3);
    Metadata current = d.reflect(conn);
    // The second step fails: every user's name is the same length, but a unique
    // constraint on a constant column cannot hold for three rows.
    std::vector<Operation> ops = {
        op::AddColumn{"users", column("nick", types::string(10), true, ServerDefault::literal("x")), std::nullopt},
        op::AddUnique{"users", UniqueConstraint{"uq_users_nick", {"nick"}}},
    };
    Plan plan = make_plan(ops, d, current, PlanOptions{&conn, nullptr});
    std::vector<std::size_t> progress;
    ExecuteOptions eo;
    eo.on_statement = [&](const StatementProgress& p) { progress.push_back(p.done); };
    try {
        execute_plan(plan, conn, eo);
        FAIL("expected the unique constraint to fail");
    } catch (const Error& e) {
        std::string m = e.what();
        CHECK(m.find("step 2") != std::string::npos);
        if (d.capabilities().transactional_ddl) {
            CHECK(m.find("rolled back") != std::string::npos);
            CHECK(d.reflect(conn).find("users")->find_column("nick") == nullptr);
        } else {
            CHECK(m.find("partially applied") != std::string::npos);
            CHECK(d.reflect(conn).find("users")->find_column("nick") != nullptr);
            CHECK(progress == std::vector<std::size_t>{1});
        }
    }
    CHECK_FALSE(conn.in_transaction());
}

TEST_CASE("migrate: dropping the index that serves a foreign key", "[migrate]") {
    Metadata a = users_posts();
    a.find("posts")->indexes.push_back(Index{"ix_posts_user_title", {"user_id", "title"}, false});
    Metadata b = users_posts();
    MIGRATE_BOTH_WAYS(a, b)
}

TEST_CASE("migrate: every portable type survives a rebuild or alter of its table", "[migrate]") {
    auto make = [](bool changed) {
        return schema({T("all_types")
                           .id("id", true)
                           .col("i", types::integer())
                           .col("si", types::small_integer())
                           .col("bi", types::big_integer())
                           .col("b", types::boolean())
                           .col("s", types::string(30))
                           .col("tx", types::text())
                           .col("f", types::float_())
                           .col("d", types::double_())
                           .col("n", types::numeric(10, 2))
                           .col("dt", types::date())
                           .col("tm", types::time())
                           .col("ts", types::datetime())
                           .col("js", types::json())
                           .col("bl", types::blob())
                           .col("u", types::uuid())
                           .col("e", types::enum_({"draft", "published"}))
                           .col("extra", changed ? types::string(60) : types::string(30), changed)});
    };
    MIGRATE_BOTH_WAYS(make(false), make(true))
}

TEST_CASE("migrate: keys, rowids and autoincrement counters survive (and the next key is new)", "[migrate]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->find_column("name")->type = types::string(80);
    b.find("users")->indexes.push_back(Index{"ix_users_name", {"name"}, false});
    TestDatabase db;
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    create(db, a);
    // Rows 1..3 inserted with generated keys, then the last one deleted: a counter that
    // survives must not hand out 3 again.
    for (const char* n : {"ann", "bob", "cy"})
        conn.execute(fmt::format("INSERT INTO {} ({}) VALUES ({})", d.quote("users"), d.quote("name"),
                                 d.placeholder(1)),
                     {Value(std::string(n))});
    conn.execute(fmt::format("DELETE FROM {} WHERE {} = 3", d.quote("users"), d.quote("id")));
    Metadata current = d.reflect(conn);
    DiffOptions o;
    o.dialect = &d;
    execute_plan(make_plan(diff(current, b, o).operations, d, current, PlanOptions{&conn, nullptr}), conn);
    conn.execute(fmt::format("INSERT INTO {} ({}) VALUES ({})", d.quote("users"), d.quote("name"), d.placeholder(1)),
                 {Value(std::string("dee"))});
    ResultSet rs = conn.query(fmt::format("SELECT {}, {} FROM {} ORDER BY {}", d.quote("id"), d.quote("name"),
                                          d.quote("users"), d.quote("id")));
    REQUIRE(rs.rows.size() == 3);
    CHECK(canonical(rs.rows[0][0]) == "1");
    CHECK(canonical(rs.rows[1][0]) == "2");
    CHECK(canonical(rs.rows[2][0]) == "4");
    CHECK(canonical(rs.rows[2][1]) == "dee");
}

TEST_CASE("migrate: enum values added and removed", "[migrate]") {
    Metadata a = schema({T("doc").id().col("state", types::enum_({"draft", "published"}), false)});
    Metadata b = schema({T("doc").id().col("state", types::enum_({"draft", "published", "archived"}), false)});
    SECTION("add a value") { MIGRATE_BOTH_WAYS(a, b) }
    SECTION("remove a value") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: autoincrement turned on and off", "[migrate]") {
    Metadata a = schema({T("t").id("id", false).col("v", types::string(10))});
    Metadata b = schema({T("t").id("id", true).col("v", types::string(10))});
    SECTION("on") {
        MIGRATE_BOTH_WAYS(a, b)
        SECTION("and the next key follows the existing ones") {
            TestDatabase db;
            Connection& conn = db.connection();
            const Dialect& d = db.dialect();
            create(db, a);
            fill(conn, a, b, 5);
            Metadata current = d.reflect(conn);
            DiffOptions o;
            o.dialect = &d;
            execute_plan(make_plan(diff(current, b, o).operations, d, current, PlanOptions{&conn, nullptr}), conn);
            conn.execute(fmt::format("INSERT INTO {} ({}) VALUES ({})", d.quote("t"), d.quote("v"), d.placeholder(1)),
                         {Value(std::string("new"))});
            ResultSet rs = conn.query(fmt::format("SELECT max({}) FROM {}", d.quote("id"), d.quote("t")));
            CHECK(canonical(rs.rows.at(0).at(0)) == "6");
        }
    }
    SECTION("off") { MIGRATE_BOTH_WAYS(b, a) }
}

TEST_CASE("migrate: diff_databases turns one database into the other", "[migrate]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->columns.push_back(column("age", types::integer()));
    b.find("posts")->indexes.push_back(Index{"ix_posts_title", {"title"}, false});
    TestDatabase from, to;
    create(from, a);
    create(to, b);
    fill(from.connection(), a, b, 3);
    DatabaseDiff dd = diff_databases(from.engine(), to.engine());
    INFO(listing(dd.result));
    CHECK(dd.result.operations.size() == 2);
    const Dialect& d = from.dialect();
    execute_plan(make_plan(dd.result.operations, d, dd.from, PlanOptions{&from.connection(), nullptr}),
                 from.connection());
    CHECK(diff_databases(from.engine(), to.engine()).result.empty());
}

TEST_CASE("migrate: sql and call steps run through the executor", "[migrate]") {
    Metadata a = users_posts();
    TestDatabase db;
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    create(db, a);
    fill(conn, a, a, 3);
    Metadata current = d.reflect(conn);
    std::vector<Operation> ops = {
        op::AddColumn{"users", column("score", types::integer()), std::nullopt},
        op::ExecuteSql{fmt::format("UPDATE {} SET {} = 5", d.quote("users"), d.quote("score")), {}, "", {}},
        op::Call{"double_scores", ""},
    };
    Plan plan = make_plan(ops, d, current, PlanOptions{&conn, nullptr});
    CHECK(plan.steps[2].statements.empty());
    CHECK(plan.steps[2].irreversible);

    SECTION("without a handler nothing runs") {
        CHECK_THROWS_AS(execute_plan(plan, conn), Error);
        CHECK(d.reflect(conn).find("users")->find_column("score") == nullptr);
    }
    SECTION("with a handler") {
        std::vector<std::string> called;
        ExecuteOptions eo;
        eo.call = [&](const op::Call& c, Connection& cn) {
            called.push_back(c.function);
            cn.execute(fmt::format("UPDATE {} SET {} = {} * 2", d.quote("users"), d.quote("score"), d.quote("score")));
        };
        bool hook = false;
        eo.before_commit = [&](Connection& cn) { hook = cn.in_transaction() == d.capabilities().transactional_ddl; };
        ExecuteResult res = execute_plan(plan, conn, eo);
        CHECK(res.statements == plan.statement_count());
        CHECK(called == std::vector<std::string>{"double_scores"});
        CHECK(hook);
        ResultSet rs = conn.query(fmt::format("SELECT DISTINCT {} FROM {}", d.quote("score"), d.quote("users")));
        REQUIRE(rs.rows.size() == 1);
        CHECK(canonical(rs.rows[0][0]) == "10");
    }
    SECTION("after_begin can skip the plan (transactional DDL only)") {
        bool asked = false;
        ExecuteOptions eo;
        eo.call = [](const op::Call&, Connection&) {};
        eo.after_begin = [&](Connection& cn) {
            asked = cn.in_transaction();
            return false;
        };
        ExecuteResult res = execute_plan(plan, conn, eo);
        CHECK_FALSE(conn.in_transaction());
        if (d.capabilities().transactional_ddl) {
            CHECK(asked);
            CHECK(res.skipped);
            CHECK(res.statements == 0);
            CHECK(d.reflect(conn).find("users")->find_column("score") == nullptr);
        } else {
            CHECK_FALSE(asked);
            CHECK_FALSE(res.skipped);
            CHECK(d.reflect(conn).find("users")->find_column("score") != nullptr);
        }
    }
    SECTION("resume skips what an earlier run applied") {
        conn.execute_unprepared(fmt::format("ALTER TABLE {} ADD COLUMN {} INTEGER", d.quote("users"), d.quote("score")));
        Plan rest = make_plan(std::vector<Operation>{ops[0], ops[1]}, d, current, PlanOptions{&conn, nullptr});
        ExecuteOptions eo;
        eo.skip_statements = 1;
        std::vector<std::size_t> done;
        eo.on_statement = [&](const StatementProgress& p) { done.push_back(p.done); };
        ExecuteResult res = execute_plan(rest, conn, eo);
        CHECK(res.statements == 1);
        CHECK(done == std::vector<std::size_t>{2});
    }
}
