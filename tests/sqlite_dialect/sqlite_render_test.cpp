// SQLite dialect without a database: type mapping both ways, DDL golden text,
// defaults, normalization, and the CREATE TABLE tokenizer/parser that reflection
// relies on for constraint names.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "dialects/sqlite/sqlite_create_index.hpp"
#include "dialects/sqlite/sqlite_create_table.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

using namespace strata;

namespace {

const Dialect& sqlite() { return sqlite_dialect(); }

Column col(std::string name, ColumnType type, bool nullable = true, std::optional<ServerDefault> def = std::nullopt) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.server_default = std::move(def);
    return c;
}

std::vector<ColumnType> every_portable_type() {
    return {types::integer(),     types::small_integer(), types::big_integer(), types::boolean(),
            types::string(100),   types::text(),          types::float_(),      types::double_(),
            types::numeric(10, 2), types::numeric(5, 0),  types::date(),        types::time(),
            types::datetime(),    types::datetime(true),  types::blob(),        types::json(),
            types::uuid()};
}

}  // namespace

// ---- types ------------------------------------------------------------------------------

TEST_CASE("sqlite: parse_type(render_type(t)) == t for every portable type", "[sqlite][types]") {
    for (const ColumnType& t : every_portable_type()) {
        std::string native = sqlite().render_type(t);
        INFO(t.describe() << " -> " << native);
        ColumnType back = sqlite().parse_type(native);
        CHECK(back == t);
        CHECK(back.native == native);
    }
}

TEST_CASE("sqlite: render_type spellings", "[sqlite][types]") {
    CHECK(sqlite().render_type(types::integer()) == "INTEGER");
    CHECK(sqlite().render_type(types::big_integer()) == "BIGINT");
    CHECK(sqlite().render_type(types::string(100)) == "VARCHAR(100)");
    CHECK(sqlite().render_type(types::numeric(10, 2)) == "NUMERIC(10, 2)");
    CHECK(sqlite().render_type(types::boolean()) == "BOOLEAN");
    CHECK(sqlite().render_type(types::datetime()) == "DATETIME");
    CHECK(sqlite().render_type(types::datetime(true)) == "TIMESTAMP WITH TIME ZONE");
    CHECK(sqlite().render_type(types::float_()) == "FLOAT");
    CHECK(sqlite().render_type(types::double_()) == "DOUBLE");
    // An enum's type is the text column its CHECK sits on; "Zoë" counts 3 characters.
    CHECK(sqlite().render_type(types::enum_({"a", "Zo\xC3\xAB", "xy"})) == "VARCHAR(3)");
    ColumnType other;
    other.kind = TypeKind::other;
    other.native = "GEOMETRY";
    CHECK(sqlite().render_type(other) == "GEOMETRY");
}

TEST_CASE("sqlite: parse_type reads hand-written spellings", "[sqlite][types]") {
    struct Case {
        const char* native;
        ColumnType expected;
    };
    const Case cases[] = {
        {"INT", types::integer()},
        {"integer", types::integer()},
        {"INT(11)", types::integer()},
        {"MEDIUMINT", types::medium_integer()},
        {"TINYINT", types::tiny_integer()},
        {"smallint", types::small_integer()},
        {"BIGINT", types::big_integer()},
        {"INT8", types::big_integer()},
        {"UNSIGNED BIG INT", types::big_integer()},
        {"BOOL", types::boolean()},
        {"boolean", types::boolean()},
        {"VARCHAR(30)", types::string(30)},
        {"varchar ( 30 )", types::string(30)},
        {"CHARACTER VARYING(30)", types::string(30)},
        {"character  varying(30)", types::string(30)},
        {"NVARCHAR(12)", types::string(12)},
        {"CHAR(2)", types::char_(2)},
        {"TEXT", types::text()},
        {"CLOB", types::text()},
        {"REAL", types::double_()},
        {"DOUBLE", types::double_()},
        {"DOUBLE PRECISION", types::double_()},
        {"FLOAT", types::float_()},
        {"FLOAT(53)", types::double_()},
        {"DECIMAL(8,3)", types::numeric(8, 3)},
        {"NUMERIC(12)", types::numeric(12, 0)},
        {"BLOB", types::blob()},
        {"JSON", types::json()},
        {"UUID", types::uuid()},
        {"DATE", types::date()},
        {"TIME", types::time()},
        {"DATETIME", types::datetime()},
        {"TIMESTAMP", types::datetime()},
        {"timestamp with time zone", types::datetime(true)},
        {"TIMESTAMPTZ", types::datetime(true)},
    };
    for (const Case& c : cases) {
        INFO(c.native);
        ColumnType t = sqlite().parse_type(c.native);
        CHECK(t == c.expected);
        CHECK(t.native == c.native);
    }
    // A bare NUMERIC has no precision; unknown spellings are kept verbatim as `other`.
    ColumnType numeric = sqlite().parse_type("NUMERIC");
    CHECK(numeric.kind == TypeKind::numeric);
    CHECK_FALSE(numeric.precision.has_value());
    // No declared type has BLOB affinity, like a declared BLOB: a portable blob.
    CHECK(sqlite().parse_type("").kind == TypeKind::blob);
    for (const char* odd : {"GEOMETRY", "VARCHAR(abc)", "POINT(1, 2, 3)"}) {
        INFO(odd);
        ColumnType t = sqlite().parse_type(odd);
        CHECK(t.kind == TypeKind::other);
        CHECK(t.native == odd);
    }
}

// ---- defaults ---------------------------------------------------------------------------

TEST_CASE("sqlite: defaults render and parse back to the same normalized value", "[sqlite][defaults]") {
    const SqliteDialect& d = static_cast<const SqliteDialect&>(sqlite());
    CHECK(d.render_default(ServerDefault::literal("true"), types::boolean()) == "1");
    CHECK(d.render_default(ServerDefault::literal("false"), types::boolean()) == "0");
    CHECK(d.render_default(ServerDefault::literal("-7"), types::integer()) == "-7");
    CHECK(d.render_default(ServerDefault::literal("1.50"), types::numeric(5, 2)) == "1.50");
    CHECK(d.render_default(ServerDefault::literal("it's"), types::text()) == "'it''s'");
    CHECK(d.render_default(ServerDefault::literal("12"), types::text()) == "'12'");
    CHECK(d.render_default(ServerDefault::literal("abc"), types::integer()) == "'abc'");
    CHECK(d.render_default(ServerDefault::expression("current_timestamp"), types::datetime()) == "CURRENT_TIMESTAMP");
    CHECK(d.render_default(ServerDefault::expression("datetime('now')"), types::text()) == "(datetime('now'))");
    CHECK(d.render_default(ServerDefault::expression("((1 + 2))"), types::integer()) == "(1 + 2)");

    // As SQLite keeps them in pragma_table_xinfo.dflt_value.
    CHECK(d.parse_default("'x'", types::string(5)) == ServerDefault::literal("x"));
    CHECK(d.parse_default("'it''s'", types::text()) == ServerDefault::literal("it's"));
    CHECK(d.parse_default("''", types::text()) == ServerDefault::literal(""));
    CHECK(d.parse_default("1", types::boolean()) == ServerDefault::literal("true"));
    CHECK(d.parse_default("FALSE", types::boolean()) == ServerDefault::literal("false"));
    CHECK(d.parse_default("TRUE", types::integer()) == ServerDefault::literal("1"));
    CHECK(d.parse_default("007", types::integer()) == ServerDefault::literal("7"));
    CHECK(d.parse_default("-1", types::integer()) == ServerDefault::literal("-1"));
    CHECK(d.parse_default("+2.5", types::double_()) == ServerDefault::literal("2.5"));
    CHECK(d.parse_default("(0)", types::integer()) == ServerDefault::literal("0"));
    CHECK(d.parse_default("current_timestamp", types::datetime()) == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(d.parse_default("(CURRENT_DATE)", types::date()) == ServerDefault::expression("CURRENT_DATE"));
    CHECK(d.parse_default("(datetime('now'))", types::text()) == ServerDefault::expression("datetime('now')"));
    CHECK_FALSE(d.parse_default("NULL", types::text()).has_value());
    CHECK_FALSE(d.parse_default("", types::text()).has_value());
}

// ---- DDL ----------------------------------------------------------------------------------

TEST_CASE("sqlite: CREATE TABLE golden text", "[sqlite][render]") {
    Table t;
    t.name = "orders";
    Column id = col("id", types::big_integer(), false);
    id.autoincrement = true;
    t.columns = {id,
                 col("status", types::enum_({"new", "it's done"}), false, ServerDefault::literal("new")),
                 col("paid", types::boolean(), true, ServerDefault::literal("false")),
                 col("total", types::numeric(10, 2), true, ServerDefault::literal("0.00")),
                 col("created", types::datetime(), false, ServerDefault::expression("current_timestamp")),
                 col("customer_id", types::integer()),
                 col("note", types::string(200), true, ServerDefault::expression("lower('X')"))};
    t.primary_key.columns = {"id"};
    t.uniques = {{"", {"customer_id", "created"}}};
    t.checks = {{"", "total >= 0"}};
    ForeignKey fk;
    fk.columns = {"customer_id"};
    fk.ref_table = "customers";
    fk.ref_columns = {"id"};
    fk.on_delete = FkAction::set_null;
    t.foreign_keys = {fk};
    t.indexes = {{"", {"created"}, false}};
    apply_naming_convention(t);

    std::vector<std::string> sql = sqlite().render_create_table(t);
    REQUIRE(sql.size() == 2);
    CHECK(sql[0] ==
          "CREATE TABLE \"orders\" (\n"
          "    \"id\" INTEGER NOT NULL CONSTRAINT \"pk_orders\" PRIMARY KEY AUTOINCREMENT,\n"
          "    \"status\" VARCHAR(9) NOT NULL DEFAULT 'new' CHECK (\"status\" IN ('new', 'it''s done')),\n"
          "    \"paid\" BOOLEAN DEFAULT 0,\n"
          "    \"total\" NUMERIC(10, 2) DEFAULT 0.00,\n"
          "    \"created\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
          "    \"customer_id\" INTEGER,\n"
          "    \"note\" VARCHAR(200) DEFAULT (lower('X')),\n"
          "    CONSTRAINT \"uq_orders_customer_id_created\" UNIQUE (\"customer_id\", \"created\"),\n"
          "    CONSTRAINT \"ck_orders_total_0\" CHECK (total >= 0),\n"
          "    CONSTRAINT \"fk_orders_customer_id_customers\" FOREIGN KEY (\"customer_id\") REFERENCES \"customers\" "
          "(\"id\") ON DELETE SET NULL\n"
          ")");
    CHECK(sql[1] == "CREATE INDEX \"ix_orders_created\" ON \"orders\" (\"created\")");
}

TEST_CASE("sqlite: a composite or non-integer key is a table constraint - unnamed constraints have no CONSTRAINT clause",
          "[sqlite][render]") {
    Table t;
    t.name = "pairs";
    Column a = col("a", types::integer(), true);
    a.autoincrement = true;  // cannot be honoured on a composite key
    t.columns = {a, col("b", types::string(5), false)};
    t.primary_key.columns = {"a", "b"};
    t.uniques = {{"", {"b"}}};
    std::vector<std::string> sql = sqlite().render_create_table(t);
    REQUIRE(sql.size() == 1);
    CHECK(sql[0] ==
          "CREATE TABLE \"pairs\" (\n"
          "    \"a\" INTEGER NOT NULL,\n"
          "    \"b\" VARCHAR(5) NOT NULL,\n"
          "    PRIMARY KEY (\"a\", \"b\"),\n"
          "    UNIQUE (\"b\")\n"
          ")");
    // Foreign keys can be left out on request.
    ForeignKey fk;
    fk.name = "fk_x";
    fk.columns = {"a"};
    fk.ref_table = "other";
    fk.ref_columns = {"id"};
    t.foreign_keys = {fk};
    CHECK(sqlite().render_create_table(t, false)[0].find("FOREIGN KEY") == std::string::npos);
    CHECK(sqlite().render_create_table(t, true)[0].find("CONSTRAINT \"fk_x\" FOREIGN KEY") != std::string::npos);
}

TEST_CASE("sqlite: quote doubles embedded quotes - placeholders are ?", "[sqlite][render]") {
    CHECK(sqlite().quote("a\"b") == "\"a\"\"b\"");
    CHECK(sqlite().placeholder(1) == "?");
    CHECK(sqlite().placeholder(7) == "?");
    CHECK(sqlite().name() == "sqlite");
}

TEST_CASE("sqlite: capabilities follow the linked library", "[sqlite][capabilities]") {
    const Capabilities& c = sqlite().capabilities();
    CHECK(c.transactional_ddl);
    CHECK_FALSE(c.alter_column);
    CHECK(c.add_column);
    CHECK(c.drop_column);    // 3.35+
    CHECK(c.rename_column);  // 3.25+
    CHECK(c.returning);      // 3.35+
    CHECK_FALSE(c.alter_constraints);
    CHECK(c.check_constraints);
    CHECK_FALSE(c.column_comments);
    CHECK(c.named_primary_key);
    CHECK(c.max_bind_parameters == 32766);
}

// ---- normalize -----------------------------------------------------------------------------

TEST_CASE("sqlite: normalize maps what SQLite cannot keep", "[sqlite][normalize]") {
    Table t;
    t.name = "n";
    Column id = col("id", types::big_integer(), true);
    id.autoincrement = true;
    id.comment = "key";
    t.columns = {id, col("flag", types::boolean(), true, ServerDefault::literal("1")),
                 col("when", types::datetime(), true, ServerDefault::expression("(current_timestamp)")),
                 col("kind", types::enum_({"a", "b"})), col("n", types::integer(), true, ServerDefault::literal("+5"))};
    Column not_key = col("counter", types::integer());
    not_key.autoincrement = true;
    t.columns.push_back(not_key);
    t.primary_key.columns = {"id"};
    t.checks = {{"ck_n", " ((n > 0)) "}};
    t.comment = "table comment";

    Table n = sqlite().normalize(t);
    CHECK(n.comment.empty());
    const Column& nid = *n.find_column("id");
    CHECK(nid.type == types::integer());  // INTEGER PRIMARY KEY AUTOINCREMENT
    CHECK(nid.autoincrement);
    CHECK_FALSE(nid.nullable);
    CHECK(nid.comment.empty());
    CHECK(n.find_column("flag")->server_default == ServerDefault::literal("true"));
    CHECK(n.find_column("when")->server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(n.find_column("kind")->type == types::enum_({"a", "b"}));
    CHECK(n.find_column("n")->server_default == ServerDefault::literal("5"));
    CHECK_FALSE(n.find_column("counter")->autoincrement);
    CHECK(n.primary_key.name == "pk_n");
    REQUIRE(n.checks.size() == 1);
    CHECK(n.checks[0].expression == "n > 0");
    // Idempotent.
    CHECK(sqlite().normalize(n) == n);
}

// ---- the CREATE TABLE parser ---------------------------------------------------------------

TEST_CASE("sqlite: tokenizer handles quotes, comments and operators", "[sqlite][parser]") {
    auto t = tokenize_sqlite("SELECT \"a\"\"b\", [c d], `e`, 'it''s', x'00ff', 1.5e3, ?2 -- tail\n /* c */ <> ||");
    std::vector<std::string> values;
    for (const auto& tok : t) values.push_back(tok.value());
    CHECK(values == std::vector<std::string>{"SELECT", "a\"b", ",", "c d", ",", "e", ",", "it's", ",", "x'00ff'", ",",
                                             "1.5e3", ",", "?2", "<>", "||"});
    CHECK(t[0].is("select"));
    CHECK(t[1].kind == SqliteToken::Kind::quoted);
    CHECK(t[7].kind == SqliteToken::Kind::string);
    CHECK(t[9].kind == SqliteToken::Kind::blob);
    CHECK(t[11].kind == SqliteToken::Kind::number);
    // Unterminated text runs to the end instead of failing.
    CHECK(tokenize_sqlite("'open").size() == 1);
    CHECK(tokenize_sqlite("a /* open").size() == 1);
}

TEST_CASE("sqlite: CREATE TABLE parser reads names through quotes, parentheses and commas", "[sqlite][parser]") {
    const char* sql = R"sql(CREATE TABLE IF NOT EXISTS main."we(ird, ""name" (
        "col, one" INTEGER CONSTRAINT "pk (x)" PRIMARY KEY AUTOINCREMENT,
        [br(a)cket] TEXT NOT NULL DEFAULT 'a,b)' CHECK ([br(a)cket] <> ')'),
        'str col' VARCHAR(3) COLLATE NOCASE UNIQUE,
        kind TEXT CHECK (kind IN ('x', 'y,z')),  -- a comment, with a comma (and a paren
        parent INTEGER CONSTRAINT fk_inline REFERENCES "par,ent" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
            DEFERRABLE INITIALLY DEFERRED,
        amount NUMERIC(10, 2) DEFAULT -1.5,
        /* block, comment ( */
        CONSTRAINT "uq, (two)" UNIQUE ("col, one", [br(a)cket]),
        CONSTRAINT ck_amount CHECK ((amount >= 0) AND (amount < 10)),
        CHECK (length(kind) > 0),
        FOREIGN KEY (amount, kind) REFERENCES other ON DELETE CASCADE
    ) WITHOUT ROWID, STRICT)sql";
    auto parsed = parse_sqlite_create_table(sql);
    REQUIRE(parsed.has_value());
    const SqliteCreateTable& p = *parsed;
    CHECK(p.name == "we(ird, \"name");
    REQUIRE(p.columns.size() == 6);
    CHECK(p.columns[0].name == "col, one");
    CHECK(p.columns[0].primary_key);
    CHECK(p.columns[0].autoincrement);
    CHECK(p.columns[0].declared_type == "INTEGER");
    CHECK(p.columns[1].name == "br(a)cket");
    CHECK(p.columns[1].default_text == "'a,b)'");
    CHECK(p.columns[2].name == "str col");
    CHECK(p.columns[2].declared_type == "VARCHAR(3)");
    CHECK(p.columns[3].name == "kind");
    CHECK(p.columns[4].name == "parent");
    CHECK(p.columns[5].name == "amount");
    CHECK(p.columns[5].declared_type == "NUMERIC(10, 2)");
    CHECK(p.columns[5].default_text == "-1.5");
    CHECK(p.primary_key_name == "pk (x)");
    CHECK(p.primary_key == std::vector<std::string>{"col, one"});

    REQUIRE(p.uniques.size() == 2);
    CHECK(p.uniques[0].name.empty());
    CHECK(p.uniques[0].columns == std::vector<std::string>{"str col"});
    CHECK(p.uniques[1].name == "uq, (two)");
    CHECK(p.uniques[1].columns == std::vector<std::string>{"col, one", "br(a)cket"});

    REQUIRE(p.checks.size() == 4);
    CHECK(p.checks[0].expression == "[br(a)cket] <> ')'");
    CHECK(p.checks[0].column == "br(a)cket");
    CHECK(p.checks[1].expression == "kind IN ('x', 'y,z')");
    CHECK(p.checks[2].name == "ck_amount");
    CHECK(p.checks[2].expression == "(amount >= 0) AND (amount < 10)");
    CHECK(p.checks[2].column.empty());
    CHECK(p.checks[3].name.empty());
    CHECK(p.checks[3].expression == "length(kind) > 0");

    REQUIRE(p.foreign_keys.size() == 2);
    CHECK(p.foreign_keys[0].name == "fk_inline");
    CHECK(p.foreign_keys[0].columns == std::vector<std::string>{"parent"});
    CHECK(p.foreign_keys[0].ref_table == "par,ent");
    CHECK(p.foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
    CHECK(p.foreign_keys[0].on_delete == "SET NULL");
    CHECK(p.foreign_keys[0].on_update == "NO ACTION");
    CHECK(p.foreign_keys[1].name.empty());
    CHECK(p.foreign_keys[1].columns == std::vector<std::string>{"amount", "kind"});
    CHECK(p.foreign_keys[1].ref_table == "other");
    CHECK(p.foreign_keys[1].ref_columns.empty());
    CHECK(p.foreign_keys[1].on_delete == "CASCADE");

    CHECK(p.without_rowid);
    CHECK(p.strict);
    CHECK(p.find_column("KIND") == &p.columns[3]);
}

TEST_CASE("sqlite: parser declines what is not a CREATE TABLE with columns", "[sqlite][parser]") {
    CHECK_FALSE(parse_sqlite_create_table("CREATE VIRTUAL TABLE t USING fts5(a)").has_value());
    CHECK_FALSE(parse_sqlite_create_table("CREATE TABLE t AS SELECT 1").has_value());
    CHECK_FALSE(parse_sqlite_create_table("CREATE INDEX i ON t (a)").has_value());
    CHECK_FALSE(parse_sqlite_create_table("").has_value());
    // Unbalanced text is read as far as it goes, without throwing.
    auto partial = parse_sqlite_create_table("CREATE TABLE t (a INTEGER, b TEXT CHECK (b <> ''");
    REQUIRE(partial.has_value());
    CHECK(partial->columns.size() == 2);
}

TEST_CASE("sqlite: enum checks are recognized only in their exact shape", "[sqlite][parser]") {
    CHECK(parse_sqlite_enum_check("\"status\" IN ('new', 'it''s done')", "status") ==
          std::vector<std::string>{"new", "it's done"});
    CHECK(parse_sqlite_enum_check("(Status IN ('a'))", "status") == std::vector<std::string>{"a"});
    CHECK_FALSE(parse_sqlite_enum_check("status IN ('a', 1)", "status").has_value());
    CHECK_FALSE(parse_sqlite_enum_check("other IN ('a')", "status").has_value());
    CHECK_FALSE(parse_sqlite_enum_check("status IN ('a') OR status IS NULL", "status").has_value());
    CHECK_FALSE(parse_sqlite_enum_check("status NOT IN ('a')", "status").has_value());
    CHECK_FALSE(parse_sqlite_enum_check("status IN ()", "status").has_value());
}

TEST_CASE("sqlite: strip_sqlite_parens removes only enclosing parentheses", "[sqlite][parser]") {
    CHECK(strip_sqlite_parens(" ((a > 0)) ") == "a > 0");
    CHECK(strip_sqlite_parens("(a) + (b)") == "(a) + (b)");
    CHECK(strip_sqlite_parens("(')')") == "')'");
    CHECK(strip_sqlite_parens("") == "");
}

// ---- indexes ----------------------------------------------------------------------------

namespace {

Table index_table() {
    Table t;
    t.name = "users";
    t.columns = {col("id", types::integer(), false), col("email", types::string(100)), col("at", types::datetime()),
                 col("deleted_at", types::datetime())};
    return t;
}

// The message of the Error(unsupported) `f` throws ("" when it throws none).
template <class F>
std::string unsupported(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::unsupported);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sqlite: CREATE INDEX with expressions, DESC and WHERE - methods and operator classes are refused",
          "[sqlite][render][index]") {
    Table t = index_table();
    Index ix{"ux_users_email", {"lower(email)", "at"}, true};
    ix.key(1).descending = true;
    ix.where = "deleted_at IS NULL";
    CHECK(sqlite().render_create_index(t, ix) ==
          "CREATE UNIQUE INDEX \"ux_users_email\" ON \"users\" ((lower(email)), \"at\" DESC) WHERE deleted_at IS NULL");
    // SQLite's own NULLS order (first ascending, last descending) is no clause after normalize.
    Index own{"ix_users_at", {"at"}, false};
    own.key(0).descending = true;
    own.key(0).nulls = NullsOrder::last;
    t.indexes = {own};
    CHECK(sqlite().normalize(t).indexes[0].key(0).nulls == NullsOrder::database_default);
    CHECK(sqlite().render_create_index(t, own) == "CREATE INDEX \"ix_users_at\" ON \"users\" (\"at\" DESC)");

    Index gin{"ix_users_email", {"email"}, false};
    gin.method = "gin";
    CHECK(unsupported([&] { sqlite().render_create_index(t, gin); })
              .find("index ix_users_email of table users uses the access method 'gin', which strata cannot build on "
                    "sqlite") != std::string::npos);
    t.indexes = {gin};
    CHECK(unsupported([&] { sqlite().render_create_table(t); }).find("'gin'") != std::string::npos);
    Index opclass{"ix_users_email", {"email"}, false};
    opclass.key(0).opclass = "text_pattern_ops";
    CHECK(unsupported([&] { sqlite().render_create_index(t, opclass); }).find("has no operator classes") !=
          std::string::npos);
    Index last{"ix_users_at", {"at"}, false};
    last.key(0).nulls = NullsOrder::last;
    CHECK(unsupported([&] { sqlite().render_create_index(t, last); })
              .find("asks for key at ASC NULLS LAST, but sqlite always sorts NULLs first") != std::string::npos);
    Index btree{"ix_users_at", {"at"}, false};
    btree.method = "btree";
    CHECK(sqlite().render_create_index(t, btree) == "CREATE INDEX \"ix_users_at\" ON \"users\" (\"at\")");
}

TEST_CASE("sqlite: CREATE INDEX parser reads keys, order and WHERE as written", "[sqlite][parser][index]") {
    auto ix = parse_sqlite_create_index(
        "CREATE UNIQUE INDEX IF NOT EXISTS main.\"ux e\" ON [users] ((lower(email)) COLLATE NOCASE, \"at\" DESC, "
        "substr(a, 1, 2) ASC)\n  WHERE deleted_at IS NULL AND (a, b) = (1, 2);");
    REQUIRE(ix.has_value());
    CHECK(ix->name == "ux e");
    CHECK(ix->table == "users");
    CHECK(ix->unique);
    REQUIRE(ix->keys.size() == 3);
    CHECK(ix->keys[0].text == "(lower(email)) COLLATE NOCASE");
    CHECK_FALSE(ix->keys[0].descending);
    CHECK(ix->keys[1].text == "\"at\"");
    CHECK(ix->keys[1].descending);
    CHECK(ix->keys[2].text == "substr(a, 1, 2)");
    CHECK(ix->where == "deleted_at IS NULL AND (a, b) = (1, 2)");
    auto plain = parse_sqlite_create_index("create index i on t(a)");
    REQUIRE(plain.has_value());
    CHECK(plain->keys.size() == 1);
    CHECK(plain->where.empty());
    CHECK_FALSE(parse_sqlite_create_index("CREATE TABLE t (a)").has_value());
    CHECK_FALSE(parse_sqlite_create_index("CREATE INDEX i ON t (a").has_value());
    CHECK_FALSE(parse_sqlite_create_index("CREATE INDEX i ON t (a) WHERE").has_value());
    // What the pragmas report must agree with the text.
    CHECK(sqlite_modelled_index("CREATE INDEX i ON t (a) WHERE a > 0", 1, true, false).has_value());
    CHECK_FALSE(sqlite_modelled_index("CREATE INDEX i ON t (a) WHERE a > 0", 2, true, false).has_value());
    CHECK_FALSE(sqlite_modelled_index("CREATE INDEX i ON t (a)", 1, true, false).has_value());
    CHECK_FALSE(sqlite_modelled_index("CREATE INDEX i ON t (rowid)", 1, false, true).has_value());
}

TEST_CASE("sqlite: index expressions compare with case and spacing normalized", "[sqlite][parser][index]") {
    CHECK(sqlite_canonical_expression("LOWER( Email )") == "lower(email)");
    CHECK(sqlite_canonical_expression("((deleted_at  IS NULL))") == "deleted_at is null");
    CHECK(sqlite_canonical_expression("a+b*2") == "a + b * 2");
    CHECK(sqlite_canonical_expression("\"Mixed\" = 'Keep Case'") == "\"Mixed\" = 'Keep Case'");
    CHECK(sqlite_canonical_expression("json_extract(doc, '$.a')") == "json_extract(doc, '$.a')");
    CHECK(sqlite_canonical_expression("a > 0") != sqlite_canonical_expression("a >= 0"));
}
