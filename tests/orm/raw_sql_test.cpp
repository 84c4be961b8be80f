// Raw SQL through the session and a raw connection, on every database: portable ? and
// :name parameters, text the translator must leave alone, objects through the identity
// map (from_sql), typed rows (sql_rows), and the error paths.
#include <catch2/catch.hpp>
#include <tuple>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;

namespace {

const std::string kTricky =
    "O'Brien \\ 'x' \xE2\x80\x94 \xE6\xBC\xA2\xE5\xAD\x97 \xF0\x9F\x98\x80 :notaparam ? $1 -- /*";

// Three committed users: Alice (30), Bob (25, no email), Anna (41).
std::vector<std::int64_t> seed(Fixture& f) {
    Session s(f.db.engine(), registry());
    auto users =
        s.add_all({User{.name = "Alice", .email = "alice@example.com", .age = 30}, User{.name = "Bob", .age = 25},
                   User{.name = "Anna", .email = "anna@example.com", .age = 41}});
    s.commit();
    return {users[0]->id, users[1]->id, users[2]->id};
}

std::string name_of(Fixture& f, std::int64_t id) {
    auto rs = f.query("SELECT name FROM users WHERE id = ?", {Value(id)});
    REQUIRE(rs.rows.size() == 1);
    return std::get<std::string>(rs.rows[0][0]);
}

// The Error a call throws (FAIL when it throws none).
template <class F>
Error error_of(F&& call) {
    try {
        call();
    } catch (const Error& e) {
        return e;
    }
    FAIL("no strata::Error thrown");
    return Error(ErrorKind::internal, "unreachable");
}

}  // namespace

TEST_CASE("raw sql: execute with ? and with :name, values round-trip exactly", "[orm][raw_sql]") {
    Fixture f;
    auto ids = seed(f);
    Session session(f.db.engine(), registry());
    CHECK(session.execute("UPDATE users SET name = ? WHERE id = ?", {kTricky, ids[0]}) == 1);
    CHECK(session.execute("UPDATE users SET name = :name, age = :age WHERE id = :id",
                          {{"id", ids[1]}, {"name", kTricky + "!"}, {"age", 26}}) == 1);
    // One name used three times binds the same value each time.
    CHECK(session.execute("UPDATE users SET age = age + 1 WHERE (name = :n OR email = :n) AND name = :n",
                          {{"n", "Anna"}}) == 1);
    CHECK(session.execute("UPDATE users SET age = 0 WHERE age > ?", {Value(100)}) == 0);
    session.commit();
    CHECK(name_of(f, ids[0]) == kTricky);
    CHECK(name_of(f, ids[1]) == kTricky + "!");
    CHECK(session.get<User>(ids[1])->age == 26);
    CHECK(session.get<User>(ids[2])->age == 42);
    // A vector of values and a strata::sql_text() work the same way.
    std::vector<Value> values{Value(std::string("Bea")), Value(ids[1])};
    CHECK(session.execute("UPDATE users SET name = ? WHERE id = ?", values) == 1);
    CHECK(session.execute(sql_text("DELETE FROM users WHERE id = :id", {{"id", ids[1]}})) == 1);
    session.commit();
    CHECK(f.query("SELECT id FROM users WHERE id = ?", {Value(ids[1])}).empty());
}

TEST_CASE("raw sql: execute runs after an autoflush inside the session's transaction", "[orm][raw_sql]") {
    Fixture f;
    auto ids = seed(f);
    Session session(f.db.engine(), registry());
    auto alice = session.get<User>(ids[0]);
    alice->age = 31;  // flushed before the statement runs, so the statement sees it
    CHECK(session.execute("UPDATE users SET age = age * 2 WHERE age = :a", {{"a", 31}}) == 1);
    CHECK(session.in_transaction());
    session.rollback();  // undoes the flush and the raw statement together
    CHECK(f.query("SELECT age FROM users WHERE id = ?", {Value(ids[0])}).rows[0][0] == Value(std::int64_t{30}));
}

TEST_CASE("raw sql: text in strings, quoted names and comments is left alone", "[orm][raw_sql]") {
    Fixture f;
    auto ids = seed(f);
    Session session(f.db.engine(), registry());
    auto rows = session.sql_rows<std::string, std::string>(
        "SELECT ':notaparam ? it''s', name /* :c ? */ FROM users -- a comment ? :x\n WHERE id = :id", {{"id", ids[0]}});
    REQUIRE(rows.size() == 1);
    CHECK(std::get<0>(rows[0]) == ":notaparam ? it's");
    CHECK(std::get<1>(rows[0]) == "Alice");
    // Quoted names: backticks on MySQL (SQLite reads them too), "..." elsewhere.
    const std::string q = testing::dialect() == "mysql" ? "`" : "\"";
    auto quoted = session.sql_rows<std::int64_t>(
        "SELECT " + q + "age" + q + " FROM " + q + "users" + q + " WHERE " + q + "name" + q + " = ?", {"Bob"});
    REQUIRE(quoted.size() == 1);
    CHECK(std::get<0>(quoted[0]) == 25);

    if (testing::dialect() == "postgres") {
        // ::casts, E'' escapes and dollar quoting.
        auto pg = session.sql_rows<std::string, std::string, std::string, std::string>(
            "SELECT id::text, :v::text, E'a\\' ?', $$ it's :x ? $$ FROM users WHERE name = :n",
            {{"v", 42}, {"n", "Alice"}});
        REQUIRE(pg.size() == 1);
        CHECK(std::get<0>(pg[0]) == std::to_string(ids[0]));
        CHECK(std::get<1>(pg[0]) == "42");
        CHECK(std::get<2>(pg[0]) == "a' ?");
        CHECK(std::get<3>(pg[0]) == " it's :x ? ");
    }
    if (testing::dialect() == "mysql") {
        // Backslash escapes in strings, # comments, := assignment.
        auto my = session.sql_rows<std::string, std::int64_t>(
            "SELECT 'a\\' ?', @n := :v # what? :x\n FROM users WHERE name = :who", {{"v", 7}, {"who", "Alice"}});
        REQUIRE(my.size() == 1);
        CHECK(std::get<0>(my[0]) == "a' ?");
        CHECK(std::get<1>(my[0]) == 7);
    }
}

TEST_CASE("raw sql: from_sql hydrates objects through the identity map", "[orm][raw_sql]") {
    Fixture f;
    auto ids = seed(f);
    Session session(f.db.engine(), registry());
    auto bob = session.get<User>(ids[1]);
    auto found = session.from_sql<User>("SELECT * FROM users WHERE name LIKE :p ORDER BY id", {{"p", "A%"}});
    REQUIRE(found.size() == 2);
    CHECK(found[0]->name == "Alice");
    CHECK(found[1]->name == "Anna");
    CHECK(found[0]->email == "alice@example.com");
    CHECK(found[0].get() == session.get<User>(ids[0]).get());  // get() finds the same object
    CHECK(session.contains(found[1]));
    // A row already in the session yields that object; columns in any order and any case,
    // extra columns ignored.
    auto again = session.from_sql<User>(
        "SELECT 'extra' AS note, AGE, Email, active, NAME, ID FROM users WHERE id IN (?, ?) ORDER BY id",
        {ids[1], ids[0]});
    REQUIRE(again.size() == 2);
    CHECK(again[0].get() == found[0].get());
    CHECK(again[1].get() == bob.get());
    // Unflushed changes are flushed first and never overwritten.
    bob->age = 99;
    auto b = session.from_sql<User>("SELECT * FROM users WHERE age = ?", {99});
    REQUIRE(b.size() == 1);
    CHECK(b[0].get() == bob.get());
    session.commit();
    // An expired object is refreshed from the row.
    f.conn().execute(sql_text("UPDATE users SET name = :n WHERE id = :id", {{"n", "Robert"}, {"id", ids[1]}}));
    auto fresh = session.from_sql<User>("SELECT * FROM users WHERE id = :id", {{"id", ids[1]}});
    REQUIRE(fresh.size() == 1);
    CHECK(fresh[0].get() == bob.get());
    CHECK(bob->name == "Robert");
    // A join row per object: each object once, in the order of its first row.
    auto joined = session.from_sql<User>("SELECT u.* FROM users u JOIN users v ON v.age >= u.age ORDER BY u.id", {});
    CHECK(joined.size() == 3);
    CHECK(session.from_sql<User>("SELECT * FROM users WHERE id < 0").empty());
}

TEST_CASE("raw sql: from_sql refuses results that do not describe the objects", "[orm][raw_sql]") {
    Fixture f;
    seed(f);
    Session session(f.db.engine(), registry());
    Error no_key = error_of([&] { session.from_sql<User>("SELECT name, email, age, active FROM users"); });
    CHECK(no_key.kind() == ErrorKind::usage);
    CHECK_THAT(no_key.what(), Catch::Contains("id (primary key)") && Catch::Contains("from_sql()"));
    Error no_column = error_of([&] { session.from_sql<User>("SELECT id, name, age, active FROM users"); });
    CHECK(no_column.kind() == ErrorKind::usage);
    CHECK_THAT(no_column.what(), Catch::Contains("no column email"));
    Error twice = error_of([&] { session.from_sql<User>("SELECT u.*, v.* FROM users u JOIN users v ON v.id = u.id"); });
    CHECK(twice.kind() == ErrorKind::usage);
    CHECK_THAT(twice.what(), Catch::Contains("twice"));
    CHECK(session.from_sql<User>("SELECT * FROM users").size() == 3);  // the session is still usable
}

TEST_CASE("raw sql: typed rows and Value rows", "[orm][raw_sql]") {
    Fixture f;
    auto ids = seed(f);
    Session session(f.db.engine(), registry());
    session.add(User{.name = "Anna", .age = 7});  // pending: flushed before the query
    auto counts = session.sql_rows<std::string, std::int64_t>(
        "SELECT name, count(*) FROM users WHERE name LIKE ? GROUP BY name ORDER BY name", {"A%"});
    REQUIRE(counts.size() == 2);
    CHECK(counts[0] == std::tuple<std::string, std::int64_t>{"Alice", 1});
    CHECK(counts[1] == std::tuple<std::string, std::int64_t>{"Anna", 2});
    auto emails = session.sql_rows<std::int64_t, std::optional<std::string>, int>(
        "SELECT id, email, age FROM users WHERE id IN (:a, :b) ORDER BY id", {{"a", ids[0]}, {"b", ids[1]}});
    REQUIRE(emails.size() == 2);
    CHECK(std::get<1>(emails[0]) == "alice@example.com");
    CHECK(std::get<1>(emails[1]) == std::nullopt);
    CHECK(std::get<2>(emails[1]) == 25);
    auto values = session.sql_rows<std::string, Value>("SELECT name, email FROM users WHERE id = ?", {ids[1]});
    REQUIRE(values.size() == 1);
    CHECK(is_null(std::get<1>(values[0])));

    ResultSet rs = session.sql_rows("SELECT name, age FROM users WHERE age > :min ORDER BY age", {{"min", 26}});
    REQUIRE(rs.columns.size() == 2);
    CHECK(rs.columns[1] == "age");
    REQUIRE(rs.rows.size() == 2);
    CHECK(rs.rows[0][0] == Value(std::string("Alice")));
    CHECK(rs.rows[1][1] == Value(std::int64_t{41}));
}

TEST_CASE("raw sql: typed rows refuse NULLs, wrong types and widths, naming the column", "[orm][raw_sql]") {
    Fixture f;
    auto ids = seed(f);
    Session session(f.db.engine(), registry());
    Error null_email =
        error_of([&] { session.sql_rows<std::string>("SELECT email FROM users WHERE id = ?", {ids[1]}); });
    CHECK(null_email.kind() == ErrorKind::database);
    CHECK_THAT(null_email.what(), Catch::Contains("column 1 (email) is NULL") && Catch::Contains("std::optional"));
    Error not_int = error_of([&] { session.sql_rows<std::int64_t>("SELECT name FROM users WHERE id = ?", {ids[0]}); });
    CHECK(not_int.kind() == ErrorKind::database);
    CHECK_THAT(not_int.what(), Catch::Contains("column 1 (name)"));
    Error width = error_of([&] { session.sql_rows<std::string>("SELECT name, age FROM users"); });
    CHECK(width.kind() == ErrorKind::usage);
    CHECK_THAT(width.what(), Catch::Contains("2 column(s) (name, age) but 1 type(s)"));
}

TEST_CASE("raw sql: parameter errors come before anything runs", "[orm][raw_sql]") {
    Fixture f;
    seed(f);
    Session session(f.db.engine(), registry());
    session.add(User{.name = "Pending"});
    const auto before = f.statements();
    auto usage = [&](auto&& call, const char* expected) {
        Error e = error_of(call);
        CHECK(e.kind() == ErrorKind::usage);
        CHECK_THAT(e.what(), Catch::Contains(expected));
    };
    usage([&] { session.execute("UPDATE users SET age = :a WHERE id = :id", {{"a", 1}}); }, "no value given for :id");
    usage([&] { session.execute("UPDATE users SET age = :a", {{"a", 1}, {"b", 2}}); }, ":b was given but");
    usage([&] { session.execute("UPDATE users SET age = ? WHERE id = ?", {1}); }, "2 ? placeholder(s) but 1 value(s)");
    usage([&] { session.execute("UPDATE users SET age = ?", {1, 2}); }, "1 ? placeholder(s) but 2 value(s)");
    usage([&] { session.execute("UPDATE users SET age = ? WHERE id = :id", {1}); }, "mixes ? and :name");
    usage([&] { session.from_sql<User>("SELECT * FROM users WHERE id = :id"); }, "no value given for :id");
    usage([&] { session.sql_rows<std::int64_t>("SELECT age FROM users WHERE id = ?"); }, "1 ? placeholder(s)");
    usage([&] { session.sql_rows("SELECT age FROM users WHERE id = :id", {5}); }, "given in order");
    if (testing::dialect() == "postgres")
        usage([&] { session.execute("UPDATE users SET age = $1", {1}); }, "native $N placeholders");
    CHECK(f.statements() == before);  // no flush, no statement
    CHECK_FALSE(session.in_transaction());
    session.commit();
    CHECK(f.query("SELECT id FROM users WHERE name = ?", {Value(std::string("Pending"))}).rows.size() == 1);
}

TEST_CASE("raw sql: strata::sql_text() on a raw connection", "[orm][raw_sql]") {
    Fixture f;
    Connection& c = f.conn();
    CHECK(c.execute(sql_text("INSERT INTO users (name, age, active) VALUES (:n, :a, :t)",
                             {{"n", kTricky}, {"a", 5}, {"t", true}})) == 1);
    CHECK(c.execute(sql_text("INSERT INTO users (name, age, active) VALUES (?, ?, ?)", {"Zed", 6, false})) == 1);
    ResultSet rs = c.query(
        sql_text("SELECT name FROM users WHERE name = :n OR age = :a ORDER BY age", {{"n", kTricky}, {"a", 6}}));
    REQUIRE(rs.rows.size() == 2);
    CHECK(rs.rows[0][0] == Value(kTricky));
    CHECK(rs.rows[1][0] == Value(std::string("Zed")));
    int seen = 0;
    c.query(sql_text("SELECT age FROM users WHERE age > ?", {5}), [&](const RowView&) { ++seen; });
    CHECK(seen == 1);
    CHECK(error_of([&] { c.execute(sql_text("DELETE FROM users WHERE id = :id")); }).kind() == ErrorKind::usage);
}
