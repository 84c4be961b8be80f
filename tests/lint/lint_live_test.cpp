// `strata lint` and `check` against a live database on every dialect: only the
// revisions pending there are linted, for the server's own version; lint_ok accepted;
// exit 3 for a database error, offline fallback for an unreachable one.
#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "dialects/url.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

constexpr const char* drop_name = "[[upgrade]]\nop = \"drop_column\"\ntable = \"users\"\ncolumn = \"name\"\n";

}  // namespace

TEST_CASE("lint lints only the revisions pending on the database") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());  // integer-primary-key (warning)
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    write_revision_file(p.migrations, "r2", {"r1"}, drop_name);

    auto r = p.strata({"--format", "json", "lint"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    CHECK(doc["offline"] == false);
    CHECK(doc["version_assumed"] == false);
    CHECK(!doc["server_version"].get<std::string>().empty());
    REQUIRE(doc["revisions"].size() == 1);
    CHECK(doc["revisions"][0]["revision"] == "r2");
    REQUIRE(!doc["revisions"][0]["findings"].empty());
    CHECK(doc["revisions"][0]["findings"][0]["rule"] == "drop-column");
    CHECK(doc["revisions"][0]["findings"][0]["column"] == "name");

    r = p.strata({"lint", "--all"});
    INFO(r.transcript);
    CHECK(contains(r.out, "[integer-primary-key]"));
    CHECK(contains(r.out, "[drop-column]"));

    // check lints the pending revisions: the error finding fails it.
    r = p.strata({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "FAIL lint:"));

    // Accepted on purpose: lint passes, check still reports the pending revision only.
    write_revision_file(p.migrations, "r2", {"r1"},
                        std::string(drop_name) + "lint_ok = { drop-column = \"moved to profiles in r1\" }\n");
    r = p.strata({"lint"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "accepted: moved to profiles in r1"));
    r = p.strata({"check"});
    INFO(r.transcript);
    CHECK(contains(r.out, "ok   lint:"));

    // Nothing pending: nothing to lint.
    REQUIRE(p.strata({"upgrade", "--allow-destructive"}).exit_code == 0);
    r = p.strata({"--format", "json", "lint"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(r.json()["revisions"].empty());
}

TEST_CASE("lint exit 3 for a database error and offline for an unreachable one") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());
    auto r = run_process(strata_binary(), {"--url", unreachable_url(), "--dir", p.migrations, "lint"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "linting offline"));
    if (dialect() == "sqlite") return;
    const std::string missing = Url::parse(p.db.url()).with_database("strata_lint_no_such_db").str();
    r = run_process(strata_binary(), {"--url", missing, "--dir", p.migrations, "lint"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
}

TEST_CASE("revision --autogenerate prints the findings of the revision it wrote") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());
    write_revision_file(p.migrations, "r2", {"r1"},
                        "[[upgrade]]\nop = \"add_column\"\ntable = \"users\"\n"
                        "column = { name = \"email\", type = \"string\", length = 100 }\n");
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    // The target: a database with users as r1 left it (no email).
    TestDatabase target;
    TempDir only_r1;
    write_revision_file(only_r1.path(), "r1", {}, create_users_step());
    REQUIRE(run_process(strata_binary(), {"--url", target.url(), "--dir", only_r1.path(), "upgrade"}).exit_code == 0);

    auto r = p.strata({"--format", "json", "revision", "--autogenerate", "-m", "drop email", "--against", target.url()});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto doc = r.json();
    CHECK(doc["lint"]["counts"]["error"] == 1);
    const auto& findings = doc["lint"]["revisions"][0]["findings"];
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["rule"] == "drop-column");
    CHECK(findings[0]["column"] == "email");
    CHECK(findings[0]["line"].get<int>() > 0);
    CHECK(contains(findings[0]["file"].get<std::string>(), doc["path"].get<std::string>()));

    // Text mode: the findings on stderr, the result on stdout.
    std::filesystem::remove(doc["path"].get<std::string>());
    r = p.strata({"revision", "--autogenerate", "-m", "drop email", "--against", target.url()});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "error [drop-column] step 1: drops column users.email"));
    CHECK_FALSE(contains(r.out, "[drop-column]"));
}

TEST_CASE("lint --diff lints a diff that is not a revision yet") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step());
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    TestDatabase target;  // empty: the diff drops users
    auto r = p.strata({"--format", "json", "lint", "--diff", p.db.url(), target.url()});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    REQUIRE(doc["revisions"].size() == 1);
    CHECK(doc["revisions"][0]["revision"].is_null());
    bool dropped = false;
    for (const auto& f : doc["revisions"][0]["findings"]) dropped = dropped || f["rule"] == "drop-table";
    CHECK(dropped);
    CHECK(p.strata({"lint", "--diff", p.db.url(), target.url(), "--offline"}).exit_code == 2);
}
