// The bulk path on every database: add_all of many objects becomes multi-row INSERTs
// (within the bind-parameter limit), generated keys come back for every object.
#include <catch2/catch.hpp>

#include <set>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;

TEST_CASE("orm: add_all of many objects uses multi-row inserts and returns every key", "[orm][bulk]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    std::vector<User> users;
    const int n = 2500;
    for (int i = 0; i < n; ++i)
        users.push_back(User{.name = "user " + std::to_string(i), .email = "u" + std::to_string(i) + "@x.org",
                             .age = i % 97});
    auto added = s.add_all(std::move(users));
    auto before = f.statements();
    s.commit();
    auto statements = f.statements() - before;
    std::set<std::int64_t> ids;
    for (auto& u : added) ids.insert(u->id);
    CHECK(ids.size() == static_cast<std::size_t>(n));
    CHECK(*ids.begin() > 0);
    if (f.db.connection().capabilities().returning) {
        // A handful of INSERT ... RETURNING statements, not one per row.
        CHECK(statements <= 12);
    } else {
        // Without RETURNING each generated key is read after its own INSERT.
        CHECK(statements >= static_cast<std::uint64_t>(n));
    }
    // Keys match the rows: each object's id reads back its own name.
    auto& probe = added[1234];
    auto rs = f.query("SELECT name FROM users WHERE id = ?", {Value(probe->id)});
    CHECK(std::get<std::string>(rs.rows.at(0).at(0)) == probe->name);
    CHECK(s.query<User>().count() == n);
    // Loaded objects are the added ones (identity map), and nothing is dirty.
    before = f.statements();
    s.flush();
    CHECK(f.statements() == before);
    CHECK(s.get<User>(probe->id).get() == probe.get());
}

TEST_CASE("orm: explicit keys are inserted in multi-row batches on every database", "[orm][bulk]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    std::vector<Membership> rows;
    for (int g = 0; g < 30; ++g)
        for (int m = 0; m < 40; ++m) rows.push_back(Membership{.group_id = g, .member = "m" + std::to_string(m), .level = m});
    s.add_all(std::move(rows));
    auto before = f.statements();
    s.commit();
    CHECK(f.statements() - before <= 8);
    CHECK(s.query<Membership>().count() == 1200);
    CHECK(s.query<Membership>().filter(col(&Membership::level) >= 20).count() == 600);
}

TEST_CASE("orm: a failing row in a bulk insert rolls back the whole batch", "[orm][bulk]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    std::vector<User> users;
    for (int i = 0; i < 300; ++i) users.push_back(User{.name = "n", .email = "e" + std::to_string(i % 250)});
    auto added = s.add_all(std::move(users));
    CHECK_THROWS_AS(s.commit(), Error);
    for (auto& u : added) {
        CHECK(u->id == 0);
        CHECK_FALSE(s.contains(u));
    }
    CHECK(s.query<User>().count() == 0);
}

TEST_CASE("orm: mass update and delete of loaded objects", "[orm][bulk]") {
    Fixture f;
    {
        Session s(f.db.engine(), registry());
        std::vector<User> users;
        for (int i = 0; i < 600; ++i) users.push_back(User{.name = "n" + std::to_string(i), .age = i});
        s.add_all(std::move(users));
        s.commit();
    }
    Session s(f.db.engine(), registry());
    auto all = s.query<User>().all();
    REQUIRE(all.size() == 600);
    for (auto& u : all) u->age += 1000;
    auto before = f.statements();
    s.commit();
    CHECK(f.statements() - before >= 600);  // one UPDATE per changed object, prepared once
    CHECK(s.query<User>().filter(col(&User::age) >= 1000).count() == 600);
    for (std::size_t i = 0; i < all.size(); i += 2) s.remove(all[i]);
    before = f.statements();
    s.commit();
    CHECK(f.statements() - before <= 4);  // DELETE ... WHERE id IN (...) in batches
    CHECK(s.query<User>().count() == 300);
}
