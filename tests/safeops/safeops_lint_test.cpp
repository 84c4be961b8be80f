// The lint rules and the safer forms: concurrently and not_valid keep the lock rules
// quiet, and the data rules move to the validate_constraint step where that step is the
// one that reads the rows (PostgreSQL).
#include <catch2/catch.hpp>
#include <string>

#include "lint_support.hpp"

using namespace strata;
using strata::testing::has_rule;
using strata::testing::lint_case;

namespace {

std::string index_step(bool concurrently) {
    return std::string(R"([[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_posts_score", columns = ["score"] }
)") + (concurrently ? "concurrently = true\n" : "");
}

std::string foreign_key_steps(bool not_valid, bool validate) {
    std::string out = R"([[upgrade]]
op = "add_column"
table = "posts"
column = { name = "editor_id", type = "big_integer" }

[[upgrade]]
op = "add_foreign_key"
table = "posts"
foreign_key = { name = "fk_posts_editor", columns = ["editor_id"], ref_table = "users", ref_columns = ["id"] }
)";
    if (not_valid) out += "not_valid = true\n";
    if (validate) out += "\n[[upgrade]]\nop = \"validate_constraint\"\ntable = \"posts\"\nname = \"fk_posts_editor\"\n";
    return out;
}

const char* const check_steps = R"([[upgrade]]
op = "add_check"
table = "posts"
check = { name = "ck_posts_score", expression = "score >= 0" }
not_valid = true

[[upgrade]]
op = "validate_constraint"
table = "posts"
name = "ck_posts_score"
)";

const lint::Finding* find(const std::vector<lint::Finding>& findings, const std::string& rule) {
    for (const lint::Finding& f : findings)
        if (f.rule == rule) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("lint: a concurrently index does not fire create-index-locks-writes") {
    auto plain = lint_case("postgresql", index_step(false));
    const lint::Finding* f = find(plain, "create-index-locks-writes");
    REQUIRE(f);
    CHECK(f->fix.find("concurrently = true") != std::string::npos);
    CHECK_FALSE(has_rule(lint_case("postgresql", index_step(true)), "create-index-locks-writes"));
}

TEST_CASE("lint: a not_valid foreign key does not fire constraint-not-valid") {
    auto plain = lint_case("postgresql", foreign_key_steps(false, false));
    const lint::Finding* f = find(plain, "constraint-not-valid");
    REQUIRE(f);
    CHECK(f->fix.find("not_valid = true") != std::string::npos);
    CHECK(f->fix.find("validate_constraint") != std::string::npos);
    auto safer = lint_case("postgresql", foreign_key_steps(true, true));
    CHECK_FALSE(has_rule(safer, "constraint-not-valid"));
}

TEST_CASE("lint: on postgresql the orphan check moves to validate_constraint") {
    auto findings = lint_case("postgresql", foreign_key_steps(true, true));
    const lint::Finding* f = find(findings, "add-foreign-key");
    REQUIRE(f);
    CHECK(f->step == 3);
    CHECK(f->message.find("validating foreign key fk_posts_editor") != std::string::npos);
    REQUIRE(f->data_check);
    CHECK(f->data_check->kind == lint::DataCheck::Kind::orphans);
    CHECK(f->data_check->table == "posts");
    CHECK(f->data_check->ref_table == "users");
    // Without the validate step nothing reads the old rows, and nothing is reported.
    CHECK_FALSE(has_rule(lint_case("postgresql", foreign_key_steps(true, false)), "add-foreign-key"));
}

TEST_CASE("lint: on postgresql the violation check moves to validate_constraint") {
    auto findings = lint_case("postgresql", check_steps);
    CHECK_FALSE(has_rule(findings, "constraint-not-valid"));
    const lint::Finding* f = find(findings, "add-check");
    REQUIRE(f);
    CHECK(f->step == 2);
    REQUIRE(f->data_check);
    CHECK(f->data_check->kind == lint::DataCheck::Kind::violations);
    CHECK(f->data_check->expression == "score >= 0");
}

TEST_CASE("lint: where not_valid has no effect the add keeps its data check") {
    for (const char* dialect : {"mysql", "sqlite"}) {
        INFO(dialect);
        auto findings = lint_case(dialect, foreign_key_steps(true, true));
        const lint::Finding* f = find(findings, "add-foreign-key");
        REQUIRE(f);
        CHECK(f->step == 2);
        REQUIRE(f->data_check);
        int count = 0;
        for (const lint::Finding& each : findings) count += each.rule == "add-foreign-key";
        CHECK(count == 1);
    }
}
