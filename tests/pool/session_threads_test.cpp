// Sessions own their connections: two sessions on one engine are two transactions, one
// Session per thread on a shared Engine is safe, one Session in two threads is refused,
// and a Session made inside a transaction on the engine's own connection joins it.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "orm/orm.hpp"
#include "pool_models.hpp"
#include "support/test_database.hpp"

using namespace strata;
using pool_tests::count_jobs;
using pool_tests::Job;
using strata::testing::TestDatabase;

namespace {

struct JobsDb {
    TestDatabase db;
    JobsDb() { pool_tests::registry().create_all(db.engine()); }
    Session session() { return Session(db.engine(), pool_tests::registry()); }
};

}  // namespace

TEST_CASE("sessions: two sessions on one engine are independent transactions", "[pool][session]") {
    JobsDb j;
    Session s1 = j.session();
    Session s2 = j.session();
    s1.add(Job{.worker = 1, .seq = 1, .note = "kept?"});
    s1.flush();  // s1's transaction is open
    if (j.db.dialect().name() != "sqlite") {
        // Servers: s2 writes and commits inside s1's open transaction.
        s2.add(Job{.worker = 2, .seq = 1, .note = "committed"});
        s2.commit();
        s1.rollback();
    } else {
        // SQLite has one writer at a time: s1 rolls back first, then s2 writes.
        s1.rollback();
        s2.add(Job{.worker = 2, .seq = 1, .note = "committed"});
        s2.commit();
    }
    CHECK(count_jobs(j.db.connection(), 1) == 0);  // s1's row is gone
    CHECK(count_jobs(j.db.connection(), 2) == 1);  // s2's commit was not undone by s1's rollback
    CHECK(j.db.engine().pool_status().checked_out == 1);  // only the engine's own connection
}

TEST_CASE("sessions: a session returns its connection at commit, rollback and close", "[pool][session]") {
    JobsDb j;
    Engine& e = j.db.engine();
    const std::size_t base = e.pool_status().checked_out;  // the fixture's own connection
    Session s = j.session();
    CHECK(e.pool_status().checked_out == base);  // nothing checked out before a statement
    s.add(Job{.worker = 1, .seq = 1, .note = "a"});
    s.flush();
    CHECK(e.pool_status().checked_out == base + 1);
    s.commit();
    CHECK(e.pool_status().checked_out == base);
    CHECK(s.query<Job>().count() == 1);  // checks out again
    CHECK(e.pool_status().checked_out == base + 1);
    s.rollback();
    CHECK(e.pool_status().checked_out == base);
    auto job = s.query<Job>().one();
    s.close();
    CHECK(e.pool_status().checked_out == base);
}

TEST_CASE("sessions: four threads with a session each insert through one engine", "[pool][session][threads]") {
    JobsDb j;
    constexpr int kThreads = 4;
    constexpr int kRows = 200;
    Engine engine = j.db.engine();  // a copy per thread is the same pool
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int w = 0; w < kThreads; ++w) {
        threads.emplace_back([&, w] {
            try {
                Session s(engine, pool_tests::registry());
                for (int i = 0; i < kRows; ++i) {
                    s.add(Job{.worker = w, .seq = i, .note = "worker " + std::to_string(w) + " it's \"row\" " +
                                                           std::to_string(i)});
                    if (i % 20 == 19) s.commit();
                }
                s.commit();
                // Each thread reads its own rows back through its session.
                auto mine = s.query<Job>().filter(col(&Job::worker) == w).order_by(&Job::seq).all();
                if (mine.size() != kRows || mine.back()->seq != kRows - 1)
                    errors[w] = "read back " + std::to_string(mine.size()) + " rows";
            } catch (const std::exception& e) {
                errors[w] = e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    for (int w = 0; w < kThreads; ++w) {
        INFO("worker " << w);
        CHECK(errors[w].empty());
        CHECK(count_jobs(j.db.connection(), w) == kRows);
    }
    CHECK(count_jobs(j.db.connection()) == kThreads * kRows);
    PoolStatus st = engine.pool_status();
    CHECK(st.checked_out == 1);  // only the engine's own connection is still out
    CHECK(st.created <= 1 + kThreads);
}

TEST_CASE("sessions: one session used by two threads at once is refused", "[pool][session][threads][errors]") {
    JobsDb j;
    Session s = j.session();
    s.add(Job{.worker = 1, .seq = 1, .note = "x"});
    s.commit();
    // A statement that runs for about a second on each database.
    const std::string_view d = j.db.dialect().name();
    const std::string slow =
        d == "postgresql" ? "SELECT pg_sleep(1.5)"
        : d == "mysql"    ? "SELECT SLEEP(1.5)"
                          : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) "
                            "SELECT COUNT(*) FROM c";
    std::atomic<bool> started{false};
    std::string first_error;
    std::thread first([&] {
        try {
            started = true;
            (void)s.sql_rows(slow);
        } catch (const std::exception& e) {
            first_error = e.what();
        }
    });
    while (!started) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    try {
        (void)s.query<Job>().count();
        FAIL("a second thread used the session while the first was inside a statement");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("in use by another thread") != std::string::npos);
    }
    first.join();
    CHECK(first_error.empty());
    // Handing a session over between threads one after the other is fine.
    std::thread later([&] { CHECK(s.query<Job>().count() == 1); });
    later.join();
}

TEST_CASE("sessions: a session made during the engine's own transaction joins it", "[pool][session]") {
    JobsDb j;
    Connection& own = j.db.connection();
    own.begin();
    {
        Session s = j.session();
        s.add(Job{.worker = 7, .seq = 1, .note = "joined"});
        s.commit();  // releases its savepoint: still inside own's transaction
        CHECK(own.in_transaction());
        CHECK(count_jobs(own, 7) == 1);
    }
    own.rollback();
    CHECK(count_jobs(own, 7) == 0);
}
