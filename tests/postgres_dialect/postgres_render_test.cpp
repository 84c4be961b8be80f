// PostgreSQL dialect without a server: type mapping both ways, DDL golden text,
// defaults, literals, normalization.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "dialects/postgres/postgres_dialect.hpp"

using namespace strata;

namespace {

const Dialect& pg() { return postgresql_dialect(); }

Column col(std::string name, ColumnType type, bool nullable = true, std::optional<ServerDefault> def = std::nullopt) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.server_default = std::move(def);
    return c;
}

std::vector<ColumnType> every_portable_type_but_enum() {
    return {types::integer(),      types::small_integer(), types::big_integer(), types::boolean(),
            types::string(100),    types::text(),          types::float_(),      types::double_(),
            types::numeric(10, 2), types::numeric(5, 0),   types::date(),        types::time(),
            types::datetime(),     types::datetime(true),  types::blob(),        types::json(),
            types::uuid()};
}

}  // namespace

// ---- identity and capabilities ----------------------------------------------------------------

TEST_CASE("postgres: name, placeholders and capabilities", "[postgres][render]") {
    CHECK(pg().name() == "postgresql");
    CHECK(&dialect_named("postgres") == &pg());
    CHECK(&dialect_named("postgresql+psycopg2") == &pg());
    CHECK(pg().placeholder(1) == "$1");
    CHECK(pg().placeholder(12) == "$12");
    const Capabilities& c = pg().capabilities();
    CHECK(c.transactional_ddl);
    CHECK(c.alter_column);
    CHECK(c.drop_column);
    CHECK(c.rename_column);
    CHECK(c.alter_constraints);
    CHECK(c.returning);
    CHECK(c.native_boolean);
    CHECK(c.native_uuid);
    CHECK(c.native_json);
    CHECK(c.native_enum);
    CHECK(c.column_comments);
    CHECK(c.named_primary_key);
    CHECK_FALSE(c.fk_needs_index);
    CHECK(c.max_bind_parameters == 65535);
    CHECK(c.max_identifier_length == 63);
}

// ---- types ------------------------------------------------------------------------------------

TEST_CASE("postgres: parse_type(render_type(t)) == t for every portable type", "[postgres][types]") {
    for (const ColumnType& t : every_portable_type_but_enum()) {
        std::string native = pg().render_type(t);
        INFO(t.describe() << " -> " << native);
        ColumnType back = pg().parse_type(native);
        CHECK(back == t);
        CHECK(back.native == native);
    }
}

TEST_CASE("postgres: render_type spellings", "[postgres][types]") {
    CHECK(pg().render_type(types::integer()) == "INTEGER");
    CHECK(pg().render_type(types::small_integer()) == "SMALLINT");
    CHECK(pg().render_type(types::big_integer()) == "BIGINT");
    CHECK(pg().render_type(types::boolean()) == "BOOLEAN");
    CHECK(pg().render_type(types::string(30)) == "VARCHAR(30)");
    CHECK(pg().render_type(types::text()) == "TEXT");
    CHECK(pg().render_type(types::float_()) == "REAL");
    CHECK(pg().render_type(types::double_()) == "DOUBLE PRECISION");
    CHECK(pg().render_type(types::numeric(10, 2)) == "NUMERIC(10,2)");
    CHECK(pg().render_type(types::date()) == "DATE");
    CHECK(pg().render_type(types::time()) == "TIME");
    CHECK(pg().render_type(types::datetime()) == "TIMESTAMP");
    CHECK(pg().render_type(types::datetime(true)) == "TIMESTAMP WITH TIME ZONE");
    CHECK(pg().render_type(types::blob()) == "BYTEA");
    CHECK(pg().render_type(types::json()) == "JSONB");
    CHECK(pg().render_type(types::uuid()) == "UUID");
    ColumnType other;
    other.kind = TypeKind::other;
    other.native = "integer[]";
    CHECK(pg().render_type(other) == "integer[]");
}

TEST_CASE("postgres: an enum needs its column to be rendered - other without native is refused", "[postgres][types]") {
    try {
        pg().render_type(types::enum_({"a", "b"}));
        FAIL("render_type rendered an unnamed enum");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("render_column") != std::string::npos);
    }
    ColumnType named = types::enum_({"a"});
    named.native = "mood";
    CHECK(pg().render_type(named) == "mood");
    ColumnType other;
    other.kind = TypeKind::other;
    CHECK_THROWS_AS(pg().render_type(other), Error);
}

TEST_CASE("postgres: parse_type reads format_type() output and hand spellings", "[postgres][types]") {
    struct Case {
        const char* native;
        ColumnType expected;
    };
    ColumnType char5 = types::char_(5);
    ColumnType char1 = types::char_(1);
    ColumnType varchar_unbounded;
    varchar_unbounded.kind = TypeKind::string;
    ColumnType numeric_plain;
    numeric_plain.kind = TypeKind::numeric;
    const Case cases[] = {
        {"integer", types::integer()},
        {"int4", types::integer()},
        {"INT", types::integer()},
        {"serial", types::integer()},
        {"int2", types::small_integer()},
        {"smallint", types::small_integer()},
        {"int8", types::big_integer()},
        {"bigint", types::big_integer()},
        {"bigserial", types::big_integer()},
        {"bool", types::boolean()},
        {"boolean", types::boolean()},
        {"character varying(30)", types::string(30)},
        {"varchar(30)", types::string(30)},
        {"VARCHAR( 30 )", types::string(30)},
        {"character varying", varchar_unbounded},
        {"character(5)", char5},
        {"char", char1},
        {"text", types::text()},
        {"real", types::float_()},
        {"float4", types::float_()},
        {"float(10)", types::float_()},
        {"float8", types::double_()},
        {"double precision", types::double_()},
        {"float", types::double_()},
        {"numeric(10,2)", types::numeric(10, 2)},
        {"numeric(12)", types::numeric(12, 0)},
        {"decimal(8, 3)", types::numeric(8, 3)},
        {"numeric", numeric_plain},
        {"date", types::date()},
        {"time without time zone", types::time()},
        {"time(3) without time zone", types::time().fractional(3)},
        {"timestamp", types::datetime()},
        {"timestamp without time zone", types::datetime()},
        {"timestamp(3) without time zone", types::datetime().fractional(3)},
        {"timestamp with time zone", types::datetime(true)},
        {"timestamptz", types::datetime(true)},
        {"bytea", types::blob()},
        {"jsonb", types::json()},
        {"json", types::json()},
        {"uuid", types::uuid()},
        {"pg_catalog.int4", types::integer()},
    };
    for (const Case& c : cases) {
        INFO(c.native);
        ColumnType t = pg().parse_type(c.native);
        CHECK(t == c.expected);
        CHECK(t.native == c.native);
    }
}

TEST_CASE("postgres: unknown spellings parse as other with the spelling kept", "[postgres][types]") {
    for (const char* native : {"integer[]", "interval", "time with time zone", "inet", "tsvector", "point",
                               "character varying(30)[]", "\"Mood\"", "public.mood", "numeric(x)"}) {
        INFO(native);
        ColumnType t = pg().parse_type(native);
        CHECK(t.kind == TypeKind::other);
        CHECK(t.native == native);
    }
}

// ---- literals and defaults -------------------------------------------------------------------

TEST_CASE("postgres: literals for offline scripts", "[postgres][render]") {
    CHECK(pg().literal(Value(null)) == "NULL");
    CHECK(pg().literal(Value(true)) == "TRUE");
    CHECK(pg().literal(Value(std::int64_t{-5})) == "-5");
    CHECK(pg().literal(Value("it's \\ here")) == "'it''s \\ here'");
    CHECK(pg().literal(Value(Blob(std::vector<std::uint8_t>{0, 1, 0xab}))) == "'\\x0001ab'::bytea");
    CHECK(pg().literal(Value(std::nan(""))) == "'NaN'::double precision");
    CHECK(pg().literal(Value(std::numeric_limits<double>::infinity())) == "'Infinity'::double precision");
    CHECK(pg().literal(Value(-std::numeric_limits<double>::infinity())) == "'-Infinity'::double precision");
    CHECK(pg().literal(Value(Date{2026, 11, 26})) == "'2026-11-26'");
}

TEST_CASE("postgres: render_default quotes per type", "[postgres][render]") {
    CHECK(pg().render_default(ServerDefault::literal("42"), types::integer()) == "42");
    CHECK(pg().render_default(ServerDefault::literal("-1.5"), types::numeric(5, 2)) == "-1.5");
    CHECK(pg().render_default(ServerDefault::literal("NaN"), types::double_()) == "'NaN'");
    CHECK(pg().render_default(ServerDefault::literal("true"), types::boolean()) == "TRUE");
    CHECK(pg().render_default(ServerDefault::literal("0"), types::boolean()) == "FALSE");
    CHECK(pg().render_default(ServerDefault::literal("it's"), types::string(10)) == "'it''s'");
    CHECK(pg().render_default(ServerDefault::literal("2024-01-31"), types::date()) == "'2024-01-31'");
    CHECK(pg().render_default(ServerDefault::expression("CURRENT_TIMESTAMP"), types::datetime()) == "CURRENT_TIMESTAMP");
}

// ---- DDL --------------------------------------------------------------------------------------

TEST_CASE("postgres: CREATE TABLE with identity, enum, constraints and comments", "[postgres][render]") {
    Table t;
    t.name = "items";
    Column id = col("id", types::integer(), false);
    id.autoincrement = true;
    id.comment = "the key";
    t.columns = {id, col("size", types::enum_({"s", "it's"}), false, ServerDefault::literal("s")),
                 col("price", types::numeric(10, 2), true, ServerDefault::literal("0")),
                 col("owner_id", types::big_integer())};
    t.primary_key.columns = {"id"};
    t.uniques = {UniqueConstraint{"", {"owner_id", "size"}}};
    t.checks = {CheckConstraint{"", "price >= 0"}};
    ForeignKey fk;
    fk.columns = {"owner_id"};
    fk.ref_table = "owners";
    fk.ref_columns = {"id"};
    fk.on_delete = FkAction::cascade;
    t.foreign_keys = {fk};
    t.indexes = {Index{"", {"price"}, false}};
    t.comment = "things";

    std::vector<std::string> sql = pg().render_create_table(t);
    REQUIRE(sql.size() == 5);
    CHECK(sql[0] == "CREATE TYPE \"items_size_enum\" AS ENUM ('s', 'it''s')");
    CHECK(sql[1] == "CREATE TABLE \"items\" (\n"
                    "    \"id\" INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
                    "    \"size\" \"items_size_enum\" NOT NULL DEFAULT 's',\n"
                    "    \"price\" NUMERIC(10,2) DEFAULT 0,\n"
                    "    \"owner_id\" BIGINT,\n"
                    "    CONSTRAINT \"pk_items\" PRIMARY KEY (\"id\"),\n"
                    "    CONSTRAINT \"uq_items_owner_id_size\" UNIQUE (\"owner_id\", \"size\"),\n"
                    "    CONSTRAINT \"ck_items_price_0\" CHECK (price >= 0),\n"
                    "    CONSTRAINT \"fk_items_owner_id_owners\" FOREIGN KEY (\"owner_id\") REFERENCES \"owners\" (\"id\") ON DELETE CASCADE\n"
                    ")");
    CHECK(sql[2] == "CREATE INDEX \"ix_items_price\" ON \"items\" (\"price\")");
    CHECK(sql[3] == "COMMENT ON TABLE \"items\" IS 'things'");
    CHECK(sql[4] == "COMMENT ON COLUMN \"items\".\"id\" IS 'the key'");

    std::vector<std::string> drop = pg().render_drop_table(t);
    REQUIRE(drop.size() == 2);
    CHECK(drop[0] == "DROP TABLE \"items\"");
    CHECK(drop[1] == "DROP TYPE IF EXISTS \"items_size_enum\"");
}

TEST_CASE("postgres: an autoincrement column never gets a DEFAULT - a generated column renders its expression",
          "[postgres][render]") {
    Table t;
    t.name = "t";
    Column id = col("id", types::big_integer(), false, ServerDefault::literal("5"));
    id.autoincrement = true;
    CHECK(pg().render_column(t, id) == "\"id\" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL");
    Column text_auto = col("code", types::text());
    text_auto.autoincrement = true;  // not an integer: no identity possible
    CHECK(pg().render_column(t, text_auto) == "\"code\" TEXT");
    Column gen = col("total", types::integer());
    gen.options.values["postgresql.generated"] = "a + b";
    CHECK(pg().render_column(t, gen) == "\"total\" INTEGER GENERATED ALWAYS AS (a + b) STORED");
}

TEST_CASE("postgres: a reflected enum renders and drops by its own name only when strata named it",
          "[postgres][render]") {
    Table t;
    t.name = "people";
    Column shared = col("mood", types::enum_({"sad", "ok"}));
    shared.type.native = "mood";  // a hand-made type, maybe used by other tables
    Column own = col("kind", types::enum_({"a"}));
    own.type.native = "people_kind_enum";
    t.columns = {shared, own};
    CHECK(pg().render_column(t, shared) == "\"mood\" mood");
    std::vector<std::string> drop = pg().render_drop_table(t);
    REQUIRE(drop.size() == 2);
    CHECK(drop[1] == "DROP TYPE IF EXISTS \"people_kind_enum\"");
}

// ---- normalization ----------------------------------------------------------------------------

TEST_CASE("postgres: normalize maps declared tables to their reflected form", "[postgres][normalize]") {
    Table t;
    t.name = "n";
    Column id = col("id", types::integer(), true, ServerDefault::literal("1"));
    id.autoincrement = true;
    ColumnType int4;
    int4.kind = TypeKind::other;
    int4.native = "int4";
    t.columns = {id,
                 col("flag", types::boolean(), true, ServerDefault::literal("1")),
                 col("price", types::numeric(8, 3), true, ServerDefault::literal("7")),
                 col("ratio", types::double_(), true, ServerDefault::literal("1.50")),
                 col("at", types::datetime(), false, ServerDefault::expression("now()")),
                 col("day", types::date(), true, ServerDefault::expression("'2024-01-31'::date")),
                 col("note", types::text(), true, ServerDefault::expression("NULL")),
                 col("counter", types::integer(), true, ServerDefault::expression("nextval('n_counter_seq'::regclass)")),
                 col("legacy", int4),
                 col("u", types::uuid(), true, ServerDefault::literal("123E4567-E89B-12D3-A456-426614174000"))};
    t.primary_key.columns = {"id"};
    t.checks = {CheckConstraint{"", "(price > 0) AND (ratio BETWEEN 0 AND 1)"}};

    Table n = pg().normalize(t);
    CHECK(n.primary_key.name == "pk_n");
    const Column& nid = n.columns[0];
    CHECK(nid.autoincrement);
    CHECK_FALSE(nid.nullable);
    CHECK_FALSE(nid.server_default.has_value());
    CHECK(n.columns[1].server_default == ServerDefault::literal("true"));
    CHECK(n.columns[2].server_default == ServerDefault::literal("7.000"));
    CHECK(n.columns[3].server_default == ServerDefault::literal("1.5"));
    CHECK(n.columns[4].server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(n.columns[5].server_default == ServerDefault::literal("2024-01-31"));
    CHECK_FALSE(n.columns[6].server_default.has_value());
    // A declared nextval() default stays a default: its sequence is a schema object.
    CHECK_FALSE(n.columns[7].autoincrement);
    CHECK(n.columns[7].server_default == ServerDefault::expression("nextval('n_counter_seq')"));
    CHECK(n.columns[8].type == types::integer());
    CHECK(n.columns[9].server_default == ServerDefault::literal("123e4567-e89b-12d3-a456-426614174000"));
    REQUIRE(n.checks.size() == 1);
    CHECK(n.checks[0].expression == "price > 0 AND ratio >= 0 AND ratio <= 1");
    // Normalizing twice changes nothing.
    CHECK(pg().normalize(n) == n);
    CHECK(pg().normalize(n).describe() == n.describe());
}

TEST_CASE("postgres: normalize truncates names past 63 bytes as the server does", "[postgres][normalize]") {
    Table t;
    t.name = std::string(70, 't');
    t.columns = {col(std::string(64, 'c'), types::integer(), false)};
    t.primary_key.columns = {t.columns[0].name};
    t.indexes = {Index{std::string(80, 'i'), {t.columns[0].name}, false}};
    Table n = pg().normalize(t);
    CHECK(n.name == std::string(63, 't'));
    CHECK(n.columns[0].name == std::string(63, 'c'));
    CHECK(n.primary_key.columns[0] == std::string(63, 'c'));
    CHECK(n.indexes[0].name == std::string(63, 'i'));
    CHECK(n.primary_key.name.size() <= 63);
    // A multi-byte character is never cut in half.
    std::string name = std::string(62, 'x') + "\xC3\xA9";  // 64 bytes, ends in 'é'
    CHECK(PostgresDialect::truncate_identifier(name) == std::string(62, 'x'));
}

TEST_CASE("postgres: enum type names are derived per table and column", "[postgres][normalize]") {
    Column c = col("status", types::enum_({"a"}));
    CHECK(PostgresDialect::enum_type_name("orders", c) == "orders_status_enum");
    std::string long_name = PostgresDialect::enum_type_name(std::string(60, 'o'), c);
    CHECK(long_name.size() <= 63);
    CHECK(long_name != PostgresDialect::enum_type_name(std::string(61, 'o'), c));
    c.type.native = "mood";
    CHECK(PostgresDialect::enum_type_name("orders", c) == "mood");
}

TEST_CASE("postgres: CREATE INDEX with a method, operator classes, key order, expressions and WHERE",
          "[postgres][render][index]") {
    Table t;
    t.name = "docs";
    t.columns = {col("id", types::integer(), false), col("payload", types::json()), col("email", types::string(100)),
                 col("at", types::datetime()), col("deleted_at", types::datetime())};
    Index gin{"ix_docs_payload", {"payload"}, false};
    gin.method = "gin";
    gin.key(0).opclass = "jsonb_path_ops";
    CHECK(pg().render_create_index(t, gin) ==
          "CREATE INDEX \"ix_docs_payload\" ON \"docs\" USING gin (\"payload\" jsonb_path_ops)");
    Index partial{"ux_docs_email", {"lower(email)"}, true};
    partial.where = "deleted_at IS NULL";
    CHECK(pg().render_create_index(t, partial) ==
          "CREATE UNIQUE INDEX \"ux_docs_email\" ON \"docs\" ((lower(email))) WHERE deleted_at IS NULL");
    Index ordered{"ix_docs_at", {"at", "id"}, false};
    ordered.key(0).descending = true;
    ordered.key(0).nulls = NullsOrder::last;
    ordered.key(1).nulls = NullsOrder::first;
    CHECK(pg().render_create_index(t, ordered) ==
          "CREATE INDEX \"ix_docs_at\" ON \"docs\" (\"at\" DESC NULLS LAST, \"id\" NULLS FIRST)");
    Index brin{"ix_docs_brin", {"at"}, false};
    brin.method = "brin";
    CHECK(pg().render_create_index(t, brin) == "CREATE INDEX \"ix_docs_brin\" ON \"docs\" USING brin (\"at\")");
    Index btree{"ix_docs_id", {"id"}, false};
    btree.method = "btree";
    CHECK(pg().render_create_index(t, btree) == "CREATE INDEX \"ix_docs_id\" ON \"docs\" (\"id\")");
    // In CREATE TABLE too.
    t.indexes = {gin};
    CHECK(pg().render_create_table(t).back() == pg().render_create_index(t, gin));
}

TEST_CASE("postgres: normalize gives indexes the form reflection reports", "[postgres][normalize][index]") {
    Table t;
    t.name = "docs";
    t.columns = {col("id", types::integer(), false), col("email", types::string(100)), col("at", types::datetime())};
    Index declared{"ix_docs", {"LOWER(email)", "at", "id"}, false};
    declared.method = "BTREE";
    declared.key(1).descending = true;
    declared.key(1).nulls = NullsOrder::first;  // the default for DESC
    declared.key(2).nulls = NullsOrder::last;   // the default for ASC
    declared.where = "(at IS NOT NULL)";
    t.indexes = {declared};
    Table n = pg().normalize(t);
    const Index& ix = n.indexes.at(0);
    CHECK(ix.method.empty());
    CHECK(ix.columns == std::vector<std::string>{"lower(email)", "at", "id"});
    CHECK(ix.where == "at IS NOT NULL");
    REQUIRE(ix.key_options.size() == 2);
    CHECK(ix.key(1).descending);
    CHECK(ix.key(1).nulls == NullsOrder::database_default);
    CHECK(ix.key(2).is_default());
    // What the server prints for the same index normalizes the same.
    Index reflected{"ix_docs", {"lower(email::text)", "at", "id"}, false};
    reflected.key(1).descending = true;
    reflected.where = "at IS NOT NULL";
    Table r = t;
    r.indexes = {reflected};
    CHECK(pg().normalize(r) == n);
    // A NULLS order the direction does not imply is kept.
    t.indexes[0].key(1).nulls = NullsOrder::last;
    CHECK(pg().normalize(t).indexes[0].key(1).nulls == NullsOrder::last);
}
