// Pure unit tests of the schema model: equality, descriptions, naming convention,
// registration and validation errors, dependency sort.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "orm/schema/metadata.hpp"

using namespace strata;

namespace {

Column col(std::string name, ColumnType type, bool nullable = true) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    return c;
}

Table users() {
    Table t;
    t.name = "users";
    t.columns = {col("id", types::integer(), false), col("name", types::string(50), false),
                 col("email", types::string(255))};
    t.primary_key.columns = {"id"};
    t.indexes = {Index{"", {"name"}, false}, Index{"", {"name", "email"}, true}};
    t.uniques = {UniqueConstraint{"", {"email"}}};
    t.checks = {CheckConstraint{"", "length(name) > 0"}};
    apply_naming_convention(t);
    return t;
}

Table child(std::string name, std::string parent) {
    Table t;
    t.name = std::move(name);
    t.columns = {col("id", types::integer(), false), col("parent_id", types::integer())};
    t.primary_key.columns = {"id"};
    if (!parent.empty()) {
        ForeignKey fk;
        fk.columns = {"parent_id"};
        fk.ref_table = std::move(parent);
        fk.ref_columns = {"id"};
        t.foreign_keys.push_back(fk);
    }
    return t;
}

// Runs f, which must throw Error(input); returns its message.
template <class F>
std::string input_error(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::input);
        return e.what();
    }
    FAIL("expected Error(input)");
    return {};
}

std::vector<std::string> names(const std::vector<const Table*>& tables) {
    std::vector<std::string> out;
    for (const Table* t : tables) out.push_back(t->name);
    return out;
}

std::size_t position(const std::vector<std::string>& v, const std::string& name) {
    return static_cast<std::size_t>(std::find(v.begin(), v.end(), name) - v.begin());
}

}  // namespace

// ---- types ---------------------------------------------------------------------------

TEST_CASE("schema: type kind names round trip", "[schema]") {
    const std::vector<std::pair<TypeKind, std::string>> all = {
        {TypeKind::integer, "integer"}, {TypeKind::small_integer, "small_integer"},
        {TypeKind::big_integer, "big_integer"}, {TypeKind::boolean, "boolean"},
        {TypeKind::string, "string"}, {TypeKind::text, "text"},
        {TypeKind::float_, "float"}, {TypeKind::double_, "double"},
        {TypeKind::numeric, "numeric"}, {TypeKind::date, "date"},
        {TypeKind::time, "time"}, {TypeKind::datetime, "datetime"},
        {TypeKind::blob, "blob"}, {TypeKind::json, "json"},
        {TypeKind::uuid, "uuid"}, {TypeKind::enum_, "enum"},
        {TypeKind::other, "other"}};
    for (const auto& [kind, name] : all) {
        CHECK(std::string(to_string(kind)) == name);
        CHECK(type_kind_from_string(name) == kind);
    }
    CHECK_FALSE(type_kind_from_string("varchar").has_value());
    CHECK_FALSE(type_kind_from_string("").has_value());
    CHECK_FALSE(type_kind_from_string("Integer").has_value());
}

TEST_CASE("schema: column type equality compares the portable parts only", "[schema]") {
    ColumnType a = types::string(30);
    ColumnType b = types::string(30);
    b.native = "character varying(30)";
    CHECK(a == b);
    CHECK_FALSE(types::string(30) == types::string(31));
    CHECK_FALSE(types::string(30) == types::text());
    CHECK(types::numeric(10, 2) == types::numeric(10, 2));
    CHECK_FALSE(types::numeric(10, 2) == types::numeric(10, 3));
    CHECK_FALSE(types::numeric(10, 2) == types::numeric(12, 2));
    CHECK_FALSE(types::datetime(true) == types::datetime(false));
    CHECK(types::enum_({"a", "b"}) == types::enum_({"a", "b"}));
    CHECK_FALSE(types::enum_({"a", "b"}) == types::enum_({"b", "a"}));

    ColumnType int_with_width = types::integer();
    int_with_width.native = "int(11)";
    int_with_width.length = 11;
    CHECK(int_with_width == types::integer());

    ColumnType g1, g2;
    g1.kind = g2.kind = TypeKind::other;
    g1.native = "geometry";
    g2.native = "geometry";
    CHECK(g1 == g2);
    g2.native = "point";
    CHECK_FALSE(g1 == g2);
}

TEST_CASE("schema: column type descriptions", "[schema]") {
    CHECK(types::integer().describe() == "integer");
    CHECK(types::string(100).describe() == "string(100)");
    CHECK(types::numeric(10, 2).describe() == "numeric(10,2)");
    CHECK(types::datetime(true).describe() == "datetime(tz)");
    CHECK(types::datetime().describe() == "datetime");
    CHECK(types::float_().describe() == "float");
    CHECK(types::double_().describe() == "double");
    CHECK(types::enum_({"a", "it's"}).describe() == "enum('a','it''s')");
    ColumnType other;
    other.kind = TypeKind::other;
    other.native = "geometry";
    CHECK(other.describe() == "other(geometry)");
}

// ---- columns and constraints -----------------------------------------------------------

TEST_CASE("schema: server default and column descriptions", "[schema]") {
    CHECK(ServerDefault::literal("it's").describe() == "'it''s'");
    CHECK(ServerDefault::expression("CURRENT_TIMESTAMP").describe() == "CURRENT_TIMESTAMP");
    CHECK_FALSE(ServerDefault::literal("CURRENT_TIMESTAMP") == ServerDefault::expression("CURRENT_TIMESTAMP"));

    Column c = col("email", types::string(255));
    c.server_default = ServerDefault::literal("x");
    CHECK(c.describe() == "email string(255) NULL DEFAULT 'x'");
    Column id = col("id", types::big_integer(), false);
    id.autoincrement = true;
    id.comment = "key";
    CHECK(id.describe() == "id big_integer NOT NULL AUTOINCREMENT COMMENT 'key'");
}

TEST_CASE("schema: column equality ignores renamed_from and options", "[schema]") {
    Column a = col("name", types::string(20), false);
    Column b = a;
    b.renamed_from = "old_name";
    b.options.values["mysql.charset"] = "latin1";
    b.type.native = "VARCHAR(20)";
    CHECK(a == b);

    Column c = a;
    c.nullable = true;
    CHECK_FALSE(a == c);
    c = a;
    c.server_default = ServerDefault::literal("");
    CHECK_FALSE(a == c);
    c = a;
    c.autoincrement = true;
    CHECK_FALSE(a == c);
    c = a;
    c.comment = "x";
    CHECK_FALSE(a == c);
    c = a;
    c.name = "Name";
    CHECK_FALSE(a == c);
}

TEST_CASE("schema: foreign key actions", "[schema]") {
    CHECK(std::string(to_sql(FkAction::no_action)) == "NO ACTION");
    CHECK(std::string(to_sql(FkAction::restrict)) == "RESTRICT");
    CHECK(std::string(to_sql(FkAction::cascade)) == "CASCADE");
    CHECK(std::string(to_sql(FkAction::set_null)) == "SET NULL");
    CHECK(std::string(to_sql(FkAction::set_default)) == "SET DEFAULT");
    for (FkAction a : {FkAction::no_action, FkAction::restrict, FkAction::cascade, FkAction::set_null,
                       FkAction::set_default}) {
        CHECK(fk_action_from_string(to_sql(a)) == a);
    }
    CHECK(fk_action_from_string("set_null") == FkAction::set_null);
    CHECK(fk_action_from_string("no_action") == FkAction::no_action);
    CHECK(fk_action_from_string("set  default") == FkAction::set_default);
    CHECK(fk_action_from_string("Cascade") == FkAction::cascade);
    CHECK_FALSE(fk_action_from_string("SETNULL").has_value());
    CHECK_FALSE(fk_action_from_string("delete").has_value());
    CHECK_FALSE(fk_action_from_string("").has_value());
}

TEST_CASE("schema: constraint descriptions", "[schema]") {
    CHECK(Index{"ix_t_a_b", {"a", "b"}, false}.describe() == "INDEX ix_t_a_b (a, b)");
    CHECK(Index{"ix_t_a", {"a"}, true}.describe() == "UNIQUE INDEX ix_t_a (a)");
    CHECK(UniqueConstraint{"uq_t_a_b", {"a", "b"}}.describe() == "UNIQUE uq_t_a_b (a, b)");
    CHECK(CheckConstraint{"ck_t_a", "a > 0"}.describe() == "CHECK ck_t_a (a > 0)");
    ForeignKey fk{"fk_t_a_b_p", {"a", "b"}, "p", {"x", "y"}, FkAction::cascade, FkAction::set_null};
    CHECK(fk.describe() == "FOREIGN KEY fk_t_a_b_p (a, b) REFERENCES p (x, y) ON DELETE CASCADE ON UPDATE SET NULL");
    fk.on_delete = fk.on_update = FkAction::no_action;
    CHECK(fk.describe() == "FOREIGN KEY fk_t_a_b_p (a, b) REFERENCES p (x, y)");
}

// ---- tables ----------------------------------------------------------------------------

TEST_CASE("schema: index equality, the default method and key options", "[schema]") {
    Index a{"ix_t_a", {"a", "b"}, false};
    Index b = a;
    b.method = "BTREE";
    CHECK(a == b);  // "" is the default method, a B-tree
    b.key_options.resize(2);
    CHECK(a == b);  // default key options are as good as none
    b.key(1).descending = true;
    CHECK_FALSE(a == b);
    Index gin = a;
    gin.method = "gin";
    CHECK_FALSE(a == gin);
    Index partial = a;
    partial.where = "a > 0";
    CHECK_FALSE(a == partial);
    Index opclass = a;
    opclass.key(0).opclass = "text_pattern_ops";
    CHECK_FALSE(a == opclass);
    Index nulls = a;
    nulls.key(0).nulls = NullsOrder::first;
    CHECK_FALSE(a == nulls);
    CHECK(a.is_plain());
    CHECK(b.is_plain() == false);
    CHECK(is_default_index_method("btree"));
    CHECK_FALSE(is_default_index_method("hash"));

    Index full{"ux_t", {"payload", "lower(email)", "at"}, true};
    full.method = "gin";
    full.key(0).opclass = "jsonb_path_ops";
    full.key(2).descending = true;
    full.key(2).nulls = NullsOrder::last;
    full.where = "deleted_at IS NULL";
    CHECK(full.describe() ==
          "UNIQUE INDEX ux_t USING gin (payload jsonb_path_ops, lower(email), at DESC NULLS LAST) WHERE deleted_at IS NULL");
    CHECK(a.describe() == "INDEX ix_t_a (a, b)");
}

TEST_CASE("schema: table lookups", "[schema]") {
    Table t = users();
    REQUIRE(t.find_column("email") != nullptr);
    CHECK(t.find_column("email")->type == types::string(255));
    CHECK(t.find_column("missing") == nullptr);
    CHECK(t.find_column("EMAIL") == nullptr);
    t.find_column("email")->nullable = false;
    CHECK_FALSE(t.columns[2].nullable);
    CHECK(t.is_primary_key("id"));
    CHECK_FALSE(t.is_primary_key("name"));
}

TEST_CASE("schema: table equality treats constraints as sets keyed by name", "[schema]") {
    Table a = users();
    Table b = users();
    std::reverse(b.indexes.begin(), b.indexes.end());
    b.checks.push_back(CheckConstraint{"ck_users_z", "id > 0"});
    a.checks.insert(a.checks.begin(), CheckConstraint{"ck_users_z", "id > 0"});
    b.renamed_from = "people";
    b.options.values["mysql.engine"] = "InnoDB";
    CHECK(a == b);
    CHECK(a.describe() == b.describe());

    SECTION("column order matters") {
        std::swap(b.columns[1], b.columns[2]);
        CHECK_FALSE(a == b);
    }
    SECTION("a differing index") {
        b.indexes[0].columns = {"email", "name"};
        CHECK_FALSE(a == b);
    }
    SECTION("a renamed index") {
        b.indexes[0].name = "ix_other";
        CHECK_FALSE(a == b);
    }
    SECTION("an extra unique constraint") {
        b.uniques.push_back(UniqueConstraint{"uq_users_name", {"name"}});
        CHECK_FALSE(a == b);
    }
    SECTION("a differing foreign key action") {
        ForeignKey fk{"fk_users_id_users", {"id"}, "users", {"id"}};
        a.foreign_keys.push_back(fk);
        fk.on_delete = FkAction::cascade;
        b.foreign_keys.push_back(fk);
        CHECK_FALSE(a == b);
    }
    SECTION("a differing check expression") {
        b.checks[0].expression = "id >= 0";
        CHECK_FALSE(a == b);
    }
    SECTION("primary key name and columns") {
        b.primary_key.name = "users_pkey";
        CHECK_FALSE(a == b);
        b.primary_key = a.primary_key;
        b.primary_key.columns.push_back("name");
        CHECK_FALSE(a == b);
    }
    SECTION("comment") {
        b.comment = "people";
        CHECK_FALSE(a == b);
    }
    SECTION("name") {
        b.name = "Users";
        CHECK_FALSE(a == b);
    }
}

TEST_CASE("schema: table description", "[schema]") {
    Table t = users();
    t.comment = "people";
    const std::string expected =
        "TABLE users COMMENT 'people'\n"
        "  id integer NOT NULL\n"
        "  name string(50) NOT NULL\n"
        "  email string(255) NULL\n"
        "  PRIMARY KEY pk_users (id)\n"
        "  INDEX ix_users_name (name)\n"
        "  UNIQUE INDEX ix_users_name_email (name, email)\n"
        "  UNIQUE uq_users_email (email)\n"
        "  CHECK ck_users_length_name_0 (length(name) > 0)\n";
    CHECK(t.describe() == expected);
}

// ---- naming convention -------------------------------------------------------------------

TEST_CASE("schema: naming convention", "[schema][naming]") {
    CHECK(naming::primary_key("users") == "pk_users");
    CHECK(naming::index("users", {"name"}) == "ix_users_name");
    CHECK(naming::index("users", {"last", "first"}) == "ix_users_last_first");
    CHECK(naming::unique("users", {"email"}) == "uq_users_email");
    CHECK(naming::foreign_key("orders", {"user_id"}, "users") == "fk_orders_user_id_users");
    CHECK(naming::check("products", "price_positive") == "ck_products_price_positive");

    Table t = users();
    CHECK(t.primary_key.name == "pk_users");
    CHECK(t.indexes[0].name == "ix_users_name");
    CHECK(t.indexes[1].name == "ix_users_name_email");
    CHECK(t.uniques[0].name == "uq_users_email");
    CHECK(t.checks[0].name == "ck_users_length_name_0");
}

TEST_CASE("schema: naming convention keeps explicit names", "[schema][naming]") {
    Table t;
    t.name = "t";
    t.columns = {col("a", types::integer())};
    t.primary_key = {"my_pk", {"a"}};
    t.indexes = {Index{"my_ix", {"a"}}};
    t.uniques = {UniqueConstraint{"my_uq", {"a"}}};
    t.foreign_keys = {ForeignKey{"my_fk", {"a"}, "t", {"a"}}};
    t.checks = {CheckConstraint{"my_ck", "a > 0"}};
    apply_naming_convention(t);
    CHECK(t.primary_key.name == "my_pk");
    CHECK(t.indexes[0].name == "my_ix");
    CHECK(t.uniques[0].name == "my_uq");
    CHECK(t.foreign_keys[0].name == "my_fk");
    CHECK(t.checks[0].name == "my_ck");

    Table no_pk;
    no_pk.name = "log";
    no_pk.columns = {col("line", types::text())};
    apply_naming_convention(no_pk);
    CHECK(no_pk.primary_key.name.empty());
}

TEST_CASE("schema: unnamed checks with the same words get distinct stable names", "[schema][naming]") {
    Table t;
    t.name = "t";
    t.columns = {col("a", types::integer())};
    t.checks = {CheckConstraint{"", "a > 0"}, CheckConstraint{"", "a >= 0"}, CheckConstraint{"", "(a) > 0"}};
    apply_naming_convention(t);
    CHECK(t.checks[0].name == "ck_t_a_0");
    CHECK(t.checks[1].name.rfind("ck_t_a_0_", 0) == 0);
    CHECK(t.checks[2].name.rfind("ck_t_a_0_", 0) == 0);
    CHECK(t.checks[1].name != t.checks[2].name);

    Table again = t;
    for (auto& c : again.checks) c.name.clear();
    apply_naming_convention(again);
    for (std::size_t i = 0; i < t.checks.size(); ++i) CHECK(again.checks[i].name == t.checks[i].name);
}

TEST_CASE("schema: long names are shortened deterministically", "[schema][naming]") {
    const std::string table(40, 't');
    const std::vector<std::string> cols = {std::string(30, 'a'), std::string(30, 'b')};
    const std::string name = naming::index(table, cols);
    CHECK(name.size() <= 63);
    CHECK(name == naming::index(table, cols));
    CHECK(name.rfind("ix_" + table, 0) == 0);

    // Differ only after the cut: the hash of the full name keeps them apart.
    const std::vector<std::string> cols2 = {std::string(30, 'a'), std::string(29, 'b') + "c"};
    const std::string name2 = naming::index(table, cols2);
    CHECK(name2.size() <= 63);
    CHECK(name != name2);

    const std::string fk = naming::foreign_key(table, cols, std::string(50, 'r'));
    CHECK(fk.size() == 63);
    CHECK(naming::shorten(std::string(63, 'x')) == std::string(63, 'x'));
    CHECK(naming::shorten(std::string(64, 'x')).size() == 63);
    CHECK(naming::shorten(std::string(100, 'x'), 30).size() == 30);
    CHECK(naming::shorten(std::string(100, 'x'), 5).size() == 5);
    CHECK(naming::shorten("short", 5) == "short");

    // Pinned value: the hash (FNV-1a, 32 bits, of the full name) is part of the on-disk
    // contract, since shortened names end up in live databases.
    CHECK(naming::shorten(std::string(70, 'x')) == std::string(54, 'x') + "_77f3c97d");
}

TEST_CASE("schema: shortening never splits a UTF-8 character", "[schema][naming]") {
    std::string name;
    for (int i = 0; i < 40; ++i) name += "\xc3\xa9";  // é, two bytes each
    const std::string s = naming::shorten(name, 20);
    CHECK(s.size() <= 20);
    const std::string head = s.substr(0, s.size() - 9);
    CHECK(head.size() % 2 == 0);
    for (std::size_t i = 0; i < head.size(); i += 2) CHECK(head.substr(i, 2) == "\xc3\xa9");
}

// ---- Metadata: registration and validation ---------------------------------------------------

TEST_CASE("schema: metadata registration", "[schema][metadata]") {
    Metadata md;
    CHECK(md.empty());
    Table t;
    t.name = "accounts";
    t.columns = {col("id", types::integer(), false)};
    t.primary_key.columns = {"id"};
    Table& added = md.add(t);
    CHECK(added.primary_key.name == "pk_accounts");  // convention applied on add
    CHECK_FALSE(md.empty());
    REQUIRE(md.find("accounts") != nullptr);
    CHECK(md.find("Accounts") == nullptr);

    std::string msg = input_error([&] { md.add(t); });
    CHECK(msg.find("\"accounts\"") != std::string::npos);
    CHECK(md.tables().size() == 1);

    Table unnamed;
    CHECK(!input_error([&] { md.add(unnamed); }).empty());

    Table dup;
    dup.name = "dup";
    dup.columns = {col("x", types::integer()), col("x", types::text())};
    msg = input_error([&] { md.add(dup); });
    CHECK(msg.find("\"dup\"") != std::string::npos);
    CHECK(msg.find("\"x\"") != std::string::npos);

    CHECK(md.remove("accounts"));
    CHECK_FALSE(md.remove("accounts"));
    CHECK(md.empty());
}

TEST_CASE("schema: validate reports broken references by table and key", "[schema][metadata]") {
    Metadata md;
    md.add(child("parents", ""));
    Table orders = child("orders", "parents");
    md.add(orders);
    CHECK_NOTHROW(md.validate());

    SECTION("missing referenced table") {
        md.find("orders")->foreign_keys[0].ref_table = "nowhere";
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("\"orders\"") != std::string::npos);
        CHECK(msg.find("fk_orders_parent_id_parents") != std::string::npos);
        CHECK(msg.find("\"nowhere\"") != std::string::npos);
    }
    SECTION("missing referenced column") {
        md.find("orders")->foreign_keys[0].ref_columns = {"uid"};
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("\"orders\"") != std::string::npos);
        CHECK(msg.find("fk_orders_parent_id_parents") != std::string::npos);
        CHECK(msg.find("\"uid\"") != std::string::npos);
    }
    SECTION("missing local column") {
        md.find("orders")->foreign_keys[0].columns = {"parent"};
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("\"orders\"") != std::string::npos);
        CHECK(msg.find("\"parent\"") != std::string::npos);
    }
    SECTION("column count mismatch") {
        md.find("orders")->foreign_keys[0].ref_columns = {"id", "id"};
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("fk_orders_parent_id_parents") != std::string::npos);
    }
    SECTION("no referenced columns") {
        md.find("orders")->foreign_keys[0].ref_columns.clear();
        CHECK(!input_error([&] { md.validate(); }).empty());
    }
    SECTION("primary key on a missing column") {
        md.find("orders")->primary_key.columns = {"oid"};
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("\"oid\"") != std::string::npos);
    }
    SECTION("index on a missing column") {
        md.find("orders")->indexes.push_back(Index{"ix_orders_x", {"x"}});
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("ix_orders_x") != std::string::npos);
    }
    SECTION("an index expression is the database's to check; options beyond the keys are not") {
        md.find("orders")->indexes.push_back(Index{"ix_orders_expr", {"lower(parent_id::text)"}});
        CHECK_NOTHROW(md.validate());
        md.find("orders")->indexes.back().key_options.resize(2);
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("ix_orders_expr") != std::string::npos);
        CHECK(msg.find("options for 2 keys but only 1") != std::string::npos);
    }
    SECTION("two constraints with one name") {
        md.find("orders")->uniques.push_back(UniqueConstraint{"fk_orders_parent_id_parents", {"id"}});
        std::string msg = input_error([&] { md.validate(); });
        CHECK(msg.find("fk_orders_parent_id_parents") != std::string::npos);
    }
}

TEST_CASE("schema: metadata equality ignores table order", "[schema][metadata]") {
    Metadata a, b;
    a.add(child("p", ""));
    a.add(child("c", "p"));
    b.add(child("c", "p"));
    b.add(child("p", ""));
    CHECK(a == b);
    CHECK(a.describe() == b.describe());
    b.find("c")->columns[1].nullable = false;
    CHECK_FALSE(a == b);
    b.remove("c");
    CHECK_FALSE(a == b);
    CHECK_FALSE(b == a);
}

// ---- dependency order --------------------------------------------------------------------------

TEST_CASE("schema: sorted puts parents before children, ties by name", "[schema][sorted]") {
    Metadata md;
    md.add(child("order_items", "orders"));
    md.add(child("orders", "customers"));
    md.add(child("zebras", ""));
    md.add(child("customers", ""));
    md.add(child("audit", ""));
    auto s = md.sorted();
    CHECK(s.cycle_edges.empty());
    CHECK(names(s.tables) == std::vector<std::string>{"audit", "customers", "orders", "order_items", "zebras"});
}

TEST_CASE("schema: sorted ignores self references and foreign tables", "[schema][sorted]") {
    Metadata md;
    md.add(child("employees", "employees"));
    md.add(child("notes", "elsewhere"));
    auto s = md.sorted();
    CHECK(s.cycle_edges.empty());
    CHECK(names(s.tables) == std::vector<std::string>{"employees", "notes"});
}

TEST_CASE("schema: sorted reports the foreign keys that close a cycle", "[schema][sorted]") {
    Metadata md;
    md.add(child("b", "a"));
    md.add(child("a", "b"));
    md.add(child("c", "b"));  // downstream of the cycle, not part of it
    md.add(child("root", ""));
    auto s = md.sorted();
    auto order = names(s.tables);
    REQUIRE(order.size() == 4);
    REQUIRE(s.cycle_edges.size() == 1);
    const Table* from = s.cycle_edges[0].first;
    const ForeignKey* fk = s.cycle_edges[0].second;
    CHECK(from->name == "a");  // first by name within the cycle
    CHECK(fk->ref_table == "b");
    // The broken edge points forward; every other edge points backward.
    CHECK(position(order, fk->ref_table) > position(order, from->name));
    CHECK(position(order, "b") < position(order, "c"));
    CHECK(order == std::vector<std::string>{"root", "a", "b", "c"});
}

TEST_CASE("schema: sorted breaks only cyclic edges in larger graphs", "[schema][sorted]") {
    // x -> y -> z -> x is a cycle; "aa" depends on x from outside the cycle and sorts
    // first by name, yet must not be chosen to break it.
    Metadata md;
    md.add(child("x", "z"));
    md.add(child("y", "x"));
    md.add(child("z", "y"));
    md.add(child("aa", "x"));
    auto s = md.sorted();
    auto order = names(s.tables);
    REQUIRE(s.cycle_edges.size() == 1);
    CHECK(s.cycle_edges[0].first->name == "x");
    CHECK(s.cycle_edges[0].second->ref_table == "z");
    CHECK(order == std::vector<std::string>{"x", "aa", "y", "z"});

    // Deterministic whatever the declaration order.
    Metadata md2;
    md2.add(child("aa", "x"));
    md2.add(child("z", "y"));
    md2.add(child("y", "x"));
    md2.add(child("x", "z"));
    auto s2 = md2.sorted();
    CHECK(names(s2.tables) == order);
    REQUIRE(s2.cycle_edges.size() == 1);
    CHECK(s2.cycle_edges[0].first->name == "x");
}

TEST_CASE("schema: every foreign key of a broken table into its cycle is reported", "[schema][sorted]") {
    Metadata md;
    Table a = child("a", "b");
    ForeignKey second{"", {"id"}, "b", {"id"}};
    a.foreign_keys.push_back(second);
    md.add(a);
    md.add(child("b", "a"));
    auto s = md.sorted();
    REQUIRE(s.cycle_edges.size() == 2);
    CHECK(s.cycle_edges[0].first->name == "a");
    CHECK(s.cycle_edges[1].first->name == "a");
    CHECK(s.cycle_edges[0].second != s.cycle_edges[1].second);
}

TEST_CASE("schema: sorted handles a 1,000-table chain and deeper without recursion", "[schema][sorted]") {
    for (int n : {1000, 10000}) {
        Metadata md;
        // Declared children first, so that declaration order is the worst case.
        for (int i = n - 1; i >= 0; --i) {
            md.add(child(fmt::format("t{:05}", i), i ? fmt::format("t{:05}", i - 1) : std::string()));
        }
        auto s = md.sorted();
        REQUIRE(s.tables.size() == static_cast<std::size_t>(n));
        CHECK(s.cycle_edges.empty());
        bool ordered = true;
        for (int i = 0; i < n; ++i) ordered = ordered && s.tables[i]->name == fmt::format("t{:05}", i);
        CHECK(ordered);
    }
    // One long cycle: t0 -> t(n-1) -> ... -> t1 -> t0.
    Metadata ring;
    const int n = 5000;
    for (int i = 0; i < n; ++i) ring.add(child(fmt::format("r{:05}", i), fmt::format("r{:05}", (i + n - 1) % n)));
    auto s = ring.sorted();
    REQUIRE(s.tables.size() == static_cast<std::size_t>(n));
    REQUIRE(s.cycle_edges.size() == 1);
    CHECK(s.cycle_edges[0].first->name == "r00000");
}

TEST_CASE("schema: find follows a table renamed in place", "[schema][metadata]") {
    Metadata md;
    md.add(child("a", ""));
    md.add(child("b", ""));
    md.find("a")->name = "renamed";
    CHECK(md.find("a") == nullptr);
    REQUIRE(md.find("renamed") != nullptr);
    CHECK(md.find("renamed")->name == "renamed");
    CHECK_NOTHROW(md.add(child("a", "")));
    CHECK(md.find("a") == &md.tables().back());
    CHECK(md.remove("renamed"));
    CHECK(md.find("renamed") == nullptr);
    REQUIRE(md.find("b") != nullptr);
    CHECK(md.find("b")->name == "b");
}
