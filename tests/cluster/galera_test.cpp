// Migrations through the nodes of a 3-node MariaDB Galera cluster (docs/clusters.md):
// concurrent deploys through different nodes, a deploy killed mid-revision, nodes that
// agree. Needs STRATA_TEST_GALERA_URLS (scripts/servers.sh start_clusters).
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>

#include "cli/cli_support.hpp"
#include "cluster_support.hpp"
#include "dialects/engine.hpp"

using namespace strata;
using namespace strata::testing;
using namespace std::chrono_literals;

namespace {

// A raw SQL step that logs the revision into applied_log: run twice, it leaves two rows.
std::string log_step(const std::string& id) {
    return fmt::format("[[upgrade]]\nop = \"sql\"\nsql = \"INSERT INTO applied_log (rev) VALUES ('{}')\"\n\n", id);
}

std::string log_table_step() {
    return R"toml([[upgrade]]
op = "create_table"
name = "applied_log"
columns = [
  { name = "id", type = "integer", primary_key = true, autoincrement = true, nullable = false },
  { name = "rev", type = "string", length = 20, nullable = false },
]

)toml";
}

// Six revisions: r1 creates applied_log, each one logs itself and creates table t<i>.
std::vector<std::string> write_logged_revisions(const std::string& dir, int count, const std::string& slow_in = "",
                                                const std::string& slow_sql = "") {
    std::vector<std::string> ids;
    for (int i = 1; i <= count; ++i) {
        std::string id = fmt::format("r{}", i);
        std::string body = "downgrade = []\n";
        if (i == 1) body += log_table_step();
        body += create_table_step("t" + std::to_string(i));
        if (id == slow_in) body += fmt::format("[[upgrade]]\nop = \"sql\"\nsql = \"{}\"\n\n", slow_sql);
        body += log_step(id);
        write_revision_file(dir, id, i == 1 ? std::vector<std::string>{} : std::vector<std::string>{ids.back()}, body);
        ids.push_back(id);
    }
    return ids;
}

// rev -> number of times its step ran, read through `url`.
std::map<std::string, long> log_counts(const std::string& url) {
    std::map<std::string, long> out;
    auto conn = create_engine(url).open();
    ResultSet r = conn->query("SELECT rev, COUNT(*) FROM applied_log GROUP BY rev");
    for (const auto& row : r.rows) out[std::get<std::string>(row[0])] = std::get<std::int64_t>(row[1]);
    return out;
}

std::vector<std::string> with_url(const std::string& url, const std::string& migrations,
                                  const std::vector<std::string>& args) {
    std::vector<std::string> full = {"--url", url, "--dir", migrations};
    full.insert(full.end(), args.begin(), args.end());
    return full;
}

}  // namespace

TEST_CASE("four concurrent upgrades through three Galera nodes apply each revision exactly once") {
    const auto nodes = galera_urls();
    REQUIRE(nodes.size() >= 3);
    ClusterDatabase db(nodes[0]);
    TempDir dir;
    const std::string migrations = dir / "migrations";
    const auto ids = write_logged_revisions(migrations, 6);
    std::vector<std::unique_ptr<Process>> deploys;
    for (int i = 0; i < 4; ++i)
        deploys.push_back(std::make_unique<Process>(
            strata_binary(),
            with_url(db.on(nodes[i % 3]), migrations, {"--format", "json", "upgrade", "--lock-timeout", "90"}),
            dir.path()));
    long ran = 0;
    for (auto& d : deploys) {
        ProcessResult r = d->wait(180);
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        if (r.exit_code == 0) ran += r.json()["ran"].get<long>();
    }
    CHECK(ran == 6);
    std::map<std::string, long> once;
    for (const auto& id : ids) once[id] = 1;
    for (const auto& node : nodes) {
        INFO(node);
        CHECK(log_counts(db.on(node)) == once);
        CHECK(applied_ids(db.on(node)) == std::set<std::string>(ids.begin(), ids.end()));
        auto current = run_process(strata_binary(), with_url(db.on(node), migrations, {"current"}), dir.path());
        INFO(current.transcript);
        CHECK(current.exit_code == 0);
        CHECK(contains(current.out, "MariaDB Galera Cluster"));
        CHECK(contains(current.out, "The database is at head."));
        auto check = run_process(strata_binary(), with_url(db.on(node), migrations, {"check"}), dir.path());
        INFO(check.transcript);
        CHECK(check.exit_code == 0);
    }
}

TEST_CASE("a deploy killed with -9 mid-revision on Galera: another node takes over its lease and resumes") {
    const auto nodes = galera_urls();
    REQUIRE(nodes.size() >= 3);
    ClusterDatabase db(nodes[0]);
    TempDir dir;
    const std::string migrations = dir / "migrations";
    write_logged_revisions(migrations, 3, "r2", "DO SLEEP(6)");
    {
        Process deploy(strata_binary(), with_url(db.on(nodes[0]), migrations, {"upgrade", "--lease-ttl", "3"}),
                       dir.path());
        REQUIRE(wait_until([&] { return contains(deploy.out_so_far(), "upgrade r1 -> r2"); }, 60s));
        std::this_thread::sleep_for(1500ms);  // into the slow statement
        deploy.kill(SIGKILL);
        ProcessResult r = deploy.wait();
        INFO(r.transcript);
        REQUIRE(r.exit_code == 128 + SIGKILL);
    }
    // The partial revision, as every node sees it.
    auto current = run_process(strata_binary(), with_url(db.on(nodes[2]), migrations, {"current"}), dir.path());
    INFO(current.transcript);
    CHECK(contains(current.out, "PARTIALLY APPLIED"));
    // A waiting deploy through another node: blocked by the dead process's lease until it
    // expires, then takes it over, says so, and resumes r2 after its last statement.
    auto r = run_process(strata_binary(),
                         with_url(db.on(nodes[1]), migrations, {"upgrade", "--lock-timeout", "60", "--lease-ttl", "3"}),
                         dir.path());
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out + r.err, "took over the expired migration lease"));
    CHECK(contains(r.out + r.err, "(resuming)"));
    CHECK(log_counts(db.on(nodes[2])) == std::map<std::string, long>{{"r1", 1}, {"r2", 1}, {"r3", 1}});
    CHECK(table_names(db.on(nodes[2])) == std::set<std::string>{"applied_log", "t1", "t2", "t3"});
}

TEST_CASE("the Galera profile: a lease lock, and GET_LOCK would not have excluded another node") {
    const auto nodes = galera_urls();
    REQUIRE(nodes.size() >= 2);
    auto one = create_engine(nodes[0]).open();
    auto two = create_engine(nodes[1]).open();
    CHECK(one->engine().engine == "MariaDB Galera Cluster");
    CHECK(one->engine().lock == LockKind::lease);
    CHECK(one->engine().cluster_size == static_cast<int>(nodes.size()));
    CHECK(one->engine().supported);
    // What the lease is for: the server's own named lock is node-local (when the server
    // allows GET_LOCK on a cluster at all).
    try {
        ResultSet a = one->query("SELECT GET_LOCK('strata_galera_probe', 0)");
        ResultSet b = two->query("SELECT GET_LOCK('strata_galera_probe', 0)");
        CHECK(std::get<std::int64_t>(b.rows.at(0).at(0)) == 1);
        one->query("SELECT RELEASE_LOCK('strata_galera_probe')");
        two->query("SELECT RELEASE_LOCK('strata_galera_probe')");
    } catch (const Error& e) {
        INFO(e.what());  // refused outright on this server: equally unusable as a cluster lock
        SUCCEED();
    }
}

TEST_CASE("a Galera node killed mid-revision: upgrade through another node resumes, and the node rejoins") {
    const auto nodes = galera_urls();
    REQUIRE(nodes.size() >= 3);
    const char* galera_dir = std::getenv("STRATA_TEST_GALERA_DIR");
    REQUIRE(galera_dir);
    ClusterDatabase db(nodes[0]);
    TempDir dir;
    const std::string migrations = dir / "migrations";
    write_logged_revisions(migrations, 3, "r2", "DO SLEEP(6)");
    {
        Process deploy(strata_binary(), with_url(db.on(nodes[1]), migrations, {"upgrade", "--lease-ttl", "3"}),
                       dir.path());
        REQUIRE(wait_until([&] { return contains(deploy.out_so_far(), "upgrade r1 -> r2"); }, 60s));
        std::this_thread::sleep_for(1500ms);
        const int node_pid = std::stoi(read_text(std::string(galera_dir) + "/node2/mysqld.pid"));
        REQUIRE(::kill(node_pid, SIGKILL) == 0);
        ProcessResult r = deploy.wait();
        INFO(r.transcript);
        CHECK(r.exit_code == 3);  // the server went away under it
    }
    auto r = run_process(strata_binary(),
                         with_url(db.on(nodes[0]), migrations, {"upgrade", "--lock-timeout", "60", "--lease-ttl", "3"}),
                         dir.path());
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "(resuming)"));
    CHECK(log_counts(db.on(nodes[2])) == std::map<std::string, long>{{"r1", 1}, {"r2", 1}, {"r3", 1}});
    // The node comes back (IST) and agrees with the others.
    auto restart = run_process("/bin/bash", {"-c", "source scripts/servers.sh && galera_restart_node 2"}, STRATA_SOURCE_DIR,
                               {}, 180);
    INFO(restart.transcript);
    REQUIRE(restart.exit_code == 0);
    auto current = run_process(strata_binary(), with_url(db.on(nodes[1]), migrations, {"current"}), dir.path());
    INFO(current.transcript);
    CHECK(contains(current.out, "The database is at head."));
    CHECK(log_counts(db.on(nodes[1])) == std::map<std::string, long>{{"r1", 1}, {"r2", 1}, {"r3", 1}});
}
