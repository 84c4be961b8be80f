// Type fidelity without a server: integer sizes and UNSIGNED, CHAR(n), MySQL TEXT/BLOB
// size classes, fractional seconds and TIMESTAMP, per dialect: rendered spellings,
// parsed information_schema / format_type() / declared spellings, comparison,
// normalization, the differ's operations, migration SQL and revision files.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "dialects/postgres/postgres_dialect.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/revision_file.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using strata::testing::schema;
using T = strata::testing::TableBuilder;
using Lines = std::vector<std::string>;

namespace {

const MysqlDialect my;
const PostgresDialect pg;
const SqliteDialect lite;

Lines rendered(const Dialect& d, const Operation& op, const Metadata& s) {
    Plan p = make_plan(std::vector<Operation>{op}, d, s);
    Lines out;
    for (const PlanStep& step : p.steps)
        for (const SqlStatement& st : step.statements) out.push_back(st.sql);
    return out;
}

Metadata parent_and_child(ColumnType key) {
    return schema({T("parent").col("id", key, false).pk({"id"}), T("child").id()});
}

}  // namespace

TEST_CASE("types: sizes, signedness, CHAR and precision are part of a type's identity", "[types]") {
    CHECK_FALSE(types::integer() == types::integer().unsigned_());
    CHECK_FALSE(types::integer().unsigned_() == types::big_integer().unsigned_());
    CHECK_FALSE(types::tiny_integer() == types::small_integer());
    CHECK_FALSE(types::medium_integer() == types::integer());
    CHECK_FALSE(types::char_(5) == types::string(5));
    CHECK_FALSE(types::text() == types::text(65535));
    CHECK_FALSE(types::blob(16777215) == types::blob());
    CHECK(types::datetime() == types::datetime().fractional(6));
    CHECK_FALSE(types::datetime() == types::datetime().fractional(0));
    CHECK_FALSE(types::time().fractional(3) == types::time());
    CHECK(types::integer().unsigned_().describe() == "integer unsigned");
    CHECK(types::char_(3).describe() == "char(3)");
    CHECK(types::text(65535).describe() == "text(65535)");
    CHECK(types::datetime(true).fractional(0).describe() == "datetime(0,tz)");
    CHECK(types::native("YEAR").describe() == "other(YEAR)");
    CHECK_THROWS_AS(types::string(3).unsigned_(), Error);
    CHECK_THROWS_AS(types::datetime().fractional(7), Error);
    CHECK(is_narrowing(types::integer(), types::integer().unsigned_()));
    CHECK(is_narrowing(types::integer().unsigned_(), types::integer()));
    CHECK_FALSE(is_narrowing(types::integer().unsigned_(), types::big_integer()));
    CHECK_FALSE(is_narrowing(types::tiny_integer().unsigned_(), types::small_integer()));
    CHECK(is_narrowing(types::text(), types::text(65535)));
    CHECK_FALSE(is_narrowing(types::text(255), types::text()));
    CHECK(is_narrowing(types::datetime(), types::datetime().fractional(0)));
}

TEST_CASE("mysql types: integers keep size and UNSIGNED, CHAR, size classes, fractional seconds", "[types][mysql]") {
    CHECK(my.render_type(types::tiny_integer()) == "TINYINT");
    CHECK(my.render_type(types::tiny_integer().unsigned_()) == "TINYINT UNSIGNED");
    CHECK(my.render_type(types::medium_integer()) == "MEDIUMINT");
    CHECK(my.render_type(types::integer().unsigned_()) == "INT UNSIGNED");
    CHECK(my.render_type(types::big_integer().unsigned_()) == "BIGINT UNSIGNED");
    CHECK(my.render_type(types::char_(3)) == "CHAR(3)");
    CHECK(my.render_type(types::text()) == "LONGTEXT");
    CHECK(my.render_type(types::text(255)) == "TINYTEXT");
    CHECK(my.render_type(types::text(1000)) == "TEXT");
    CHECK(my.render_type(types::text(16777215)) == "MEDIUMTEXT");
    CHECK(my.render_type(types::blob(65535)) == "BLOB");
    CHECK(my.render_type(types::blob(70000)) == "MEDIUMBLOB");
    CHECK(my.render_type(types::datetime()) == "DATETIME(6)");
    CHECK(my.render_type(types::datetime().fractional(0)) == "DATETIME");
    CHECK(my.render_type(types::time().fractional(3)) == "TIME(3)");
    CHECK(my.render_type(types::native("timestamp")) == "timestamp");

    CHECK(my.parse_type("int(10) unsigned") == types::integer().unsigned_());
    CHECK(my.parse_type("int(11)") == types::integer());
    CHECK(my.parse_type("tinyint(3) unsigned") == types::tiny_integer().unsigned_());
    CHECK(my.parse_type("tinyint(4)") == types::tiny_integer());
    CHECK(my.parse_type("tinyint(1)") == types::boolean());
    CHECK(my.parse_type("smallint(5) unsigned") == types::small_integer().unsigned_());
    CHECK(my.parse_type("mediumint(8) unsigned") == types::medium_integer().unsigned_());
    CHECK(my.parse_type("bigint(20) unsigned") == types::big_integer().unsigned_());
    CHECK(my.parse_type("char(3)") == types::char_(3));
    CHECK(my.parse_type("varchar(3)") == types::string(3));
    CHECK(my.parse_type("tinytext") == types::text(255));
    CHECK(my.parse_type("text") == types::text(65535));
    CHECK(my.parse_type("mediumtext") == types::text(16777215));
    CHECK(my.parse_type("longtext") == types::text());
    CHECK(my.parse_type("mediumblob") == types::blob(16777215));
    CHECK(my.parse_type("longblob") == types::blob());
    CHECK(my.parse_type("datetime") == types::datetime().fractional(0));
    CHECK(my.parse_type("datetime(6)") == types::datetime());
    CHECK(my.parse_type("time") == types::time().fractional(0));
    // No portable name: kept verbatim (lower case), so they render back as they were.
    CHECK(my.parse_type("timestamp") == types::native("timestamp"));
    CHECK(my.parse_type("timestamp(6)") == types::native("timestamp(6)"));
    CHECK(my.parse_type("year(4)") == types::native("year(4)"));
    CHECK(my.parse_type("bit(8)") == types::native("bit(8)"));
    CHECK(my.parse_type("decimal(10,2) unsigned") == types::native("decimal(10,2) unsigned"));
    CHECK(my.parse_type("int(5) unsigned zerofill") == types::native("int(5) unsigned zerofill"));

    for (const ColumnType& t : {types::tiny_integer(), types::tiny_integer().unsigned_(), types::medium_integer(),
                                types::integer().unsigned_(), types::big_integer().unsigned_(), types::char_(7),
                                types::text(255), types::text(65535), types::blob(16777215),
                                types::datetime().fractional(0), types::time().fractional(2)}) {
        INFO(t.describe());
        CHECK(my.parse_type(my.render_type(t)) == t);
    }
    // A declared CURRENT_TIMESTAMP on TIMESTAMP(6) reads back as the server stores it.
    CHECK(MysqlDialect::canonical_default(ServerDefault::expression("current_timestamp(6)"),
                                          my.parse_type("timestamp(6)")) ==
          ServerDefault::expression("CURRENT_TIMESTAMP"));
}

TEST_CASE("postgres types: CHAR, fractional seconds, unsigned as a wider type plus a check", "[types][postgres]") {
    CHECK(pg.render_type(types::char_(5)) == "CHAR(5)");
    CHECK(pg.parse_type("character(5)") == types::char_(5));
    CHECK(pg.parse_type("character varying(5)") == types::string(5));
    CHECK(pg.render_type(types::datetime().fractional(3)) == "TIMESTAMP(3)");
    CHECK(pg.render_type(types::datetime(true).fractional(0)) == "TIMESTAMP(0) WITH TIME ZONE");
    CHECK(pg.parse_type("timestamp(3) without time zone") == types::datetime().fractional(3));
    CHECK(pg.parse_type("timestamp without time zone") == types::datetime());
    CHECK(pg.render_type(types::tiny_integer()) == "SMALLINT");
    CHECK(pg.render_type(types::tiny_integer().unsigned_()) == "SMALLINT");
    CHECK(pg.render_type(types::small_integer().unsigned_()) == "INTEGER");
    CHECK(pg.render_type(types::integer().unsigned_()) == "BIGINT");
    CHECK(pg.render_type(types::text(65535)) == "TEXT");
    // Reflected: INTEGER plus the check is integer unsigned, and stays INTEGER.
    ColumnType stored = pg.parse_type("integer");
    stored.is_unsigned = true;
    CHECK(pg.render_type(stored) == "INTEGER");
    CHECK(pg.normalize(T("t").id().col("n", stored).build()).columns[1].type == types::integer().unsigned_());
    CHECK(pg.render_type(my.parse_type("int(10) unsigned")) == "BIGINT");  // another database's spelling

    Table t = T("t").id().col("qty", types::integer().unsigned_(), false).build();
    CHECK(pg.render_column(t, t.columns[1]) ==
          "\"qty\" BIGINT NOT NULL CONSTRAINT \"ck_t_qty_unsigned\" CHECK (\"qty\" >= 0)");
    Table n = pg.normalize(t);
    CHECK(n.columns[1].type == types::big_integer().unsigned_());
    CHECK(n.checks.empty());

    CheckConstraint reflected{"ck_t_qty_unsigned", "CHECK ((qty >= 0))"};
    Column widened = n.columns[1];
    widened.type.is_unsigned = false;
    CHECK(PostgresDialect::is_unsigned_check("t", widened, reflected));
    CHECK_FALSE(PostgresDialect::is_unsigned_check("t", widened, CheckConstraint{"ck_t_qty", "CHECK ((qty >= 0))"}));
    CHECK_FALSE(
        PostgresDialect::is_unsigned_check("t", widened, CheckConstraint{"ck_t_qty_unsigned", "CHECK ((qty > 0))"}));
}

TEST_CASE("sqlite types: UNSIGNED in the declared type with a check, CHAR, TINYINT/MEDIUMINT", "[types][sqlite]") {
    CHECK(lite.render_type(types::integer().unsigned_()) == "INTEGER UNSIGNED");
    CHECK(lite.parse_type("INT UNSIGNED") == types::integer().unsigned_());
    CHECK(lite.parse_type("UNSIGNED BIG INT") == types::big_integer());
    CHECK(lite.parse_type("TINYINT") == types::tiny_integer());
    CHECK(lite.parse_type("MEDIUMINT UNSIGNED") == types::medium_integer().unsigned_());
    CHECK(lite.parse_type("CHAR(4)") == types::char_(4));
    CHECK(lite.parse_type("NCHAR(4)") == types::char_(4));
    CHECK(lite.parse_type("VARCHAR(4)") == types::string(4));
    CHECK(lite.render_type(types::char_(4)) == "CHAR(4)");
    Table t = T("t").id("id", true).col("qty", types::small_integer().unsigned_()).build();
    CHECK(lite.render_column(t, t.columns[1]) == "\"qty\" SMALLINT UNSIGNED CHECK (\"qty\" >= 0)");
    // An autoincrement key must be exactly INTEGER: its rowids are positive anyway.
    t.columns[0].type = types::integer().unsigned_();
    CHECK(lite.render_column(t, t.columns[0]) ==
          "\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT");
}

TEST_CASE("differ: signedness, size, CHAR and size classes are reported type changes", "[types][differ]") {
    auto changed = [](ColumnType from, ColumnType to, const Dialect& d) {
        Metadata a = schema({T("t").id().col("c", from)});
        Metadata b = schema({T("t").id().col("c", to)});
        DiffResult r = diff(a, b, {.dialect = &d});
        return r.operations.size() == 1 && std::holds_alternative<op::AlterColumn>(r.operations[0]);
    };
    for (const Dialect* d : std::initializer_list<const Dialect*>{&my, &pg, &lite}) {
        INFO(d->name());
        CHECK(changed(types::integer(), types::integer().unsigned_(), *d));
        CHECK(changed(types::char_(5), types::string(5), *d));
        CHECK(changed(types::char_(5), types::char_(10), *d));
    }
    CHECK(changed(types::integer().unsigned_(), types::big_integer().unsigned_(), my));
    CHECK(changed(types::text(65535), types::text(), my));
    CHECK(changed(my.parse_type("timestamp"), my.parse_type("datetime(6)"), my));
    CHECK(changed(types::datetime(), types::datetime().fractional(0), my));
    CHECK_FALSE(changed(types::text(65535), types::text(), pg));  // one TEXT there
    Metadata a = schema({T("t").id().col("c", types::char_(5))});
    Metadata b = schema({T("t").id().col("c", types::string(8))});
    CHECK(describe(diff(a, b).operations.at(0)).find("type char(5) -> string(8)") != std::string::npos);
}

TEST_CASE("migration SQL: an FK column next to an INT UNSIGNED key, CHAR widened, unsigned on PostgreSQL",
          "[types][render]") {
    Metadata s = parent_and_child(types::integer().unsigned_());
    op::AddColumn add{"child", strata::testing::column("parent_id", types::integer().unsigned_()), std::nullopt};
    CHECK(rendered(my, add, s) == Lines{"ALTER TABLE `child` ADD COLUMN `parent_id` INT UNSIGNED"});

    Metadata c = schema({T("t").id().col("code", types::char_(5))});
    op::AlterColumn widen{"t", strata::testing::column("code", types::char_(5)),
                          strata::testing::column("code", types::char_(10))};
    CHECK(rendered(pg, widen, c) == Lines{"ALTER TABLE \"t\" ALTER COLUMN \"code\" TYPE CHAR(10)"});
    CHECK(rendered(my, widen, c) == Lines{"ALTER TABLE `t` MODIFY COLUMN `code` CHAR(10)"});

    Metadata q = schema({T("t").id().col("qty", types::integer())});
    op::AlterColumn to_unsigned{"t", strata::testing::column("qty", types::integer()),
                                strata::testing::column("qty", types::integer().unsigned_())};
    CHECK(rendered(pg, to_unsigned, q) ==
          Lines{"ALTER TABLE \"t\" ALTER COLUMN \"qty\" TYPE BIGINT",
                "ALTER TABLE \"t\" ADD CONSTRAINT \"ck_t_qty_unsigned\" CHECK (\"qty\" >= 0)"});
    CHECK(rendered(my, to_unsigned, q) == Lines{"ALTER TABLE `t` MODIFY COLUMN `qty` INT UNSIGNED"});
    Metadata qu = schema({T("t").id().col("qty", types::big_integer().unsigned_())});
    op::AlterColumn to_signed{"t", strata::testing::column("qty", types::big_integer().unsigned_()),
                              strata::testing::column("qty", types::big_integer())};
    CHECK(rendered(pg, to_signed, qu) ==
          Lines{"ALTER TABLE \"t\" DROP CONSTRAINT IF EXISTS \"ck_t_qty_unsigned\""});
    op::RenameColumn rename{"t", "qty", "amount"};
    CHECK(rendered(pg, rename, qu) ==
          Lines{"ALTER TABLE \"t\" RENAME COLUMN \"qty\" TO \"amount\"",
                "ALTER TABLE \"t\" RENAME CONSTRAINT \"ck_t_qty_unsigned\" TO \"ck_t_amount_unsigned\""});
    op::RenameTable rename_table{"t", "stock"};
    CHECK(rendered(pg, rename_table, qu) ==
          Lines{"ALTER TABLE \"t\" RENAME TO \"stock\"",
                "ALTER TABLE \"stock\" RENAME CONSTRAINT \"ck_t_qty_unsigned\" TO \"ck_stock_qty_unsigned\""});
}

TEST_CASE("revision files keep unsigned, fixed_length, sizes and fractional seconds", "[types][revisions]") {
    Table t = T("t")
                  .id()
                  .col("a", types::integer().unsigned_())
                  .col("b", types::tiny_integer())
                  .col("c", types::char_(3))
                  .col("d", types::text(65535))
                  .col("e", types::blob(16777215))
                  .col("f", types::datetime().fractional(0))
                  .col("g", types::time().fractional(3))
                  .col("h", types::native("timestamp(6)"))
                  .build();
    Revision r;
    r.id = "3f2a9c1b7e04";
    r.upgrade = {Step{op::CreateTable{t}, false}};
    const std::string text = write_revision(r);
    INFO(text);
    CHECK(text.find("{ name = \"a\", type = \"integer\", unsigned = true, nullable = true }") != std::string::npos);
    CHECK(text.find("{ name = \"c\", type = \"string\", length = 3, fixed_length = true, nullable = true }") !=
          std::string::npos);
    CHECK(text.find("{ name = \"f\", type = \"datetime\", precision = 0, nullable = true }") != std::string::npos);
    Revision back = parse_revision(text, "r.toml");
    CHECK(back == r);
    const auto& cols = std::get<op::CreateTable>(back.upgrade.at(0).operation).table.columns;
    REQUIRE(cols.size() == t.columns.size());
    for (std::size_t i = 0; i < cols.size(); ++i) CHECK(cols[i].type == t.columns[i].type);

    auto bad = [](const std::string& column) {
        return "revision = \"3f2a9c1b7e04\"\nmessage = \"m\"\n[[upgrade]]\nop = \"add_column\"\ntable = \"t\"\ncolumn = " + column + "\n";
    };
    CHECK_THROWS_WITH(parse_revision(bad("{ name = \"x\", type = \"string\", length = 3, unsigned = true }"), "r.toml"),
                      Catch::Contains("'unsigned' in column 'x' applies to type"));
    CHECK_THROWS_WITH(parse_revision(bad("{ name = \"x\", type = \"datetime\", precision = 9 }"), "r.toml"),
                      Catch::Contains("fractional-second digits"));
}
