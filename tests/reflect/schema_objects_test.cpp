// Sequences, domains and enum types declared next to the tables, on every database:
// PostgreSQL creates, reflects and drops them (and a copy compares equal); SQLite and
// MySQL/MariaDB refuse sequences and domains with a clear error before creating
// anything, and give the columns of a named enum type their labels.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "migrations/differ.hpp"
#include "differ/schema_builder.hpp"
#include "orm/create_all.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

const EnumType kMood{"mood", {"sad", "ok", "happy"}};

Column col(std::string name, ColumnType type, bool nullable = true, std::optional<ServerDefault> def = std::nullopt) {
    return strata::testing::column(std::move(name), std::move(type), nullable, std::move(def));
}

Table people(bool with_pg_objects) {
    Table t;
    t.name = "people";
    t.columns = {col("id", types::big_integer(), false), col("feeling", kMood.column_type(), false, ServerDefault::literal("ok"))};
    if (with_pg_objects) {
        t.columns[0].server_default = ServerDefault::expression("nextval('people_ids')");
        t.columns.push_back(col("zip", Domain{.name = "zip_code"}.column_type()));
    }
    t.primary_key.columns = {"id"};
    return t;
}

Metadata schema(bool with_pg_objects) {
    Metadata m;
    m.add(kMood);
    if (with_pg_objects) {
        Domain zip;
        zip.name = "zip_code";
        zip.type = types::string(5);
        zip.checks = {CheckConstraint{"", "VALUE ~ '^[0-9]{5}$'"}};
        m.add(zip);
        Sequence ids;
        ids.name = "people_ids";
        ids.start = 100;
        ids.owned_by_table = "people";
        ids.owned_by_column = "id";
        m.add(ids);
    }
    m.add(people(with_pg_objects));
    return m;
}

std::int64_t count(Connection& c, const std::string& sql) {
    return std::get<std::int64_t>(c.query(sql).rows.at(0).at(0));
}

}  // namespace

TEST_CASE("objects: sequences, domains and enum types are created with the tables, or refused", "[reflect][objects]") {
    TestDatabase db;
    Connection& c = db.connection();
    const bool postgres = db.dialect().capabilities().sequences;
    const Metadata declared = schema(true);
    if (!postgres) {
        // Nothing is created: the refusal comes before the first statement.
        try {
            create_all(declared, db.engine());
            FAIL("expected Error(unsupported)");
        } catch (const Error& e) {
            INFO(e.what());
            CHECK(e.kind() == ErrorKind::unsupported);
            CHECK_THAT(e.what(), Catch::Contains("has no domains") || Catch::Contains("has no sequences"));
        }
        CHECK(reflect(db.engine()).tables().empty());
        return;
    }
    create_all(declared, db.engine());
    const Metadata live = reflect(db.engine());
    INFO(live.describe());
    CHECK(live == db.dialect().normalize(declared));
    CHECK(diff(live, declared, {.dialect = &db.dialect()}).empty());
    CHECK(diff(declared, live, {.dialect = &db.dialect()}).empty());
    create_all(declared, db.engine());  // idempotent: existing objects are left alone

    c.execute_unprepared("INSERT INTO people (zip) VALUES ('12345')");
    CHECK(count(c, "SELECT id FROM people") == 100);
    CHECK_THROWS_AS(c.execute_unprepared("INSERT INTO people (zip) VALUES ('1234x')"), Error);

    drop_all(declared, db.engine());
    const Metadata gone = reflect(db.engine());
    CHECK(gone.empty());
    CHECK(count(c, "SELECT count(*) FROM pg_type WHERE typname IN ('mood', 'zip_code')") == 0);
}

TEST_CASE("objects: an enum type declared for the models is each column's own labels where there are no named types",
          "[reflect][objects]") {
    TestDatabase db;
    const Metadata declared = schema(false);
    create_all(declared, db.engine());
    const Metadata live = reflect(db.engine());
    INFO(live.describe());
    CHECK(diff(live, declared, {.dialect = &db.dialect()}).empty());
    const Column& feeling = *live.find("people")->find_column("feeling");
    CHECK(feeling.type.kind == TypeKind::enum_);
    if (db.dialect().capabilities().named_enum_types) {
        CHECK(feeling.type.type_name == "mood");
        CHECK(live.enum_types().find("mood") != nullptr);
    } else {
        CHECK(feeling.type.enum_values == kMood.values);
        CHECK(live.enum_types().empty());
    }
    db.connection().execute_unprepared("INSERT INTO people (id) VALUES (1)");
    CHECK_THROWS_AS(db.connection().execute_unprepared("INSERT INTO people (id, feeling) VALUES (2, 'angry')"), Error);
    drop_all(declared, db.engine());
    CHECK(reflect(db.engine()).empty());
}
