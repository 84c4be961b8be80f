// Queries on every database: each filter operator, ordering, paging, joins, counts,
// aggregates, and the one()/first() contracts.
#include <catch2/catch.hpp>

#include <algorithm>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;

namespace {

struct People : Fixture {
    Session session{db.engine(), registry()};
    People() {
        session.add_all({
            User{.name = "Alice", .email = "alice@example.com", .age = 30, .active = true},
            User{.name = "Bob", .email = std::nullopt, .age = 25, .active = false},
            User{.name = "Charlie", .email = "charlie@example.com", .age = 35, .active = true},
            User{.name = "Dave", .email = std::nullopt, .age = 40, .active = true},
            User{.name = "Eve", .email = "eve@example.org", .age = 22, .active = false},
        });
        session.commit();
    }
    std::vector<std::string> names(const std::vector<std::shared_ptr<User>>& users) {
        std::vector<std::string> out;
        for (auto& u : users) out.push_back(u->name);
        std::sort(out.begin(), out.end());
        return out;
    }
    std::vector<std::string> names(Expression e) { return names(session.query<User>().filter(std::move(e)).all()); }
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("orm: comparison operators", "[orm][query]") {
    People p;
    CHECK(p.names(col(&User::name) == "Alice") == V{"Alice"});
    CHECK(p.names(col(&User::name) != "Alice") == V{"Bob", "Charlie", "Dave", "Eve"});
    CHECK(p.names(col(&User::age) < 25) == V{"Eve"});
    CHECK(p.names(col(&User::age) <= 25) == V{"Bob", "Eve"});
    CHECK(p.names(col(&User::age) > 35) == V{"Dave"});
    CHECK(p.names(col(&User::age) >= 35) == V{"Charlie", "Dave"});
    CHECK(p.names(30 == col(&User::age)) == V{"Alice"});
    CHECK(p.names(col(&User::age) > 34.5) == V{"Charlie", "Dave"});  // a fraction is not truncated
    CHECK(p.names(col(&User::age) < 22.5) == V{"Eve"});
    CHECK(p.names(40 > col(&User::age)) == V{"Alice", "Bob", "Charlie", "Eve"});
    CHECK(p.names(col(&User::active) == true) == V{"Alice", "Charlie", "Dave"});
    CHECK(p.names(col(&User::active) == false) == V{"Bob", "Eve"});
}

TEST_CASE("orm: like, in, between, is null", "[orm][query]") {
    People p;
    CHECK(p.names(col(&User::email).like("%@example.com")) == V{"Alice", "Charlie"});
    CHECK(p.names(col(&User::name).like("_ve")) == V{"Eve"});
    CHECK(p.names(col(&User::name).not_like("%a%") && col(&User::name).not_like("A%")) == V{"Bob", "Eve"});
    CHECK(p.names(col(&User::name).in({"Alice", "Eve", "Nobody"})) == V{"Alice", "Eve"});
    CHECK(p.names(col(&User::age).in(std::vector<int>{})).empty());
    CHECK(p.names(col(&User::age).not_in({30, 40})) == V{"Bob", "Charlie", "Eve"});
    CHECK(p.names(col(&User::age).not_in(std::vector<int>{})).size() == 5);
    CHECK(p.names(col(&User::age).between(25, 35)) == V{"Alice", "Bob", "Charlie"});
    CHECK(p.names(col(&User::email).is_null()) == V{"Bob", "Dave"});
    CHECK(p.names(col(&User::email).is_not_null()) == V{"Alice", "Charlie", "Eve"});
    CHECK(p.names(col(&User::email) == std::nullopt) == V{"Bob", "Dave"});
    CHECK(p.names(col(&User::email) != strata::null) == V{"Alice", "Charlie", "Eve"});
}

TEST_CASE("orm: like escapes: a backslash makes % literal on every database", "[orm][query]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    s.add(User{.name = "100% sure"});
    s.add(User{.name = "100 percent"});
    s.commit();
    auto found = s.query<User>().filter(col(&User::name).like("100\\%%")).all();
    REQUIRE(found.size() == 1);
    CHECK(found[0]->name == "100% sure");
}

TEST_CASE("orm: and, or, not", "[orm][query]") {
    People p;
    CHECK(p.names(col(&User::name) == "Alice" || col(&User::name) == "Bob") == V{"Alice", "Bob"});
    CHECK(p.names(col(&User::active) == true && col(&User::age) > 30) == V{"Charlie", "Dave"});
    CHECK(p.names(!(col(&User::age) > 30)) == V{"Alice", "Bob", "Eve"});
    CHECK(p.names((col(&User::age) < 25 || col(&User::age) > 35) && col(&User::active) == true) == V{"Dave"});
    // Several filter() calls are AND-ed.
    CHECK(p.names(p.session.query<User>().filter(col(&User::age) > 20).filter(col(&User::age) < 30).all()) ==
          V{"Bob", "Eve"});
    CHECK(p.names(p.session.query<User>().filter_by(&User::name, "Dave").all()) == V{"Dave"});
}

TEST_CASE("orm: order_by on several columns, limit and offset", "[orm][query]") {
    People p;
    auto by_name_desc = p.session.query<User>().order_by(strata::desc(&User::name)).all();
    REQUIRE(by_name_desc.size() == 5);
    CHECK(by_name_desc.front()->name == "Eve");
    CHECK(by_name_desc.back()->name == "Alice");

    auto by_active_then_age =
        p.session.query<User>().order_by(strata::desc(&User::active), strata::asc(&User::age)).all();
    std::vector<std::string> got;
    for (auto& u : by_active_then_age) got.push_back(u->name);
    CHECK(got == V{"Alice", "Charlie", "Dave", "Eve", "Bob"});

    auto page = p.session.query<User>().order_by(&User::age).limit(2).offset(1).all();
    REQUIRE(page.size() == 2);
    CHECK(page[0]->name == "Bob");
    CHECK(page[1]->name == "Alice");
    auto tail = p.session.query<User>().order_by(&User::age).offset(3).all();
    REQUIRE(tail.size() == 2);
    CHECK(tail[0]->name == "Charlie");
    CHECK(p.session.query<User>().limit(0).all().empty());
    CHECK_THROWS_AS(p.session.query<User>().limit(-1), Error);
}

TEST_CASE("orm: first, one, one_or_none", "[orm][query]") {
    People p;
    CHECK(p.session.query<User>().order_by(&User::age).first()->name == "Eve");
    CHECK(p.session.query<User>().filter(col(&User::age) > 100).first() == nullptr);
    CHECK(p.session.query<User>().filter_by(&User::name, "Bob").one()->age == 25);
    try {
        p.session.query<User>().filter(col(&User::age) > 100).one();
        FAIL("expected not_found");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::not_found);
    }
    try {
        p.session.query<User>().one();
        FAIL("expected multiple_results");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::multiple_results);
    }
    CHECK(p.session.query<User>().filter(col(&User::age) > 100).one_or_none() == nullptr);
}

TEST_CASE("orm: count, exists and aggregates", "[orm][query]") {
    People p;
    CHECK(p.session.query<User>().count() == 5);
    CHECK(p.session.query<User>().filter(col(&User::active) == true).count() == 3);
    CHECK(p.session.query<User>().order_by(&User::age).limit(2).count() == 2);
    CHECK(p.session.query<User>().offset(4).count() == 1);
    CHECK(p.session.query<User>().filter_by(&User::name, "Eve").exists());
    CHECK_FALSE(p.session.query<User>().filter_by(&User::name, "Zed").exists());
    CHECK(p.session.query<User>().scalar<int>(strata::max(&User::age)) == 40);
    CHECK(p.session.query<User>().scalar<int>(strata::min(&User::age)) == 22);
    CHECK(p.session.query<User>().scalar<std::int64_t>(strata::sum(&User::age)) == 152);
    CHECK(p.session.query<User>().scalar<std::int64_t>(strata::count(&User::email)) == 3);
    CHECK(p.session.query<User>().scalar<std::int64_t>(strata::count()) == 5);
    auto avg = p.session.query<User>().scalar<double>(strata::avg(&User::age));
    REQUIRE(avg);
    CHECK(*avg == Approx(30.4));
    CHECK_FALSE(p.session.query<User>().filter(col(&User::age) > 100).scalar<int>(strata::max(&User::age)));

    auto rows = p.session.query<User>()
                    .group_by(&User::active)
                    .order_by(&User::active)
                    .rows({col(&User::active), strata::count()});
    REQUIRE(rows.size() == 2);
    CHECK(detail::value_to_int64(rows[0][1], "count") == 2);  // inactive
    CHECK(detail::value_to_int64(rows[1][1], "count") == 3);  // active
    auto having = p.session.query<User>()
                      .group_by(&User::active)
                      .having(strata::count() > 2)
                      .rows({col(&User::active)});
    REQUIRE(having.size() == 1);
    CHECK(detail::value_to_bool(having[0][0]));
}

TEST_CASE("orm: queries see unflushed changes through autoflush", "[orm][query]") {
    People p;
    p.session.add(User{.name = "Fred", .age = 50});
    CHECK(p.session.query<User>().filter(col(&User::age) >= 50).count() == 1);
    auto bob = p.session.query<User>().filter_by(&User::name, "Bob").one();
    bob->age = 99;
    CHECK(p.session.query<User>().filter(col(&User::age) == 99).one().get() == bob.get());
}

TEST_CASE("orm: join along a foreign key and with an explicit condition", "[orm][query]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto it = std::make_shared<Department>(Department{.name = "IT"});
    auto hr = std::make_shared<Department>(Department{.name = "HR"});
    s.add(Employee{.name = "Ann", .department = it});
    s.add(Employee{.name = "Ben", .department = it});
    s.add(Employee{.name = "Cat", .department = hr});
    s.add(Employee{.name = "Dan"});
    s.commit();

    auto in_it = s.query<Employee>().join<Department>().filter(col(&Department::name) == "IT").order_by(&Employee::name).all();
    REQUIRE(in_it.size() == 2);
    CHECK(in_it[0]->name == "Ann");
    CHECK(in_it[1]->name == "Ben");

    // From the parent side: each department once, even with several matching rows.
    auto depts = s.query<Department>().join<Employee>().filter(col(&Employee::name).like("%n")).all();
    REQUIRE(depts.size() == 1);
    CHECK(depts[0]->name == "IT");
    CHECK(s.query<Department>().join<Employee>().count() == 2);

    auto explicit_on = s.query<Employee>()
                           .join<Department>(col(&Employee::department_id) == col(&Department::id))
                           .filter(col(&Department::name) == "HR")
                           .all();
    REQUIRE(explicit_on.size() == 1);
    CHECK(explicit_on[0]->name == "Cat");

    auto with_outer = s.query<Employee>().outer_join<Department>().filter(col(&Department::id).is_null()).all();
    REQUIRE(with_outer.size() == 1);
    CHECK(with_outer[0]->name == "Dan");

    // A member of a model that is not in the query is a clear error.
    CHECK_THROWS_AS(s.query<Employee>().filter(col(&Department::name) == "IT").all(), Error);
    // No foreign key between the tables: the join needs a condition.
    CHECK_THROWS_AS(s.query<User>().join<Department>().all(), Error);
}

TEST_CASE("orm: statements are prepared once and reused", "[orm][query]") {
    People p;
    auto prepares = [&] { return p.db.engine().stats().prepares; };
    (void)p.session.query<User>().filter(col(&User::age) > 1).all();
    auto before = prepares();
    for (int i = 0; i < 5; ++i) (void)p.session.query<User>().filter(col(&User::age) > i).all();
    CHECK(prepares() == before);
}
