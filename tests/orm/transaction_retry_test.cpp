// run_transaction (orm/transaction_retry.hpp) on every database: the work is committed
// once, an error that is not a transaction conflict stops it at once, and conflicts are
// retried up to RetryOptions::attempts, then reported with the number of attempts. The
// conflicts here are thrown by the work itself, as a database reports one (SQLite cannot
// make two transactions conflict); real ones are in transaction_conflict_test.cpp
// (PostgreSQL and MySQL/MariaDB only).
#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;
using Catch::Matchers::Contains;

namespace {

// SQLSTATE 40001 with MySQL's ER_LOCK_DEADLOCK, as a Galera node reports a certification
// conflict at COMMIT.
Error simulated_conflict() {
    return Error(ErrorKind::database, "Deadlock found when trying to get lock; try restarting transaction",
                 ErrorDetails{.sqlstate = "40001", .server_code = 1213});
}

std::int64_t count_users(Fixture& f) {
    return std::get<std::int64_t>(f.query("SELECT COUNT(*) FROM users").rows.at(0).at(0));
}

RetryOptions quick(int attempts) {
    return RetryOptions{.attempts = attempts, .backoff = std::chrono::milliseconds(1)};
}

}  // namespace

TEST_CASE("orm: run_transaction commits the work once and returns its result", "[orm][retry]") {
    Fixture f;
    int calls = 0;
    auto id = run_transaction(f.db.engine(), registry(), [&](Session& session) {
        ++calls;
        auto u = session.add(User{.name = "Ann", .age = 30});
        session.flush();
        return u->id;
    });
    CHECK(calls == 1);
    CHECK(id > 0);
    CHECK(count_users(f) == 1);
    auto rs = f.query("SELECT name FROM users WHERE id = ?", {Value(id)});
    REQUIRE(rs.rows.size() == 1);
    CHECK(std::get<std::string>(rs.rows[0][0]) == "Ann");
}

TEST_CASE("orm: run_transaction runs a work that fails with another error once", "[orm][retry]") {
    Fixture f;
    run_transaction(f.db.engine(), registry(),
                    [](Session& session) { session.add(User{.name = "First", .email = "same@example.com"}); });
    int calls = 0;
    int conflicts = 0;
    RetryOptions options = quick(5);
    options.on_conflict = [&](const Error&, int) { ++conflicts; };

    SECTION("a database error: the unique email") {
        try {
            run_transaction(f.db.engine(), registry(), [&](Session& session) {
                ++calls;
                session.add(User{.name = "Second", .age = 1});
                session.add(User{.name = "Third", .email = "same@example.com"});
            }, options);
            FAIL("the duplicate email was accepted");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::constraint);
            CHECK_FALSE(is_transaction_conflict(e));
        }
    }
    SECTION("an exception of the program") {
        CHECK_THROWS_AS(run_transaction(f.db.engine(), registry(), [&](Session& session) {
            ++calls;
            session.add(User{.name = "Second", .age = 1});
            session.flush();
            throw std::runtime_error("the program changed its mind");
        }, options), std::runtime_error);
    }
    CHECK(calls == 1);
    CHECK(conflicts == 0);
    CHECK(count_users(f) == 1);  // the attempt's writes were rolled back
}

TEST_CASE("orm: run_transaction runs the work again after a conflict, each time in a new session", "[orm][retry]") {
    Fixture f;
    int calls = 0;
    std::vector<int> reported;
    std::shared_ptr<User> first_attempt;
    RetryOptions options = quick(3);
    options.on_conflict = [&](const Error& e, int attempt) {
        CHECK(is_transaction_conflict(e));
        reported.push_back(attempt);
    };
    run_transaction(f.db.engine(), registry(), [&](Session& session) {
        ++calls;
        auto u = session.add(User{.name = "Retried", .age = calls});
        if (first_attempt) CHECK_FALSE(session.contains(first_attempt));
        else first_attempt = u;
        session.flush();  // written, then undone by the conflict
        if (calls < 3) throw simulated_conflict();
    }, options);
    CHECK(calls == 3);
    CHECK(reported == std::vector<int>{1, 2});
    // Only the third attempt's row is committed.
    auto rs = f.query("SELECT age FROM users");
    REQUIRE(rs.rows.size() == 1);
    CHECK(std::get<std::int64_t>(rs.rows[0][0]) == 3);
}

TEST_CASE("orm: run_transaction gives up after the last attempt and says how many were made", "[orm][retry]") {
    Fixture f;
    int calls = 0;
    int conflicts = 0;
    RetryOptions options = quick(3);
    options.on_conflict = [&](const Error&, int) { ++conflicts; };
    try {
        run_transaction(f.db.engine(), registry(), [&](Session& session) {
            ++calls;
            session.add(User{.name = "Never"});
            session.flush();
            throw simulated_conflict();
        }, options);
        FAIL("run_transaction returned although every attempt lost");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Contains("gave up after 3 attempts"));
        CHECK_THAT(e.what(), Contains("nothing was committed"));
        CHECK_THAT(e.what(), Contains("Deadlock found"));
        CHECK(is_transaction_conflict(e));
        CHECK(e.kind() == ErrorKind::database);
        CHECK(e.sqlstate() == "40001");
        CHECK(e.server_code() == 1213);
    }
    CHECK(calls == 3);
    CHECK(conflicts == 2);  // the last conflict is thrown, not reported
    CHECK(count_users(f) == 0);
}

TEST_CASE("orm: run_transaction refuses bad options before running the work", "[orm][retry]") {
    Fixture f;
    int calls = 0;
    auto work = [&](Session&) { ++calls; };
    CHECK_THROWS_WITH(run_transaction(f.db.engine(), registry(), work, RetryOptions{.attempts = 0}),
                      Contains("RetryOptions::attempts is 0"));
    CHECK_THROWS_WITH(run_transaction(f.db.engine(), registry(), work,
                                      RetryOptions{.backoff = std::chrono::milliseconds(-1)}),
                      Contains("RetryOptions::backoff"));
    CHECK(calls == 0);
}

TEST_CASE("orm: run_transaction inside an enclosing transaction makes one attempt", "[orm][retry]") {
    Fixture f;
    Connection& outer = f.conn();
    outer.begin();  // e.g. a migration's data fix: the session joins this transaction
    int calls = 0;
    try {
        run_transaction(f.db.engine(), registry(), [&](Session&) {
            ++calls;
            throw simulated_conflict();
        }, quick(3));
        FAIL("the conflict was not reported");
    } catch (const Error& e) {
        // The enclosing transaction is the one to run again: the conflict goes to its owner as it came.
        CHECK(std::string(e.what()) == simulated_conflict().what());
    }
    outer.rollback();
    CHECK(calls == 1);
}
