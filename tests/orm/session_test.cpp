// Unit of work on every database: identity map, dirty tracking, flush order and keys,
// rollback, transactions and savepoints.
#include <catch2/catch.hpp>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;

namespace {

std::int64_t count_rows(Connection& c, const std::string& table) {
    auto rs = c.query("SELECT COUNT(*) FROM " + c.dialect().quote(table));
    return std::get<std::int64_t>(rs.rows.at(0).at(0));
}

}  // namespace

TEST_CASE("orm: add and commit write generated keys back into the objects", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto alice = session.add(User{.name = "Alice", .email = "alice@example.com", .age = 30});
    auto more = session.add_all({User{.name = "Bob", .age = 25}, User{.name = "Charlie", .age = 35}});
    REQUIRE(alice->id == 0);
    session.commit();
    CHECK(alice->id > 0);
    REQUIRE(more.size() == 2);
    CHECK(more[0]->id > alice->id);
    CHECK(more[1]->id > more[0]->id);
    CHECK(count_rows(f.conn(), "users") == 3);

    auto rs = f.query("SELECT name, email FROM users WHERE id = ?", {Value(alice->id)});
    REQUIRE(rs.rows.size() == 1);
    CHECK(std::get<std::string>(rs.rows[0][0]) == "Alice");
    CHECK(std::get<std::string>(rs.rows[0][1]) == "alice@example.com");
}

TEST_CASE("orm: the identity map gives one object per primary key", "[orm][session]") {
    Fixture f;
    std::int64_t id = 0;
    {
        Session s(f.db.engine(), registry());
        auto u = s.add(User{.name = "Dana"});
        s.commit();
        id = u->id;
    }
    Session session(f.db.engine(), registry());
    auto a = session.get<User>(id);
    REQUIRE(a);
    auto before = f.statements();
    auto b = session.get<User>(id);  // from the identity map: no statement
    CHECK(f.statements() == before);
    CHECK(a.get() == b.get());
    auto c = session.query<User>().filter_by(&User::name, "Dana").one();
    CHECK(c.get() == a.get());
    auto all = session.query<User>().all();
    REQUIRE(all.size() == 1);
    CHECK(all[0].get() == a.get());
    // A query does not overwrite unflushed changes... autoflush writes them first.
    a->age = 77;
    auto again = session.query<User>().first();
    CHECK(again.get() == a.get());
    CHECK(again->age == 77);
    CHECK(session.get<User>(id + 1000) == nullptr);
}

TEST_CASE("orm: dirty tracking updates only changed columns and nothing when unchanged", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto u = session.add(User{.name = "Eve", .email = "eve@example.com", .age = 40});
    session.commit();

    SECTION("no change, no statement") {
        auto before = f.statements();
        session.commit();
        session.flush();
        CHECK(f.statements() == before);
        CHECK_FALSE(session.is_modified(u));
    }
    SECTION("one changed column, one UPDATE of that column") {
        // Another connection changes the row's name behind the session's back: an UPDATE
        // of email only must not write the stale name back.
        auto other = f.db.engine().connect();
        other->execute(f.sql("UPDATE users SET name = ? WHERE id = ?"), {Value(std::string("Eve2")), Value(u->id)});
        u->email = "eve@new.example";
        CHECK(session.is_modified(u));
        auto before = f.statements();
        session.commit();
        // UPDATE + COMMIT (+ BEGIN on dialects that send it as a statement)
        CHECK(f.statements() - before <= 3);
        auto rs = f.query("SELECT name, email FROM users WHERE id = ?", {Value(u->id)});
        CHECK(std::get<std::string>(rs.rows[0][0]) == "Eve2");
        CHECK(std::get<std::string>(rs.rows[0][1]) == "eve@new.example");
        CHECK_FALSE(session.is_modified(u));
    }
    SECTION("setting a value back to the original is no change") {
        u->age = 41;
        u->age = 40;
        auto before = f.statements();
        session.flush();
        CHECK(f.statements() == before);
    }
    SECTION("optional set to nullopt writes NULL") {
        u->email.reset();
        session.commit();
        auto rs = f.query("SELECT email FROM users WHERE id = ?", {Value(u->id)});
        CHECK(is_null(rs.rows[0][0]));
    }
}

TEST_CASE("orm: remove deletes the row - remove of a pending object forgets it", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto a = session.add(User{.name = "A"});
    auto b = session.add(User{.name = "B"});
    session.commit();
    session.remove(b);
    session.commit();
    CHECK(count_rows(f.conn(), "users") == 1);
    CHECK_FALSE(session.contains(b));
    CHECK(session.get<User>(b->id) == nullptr);

    auto c = session.add(User{.name = "C"});
    session.remove(c);
    session.commit();
    CHECK(count_rows(f.conn(), "users") == 1);

    User stranger{.name = "stranger"};
    CHECK_THROWS_AS(session.remove(std::make_shared<User>(stranger)), Error);
}

TEST_CASE("orm: inserts go parents first and copy generated keys into children", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    // Children added before their parent; the parent reached through the relationship.
    auto dept = std::make_shared<Department>(Department{.name = "IT"});
    auto e1 = session.add(Employee{.name = "Ann", .department = dept});
    auto e2 = session.add(Employee{.name = "Ben", .department = dept});
    session.commit();
    REQUIRE(dept->id > 0);
    CHECK(session.contains(dept));
    CHECK(e1->department_id == dept->id);
    CHECK(e2->department_id == dept->id);
    auto rs = f.query("SELECT COUNT(*) FROM employees WHERE department_id = ?", {Value(dept->id)});
    CHECK(std::get<std::int64_t>(rs.rows[0][0]) == 2);

    // Through the one-to-many side: a new parent with new children.
    auto sales = std::make_shared<Department>(Department{.name = "Sales"});
    sales->employees.push_back(std::make_shared<Employee>(Employee{.name = "Cid"}));
    sales->employees.push_back(std::make_shared<Employee>(Employee{.name = "Dee"}));
    session.add(sales);
    session.commit();
    REQUIRE(sales->id > 0);
    for (auto& e : sales->employees) {
        CHECK(e->id > 0);
        CHECK(e->department_id == sales->id);
        CHECK(e->department.get() == sales);  // back-populated
    }
}

TEST_CASE("orm: a constraint violation rolls the session back and leaves it usable", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto first = session.add(User{.name = "Frank", .email = "dup@example.com"});
    session.commit();
    auto first_id = first->id;

    auto dup = session.add(User{.name = "Frank2", .email = "dup@example.com"});
    try {
        session.commit();
        FAIL("expected a unique violation");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::constraint);
        if (testing::dialect() != "sqlite" || !e.constraint().empty())
            CHECK(e.constraint() == naming::unique("users", {"email"}));
        CHECK(std::string(e.what()).find("uq_users_email") != std::string::npos);
    }
    CHECK_FALSE(session.contains(dup));
    CHECK(dup->id == 0);           // the failed insert left no key behind
    CHECK(first->id == first_id);  // earlier objects untouched
    CHECK(session.contains(first));

    // Still usable: a good insert and a query work.
    auto ok = session.add(User{.name = "Gina", .email = "gina@example.com"});
    session.commit();
    CHECK(ok->id > 0);
    CHECK(session.query<User>().count() == 2);
}

TEST_CASE("orm: a failed flush in the middle of a transaction undoes the whole unit of work", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto keep = session.add(User{.name = "Keep", .email = "k@example.com", .age = 1});
    session.commit();

    keep->age = 2;
    auto a = session.add(User{.name = "A", .email = "a@example.com"});
    session.flush();  // age=2 and A written, transaction open
    REQUIRE(a->id > 0);
    session.add(User{.name = "B", .email = "a@example.com"});  // duplicate email
    CHECK_THROWS_AS(session.flush(), Error);
    // Everything since the transaction began is gone: A is expunged with its key reset,
    // and keep is back to the database's state.
    CHECK_FALSE(session.contains(a));
    CHECK(a->id == 0);
    CHECK(keep->age == 1);
    CHECK(count_rows(f.conn(), "users") == 1);
    session.commit();
    CHECK(count_rows(f.conn(), "users") == 1);
}

TEST_CASE("orm: rollback discards pending work and restores loaded objects", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto u = session.add(User{.name = "Hal", .age = 10});
    session.commit();
    u->age = 11;
    auto v = session.add(User{.name = "Ivy"});
    session.flush();
    session.remove(u);
    session.rollback();
    CHECK(u->age == 10);
    CHECK(session.contains(u));
    CHECK_FALSE(session.contains(v));
    CHECK(count_rows(f.conn(), "users") == 1);
    // The session goes on working.
    u->name = "Hal2";
    session.commit();
    auto rs = f.query("SELECT name, age FROM users");
    CHECK(std::get<std::string>(rs.rows[0][0]) == "Hal2");
    CHECK(std::get<std::int64_t>(rs.rows[0][1]) == 10);
}

TEST_CASE("orm: the transaction guard rolls back unless committed and never throws", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    {
        auto tx = session.begin();
        CHECK(tx.active());
        session.add(User{.name = "Jo"});
        session.flush();
        CHECK_THROWS_AS(session.begin(), Error);  // one top-level transaction at a time
    }
    CHECK(count_rows(f.conn(), "users") == 0);
    CHECK_FALSE(session.in_transaction());
    {
        auto tx = session.begin();
        session.add(User{.name = "Kim"});
        tx.commit();
        CHECK_FALSE(tx.active());
        CHECK_THROWS_AS(tx.commit(), Error);
    }
    CHECK(count_rows(f.conn(), "users") == 1);
}

TEST_CASE("orm: savepoints undo only the nested work", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto tx = session.begin();
    auto outer = session.add(User{.name = "Outer", .age = 1});
    {
        auto sp = session.begin_nested();
        REQUIRE(outer->id > 0);  // begin_nested flushed
        outer->age = 2;
        session.add(User{.name = "Inner"});
        session.flush();
        sp.rollback();
    }
    CHECK(outer->age == 1);
    {
        auto sp = session.begin_nested();
        session.add(User{.name = "Kept"});
        sp.commit();
    }
    {
        // A failed flush inside a savepoint rolls back only to the savepoint.
        auto sp = session.begin_nested();
        session.add(User{.name = "Dup1", .email = "same@example.com"});
        session.add(User{.name = "Dup2", .email = "same@example.com"});
        CHECK_THROWS_AS(session.flush(), Error);
        CHECK_FALSE(sp.active());
    }
    tx.commit();
    auto names = session.query<User>().order_by(&User::name).all();
    REQUIRE(names.size() == 2);
    CHECK(names[0]->name == "Kept");
    CHECK(names[1]->name == "Outer");
}

TEST_CASE("orm: composite primary keys without generation", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    session.add(Membership{.group_id = 1, .member = "ann", .level = 1});
    session.add(Membership{.group_id = 1, .member = "bob", .level = 2});
    session.add(Membership{.group_id = 2, .member = "ann", .level = 3});
    session.commit();
    auto m = session.get<Membership>(1, "bob");
    REQUIRE(m);
    CHECK(m->level == 2);
    m->level = 5;
    session.commit();
    session.remove(session.get<Membership>(2, "ann"));
    session.commit();
    auto rs = f.query("SELECT group_id, member, level FROM memberships ORDER BY group_id, member");
    REQUIRE(rs.rows.size() == 2);
    CHECK(std::get<std::int64_t>(rs.rows[1][2]) == 5);
    CHECK(session.get<Membership>(2, "ann") == nullptr);
}

TEST_CASE("orm: changing a primary key of a loaded object is refused", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto u = session.add(User{.name = "Lee"});
    session.commit();
    u->id += 100;
    try {
        session.flush();
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("primary key") != std::string::npos);
    }
}

TEST_CASE("orm: a closed session refuses work and lazy loads say why", "[orm][session]") {
    Fixture f;
    std::shared_ptr<Employee> e;
    {
        Session session(f.db.engine(), registry());
        auto d = std::make_shared<Department>(Department{.name = "Ops"});
        session.add(Employee{.name = "Max", .department = d});
        session.commit();
    }
    {
        Session session(f.db.engine(), registry());
        e = session.query<Employee>().one();
    }
    try {
        (void)e->department.get();
        FAIL("expected an error");
    } catch (const Error& err) {
        CHECK(err.kind() == ErrorKind::usage);
        CHECK(std::string(err.what()).find("session is closed") != std::string::npos);
    }
}

TEST_CASE("orm: a transaction opened outside the session is joined through a savepoint", "[orm][session]") {
    Fixture f;
    Connection& conn = f.conn();
    conn.begin();
    {
        Session session(f.db.engine(), registry());
        session.add(User{.name = "Inside"});
        session.commit();  // releases the session's savepoint, does not commit the outer transaction
        CHECK(conn.in_transaction());
        CHECK(session.query<User>().count() == 1);
        session.add(User{.name = "Undone"});
        session.flush();
        session.rollback();  // back to the savepoint: only "Undone" goes
        CHECK(conn.in_transaction());
        CHECK(session.query<User>().count() == 1);
    }
    conn.rollback();  // the caller decides: nothing stays
    Session after(f.db.engine(), registry());
    CHECK(after.query<User>().count() == 0);
}

TEST_CASE("orm: get, refresh, close and moves", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto u = session.add(User{.name = "Ren", .age = 3});
    session.commit();
    CHECK_THROWS_AS(session.get<Membership>(1), Error);  // two key columns, one value given

    // Another connection changes the row; refresh() reads it back, dropping local changes.
    auto other = f.db.engine().connect();
    other->execute(f.sql("UPDATE users SET age = ? WHERE id = ?"), {Value(std::int64_t{30}), Value(u->id)});
    u->name = "local change";
    session.refresh(u);
    CHECK(u->age == 30);
    CHECK(u->name == "Ren");
    CHECK_FALSE(session.is_modified(u));

    // close() forgets everything but the session goes on.
    session.close();
    CHECK_FALSE(session.contains(u));
    auto again = session.get<User>(u->id);
    REQUIRE(again);
    CHECK(again.get() != u.get());

    Session moved = std::move(session);
    CHECK(moved.get<User>(u->id).get() == again.get());
    moved.add(User{.name = "Via move"});
    moved.commit();
    CHECK(moved.query<User>().count() == 2);
}

TEST_CASE("orm: autoflush can be turned off", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry(), SessionOptions{.autoflush = false});
    session.add(User{.name = "Later"});
    CHECK(session.query<User>().count() == 0);  // not flushed yet
    session.flush();
    CHECK(session.query<User>().count() == 1);
    session.rollback();
    CHECK(session.query<User>().count() == 0);
}

TEST_CASE("orm: rollback resets generated keys only", "[orm][session]") {
    Fixture f;
    Session session(f.db.engine(), registry());
    auto generated = session.add(User{.name = "Gen"});
    auto explicit_key = session.add(User{.id = 4242, .name = "Explicit"});
    session.flush();
    REQUIRE(generated->id > 0);
    REQUIRE(explicit_key->id == 4242);
    session.rollback();
    CHECK(generated->id == 0);
    CHECK(explicit_key->id == 4242);
    CHECK_FALSE(session.contains(explicit_key));
    // Both can be added again and get in.
    session.add(generated);
    session.add(explicit_key);
    session.commit();
    CHECK(generated->id > 0);
    CHECK(session.get<User>(4242).get() == explicit_key.get());
}
