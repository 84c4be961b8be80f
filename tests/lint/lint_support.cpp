#include "lint_support.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dialects/dialect.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/revision_graph.hpp"

namespace strata::testing {

namespace {

// users: a table others reference; posts: references users, indexed on user_id.
constexpr const char* base_revision = R"(revision = "base1"
message = "base"

[[upgrade]]
op = "create_table"
name = "users"
columns = [
  { name = "id", type = "big_integer", nullable = false, autoincrement = true, primary_key = true },
  { name = "email", type = "string", length = 100, nullable = false },
  { name = "name", type = "string", length = 50 },
  { name = "age", type = "integer" },
  { name = "status", type = "enum", values = ["a", "b", "c"] },
  { name = "role", type = "string", length = 20, nullable = false, default = "member" },
]
checks = [ { name = "ck_users_age_not_null", expression = "age IS NOT NULL" } ]

[[upgrade]]
op = "create_table"
name = "posts"
columns = [
  { name = "id", type = "big_integer", nullable = false, autoincrement = true, primary_key = true },
  { name = "user_id", type = "big_integer", nullable = false },
  { name = "title", type = "string", length = 200 },
  { name = "score", type = "integer" },
]
indexes = [ { columns = ["user_id"] } ]
foreign_keys = [ { columns = ["user_id"], ref_table = "users", ref_columns = ["id"] } ]
)";

}  // namespace

std::vector<lint::Finding> lint_case(const std::string& dialect, const std::string& steps,
                                     const std::string& version) {
    std::vector<Revision> revisions;
    revisions.push_back(parse_revision(base_revision, "base1_base.toml"));
    const std::string text = "revision = \"case1\"\ndown_revision = \"base1\"\nmessage = \"case\"\n\n" + steps;
    revisions.push_back(parse_revision(text, "case1_case.toml"));
    RevisionGraph graph(std::move(revisions));
    lint::LintTarget target{&dialect_named(dialect), ServerVersion::parse(version)};
    auto groups = lint::lint_revisions(graph, {"case1"}, target);
    return groups.at(0).findings;
}

std::vector<std::string> golden(const std::vector<lint::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) {
        std::string subject = f.table;
        if (!f.column.empty()) subject += "." + f.column;
        out.push_back(fmt::format("{} {} {}{}", lint::severity_name(f.severity), f.rule, subject,
                                  f.accepted ? " (accepted)" : ""));
    }
    return out;
}

std::vector<std::string> rules(const std::vector<lint::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.rule);
    return out;
}

bool has_rule(const std::vector<lint::Finding>& findings, const std::string& rule) {
    return std::any_of(findings.begin(), findings.end(), [&](const lint::Finding& f) { return f.rule == rule; });
}

std::string alter_column(const std::string& table, const std::string& column, const std::string& from,
                         const std::string& to) {
    return fmt::format("[[upgrade]]\nop = \"alter_column\"\ntable = \"{}\"\ncolumn = \"{}\"\nfrom = {}\nto = {}\n",
                       table, column, from, to);
}

}  // namespace strata::testing
