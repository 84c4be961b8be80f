// `strata lint --preflight` and `strata upgrade --preflight` on every live database:
// each data check with data that fails it and data that passes, sample keys, lint_ok,
// skips for what the plan changes first, timeouts, the JSON shape and exit codes, and
// an upgrade refused with nothing applied.
#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

// parents(id), items(id, code string(40), parent_id, qty big_integer, n integer): all
// nullable but the keys.
constexpr const char* base_revision = R"toml(
[[upgrade]]
op = "create_table"
name = "parents"
columns = [ { name = "id", type = "integer", primary_key = true, nullable = false } ]

[[upgrade]]
op = "create_table"
name = "items"
columns = [
  { name = "id", type = "integer", primary_key = true, nullable = false },
  { name = "code", type = "string", length = 40 },
  { name = "parent_id", type = "integer" },
  { name = "qty", type = "big_integer" },
  { name = "n", type = "integer" },
]
)toml";

constexpr const char* code_column = "{ name = \"code\", type = \"string\", length = 40 }";

std::string alter_code(const std::string& to) {
    return fmt::format("[[upgrade]]\nop = \"alter_column\"\ntable = \"items\"\ncolumn = \"code\"\nfrom = {}\nto = {}\n",
                       code_column, to);
}

const std::string set_not_null = alter_code("{ name = \"code\", type = \"string\", length = 40, nullable = false }");
const std::string add_unique =
    "[[upgrade]]\nop = \"add_unique\"\ntable = \"items\"\nunique = { name = \"uq_items_code\", columns = [\"code\"] }\n";
const std::string add_fk = "[[upgrade]]\nop = \"add_foreign_key\"\ntable = \"items\"\nforeign_key = { name = "
                           "\"fk_items_parent_id_parents\", columns = [\"parent_id\"], ref_table = \"parents\", "
                           "ref_columns = [\"id\"] }\n";
std::string add_check(const std::string& expression) {
    return fmt::format("[[upgrade]]\nop = \"add_check\"\ntable = \"items\"\ncheck = {{ name = \"ck_items_qty\", "
                       "expression = \"{}\" }}\n",
                       expression);
}
const std::string add_not_null_column = "[[upgrade]]\nop = \"add_column\"\ntable = \"items\"\ncolumn = { name = "
                                        "\"extra\", type = \"integer\", nullable = false }\n";

// A project at r1 (the base) with r2 = `steps` pending, and `rows` inserted into items
// ("(id, code, parent_id, qty)" tuples).
struct Fixture {
    Project p;
    explicit Fixture(const std::string& steps, const std::vector<std::string>& rows = {}) {
        write_revision_file(p.migrations, "r1", {}, base_revision);
        REQUIRE(p.strata({"upgrade"}).exit_code == 0);
        exec("INSERT INTO parents (id) VALUES (1)");
        for (const std::string& row : rows) exec("INSERT INTO items (id, code, parent_id, qty) VALUES " + row);
        write_revision_file(p.migrations, "r2", {"r1"}, steps);
    }
    void exec(const std::string& sql) { p.db.connection().execute_unprepared(sql); }
    ProcessResult lint_json(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"--format", "json", "lint", "--preflight"};
        args.insert(args.end(), extra.begin(), extra.end());
        return p.strata(args);
    }
};

// The findings of rule `rule` in a lint (or upgrade "preflight") document.
std::vector<nlohmann::json> findings(const nlohmann::json& doc, const std::string& rule) {
    std::vector<nlohmann::json> out;
    for (const auto& group : doc["revisions"])
        for (const auto& f : group["findings"])
            if (f["rule"] == rule) out.push_back(f);
    return out;
}

// lint --preflight on failing data: exit 1, one error `rule` naming `count` and the
// samples; the finding of `origin` carries the failed outcome.
void expect_failure(Fixture& fx, const std::string& origin, const std::string& rule, int count,
                    const std::string& samples, std::size_t sample_count) {
    auto r = fx.lint_json();
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    auto failed = findings(doc, rule);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0]["severity"] == "error");
    CHECK(failed[0]["step"] == 1);
    CHECK(failed[0]["revision"] == "r2");
    const std::string message = failed[0]["message"];
    CHECK(contains(message, std::to_string(count) + " "));
    CHECK(contains(message, samples));
    auto origins = findings(doc, origin);
    REQUIRE(origins.size() == 1);
    CHECK(origins[0]["preflight"]["status"] == "failed");
    CHECK(origins[0]["preflight"]["count"] == count);
    CHECK(origins[0]["preflight"]["samples"].size() == sample_count);
    CHECK(doc["preflight"]["failed"] == 1);
}

// lint --preflight on data that fits: the origin's check passed, no preflight finding.
void expect_pass(Fixture& fx, const std::string& origin, const std::string& rule, int exit_code = 0) {
    auto r = fx.lint_json();
    INFO(r.transcript);
    CHECK(r.exit_code == exit_code);
    auto doc = r.json();
    CHECK(findings(doc, rule).empty());
    auto origins = findings(doc, origin);
    REQUIRE(origins.size() == 1);
    CHECK(origins[0]["preflight"]["status"] == "passed");
    CHECK(origins[0]["preflight"]["count"] == 0);
    CHECK(doc["preflight"]["passed"] == 1);
}

}  // namespace

TEST_CASE("preflight finds NULLs before set not null and passes filled columns") {
    Fixture bad(set_not_null, {"(1, 'a', 1, 1)", "(2, NULL, 1, 1)", "(3, NULL, 1, 1)"});
    expect_failure(bad, "set-not-null", "preflight-nulls", 2, "id e.g. 2, 3", 2);
    auto text = bad.p.strata({"lint", "--preflight"});
    INFO(text.transcript);
    CHECK(text.exit_code == 1);
    CHECK(contains(text.out, "error [preflight-nulls] step 1: 2 row(s) of items hold NULL in code"));
    CHECK(contains(text.out, "preflight: failed: 2 found"));
    CHECK(contains(text.out, "preflight: 1 data check(s) on the live database: 0 passed, 1 failed"));

    Fixture good(set_not_null, {"(1, 'a', 1, 1)", "(2, 'b', 1, 1)"});
    expect_pass(good, "set-not-null", "preflight-nulls");
}

TEST_CASE("preflight finds duplicates before a unique and passes distinct values") {
    Fixture bad(add_unique, {"(1, 'a', 1, 1)", "(2, 'a', 1, 1)", "(3, 'b', 1, 1)", "(4, NULL, 1, 1)", "(5, NULL, 1, 1)"});
    // NULLs never collide: one duplicated value, held by two rows.
    expect_failure(bad, "add-unique", "preflight-duplicates", 1, "'a' x2", 1);
    Fixture good(add_unique, {"(1, 'a', 1, 1)", "(2, 'b', 1, 1)", "(3, NULL, 1, 1)", "(4, NULL, 1, 1)"});
    expect_pass(good, "add-unique", "preflight-duplicates");
}

TEST_CASE("preflight finds orphans before a foreign key and passes matched rows") {
    Fixture bad(add_fk, {"(1, 'a', 1, 1)", "(2, 'b', 99, 1)", "(3, 'c', NULL, 1)"});
    expect_failure(bad, "add-foreign-key", "preflight-orphans", 1, "id e.g. 2", 1);
    Fixture good(add_fk, {"(1, 'a', 1, 1)", "(2, 'b', NULL, 1)"});
    expect_pass(good, "add-foreign-key", "preflight-orphans");
}

TEST_CASE("preflight finds rows violating a check and passes valid rows") {
    Fixture bad(add_check("qty >= 0"), {"(1, 'a', 1, 5)", "(2, 'b', 1, -1)", "(3, 'c', 1, -7)", "(4, 'd', 1, NULL)"});
    expect_failure(bad, "add-check", "preflight-violations", 2, "id e.g. 2, 3", 2);
    Fixture good(add_check("qty >= 0"), {"(1, 'a', 1, 5)", "(2, 'b', 1, NULL)"});
    expect_pass(good, "add-check", "preflight-violations");
}

TEST_CASE("preflight finds values that do not fit a narrower type") {
    // narrowing-type is an error by itself: lint fails either way; the preflight says which rows.
    Fixture bad(alter_code("{ name = \"code\", type = \"string\", length = 3 }"),
                {"(1, 'abc', 1, 1)", "(2, 'abcd', 1, 1)", "(3, NULL, 1, 1)"});
    expect_failure(bad, "narrowing-type", "preflight-values-fit", 1, "id e.g. 2", 1);
    Fixture good(alter_code("{ name = \"code\", type = \"string\", length = 3 }"), {"(1, 'abc', 1, 1)"});
    expect_pass(good, "narrowing-type", "preflight-values-fit", 1);

    const std::string to_integer =
        "[[upgrade]]\nop = \"alter_column\"\ntable = \"items\"\ncolumn = \"qty\"\nfrom = { name = \"qty\", type = "
        "\"big_integer\" }\nto = { name = \"qty\", type = \"integer\" }\n";
    Fixture big(to_integer, {"(1, 'a', 1, 2147483647)", "(2, 'b', 1, 2147483648)", "(3, 'c', 1, -2147483649)"});
    expect_failure(big, "narrowing-type", "preflight-values-fit", 2, "id e.g. 2, 3", 2);
}

TEST_CASE("preflight finds rows before a NOT NULL column without default") {
    Fixture bad(add_not_null_column, {"(1, 'a', 1, 1)", "(2, 'b', 1, 1)"});
    expect_failure(bad, "add-not-null-column", "preflight-rows-present", 2, "id e.g. 1, 2", 2);
    Fixture good(add_not_null_column);
    expect_pass(good, "add-not-null-column", "preflight-rows-present", 1);
}

TEST_CASE("preflight skips with a note what the plan changes before the check") {
    // The column is added by the step before: its live values do not exist yet.
    const std::string added = "[[upgrade]]\nop = \"add_column\"\ntable = \"items\"\ncolumn = { name = \"label\", "
                              "type = \"string\", length = 10 }\n\n" +
                              add_unique.substr(0, add_unique.find("columns")) + "columns = [\"label\"] }\n";
    Fixture fx(added, {"(1, 'a', 1, 1)"});
    auto r = fx.lint_json();
    INFO(r.transcript);
    auto doc = r.json();
    auto skipped = findings(doc, "preflight-skipped");
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0]["severity"] == "info");
    CHECK(contains(skipped[0]["message"], "added or renamed earlier in the plan"));
    CHECK(findings(doc, "add-unique")[0]["preflight"]["status"] == "skipped");
    CHECK(doc["preflight"]["skipped"] == 1);

    // A table created by an earlier pending revision is empty when the check meets it.
    write_revision_file(fx.p.migrations, "r2", {"r1"}, create_table_step("tags"));
    write_revision_file(fx.p.migrations, "r3", {"r2"},
                        "[[upgrade]]\nop = \"add_column\"\ntable = \"tags\"\ncolumn = { name = \"x\", type = "
                        "\"integer\", nullable = false }\n");
    r = fx.lint_json();
    INFO(r.transcript);
    doc = r.json();
    auto origin = findings(doc, "add-not-null-column");
    REQUIRE(origin.size() == 1);
    CHECK(origin[0]["preflight"]["status"] == "passed");
    CHECK(contains(origin[0]["preflight"]["note"], "created earlier in the plan"));

    // Raw SQL before the step may fix the rows: a failure is only a warning.
    write_revision_file(fx.p.migrations, "r2", {"r1"},
                        "[[upgrade]]\nop = \"sql\"\nsql = \"UPDATE items SET code = 'z' WHERE code IS NULL\"\n\n" +
                            set_not_null);
    for (const std::string& file : toml_files(fx.p.migrations))
        if (contains(file, "r3_")) std::filesystem::remove(file);
    fx.exec("INSERT INTO items (id, code) VALUES (9, NULL)");
    r = fx.lint_json();
    INFO(r.transcript);
    doc = r.json();
    auto nulls = findings(doc, "preflight-nulls");
    REQUIRE(nulls.size() == 1);
    CHECK(nulls[0]["severity"] == "warning");
    CHECK(contains(nulls[0]["message"], "revision r2 step 1 (raw SQL) runs before this step"));
}

TEST_CASE("preflight findings accepted with lint_ok neither fail lint nor refuse upgrade") {
    Fixture fx(set_not_null + "lint_ok = { preflight-nulls = \"a trigger fills them\", set-not-null = \"reviewed\" }\n",
               {"(1, NULL, 1, 1)"});
    auto r = fx.lint_json();
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    auto nulls = findings(r.json(), "preflight-nulls");
    REQUIRE(nulls.size() == 1);
    CHECK(nulls[0]["accepted"] == "a trigger fills them");
    CHECK(r.json()["counts"]["accepted"] == 2);
    // No unused-lint-ok for a preflight rule when linting without the preflight.
    auto plain = fx.p.strata({"--format", "json", "lint"});
    INFO(plain.transcript);
    CHECK(findings(plain.json(), "unused-lint-ok").empty());

    // upgrade --preflight shows it accepted and runs on; the NULL then fails the step itself.
    auto up = fx.p.strata({"upgrade", "--preflight"});
    INFO(up.transcript);
    CHECK(contains(up.out, "accepted: a trigger fills them"));
    CHECK(up.exit_code == 3);
}

TEST_CASE("preflight JSON shape") {
    Fixture fx(add_check("qty >= 0"), {"(1, 'a', 1, -1)"});
    auto r = fx.lint_json({"--preflight-timeout", "12.5"});
    INFO(r.transcript);
    auto doc = r.json();
    CHECK(doc["preflight"]["timeout_s"] == 12.5);
    for (const char* key : {"checks", "passed", "failed", "skipped", "incomplete"})
        CHECK(doc["preflight"].contains(key));
    auto f = findings(doc, "preflight-violations");
    REQUIRE(f.size() == 1);
    for (const char* key : {"rule", "severity", "revision", "step", "file", "line", "table", "column", "message", "fix",
                            "accepted", "data_check", "preflight", "row_estimate"})
        CHECK(f[0].contains(key));
    CHECK(f[0]["data_check"]["kind"] == "violations");
    CHECK(f[0]["table"] == "items");
    CHECK(f[0]["line"].get<int>() > 0);
    auto origin = findings(doc, "add-check")[0];
    CHECK(origin["preflight"]["samples"] == nlohmann::json::array({"1"}));
    CHECK(origin["preflight"]["note"].is_string());
    // Without --preflight the fields are there, null.
    auto plain = fx.p.strata({"--format", "json", "lint"}).json();
    CHECK(plain["preflight"].is_null());
    CHECK(findings(plain, "add-check")[0]["preflight"].is_null());
}

TEST_CASE("preflight bad input exits 2 and an unreachable database exits 3") {
    Fixture fx(set_not_null);
    CHECK(fx.p.strata({"lint", "--preflight", "--offline"}).exit_code == 2);
    CHECK(fx.p.strata({"lint", "--preflight", "--preflight-timeout", "0"}).exit_code == 2);
    CHECK(fx.p.strata({"lint", "--preflight-timeout", "5"}).exit_code == 2);
    CHECK(fx.p.strata({"upgrade", "--preflight", "--sql"}).exit_code == 2);
    CHECK(fx.p.strata({"upgrade", "--preflight", "--preflight-timeout", "-1"}).exit_code == 2);
    auto r = run_process(strata_binary(), {"--url", unreachable_url(), "--dir", fx.p.migrations, "lint", "--preflight"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK_FALSE(contains(r.err, "linting offline"));
}

TEST_CASE("upgrade --preflight refuses with nothing applied and runs when the data fits") {
    // Step 1 alone would succeed (and on MySQL stay applied): the refusal comes first.
    const std::string steps = "[[upgrade]]\nop = \"add_column\"\ntable = \"items\"\ncolumn = { name = \"note\", "
                              "type = \"string\", length = 20 }\n\n" +
                              set_not_null;
    Fixture fx(steps, {"(1, 'a', 1, 1)", "(2, NULL, 1, 1)"});
    auto r = fx.p.strata({"--format", "json", "upgrade", "--preflight"});
    INFO(r.transcript);
    CHECK(r.exit_code == 4);
    auto doc = r.json();
    CHECK(doc["error"]["kind"] == "refused");
    CHECK(contains(doc["error"]["message"], "nothing was applied"));
    auto nulls = findings(doc["preflight"], "preflight-nulls");
    REQUIRE(nulls.size() == 1);
    CHECK(nulls[0]["step"] == 2);
    CHECK(doc["preflight"]["failed"] == 1);
    CHECK(applied_ids(fx.p.db.url()) == std::set<std::string>{"r1"});
    CHECK(version_rows(fx.p.db.url()).size() == 1);
    CHECK(column_names(fx.p.db.url(), "items").count("note") == 0);

    auto text = fx.p.strata({"upgrade", "--preflight"});
    INFO(text.transcript);
    CHECK(text.exit_code == 4);
    CHECK(contains(text.out, "[preflight-nulls] step 2: 1 row(s) of items hold NULL in code (id e.g. 2)"));
    CHECK(contains(text.err, "nothing was applied"));

    if (dialect() != "mysql") {
        // --group: the run's transaction may be open already (SQLite): the checks use a
        // savepoint. A unique index on parent_id, which both rows share (no table rebuild,
        // which a grouped SQLite run refuses).
        write_revision_file(fx.p.migrations, "r2", {"r1"},
                            "[[upgrade]]\nop = \"create_index\"\ntable = \"items\"\nindex = { columns = "
                            "[\"parent_id\"], unique = true }\n");
        auto grouped = fx.p.strata({"upgrade", "--preflight", "--group"});
        INFO(grouped.transcript);
        CHECK(grouped.exit_code == 4);
        CHECK(contains(grouped.out, "[preflight-duplicates]"));
        CHECK(applied_ids(fx.p.db.url()) == std::set<std::string>{"r1"});
        write_revision_file(fx.p.migrations, "r2", {"r1"}, steps);
    }

    fx.exec("UPDATE items SET code = 'b' WHERE id = 2");
    r = fx.p.strata({"upgrade", "--preflight"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "preflight: 1 data check(s) on the live database: 1 passed"));
    CHECK(applied_ids(fx.p.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(column_names(fx.p.db.url(), "items").count("note") == 1);
}

TEST_CASE("preflight check that runs past the timeout is incomplete, not a pass") {
    // A check whose evaluation takes seconds per row, stopped after 0.3 s.
    std::string slow;
    if (dialect() == "postgres") slow = "qty >= 0 AND (SELECT count(*) FROM pg_sleep(3)) = 1";
    else if (dialect() == "mysql") slow = "qty >= 0 AND SLEEP(3) = 0";
    else slow = "qty >= (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
                "SELECT count(*) - 100000000 FROM c)";
    Fixture fx(add_check(slow), {"(1, 'a', 1, 1)", "(2, 'b', 1, 2)"});
    auto r = fx.lint_json({"--preflight-timeout", "0.3"});
    INFO(r.transcript);
    auto doc = r.json();
    auto incomplete = findings(doc, "preflight-incomplete");
    REQUIRE(incomplete.size() == 1);
    CHECK(incomplete[0]["severity"] == "warning");
    CHECK(contains(incomplete[0]["message"], "timed out after 300 ms"));
    CHECK(findings(doc, "add-check")[0]["preflight"]["status"] == "incomplete");
    CHECK(doc["preflight"]["incomplete"] == 1);
    CHECK(r.exit_code == 0);  // a warning: --fail-on error passes, --fail-on warning does not
    CHECK(fx.p.strata({"lint", "--preflight", "--preflight-timeout", "0.3", "--fail-on", "warning"}).exit_code == 1);
}

TEST_CASE("preflight grades lock findings by the table's rows") {
    // integer -> big_integer: PostgreSQL rewrites, SQLite rebuilds, MySQL copies.
    const std::string widen = "[[upgrade]]\nop = \"alter_column\"\ntable = \"items\"\ncolumn = \"n\"\nfrom = { name = "
                              "\"n\", type = \"integer\" }\nto = { name = \"n\", type = \"big_integer\" }\n";
    Fixture empty(widen);
    auto r = empty.lint_json();
    INFO(r.transcript);
    auto doc = r.json();
    bool graded = false;
    for (const auto& group : doc["revisions"])
        for (const auto& f : group["findings"])
            if (f["row_estimate"].is_number() && f["row_estimate"].get<long long>() == 0) {
                graded = true;
                CHECK(f["severity"] == "info");
                CHECK(contains(f["message"], "items is empty now"));
            }
    CHECK(graded);

    Fixture full(widen, {"(1, 'a', 1, 1)", "(2, 'b', 1, 1)"});
    r = full.lint_json();
    INFO(r.transcript);
    doc = r.json();
    bool sized = false;
    for (const auto& group : doc["revisions"])
        for (const auto& f : group["findings"])
            if (contains(f["message"].get<std::string>(), "items holds about") ||
                contains(f["message"].get<std::string>(), "items has rows")) {
                sized = true;
                CHECK(f["severity"] != "info");
                CHECK_FALSE((f["row_estimate"].is_number() && f["row_estimate"].get<long long>() == 0));
            }
    CHECK(sized);
}

TEST_CASE("lint --diff --preflight reads the data of FROM") {
    Fixture fx(set_not_null, {"(1, NULL, 1, 1)"});
    // The target: items with code NOT NULL (r1, then r2 applied there).
    TestDatabase target;
    REQUIRE(run_process(strata_binary(), {"--url", target.url(), "--dir", fx.p.migrations, "upgrade"}).exit_code == 0);
    auto r = fx.p.strata({"--format", "json", "lint", "--diff", fx.p.db.url(), target.url(), "--preflight"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    auto nulls = findings(doc, "preflight-nulls");
    REQUIRE(nulls.size() == 1);
    CHECK(nulls[0]["revision"] == "");
    CHECK(contains(nulls[0]["message"], "id e.g. 1"));
    CHECK(doc["preflight"]["failed"] == 1);
}
