// `strata upgrade --group` / `downgrade --group`: every revision of a run in ONE
// transaction (PostgreSQL, SQLite), run as a user would on every database. A failure
// or a kill leaves no revision of the run applied; MySQL/MariaDB, whose DDL commits
// itself, refuse the flag before anything runs; `--sql --group` wraps the whole script
// in one BEGIN ... COMMIT; data fixes join the run's transaction.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "cli_support.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

std::string table_step(const std::string& name) { return create_table_step(name) + drop_table_step(name); }

constexpr const char* failing_step = R"toml(downgrade = []

[[upgrade]]
op = "sql"
sql = "INSERT INTO missing_table (a) VALUES (1)"
)toml";

// r1 (users), r2 (items), r3 (a row in users).
void write_three(const Project& p) {
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, table_step("items"));
    write_revision_file(p.migrations, "r3", {"r2"}, R"toml([[upgrade]]
op = "sql"
sql = "INSERT INTO users (name) VALUES ('grouped')"

[[downgrade]]
op = "sql"
sql = "DELETE FROM users"
)toml");
}

std::size_t count_lines(const std::string& text, const std::string& line) {
    std::size_t n = 0;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) ++n;
    return n;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

bool transactional_ddl(const Project& p) { return p.db.dialect().capabilities().transactional_ddl; }

}  // namespace

TEST_CASE("upgrade --group applies every revision in one transaction - downgrade --group base reverts them") {
    Project p;
    write_three(p);
    if (!transactional_ddl(p)) {
        // MySQL/MariaDB: refused before anything runs, with what to do instead.
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"upgrade", "--group"}, std::vector<std::string>{"upgrade", "--group", "--sql"},
              std::vector<std::string>{"downgrade", "base", "--group"}}) {
            auto r = p.strata(args);
            INFO(r.transcript);
            CHECK(r.exit_code == 2);
            CHECK(contains(r.err, "--group needs transactional DDL"));
            CHECK(contains(r.err, "without --group"));
        }
        auto r = p.strata({"--format", "json", "upgrade", "--group"});
        CHECK(r.exit_code == 2);
        CHECK(r.json()["error"]["kind"] == "unsupported");
        CHECK(version_rows(p.db.url()).empty());
        CHECK(table_names(p.db.url()).empty());
        return;
    }

    auto r = p.strata({"upgrade", "--group"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "[1/3] upgrade <base> -> r1"));
    CHECK(contains(r.out, "[3/3] upgrade r2 -> r3"));
    CHECK(contains(r.out, "commits with the run"));
    CHECK(contains(r.out, "Applied 3 revision(s) in one transaction"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2", "r3"});
    CHECK(table_names(p.db.url()) == std::set<std::string>{"items", "users"});
    CHECK(query_value(p.db.url(), "SELECT name FROM users") == Value(std::string("grouped")));
    for (const AppliedRevision& row : version_rows(p.db.url())) CHECK(row.duration_ms.has_value());
    CHECK(p.strata({"check"}).exit_code == 0);

    // Already at head: a no-op, exit 0 (also what a concurrent deploy that lost the race sees).
    r = p.strata({"upgrade", "--group"});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "Nothing to do"));

    r = p.strata({"downgrade", "base", "--group", "--allow-destructive"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "Reverted 3 revision(s) in one transaction"));
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(table_names(p.db.url()).empty());

    // JSON: the per-revision list and the mode.
    r = p.strata({"--format", "json", "upgrade", "+2", "--group"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto doc = r.json();
    CHECK(doc["ok"] == true);
    CHECK(doc["ran"] == 2);
    CHECK(doc["group"] == true);
    REQUIRE(doc["revisions"].size() == 2);
    CHECK(doc["revisions"][1]["revision"] == "r2");
    CHECK(doc["heads"] == nlohmann::json::array({"r2"}));
    CHECK(p.strata({"--format", "json", "upgrade"}).json()["group"] == false);
}

TEST_CASE("a failing revision under --group rolls back the whole run - without it the ones before stay") {
    Project p;
    if (!transactional_ddl(p)) return;  // refused there (previous test)
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, table_step("items"));
    write_revision_file(p.migrations, "r3", {"r2"}, failing_step);

    auto r = p.strata({"upgrade", "--group"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "upgrade of revision r3"));
    CHECK(occurrences(r.err, "r3_revision_r3.toml:1:") == 1);  // one location prefix
    CHECK(contains(r.err, "missing_table"));
    CHECK(contains(r.err, "rolled back: no revision of this run was applied"));
    CHECK(contains(r.out, "[2/3] upgrade r1 -> r2"));  // each revision still shown as it ran
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(table_names(p.db.url()).empty());

    r = p.strata({"--format", "json", "upgrade", "--group"});
    CHECK(r.exit_code == 3);
    auto doc = r.json();
    CHECK(doc["ok"] == false);
    CHECK(contains(doc["error"]["message"].get<std::string>(), "no revision of this run was applied"));
    CHECK(table_names(p.db.url()).empty());

    // Per revision (the default), r1 and r2 stay.
    r = p.strata({"upgrade"});
    CHECK(r.exit_code == 3);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(table_names(p.db.url()) == std::set<std::string>{"items", "users"});
}

TEST_CASE("a killed `upgrade --group` leaves the database as before the run") {
    Project p;
    if (!transactional_ddl(p)) return;
    write_revision_file(p.migrations, "r1", {}, table_step("t1"));
    write_revision_file(p.migrations, "r2", {"r1"}, "downgrade = []\n" + std::string(R"toml([[upgrade]]
op = "sql"
sqlite = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT count(*) FROM c"
postgresql = "SELECT pg_sleep(4)"
)toml"));
    {
        Process upgrade(strata_binary(), p.args({"upgrade", "--group"}), p.dir.path());
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (upgrade.out_so_far().find("upgrade r1 -> r2") == std::string::npos &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        upgrade.kill(SIGKILL);
        ProcessResult r = upgrade.wait();
        INFO(r.transcript);
        REQUIRE(r.exit_code == 128 + SIGKILL);
        CHECK(contains(r.out, "upgrade <base> -> r1"));  // r1 had run, in the run's transaction
    }
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(table_names(p.db.url()).empty());
    auto r = p.strata({"upgrade", "--group", "--lock-timeout", "30"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
}

TEST_CASE("upgrade --sql --group: one BEGIN ... COMMIT around the run - the client runs it") {
    Project p;
    if (!transactional_ddl(p)) return;
    write_three(p);
    auto r = p.strata({"upgrade", "--sql", "--group"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(count_lines(r.out, "BEGIN;") == 1);
    CHECK(count_lines(r.out, "COMMIT;") == 1);
    CHECK(r.out.find("BEGIN;") < r.out.find("CREATE TABLE"));  // the version table too
    // Without --group: one transaction per revision.
    CHECK(count_lines(p.strata({"upgrade", "--sql"}).out, "BEGIN;") == 3);

    auto client = run_client(p.db.url(), r.out);
    INFO(client.transcript);
    REQUIRE(client.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2", "r3"});
    CHECK(p.strata({"check"}).exit_code == 0);

    // A script whose third revision fails leaves nothing once the client stops.
    Project q;
    write_revision_file(q.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(q.migrations, "r2", {"r1"}, table_step("items"));
    write_revision_file(q.migrations, "r3", {"r2"}, failing_step);
    r = q.strata({"upgrade", "--sql", "--group"});
    REQUIRE(r.exit_code == 0);
    client = run_client(q.db.url(), r.out);
    CHECK(client.exit_code != 0);
    CHECK(table_names(q.db.url()).empty());
    CHECK(version_rows(q.db.url()).empty());

    r = p.strata({"downgrade", "base", "--sql", "--group", "--allow-destructive"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(count_lines(r.out, "BEGIN;") == 1);
    CHECK(count_lines(r.out, "COMMIT;") == 1);
}

TEST_CASE("SQLite: upgrade --group refuses a run with a table rebuild (PRAGMA foreign_keys) before anything runs") {
    Project p;
    if (dialect() != "sqlite") return;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, R"toml(downgrade = []

[[upgrade]]
op = "alter_column"
table = "users"
column = "name"
from = { type = "string", length = 100, nullable = false }
to = { type = "string", length = 100, nullable = true }
)toml");
    auto r = p.strata({"upgrade", "--group"});
    INFO(r.transcript);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--group cannot run revision r2"));
    CHECK(contains(r.err, "PRAGMA foreign_keys"));
    CHECK(contains(r.err, "without --group"));
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(table_names(p.db.url()).empty());
    CHECK(p.strata({"upgrade", "--sql", "--group"}).exit_code == 2);

    // Up to the revision before it, --group works; the rest without it.
    REQUIRE(p.strata({"upgrade", "r1", "--group"}).exit_code == 0);
    r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
}

TEST_CASE("user program: a data fix runs inside the --group transaction and is rolled back with it") {
    Project p;
    if (!transactional_ddl(p)) return;
    REQUIRE(p.app({"revision", "-m", "init", "--autogenerate"}).exit_code == 0);
    std::string first = std::filesystem::path(toml_files(p.migrations)[0]).filename().string().substr(0, 12);
    REQUIRE(p.app({"upgrade", "--group"}).exit_code == 0);
    REQUIRE(p.app({"seed", "authors"}).exit_code == 0);
    write_revision_file(p.migrations, "fix_names", {first}, data_fix_step());
    write_revision_file(p.migrations, "broken", {"fix_names"}, failing_step);

    auto r = p.app({"upgrade", "--group"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "no revision of this run was applied"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{first});
    CHECK(query_value(p.db.url(), "SELECT COUNT(*) FROM authors WHERE name = 'Ursula'") == Value(std::int64_t{1}));

    r = p.app({"upgrade", "fix_names", "--group"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{first, "fix_names"});
    CHECK(query_value(p.db.url(), "SELECT COUNT(*) FROM authors WHERE name = 'URSULA'") == Value(std::int64_t{1}));
}

TEST_CASE("three concurrent `upgrade --group` processes: one applies the run, the others find nothing to do") {
    Project p;
    if (!transactional_ddl(p)) return;
    std::set<std::string> ids;
    for (int i = 1; i <= 5; ++i) {
        std::string id = fmt::format("r{}", i);
        write_revision_file(p.migrations, id,
                            i == 1 ? std::vector<std::string>{} : std::vector<std::string>{fmt::format("r{}", i - 1)},
                            table_step("t" + std::to_string(i)));
        ids.insert(id);
    }
    std::vector<std::unique_ptr<Process>> processes;
    for (int i = 0; i < 3; ++i)
        processes.push_back(std::make_unique<Process>(
            strata_binary(), p.args({"--format", "json", "upgrade", "--group", "--lock-timeout", "60"}), p.dir.path()));
    std::vector<long> ran;
    for (auto& process : processes) {
        ProcessResult r = process->wait();
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        if (r.exit_code == 0) ran.push_back(r.json()["ran"].get<long>());
    }
    std::sort(ran.begin(), ran.end());
    CHECK(ran == std::vector<long>{0, 0, 5});
    CHECK(applied_ids(p.db.url()) == ids);
    CHECK(version_rows(p.db.url()).size() == 5);
}

TEST_CASE("`group = true` in strata.toml makes --group the default - --no-group overrides it - a bad value is exit 2") {
    Project p;
    write_three(p);
    write_text(p.dir / "strata.toml", "group = true\n");
    if (!transactional_ddl(p)) {
        auto r = p.strata({"upgrade"});
        INFO(r.transcript);
        CHECK(r.exit_code == 2);
        CHECK(contains(r.err, "--group needs transactional DDL"));
        r = p.strata({"upgrade", "--no-group"});
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2", "r3"});
        return;
    }
    auto r = p.strata({"upgrade", "+1"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "in one transaction"));
    r = p.strata({"upgrade", "--no-group"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK_FALSE(contains(r.out, "in one transaction"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2", "r3"});
    r = p.strata({"upgrade", "--sql", "--offline"});
    CHECK(count_lines(r.out, "BEGIN;") == 1);

    write_text(p.dir / "strata.toml", "group = \"yes\"\n");
    r = p.strata({"current"});
    INFO(r.transcript);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "`group` must be true or false"));
}
