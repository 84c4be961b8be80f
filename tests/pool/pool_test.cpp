// The connection pool on every database: checkout and return, reuse, overflow, the
// checkout timeout, reset on return, recycling and pre-ping, waiting across threads.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "dialects/engine.hpp"
#include "pool_models.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;
using pool_tests::count_jobs;

namespace {

EngineOptions pooled(std::size_t size, std::size_t overflow, double timeout = 30) {
    EngineOptions o;
    o.pool.pool_size = size;
    o.pool.max_overflow = overflow;
    o.pool.timeout_seconds = timeout;
    return o;
}

struct JobsDb {
    TestDatabase db;
    explicit JobsDb(EngineOptions o = {}) : db(o) { pool_tests::registry().create_all(db.engine()); }
    // An engine of its own on the same database, with these pool options.
    Engine engine(EngineOptions o) const { return create_engine(db.url(), o); }
};

}  // namespace

TEST_CASE("pool: a connection is returned at scope end and reused by the next checkout", "[pool]") {
    JobsDb j;
    Engine e = j.engine(pooled(2, 0));
    Connection* first = nullptr;
    {
        PooledConnection c = e.connect();
        first = c.get();
        CHECK(count_jobs(*c) == 0);
        PoolStatus s = e.pool_status();
        CHECK(s.checked_out == 1);
        CHECK(s.idle == 0);
        CHECK(s.created == 1);
    }
    PoolStatus s = e.pool_status();
    CHECK(s.checked_out == 0);
    CHECK(s.idle == 1);
    PooledConnection again = e.connect();
    CHECK(again.get() == first);
    CHECK(e.pool_status().created == 1);
    again.release();
    again.release();  // idempotent
    CHECK(e.pool_status().idle == 1);
}

TEST_CASE("pool: a full pool makes a checkout wait, then fail with pool_timeout", "[pool][errors]") {
    JobsDb j;
    Engine e = j.engine(pooled(1, 1, 0.2));
    PooledConnection a = e.connect();
    PooledConnection b = e.connect();  // the overflow connection
    auto started = std::chrono::steady_clock::now();
    try {
        (void)e.connect();
        FAIL("a third checkout succeeded with pool_size 1 + max_overflow 1");
    } catch (const Error& err) {
        CHECK(err.kind() == ErrorKind::pool_timeout);
        std::string msg = err.what();
        CHECK(msg.find("within 0.2 s") != std::string::npos);
        CHECK(msg.find("pool_size 1 + max_overflow 1") != std::string::npos);
    }
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(190));
    CHECK(e.pool_status().timeouts == 1);
    // The overflow connection is closed on return; the pool keeps pool_size.
    b.release();
    a.release();
    PoolStatus s = e.pool_status();
    CHECK(s.idle == 1);
    CHECK(s.created == 2);
    CHECK(s.checked_out == 0);
}

TEST_CASE("pool: a waiting checkout gets the connection another thread returns", "[pool][threads]") {
    JobsDb j;
    Engine e = j.engine(pooled(1, 0, 10));
    PooledConnection held = e.connect();
    Connection* c = held.get();
    std::thread returner([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        held.release();
    });
    PooledConnection got = e.connect();
    returner.join();
    CHECK(got.get() == c);
    CHECK(e.pool_status().created == 1);
}

TEST_CASE("pool: a transaction left open is rolled back when the connection is returned", "[pool][transactions]") {
    JobsDb j;
    Engine e = j.engine(pooled(1, 0));
    {
        PooledConnection c = e.connect();
        c->begin();
        c->execute(strata::testing::with_placeholders(c->dialect(),
                                                     "INSERT INTO jobs (worker, seq, note) VALUES (?, ?, ?)"),
                   {Value(std::int64_t{1}), Value(std::int64_t{1}), Value("left open")});
        CHECK(count_jobs(*c) == 1);
    }
    PooledConnection c = e.connect();
    CHECK_FALSE(c->in_transaction());
    CHECK(count_jobs(*c) == 0);
    CHECK(e.pool_status().discarded == 0);
}

TEST_CASE("pool: pre_ping and recycle replace connections at checkout", "[pool]") {
    JobsDb j;
    EngineOptions o = pooled(1, 0);
    SECTION("recycle_seconds = 0: every checkout opens a fresh connection") {
        o.pool.recycle_seconds = 0;
        Engine e = j.engine(o);
        { PooledConnection c = e.connect(); }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        { PooledConnection c = e.connect(); }
        CHECK(e.pool_status().created == 2);
        CHECK(e.pool_status().discarded == 1);
    }
    SECTION("pre_ping on a healthy connection keeps it and is not counted as a statement") {
        o.pool.pre_ping = true;
        Engine e = j.engine(o);
        { PooledConnection c = e.connect(); }
        auto before = e.stats().statements;
        { PooledConnection c = e.connect(); }
        CHECK(e.stats().statements == before);
        CHECK(e.pool_status().created == 1);
        CHECK(e.pool_status().discarded == 0);
    }
}

TEST_CASE("pool: engine copies share one pool - the engine's own connection is one checkout", "[pool]") {
    JobsDb j;
    Engine e = j.engine(pooled(3, 0));
    Engine copy = e;  // NOLINT: a copy on purpose
    Connection& own = e.connection();
    CHECK(&copy.connection() == &own);
    CHECK(copy.pool_status().checked_out == 1);
    PooledConnection c = copy.connect();
    CHECK(c.get() != &own);
    CHECK(e.pool_status().checked_out == 2);
    CHECK(e.stats().statements == 0);
    (void)count_jobs(*c);
    (void)count_jobs(own);
    CHECK(copy.stats().statements == 2);
}

TEST_CASE("pool: a failed open gives its slot back", "[pool][errors]") {
    JobsDb j;
    std::string url = j.db.url();
    // A URL whose database does not exist: every open fails, none may leak a slot.
    Url bad = Url::parse(url);
    if (bad.dialect == "sqlite") {
        bad.database += ".missing/none.db";  // in a directory that does not exist
    } else {
        bad = bad.with_database("strata_no_such_database_here");
    }
    Engine e = create_engine(bad.str(), pooled(1, 0, 0.1));
    for (int i = 0; i < 3; ++i) {
        Error err = [&] {
            try {
                (void)e.connect();
            } catch (const Error& x) {
                return x;
            }
            FAIL("opening a missing database succeeded");
            return Error(ErrorKind::internal, "");
        }();
        CHECK(err.kind() != ErrorKind::pool_timeout);  // the open's own error, never a lost slot
    }
    CHECK(e.pool_status().checked_out == 0);
    CHECK(e.pool_status().created == 0);
}

TEST_CASE("pool: a pool that allows no connection is refused when the engine is made", "[pool][errors]") {
    JobsDb j;
    try {
        (void)j.engine(pooled(0, 0));
        FAIL("an engine with pool_size 0 and max_overflow 0 was made");
    } catch (const Error& err) {
        CHECK(err.kind() == ErrorKind::usage);
        CHECK(std::string(err.what()).find("pool_size + max_overflow") != std::string::npos);
    }
}
