// A PostgreSQL hot standby (docs/clusters.md): strata refuses to write through it and
// still reads. Needs STRATA_TEST_PG_PRIMARY_URL and STRATA_TEST_PG_STANDBY_URL
// (scripts/servers.sh start_clusters).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cluster_support.hpp"
#include "core/error.hpp"
#include "dialects/engine.hpp"

using namespace strata;
using namespace strata::testing;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> with_url(const std::string& url, const std::string& migrations,
                                  const std::vector<std::string>& args) {
    std::vector<std::string> full = {"--url", url, "--dir", migrations};
    full.insert(full.end(), args.begin(), args.end());
    return full;
}

// True once the standby has replayed the primary's CREATE DATABASE (and can connect).
bool replayed(const std::string& url) {
    try {
        create_engine(url).open();
        return true;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace

TEST_CASE("a hot standby is profiled as one, and upgrade and seed through it are refused with nothing written") {
    ClusterDatabase db(pg_primary_url());
    const std::string standby = db.on(pg_standby_url());
    REQUIRE(wait_until([&] { return replayed(standby); }, 30s));
    auto conn = create_engine(standby).open();
    CHECK(conn->engine().standby);
    CHECK(conn->engine().role == "hot standby");
    CHECK_FALSE(create_engine(db.on(pg_primary_url())).open()->engine().standby);

    TempDir dir;
    const std::string migrations = dir / "migrations";
    write_revision_file(migrations, "r1", {}, "downgrade = []\n" + create_table_step("t1"));
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"upgrade"}, {"stamp", "head"}, {"downgrade", "base"}}) {
        auto r = run_process(strata_binary(), with_url(standby, migrations, command), dir.path());
        INFO(r.transcript);
        CHECK(r.exit_code == 4);
        CHECK(contains(r.err, "hot standby"));
        CHECK(contains(r.err, "primary"));
    }
    auto seed = run_process(test_app_binary(), with_url(standby, migrations, {"seed", "authors"}), dir.path());
    INFO(seed.transcript);
    CHECK(seed.exit_code == 4);
    CHECK(contains(seed.err, "hot standby"));
    // Nothing written: the primary has no table at all, strata's own included.
    auto primary = create_engine(db.on(pg_primary_url())).open();
    ResultSet tables = primary->query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'");
    CHECK(std::get<std::int64_t>(tables.rows.at(0).at(0)) == 0);
}

TEST_CASE("current and check work read-only on a hot standby once it has replayed the primary's upgrade") {
    ClusterDatabase db(pg_primary_url());
    TempDir dir;
    const std::string migrations = dir / "migrations";
    write_revision_file(migrations, "r1", {}, "downgrade = []\n[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n");
    auto up = run_process(strata_binary(), with_url(db.on(pg_primary_url()), migrations, {"upgrade"}), dir.path());
    INFO(up.transcript);
    REQUIRE(up.exit_code == 0);
    const std::string standby = db.on(pg_standby_url());
    REQUIRE(wait_until([&] { return replayed(standby) && applied_ids(standby) == std::set<std::string>{"r1"}; }, 30s));
    auto current = run_process(strata_binary(), with_url(standby, migrations, {"current"}), dir.path());
    INFO(current.transcript);
    CHECK(current.exit_code == 0);
    CHECK(contains(current.out, "hot standby"));
    CHECK(contains(current.out, "The database is at head."));
    auto check = run_process(strata_binary(), with_url(standby, migrations, {"check"}), dir.path());
    INFO(check.transcript);
    CHECK(check.exit_code == 0);
}
