// Servers only (PostgreSQL, MySQL/MariaDB): a connection the server kills
// (pg_terminate_backend, KILL) is never handed out twice. The holder gets a clear
// Error(connection); the pool closes it on return and the next checkout opens a new one;
// with pre_ping an idle killed connection is replaced at checkout.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "orm/orm.hpp"
#include "pool_models.hpp"
#include "support/test_database.hpp"

using namespace strata;
using pool_tests::backend_id;
using pool_tests::count_jobs;
using pool_tests::Job;
using strata::testing::TestDatabase;

namespace {

// Ends the server session `id` from a connection of its own, and waits until it is gone.
void kill_backend(const Engine& engine, std::int64_t id) {
    auto admin = engine.open();
    if (admin->dialect().name() == "postgresql") {
        admin->query("SELECT pg_terminate_backend($1::int)", {Value(id)});
    } else {
        admin->execute_unprepared(fmt::format("KILL {}", id));
    }
    // The server finishes a kill asynchronously: wait until the session is listed no more.
    const std::string still =
        admin->dialect().name() == "postgresql"
            ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1::int"
            : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?";
    for (int i = 0; i < 200; ++i) {
        if (std::get<std::int64_t>(admin->query(still, {Value(id)}).rows.at(0).at(0)) == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("the server did not end session " << id);
}

EngineOptions one_connection(bool pre_ping) {
    EngineOptions o;
    o.pool.pool_size = 1;
    o.pool.max_overflow = 0;
    o.pool.timeout_seconds = 5;
    o.pool.pre_ping = pre_ping;
    return o;
}

struct JobsDb {
    TestDatabase db;
    JobsDb() { pool_tests::registry().create_all(db.engine()); }
};

}  // namespace

TEST_CASE("killed connections: the holder gets Error(connection), the next checkout a new one", "[pool][errors]") {
    JobsDb j;
    Engine e = create_engine(j.db.url(), one_connection(false));
    std::int64_t first_id = 0;
    {
        PooledConnection c = e.connect();
        first_id = backend_id(*c);
        kill_backend(e, first_id);
        try {
            (void)count_jobs(*c);
            FAIL("a statement on a killed connection succeeded");
        } catch (const Error& err) {
            CHECK(err.kind() == ErrorKind::connection);
            CHECK(std::string(err.what()).find("lost the connection") != std::string::npos);
        }
        CHECK(c->broken());
    }
    PoolStatus s = e.pool_status();
    CHECK(s.discarded == 1);
    CHECK(s.idle == 0);
    PooledConnection fresh = e.connect();
    CHECK(backend_id(*fresh) != first_id);
    CHECK(count_jobs(*fresh) == 0);
    CHECK(e.pool_status().created == 2);
}

TEST_CASE("killed connections: pre_ping replaces an idle killed connection at checkout", "[pool]") {
    JobsDb j;
    Engine e = create_engine(j.db.url(), one_connection(true));
    std::int64_t first_id = 0;
    {
        PooledConnection c = e.connect();
        first_id = backend_id(*c);
    }
    kill_backend(e, first_id);
    PooledConnection c = e.connect();  // the ping fails: closed and replaced
    CHECK(backend_id(*c) != first_id);
    CHECK(count_jobs(*c) == 0);
    CHECK(e.pool_status().discarded == 1);
    CHECK(e.pool_status().created == 2);
}

TEST_CASE("killed connections: a session whose connection was killed fails clearly and the next works",
          "[pool][session][errors]") {
    JobsDb j;
    Engine e = create_engine(j.db.url(), one_connection(false));
    Session s(e, pool_tests::registry());
    s.add(Job{.worker = 1, .seq = 1, .note = "lost with the connection"});
    s.flush();
    kill_backend(e, backend_id(s.connection()));
    try {
        s.commit();
        FAIL("a commit on a killed connection succeeded");
    } catch (const Error& err) {
        CHECK(err.kind() == ErrorKind::connection);
    }
    CHECK_FALSE(s.in_transaction());
    CHECK(e.pool_status().checked_out == 0);  // returned (and closed) by the failed commit
    s.add(Job{.worker = 2, .seq = 1, .note = "saved"});
    s.commit();  // a new connection
    Session check(e, pool_tests::registry());
    CHECK(check.query<Job>().count() == 1);
    CHECK(check.query<Job>().one()->note == "saved");
    CHECK(e.pool_status().discarded == 1);
}
