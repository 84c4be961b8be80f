// Pure differ tests for the schema objects beside the tables: sequences, domains and
// enum types. Every diff is checked like the table diffs are: its operations turn the
// current schema into the desired one, and their reverse turns it back.
#include <catch2/catch.hpp>

#include <algorithm>

#include "migrations/differ.hpp"
#include "migrations/schema_edit.hpp"
#include "diff_listing.hpp"
#include "schema_builder.hpp"

using namespace strata;
using strata::testing::described;
using strata::testing::listing;
using T = strata::testing::TableBuilder;

namespace {

DiffResult checked_diff(const Metadata& current, const Metadata& desired) {
    current.validate();
    desired.validate();
    DiffResult r = diff(current, desired);
    INFO("operations:\n" << listing(r));
    Metadata state = current;
    strata::apply(state, r.operations);
    CHECK(state == desired);
    CHECK(diff(state, desired).empty());
    strata::apply(state, reverse(r.operations));
    CHECK(state == current);
    return r;
}

// Position of the first operation whose description starts with `prefix`; fails when none.
std::size_t at(const DiffResult& r, const std::string& prefix) {
    auto d = described(r);
    for (std::size_t i = 0; i < d.size(); ++i)
        if (d[i].rfind(prefix, 0) == 0) return i;
    FAIL("no operation starting with '" << prefix << "' in:\n" << listing(r));
    return 0;
}

const EnumType kMood{"mood", {"sad", "ok", "happy"}};

// New labels for enum type `name`, on the type and on the columns of that type.
void relabel(Metadata& m, const std::string& name, std::vector<std::string> values) {
    m.enum_types().find(name)->values = values;
    for (const Table& t : m.tables())
        for (Column& c : m.find(t.name)->columns)
            if (c.type.type_name == name) c.type.enum_values = values;
}

Domain postal_code() {
    Domain d;
    d.name = "postal_code";
    d.type = types::string(10);
    d.nullable = false;
    d.checks = {CheckConstraint{"postal_code_digits", "VALUE ~ '^[0-9]+$'"}};
    return d;
}

Sequence shared_ids() {
    Sequence s;
    s.name = "shared_ids";
    s.start = 1000;
    return s;
}

// people and pets take their ids from one sequence; people.feeling is of type mood,
// both zip columns of domain postal_code; pets.tag owns its own sequence.
Metadata full_schema() {
    Metadata m;
    m.add(kMood);
    m.add(postal_code());
    m.add(shared_ids());
    Sequence tags;
    tags.name = "pet_tags";
    tags.owned_by_table = "pets";
    tags.owned_by_column = "tag";
    m.add(tags);
    const auto next_id = ServerDefault::expression("nextval('shared_ids')");
    m.add(T("people")
              .col("id", types::big_integer(), false, next_id)
              .col("feeling", kMood.column_type(), false, ServerDefault::literal("ok"))
              .col("zip", postal_code().column_type())
              .pk({"id"})
              .build());
    m.add(T("pets")
              .col("id", types::big_integer(), false, next_id)
              .col("tag", types::big_integer(), false, ServerDefault::expression("nextval('pet_tags')"))
              .col("zip", postal_code().column_type())
              .pk({"id"})
              .build());
    return m;
}

}  // namespace

TEST_CASE("differ: sequences, domains and enum types are created before the tables and dropped after them",
          "[differ][objects]") {
    const Metadata full = full_schema();
    const Metadata empty;

    DiffResult up = checked_diff(empty, full);
    CHECK(at(up, "create enum type mood") < at(up, "create table people"));
    CHECK(at(up, "create domain postal_code") < at(up, "create table people"));
    CHECK(at(up, "create sequence shared_ids") < at(up, "create table people"));
    // The owner column does not exist before the table: the sequence is created
    // unowned and owned once the table exists.
    CHECK(at(up, "create sequence pet_tags") < at(up, "create table pets"));
    CHECK(at(up, "alter sequence pet_tags") > at(up, "create table pets"));
    const auto* created = std::get_if<op::CreateSequence>(&up.operations[at(up, "create sequence pet_tags")]);
    REQUIRE(created);
    CHECK_FALSE(created->sequence.owned());

    DiffResult down = checked_diff(full, empty);
    // The owner is released before the table goes, so the drop does not take it along.
    CHECK(at(down, "alter sequence pet_tags") < at(down, "drop table pets"));
    CHECK(at(down, "drop sequence pet_tags") > at(down, "drop table pets"));
    CHECK(at(down, "drop domain postal_code") > at(down, "drop table people"));
    CHECK(at(down, "drop enum type mood") > at(down, "drop table people"));
    CHECK(diff(full, full).empty());
}

TEST_CASE("differ: a changed sequence, domain or enum type is altered in place", "[differ][objects]") {
    const Metadata current = full_schema();
    Metadata desired = full_schema();
    desired.sequences().find("shared_ids")->increment = 10;
    desired.domains().find("postal_code")->nullable = true;
    relabel(desired, "mood", {"sad", "ok", "meh", "happy"});

    DiffResult r = checked_diff(current, desired);
    REQUIRE(r.operations.size() == 3);
    // Labels are added first of all: PostgreSQL adds them outside the transaction.
    CHECK(std::holds_alternative<op::AlterEnumType>(r.operations[0]));
    CHECK(at(r, "alter domain postal_code") >= 1);
    CHECK(at(r, "alter sequence shared_ids") >= 1);
    CHECK(is_destructive(r.operations[0]) == false);
    // Columns of the enum type are not altered: the labels belong to the type.
    for (const Operation& op : r.operations) CHECK_FALSE(std::holds_alternative<op::AlterColumn>(op));

    // Removing a label loses the rows holding it.
    Metadata fewer = current;
    relabel(fewer, "mood", {"sad", "happy"});
    DiffResult removal = checked_diff(current, fewer);
    REQUIRE(removal.operations.size() == 1);
    CHECK(is_destructive(removal.operations[0]));
}

TEST_CASE("differ: a column moving to another enum type or domain is altered", "[differ][objects]") {
    const Metadata current = full_schema();
    Metadata desired = full_schema();
    const EnumType temper{"temper", {"calm", "cross"}};
    desired.add(temper);
    desired.find("people")->find_column("feeling")->type = temper.column_type();
    desired.find("people")->find_column("feeling")->server_default = ServerDefault::literal("calm");
    DiffResult r = checked_diff(current, desired);
    CHECK(at(r, "create enum type temper") < at(r, "alter column people.feeling"));
}

TEST_CASE("differ: a domain based on another is created after it and dropped before it", "[differ][objects]") {
    Metadata m;
    Domain base = postal_code();
    Domain strict;
    strict.name = "a_strict_code";  // sorts first by name
    strict.type = base.column_type();
    strict.checks = {CheckConstraint{"", "VALUE <> '00000'"}};
    m.add(strict);
    m.add(base);
    DiffResult up = checked_diff(Metadata{}, m);
    CHECK(at(up, "create domain postal_code") < at(up, "create domain a_strict_code"));
    DiffResult down = checked_diff(m, Metadata{});
    CHECK(at(down, "drop domain a_strict_code") < at(down, "drop domain postal_code"));
    // The unnamed check got the naming convention's name.
    CHECK(m.domains().find("a_strict_code")->checks[0].name == "ck_a_strict_code_value_00000");
}

TEST_CASE("differ: a sequence moving to another owner is released first and owned last", "[differ][objects]") {
    const Metadata current = full_schema();
    Metadata desired = full_schema();
    desired.find("pets")->columns.push_back(strata::testing::column("serial_no", types::big_integer()));
    Sequence& tags = *desired.sequences().find("pet_tags");
    tags.owned_by_column = "serial_no";
    DiffResult r = checked_diff(current, desired);
    CHECK(at(r, "alter sequence pet_tags") < at(r, "add column pets.serial_no"));
    std::size_t last = r.operations.size() - 1;
    const auto* own = std::get_if<op::AlterSequence>(&r.operations[last]);
    REQUIRE(own);
    CHECK(own->to.owned_by_column == "serial_no");
}

TEST_CASE("metadata: schema objects are validated with the tables", "[schema][objects]") {
    Metadata m = full_schema();
    CHECK_NOTHROW(m.validate());
    CHECK_THROWS_AS(m.add(kMood), Error);
    CHECK_THROWS_AS(m.add(shared_ids()), Error);

    Metadata bad_type = full_schema();
    bad_type.enum_types().remove("mood");
    CHECK_THROWS_WITH(bad_type.validate(), Catch::Contains("enum type \"mood\", which is not in this Metadata"));

    Metadata bad_domain = full_schema();
    bad_domain.domains().remove("postal_code");
    CHECK_THROWS_WITH(bad_domain.validate(), Catch::Contains("domain \"postal_code\", which is not in this Metadata"));

    Metadata bad_owner = full_schema();
    bad_owner.sequences().find("pet_tags")->owned_by_column = "nope";
    CHECK_THROWS_WITH(bad_owner.validate(), Catch::Contains("owned by pets.nope"));

    Metadata zero = full_schema();
    zero.sequences().find("shared_ids")->increment = 0;
    CHECK_THROWS_WITH(zero.validate(), Catch::Contains("increment of 0"));

    Metadata orphan_domain = full_schema();
    Domain on_nothing;
    on_nothing.name = "feelings";
    on_nothing.type = EnumType{"temper", {"calm"}}.column_type();
    orphan_domain.add(on_nothing);
    CHECK_THROWS_WITH(orphan_domain.validate(), Catch::Contains("domain \"feelings\" is based on temper"));

    Metadata twice = full_schema();
    twice.enum_types().find("mood")->values.push_back("ok");
    CHECK_THROWS_WITH(twice.validate(), Catch::Contains("'ok' twice"));

    // Objects are part of equality.
    Metadata other = full_schema();
    CHECK(other == full_schema());
    other.sequences().find("shared_ids")->cycle = true;
    CHECK_FALSE(other == full_schema());
}
