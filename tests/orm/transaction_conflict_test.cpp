// Real transaction conflicts, on PostgreSQL and MySQL/MariaDB only (SQLite's single write
// lock makes the second writer wait for the first, so two sessions cannot deadlock there;
// tests/orm/CMakeLists.txt registers this file for the servers alone). Two sessions on two
// threads each update one row and flush (holding its lock), then update the other's row:
// each waits for the other and the database aborts one of them (PostgreSQL 40P01,
// MySQL/MariaDB 1213 / 40001).
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <latch>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;
using Catch::Matchers::Contains;

namespace {

struct Rows {
    std::int64_t a = 0;
    std::int64_t b = 0;
};

Rows two_users(Fixture& f) {
    Session s(f.db.engine(), registry());
    auto a = s.add(User{.name = "A", .age = 0});
    auto b = s.add(User{.name = "B", .age = 0});
    s.commit();
    return {a->id, b->id};
}

int age_of(Fixture& f, std::int64_t id) {
    auto rs = f.query("SELECT age FROM users WHERE id = ?", {Value(id)});
    return static_cast<int>(std::get<std::int64_t>(rs.rows.at(0).at(0)));
}

// Makes the two sides meet once both hold their first row's lock. A side that fails before
// it gets there still arrives (leave()), so that the other does not wait forever.
class Meeting {
public:
    void arrive_and_wait(int side) {
        arrived_[side] = true;
        latch_.arrive_and_wait();
    }
    void leave(int side) {
        if (!arrived_[side].exchange(true)) latch_.count_down();
    }

private:
    std::latch latch_{2};
    std::array<std::atomic<bool>, 2> arrived_{false, false};
};

// Side `side` of the deadlock: row `first` updated and flushed, the meeting (when given),
// then row `second`. Runs on its own thread, so it throws instead of using REQUIRE.
void update_in_order(Session& session, int side, const Rows& rows, Meeting* meeting) {
    auto x = session.get<User>(side == 0 ? rows.a : rows.b);
    auto y = session.get<User>(side == 0 ? rows.b : rows.a);
    if (!x || !y) throw std::runtime_error("a test row is missing");
    x->age += 1;
    session.flush();
    if (meeting) meeting->arrive_and_wait(side);
    y->age += 1;
}

// How one thread's side ended.
struct Outcome {
    bool committed = false;
    std::optional<Error> error;
    std::string other;  // any other exception's what()
};

// Runs the two sides on two threads; side i runs `side(i, outcome)`, exceptions captured.
std::array<Outcome, 2> run_sides(const std::function<void(int)>& side, Meeting& meeting) {
    std::array<Outcome, 2> out;
    auto run = [&](int i) {
        try {
            side(i);
            out[i].committed = true;
        } catch (const Error& e) {
            out[i].error = e;
        } catch (const std::exception& e) {
            out[i].other = e.what();
        }
        meeting.leave(i);
    };
    std::thread t0(run, 0);
    std::thread t1(run, 1);
    t0.join();
    t1.join();
    return out;
}

}  // namespace

TEST_CASE("orm: a deadlock fails the losing session's flush with a conflict that says what to do",
          "[orm][conflict]") {
    Fixture f;
    const Rows rows = two_users(f);
    Meeting meeting;
    auto out = run_sides(
        [&](int i) {
            Session session(f.db.engine(), registry());
            update_in_order(session, i, rows, &meeting);
            session.commit();
        },
        meeting);
    INFO("side 0: " << (out[0].error ? out[0].error->what() : out[0].other));
    INFO("side 1: " << (out[1].error ? out[1].error->what() : out[1].other));
    CHECK(out[0].other.empty());
    CHECK(out[1].other.empty());
    REQUIRE(out[0].committed != out[1].committed);  // one winner, one loser
    const Error& lost = *out[out[0].committed ? 1 : 0].error;
    CHECK(is_transaction_conflict(lost));
    CHECK(lost.kind() == ErrorKind::database);
    if (f.db.dialect().name() == "postgresql") {
        CHECK(lost.sqlstate() == "40P01");
    } else {
        CHECK(lost.sqlstate() == "40001");
        CHECK(lost.server_code() == 1213);
    }
    const std::string message = lost.what();
    CHECK_THAT(message, Contains("transaction conflict: the transaction lost to a concurrent one"));
    CHECK_THAT(message, Contains("nothing was committed"));
    CHECK_THAT(message, Contains("(while updating users"));
    CHECK_THAT(message, Contains("run the whole unit of work again"));
    CHECK_THAT(message, Contains("strata::run_transaction"));
    CHECK(message.find('\n') == std::string::npos);
    // Only the winner's updates are in the database.
    CHECK(age_of(f, rows.a) == 1);
    CHECK(age_of(f, rows.b) == 1);
}

TEST_CASE("orm: run_transaction runs the deadlock's loser again and both units of work are committed",
          "[orm][conflict]") {
    Fixture f;
    const Rows rows = two_users(f);
    Meeting meeting;
    std::array<std::atomic<int>, 2> attempts{0, 0};
    std::array<std::atomic<bool>, 2> done{false, false};
    std::atomic<int> conflicts = 0;
    RetryOptions options{.attempts = 3, .backoff = std::chrono::milliseconds(5)};
    options.on_conflict = [&](const Error& e, int) {
        if (is_transaction_conflict(e)) ++conflicts;
    };
    auto out = run_sides(
        [&](int i) {
            run_transaction(f.db.engine(), registry(), [&](Session& session) {
                const int n = ++attempts[i];
                // A retry reads the rows once the winner has committed: a read while the winner
                // still held its locks would see the old ages, and the retried UPDATE would then
                // overwrite the winner's (a lost update under READ COMMITTED, not a conflict).
                for (int waited = 0; n > 1 && !done[1 - i] && waited < 3000; ++waited)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                update_in_order(session, i, rows, n == 1 ? &meeting : nullptr);
            }, options);
            done[i] = true;
        },
        meeting);
    INFO("side 0: " << (out[0].error ? out[0].error->what() : out[0].other));
    INFO("side 1: " << (out[1].error ? out[1].error->what() : out[1].other));
    CHECK(out[0].committed);
    CHECK(out[1].committed);
    CHECK(conflicts == 1);
    CHECK(attempts[0] + attempts[1] == 3);  // the loser ran twice, the winner once
    // Each row was updated once by each side's committed attempt.
    CHECK(age_of(f, rows.a) == 2);
    CHECK(age_of(f, rows.b) == 2);
}
