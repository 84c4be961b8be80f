// Reliability as a user meets it, with the built binary on every database: concurrent
// deploys, and a deploy killed with SIGKILL in the middle of a revision.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <thread>

#include "cli_support.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

// A statement that keeps the database busy for a few seconds.
std::string slow_sql_step() {
    return R"toml([[upgrade]]
op = "sql"
sqlite = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT count(*) FROM c"
postgresql = "SELECT pg_sleep(4)"
mysql = "DO SLEEP(4)"

)toml";
}

}  // namespace

TEST_CASE("four concurrent `strata upgrade` processes: each revision applied exactly once, all exit 0") {
    Project p;
    std::vector<std::string> ids;
    for (int i = 1; i <= 6; ++i) {
        std::string id = fmt::format("r{}", i);
        write_revision_file(p.migrations, id, i == 1 ? std::vector<std::string>{}
                                                     : std::vector<std::string>{fmt::format("r{}", i - 1)},
                            "downgrade = []\n" + create_table_step("t" + std::to_string(i)));
        ids.push_back(id);
    }
    std::vector<std::unique_ptr<Process>> processes;
    for (int i = 0; i < 4; ++i)
        processes.push_back(std::make_unique<Process>(strata_binary(),
                                                      p.args({"--format", "json", "upgrade", "--lock-timeout", "60"}),
                                                      p.dir.path()));
    long ran = 0;
    for (auto& process : processes) {
        ProcessResult r = process->wait();
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        if (r.exit_code == 0) ran += r.json()["ran"].get<long>();
    }
    CHECK(ran == 6);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>(ids.begin(), ids.end()));
    CHECK(version_rows(p.db.url()).size() == 6);
    CHECK(table_names(p.db.url()).size() == 6);
}

TEST_CASE("kill -9 in the middle of a revision: the previous one intact (partial on MySQL), then upgrade completes") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, "downgrade = []\n" + create_table_step("t1"));
    write_revision_file(p.migrations, "r2", {"r1"},
                        "downgrade = []\n" + create_table_step("t2") + slow_sql_step() + create_table_step("t3"));
    {
        Process upgrade(strata_binary(), p.args({"upgrade"}), p.dir.path());
        // Wait until r2 has started (its progress line), then give it time to reach the
        // slow statement.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (upgrade.out_so_far().find("upgrade r1 -> r2") == std::string::npos &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        upgrade.kill(SIGKILL);
        ProcessResult r = upgrade.wait();
        INFO(r.transcript);
        REQUIRE(r.exit_code == 128 + SIGKILL);
    }
    bool transactional = p.db.dialect().capabilities().transactional_ddl;
    if (transactional) {
        CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
        CHECK(table_names(p.db.url()) == std::set<std::string>{"t1"});
    } else {
        CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
        CHECK(table_names(p.db.url()) == std::set<std::string>{"t1", "t2"});
        auto current = p.strata({"current"});
        INFO(current.transcript);
        CHECK(contains(current.out, "PARTIALLY APPLIED: 1 of 3 statements"));
        CHECK(p.strata({"check"}).exit_code == 1);
    }
    // The killed process held the lock; the database lets it go with the connection.
    auto r = p.strata({"upgrade", "--lock-timeout", "30"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    if (!transactional) CHECK(contains(r.out, "(resuming)"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(table_names(p.db.url()) == std::set<std::string>{"t1", "t2", "t3"});
    CHECK(p.strata({"check"}).exit_code == 0);
}
