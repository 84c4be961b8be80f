// PostgreSQL sequences, domains and enum types without a server: the SQL of their
// operations (golden text), their normalization, and the serial sequence name rule.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "dialects/postgres/postgres_catalog_types.hpp"
#include "dialects/postgres/postgres_dialect.hpp"

using namespace strata;

namespace {

const Dialect& pg() { return postgresql_dialect(); }

std::vector<std::string> sql_of(const Operation& operation, const Metadata& schema = {}) {
    std::vector<std::string> out;
    for (const SqlStatement& s : pg().render_operation(operation, RenderContext{schema})) out.push_back(s.sql);
    return out;
}

using Lines = std::vector<std::string>;

Sequence numbers() {
    Sequence s;
    s.name = "order_numbers";
    s.type = TypeKind::integer;
    s.start = 1000;
    s.increment = 10;
    s.max_value = 99990;
    s.cache = 5;
    s.cycle = true;
    s.owned_by_table = "orders";
    s.owned_by_column = "number";
    return s;
}

Domain postal_code() {
    Domain d;
    d.name = "Postal Code";
    d.type = types::string(10);
    d.nullable = false;
    d.server_default = ServerDefault::literal("00000");
    d.checks = {CheckConstraint{"postal_digits", "VALUE ~ '^[0-9]+$'"}};
    return d;
}

}  // namespace

TEST_CASE("postgres: sequence operations render as CREATE / ALTER / DROP SEQUENCE", "[postgres][render][objects]") {
    CHECK(sql_of(op::CreateSequence{numbers()}) ==
          Lines{R"(CREATE SEQUENCE "order_numbers" AS INTEGER INCREMENT BY 10 MAXVALUE 99990 START WITH 1000 CACHE 5 )"
                R"(CYCLE OWNED BY "orders"."number")"});
    Sequence plain;
    plain.name = "ids";
    CHECK(sql_of(op::CreateSequence{plain}) == Lines{R"(CREATE SEQUENCE "ids" AS BIGINT INCREMENT BY 1)"});

    Sequence changed = numbers();
    changed.type = TypeKind::big_integer;
    changed.max_value.reset();
    changed.min_value = 5;
    changed.cycle = false;
    changed.owned_by_table.clear();
    changed.owned_by_column.clear();
    CHECK(sql_of(op::AlterSequence{numbers(), changed}) ==
          Lines{R"(ALTER SEQUENCE "order_numbers" AS BIGINT MINVALUE 5 NO MAXVALUE NO CYCLE OWNED BY NONE)"});
    CHECK(sql_of(op::AlterSequence{changed, numbers()}) ==
          Lines{R"(ALTER SEQUENCE "order_numbers" AS INTEGER NO MINVALUE MAXVALUE 99990 CYCLE OWNED BY "orders"."number")"});
    Sequence restarted = numbers();
    restarted.start.reset();  // back to the default start: the minimum, 1
    CHECK(sql_of(op::AlterSequence{numbers(), restarted}) == Lines{R"(ALTER SEQUENCE "order_numbers" START WITH 1)"});
    CHECK(sql_of(op::AlterSequence{numbers(), numbers()}).empty());

    std::vector<SqlStatement> drop = pg().render_operation(op::DropSequence{numbers()}, RenderContext{Metadata{}});
    REQUIRE(drop.size() == 1);
    CHECK(drop[0].sql == R"(DROP SEQUENCE IF EXISTS "order_numbers")");
    CHECK(drop[0].destructive);
}

TEST_CASE("postgres: domain operations render as CREATE / ALTER / DROP DOMAIN", "[postgres][render][objects]") {
    CHECK(sql_of(op::CreateDomain{postal_code()}) ==
          Lines{R"(CREATE DOMAIN "Postal Code" AS VARCHAR(10) DEFAULT '00000' NOT NULL CONSTRAINT "postal_digits" )"
                R"(CHECK (VALUE ~ '^[0-9]+$'))"});
    Domain looser = postal_code();
    looser.nullable = true;
    looser.server_default.reset();
    looser.checks = {CheckConstraint{"postal_digits", "VALUE ~ '^[0-9]{5}$'"}};
    CHECK(sql_of(op::AlterDomain{postal_code(), looser}) ==
          Lines{R"(ALTER DOMAIN "Postal Code" DROP CONSTRAINT "postal_digits")",
                R"(ALTER DOMAIN "Postal Code" DROP DEFAULT)", R"(ALTER DOMAIN "Postal Code" DROP NOT NULL)",
                R"(ALTER DOMAIN "Postal Code" ADD CONSTRAINT "postal_digits" CHECK (VALUE ~ '^[0-9]{5}$'))"});
    Domain retyped = postal_code();
    retyped.type = types::text();
    CHECK_THROWS_WITH(sql_of(op::AlterDomain{postal_code(), retyped}),
                      Catch::Contains("cannot change the base type of domain Postal Code"));
    CHECK(sql_of(op::DropDomain{postal_code()}) == Lines{R"(DROP DOMAIN "Postal Code")"});

    // A column of the domain is written with the domain's name.
    Table t;
    t.name = "addresses";
    Column zip;
    zip.name = "zip";
    zip.type = postal_code().column_type();
    CHECK(pg().render_column(t, zip) == R"("zip" "Postal Code")");
}

TEST_CASE("postgres: enum types add labels in place, outside the transaction, and rebuild otherwise",
          "[postgres][render][objects]") {
    const EnumType mood{"mood", {"sad", "ok"}};
    CHECK(sql_of(op::CreateEnumType{mood}) == Lines{R"(CREATE TYPE "mood" AS ENUM ('sad', 'ok'))"});
    CHECK(sql_of(op::DropEnumType{mood}) == Lines{R"(DROP TYPE "mood")"});

    const EnumType more{"mood", {"awful", "sad", "meh", "ok", "happy"}};
    std::vector<SqlStatement> add = pg().render_operation(op::AlterEnumType{mood, more}, RenderContext{Metadata{}});
    REQUIRE(add.size() == 3);
    CHECK(add[0].sql == R"(ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'awful' BEFORE 'sad')");
    CHECK(add[1].sql == R"(ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'meh' AFTER 'sad')");
    CHECK(add[2].sql == R"(ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'happy' AFTER 'ok')");
    for (const SqlStatement& s : add) CHECK_FALSE(s.transactional);

    // Removing a label rebuilds the type and converts every column of it.
    Metadata schema;
    schema.add(mood);
    Table people;
    people.name = "people";
    Column feeling;
    feeling.name = "feeling";
    feeling.type = mood.column_type();
    feeling.server_default = ServerDefault::literal("ok");
    Column other;
    other.name = "note";
    other.type = types::text();
    people.columns = {feeling, other};
    schema.add(people);
    const EnumType fewer{"mood", {"ok"}};
    std::vector<SqlStatement> rebuild = pg().render_operation(op::AlterEnumType{mood, fewer}, RenderContext{schema});
    std::vector<std::string> text;
    for (const SqlStatement& s : rebuild) text.push_back(s.sql);
    CHECK(text == Lines{R"(ALTER TYPE "mood" RENAME TO "mood_old")", R"(CREATE TYPE "mood" AS ENUM ('ok'))",
                        R"(ALTER TABLE "people" ALTER COLUMN "feeling" DROP DEFAULT)",
                        R"(ALTER TABLE "people" ALTER COLUMN "feeling" TYPE "mood" USING "feeling"::text::"mood")",
                        R"(ALTER TABLE "people" ALTER COLUMN "feeling" SET DEFAULT 'ok')", R"(DROP TYPE "mood_old")"});
    CHECK(rebuild[3].destructive);

    // A column of a named enum type uses it: render_create_table creates no type for it.
    std::vector<std::string> create = pg().render_create_table(people);
    CHECK(create.front().rfind("CREATE TABLE", 0) == 0);
    CHECK(create.front().find(R"("feeling" "mood" DEFAULT 'ok')") != std::string::npos);
    std::vector<std::string> drop = pg().render_drop_table(people);
    CHECK(drop == Lines{R"(DROP TABLE "people")"});
}

TEST_CASE("postgres: sequences and domains normalize to what reflection reads back", "[postgres][normalize][objects]") {
    Metadata declared;
    Sequence explicit_defaults;
    explicit_defaults.name = "ids";
    explicit_defaults.type = TypeKind::integer;
    explicit_defaults.min_value = 1;
    explicit_defaults.max_value = 2147483647;
    explicit_defaults.start = 1;
    declared.add(explicit_defaults);
    Sequence down;
    down.name = "countdown";
    down.increment = -1;
    down.max_value = 100;
    down.start = 100;  // the maximum: the default start of a descending sequence
    declared.add(down);
    Domain d = postal_code();
    d.type = types::native("character varying(10)");
    d.checks[0].expression = "(VALUE ~ '^[0-9]+$'::text)";
    declared.add(d);
    Metadata n = pg().normalize(declared);
    const Sequence& ids = *n.sequences().find("ids");
    CHECK_FALSE(ids.min_value.has_value());
    CHECK_FALSE(ids.max_value.has_value());
    CHECK_FALSE(ids.start.has_value());
    const Sequence& cd = *n.sequences().find("countdown");
    CHECK(cd.max_value == 100);
    CHECK_FALSE(cd.start.has_value());
    CHECK_FALSE(cd.min_value.has_value());
    const Domain& nd = *n.domains().find("Postal Code");
    CHECK(nd.type == types::string(10));
    CHECK(nd.checks[0].expression == "value ~ '^[0-9]+$'");
    CHECK(nd.server_default == ServerDefault::literal("00000"));
    CHECK(pg().normalize(n) == n);
}

TEST_CASE("postgres: sequences and domains are refused where the database has none", "[render][objects]") {
    for (const Dialect* d : {&sqlite_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        try {
            d->render_operation(op::CreateSequence{numbers()}, RenderContext{Metadata{}});
            FAIL("expected Error(unsupported)");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::unsupported);
            CHECK_THAT(e.what(), Catch::Contains("has no sequences") && Catch::Contains("autoincrement column"));
        }
        CHECK_THROWS_WITH(d->render_operation(op::CreateDomain{postal_code()}, RenderContext{Metadata{}}),
                          Catch::Contains("has no domains") && Catch::Contains("base type"));
        CHECK_THROWS_WITH(d->render_operation(op::CreateEnumType{EnumType{"mood", {"a"}}}, RenderContext{Metadata{}}),
                          Catch::Contains("has no named enum types") && Catch::Contains("types::enum_"));
        // From models, an enum type becomes its columns' own labels there.
        Metadata m;
        const EnumType mood{"mood", {"sad", "ok"}};
        m.add(mood);
        Table t;
        t.name = "people";
        Column feeling;
        feeling.name = "feeling";
        feeling.type = mood.column_type();
        t.columns = {feeling};
        m.add(t);
        Metadata n = d->normalize(m);
        CHECK(n.enum_types().empty());
        CHECK(n.find("people")->find_column("feeling")->type.enum_values == mood.values);
        CHECK(n.find("people")->find_column("feeling")->type.type_name.empty());
    }
}

TEST_CASE("postgres: serial sequences are named as the server names them", "[postgres][objects]") {
    CHECK(postgres::serial_sequence_name("users", "id") == "users_id_seq");
    std::string long_table(60, 't');
    std::string name = postgres::serial_sequence_name(long_table, "id");
    CHECK(name.size() == 63);
    CHECK(name == std::string(56, 't') + "_id_seq");
    CHECK(postgres::serial_sequence_name(std::string(40, 'a'), std::string(40, 'b')) ==
          std::string(29, 'a') + "_" + std::string(29, 'b') + "_seq");
}
