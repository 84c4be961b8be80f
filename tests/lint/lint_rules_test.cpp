// Every lint rule, per dialect where it applies: a plan that triggers it and a
// near-identical one that does not, server-version differences included. No server:
// the plans are revision files linted from the schema the base revision builds
// (lint_support.cpp).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "lint_support.hpp"
#include "migrations/lint/rule_catalogue.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

struct Pair {
    std::string rule;
    std::string dialect;
    std::string version;  // "" = assumed
    std::string risky;    // triggers the rule
    std::string safe;     // near-identical, does not
};

std::string step(const std::string& op, const std::string& body) {
    return fmt::format("[[upgrade]]\nop = \"{}\"\n{}\n", op, body);
}

const std::string new_table = step("create_table",
                                   "name = \"tags\"\ncolumns = [ { name = \"id\", type = \"big_integer\", nullable = "
                                   "false, autoincrement = true, primary_key = true }, { name = \"label\", type = "
                                   "\"string\", length = 30 } ]");

std::string string_col(const std::string& name, int length, bool nullable = true) {
    return fmt::format("{{ name = \"{}\", type = \"string\", length = {}, nullable = {} }}", name, length,
                       nullable ? "true" : "false");
}

std::string int_col(const std::string& name, const std::string& type = "integer", bool nullable = true) {
    return fmt::format("{{ name = \"{}\", type = \"{}\", nullable = {} }}", name, type, nullable ? "true" : "false");
}

std::vector<Pair> destructive_pairs() {
    std::vector<Pair> out;
    for (const char* d : {"sqlite", "postgresql", "mysql"}) {
        out.push_back({"drop-table", d, "", step("drop_table", "name = \"posts\""),
                       new_table + step("drop_table", "name = \"tags\"")});
        out.push_back({"drop-column", d, "", step("drop_column", "table = \"users\"\ncolumn = \"name\""),
                       new_table + step("drop_column", "table = \"tags\"\ncolumn = \"label\"")});
        out.push_back({"drop-foreign-key", d, "", step("drop_foreign_key", "table = \"posts\"\nforeign_key = \"fk_posts_user_id_users\""),
                       step("drop_index", "table = \"posts\"\nindex = \"ix_posts_user_id\"")});
        out.push_back({"narrowing-type", d, "", alter_column("users", "name", string_col("name", 50), string_col("name", 20)),
                       alter_column("users", "name", string_col("name", 50), string_col("name", 100))});
        out.push_back({"enum-value-removed", d, "",
                       alter_column("users", "status", R"({ type = "enum", values = ["a", "b", "c"] })",
                                    R"({ type = "enum", values = ["a", "b"] })"),
                       alter_column("users", "status", R"({ type = "enum", values = ["a", "b", "c"] })",
                                    R"({ type = "enum", values = ["a", "b", "c", "d"] })")});
    }
    return out;
}

std::vector<Pair> compatibility_pairs() {
    std::vector<Pair> out;
    const std::string role_default = R"({ type = "string", length = 20, nullable = false, default = "member" })";
    for (const char* d : {"sqlite", "postgresql", "mysql"}) {
        out.push_back({"rename-table", d, "", step("rename_table", "from = \"posts\"\nto = \"articles\""),
                       new_table + step("rename_table", "from = \"tags\"\nto = \"labels\"")});
        out.push_back({"rename-column", d, "", step("rename_column", "table = \"users\"\nfrom = \"name\"\nto = \"full_name\""),
                       new_table + step("rename_column", "table = \"tags\"\nfrom = \"label\"\nto = \"text\"")});
        out.push_back({"type-change-incompatible", d, "", alter_column("users", "age", int_col("age"), string_col("age", 20)),
                       alter_column("users", "age", int_col("age"), int_col("age", "big_integer"))});
        out.push_back({"drop-not-null", d, "", alter_column("users", "email", string_col("email", 100, false), string_col("email", 100)),
                       alter_column("users", "email", string_col("email", 100, false), string_col("email", 120, false))});
        out.push_back({"drop-default", d, "",
                       alter_column("users", "role", role_default, R"({ type = "string", length = 20, nullable = false })"),
                       alter_column("users", "role", role_default,
                                    R"({ type = "string", length = 20, nullable = false, default = "guest" })")});
        out.push_back({"primary-key-change", d, "",
                       step("alter_primary_key", "table = \"users\"\nfrom = { columns = [\"id\"] }\nto = { columns = [\"id\", \"email\"] }"),
                       step("alter_primary_key", "table = \"users\"\nfrom = { columns = [\"id\"] }\nto = { columns = [\"id\"], name = \"pk_users\" }")});
    }
    return out;
}

std::vector<Pair> data_pairs() {
    std::vector<Pair> out;
    for (const char* d : {"sqlite", "postgresql", "mysql"}) {
        out.push_back({"add-not-null-column", d, "",
                       step("add_column", "table = \"users\"\ncolumn = " + string_col("nick", 30, false)),
                       step("add_column", "table = \"users\"\ncolumn = " + string_col("nick", 30, false) + "\nbackfill = \"none\"")});
        out.push_back({"set-not-null", d, "", alter_column("users", "name", string_col("name", 50), string_col("name", 50, false)),
                       alter_column("users", "name", string_col("name", 50), string_col("name", 60))});
        out.push_back({"add-unique", d, "", step("add_unique", "table = \"users\"\nunique = { columns = [\"email\"] }"),
                       step("create_index", "table = \"users\"\nindex = { columns = [\"email\"] }")});
        out.push_back({"add-foreign-key", d, "",
                       step("add_foreign_key", "table = \"posts\"\nforeign_key = { columns = [\"score\"], ref_table = \"users\", ref_columns = [\"id\"] }"),
                       new_table + step("add_foreign_key", "table = \"tags\"\nforeign_key = { columns = [\"id\"], ref_table = \"users\", ref_columns = [\"id\"] }")});
        out.push_back({"add-check", d, "", step("add_check", "table = \"posts\"\ncheck = { name = \"ck_posts_score\", expression = \"score >= 0\" }"),
                       new_table + step("add_check", "table = \"tags\"\ncheck = { name = \"ck_tags_id\", expression = \"id > 0\" }")});
    }
    return out;
}

std::vector<Pair> lock_pairs() {
    std::vector<Pair> out;
    const std::string pg = "postgresql";
    out.push_back({"type-change-rewrite", pg, "", alter_column("posts", "score", int_col("score"), int_col("score", "big_integer")),
                   alter_column("posts", "title", string_col("title", 200), string_col("title", 300))});
    out.push_back({"type-change-rewrite", pg, "", alter_column("posts", "title", string_col("title", 200), string_col("title", 100)),
                   alter_column("posts", "title", string_col("title", 200), R"({ type = "text" })")});
    out.push_back({"type-change-rewrite", "sqlite", "", alter_column("posts", "score", int_col("score"), int_col("score", "big_integer")),
                   step("add_column", "table = \"posts\"\ncolumn = " + int_col("votes"))});
    out.push_back({"add-column-volatile-default", pg, "15.4",
                   step("add_column", "table = \"users\"\ncolumn = { name = \"token\", type = \"uuid\", default_sql = \"gen_random_uuid()\" }"),
                   step("add_column", "table = \"users\"\ncolumn = { name = \"joined\", type = \"datetime\", timezone = true, default_sql = \"CURRENT_TIMESTAMP\" }")});
    // Before PostgreSQL 11 any default rewrites the table.
    out.push_back({"add-column-volatile-default", pg, "10.23",
                   step("add_column", "table = \"users\"\ncolumn = { name = \"level\", type = \"integer\", default = 1 }"),
                   step("add_column", "table = \"users\"\ncolumn = { name = \"level\", type = \"integer\" }")});
    out.push_back({"create-index-locks-writes", pg, "", step("create_index", "table = \"posts\"\nindex = { columns = [\"title\"] }"),
                   new_table + step("create_index", "table = \"tags\"\nindex = { columns = [\"label\"] }")});
    out.push_back({"create-index-locks-writes", pg, "", step("add_unique", "table = \"posts\"\nunique = { columns = [\"title\"] }"),
                   step("drop_index", "table = \"posts\"\nindex = \"ix_posts_user_id\"")});
    out.push_back({"constraint-not-valid", pg, "",
                   step("add_check", "table = \"posts\"\ncheck = { name = \"ck_posts_score\", expression = \"score >= 0\" }"),
                   new_table + step("add_check", "table = \"tags\"\ncheck = { name = \"ck_tags_id\", expression = \"id > 0\" }")});
    out.push_back({"set-not-null-scan", pg, "15.4", alter_column("users", "name", string_col("name", 50), string_col("name", 50, false)),
                   alter_column("users", "age", int_col("age"), int_col("age", "integer", false))});
    // Before PostgreSQL 12 the validated check does not spare the scan.
    out.push_back({"set-not-null-scan", pg, "11.9", alter_column("users", "age", int_col("age"), int_col("age", "integer", false)),
                   alter_column("users", "age", int_col("age"), int_col("age", "big_integer"))});
    out.push_back({"alter-algorithm", "mysql", "8.0.36", alter_column("posts", "score", int_col("score"), int_col("score", "big_integer")),
                   alter_column("posts", "title", string_col("title", 20), string_col("title", 60))});
    out.push_back({"alter-algorithm", "mysql", "8.0.11", step("add_column", "table = \"posts\"\ncolumn = " + int_col("votes")),
                   step("rename_table", "from = \"posts\"\nto = \"articles\"")});
    out.push_back({"alter-algorithm", "mysql", "10.3.39-MariaDB", step("drop_column", "table = \"posts\"\ncolumn = \"score\""),
                   step("add_column", "table = \"posts\"\ncolumn = " + int_col("votes"))});
    out.push_back({"rebuild-referenced-table", "sqlite", "", alter_column("users", "age", int_col("age"), int_col("age", "big_integer")),
                   alter_column("posts", "score", int_col("score"), int_col("score", "big_integer"))});
    return out;
}

std::vector<Pair> hygiene_pairs() {
    std::vector<Pair> out;
    const std::string long63(63, 'c'), long64(64, 'c'), long65(65, 'c');
    out.push_back({"identifier-too-long", "postgresql", "", step("add_column", "table = \"users\"\ncolumn = " + int_col(long64)),
                   step("add_column", "table = \"users\"\ncolumn = " + int_col(long63))});
    out.push_back({"identifier-too-long", "mysql", "", step("add_column", "table = \"users\"\ncolumn = " + int_col(long65)),
                   step("add_column", "table = \"users\"\ncolumn = " + int_col(long64))});
    for (const char* d : {"sqlite", "postgresql", "mysql"}) {
        out.push_back({"naming-convention", d, "", step("create_index", "table = \"posts\"\nindex = { name = \"posts_title_idx\", columns = [\"title\"] }"),
                       step("create_index", "table = \"posts\"\nindex = { name = \"ix_posts_title\", columns = [\"title\"] }")});
        out.push_back({"naming-convention", d, "", step("add_column", "table = \"users\"\ncolumn = " + int_col("Karma")),
                       step("add_column", "table = \"users\"\ncolumn = " + int_col("karma"))});
        out.push_back({"integer-primary-key", d, "",
                       step("create_table", "name = \"tags\"\ncolumns = [ { name = \"id\", type = \"integer\", nullable = false, autoincrement = true, primary_key = true } ]"),
                       new_table});
        out.push_back({"raw-sql", d, "", step("sql", "sql = \"UPDATE users SET age = 0\""), new_table});
        out.push_back({"data-fix", d, "", step("call", "function = \"fix_ages\""), new_table});
    }
    for (const char* d : {"sqlite", "postgresql"}) {
        out.push_back({"foreign-key-without-index", d, "",
                       step("add_foreign_key", "table = \"posts\"\nforeign_key = { columns = [\"score\"], ref_table = \"users\", ref_columns = [\"id\"] }"),
                       step("create_index", "table = \"posts\"\nindex = { columns = [\"score\"] }") +
                           step("add_foreign_key", "table = \"posts\"\nforeign_key = { columns = [\"score\"], ref_table = \"users\", ref_columns = [\"id\"] }")});
    }
    out.push_back({"timestamp-without-time-zone", "postgresql", "",
                   step("add_column", "table = \"users\"\ncolumn = { name = \"seen\", type = \"datetime\" }"),
                   step("add_column", "table = \"users\"\ncolumn = { name = \"seen\", type = \"datetime\", timezone = true }")});
    return out;
}

void check_pairs(const std::vector<Pair>& pairs) {
    for (const Pair& p : pairs) {
        INFO(p.rule << " on " << p.dialect << " " << p.version);
        INFO("risky plan:\n" << p.risky);
        auto risky = lint_case(p.dialect, p.risky, p.version);
        INFO("risky findings: " << fmt::format("{}", fmt::join(golden(risky), " | ")));
        CHECK(has_rule(risky, p.rule));
        INFO("safe plan:\n" << p.safe);
        auto safe = lint_case(p.dialect, p.safe, p.version);
        INFO("safe findings: " << fmt::format("{}", fmt::join(golden(safe), " | ")));
        CHECK_FALSE(has_rule(safe, p.rule));
    }
}

}  // namespace

TEST_CASE("lint destructive rules trigger on risky plans only") { check_pairs(destructive_pairs()); }
TEST_CASE("lint compatibility rules trigger on risky plans only") { check_pairs(compatibility_pairs()); }
TEST_CASE("lint data rules trigger on risky plans only") { check_pairs(data_pairs()); }
TEST_CASE("lint lock rules trigger per dialect and server version") { check_pairs(lock_pairs()); }
TEST_CASE("lint hygiene rules trigger on risky plans only") { check_pairs(hygiene_pairs()); }

TEST_CASE("lint rules that do not apply to a dialect stay silent there") {
    const std::string index = step("create_index", "table = \"posts\"\nindex = { columns = [\"title\"] }");
    CHECK_FALSE(has_rule(lint_case("mysql", index), "create-index-locks-writes"));
    CHECK_FALSE(has_rule(lint_case("sqlite", index), "create-index-locks-writes"));
    const std::string fk = step("add_foreign_key", "table = \"posts\"\nforeign_key = { columns = [\"score\"], "
                                                   "ref_table = \"users\", ref_columns = [\"id\"] }");
    CHECK_FALSE(has_rule(lint_case("mysql", fk), "foreign-key-without-index"));  // InnoDB creates one
    CHECK_FALSE(has_rule(lint_case("mysql", fk), "constraint-not-valid"));
    const std::string seen = step("add_column", "table = \"users\"\ncolumn = { name = \"seen\", type = \"datetime\" }");
    CHECK_FALSE(has_rule(lint_case("mysql", seen), "timestamp-without-time-zone"));
    CHECK_FALSE(has_rule(lint_case("sqlite", seen), "timestamp-without-time-zone"));
    const std::string widen = alter_column("posts", "score", int_col("score"), int_col("score", "big_integer"));
    CHECK_FALSE(has_rule(lint_case("mysql", widen), "type-change-rewrite"));  // reported as alter-algorithm
    CHECK_FALSE(has_rule(lint_case("postgresql", widen), "alter-algorithm"));
    CHECK_FALSE(has_rule(lint_case("postgresql", widen), "rebuild-referenced-table"));
    const std::string long_name = step("add_column", "table = \"users\"\ncolumn = " + int_col(std::string(200, 'c')));
    CHECK_FALSE(has_rule(lint_case("sqlite", long_name), "identifier-too-long"));  // no limit
}

TEST_CASE("lint MySQL and MariaDB algorithms follow the server version") {
    const std::string add = step("add_column", "table = \"posts\"\ncolumn = " + int_col("votes"));
    CHECK(golden(lint_case("mysql", add, "8.0.11")) == std::vector<std::string>{"info alter-algorithm posts.votes"});
    CHECK(golden(lint_case("mysql", add, "8.0.12")).empty());
    CHECK(golden(lint_case("mysql", add, "10.2.44-MariaDB")) ==
          std::vector<std::string>{"info alter-algorithm posts.votes"});
    CHECK(golden(lint_case("mysql", add, "5.5.5-10.3.39-MariaDB")).empty());
    const std::string drop = step("drop_column", "table = \"posts\"\ncolumn = \"score\"");
    CHECK(golden(lint_case("mysql", drop, "8.0.28")) ==
          std::vector<std::string>{"error drop-column posts.score", "info alter-algorithm posts.score"});
    CHECK(golden(lint_case("mysql", drop, "8.0.29")) == std::vector<std::string>{"error drop-column posts.score"});
    const std::string check = step("add_check", "table = \"posts\"\ncheck = { name = \"ck_posts_score\", "
                                                "expression = \"score >= 0\" }");
    CHECK(golden(lint_case("mysql", check, "8.0.36")) ==
          std::vector<std::string>{"warning add-check posts", "warning alter-algorithm posts"});
}

TEST_CASE("lint golden output of a risky PostgreSQL plan") {
    const std::string plan =
        step("add_column", "table = \"users\"\ncolumn = " + string_col("nick", 30, false)) +
        alter_column("users", "name", string_col("name", 50), string_col("name", 50, false)) +
        step("create_index", "table = \"users\"\nindex = { columns = [\"name\"], unique = true }") +
        step("add_foreign_key", "table = \"posts\"\nforeign_key = { columns = [\"score\"], ref_table = \"users\", "
                                "ref_columns = [\"id\"] }") +
        step("sql", "sql = \"UPDATE users SET age = 0\"");
    auto findings = lint_case("postgresql", plan, "16.2");
    CHECK(golden(findings) == std::vector<std::string>{
                                  "error add-not-null-column users.nick",
                                  "warning set-not-null users.name",
                                  "warning set-not-null-scan users.name",
                                  "warning add-unique users.name",
                                  "warning create-index-locks-writes users.name",
                                  "warning add-foreign-key posts.score",
                                  "warning constraint-not-valid posts",
                                  "warning foreign-key-without-index posts.score",
                                  "info raw-sql ",
                              });
    // Each finding knows its revision, step and line in the file.
    REQUIRE(findings.size() == 9);
    CHECK(findings[0].revision == "case1");
    CHECK(findings[0].step == 1);
    CHECK(findings[0].location() == "case1_case.toml:5");
    CHECK(findings[1].step == 2);
    CHECK(findings[1].location() == "case1_case.toml:9");
    // Data-dependent findings carry what a preflight would check.
    REQUIRE(findings[1].data_check);
    CHECK(findings[1].data_check->kind == lint::DataCheck::Kind::nulls);
    CHECK(findings[1].data_check->columns == std::vector<std::string>{"name"});
    REQUIRE(findings[5].data_check);
    CHECK(findings[5].data_check->kind == lint::DataCheck::Kind::orphans);
    CHECK(findings[5].data_check->ref_table == "users");
    // The safer way is named where PostgreSQL has one.
    CHECK(findings[4].fix.find("CONCURRENTLY") != std::string::npos);
    CHECK(findings[6].fix.find("NOT VALID") != std::string::npos);
    CHECK(findings[0].message.find("users.nick") != std::string::npos);
}

TEST_CASE("lint golden output of the same plan on SQLite and MariaDB") {
    const std::string plan = alter_column("users", "age", int_col("age"), int_col("age", "big_integer")) +
                             step("rename_column", "table = \"posts\"\nfrom = \"title\"\nto = \"headline\"");
    CHECK(golden(lint_case("sqlite", plan)) == std::vector<std::string>{
                                                   "warning type-change-rewrite users.age",
                                                   "warning rebuild-referenced-table users.age",
                                                   "error rename-column posts.title",
                                               });
    CHECK(golden(lint_case("mysql", plan, "10.11.6-MariaDB")) == std::vector<std::string>{
                                                                     "warning alter-algorithm users.age",
                                                                     "error rename-column posts.title",
                                                                 });
}

TEST_CASE("lint lint_ok accepts a finding with its reason and never hides it") {
    const std::string accepted = "[[upgrade]]\nop = \"drop_column\"\ntable = \"users\"\ncolumn = \"name\"\n"
                                 "lint_ok = { drop-column = \"unused since v2, backed up\" }\n";
    auto findings = lint_case("postgresql", accepted);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "drop-column");
    CHECK(findings[0].accepted == std::optional<std::string>("unused since v2, backed up"));
    CHECK_FALSE(lint::fails(findings, lint::Severity::error));
    CHECK_FALSE(lint::fails(findings, lint::Severity::info));

    const std::string stale = "[[upgrade]]\nop = \"add_column\"\ntable = \"users\"\ncolumn = { name = \"x\", type = "
                              "\"integer\" }\nlint_ok = { drop-column = \"old note\", no-such-rule = \"typo\" }\n";
    auto unused = lint_case("postgresql", stale);
    // A known rule that finds nothing here may apply on another database: info; an
    // unknown name is a typo: warning.
    CHECK(golden(unused) == std::vector<std::string>{"info unused-lint-ok ", "warning unused-lint-ok "});
    CHECK(unused[1].message.find("not a lint rule") != std::string::npos);
    CHECK(lint::fails(unused, lint::Severity::warning));
    CHECK_FALSE(lint::fails(unused, lint::Severity::error));
}

TEST_CASE("lint catalogue has at least 25 rules with unique ids") {
    const auto& rules = lint::rule_catalogue();
    CHECK(rules.size() >= 25);
    std::set<std::string_view> ids;
    for (const auto& r : rules) CHECK(ids.insert(r.id).second);
}

TEST_CASE("preflight SQL of each dialect for a row check") {
    RowCheck nulls{.kind = RowCheck::Kind::nulls, .table = "items", .columns = {"code"}, .key = {"id"}};
    RowCheckSql pg = postgresql_dialect().render_row_check(nulls, 5);
    CHECK(pg.count == "SELECT COUNT(*) FROM \"items\" WHERE \"code\" IS NULL");
    CHECK(pg.samples == "SELECT \"id\" FROM \"items\" WHERE \"code\" IS NULL ORDER BY \"id\" LIMIT 5");

    RowCheck orphans{.kind = RowCheck::Kind::orphans, .table = "items", .columns = {"parent_id"},
                     .ref_table = "parents", .ref_columns = {"id"}, .key = {"id"}};
    CHECK(mysql_dialect().render_row_check(orphans, 3).count ==
          "SELECT COUNT(*) FROM `items` c WHERE c.`parent_id` IS NOT NULL AND NOT EXISTS "
          "(SELECT 1 FROM `parents` p WHERE p.`id` = c.`parent_id`)");

    RowCheck dup{.kind = RowCheck::Kind::duplicates, .table = "t", .columns = {"a", "b"}};
    CHECK(sqlite_dialect().render_row_check(dup, 2).samples ==
          "SELECT \"a\", \"b\", COUNT(*) FROM \"t\" WHERE \"a\" IS NOT NULL AND \"b\" IS NOT NULL GROUP BY \"a\", "
          "\"b\" HAVING COUNT(*) > 1 ORDER BY \"a\", \"b\" LIMIT 2");

    RowCheck longer{.kind = RowCheck::Kind::longer_than, .table = "t", .columns = {"s"}, .max_length = 20};
    CHECK(sqlite_dialect().render_row_check(longer, 1).count == "SELECT COUNT(*) FROM \"t\" WHERE length(\"s\") > 20");
    CHECK(postgresql_dialect().render_row_check(longer, 1).count ==
          "SELECT COUNT(*) FROM \"t\" WHERE CHAR_LENGTH(\"s\") > 20");

    // Time limits: per transaction on PostgreSQL, per statement on MySQL and MariaDB.
    const std::chrono::milliseconds limit(1500);
    CHECK(postgresql_dialect().read_only_begin(limit) ==
          std::vector<std::string>{"BEGIN READ ONLY", "SET LOCAL statement_timeout = 1500"});
    CHECK(mysql_dialect().time_limited("SELECT 1", limit, ServerVersion::parse("10.11.6-MariaDB")) ==
          "SET STATEMENT max_statement_time = 1.500 FOR SELECT 1");
    CHECK(mysql_dialect().time_limited("SELECT 1", limit, ServerVersion::parse("8.0.36")) ==
          "SELECT /*+ MAX_EXECUTION_TIME(1500) */ 1");
    CHECK(sqlite_dialect().time_limited("SELECT 1", limit, ServerVersion::parse("3.40.1")) == "SELECT 1");
}
