// MySQL/MariaDB dialect without a server: quoting, literals, type mapping both ways,
// DDL golden text, defaults and normalization.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "dialects/statement.hpp"

using namespace strata;

namespace {

const MysqlDialect& d() {
    static const MysqlDialect dialect;
    return dialect;
}

Column col(std::string name, ColumnType type, bool nullable = true, std::optional<ServerDefault> def = std::nullopt) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.server_default = std::move(def);
    return c;
}

std::vector<ColumnType> portable_types() {
    return {types::integer(),        types::small_integer(), types::big_integer(), types::boolean(),
            types::string(30),       types::text(),          types::float_(),      types::double_(),
            types::numeric(10, 2),   types::date(),          types::time(),        types::datetime(),
            types::blob(),           types::json(),          types::uuid(),        types::enum_({"a", "it's", "b\\c"})};
}

}  // namespace

TEST_CASE("mysql render: identity, capabilities and the accessor", "[mysql]") {
    CHECK(d().name() == "mysql");
    CHECK(&mysql_dialect() == &mysql_dialect());
    CHECK(mysql_dialect().name() == "mysql");
    const Capabilities& c = d().capabilities();
    CHECK_FALSE(c.transactional_ddl);
    CHECK(c.alter_column);
    CHECK(c.drop_column);
    CHECK(c.rename_column);
    CHECK(c.alter_constraints);
    CHECK(c.check_constraints);
    CHECK(c.native_enum);
    CHECK(c.column_comments);
    CHECK(c.fk_needs_index);
    CHECK_FALSE(c.named_primary_key);
    CHECK(c.max_bind_parameters == 65535);
    CHECK(c.max_identifier_length == 64);
    CHECK(d().placeholder(3) == "?");
}

TEST_CASE("mysql render: backtick quoting doubles embedded backticks", "[mysql]") {
    CHECK(d().quote("users") == "`users`");
    CHECK(d().quote("a`b") == "`a``b`");
    CHECK(d().quote("with space \"and\" quote") == "`with space \"and\" quote`");
}

TEST_CASE("mysql render: literals use MySQL escaping", "[mysql]") {
    CHECK(d().literal(std::string("it's \\ x")) == "'it''s \\\\ x'");
    CHECK(d().literal(std::string("a\0b", 3)) == "'a\\0b'");
    CHECK(d().literal(true) == "1");
    CHECK(d().literal(false) == "0");
    CHECK(d().literal(std::int64_t{-5}) == "-5");
    CHECK(d().literal(Null{}) == "NULL");
    CHECK(d().literal(Blob(std::string_view("\x01\xff", 2))) == "X'01FF'");
    CHECK(d().literal(Date{2024, 1, 31}) == "'2024-01-31'");
}

TEST_CASE("mysql render: every portable type has a native spelling", "[mysql]") {
    CHECK(d().render_type(types::integer()) == "INT");
    CHECK(d().render_type(types::small_integer()) == "SMALLINT");
    CHECK(d().render_type(types::big_integer()) == "BIGINT");
    CHECK(d().render_type(types::boolean()) == "TINYINT(1)");
    CHECK(d().render_type(types::string(30)) == "VARCHAR(30)");
    CHECK(d().render_type(types::text()) == "LONGTEXT");
    CHECK(d().render_type(types::float_()) == "FLOAT");
    CHECK(d().render_type(types::double_()) == "DOUBLE");
    CHECK(d().render_type(types::numeric(10, 2)) == "DECIMAL(10,2)");
    CHECK(d().render_type(types::date()) == "DATE");
    CHECK(d().render_type(types::time()) == "TIME(6)");
    CHECK(d().render_type(types::datetime()) == "DATETIME(6)");
    CHECK(d().render_type(types::datetime(true)) == "DATETIME(6)");
    CHECK(d().render_type(types::blob()) == "LONGBLOB");
    CHECK(d().render_type(types::json()) == "JSON");
    CHECK(d().render_type(types::uuid()) == "UUID");
    CHECK(d().render_type(types::enum_({"a", "it's", "b\\c"})) == "ENUM('a','it''s','b\\\\c')");
    ColumnType other;
    other.kind = TypeKind::other;
    other.native = "VARBINARY(16)";
    CHECK(d().render_type(other) == "VARBINARY(16)");
}

TEST_CASE("mysql render: invalid types are input errors", "[mysql]") {
    ColumnType s;
    s.kind = TypeKind::string;
    CHECK_THROWS_MATCHES(d().render_type(s), Error,
                         Catch::Matchers::Predicate<Error>([](const Error& e) { return e.kind() == ErrorKind::input; }));
    CHECK_THROWS_AS(d().render_type(types::enum_({})), Error);
    CHECK_THROWS_AS(d().render_type(types::numeric(4, 6)), Error);
    ColumnType other;
    other.kind = TypeKind::other;
    CHECK_THROWS_AS(d().render_type(other), Error);
    ColumnType unsized_numeric;
    unsized_numeric.kind = TypeKind::numeric;
    CHECK(d().render_type(unsized_numeric) == "DECIMAL(10,0)");
}

TEST_CASE("mysql render: parse_type(render_type(t)) gives t back for every portable type", "[mysql]") {
    for (const ColumnType& t : portable_types()) {
        INFO(t.describe());
        ColumnType back = d().parse_type(d().render_type(t));
        CHECK(back == t);
        CHECK(back.native == d().render_type(t));
    }
    // No time-zone-aware type: the timezone flag does not survive.
    CHECK(d().parse_type(d().render_type(types::datetime(true))) == types::datetime(false));
}

TEST_CASE("mysql render: parse_type reads information_schema spellings", "[mysql]") {
    struct Case {
        const char* native;
        ColumnType expected;
    };
    const Case cases[] = {
        {"int(11)", types::integer()},
        {"int", types::integer()},
        {"INT(11)", types::integer()},
        {"integer", types::integer()},
        {"mediumint(9)", types::medium_integer()},
        {"int(10) unsigned", types::integer().unsigned_()},
        {"tinyint(1)", types::boolean()},
        {"bool", types::boolean()},
        {"tinyint(4)", types::tiny_integer()},
        {"tinyint(3) unsigned", types::tiny_integer().unsigned_()},
        {"smallint(6)", types::small_integer()},
        {"smallint(5) unsigned", types::small_integer().unsigned_()},
        {"bigint(20)", types::big_integer()},
        {"bigint(20) unsigned", types::big_integer().unsigned_()},
        {"varchar(30)", types::string(30)},
        {"VARCHAR(30)", types::string(30)},
        {"decimal(10,2)", types::numeric(10, 2)},
        {"numeric(5)", types::numeric(5, 0)},
        {"decimal", types::numeric(10, 0)},
        {"double", types::double_()},
        {"double precision", types::double_()},
        {"real", types::double_()},
        {"float", types::float_()},
        {"float(30)", types::double_()},
        {"float(7,4)", types::float_()},
        {"datetime(6)", types::datetime()},
        {"datetime", types::datetime().fractional(0)},
        {"time(6)", types::time()},
        {"time", types::time().fractional(0)},
        {"date", types::date()},
        {"longtext", types::text()},
        {"mediumtext", types::text(16777215)},
        {"text", types::text(65535)},
        {"tinytext", types::text(255)},
        {"longblob", types::blob()},
        {"blob", types::blob(65535)},
        {"json", types::json()},
        {"uuid", types::uuid()},
        {"enum('a','b')", types::enum_({"a", "b"})},
        {"enum('Small','it''s','b\\\\c')", types::enum_({"Small", "it's", "b\\c"})},
        {"enum('a,b','c')", types::enum_({"a,b", "c"})},
    };
    for (const Case& c : cases) {
        INFO(c.native);
        ColumnType t = d().parse_type(c.native);
        CHECK(t == c.expected);
        CHECK(t.native == c.native);
    }
}

TEST_CASE("mysql render: spellings without a portable name are `other`, compared case-insensitively", "[mysql]") {
    for (const char* native : {"timestamp", "timestamp(3)", "varbinary(16)", "binary(16)", "bit(1)", "year(4)", "set('a','b')",
                               "geometry", "inet6"}) {
        INFO(native);
        ColumnType t = d().parse_type(native);
        CHECK(t.kind == TypeKind::other);
        CHECK(t.native == native);
    }
    CHECK(d().parse_type("VARBINARY( 16 )").native == "varbinary(16)");
    CHECK(d().parse_type("VARBINARY(16)") == d().parse_type("varbinary(16)"));
    CHECK(d().parse_type("SET('A','b')").native == "set('A','b')");
}

TEST_CASE("mysql render: CREATE TABLE with every element", "[mysql]") {
    Table t;
    t.name = "orders";
    Column id = col("id", types::big_integer(), false);
    id.autoincrement = true;
    t.columns = {id,
                 col("code", types::string(20), false, ServerDefault::literal("it's")),
                 col("active", types::boolean(), false, ServerDefault::literal("true")),
                 col("total", types::numeric(10, 2), true, ServerDefault::literal("0")),
                 col("created", types::datetime(true), false, ServerDefault::expression("CURRENT_TIMESTAMP")),
                 col("n", types::integer(), true, ServerDefault::expression("2*3+1")),
                 col("customer_id", types::integer())};
    t.columns[6].comment = "who's buying";
    t.primary_key = {"pk_orders", {"id"}};
    t.uniques = {{"uq_orders_code", {"code"}}};
    t.indexes = {{"ix_orders_total", {"total", "n"}, false}, {"ux_orders_n", {"n"}, true}};
    t.checks = {{"ck_orders_total", "total >= 0"}};
    t.foreign_keys = {{"fk_orders_customer_id_customers", {"customer_id"}, "customers", {"id"}, FkAction::cascade,
                       FkAction::no_action}};
    t.comment = "all orders";
    auto sql = d().render_create_table(t);
    REQUIRE(sql.size() == 1);
    CHECK(sql[0] ==
          "CREATE TABLE `orders` (\n"
          "    `id` BIGINT NOT NULL AUTO_INCREMENT,\n"
          "    `code` VARCHAR(20) NOT NULL DEFAULT 'it''s',\n"
          "    `active` TINYINT(1) NOT NULL DEFAULT 1,\n"
          "    `total` DECIMAL(10,2) DEFAULT 0,\n"
          "    `created` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
          "    `n` INT DEFAULT (2*3+1),\n"
          "    `customer_id` INT COMMENT 'who''s buying',\n"
          "    PRIMARY KEY (`id`),\n"
          "    CONSTRAINT `uq_orders_code` UNIQUE (`code`),\n"
          "    INDEX `ix_orders_total` (`total`, `n`),\n"
          "    UNIQUE INDEX `ux_orders_n` (`n`),\n"
          "    CONSTRAINT `ck_orders_total` CHECK (total >= 0),\n"
          "    CONSTRAINT `fk_orders_customer_id_customers` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) "
          "ON DELETE CASCADE\n"
          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='all orders'");

    auto without_fks = d().render_create_table(t, false);
    CHECK(without_fks[0].find("FOREIGN KEY") == std::string::npos);

    t.options.values["mysql.engine"] = "MyISAM";
    CHECK(d().render_create_table(t)[0].find(") ENGINE=MyISAM DEFAULT CHARSET=utf8mb4") != std::string::npos);
}

TEST_CASE("mysql render: primary key columns are NOT NULL - unnamed constraints have no CONSTRAINT clause", "[mysql]") {
    Table t;
    t.name = "t";
    t.columns = {col("a", types::integer(), true), col("b", types::integer())};
    t.primary_key = {"", {"a"}};
    t.uniques = {{"", {"b"}}};
    t.checks = {{"", "b > 0"}};
    auto sql = d().render_create_table(t)[0];
    CHECK(sql.find("`a` INT NOT NULL") != std::string::npos);
    CHECK(sql.find("    UNIQUE (`b`)") != std::string::npos);
    CHECK(sql.find("    CHECK (b > 0)") != std::string::npos);
}

TEST_CASE("mysql render: keys over TEXT/BLOB/JSON columns are refused with advice", "[mysql]") {
    Table t;
    t.name = "docs";
    t.columns = {col("id", types::integer(), false), col("body", types::text()), col("data", types::blob()),
                 col("doc", types::json()), col("title", types::string(100))};
    t.primary_key = {"pk_docs", {"id"}};
    auto unsupported = [](const Error& e) {
        return e.kind() == ErrorKind::unsupported && std::string(e.what()).find("string(n)") != std::string::npos;
    };
    Table with_index = t;
    with_index.indexes = {{"ix_docs_body", {"body"}, false}};
    CHECK_THROWS_MATCHES(d().render_create_table(with_index), Error, Catch::Matchers::Predicate<Error>(unsupported));
    CHECK_THROWS_MATCHES(d().render_create_index(t, Index{"ix_docs_data", {"data"}, false}), Error,
                         Catch::Matchers::Predicate<Error>(unsupported));
    Table with_unique = t;
    with_unique.uniques = {{"uq_docs_doc", {"title", "doc"}}};
    CHECK_THROWS_MATCHES(d().render_create_table(with_unique), Error, Catch::Matchers::Predicate<Error>(unsupported));
    Table text_pk = t;
    text_pk.primary_key = {"pk_docs", {"body"}};
    CHECK_THROWS_MATCHES(d().render_create_table(text_pk), Error, Catch::Matchers::Predicate<Error>(unsupported));
    // A VARCHAR is fine.
    CHECK(d().render_create_index(t, Index{"ix_docs_title", {"title"}, false}) ==
          "CREATE INDEX `ix_docs_title` ON `docs` (`title`)");
    // An expression key (from a PostgreSQL or SQLite expression index) is refused before
    // anything runs, with what to do instead.
    auto expression = [](const Error& e) {
        return e.kind() == ErrorKind::unsupported && std::string(e.what()).find("lower(title)") != std::string::npos &&
               std::string(e.what()).find("generated column") != std::string::npos;
    };
    CHECK_THROWS_MATCHES(d().render_create_index(t, Index{"ix_docs_lower", {"lower(title)"}, false}), Error,
                         Catch::Matchers::Predicate<Error>(expression));
}

TEST_CASE("mysql render: index, foreign key and table statements", "[mysql]") {
    Table t;
    t.name = "child";
    t.columns = {col("id", types::integer(), false), col("p", types::integer())};
    CHECK(d().render_create_index(t, Index{"ux_child_p", {"p", "id"}, true}) ==
          "CREATE UNIQUE INDEX `ux_child_p` ON `child` (`p`, `id`)");
    CHECK(d().render_drop_index(t, Index{"ix_child_p", {"p"}, false}) == "DROP INDEX `ix_child_p` ON `child`");
    ForeignKey fk{"fk_child_p_parent", {"p"}, "parent", {"id"}, FkAction::set_null, FkAction::restrict};
    CHECK(d().render_add_foreign_key(t, fk) ==
          "ALTER TABLE `child` ADD CONSTRAINT `fk_child_p_parent` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON "
          "DELETE SET NULL ON UPDATE RESTRICT");
    CHECK(d().render_drop_foreign_key(t, fk) == "ALTER TABLE `child` DROP FOREIGN KEY `fk_child_p_parent`");
    CHECK(d().render_drop_table(t) == std::vector<std::string>{"DROP TABLE `child`"});
}

TEST_CASE("mysql render: defaults render as SQL of the column type", "[mysql]") {
    using SD = ServerDefault;
    CHECK(d().render_default(SD::literal("true"), types::boolean()) == "1");
    CHECK(d().render_default(SD::literal("0"), types::boolean()) == "0");
    CHECK(d().render_default(SD::literal("-12"), types::integer()) == "-12");
    CHECK(d().render_default(SD::literal("+1.5"), types::double_()) == "1.5");
    CHECK(d().render_default(SD::literal("abc"), types::integer()) == "'abc'");
    // MySQL 8 wants CURRENT_TIMESTAMP with the column's own fractional digits.
    CHECK(d().render_default(SD::expression("CURRENT_TIMESTAMP"), types::datetime()) == "CURRENT_TIMESTAMP(6)");
    CHECK(d().render_default(SD::expression("now()"), types::datetime().fractional(3)) == "CURRENT_TIMESTAMP(3)");
    CHECK(d().render_default(SD::expression("CURRENT_TIMESTAMP"), types::datetime().fractional(0)) ==
          "CURRENT_TIMESTAMP");
    CHECK(d().render_default(SD::expression("CURRENT_TIMESTAMP"), types::native("TIMESTAMP")) == "CURRENT_TIMESTAMP");
    CHECK(d().render_default(SD::expression("CURRENT_TIMESTAMP"), types::native("timestamp(2)")) ==
          "CURRENT_TIMESTAMP(2)");
    CHECK(d().render_default(SD::literal("a'b\\c"), types::string(10)) == "'a''b\\\\c'");
    CHECK(d().render_default(SD::literal("2024-01-31 12:34:56+00:00"), types::datetime(true)) ==
          "'2024-01-31 12:34:56'");
    CHECK(d().render_default(SD::literal("2024-01-31"), types::date()) == "'2024-01-31'");
    CHECK(d().render_default(SD::expression("current_timestamp"), types::datetime()) == "CURRENT_TIMESTAMP(6)");
    CHECK(d().render_default(SD::expression("now(6)"), types::datetime()) == "CURRENT_TIMESTAMP(6)");
    CHECK(d().render_default(SD::expression("uuid()"), types::string(36)) == "(uuid())");
    CHECK(d().render_default(SD::expression("NULL"), types::integer()) == "NULL");
    CHECK(d().render_default(SD::expression("42"), types::integer()) == "42");
}

TEST_CASE("mysql render: literal defaults are canonical per type", "[mysql]") {
    auto lit = [](std::string_view text, const ColumnType& t) { return MysqlDialect::canonical_literal(text, t); };
    CHECK(lit("1", types::boolean()) == "true");
    CHECK(lit("TRUE", types::boolean()) == "true");
    CHECK(lit("0", types::boolean()) == "false");
    CHECK(lit("false", types::boolean()) == "false");
    CHECK(lit("+007", types::integer()) == "7");
    CHECK(lit("-0", types::big_integer()) == "0");
    CHECK(lit("-12", types::small_integer()) == "-12");
    CHECK(lit("3.0", types::integer()) == "3");
    CHECK(lit("1.5", types::numeric(10, 2)) == "1.50");
    CHECK(lit("7", types::numeric(8, 3)) == "7.000");
    CHECK(lit("-1.2346", types::numeric(10, 3)) == "-1.235");
    CHECK(lit("9.999", types::numeric(5, 2)) == "10.00");
    CHECK(lit("-0.001", types::numeric(5, 2)) == "0.00");
    CHECK(lit(".5", types::numeric(5, 0)) == "1");
    CHECK(lit("12.5", types::numeric(10, 0)) == "13");
    CHECK(lit("16777217", types::float_()) == lit("16777200", types::float_()));
    CHECK(lit("0.1", types::float_()) == "0.1");
    CHECK(lit("3.14159", types::float_()) == "3.14159");
    CHECK(lit("123456789012345678", types::double_()) == lit("1.2345678901234568e17", types::double_()));
    CHECK(lit("1.50", types::double_()) == "1.5");
    CHECK(lit("-0.0", types::double_()) == "0");
    CHECK(lit("2024-01-31", types::date()) == "2024-01-31");
    CHECK(lit("10:00:00.000000", types::time()) == "10:00:00");
    CHECK(lit("2024-01-31 12:34:56.000000", types::datetime()) == "2024-01-31 12:34:56");
    CHECK(lit("2024-01-31T12:34:56Z", types::datetime(true)) == "2024-01-31 12:34:56");
    CHECK(lit("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", types::uuid()) == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    CHECK(lit("  keep  ", types::string(10)) == "  keep  ");
    CHECK(lit("not a number", types::integer()) == "not a number");
}

TEST_CASE("mysql render: information_schema COLUMN_DEFAULT texts become canonical defaults", "[mysql]") {
    using SD = ServerDefault;
    auto parse = [](std::string_view text, const ColumnType& t) { return MysqlDialect::parse_column_default(text, t); };
    CHECK_FALSE(parse("NULL", types::integer()).has_value());
    CHECK(parse("'NULL'", types::string(10)) == SD::literal("NULL"));
    CHECK(parse("''", types::string(10)) == SD::literal(""));
    CHECK(parse("'it''s \\\\ x'", types::string(20)) == SD::literal("it's \\ x"));
    CHECK(parse("'a\\nb'", types::string(20)) == SD::literal("a\nb"));
    CHECK(parse("1.50", types::numeric(10, 2)) == SD::literal("1.50"));
    CHECK(parse("-5", types::big_integer()) == SD::literal("-5"));
    CHECK(parse("1", types::boolean()) == SD::literal("true"));
    CHECK(parse("'2020-01-02 03:04:05.000000'", ColumnType{TypeKind::datetime}) ==
          SD::literal("2020-01-02 03:04:05"));
    CHECK(parse("current_timestamp()", d().parse_type("datetime")) == SD::expression("CURRENT_TIMESTAMP"));
    CHECK(parse("current_timestamp(6)", d().parse_type("datetime(6)")) == SD::expression("CURRENT_TIMESTAMP"));
    CHECK(parse("current_timestamp(6)", d().parse_type("datetime")) == SD::expression("CURRENT_TIMESTAMP(6)"));
    CHECK(parse("curdate()", types::date()) == SD::expression("curdate()"));
    CHECK(parse("(2 * 3 + 1)", types::integer()) == SD::expression("2 * 3 + 1"));
    CHECK(parse("uuid()", types::string(36)) == SD::expression("uuid()"));
}

TEST_CASE("mysql render: declared defaults normalize to the reflected spelling", "[mysql]") {
    using SD = ServerDefault;
    auto canon = [](const SD& def, const ColumnType& t) { return MysqlDialect::canonical_default(def, t); };
    CHECK(canon(SD::expression("now()"), d().parse_type("DATETIME(6)")) == SD::expression("CURRENT_TIMESTAMP"));
    CHECK(canon(SD::expression("CURRENT_TIMESTAMP(6)"), d().parse_type("DATETIME(6)")) ==
          SD::expression("CURRENT_TIMESTAMP"));
    CHECK(canon(SD::expression("2*3+1"), types::integer()) == canon(SD::expression("(2 * 3 + 1)"), types::integer()));
    CHECK(canon(SD::expression("0"), types::integer()) == SD::literal("0"));
    CHECK(canon(SD::expression("'x'"), types::string(5)) == SD::literal("x"));
    CHECK(canon(SD::expression("TRUE"), types::boolean()) == SD::literal("true"));
    CHECK_FALSE(canon(SD::expression("null"), types::integer()).has_value());
    CHECK(canon(SD::literal("1.5"), types::numeric(6, 2)) == SD::literal("1.50"));
}

TEST_CASE("mysql render: normalize gives the table as reflection will", "[mysql]") {
    Table t;
    t.name = "child";
    t.columns = {col("id", types::integer(), true), col("p", types::integer()), col("q", types::integer()),
                 col("at", types::datetime(true), true, ServerDefault::expression("now()")),
                 col("flag", types::boolean(), false, ServerDefault::literal("1")),
                 col("amount", types::numeric(8, 2), true, ServerDefault::literal("3")),
                 col("nothing", types::integer(), true, ServerDefault::expression("NULL"))};
    t.primary_key = {"whatever", {"id"}};
    t.indexes = {{"fk_child_p_parent", {"p"}, false},  // the index InnoDB would make for the FK
                 {"ix_child_q", {"q"}, false},
                 {"ux_child_q_p", {"q", "p"}, true}};
    t.foreign_keys = {{"fk_child_p_parent", {"p"}, "parent", {"id"}, FkAction::restrict, FkAction::set_default}};
    t.checks = {{"ck_child_q", "q>0 AND NOT (p = 3)"}};

    Table n = d().normalize(t);
    CHECK(n.primary_key.name == "pk_child");
    CHECK_FALSE(n.find_column("id")->nullable);
    CHECK(n.find_column("at")->type == types::datetime(false));
    CHECK(n.find_column("at")->server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(n.find_column("flag")->server_default == ServerDefault::literal("true"));
    CHECK(n.find_column("amount")->server_default == ServerDefault::literal("3.00"));
    CHECK_FALSE(n.find_column("nothing")->server_default.has_value());
    REQUIRE(n.indexes.size() == 1);
    CHECK(n.indexes[0].name == "ix_child_q");
    REQUIRE(n.uniques.size() == 1);
    CHECK(n.uniques[0] == UniqueConstraint{"ux_child_q_p", {"q", "p"}});
    CHECK(n.foreign_keys[0].on_delete == FkAction::no_action);
    CHECK(n.foreign_keys[0].on_update == FkAction::no_action);
    CHECK(n.checks[0].expression == "`q` > 0 and `p` <> 3");
    // Normalizing twice changes nothing.
    CHECK(d().normalize(n) == n);
    CHECK(d().normalize(n).describe() == n.describe());
}

TEST_CASE("mysql render: an INSERT of default rows has an empty column list", "[mysql]") {
    sql::InsertStatement st;
    st.table = "boxes";
    CHECK(d().render(st) == "INSERT INTO `boxes` () VALUES ()");
    st.rows = 3;
    CHECK(d().render(st) == "INSERT INTO `boxes` () VALUES (), (), ()");
    st.rows = 1;
    st.returning = {"id"};
    CHECK(d().render(st) == "INSERT INTO `boxes` () VALUES () RETURNING `id`");
    sql::InsertStatement with_columns;
    with_columns.table = "t";
    with_columns.columns = {"a", "b"};
    with_columns.rows = 2;
    CHECK(d().render(with_columns) == "INSERT INTO `t` (`a`, `b`) VALUES (?, ?), (?, ?)");
}

TEST_CASE("mysql render: generated columns and ON UPDATE come back from their reflected options", "[mysql]") {
    Table t;
    t.name = "t";
    Column stamp = col("changed", types::datetime(), false, ServerDefault::expression("CURRENT_TIMESTAMP"));
    stamp.options.values["mysql.on_update"] = "current_timestamp(3)";
    Column twice = col("twice", types::integer());
    twice.options.values["mysql.generated"] = "`n` * 2";
    Column kept = col("kept", types::integer());
    kept.comment = "c";
    kept.options.values["mysql.generated"] = "`n` + 1";
    kept.options.values["mysql.generated_stored"] = "true";
    t.columns = {col("n", types::integer()), stamp, twice, kept};
    CHECK(d().render_column(t, stamp) ==
          "`changed` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)");
    CHECK(d().render_column(t, twice) == "`twice` INT AS (`n` * 2) VIRTUAL");
    CHECK(d().render_column(t, kept) == "`kept` INT AS (`n` + 1) STORED COMMENT 'c'");
}

TEST_CASE("mysql render: DESC keys render - methods, operator classes, NULLS LAST and WHERE are refused",
          "[mysql][index]") {
    Table t;
    t.name = "events";
    t.columns = {col("id", types::integer(), false), col("at", types::datetime()), col("kind", types::string(20))};
    Index desc{"ix_events_at", {"at", "kind"}, false};
    desc.key(0).descending = true;
    CHECK(d().render_create_index(t, desc) == "CREATE INDEX `ix_events_at` ON `events` (`at` DESC, `kind`)");
    Table with = t;
    with.indexes = {desc};
    CHECK(d().render_create_table(with).at(0).find("INDEX `ix_events_at` (`at` DESC, `kind`)") != std::string::npos);

    auto refused = [&](const Index& ix, const std::string& fragment) {
        INFO(fragment);
        bool thrown = false;
        try {
            d().render_create_index(t, ix);
        } catch (const Error& e) {
            thrown = true;
            CHECK(e.kind() == ErrorKind::unsupported);
            CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        }
        CHECK(thrown);
        Table in_table = t;
        in_table.indexes = {ix};
        CHECK_THROWS_AS(d().render_create_table(in_table), Error);
    };
    Index hash{"ix_events_kind", {"kind"}, false};
    hash.method = "hash";
    refused(hash, "uses the access method 'hash', which strata cannot build on mysql");
    Index partial{"ux_events_kind", {"kind"}, true};
    partial.where = "at IS NULL";
    refused(partial, "is partial (WHERE at IS NULL), which mysql does not support");
    Index opclass{"ix_events_kind", {"kind"}, false};
    opclass.key(0).opclass = "text_pattern_ops";
    refused(opclass, "mysql has no operator classes");
    Index last{"ix_events_at", {"at"}, false};
    last.key(0).nulls = NullsOrder::last;
    refused(last, "always sorts NULLs first in an ascending index key");
}

TEST_CASE("mysql normalize: a unique index stays an index only when it has more than keys", "[mysql][index]") {
    Table t;
    t.name = "events";
    t.columns = {col("id", types::integer(), false), col("at", types::datetime())};
    t.indexes = {Index{"ux_plain", {"at"}, true}, Index{"ux_desc", {"at", "id"}, true}};
    t.indexes[1].key(0).descending = true;
    t.indexes[1].key(1).nulls = NullsOrder::first;  // MySQL's own order ascending
    Table n = d().normalize(t);
    REQUIRE(n.uniques.size() == 1);
    CHECK(n.uniques[0].name == "ux_plain");
    REQUIRE(n.indexes.size() == 1);
    CHECK(n.indexes[0].name == "ux_desc");
    CHECK(n.indexes[0].key(0).descending);
    CHECK(n.indexes[0].key_options.size() == 1);
    // A partial unique index is not turned into a constraint that would lose its WHERE.
    t.indexes = {Index{"ux_partial", {"at"}, true}};
    t.indexes[0].where = "id > 0";
    CHECK(d().normalize(t).uniques.empty());
}
