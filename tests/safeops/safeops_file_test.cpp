// Revision files: the safer-operation keys read, written back and read again; bad
// values reported with file and line; reverse() of the new forms; autogenerate's
// with_safer_forms.
#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/safer_operations.hpp"
#include "safeops_steps.hpp"

using namespace strata;

namespace {

const std::string safer_revision = std::string("revision = \"abc123\"\nmessage = \"safer\"\n\n") +
                                   testing::concurrent_index_step + testing::not_valid_steps + R"(
[[downgrade]]
op = "drop_index"
table = "posts"
index = "ix_posts_score"
concurrently = true
)";

std::string header() { return "revision = \"abc123\"\nmessage = \"m\"\n\n"; }

Error input_error(const std::string& text) {
    try {
        parse_revision(text, "migrations/f.toml");
    } catch (const Error& e) {
        return e;
    }
    FAIL("expected strata::Error(input)");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("safer operation keys are read from a revision file") {
    Revision r = parse_revision(safer_revision, "migrations/abc123_safer.toml");
    REQUIRE(r.upgrade.size() == 5);
    CHECK(std::get<op::CreateIndex>(r.upgrade[0].operation).concurrently);
    CHECK(std::get<op::AddForeignKey>(r.upgrade[1].operation).not_valid);
    CHECK(std::get<op::AddCheck>(r.upgrade[2].operation).not_valid);
    const auto& v = std::get<op::ValidateConstraint>(r.upgrade[3].operation);
    CHECK(v.table == "posts");
    CHECK(v.name == "fk_posts_user");
    CHECK(std::get<op::ValidateConstraint>(r.upgrade[4].operation).name == "ck_posts_score");
    REQUIRE(r.downgrade);
    CHECK(std::get<op::DropIndex>(r.downgrade->at(0).operation).concurrently);
}

TEST_CASE("safer operation keys survive a write and a second read") {
    Revision r = parse_revision(safer_revision, "migrations/abc123_safer.toml");
    const std::string written = write_revision(r);
    CHECK(written.find("concurrently = true") != std::string::npos);
    CHECK(written.find("not_valid = true") != std::string::npos);
    CHECK(written.find("op = \"validate_constraint\"") != std::string::npos);
    Revision again = parse_revision(written, "migrations/abc123_safer.toml");
    CHECK(again.upgrade == r.upgrade);
    CHECK(*again.downgrade == *r.downgrade);
}

TEST_CASE("steps without the safer keys are written without them") {
    Revision r = parse_revision(header() + R"([[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_a", columns = ["a"] }
)",
                                "migrations/f.toml");
    CHECK_FALSE(std::get<op::CreateIndex>(r.upgrade[0].operation).concurrently);
    const std::string written = write_revision(r);
    CHECK(written.find("concurrently") == std::string::npos);
}

TEST_CASE("a safer key that is not a boolean is an input error with its line") {
    Error e = input_error(header() + R"([[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_a", columns = ["a"] }
concurrently = "yes"
)");
    CHECK(e.kind() == ErrorKind::input);
    CHECK(e.line() == 8);
    CHECK(std::string(e.what()).find("concurrently") != std::string::npos);
}

TEST_CASE("not_valid on an op that has no such key is an input error") {
    Error e = input_error(header() + R"([[upgrade]]
op = "add_unique"
table = "posts"
unique = { name = "uq_a", columns = ["a"] }
not_valid = true
)");
    CHECK(e.kind() == ErrorKind::input);
    CHECK(std::string(e.what()).find("not_valid") != std::string::npos);
}

TEST_CASE("validate_constraint without a name is an input error") {
    Error e = input_error(header() + R"([[upgrade]]
op = "validate_constraint"
table = "posts"
)");
    CHECK(e.kind() == ErrorKind::input);
    CHECK(std::string(e.what()).find("name") != std::string::npos);
}

TEST_CASE("the reverse of a concurrent index build drops it concurrently") {
    Index ix;
    ix.name = "ix_a";
    ix.columns = {"a"};
    auto back = reverse(Operation{op::CreateIndex{"t", ix, true}});
    REQUIRE(back);
    CHECK(std::get<op::DropIndex>(*back).concurrently);
    auto forth = reverse(*back);
    REQUIRE(forth);
    CHECK(std::get<op::CreateIndex>(*forth).concurrently);
}

TEST_CASE("validate_constraint is its own reverse and is described") {
    Operation v = op::ValidateConstraint{"posts", "fk_posts_user"};
    auto back = reverse(v);
    REQUIRE(back);
    CHECK(*back == v);
    CHECK(describe(v) == "validate constraint fk_posts_user on posts");
    CHECK(std::string(op_name(v)) == "validate_constraint");
}

TEST_CASE("with_safer_forms marks steps on existing tables and appends the validations") {
    Table fresh;
    fresh.name = "fresh";
    Index ix;
    ix.name = "ix_x";
    ix.columns = {"x"};
    ForeignKey fk;
    fk.name = "fk_old";
    fk.columns = {"user_id"};
    fk.ref_table = "users";
    fk.ref_columns = {"id"};
    CheckConstraint ck{"ck_old", "x > 0"};
    std::vector<Operation> ops = {op::CreateTable{fresh},
                                  op::CreateIndex{"fresh", ix, false},
                                  op::CreateIndex{"old", ix, false},
                                  op::AddForeignKey{"old", fk, false},
                                  op::AddCheck{"old", ck, false},
                                  op::AddForeignKey{"fresh", fk, false}};
    std::vector<Operation> out = with_safer_forms(ops, {.concurrent_indexes = true, .not_valid_constraints = true});
    REQUIRE(out.size() == 8);
    CHECK_FALSE(std::get<op::CreateIndex>(out[1]).concurrently);
    CHECK(std::get<op::CreateIndex>(out[2]).concurrently);
    CHECK(std::get<op::AddForeignKey>(out[3]).not_valid);
    CHECK(std::get<op::AddCheck>(out[4]).not_valid);
    CHECK_FALSE(std::get<op::AddForeignKey>(out[5]).not_valid);
    CHECK(std::get<op::ValidateConstraint>(out[6]) == op::ValidateConstraint{"old", "fk_old"});
    CHECK(std::get<op::ValidateConstraint>(out[7]) == op::ValidateConstraint{"old", "ck_old"});

    CHECK(with_safer_forms(ops, {}) == ops);
}
