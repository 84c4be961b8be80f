// Type fidelity on a live database, the same test on SQLite, PostgreSQL and MariaDB:
// a table made by raw SQL with UNSIGNED integers, TINYINT/MEDIUMINT, CHAR(n) and (on
// MySQL) TIMESTAMP, DATETIME without fraction, TEXT/BLOB size classes, YEAR and BIT is
// reflected, checked against the catalog read independently, compared with itself (no
// difference), reproduced on an empty database through diff + plan, and the copy
// behaves as the original: -1 refused by an unsigned column, CHAR padding kept.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "orm/model.hpp"
#include "orm/registry.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

const std::string& d() { return strata::testing::dialect(); }

// Brings the database to `desired` through the migration path; returns the operations.
DiffResult migrate(TestDatabase& db, const Metadata& desired) {
    Metadata current = db.dialect().reflect(db.connection());
    DiffResult r = diff(current, desired, {.dialect = &db.dialect()});
    Plan plan = make_plan(r.operations, db.dialect(), current, PlanOptions{&db.connection(), nullptr});
    execute_plan(plan, db.connection());
    return r;
}

std::string listing(const DiffResult& r) {
    std::string out;
    for (const Operation& op : r.operations) out += describe(op) + "\n";
    return out;
}

// The raw DDL of the original table, in each database's own words.
std::string original_ddl() {
    if (d() == "mysql")
        return "CREATE TABLE fidelity (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, qty INT UNSIGNED, "
               "t TINYINT, tu TINYINT UNSIGNED, m MEDIUMINT UNSIGNED, b BIGINT UNSIGNED, code CHAR(3), "
               "ts TIMESTAMP NULL, tsu TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
               "CURRENT_TIMESTAMP(6), dt DATETIME DEFAULT CURRENT_TIMESTAMP, dt6 DATETIME(6), tx TEXT, "
               "mt MEDIUMTEXT, mb MEDIUMBLOB, "
               "y YEAR, bits BIT(8))";
    if (d() == "postgres")
        return "CREATE TABLE fidelity (id INTEGER PRIMARY KEY, qty BIGINT CONSTRAINT ck_fidelity_qty_unsigned "
               "CHECK (qty >= 0), n INTEGER CONSTRAINT ck_fidelity_n_unsigned CHECK (n >= 0), code CHAR(3), "
               "ts TIMESTAMP(0))";
    return "CREATE TABLE fidelity (id INTEGER NOT NULL PRIMARY KEY, qty INT UNSIGNED CHECK (qty >= 0), "
           "t TINYINT, code CHAR(3))";
}

// What reflection must report for the original, by column.
std::map<std::string, ColumnType> expected_types() {
    if (d() == "mysql")
        return {{"id", types::integer().unsigned_()},
                {"qty", types::integer().unsigned_()},
                {"t", types::tiny_integer()},
                {"tu", types::tiny_integer().unsigned_()},
                {"m", types::medium_integer().unsigned_()},
                {"b", types::big_integer().unsigned_()},
                {"code", types::char_(3)},
                {"ts", types::native("timestamp")},
                {"tsu", types::native("timestamp(6)")},
                {"dt", types::datetime().fractional(0)},
                {"dt6", types::datetime()},
                {"tx", types::text(65535)},
                {"mt", types::text(16777215)},
                {"mb", types::blob(16777215)},
                {"y", types::native("year(4)")},
                {"bits", types::native("bit(8)")}};
    if (d() == "postgres")
        return {{"id", types::integer()},
                {"qty", types::big_integer().unsigned_()},
                {"n", types::integer().unsigned_()},
                {"code", types::char_(3)},
                {"ts", types::datetime().fractional(0)}};
    return {{"id", types::integer()}, {"qty", types::integer().unsigned_()}, {"t", types::tiny_integer()},
            {"code", types::char_(3)}};
}

std::string text(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* b = std::get_if<Blob>(&v)) return std::string(b->bytes.begin(), b->bytes.end());
    return "?";
}

// The column types as the catalog spells them, read without strata's reflection.
std::map<std::string, std::string> catalog_types(Connection& conn) {
    std::string sql =
        d() == "mysql"
            ? "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
              "AND TABLE_NAME = 'fidelity'"
        : d() == "postgres"
            ? "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
              "WHERE a.attrelid = 'fidelity'::regclass AND a.attnum > 0 AND NOT a.attisdropped"
            : "SELECT name, type FROM pragma_table_info('fidelity')";
    std::map<std::string, std::string> out;
    for (const auto& row : conn.query(sql).rows) out[text(row[0])] = text(row[1]);
    return out;
}

// The checks as the catalog has them (PostgreSQL), for the unsigned columns.
std::set<std::string> catalog_checks(Connection& conn) {
    std::set<std::string> out;
    if (d() != "postgres") return out;
    for (const auto& row : conn.query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' AND "
                                      "conrelid = 'fidelity'::regclass")
                               .rows)
        out.insert(text(row[0]));
    return out;
}

bool insert_refused(Connection& conn, const std::string& sql) {
    try {
        conn.execute_unprepared(sql);
        return false;
    } catch (const Error&) {
        return true;
    }
}

}  // namespace

TEST_CASE("types: a raw table reflects exactly, diffs empty with itself and reproduces exactly", "[types]") {
    TestDatabase a;
    a.connection().execute_unprepared(original_ddl());
    Metadata reflected = a.dialect().reflect(a.connection());
    const Table* t = reflected.find("fidelity");
    REQUIRE(t);
    INFO(t->describe());
    for (const auto& [name, type] : expected_types()) {
        INFO(name);
        const Column* c = t->find_column(name);
        REQUIRE(c);
        CHECK(c->type.describe() == type.describe());
        CHECK(c->type == type);
    }
    CHECK(t->checks.empty());  // the unsigned checks are part of the types
    DiffResult same = diff(reflected, a.dialect().reflect(a.connection()), {.dialect = &a.dialect()});
    CHECK(listing(same).empty());

    TestDatabase b;
    migrate(b, reflected);
    Metadata copy = b.dialect().reflect(b.connection());
    CHECK(listing(diff(reflected, copy, {.dialect = &a.dialect()})).empty());
    CHECK(listing(diff(copy, reflected, {.dialect = &a.dialect()})).empty());
    if (d() != "sqlite") {
        // SQLite keeps the declared text: the copy says INTEGER UNSIGNED for INT UNSIGNED.
        CHECK(catalog_types(b.connection()) == catalog_types(a.connection()));
    }
    CHECK(catalog_checks(b.connection()) == catalog_checks(a.connection()));

    for (TestDatabase* db : {&a, &b}) {
        INFO((db == &a ? "original" : "copy"));
        CHECK(insert_refused(db->connection(), "INSERT INTO fidelity (id, qty) VALUES (1, -1)"));
        db->connection().execute_unprepared("INSERT INTO fidelity (id, qty, code) VALUES (2, 4294967295, 'ab')");
    }
}

TEST_CASE("types: an FK column added next to an unsigned key gets the key's type", "[types]") {
    TestDatabase db;
    auto model = [](bool with_fk) {
        Table parent;
        parent.name = "parent";
        parent.columns = {Column{.name = "id", .type = types::integer().unsigned_(), .nullable = false}};
        parent.primary_key.columns = {"id"};
        Table child;
        child.name = "child";
        child.columns = {Column{.name = "id", .type = types::integer(), .nullable = false}};
        child.primary_key.columns = {"id"};
        if (with_fk) {
            child.columns.push_back(Column{.name = "parent_id", .type = types::integer().unsigned_()});
            child.foreign_keys.push_back(ForeignKey{.columns = {"parent_id"}, .ref_table = "parent", .ref_columns = {"id"}});
        }
        Metadata m;
        m.add(parent);
        m.add(child);
        return m;
    };
    migrate(db, model(false));
    DiffResult added = migrate(db, model(true));
    INFO(listing(added));
    CHECK(listing(added).find("parent_id integer unsigned") != std::string::npos);
    Metadata now = db.dialect().reflect(db.connection());
    CHECK(listing(diff(now, model(true), {.dialect = &db.dialect()})).empty());
}

TEST_CASE("types: CHAR stays CHAR when widened and keeps its padding", "[types]") {
    TestDatabase db;
    auto model = [](ColumnType type) {
        Table t;
        t.name = "codes";
        t.columns = {Column{.name = "id", .type = types::integer(), .nullable = false}, Column{.name = "code", .type = type}};
        t.primary_key.columns = {"id"};
        Metadata m;
        m.add(t);
        return m;
    };
    migrate(db, model(types::char_(3)));
    db.connection().execute_unprepared("INSERT INTO codes (id, code) VALUES (1, 'ab')");
    DiffResult widened = migrate(db, model(types::char_(10)));
    CHECK(listing(widened).find("type char(3) -> char(10)") != std::string::npos);
    Metadata now = db.dialect().reflect(db.connection());
    CHECK(now.find("codes")->find_column("code")->type == types::char_(10));
    if (d() == "postgres") {
        auto rows = db.connection().query("SELECT octet_length(code) FROM codes").rows;
        CHECK(std::get<std::int64_t>(rows.at(0).at(0)) == 10);  // blank-padded, not trimmed
    }
    DiffResult to_varchar = migrate(db, model(types::string(10)));
    CHECK(listing(to_varchar).find("type char(10) -> string(10)") != std::string::npos);
}

namespace {

struct Counter {
    std::int64_t id = 0;
    std::uint32_t hits = 0;
    std::uint8_t level = 0;
    std::int8_t delta = 0;
    std::string code;
};

}  // namespace

TEST_CASE("types: unsigned members and char_ declared in C++ create, reflect and refuse -1", "[types]") {
    Registry registry;
    registry.table<Counter>("counters")
        .column("id", &Counter::id, primary_key)
        .column("hits", &Counter::hits)
        .column("level", &Counter::level)
        .column("delta", &Counter::delta)
        .column("code", &Counter::code, type(types::char_(3)));
    const Table* declared = registry.metadata().find("counters");
    REQUIRE(declared);
    CHECK(declared->find_column("hits")->type == types::integer().unsigned_());
    CHECK(declared->find_column("level")->type == types::tiny_integer().unsigned_());
    CHECK(declared->find_column("delta")->type == types::tiny_integer());

    TestDatabase db;
    registry.create_all(db.engine());
    Metadata reflected = db.dialect().reflect(db.connection());
    const std::string ops = listing(diff(reflected, registry.metadata(), {.dialect = &db.dialect()}));
    INFO(ops);
    CHECK(ops.empty());
    CHECK(insert_refused(db.connection(), "INSERT INTO counters (id, hits, level, delta, code) VALUES (1, -1, 0, 0, 'a')"));
    CHECK(insert_refused(db.connection(), "INSERT INTO counters (id, hits, level, delta, code) VALUES (2, 0, -1, 0, 'a')"));
    db.connection().execute_unprepared(
        "INSERT INTO counters (id, hits, level, delta, code) VALUES (3, 4294967295, 255, -128, 'abc')");
}

TEST_CASE("types: diff between two databases reports a re-spelled type", "[types]") {
    if (d() != "mysql") return;  // size classes and TIMESTAMP exist on MySQL only
    TestDatabase a, b;
    a.connection().execute_unprepared("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT, at TIMESTAMP NULL, "
                                      "n INT UNSIGNED)");
    b.connection().execute_unprepared("CREATE TABLE notes (id INT PRIMARY KEY, body LONGTEXT, at DATETIME(6) NULL, "
                                      "n BIGINT UNSIGNED)");
    DatabaseDiff dd = diff_databases(a.engine(), b.engine());
    const std::string ops = listing(dd.result);
    INFO(ops);
    CHECK(ops.find("body: type text(65535) -> text") != std::string::npos);
    CHECK(ops.find("at: type other(timestamp) -> datetime") != std::string::npos);
    CHECK(ops.find("n: type integer unsigned -> big_integer unsigned") != std::string::npos);
}

TEST_CASE("types: an unsigned column stays unsigned through table and column renames", "[types]") {
    TestDatabase db;
    auto model = [](const std::string& table, const std::string& column, bool hints) {
        Table t;
        t.name = table;
        t.columns = {Column{.name = "id", .type = types::integer(), .nullable = false},
                     Column{.name = column, .type = types::integer().unsigned_()}};
        t.primary_key.columns = {"id"};
        if (hints) {
            t.renamed_from = "stock";
            t.columns[1].renamed_from = "qty";
        }
        Metadata m;
        m.add(t);
        return m;
    };
    migrate(db, model("stock", "qty", false));
    DiffResult renamed = migrate(db, model("inventory", "amount", true));
    INFO(listing(renamed));
    CHECK(listing(renamed) == "rename table stock to inventory\nrename column inventory.qty to amount\n");
    Metadata now = db.dialect().reflect(db.connection());
    CHECK(listing(diff(now, model("inventory", "amount", false), {.dialect = &db.dialect()})).empty());
    CHECK(insert_refused(db.connection(), "INSERT INTO inventory (id, amount) VALUES (1, -1)"));
}
