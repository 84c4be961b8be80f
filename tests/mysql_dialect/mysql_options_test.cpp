// MySQL/MariaDB dialect options without a server: character sets, collations, table
// options and ON UPDATE, as rendered (golden SQL), normalized and compared by the differ.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/schema_edit.hpp"

using namespace strata;

namespace {

const MysqlDialect& d() {
    static const MysqlDialect dialect;
    return dialect;
}

Column col(std::string name, ColumnType type, std::map<std::string, std::string> options = {}) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.options.values = std::move(options);
    return c;
}

// A table with an id and the given columns.
Table table(std::string name, std::vector<Column> columns, std::map<std::string, std::string> options = {}) {
    Table t;
    t.name = std::move(name);
    Column id = col("id", types::integer());
    id.nullable = false;
    t.columns.push_back(id);
    for (Column& c : columns) t.columns.push_back(std::move(c));
    t.primary_key = {"pk_" + t.name, {"id"}};
    t.options.values = std::move(options);
    return t;
}

Metadata schema(const Table& t) {
    Metadata m;
    m.add(t);
    return m;
}

// How a MariaDB 10.11 server reports a table created with `options` (engine, charset
// and collation always; these are its default collations).
std::map<std::string, std::string> as_reported(const std::string& collation, std::string row_format = "") {
    std::map<std::string, std::string> out{{"mysql.engine", "InnoDB"},
                                           {"mysql.charset", collation.substr(0, collation.find('_'))},
                                           {"mysql.collation", collation}};
    if (!row_format.empty()) out["mysql.row_format"] = row_format;
    return out;
}

DiffResult mysql_diff(const Table& current, const Table& desired) {
    DiffOptions options;
    options.dialect = &d();
    return diff(schema(current), schema(desired), options);
}

std::vector<std::string> sql_of(const DiffResult& r, const Table& current) {
    Plan plan = make_plan(r.operations, d(), schema(current));
    std::vector<std::string> out;
    for (const PlanStep& step : plan.steps)
        for (const SqlStatement& s : step.statements) out.push_back(s.sql);
    return out;
}

std::vector<std::string> rendered(const Operation& operation, const Table& context) {
    Metadata m = schema(context);
    std::vector<std::string> out;
    for (const SqlStatement& s : d().render_operation(operation, RenderContext{m})) out.push_back(s.sql);
    return out;
}

}  // namespace

TEST_CASE("mysql options: charset and collation of columns and tables in CREATE TABLE", "[mysql]") {
    Table t = table("accounts",
                    {col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}),
                     col("legacy", types::string(10), {{"mysql.charset", "LATIN1"}}),
                     col("code", types::char_(3), {{"mysql.charset", "ascii"}, {"mysql.collation", "ascii_bin"}}),
                     col("old", types::text(65535), {{"mysql.collation", "utf8_general_ci"}}),
                     col("same", types::string(5), {{"mysql.charset", "utf8mb4"}}),
                     col("kind", types::enum_({"a", "b"}), {{"mysql.charset", "latin1"}})},
                    {{"mysql.collation", "utf8mb4_unicode_ci"}, {"mysql.row_format", "dynamic"}});
    auto sql = d().render_create_table(t);
    REQUIRE(sql.size() == 1);
    CHECK(sql[0] ==
          "CREATE TABLE `accounts` (\n"
          "    `id` INT NOT NULL,\n"
          "    `login` VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,\n"
          "    `legacy` VARCHAR(10) CHARACTER SET latin1,\n"
          "    `code` CHAR(3) CHARACTER SET ascii COLLATE ascii_bin,\n"
          "    `old` TEXT CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci,\n"
          "    `same` VARCHAR(5),\n"  // the table's charset: it follows the table
          "    `kind` ENUM('a','b') CHARACTER SET latin1,\n"
          "    PRIMARY KEY (`id`)\n"
          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC");

    t.options.values = {{"mysql.engine", "Aria"}, {"mysql.charset", "utf8"}};
    CHECK(d().render_create_table(t)[0].ends_with(") ENGINE=Aria DEFAULT CHARSET=utf8mb3"));
    t.options.values = {{"mysql.collation", "latin1_bin"}};
    CHECK(d().render_create_table(t)[0].ends_with(") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin"));
}

TEST_CASE("mysql options: ON UPDATE takes the column's precision", "[mysql]") {
    Table t = table("t", {});
    Column stamp = col("changed", types::datetime(), {{"mysql.on_update", "now()"}});
    CHECK(d().render_column(t, stamp) == "`changed` DATETIME(6) ON UPDATE CURRENT_TIMESTAMP(6)");
    stamp.type = types::datetime().fractional(0);
    stamp.options.values["mysql.on_update"] = "current_timestamp()";
    CHECK(d().render_column(t, stamp) == "`changed` DATETIME ON UPDATE CURRENT_TIMESTAMP");
    stamp.type = types::native("timestamp(3)");
    stamp.nullable = false;
    stamp.server_default = ServerDefault::expression("CURRENT_TIMESTAMP(3)");
    CHECK(d().render_column(t, stamp) ==
          "`changed` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)");
}

TEST_CASE("mysql options: options that cannot apply are input errors before any SQL", "[mysql]") {
    auto kind = [](const Table& t) {
        try {
            d().render_create_table(t);
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::internal;
    };
    CHECK(kind(table("t", {col("n", types::integer(), {{"mysql.collation", "utf8mb4_bin"}})})) == ErrorKind::input);
    CHECK(kind(table(
              "t", {col("s", types::string(5), {{"mysql.charset", "latin1"}, {"mysql.collation", "utf8mb4_bin"}})})) ==
          ErrorKind::input);
    CHECK(kind(table("t", {col("s", types::string(5), {{"mysql.collation", "x; DROP TABLE t"}})})) == ErrorKind::input);
    CHECK(kind(table("t", {}, {{"mysql.engine", "InnoDB ROW_FORMAT=X"}})) == ErrorKind::input);
    CHECK(kind(table("t", {}, {{"mysql.charset", "latin1"}, {"mysql.collation", "utf8mb4_bin"}})) == ErrorKind::input);
}

TEST_CASE("mysql options: normalize keeps only what differs from the table, with aliases resolved", "[mysql]") {
    // As reflection first reads it: every text column with its own charset and collation.
    Table t =
        table("t",
              {col("a", types::string(5), {{"mysql.charset", "utf8mb4"}, {"mysql.collation", "utf8mb4_unicode_ci"}}),
               col("b", types::string(5), {{"mysql.charset", "utf8mb4"}, {"mysql.collation", "utf8mb4_general_ci"}}),
               col("c", types::string(5), {{"mysql.charset", "utf8"}, {"mysql.collation", "utf8_general_ci"}}),
               col("d", types::string(5), {{"mysql.charset", "utf8mb4"}})},
              {{"mysql.engine", "InnoDB"}, {"mysql.collation", "utf8mb4_unicode_ci"}, {"mysql.row_format", "Default"}});
    Table n = d().normalize(t);
    CHECK(n.columns[1].options.values.empty());  // the table's collation
    CHECK(n.columns[2].options.values ==
          std::map<std::string, std::string>{
              {"mysql.collation", "utf8mb4_general_ci"}});  // the charset's default, not the table's
    CHECK(n.columns[3].options.values ==
          std::map<std::string, std::string>{{"mysql.charset", "utf8mb3"}, {"mysql.collation", "utf8mb3_general_ci"}});
    CHECK(n.columns[4].options.values.empty());  // the table's charset: follows the table
    CHECK(n.options.values ==
          std::map<std::string, std::string>{{"mysql.collation", "utf8mb4_unicode_ci"}, {"mysql.engine", "InnoDB"}});
}

TEST_CASE("mysql options: a model that declares nothing matches the table strata created", "[mysql]") {
    // The model: no options. The server: engine, charset and its default collation.
    Table model = table("t", {col("name", types::string(20)), col("at", types::datetime())});
    Table server = model;
    server.options.values = as_reported("utf8mb4_general_ci");
    CHECK(mysql_diff(server, model).empty());
    CHECK(mysql_diff(model, server).empty());

    // Declared collations, of the table and of columns, including the charset's default.
    Table declared = table("t", {col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}),
                                 col("plain", types::string(20), {{"mysql.collation", "utf8mb4_general_ci"}}),
                                 col("legacy", types::string(20), {{"mysql.charset", "latin1"}})});
    Table reflected = table(
        "t",
        {col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}), col("plain", types::string(20)),
         col("legacy", types::string(20), {{"mysql.charset", "latin1"}, {"mysql.collation", "latin1_swedish_ci"}})},
        as_reported("utf8mb4_general_ci"));
    CHECK(mysql_diff(reflected, declared).empty());
    CHECK(mysql_diff(declared, reflected).empty());
}

TEST_CASE("mysql options: a collation change is an alter_column rendered as MODIFY with the new COLLATE", "[mysql]") {
    Table current = table("t", {col("login", types::string(20))}, as_reported("utf8mb4_general_ci"));
    Table desired = table("t", {col("login", types::string(40), {{"mysql.collation", "utf8mb4_bin"}})});
    DiffResult r = mysql_diff(current, desired);
    REQUIRE(r.operations.size() == 1);
    CHECK(describe(r.operations[0]) ==
          "alter column t.login: type string(20) -> string(40), mysql.collation none -> 'utf8mb4_bin'");
    CHECK(sql_of(r, current) ==
          std::vector<std::string>{
              "ALTER TABLE `t` MODIFY COLUMN `login` VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"});

    // Back to the table's collation: the reverse names none, and MODIFY leaves it out.
    Metadata after = schema(current);
    strata::apply(after, r.operations);
    DiffResult back = mysql_diff(*after.find("t"), current);
    REQUIRE(back.operations.size() == 1);
    CHECK(sql_of(back, *after.find("t")) ==
          std::vector<std::string>{"ALTER TABLE `t` MODIFY COLUMN `login` VARCHAR(20)"});

    // ON UPDATE is compared like the rest of the column.
    Table stamped = table("t", {col("at", types::datetime(), {{"mysql.on_update", "CURRENT_TIMESTAMP(6)"}})},
                          as_reported("utf8mb4_general_ci"));
    Table unstamped = table("t", {col("at", types::datetime())});
    CHECK(mysql_diff(stamped, unstamped).operations.size() == 1);
    unstamped.columns[1].options.values["mysql.on_update"] = "now()";
    CHECK(mysql_diff(stamped, unstamped).empty());
}

TEST_CASE("mysql options: MODIFY keeps the column's collation when the alter_column does not name one", "[mysql]") {
    // A hand-written widening of a utf8mb4_bin column: neither side speaks of collations.
    Table live = table("t",
                       {col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}),
                        col("at", types::datetime(), {{"mysql.on_update", "CURRENT_TIMESTAMP"}})},
                       as_reported("utf8mb4_general_ci"));
    op::AlterColumn widen{"t", col("login", types::string(20)), col("login", types::string(40))};
    CHECK(rendered(widen, live) ==
          std::vector<std::string>{
              "ALTER TABLE `t` MODIFY COLUMN `login` VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"});
    op::AlterColumn retime{"t", col("at", types::datetime()), col("at", types::datetime().fractional(3))};
    CHECK(rendered(retime, live) ==
          std::vector<std::string>{"ALTER TABLE `t` MODIFY COLUMN `at` DATETIME(3) ON UPDATE CURRENT_TIMESTAMP(3)"});
    // An alter_column that names the collation on either side says what it wants.
    op::AlterColumn reset{"t", col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}),
                          col("login", types::string(40))};
    CHECK(rendered(reset, live) == std::vector<std::string>{"ALTER TABLE `t` MODIFY COLUMN `login` VARCHAR(40)"});
}

TEST_CASE("mysql options: table options are compared, with unset meaning the default", "[mysql]") {
    Table base = table("t", {col("name", types::string(20))});
    auto differs = [&](std::map<std::string, std::string> a, std::map<std::string, std::string> b) {
        Table x = base, y = base;
        x.options.values = std::move(a);
        y.options.values = std::move(b);
        return !mysql_diff(x, y).empty();
    };
    CHECK_FALSE(differs({}, as_reported("utf8mb4_general_ci")));
    CHECK_FALSE(differs({{"mysql.engine", "innodb"}}, as_reported("utf8mb4_general_ci")));
    CHECK_FALSE(differs({{"mysql.row_format", "DYNAMIC"}}, as_reported("utf8mb4_general_ci")));
    CHECK_FALSE(differs({{"mysql.charset", "utf8"}}, as_reported("utf8mb3_general_ci")));
    CHECK_FALSE(differs({{"mysql.charset", "latin1"}}, as_reported("latin1_swedish_ci")));
    CHECK(differs({}, as_reported("latin1_swedish_ci")));
    CHECK(differs({{"mysql.engine", "MyISAM"}}, as_reported("utf8mb4_general_ci")));
    CHECK(differs({{"mysql.row_format", "COMPACT"}}, as_reported("utf8mb4_general_ci")));
    CHECK(differs({{"mysql.collation", "utf8mb4_unicode_ci"}}, as_reported("utf8mb4_general_ci")));
    CHECK(differs(as_reported("utf8mb4_bin"), as_reported("utf8mb4_general_ci")));
}

TEST_CASE("mysql options: a table option change is one ALTER TABLE, its columns pinned", "[mysql]") {
    Table current =
        table("t",
              {col("name", types::string(20)), col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}),
               col("n", types::integer())},
              as_reported("utf8mb4_general_ci"));
    Table desired =
        table("t",
              {col("name", types::string(20)), col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}}),
               col("n", types::integer())},
              {{"mysql.collation", "utf8mb4_unicode_ci"}, {"mysql.row_format", "COMPACT"}});
    DiffResult r = mysql_diff(current, desired);
    REQUIRE(r.operations.size() == 2);
    CHECK(op_name(r.operations[0]) == std::string("alter_table_options"));
    // `name` follows the table, so it changes with it; `login` keeps its own collation.
    CHECK(sql_of(r, current) ==
          std::vector<std::string>{
              "ALTER TABLE `t` DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci, ROW_FORMAT=COMPACT",
              "ALTER TABLE `t` MODIFY COLUMN `name` VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"});
    // The reverse runs the MODIFY first, under the new table options: it names the old collation.
    Metadata after = schema(current);
    strata::apply(after, r.operations);
    std::vector<Operation> back = reverse(r.operations);
    Plan plan = make_plan(back, d(), after);
    REQUIRE(plan.steps.size() == 2);
    CHECK(plan.steps[0].statements[0].sql ==
          "ALTER TABLE `t` MODIFY COLUMN `name` VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
    CHECK(plan.steps[1].statements[0].sql ==
          "ALTER TABLE `t` DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci, ROW_FORMAT=DEFAULT");
    // Applied to the schema, both directions leave nothing to do.
    CHECK(mysql_diff(*after.find("t"), desired).empty());
    strata::apply(after, back);
    CHECK(mysql_diff(*after.find("t"), current).empty());

    Table engine = current;
    engine.options.values["mysql.engine"] = "Aria";
    CHECK(sql_of(mysql_diff(current, engine), current) == std::vector<std::string>{"ALTER TABLE `t` ENGINE=Aria"});
    // With the defaults unchanged nothing is pinned, and a type without characters
    // (TIMESTAMP) never gets a charset.
    current.columns.push_back(col("up", types::native("timestamp"), {{"mysql.on_update", "CURRENT_TIMESTAMP"}}));
    engine.columns.push_back(col("up", types::native("timestamp")));
    engine.find_column("name")->type = types::string(30);
    CHECK(sql_of(mysql_diff(current, engine), current) ==
          std::vector<std::string>{"ALTER TABLE `t` ENGINE=Aria", "ALTER TABLE `t` MODIFY COLUMN `name` VARCHAR(30)",
                                   "ALTER TABLE `t` MODIFY COLUMN `up` timestamp"});
}

TEST_CASE("mysql options: other databases ignore mysql options and refuse a change of their own", "[mysql]") {
    Table t = table("t", {col("login", types::string(20), {{"mysql.collation", "utf8mb4_bin"}})});
    Metadata m = schema(t);
    op::AlterTableOptions change{"t", {{{"mysql.engine", "InnoDB"}}}, {{{"mysql.engine", "Aria"}}}};
    for (const Dialect* other : {&sqlite_dialect(), &postgresql_dialect()}) {
        INFO(other->name());
        CHECK(other->render_operation(change, RenderContext{m}).empty());
        CHECK(other->render_create_table(t)[0].find("utf8mb4") == std::string::npos);
        op::AlterColumn collation_only{"t", col("login", types::string(20)), t.columns[1]};
        CHECK(other->render_operation(collation_only, RenderContext{m}).empty());
        DiffOptions options;
        options.dialect = other;
        Table bare = table("t", {col("login", types::string(20))});
        CHECK(diff(schema(bare), m, options).empty());
    }
    op::AlterTableOptions own{"t", {}, {{{"postgresql.fillfactor", "70"}}}};
    try {
        postgresql_dialect().render_operation(own, RenderContext{m});
        FAIL("expected a refusal");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::unsupported);
        CHECK(std::string(e.what()).find("op = \"sql\"") != std::string::npos);
    }
}
