// Live migration tests, run unchanged on SQLite, PostgreSQL and MySQL/MariaDB.
//
// For each pair of schemas A and B: create A, fill it with rows, reflect it, diff it
// with B, plan, and run the plan - once through execute_plan and once as the `--sql`
// script fed to the database's own client (sqlite3, psql, mariadb). Then the database
// must reflect with no difference to B, and every row of the columns A and B share
// must be unchanged.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/url.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "support/test_database.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using strata::testing::column;
using strata::testing::schema;
using strata::testing::TestDatabase;
using T = strata::testing::TableBuilder;

namespace {

enum class Mode { executor, client_script };

std::string listing(const DiffResult& r) {
    std::string out;
    for (const Operation& op : r.operations) out += "  " + describe(op) + "\n";
    return out;
}

// ---- creating and filling A ------------------------------------------------------------

void create(TestDatabase& db, const Metadata& schema) {
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    Metadata current = d.reflect(conn);
    DiffOptions o;
    o.dialect = &d;
    DiffResult r = diff(current, schema, o);
    Plan plan = make_plan(r.operations, d, current, PlanOptions{&conn, nullptr});
    execute_plan(plan, conn);
}

// A value for row `i` (1-based) of `c`; NULL every third row when `allow_null`.
Value value_for(const Column& c, int i, bool allow_null) {
    if (allow_null && i % 3 == 0) return null;
    switch (c.type.kind) {
        case TypeKind::small_integer:
        case TypeKind::integer:
        case TypeKind::big_integer: return std::int64_t{i * 7};
        case TypeKind::boolean: return i % 2 == 0;
        case TypeKind::string: {
            std::string s = fmt::format("s{}", i);
            if (c.type.length && static_cast<int>(s.size()) > *c.type.length) s.resize(static_cast<std::size_t>(*c.type.length));
            return s;
        }
        case TypeKind::text: return fmt::format("text {} with 'quotes'", i);
        case TypeKind::float_:
        case TypeKind::double_: return i + 0.5;
        case TypeKind::numeric: return i + 0.25;
        case TypeKind::date: return Date{2026, 1, i % 28 + 1};
        case TypeKind::time: return Time{i % 24, 30, 15, 0};
        case TypeKind::datetime: return DateTime{Date{2026, 2, i % 28 + 1}, Time{12, i % 60, 0, 0}};
        case TypeKind::blob: return Blob(std::string_view(fmt::format("b\0{}", i)));
        case TypeKind::json: return fmt::format("{{\"k\": {}}}", i);
        case TypeKind::uuid: return fmt::format("00000000-0000-0000-0000-{:012}", i);
        case TypeKind::enum_: return c.type.enum_values.empty() ? Value(null) : Value(c.type.enum_values[0]);
        default: return fmt::format("{}", i);
    }
}

// Inserts `rows` rows into every table of `a`, parents first. Keys are 1..rows, and a
// foreign-key column takes a key of its parent (row i -> parent i; for a reference to
// the same table, row i - 1). Columns of keys that close a cycle stay NULL. Other
// columns get NULLs only when nullable in `a` and still nullable in `b`.
void fill(Connection& conn, const Metadata& a, const Metadata& b, int rows) {
    const Dialect& d = conn.dialect();
    auto sorted = a.sorted();
    // Keys of B count too: data must also satisfy the keys the migration adds.
    std::set<std::pair<std::string, std::string>> cycle_cols;
    for (const Metadata* m : {&a, &b})
        for (const auto& [t, fk] : m->sorted().cycle_edges)
            for (const auto& c : fk->columns) cycle_cols.insert({t->name, c});
    for (const Table* t : sorted.tables) {
        std::set<std::string> fk_cols, self_cols;
        for (const Table* side : {t, b.find(t->name)}) {
            if (!side) continue;
            for (const ForeignKey& fk : side->foreign_keys)
                for (const auto& c : fk.columns) {
                    if (!t->find_column(c)) continue;
                    fk_cols.insert(c);
                    if (fk.ref_table == t->name) self_cols.insert(c);
                }
        }
        const Table* bt = b.find(t->name);
        std::string cols, marks;
        for (std::size_t i = 0; i < t->columns.size(); ++i) {
            cols += (i ? ", " : "") + d.quote(t->columns[i].name);
            marks += (i ? ", " : "") + d.placeholder(i + 1);
        }
        std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", d.quote(t->name), cols, marks);
        for (int r = 1; r <= rows; ++r) {
            std::vector<Value> values;
            for (const Column& c : t->columns) {
                const Column* bc = bt ? bt->find_column(c.name) : nullptr;
                bool allow_null = c.nullable && (!bc || bc->nullable) && !fk_cols.count(c.name);
                if (cycle_cols.count({t->name, c.name}))
                    values.push_back(null);
                else if (self_cols.count(c.name))
                    values.push_back(r == 1 ? Value(null) : Value(std::int64_t{r - 1}));
                else if (t->is_primary_key(c.name) || fk_cols.count(c.name))
                    values.push_back(std::int64_t{r});
                else
                    values.push_back(value_for(c, r, allow_null));
            }
            conn.execute(sql, values);
        }
    }
}

// ---- comparing rows ----------------------------------------------------------------------

// Values as text, so that a column whose type changed within a family compares equal
// (integer 5 and bigint 5; '1.25' from a NUMERIC and 1.25).
std::string canonical(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    if (is_null(v)) return "NULL";
    return to_display(v);
}

using Rows = std::vector<std::vector<std::string>>;

Rows snapshot(Connection& conn, const std::string& table, const std::vector<std::string>& columns,
              const std::vector<std::string>& order) {
    const Dialect& d = conn.dialect();
    std::string cols, by;
    for (std::size_t i = 0; i < columns.size(); ++i) cols += (i ? ", " : "") + d.quote(columns[i]);
    for (std::size_t i = 0; i < order.size(); ++i) by += (i ? ", " : "") + d.quote(order[i]);
    ResultSet rs = conn.query(fmt::format("SELECT {} FROM {} ORDER BY {}", cols, d.quote(table), by));
    Rows out;
    for (const auto& row : rs.rows) {
        std::vector<std::string> r;
        for (const Value& v : row) {
            std::string text = canonical(v);
            // NUMERIC(8,2) may come back as "1.25" or "1.250" after a scale change;
            // compare numbers by value.
            char* end = nullptr;
            double num = std::strtod(text.c_str(), &end);
            if (!text.empty() && end && *end == '\0') text = fmt::format("{}", num);
            r.push_back(text);
        }
        out.push_back(std::move(r));
    }
    return out;
}

// Which table and column of B each shared (table, column) of A became, from renames.
struct Shared {
    std::string a_table, b_table;
    std::vector<std::string> a_columns, b_columns;
    std::vector<std::string> a_order, b_order;
};

std::vector<Shared> shared_columns(const Metadata& a, const Metadata& b, const DiffOptions& options) {
    std::vector<Shared> out;
    for (const Table& bt : b.tables()) {
        std::string a_name = bt.name;
        if (!bt.renamed_from.empty() && a.find(bt.renamed_from) && !a.find(bt.name)) a_name = bt.renamed_from;
        for (const auto& [from, to] : options.table_renames)
            if (to == bt.name) a_name = from;
        const Table* at = a.find(a_name);
        if (!at) continue;
        Shared s{a_name, bt.name, {}, {}, {}, {}};
        auto a_col = [&](const Column& bc) -> std::string {
            for (const ColumnRename& r : options.column_renames)
                if ((r.table == bt.name || r.table == a_name) && r.to == bc.name) return r.from;
            if (!bc.renamed_from.empty() && at->find_column(bc.renamed_from) && !at->find_column(bc.name))
                return bc.renamed_from;
            return bc.name;
        };
        for (const Column& bc : bt.columns) {
            std::string name = a_col(bc);
            if (!at->find_column(name)) continue;
            s.a_columns.push_back(name);
            s.b_columns.push_back(bc.name);
            if (at->is_primary_key(name)) {
                s.a_order.push_back(name);
                s.b_order.push_back(bc.name);
            }
        }
        if (!s.a_columns.empty() && !s.a_order.empty()) out.push_back(std::move(s));
    }
    return out;
}

// ---- running a script through the database's own client ----------------------------------

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

void run_client(const TestDatabase& db, const std::string& script) {
    static int counter = 0;
    auto dir = std::filesystem::temp_directory_path();
    auto script_path = dir / fmt::format("strata_migrate_{}_{}.sql", static_cast<long>(::getpid()), counter);
    auto output_path = dir / fmt::format("strata_migrate_{}_{}.out", static_cast<long>(::getpid()), counter++);
    {
        std::ofstream f(script_path);
        f << script;
    }
    Url url = Url::parse(db.url());
    std::string command;
    if (url.dialect == "sqlite") {
        command = fmt::format("sqlite3 {} < {}", shell_quote(url.database), shell_quote(script_path.string()));
    } else if (url.dialect == "postgresql") {
        command = fmt::format("psql -X -q {} -f {}", shell_quote(url.str()), shell_quote(script_path.string()));
    } else {
        command = fmt::format("mariadb --protocol=TCP -h {} -P {} -u {} {} {} < {}", shell_quote(url.host),
                              url.port.value_or(3306), shell_quote(url.user), shell_quote("-p" + url.password),
                              shell_quote(url.database), shell_quote(script_path.string()));
    }
    int rc = std::system((command + " > " + shell_quote(output_path.string()) + " 2>&1").c_str());
    std::ifstream out(output_path);
    std::stringstream text;
    text << out.rdbuf();
    std::filesystem::remove(script_path);
    std::filesystem::remove(output_path);
    INFO("script:\n" << script << "\nclient output:\n" << text.str());
    REQUIRE(rc == 0);
}

// ---- the check ----------------------------------------------------------------------------

// Migrates a fresh database from `a` (filled with `rows` rows per table) to `b` and
// checks the outcome. Returns the plan that ran.
Plan check_migration(const Metadata& a, const Metadata& b, Mode mode, const DiffOptions& extra = {},
                     int rows = 6) {
    TestDatabase db;
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    create(db, a);
    fill(conn, a, b, rows);

    DiffOptions o = extra;
    o.dialect = &d;
    std::map<std::string, Rows> before;
    auto shared = shared_columns(a, b, o);
    for (const Shared& s : shared) before[s.a_table] = snapshot(conn, s.a_table, s.a_columns, s.a_order);

    Metadata current = d.reflect(conn);
    DiffResult r = diff(current, b, o);
    INFO("operations:\n" << listing(r));
    Plan plan = make_plan(r.operations, d, current, PlanOptions{&conn, nullptr});
    std::string script = render_script(plan, d);
    INFO("script:\n" << script);
    // After a script run by another client, check through a new connection: the test's
    // own connection may hold prepared statements planned against the old tables.
    std::unique_ptr<Connection> fresh;
    if (mode == Mode::executor) {
        execute_plan(plan, conn);
    } else {
        run_client(db, script);
        fresh = db.engine().connect();
    }
    Connection& check = fresh ? *fresh : conn;

    Metadata after = d.reflect(check);
    DiffOptions plain;
    plain.dialect = &d;
    DiffResult rest = diff(after, b, plain);
    INFO("difference left after the migration:\n" << listing(rest));
    CHECK(rest.empty());
    for (const Shared& s : shared) {
        INFO("rows of " << s.a_table << " -> " << s.b_table);
        CHECK(snapshot(check, s.b_table, s.b_columns, s.b_order) == before[s.a_table]);
    }
    return plan;
}

#define MIGRATE_BOTH_WAYS(a, b, ...)                                \
    SECTION("execute_plan") { check_migration(a, b, Mode::executor, ##__VA_ARGS__); } \
    SECTION("client script") { check_migration(a, b, Mode::client_script, ##__VA_ARGS__); }

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
            fresh = db.engine().connect();
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
