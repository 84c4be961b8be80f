// `strata lint` through the built binary with no server (--offline, SQLite URLs): exit
// codes 0 / 1 / 2, --fail-on, ranges, lint_ok, the JSON document's shape.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

// A folder with migrations/ and the arguments that point the binary at it offline.
struct OfflineProject {
    TempDir dir;
    std::string migrations = dir / "migrations";
    OfflineProject() { std::filesystem::create_directories(migrations); }
    ProcessResult lint(std::vector<std::string> args) const {
        std::vector<std::string> all = {"--url", "sqlite:///" + (dir / "app.db"), "--dir", migrations};
        all.insert(all.end(), args.begin(), args.end());
        return run_process(strata_binary(), all, dir.path());
    }
};

constexpr const char* drop_users = "[[upgrade]]\nop = \"drop_table\"\nname = \"users\"\n";
constexpr const char* raw_sql = "[[upgrade]]\nop = \"sql\"\nsql = \"UPDATE users SET name = 'x'\"\n";

}  // namespace

TEST_CASE("lint cli exit codes offline - 0, 1 at --fail-on, 2 for bad input") {
    OfflineProject p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());
    auto r = p.lint({"lint", "--offline"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);  // only a warning (integer-primary-key)
    CHECK(contains(r.out, "[integer-primary-key] step 1"));
    CHECK(p.lint({"lint", "--offline", "--fail-on", "warning"}).exit_code == 1);

    write_revision_file(p.migrations, "r2", {"r1"}, raw_sql);
    CHECK(p.lint({"lint", "--offline", "r1..r2"}).exit_code == 0);
    CHECK(p.lint({"lint", "--offline", "r1..r2", "--fail-on", "info"}).exit_code == 1);

    write_revision_file(p.migrations, "r3", {"r2"}, drop_users);
    r = p.lint({"lint", "--offline"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "r3_revision_r3.toml:"));
    CHECK(contains(r.out, "error [drop-table] step 1: drops table users"));
    CHECK(contains(r.out, "fix: "));

    CHECK(p.lint({"lint", "--offline", "--fail-on", "fatal"}).exit_code == 2);
    CHECK(p.lint({"lint", "--offline", "r1-r2"}).exit_code == 2);
    CHECK(p.lint({"lint", "--offline", "--all", "r1..r2"}).exit_code == 2);
    write_revision_file(p.migrations, "r4", {"r3"}, "[[upgrade]]\nop = \"drop_tabel\"\nname = \"x\"\n");
    r = p.lint({"lint", "--offline"});
    INFO(r.transcript);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "r4_revision_r4.toml:"));
}

TEST_CASE("lint cli lint_ok accepts a finding - shown with its reason, not counted") {
    OfflineProject p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());
    write_revision_file(p.migrations, "r2", {"r1"},
                        std::string(drop_users) + "lint_ok = { drop-table = \"replaced by accounts in r1\" }\n");
    auto r = p.lint({"lint", "--offline", "r1..r2"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "accepted error [drop-table] step 1"));
    CHECK(contains(r.out, "accepted: replaced by accounts in r1"));
    CHECK(contains(r.out, "0 error(s), 0 warning(s), 0 info, 1 accepted"));
}

TEST_CASE("lint cli JSON document - revisions, findings and counts") {
    OfflineProject p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, drop_users);
    auto r = p.lint({"--format", "json", "lint", "--offline", "--server-version", "3.40.1"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    CHECK(doc["ok"] == true);
    CHECK(doc["command"] == "lint");
    CHECK(doc["dialect"] == "sqlite");
    CHECK(doc["server_version"] == "3.40.1");
    CHECK(doc["offline"] == true);
    CHECK(doc["fail_on"] == "error");
    CHECK(doc["failed"] == true);
    CHECK(doc["exit_code"] == 1);
    REQUIRE(doc["revisions"].size() == 2);
    const auto& group = doc["revisions"][1];
    CHECK(group["revision"] == "r2");
    REQUIRE(group["findings"].size() == 1);
    const auto& f = group["findings"][0];
    CHECK(f["rule"] == "drop-table");
    CHECK(f["severity"] == "error");
    CHECK(f["revision"] == "r2");
    CHECK(f["step"] == 1);
    CHECK(contains(f["file"].get<std::string>(), "r2_revision_r2.toml"));
    CHECK(f["line"].get<int>() > 0);
    CHECK(f["table"] == "users");
    CHECK(f["column"] == "");
    CHECK(f["accepted"].is_null());
    CHECK(f["data_check"].is_null());
    CHECK(contains(f["message"].get<std::string>(), "users"));
    CHECK(!f["fix"].get<std::string>().empty());
    CHECK(doc["counts"]["error"] == 1);
    CHECK(doc["counts"]["warning"] == 1);
    CHECK(doc["counts"]["accepted"] == 0);
}
