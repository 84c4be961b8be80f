// The lease lock (dialects/lease_lock.hpp) on every database: what a Galera cluster's
// migrations rely on, tested where a lease behaves the same (one row, one clock).
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "dialects/lease_lock.hpp"
#include "dialects/sql_text.hpp"
#include "support/test_database.hpp"

using namespace strata;
using namespace strata::testing;
using namespace std::chrono_literals;

namespace {

ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind();
    }
    FAIL("no strata::Error was thrown");
    return ErrorKind::internal;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

std::int64_t lease_rows(Connection& conn) {
    ResultSet r = conn.query(fmt::format("SELECT COUNT(*) FROM {}", conn.dialect().quote(kLeaseTable)));
    return std::get<std::int64_t>(r.rows.at(0).at(0));
}

}  // namespace

TEST_CASE("a lease lets one taker in and names it to the next, and release lets the next in") {
    TestDatabase db;
    auto first = acquire_lease(db.engine().open(), "strata_migrate", 0ms, {});
    const std::string msg = message_of([&] { acquire_lease(db.engine().open(), "strata_migrate", 300ms, {}); });
    INFO(msg);
    CHECK(msg.find(fmt::format("pid {}", getpid())) != std::string::npos);
    CHECK(msg.find("strata_lock") != std::string::npos);
    CHECK(kind_of([&] { acquire_lease(db.engine().open(), "strata_migrate", 0ms, {}); }) == ErrorKind::lock_timeout);
    // Another name is another lock.
    auto other = acquire_lease(db.engine().open(), "another", 0ms, {});
    first->release();
    CHECK(lease_rows(db.connection()) == 1);
    auto second = acquire_lease(db.engine().open(), "strata_migrate", 0ms, {});
    CHECK_NOTHROW(second->check_held());
}

TEST_CASE("a renewed lease outlives its ttl, and a dead holder's expired lease is taken over and reported") {
    TestDatabase db;
    {
        auto held = acquire_lease(db.engine().open(), "strata_migrate", 0ms, {.ttl = 600ms});
        std::this_thread::sleep_for(1500ms);  // two and a half ttls: renewed meanwhile
        CHECK_NOTHROW(held->check_held());
        CHECK(kind_of([&] { acquire_lease(db.engine().open(), "strata_migrate", 0ms, {}); }) ==
              ErrorKind::lock_timeout);
    }
    CHECK(lease_rows(db.connection()) == 0);  // released by the destructor
    // A process that died holding the lease: its row stays, expired.
    Connection& c = db.connection();
    c.execute(sql_text(fmt::format("INSERT INTO {} (lock_name, holder, host, pid, acquired_ms, expires_ms) VALUES "
                                   "('strata_migrate', 'dead', 'gone-host', 4242, 0, 1000)",
                                   c.dialect().quote(kLeaseTable))));
    std::optional<LeaseHolder> previous;
    auto taken = acquire_lease(db.engine().open(), "strata_migrate", 2s, {},
                               [&](const LeaseHolder& h) { previous = h; });
    REQUIRE(previous);
    CHECK(previous->host == "gone-host");
    CHECK(previous->pid == 4242);
    CHECK(previous->expires_in_ms < 0);
    CHECK(previous->describe().find("expired") != std::string::npos);
}

TEST_CASE("a lease taken over by another process is lost: check_held stops the holder") {
    TestDatabase db;
    auto held = acquire_lease(db.engine().open(), "strata_migrate", 0ms, {.ttl = 600ms});
    Connection& c = db.connection();
    c.execute(sql_text(fmt::format("UPDATE {} SET holder = 'thief' WHERE lock_name = 'strata_migrate'",
                                   c.dialect().quote(kLeaseTable))));
    auto deadline = std::chrono::steady_clock::now() + 5s;
    std::string lost;
    while (lost.empty() && std::chrono::steady_clock::now() < deadline) {
        lost = message_of([&] { held->check_held(); });
        std::this_thread::sleep_for(50ms);
    }
    INFO(lost);
    CHECK(lost.find("lease") != std::string::npos);
    CHECK(kind_of([&] { held->check_held(); }) == ErrorKind::lock_timeout);
    held->release();  // deletes nothing that is not its own
    CHECK(lease_rows(c) == 1);
}
