// Pure differ tests: pairs of schemas -> operations, no database.
//
// Besides the expected operations, every pair is checked for the two properties that
// make a diff trustworthy: applying its operations to the current schema gives a
// schema with no remaining difference to the desired one, and applying the reverse
// operations after that gives the current schema back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/dialect.hpp"
#include "migrations/differ.hpp"
#include "migrations/schema_edit.hpp"
#include "diff_listing.hpp"
#include "schema_builder.hpp"

using namespace strata;
using strata::testing::column;
using strata::testing::described;
using strata::testing::listing;
using strata::testing::schema;
using T = strata::testing::TableBuilder;

namespace {

std::vector<std::string> names(const DiffResult& r) {
    std::vector<std::string> out;
    for (const Operation& op : r.operations) out.push_back(op_name(op));
    return out;
}

// Diffs, checks both properties, and returns the result.
DiffResult checked_diff(const Metadata& current, const Metadata& desired, const DiffOptions& options = {}) {
    DiffResult r = diff(current, desired, options);
    INFO("operations:\n" << listing(r));
    Metadata state = current;
    strata::apply(state, r.operations);
    DiffResult rest = diff(state, desired, options);
    INFO("left after applying them:\n" << listing(rest));
    CHECK(rest.empty());
    strata::apply(state, reverse(r.operations));
    DiffOptions plain;
    plain.dialect = options.dialect;
    DiffResult back = diff(state, current, plain);
    INFO("left after applying the reverse:\n" << listing(back));
    CHECK(back.empty());
    return r;
}

Metadata users_posts() {
    return schema({T("users").id().col("name", types::string(50), false).col("email", types::string(100)),
                   T("posts")
                       .id()
                       .col("user_id", types::integer(), false)
                       .col("title", types::string(200))
                       .fk("fk_posts_user_id_users", {"user_id"}, "users", {"id"})});
}

template <class Op>
const Op& nth(const DiffResult& r, std::size_t i) {
    REQUIRE(i < r.operations.size());
    REQUIRE(std::holds_alternative<Op>(r.operations[i]));
    return std::get<Op>(r.operations[i]);
}

}  // namespace

TEST_CASE("identical schemas give no operations", "[differ]") {
    CHECK(diff(users_posts(), users_posts()).empty());
    CHECK(diff(Metadata{}, Metadata{}).empty());
}

TEST_CASE("create tables parents first, drop them children first", "[differ]") {
    Metadata desired = schema({T("posts")
                                   .id()
                                   .col("user_id", types::integer(), false)
                                   .fk("fk_posts_user_id_users", {"user_id"}, "users", {"id"}),
                               T("comments")
                                   .id()
                                   .col("post_id", types::integer(), false)
                                   .fk("fk_comments_post_id_posts", {"post_id"}, "posts", {"id"}),
                               T("users").id()});
    DiffResult up = checked_diff(Metadata{}, desired);
    CHECK(described(up) == std::vector<std::string>{"create table users (1 column)", "create table posts (2 columns)",
                                                     "create table comments (2 columns)"});
    // The foreign keys stay inline: their targets exist by then.
    CHECK(nth<op::CreateTable>(up, 2).table.foreign_keys.size() == 1);

    DiffResult down = checked_diff(desired, Metadata{});
    CHECK(described(down) ==
          std::vector<std::string>{"drop table comments", "drop table posts", "drop table users"});
    CHECK(nth<op::DropTable>(down, 0).table == *desired.find("comments"));
}

TEST_CASE("add and drop columns", "[differ]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->columns.push_back(column("age", types::small_integer()));
    b.find("users")->columns.erase(b.find("users")->columns.begin() + 2);  // email
    DiffResult r = checked_diff(a, b);
    CHECK(described(r) == std::vector<std::string>{"add column users.age small_integer NULL",
                                                    "drop column users.email"});
    CHECK(nth<op::DropColumn>(r, 1).column == *a.find("users")->find_column("email"));
    CHECK(is_destructive(r.operations[1]));
    CHECK_FALSE(is_destructive(r.operations[0]));
}

TEST_CASE("nullability both ways", "[differ]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->find_column("name")->nullable = true;
    b.find("users")->find_column("email")->nullable = false;
    DiffResult r = checked_diff(a, b);
    REQUIRE(r.operations.size() == 2);
    CHECK(describe(r.operations[0]) == "alter column users.name: NOT NULL -> NULL");
    CHECK(describe(r.operations[1]) == "alter column users.email: NULL -> NOT NULL");
    CHECK_FALSE(is_destructive(r.operations[0]));
    CHECK_FALSE(is_destructive(r.operations[1]));  // may fail, but loses nothing
    CHECK(nth<op::AlterColumn>(r, 1).from == *a.find("users")->find_column("email"));
}

TEST_CASE("type changes and which of them narrow", "[differ]") {
    struct Case {
        ColumnType from, to;
        bool narrowing;
    };
    std::vector<Case> cases = {
        {types::string(6), types::string(12), false},
        {types::string(12), types::string(6), true},
        {types::integer(), types::big_integer(), false},
        {types::big_integer(), types::integer(), true},
        {types::numeric(8, 2), types::numeric(10, 2), false},
        {types::numeric(10, 2), types::numeric(8, 2), true},
        {types::numeric(10, 2), types::numeric(10, 3), true},  // one digit less before the point
        {types::text(), types::string(20), true},
        {types::string(20), types::text(), false},
        {types::string(20), types::integer(), true},
        {types::integer(), types::string(11), false},
        {types::integer(), types::string(5), true},
        {types::date(), types::datetime(), false},
        {types::datetime(true), types::datetime(false), true},
        {types::float_(), types::double_(), false},
        {types::double_(), types::float_(), true},
        {types::enum_({"a", "b"}), types::enum_({"a", "b", "c"}), false},
        {types::enum_({"a", "b"}), types::enum_({"a"}), true},
        {types::boolean(), types::integer(), false},
        {types::blob(), types::text(), true},
    };
    for (const Case& c : cases) {
        Metadata a = schema({T("t").id().col("v", c.from)});
        Metadata b = schema({T("t").id().col("v", c.to)});
        DiffResult r = checked_diff(a, b);
        INFO(c.from.describe() << " -> " << c.to.describe());
        REQUIRE(r.operations.size() == 1);
        const auto& alter = nth<op::AlterColumn>(r, 0);
        CHECK(alter.from.type == c.from);
        CHECK(alter.to.type == c.to);
        CHECK(is_destructive(r.operations[0]) == c.narrowing);
    }
}

TEST_CASE("server defaults added, changed, removed", "[differ]") {
    auto with_default = [](std::optional<ServerDefault> d) {
        return schema({T("t").id().col("status", types::string(10), false, d)});
    };
    Metadata none = with_default(std::nullopt);
    Metadata a = with_default(ServerDefault::literal("new"));
    Metadata b = with_default(ServerDefault::literal("old"));
    Metadata e = with_default(ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(described(checked_diff(none, a)) ==
          std::vector<std::string>{"alter column t.status: default none -> 'new'"});
    CHECK(described(checked_diff(a, b)) ==
          std::vector<std::string>{"alter column t.status: default 'new' -> 'old'"});
    CHECK(described(checked_diff(a, none)) ==
          std::vector<std::string>{"alter column t.status: default 'new' -> none"});
    CHECK(described(checked_diff(a, e)) ==
          std::vector<std::string>{"alter column t.status: default 'new' -> CURRENT_TIMESTAMP"});
    CHECK(diff(a, a).empty());
}

TEST_CASE("indexes: add, drop, column order, becoming unique", "[differ]") {
    auto with = [](std::vector<Index> ix) {
        Table t = T("t").id().col("a", types::integer()).col("b", types::integer());
        t.indexes = std::move(ix);
        return schema({t});
    };
    Metadata none = with({});
    Metadata ab = with({Index{"ix_t_ab", {"a", "b"}, false}});
    Metadata ba = with({Index{"ix_t_ab", {"b", "a"}, false}});
    Metadata ab_unique = with({Index{"ix_t_ab", {"a", "b"}, true}});
    CHECK(described(checked_diff(none, ab)) == std::vector<std::string>{"create index ix_t_ab on t (a, b)"});
    CHECK(described(checked_diff(ab, none)) == std::vector<std::string>{"drop index ix_t_ab on t"});
    CHECK(described(checked_diff(ab, ba)) ==
          std::vector<std::string>{"drop index ix_t_ab on t", "create index ix_t_ab on t (b, a)"});
    CHECK(described(checked_diff(ab, ab_unique)) ==
          std::vector<std::string>{"drop index ix_t_ab on t", "create unique index ix_t_ab on t (a, b)"});
}

TEST_CASE("indexes: a change of method, operator class, order or predicate is a drop and a create", "[differ]") {
    auto with = [](Index ix) {
        Table t = T("docs").id().col("payload", types::json()).col("at", types::datetime()).build();
        t.indexes = {std::move(ix)};
        return schema({t});
    };
    const Index plain{"ix_docs_payload", {"payload"}, false};
    Index btree = plain;
    btree.method = "BTree";
    Index gin = plain;
    gin.method = "gin";
    Index gin_path = gin;
    gin_path.key(0).opclass = "jsonb_path_ops";
    Index desc = plain;
    desc.key(0).descending = true;
    Index desc_last = desc;
    desc_last.key(0).nulls = NullsOrder::last;
    Index partial = plain;
    partial.where = "at IS NOT NULL";
    Index partial2 = plain;
    partial2.where = "at IS NULL";

    // "" and "btree" are the same method; trailing default key options are no change.
    CHECK(diff(with(plain), with(btree)).empty());
    Index padded = plain;
    padded.key_options.resize(1);
    CHECK(diff(with(plain), with(padded)).empty());

    CHECK(described(checked_diff(with(plain), with(gin))) ==
          std::vector<std::string>{"drop index ix_docs_payload on docs",
                                   "create index ix_docs_payload on docs using gin (payload)"});
    CHECK(described(checked_diff(with(gin), with(gin_path))) ==
          std::vector<std::string>{"drop index ix_docs_payload on docs",
                                   "create index ix_docs_payload on docs using gin (payload jsonb_path_ops)"});
    CHECK(described(checked_diff(with(plain), with(desc_last))) ==
          std::vector<std::string>{"drop index ix_docs_payload on docs",
                                   "create index ix_docs_payload on docs (payload DESC NULLS LAST)"});
    CHECK(names(checked_diff(with(desc), with(desc_last))) == std::vector<std::string>{"drop_index", "create_index"});
    CHECK(described(checked_diff(with(partial), with(partial2))) ==
          std::vector<std::string>{"drop index ix_docs_payload on docs",
                                   "create index ix_docs_payload on docs (payload) where at IS NULL"});
    // The dropped index is carried whole, so the reverse creates it again as it was.
    DiffResult r = diff(with(gin_path), with(plain));
    REQUIRE(r.operations.size() == 2);
    CHECK(std::get<op::DropIndex>(r.operations[0]).index == gin_path);
}

TEST_CASE("indexes: expressions compare in the dialect's normal form - operations keep each side's text", "[differ]") {
    auto with = [](std::vector<std::string> keys, std::string where) {
        Table t = T("users").id().col("email", types::string(100)).col("deleted_at", types::datetime()).build();
        Index ix{"ix_users_email", std::move(keys), true};
        ix.where = std::move(where);
        t.indexes = {std::move(ix)};
        return schema({t});
    };
    DiffOptions pg;
    pg.dialect = &postgresql_dialect();
    // As declared, and as the server prints the same index back.
    Metadata declared = with({"lower(email)"}, "deleted_at IS NULL");
    Metadata reflected = with({"lower((email)::text)"}, "(deleted_at IS NULL)");
    CHECK(diff(reflected, declared, pg).empty());
    CHECK(diff(declared, reflected, pg).empty());
    DiffOptions lite;
    lite.dialect = &sqlite_dialect();
    CHECK(diff(with({"LOWER( email )"}, "deleted_at  IS NULL"), with({"lower(email)"}, "(deleted_at is null)"), lite)
              .empty());

    // A cast the canonical form drops still reaches the database: the operations carry
    // the expression as each side wrote it.
    Metadata cast = with({"(email)::integer"}, "deleted_at IS NULL");
    Metadata other = with({"upper(email)"}, "deleted_at IS NULL");
    DiffResult r = diff(other, cast, pg);
    REQUIRE(r.operations.size() == 2);
    CHECK(std::get<op::DropIndex>(r.operations[0]).index.columns == std::vector<std::string>{"upper(email)"});
    CHECK(std::get<op::CreateIndex>(r.operations[1]).index.columns == std::vector<std::string>{"(email)::integer"});
    DiffResult created = diff(Metadata{}, cast, pg);
    REQUIRE(created.operations.size() == 1);
    CHECK(std::get<op::CreateTable>(created.operations[0]).table.indexes.at(0).columns ==
          std::vector<std::string>{"(email)::integer"});
}

TEST_CASE("unique constraints: add and drop", "[differ]") {
    Metadata a = schema({T("t").id().col("code", types::string(10))});
    Metadata b = schema({T("t").id().col("code", types::string(10)).unique("uq_t_code", {"code"})});
    CHECK(described(checked_diff(a, b)) == std::vector<std::string>{"add unique constraint uq_t_code on t (code)"});
    CHECK(described(checked_diff(b, a)) == std::vector<std::string>{"drop unique constraint uq_t_code on t"});
}

TEST_CASE("foreign keys: add, drop, composite, actions", "[differ]") {
    auto parent = T("parent").col("a", types::integer(), false).col("b", types::integer(), false).pk({"a", "b"});
    auto child = [&] {
        return T("child").id().col("pa", types::integer()).col("pb", types::integer());
    };
    Metadata none = schema({parent, child()});
    Metadata composite = schema({parent, child().fk("fk_child_parent", {"pa", "pb"}, "parent", {"a", "b"})});
    Metadata cascade = schema({parent, child().fk("fk_child_parent", {"pa", "pb"}, "parent", {"a", "b"},
                                                  FkAction::cascade, FkAction::no_action)});
    Metadata on_update = schema({parent, child().fk("fk_child_parent", {"pa", "pb"}, "parent", {"a", "b"},
                                                    FkAction::cascade, FkAction::set_null)});
    CHECK(described(checked_diff(none, composite)) ==
          std::vector<std::string>{"add foreign key fk_child_parent on child (pa, pb) -> parent (a, b)"});
    CHECK(described(checked_diff(composite, none)) ==
          std::vector<std::string>{"drop foreign key fk_child_parent on child"});
    CHECK(described(checked_diff(composite, cascade)) ==
          std::vector<std::string>{"drop foreign key fk_child_parent on child",
                                   "add foreign key fk_child_parent on child (pa, pb) -> parent (a, b) ON DELETE "
                                   "CASCADE"});
    CHECK(names(checked_diff(cascade, on_update)) ==
          std::vector<std::string>{"drop_foreign_key", "add_foreign_key"});
}

TEST_CASE("foreign keys match by signature, not by name", "[differ]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("posts")->foreign_keys[0].name = "posts_user_id_fkey";
    CHECK(diff(a, b).empty());
}

TEST_CASE("RESTRICT equals NO ACTION only where the dialect says so", "[differ]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("posts")->foreign_keys[0].on_delete = FkAction::restrict;
    CHECK(names(diff(a, b)) == std::vector<std::string>{"drop_foreign_key", "add_foreign_key"});
    DiffOptions mysql;
    mysql.dialect = &mysql_dialect();
    CHECK(diff(a, b, mysql).empty());
    DiffOptions pg;
    pg.dialect = &postgresql_dialect();
    CHECK_FALSE(diff(a, b, pg).empty());
}

TEST_CASE("self-referencing foreign key", "[differ]") {
    Metadata desired = schema({T("node").id().col("parent_id", types::integer()).fk("fk_node_parent", {"parent_id"},
                                                                                     "node", {"id"},
                                                                                     FkAction::cascade)});
    DiffResult r = checked_diff(Metadata{}, desired);
    REQUIRE(r.operations.size() == 1);
    CHECK(nth<op::CreateTable>(r, 0).table.foreign_keys.size() == 1);
    CHECK(described(checked_diff(desired, Metadata{})) == std::vector<std::string>{"drop table node"});
}

TEST_CASE("circular foreign keys: created without the closing key, which is added after", "[differ]") {
    Metadata desired = schema({T("a").id().col("b_id", types::integer()).fk("fk_a_b", {"b_id"}, "b", {"id"}),
                               T("b").id().col("a_id", types::integer()).fk("fk_b_a", {"a_id"}, "a", {"id"})});
    DiffResult up = checked_diff(Metadata{}, desired);
    REQUIRE(up.operations.size() == 3);
    CHECK(names(up) == std::vector<std::string>{"create_table", "create_table", "add_foreign_key"});
    std::size_t inline_fks = nth<op::CreateTable>(up, 0).table.foreign_keys.size() +
                             nth<op::CreateTable>(up, 1).table.foreign_keys.size();
    CHECK(inline_fks == 1);
    // Dropping both: the key that ties the cycle goes first.
    DiffResult down = checked_diff(desired, Metadata{});
    CHECK(names(down) == std::vector<std::string>{"drop_foreign_key", "drop_table", "drop_table"});
}

TEST_CASE("a dropped table's references are dropped before it", "[differ]") {
    Metadata a = users_posts();
    Metadata b = schema({T("posts").id().col("user_id", types::integer(), false).col("title", types::string(200))});
    DiffResult r = checked_diff(a, b);
    CHECK(described(r) == std::vector<std::string>{"drop foreign key fk_posts_user_id_users on posts",
                                                    "drop table users"});
}

TEST_CASE("named checks and comments", "[differ]") {
    Metadata a = schema({T("t").id().col("price", types::integer()).check("ck_t_price", "price > 0")});
    Metadata b = schema({T("t").id().col("price", types::integer()).check("ck_t_price", "price >= 0")});
    Metadata none = schema({T("t").id().col("price", types::integer())});
    CHECK(described(checked_diff(a, b)) ==
          std::vector<std::string>{"drop check constraint ck_t_price on t", "add check constraint ck_t_price on t "
                                                                            "(price >= 0)"});
    CHECK(described(checked_diff(none, a)) ==
          std::vector<std::string>{"add check constraint ck_t_price on t (price > 0)"});

    Metadata commented = schema({T("t").id().col("price", types::integer()).col_comment("in cents").comment("prices")});
    CHECK(described(checked_diff(none, commented)) ==
          std::vector<std::string>{"alter column t.price: comment none -> 'in cents'",
                                   "alter comment of table t: none -> 'prices'"});
    CHECK(names(checked_diff(commented, none)) ==
          std::vector<std::string>{"alter_column", "alter_table_comment"});
}

TEST_CASE("primary key changes", "[differ]") {
    Metadata a = schema({T("link").col("a", types::integer(), false).col("b", types::integer(), false).pk({"a"})});
    Metadata b = schema({T("link").col("a", types::integer(), false).col("b", types::integer(), false).pk({"a", "b"})});
    DiffResult r = checked_diff(a, b);
    REQUIRE(r.operations.size() == 1);
    CHECK(nth<op::AlterPrimaryKey>(r, 0).to.columns == std::vector<std::string>{"a", "b"});
    // A name-only difference is not a change.
    Metadata renamed = a;
    renamed.find("link")->primary_key.name = "link_pkey";
    CHECK(diff(a, renamed).empty());
    // A foreign key into the old key is dropped and added around the change.
    Metadata ca = a, cb = b;
    ca.add(T("ref").id().col("a", types::integer()).fk("fk_ref_link", {"a"}, "link", {"a"}));
    cb.add(T("ref").id().col("a", types::integer()).col("b", types::integer()).fk("fk_ref_link", {"a", "b"}, "link",
                                                                                  {"a", "b"}));
    CHECK(names(checked_diff(ca, cb)) == std::vector<std::string>{"drop_foreign_key", "alter_primary_key",
                                                                   "add_column", "add_foreign_key"});
}

TEST_CASE("a foreign key over a column that changes type is dropped and added around it", "[differ]") {
    Metadata a = users_posts();
    Metadata b = users_posts();
    b.find("users")->find_column("id")->type = types::big_integer();
    b.find("posts")->find_column("user_id")->type = types::big_integer();
    DiffResult r = checked_diff(a, b);
    CHECK(names(r) == std::vector<std::string>{"drop_foreign_key", "alter_column", "alter_column", "add_foreign_key"});
}

TEST_CASE("reserved words and mixed-case identifiers are plain names", "[differ]") {
    Metadata a = schema({T("order").col("select", types::integer(), false).pk({"select"}).col("Group", types::text())});
    Metadata b = schema({T("order")
                             .col("select", types::integer(), false)
                             .pk({"select"})
                             .col("Group", types::text())
                             .col("MixedCase", types::integer())
                             .index("ix_order_Group_MixedCase", {"MixedCase"}),
                         T("User").id().col("where", types::integer()).fk("fk_User_where", {"where"}, "order",
                                                                          {"select"})});
    DiffResult r = checked_diff(a, b);
    CHECK(described(r) == std::vector<std::string>{"create table User (2 columns)", "add column order.MixedCase integer "
                                                                                    "NULL",
                                                    "create index ix_order_Group_MixedCase on order (MixedCase)"});
    Metadata c = b;
    c.find("order")->find_column("Group")->nullable = false;
    CHECK(described(checked_diff(b, c)) == std::vector<std::string>{"alter column order.Group: NULL -> NOT NULL"});
}

TEST_CASE("renames come only from hints", "[differ]") {
    Metadata a = users_posts();
    SECTION("without a hint a rename is a drop plus an add") {
        Metadata b = users_posts();
        b.find("users")->find_column("name")->name = "full_name";
        DiffResult r = checked_diff(a, b);
        CHECK(names(r) == std::vector<std::string>{"add_column", "drop_column"});
    }
    SECTION("renamed_from on a column") {
        Metadata b = users_posts();
        Column* c = b.find("users")->find_column("name");
        c->name = "full_name";
        c->renamed_from = "name";
        DiffResult r = checked_diff(a, b);
        CHECK(described(r) == std::vector<std::string>{"rename column users.name to full_name"});
    }
    SECTION("renamed_from on a table keeps references") {
        Metadata b;
        b.add(T("people").renamed_from("users").id().col("name", types::string(50), false).col("email",
                                                                                            types::string(100)));
        b.add(T("posts")
                  .id()
                  .col("user_id", types::integer(), false)
                  .col("title", types::string(200))
                  .fk("fk_posts_user_id_users", {"user_id"}, "people", {"id"}));
        DiffResult r = checked_diff(a, b);
        CHECK(described(r) == std::vector<std::string>{"rename table users to people"});
    }
    SECTION("explicit renames of a table and one of its columns") {
        Metadata b = users_posts();
        Table* users = b.find("users");
        Table people = *users;
        people.name = "people";
        people.find_column("email")->name = "mail";
        b.remove("users");
        b.add(people);
        b.find("posts")->foreign_keys[0].ref_table = "people";
        DiffOptions o;
        add_rename(o, "users=people");
        add_rename(o, "people.email=mail");
        DiffResult r = checked_diff(a, b, o);
        CHECK(described(r) ==
              std::vector<std::string>{"rename table users to people", "rename column people.email to mail"});
        // The old table name is accepted for the column too.
        DiffOptions o2;
        add_rename(o2, "users=people");
        add_rename(o2, "users.email=mail");
        CHECK(described(diff(a, b, o2)) == described(r));
    }
    SECTION("a hint already applied is silent") {
        Metadata b = users_posts();
        b.find("users")->find_column("name")->renamed_from = "nm";
        DiffResult r = diff(a, b);
        CHECK(r.empty());
        CHECK(r.notes.empty());
    }
    SECTION("a hint naming a column that does not exist is noted and ignored") {
        Metadata b = users_posts();
        Column* c = b.find("users")->find_column("name");
        c->name = "full_name";
        c->renamed_from = "nm";
        DiffResult r = checked_diff(a, b);
        CHECK(names(r) == std::vector<std::string>{"add_column", "drop_column"});
        REQUIRE(r.notes.size() == 1);
        CHECK(r.notes[0].find("renamed_from(\"nm\") ignored") != std::string::npos);
    }
}

TEST_CASE("explicit renames that do not fit are usage errors", "[differ]") {
    Metadata a = users_posts();
    DiffOptions o;
    add_rename(o, "nothing=users2");
    try {
        diff(a, a, o);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("no table nothing") != std::string::npos);
    }
    DiffOptions c;
    add_rename(c, "users.nope=name2");
    CHECK_THROWS_AS(diff(a, a, c), Error);
    for (const char* bad : {"", "a", "=b", "a=", "a.b.c=d", "a=b.c", ".a=b", "a.=b"}) {
        DiffOptions x;
        INFO(bad);
        CHECK_THROWS_AS(add_rename(x, bad), Error);
    }
}

TEST_CASE("new tables may reference existing keys, unless this diff changes them", "[differ]") {
    Metadata a = schema({T("users").id().col("code", types::string(10))});
    Metadata b = schema({T("users").id().col("code", types::string(10)).unique("uq_users_code", {"code"}),
                         T("badges").id().col("user_code", types::string(10)).fk("fk_badges_user", {"user_code"},
                                                                                  "users", {"code"}),
                         T("logins").id().col("user_id", types::integer()).fk("fk_logins_user", {"user_id"}, "users",
                                                                              {"id"})});
    DiffResult r = checked_diff(a, b);
    CHECK(names(r) == std::vector<std::string>{"create_table", "create_table", "add_unique", "add_foreign_key"});
    CHECK(nth<op::CreateTable>(r, 0).table.name == "badges");
    CHECK(nth<op::CreateTable>(r, 0).table.foreign_keys.empty());
    CHECK(nth<op::CreateTable>(r, 1).table.foreign_keys.size() == 1);  // logins -> users.id, a stable key
}

TEST_CASE("every portable type: no false positive after normalization, per dialect", "[differ]") {
    Table t = T("every_type")
                  .id()
                  .col("i", types::integer())
                  .col("si", types::small_integer())
                  .col("bi", types::big_integer())
                  .col("b", types::boolean(), false, ServerDefault::literal("true"))
                  .col("s", types::string(30), true, ServerDefault::literal("it's"))
                  .col("tx", types::text())
                  .col("f", types::float_())
                  .col("d", types::double_())
                  .col("n", types::numeric(10, 2), true, ServerDefault::literal("1.50"))
                  .col("dt", types::date())
                  .col("tm", types::time())
                  .col("ts", types::datetime(), true, ServerDefault::expression("CURRENT_TIMESTAMP"))
                  .col("tz", types::datetime(true))
                  .col("bl", types::blob())
                  .col("js", types::json())
                  .col("u", types::uuid())
                  .col("e", types::enum_({"draft", "published"}))
                  .col("cnt", types::integer(), false, ServerDefault::literal("0"));
    Metadata m = schema({t});
    for (const Dialect* d : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        DiffOptions o;
        o.dialect = d;
        CHECK(diff(m, m, o).empty());
        DiffResult again = diff(d->normalize(m), m, o);
        INFO(listing(again));
        CHECK(again.empty());
    }
}

TEST_CASE("spellings the dialect treats as equal are no change", "[differ]") {
    auto with = [](ColumnType type, ServerDefault def) { return schema({T("t").id().col("c", type, true, def)}); };
    struct Case {
        const Dialect* dialect;
        ColumnType type;
        ServerDefault current, desired;
    };
    std::vector<Case> cases = {
        {&postgresql_dialect(), types::datetime(), ServerDefault::expression("CURRENT_TIMESTAMP"),
         ServerDefault::expression("now()")},
        {&mysql_dialect(), types::datetime(), ServerDefault::expression("CURRENT_TIMESTAMP"),
         ServerDefault::expression("current_timestamp()")},
        {&mysql_dialect(), types::boolean(), ServerDefault::literal("true"), ServerDefault::literal("1")},
        {&sqlite_dialect(), types::boolean(), ServerDefault::literal("false"), ServerDefault::literal("0")},
        {&postgresql_dialect(), types::integer(), ServerDefault::literal("42"), ServerDefault::literal("42")},
        {&postgresql_dialect(), types::string(10), ServerDefault::literal("a 'quoted' b"),
         ServerDefault::literal("a 'quoted' b")},
    };
    for (const Case& c : cases) {
        INFO(c.dialect->name() << ": " << c.current.describe() << " vs " << c.desired.describe());
        DiffOptions o;
        o.dialect = c.dialect;
        DiffResult r = diff(with(c.type, c.current), with(c.type, c.desired), o);
        INFO(listing(r));
        CHECK(r.empty());
    }
}

TEST_CASE("diff is deterministic", "[differ]") {
    auto make = [](bool reversed) {
        std::vector<Table> tables = {
            T("zeta").id().col("alpha_id", types::integer()).fk("fk_zeta_alpha", {"alpha_id"}, "alpha", {"id"}),
            T("alpha").id().col("x", types::integer()).index("ix_alpha_x", {"x"}),
            T("mid").id().col("zeta_id", types::integer()).fk("fk_mid_zeta", {"zeta_id"}, "zeta", {"id"}),
            T("beta").id().col("y", types::text()),
        };
        if (reversed) std::reverse(tables.begin(), tables.end());
        Metadata m;
        for (const Table& t : tables) m.add(t);
        return m;
    };
    Metadata current = schema({T("old1").id(), T("old2").id().col("o", types::integer()).fk("fk_o", {"o"}, "old1",
                                                                                              {"id"})});
    DiffResult first = diff(current, make(false));
    DiffResult second = diff(current, make(true));
    CHECK(described(first) == described(second));
    CHECK(first.operations == second.operations);
    CHECK(described(first) ==
          std::vector<std::string>{"drop table old2", "drop table old1", "create table alpha (2 columns)",
                                   "create table beta (2 columns)", "create table zeta (2 columns)",
                                   "create table mid (2 columns)"});
}

// Random schema pairs: the properties must hold for shapes nobody wrote a test for.
TEST_CASE("random schema pairs: apply(diff) reaches the target and reverse() returns", "[differ]") {
    std::mt19937 rng(20261126);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const std::vector<ColumnType> kinds = {types::integer(),  types::big_integer(), types::string(10),
                                           types::string(40), types::text(),        types::boolean(),
                                           types::numeric(8, 2), types::date()};
    auto random_schema = [&]() {
        Metadata m;
        int tables = 1 + pick(5);
        for (int i = 0; i < tables; ++i) {
            T t(fmt::format("t{}", pick(7)));
            if (m.find(t.build().name)) continue;
            t.id();
            int cols = pick(5);
            std::vector<std::string> names;
            for (int c = 0; c < cols; ++c) {
                std::string name = fmt::format("c{}", pick(6));
                if (std::find(names.begin(), names.end(), name) != names.end()) continue;
                names.push_back(name);
                std::optional<ServerDefault> def;
                if (pick(4) == 0) def = ServerDefault::literal("1");
                t.col(name, kinds[static_cast<std::size_t>(pick(static_cast<int>(kinds.size())))], pick(2) == 0, def);
            }
            if (!names.empty() && pick(2) == 0) t.index(fmt::format("ix_{}", names[0]), {names[0]}, pick(3) == 0);
            if (!names.empty() && pick(3) == 0) t.unique(fmt::format("uq_{}", names.back()), {names.back()});
            if (!names.empty() && pick(3) == 0) t.check(fmt::format("ck_{}", names[0]), names[0] + " IS NOT NULL");
            m.add(t);
        }
        // Foreign keys to random tables (cycles and self-references included).
        std::vector<std::string> tnames;
        for (const Table& t : m.tables()) tnames.push_back(t.name);
        for (const std::string& name : tnames) {
            if (pick(2) == 0) continue;
            Table* t = m.find(name);
            const std::string& target = tnames[static_cast<std::size_t>(pick(static_cast<int>(tnames.size())))];
            t->columns.push_back(column("ref_" + target, types::integer()));
            t->foreign_keys.push_back(ForeignKey{"fk_" + name + "_" + target, {"ref_" + target}, target, {"id"},
                                                 pick(2) ? FkAction::cascade : FkAction::no_action,
                                                 FkAction::no_action});
        }
        return m;
    };
    for (int i = 0; i < 300; ++i) {
        Metadata a = random_schema();
        Metadata b = random_schema();
        INFO("pair " << i << "\ncurrent:\n" << a.describe() << "desired:\n" << b.describe());
        DiffResult r = checked_diff(a, b);
        CHECK(described(diff(a, b)) == described(r));
    }
}

TEST_CASE("operations carry the declared columns, not one dialect's spelling of them", "[differ]") {
    // A revision autogenerated against SQLite must still create a BIGINT on PostgreSQL.
    Column id = column("id", types::big_integer(), false);
    id.autoincrement = true;
    Table declared = T("events").col(id).col("flag", types::boolean(), false).col("note", types::string(20)).build();
    declared.primary_key.columns = {"id"};
    Metadata desired = schema({declared});
    for (const Dialect* d : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        DiffOptions o;
        o.dialect = d;
        DiffResult created = diff(Metadata{}, desired, o);
        REQUIRE(created.operations.size() == 1);
        const auto& table = std::get<op::CreateTable>(created.operations[0]).table;
        CHECK(table.columns == desired.find("events")->columns);
        CHECK(table.columns[0].type.kind == TypeKind::big_integer);

        Metadata wider = desired;
        wider.find("events")->columns.push_back(column("amount", types::numeric(12, 2)));
        wider.find("events")->columns[2].type = types::string(40);
        DiffResult altered = diff(desired, wider, o);
        INFO(listing(altered));
        bool saw_add = false, saw_alter = false;
        for (const Operation& op : altered.operations) {
            if (auto* a = std::get_if<op::AddColumn>(&op)) {
                saw_add = true;
                CHECK(a->column == wider.find("events")->columns[3]);
            }
            if (auto* a = std::get_if<op::AlterColumn>(&op)) {
                saw_alter = true;
                CHECK(a->to == wider.find("events")->columns[2]);
            }
        }
        CHECK(saw_add);
        CHECK(saw_alter);
    }
}

TEST_CASE("objects neither side models become notes, sorted, each once - never operations", "[differ][unmodelled]") {
    Table users = T("users").col("id", types::integer(), false).build();
    users.primary_key.columns = {"id"};
    Metadata current = schema({users});
    Metadata desired = schema({users});
    UnmodelledObject trigger = make_unmodelled(UnmodelledKind::trigger, "public", "users_audit", "users", "PostgreSQL");
    UnmodelledObject view = make_unmodelled(UnmodelledKind::view, "public", "active_users", "", "PostgreSQL");
    current.add_unmodelled(trigger);
    current.add_unmodelled(view);
    desired.add_unmodelled(view);  // on both sides: named once
    desired.add_unmodelled(make_unmodelled(UnmodelledKind::partitioned_table, "public", "events", "", "PostgreSQL"));

    CHECK(current == desired);  // not part of ==
    for (const Dialect* d : {static_cast<const Dialect*>(nullptr), &postgresql_dialect()}) {
        DiffOptions o;
        o.dialect = d;
        DiffResult r = diff(current, desired, o);
        CHECK(r.operations.empty());
        CHECK(r.notes == std::vector<std::string>{
                             "not modelled: partitioned table events (PostgreSQL) - partitioning not compared, not "
                             "reproduced: copied as a plain table",
                             "not modelled: trigger users_audit on users (PostgreSQL) - not compared, not reproduced",
                             "not modelled: view active_users (PostgreSQL) - not compared, not reproduced"});
        REQUIRE(r.unmodelled.size() == 3);
        CHECK(r.unmodelled[0] == view);  // sorted by kind, then name
        CHECK(r.unmodelled[1] == trigger);
        CHECK(r.unmodelled[2].kind == UnmodelledKind::partitioned_table);
    }
    CHECK(note_text(make_unmodelled(UnmodelledKind::partition, "public", "events_2024", "events", "PostgreSQL")) ==
          "not modelled: partition events_2024 of events (PostgreSQL) - not compared, not reproduced");
    CHECK(note_text(make_unmodelled(UnmodelledKind::row_level_security, "public", "users", "users", "PostgreSQL")) ==
          "not modelled: row-level security on users (PostgreSQL) - not compared, not reproduced: a copy of the "
          "table has it off");
    for (int k = 0; k <= static_cast<int>(UnmodelledKind::event); ++k) {
        auto kind = static_cast<UnmodelledKind>(k);
        CHECK(kind_named(kind_name(kind)) == kind);
    }
    CHECK_FALSE(kind_named("VIEW").has_value());
}
