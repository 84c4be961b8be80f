// What reflection does not model is listed, not skipped (Metadata::unmodelled()), on
// SQLite, PostgreSQL and MySQL/MariaDB: views, triggers, routines and the rest are
// created by raw SQL next to a declared table; each is named once, strata's own objects
// are not, and the declared table still reflects equal to its declaration.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dialects/connection.hpp"
#include "differ/schema_builder.hpp"
#include "migrations/differ.hpp"
#include "orm/create_all.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

// users(id integer primary key, name string(100)).
Metadata users_schema() {
    return strata::testing::schema(
        {strata::testing::TableBuilder("users").id().col("name", types::string(100)).build()});
}

using Expected = std::vector<std::pair<UnmodelledKind, std::string>>;  // (kind, "name" or "name on table")

// The raw SQL that creates objects strata does not model, and what reflection must list
// (views are modelled: they are reflected as views, not listed).
std::pair<std::vector<std::string>, Expected> unmodelled_objects(const std::string& dialect) {
    using K = UnmodelledKind;
    if (dialect == "sqlite")
        return {{"CREATE VIEW active_users AS SELECT id, name FROM users WHERE name <> ''",
                 "CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN UPDATE users SET name = name WHERE id = "
                 "new.id; END",
                 "CREATE INDEX users_lower ON users (lower(name))",  // modelled: not listed
                 "CREATE INDEX users_named ON users (name) WHERE name IS NOT NULL",  // modelled: not listed
                 "CREATE TRIGGER strata_version_guard AFTER INSERT ON users BEGIN SELECT 1; END"},
                {{K::trigger, "users_audit on users"}}};
    if (dialect == "postgres")
        return {{"CREATE VIEW active_users AS SELECT id, name FROM users WHERE name <> ''",
                 "CREATE MATERIALIZED VIEW user_names AS SELECT name FROM users",
                 "CREATE INDEX user_names_name ON user_names (name)",
                 "CREATE FUNCTION audit_users() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                 "CREATE TRIGGER users_audit BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION audit_users()",
                 "CREATE PROCEDURE touch_users(n integer) LANGUAGE sql AS $$ UPDATE users SET name = name $$",
                 "CREATE RULE users_no_delete AS ON DELETE TO users DO INSTEAD NOTHING",
                 "CREATE POLICY users_own ON users USING (true)",
                 "ALTER TABLE users ENABLE ROW LEVEL SECURITY",
                 "CREATE TABLE measurements (ts integer NOT NULL, v integer) PARTITION BY RANGE (ts)",
                 "CREATE TABLE measurements_0 PARTITION OF measurements FOR VALUES FROM (0) TO (100)",
                 "CREATE TABLE base_log (id integer)",
                 "CREATE TABLE users_log (extra text) INHERITS (base_log)",
                 // modelled (Metadata::sequences(), domains(), enum_types()), not listed
                 "CREATE SEQUENCE ticket_numbers",
                 "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)",
                 "CREATE TYPE mood AS ENUM ('sad', 'ok')",
                 "CREATE TYPE used_mood AS ENUM ('x')",
                 "CREATE TABLE moods (id integer PRIMARY KEY, m used_mood)",
                 "CREATE INDEX users_named ON users (name) WHERE name IS NOT NULL",  // modelled: not listed
                 "CREATE EXTENSION IF NOT EXISTS citext",
                 "CREATE TABLE strata_version_probe (id serial PRIMARY KEY)",
                 "CREATE TRIGGER strata_probe BEFORE INSERT ON strata_version_probe FOR EACH ROW EXECUTE FUNCTION "
                 "audit_users()"},
                {{K::materialized_view_index, "user_names_name on user_names"},
                 {K::function, "audit_users()"},
                 {K::trigger, "users_audit on users"},
                 {K::procedure, "touch_users(IN n integer)"},
                 {K::rule, "users_no_delete on users"},
                 {K::policy, "users_own on users"},
                 {K::row_level_security, "users on users"},
                 {K::partitioned_table, "measurements"},
                 {K::partition, "measurements_0 on measurements"},
                 {K::inherited_table, "users_log on base_log"},
                 {K::extension, "citext"}}};
    return {{"CREATE VIEW active_users AS SELECT id, name FROM users WHERE name <> ''",
             "CREATE TRIGGER users_audit BEFORE INSERT ON users FOR EACH ROW SET NEW.name = TRIM(NEW.name)",
             "CREATE PROCEDURE touch_users() UPDATE users SET name = name",
             "CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
             "CREATE EVENT purge_users ON SCHEDULE EVERY 1 DAY DO DELETE FROM users WHERE name = ''",
             "CREATE TABLE measurements (ts INT NOT NULL, v INT) PARTITION BY HASH (ts) PARTITIONS 2",
             "CREATE FULLTEXT INDEX users_text ON users (name)", "CREATE INDEX users_prefix ON users (name(10))",
             "CREATE TRIGGER strata_probe BEFORE UPDATE ON users FOR EACH ROW SET NEW.name = NEW.name"},
            {{K::trigger, "users_audit on users"},
             {K::procedure, "touch_users"},
             {K::function, "double_it"},
             {K::event, "purge_users"},
             {K::partitioned_table, "measurements"},
             {K::fulltext_index, "users_text on users"},
             {K::prefix_index, "users_prefix on users"}}};
}

std::string label(const UnmodelledObject& u) { return u.table.empty() ? u.name : u.name + " on " + u.table; }

}  // namespace

TEST_CASE("reflect: objects strata does not model are listed once each - the tables still compare equal",
          "[reflect][unmodelled]") {
    TestDatabase db;
    Connection& conn = db.connection();
    const Metadata declared = users_schema();
    create_all(declared, db.engine());
    CHECK(reflect(db.engine()).unmodelled().empty());  // nothing but a declared table

    auto [statements, expected] = unmodelled_objects(strata::testing::dialect());
    for (const std::string& sql : statements) conn.execute_unprepared(sql);
    const Metadata live = reflect(db.engine());

    std::multiset<std::pair<UnmodelledKind, std::string>> listed;
    for (const UnmodelledObject& u : live.unmodelled()) {
        INFO(note_text(u));
        CHECK(!u.database.empty());
        CHECK(!u.schema.empty());
        CHECK(u.reason == default_reason(u.kind));
        CHECK(u.name.find("strata_") == std::string::npos);  // strata's own objects are not listed
        listed.insert({u.kind, label(u)});
    }
    std::string all;
    for (const UnmodelledObject& u : live.unmodelled()) all += "  " + note_text(u) + "\n";
    INFO(fmt::format("[{}] listed:\n{}", strata::testing::dialect(), all));
    for (const auto& e : expected) {
        INFO(fmt::format("expected {} {}", kind_name(e.first), e.second));
        CHECK(listed.count(e) == 1);
    }
    CHECK(listed.size() == expected.size());
    CHECK(live.find_view("active_users") != nullptr);

    if (strata::testing::dialect() == "postgres") {
        CHECK(live.sequences().find("ticket_numbers"));
        CHECK(live.domains().find("positive_int"));
        CHECK(live.enum_types().find("mood"));
        CHECK(live.enum_types().find("used_mood"));
    }

    // The declared table reflects as declared; the differ names the objects in its notes,
    // and nothing else changes.
    const Table* found = live.find("users");
    REQUIRE(found);
    // The partial and expression indexes made by raw SQL are modelled (SQLite,
    // PostgreSQL): part of the table, not notes.
    Table users = *found;
    std::size_t modelled = std::erase_if(users.indexes, [](const Index& i) {
        return i.name == "users_lower" || i.name == "users_named";
    });
    CHECK(modelled == (strata::testing::dialect() == "sqlite" ? 2u : strata::testing::dialect() == "postgres" ? 1u : 0u));
    CHECK(users == *db.dialect().normalize(declared).find("users"));
    Metadata only_users;
    only_users.add(users);
    for (const UnmodelledObject& u : live.unmodelled()) only_users.add_unmodelled(u);
    DiffResult result = diff(only_users, declared, {.dialect = &db.dialect()});
    CHECK(result.operations.empty());
    CHECK(result.unmodelled.size() == expected.size());
    CHECK(result.notes.size() == expected.size());
    for (const std::string& note : result.notes) CHECK(note.starts_with("not modelled: "));

    // Asked for tables only, reflection lists nothing.
    ReflectOptions tables_only;
    tables_only.unmodelled = false;
    CHECK(db.dialect().reflect(conn, tables_only).unmodelled().empty());
}
