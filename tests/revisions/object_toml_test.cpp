// Revision files with the schema-object steps: sequences, domains, enum types, and
// columns naming an enum type or domain.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "migrations/revision_file.hpp"

using namespace strata;

namespace {

Sequence order_numbers() {
    Sequence s;
    s.name = "order_numbers";
    s.type = TypeKind::integer;
    s.increment = -5;
    s.start = 1000;
    s.min_value = -10;
    s.max_value = 5000;
    s.cache = 20;
    s.cycle = true;
    s.owned_by_table = "orders";
    s.owned_by_column = "number";
    return s;
}

Domain postal_code() {
    Domain d;
    d.name = "postal_code";
    d.type = types::string(10);
    d.nullable = false;
    d.server_default = ServerDefault::literal("00000");
    d.checks = {CheckConstraint{"postal_code_digits", "VALUE ~ '^[0-9]+$'"},
                CheckConstraint{"postal_code_not_zero", "VALUE <> '00000'"}};
    return d;
}

std::vector<Step> object_steps() {
    const EnumType mood{"mood", {"sad", "it's \"ok\"", "happy"}};
    Sequence plain;
    plain.name = "plain_seq";
    Domain on_enum;
    on_enum.name = "good_mood";
    on_enum.type = mood.column_type();
    Domain nullable = postal_code();
    nullable.nullable = true;
    nullable.checks.pop_back();
    Sequence unowned = order_numbers();
    unowned.owned_by_table.clear();
    unowned.owned_by_column.clear();

    Column feeling;
    feeling.name = "feeling";
    feeling.type = mood.column_type();
    Column zip;
    zip.name = "zip";
    zip.type = postal_code().column_type();
    return {Step{op::CreateEnumType{mood}},
            Step{op::AlterEnumType{mood, EnumType{"mood", {"sad", "meh", "it's \"ok\"", "happy"}}}},
            Step{op::DropEnumType{mood}, true},
            Step{op::CreateDomain{postal_code()}},
            Step{op::CreateDomain{on_enum}},
            Step{op::AlterDomain{postal_code(), nullable}},
            Step{op::DropDomain{postal_code()}},
            Step{op::CreateSequence{order_numbers()}},
            Step{op::CreateSequence{plain}},
            Step{op::AlterSequence{order_numbers(), unowned}},
            Step{op::DropSequence{order_numbers()}, true},
            Step{op::AddColumn{"people", feeling, std::nullopt}},
            Step{op::AddColumn{"people", zip, std::nullopt}}};
}

}  // namespace

TEST_CASE("sequence, domain and enum type steps round-trip through a revision file", "[revisions][objects]") {
    Revision r;
    r.id = "5d1e0c2b9a77";
    r.message = "objects";
    r.created = "2026-12-07T10:00:00Z";
    r.upgrade = object_steps();
    const std::string text = write_revision(r);
    INFO(text);
    Revision back = parse_revision(text, "r.toml");
    REQUIRE(back.upgrade.size() == r.upgrade.size());
    for (std::size_t i = 0; i < r.upgrade.size(); ++i) {
        INFO("step " << i << ": " << op_name(r.upgrade[i].operation));
        CHECK(back.upgrade[i] == r.upgrade[i]);
    }
    CHECK(write_revision(back) == text);

    CHECK(text.find("op = \"create_sequence\"\nsequence = { name = \"order_numbers\", type = \"integer\", increment = -5, "
                    "start = 1000, min_value = -10, max_value = 5000, cache = 20, cycle = true, owned_by = "
                    "\"orders.number\" }") != std::string::npos);
    CHECK(text.find("sequence = { name = \"plain_seq\", type = \"big_integer\", increment = 1 }") != std::string::npos);
    CHECK(text.find("op = \"alter_enum_type\"\nenum_type = \"mood\"\nfrom = [") != std::string::npos);
    CHECK(text.find("domain = { name = \"postal_code\", type = \"string\", length = 10, nullable = false, default = "
                    "\"00000\", checks = [{ name = \"postal_code_digits\"") != std::string::npos);
    CHECK(text.find("type_name = \"mood\"") != std::string::npos);
    CHECK(text.find("type = \"other\", native = \"postal_code\", type_name = \"postal_code\"") != std::string::npos);
}

TEST_CASE("objects dropped by name only have no reverse - with their definition they do", "[revisions][objects]") {
    const std::string text = R"(revision = "b2"
message = "drops by name"

[[upgrade]]
op = "drop_sequence"
sequence = "order_numbers"

[[upgrade]]
op = "drop_domain"
domain = "postal_code"

[[upgrade]]
op = "drop_enum_type"
enum_type = "mood"
)";
    Revision r = parse_revision(text, "b2_drops.toml");
    REQUIRE(r.upgrade.size() == 3);
    for (const Step& step : r.upgrade) {
        INFO(describe(step.operation));
        CHECK_FALSE(reverse(step.operation).has_value());
    }
    CHECK(write_revision(r).find("sequence = \"order_numbers\"") != std::string::npos);
    for (const Step& step : object_steps()) {
        INFO(describe(step.operation));
        auto back = reverse(step.operation);
        REQUIRE(back.has_value());
        CHECK(reverse(*back) == step.operation);
    }
}

TEST_CASE("bad sequence, domain and enum type steps name the file and line", "[revisions][objects]") {
    auto expect_bad = [](const std::string& step, const std::string& fragment) {
        const std::string text = "revision = \"c3\"\nmessage = \"bad\"\n\n[[upgrade]]\n" + step;
        INFO(text);
        try {
            parse_revision(text, "m/c3.toml");
            FAIL("expected Error(input)");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::input);
            CHECK(e.file() == "m/c3.toml");
            INFO(e.what());
            CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        }
    };
    expect_bad("op = \"create_sequence\"\nsequence = { name = \"s\", increment = 0 }\n", "'increment' of sequence 's' must not be 0");
    expect_bad("op = \"create_sequence\"\nsequence = { name = \"s\", type = \"text\" }\n",
               "must be small_integer, integer or big_integer");
    expect_bad("op = \"create_sequence\"\nsequence = { name = \"s\", owned_by = \"orders\" }\n", "\"table.column\"");
    expect_bad("op = \"create_sequence\"\nsequence = { name = \"s\", start = \"1\" }\n", "'start'");
    expect_bad("op = \"create_sequence\"\nsequence = \"s\"\n", "must be a table");
    expect_bad("op = \"create_domain\"\ndomain = { name = \"d\", type = \"text\", autoincrement = true }\n",
               "unknown key 'autoincrement'");
    expect_bad("op = \"create_enum_type\"\nenum_type = { name = \"e\" }\n", "missing key 'values'");
    expect_bad("op = \"add_column\"\ntable = \"t\"\ncolumn = { name = \"c\", type = \"text\", type_name = \"x\" }\n",
               "'type_name' in column 'c' applies to type enum");
    expect_bad("op = \"create_sequences\"\nsequence = \"s\"\n", "unknown op 'create_sequences'");
}
