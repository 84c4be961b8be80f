// Views as schema objects without a database: the differ's order (drops first, creations
// and replacements last, each view after those it reads), the schema edit, reverses, and
// revision files.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/schema_edit.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using T = strata::testing::TableBuilder;

namespace {

View view_of(std::string name, std::string definition, bool materialized = false) {
    return View{std::move(name), std::move(definition), {}, materialized};
}

Metadata shop() {
    return strata::testing::schema(
        {T("customers").id().col("name", types::string(40), false),
         T("orders").id().col("customer_id", types::integer(), false).col("total", types::numeric(10, 2))});
}

std::vector<std::string> listing(const DiffResult& r) {
    std::vector<std::string> out;
    for (const Operation& op : r.operations) out.push_back(describe(op));
    return out;
}

// customer_totals reads orders; big_customers reads customer_totals; names: customers.
Metadata shop_with_views() {
    Metadata m = shop();
    m.add_view(view_of("customer_totals", "SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id"));
    m.add_view(view_of("big_customers", "SELECT customer_id FROM customer_totals WHERE spent > 100"));
    m.add_view(view_of("names", "SELECT name FROM customers"));
    return m;
}

}  // namespace

TEST_CASE("new views are created after the tables, each after the views it reads", "[views][differ]") {
    const Metadata desired = shop_with_views();
    DiffResult r = diff(Metadata{}, desired);
    CHECK(listing(r) == std::vector<std::string>{"create table customers (2 columns)",
                                                 "create table orders (3 columns)", "create view customer_totals",
                                                 "create view big_customers", "create view names"});
    // Applied to the current schema, the operations give the desired one; diffing it again
    // gives nothing.
    Metadata after;
    strata::apply(after, r.operations);
    CHECK(after == desired);
    CHECK(diff(desired, desired).empty());
    CHECK(diff(after, desired).empty());
}

TEST_CASE("views that go away are dropped before any table change, readers first", "[views][differ]") {
    Metadata desired = shop();
    desired.find("orders")->columns.pop_back();  // drop orders.total
    DiffResult r = diff(shop_with_views(), desired);
    CHECK(listing(r) == std::vector<std::string>{"drop view names", "drop view big_customers",
                                                 "drop view customer_totals", "drop column orders.total"});
}

TEST_CASE("a changed view is replaced in place when no table it reads changes", "[views][differ]") {
    Metadata desired = shop_with_views();
    desired.find_view("names")->definition = "SELECT upper(name) AS name FROM customers";
    desired.find("orders")->columns.push_back(strata::testing::column("note", types::text()));
    DiffResult r = diff(shop_with_views(), desired);
    CHECK(listing(r) == std::vector<std::string>{"add column orders.note text NULL", "replace view names"});
    const auto& replace = std::get<op::ReplaceView>(r.operations.back());
    CHECK(replace.from == *shop_with_views().find_view("names"));
    CHECK(replace.to == *desired.find_view("names"));
}

TEST_CASE("a changed view over a changed table is dropped first and created last, with the views reading it",
          "[views][differ]") {
    Metadata desired = shop_with_views();
    desired.find("orders")->columns.push_back(strata::testing::column("discount", types::numeric(10, 2)));
    desired.find_view("customer_totals")->definition =
        "SELECT customer_id, sum(total - discount) AS spent FROM orders GROUP BY customer_id";
    DiffResult r = diff(shop_with_views(), desired);
    CHECK(listing(r) == std::vector<std::string>{"drop view big_customers", "drop view customer_totals",
                                                 "add column orders.discount numeric(10,2) NULL",
                                                 "create view customer_totals", "create view big_customers"});
    // An unchanged view over a changed table stays: the database (or the plan) keeps it.
    desired = shop_with_views();
    desired.find("orders")->find_column("total")->type = types::numeric(12, 2);
    CHECK(listing(diff(shop_with_views(), desired)) ==
          std::vector<std::string>{"alter column orders.total: type numeric(10,2) -> numeric(12,2)"});
}

TEST_CASE("a view that turns materialized is dropped and created", "[views][differ]") {
    Metadata desired = shop_with_views();
    desired.find_view("names")->materialized = true;
    CHECK(listing(diff(shop_with_views(), desired)) ==
          std::vector<std::string>{"drop view names", "create materialized view names"});
}

TEST_CASE("with a dialect, view definitions compare trimmed", "[views][differ]") {
    Metadata desired = shop_with_views();
    desired.find_view("names")->definition = "\n  SELECT name FROM customers;\n";
    CHECK(diff(shop_with_views(), desired, {.dialect = &sqlite_dialect()}).empty());
    CHECK_FALSE(diff(shop_with_views(), desired).empty());
}

TEST_CASE("view operations edit the schema, reverse, and refuse what does not fit", "[views][schema_edit]") {
    Metadata m = shop();
    const View names = view_of("names", "SELECT name FROM customers");
    const View upper = view_of("names", "SELECT upper(name) AS name FROM customers");
    strata::apply(m, op::CreateView{names});
    CHECK(*m.find_view("names") == names);
    strata::apply(m, op::ReplaceView{names, upper});
    CHECK(*m.find_view("names") == upper);
    CHECK_THROWS_AS(strata::apply(m, op::CreateView{names}), Error);
    CHECK_THROWS_AS(strata::apply(m, op::CreateView{view_of("orders", "SELECT 1")}), Error);  // a table's name
    strata::apply(m, op::DropView{upper});
    CHECK(m.find_view("names") == nullptr);
    CHECK_THROWS_AS(strata::apply(m, op::DropView{upper}), Error);

    CHECK(reverse(Operation(op::CreateView{names})) == Operation(op::DropView{names}));
    CHECK(reverse(Operation(op::ReplaceView{names, upper})) == Operation(op::ReplaceView{upper, names}));
    CHECK_FALSE(reverse(Operation(op::DropView{view_of("names", "")})).has_value());  // known by name only
    CHECK_FALSE(is_destructive(op::DropView{names}));
    CHECK(std::string(op_name(op::ReplaceView{names, upper})) == "replace_view");
}

TEST_CASE("view operations round-trip through a revision file", "[views][revisions]") {
    View titles = view_of("thread_titles", "SELECT id,\n       upper(title) AS shout\nFROM threads", true);
    View named = view_of("open_threads", "SELECT id, title FROM threads WHERE state = 'open'");
    named.columns = {"thread_id", "headline"};
    Revision r;
    r.id = "3f2a9c1b7e04";
    r.message = "views";
    r.created = "2026-11-26T05:00:00Z";
    r.upgrade = {Step{op::CreateView{titles}, false}, Step{op::CreateView{named}, false},
                 Step{op::ReplaceView{named, view_of("open_threads", "SELECT 1 AS one")}, false},
                 Step{op::DropView{titles}, false}, Step{op::DropView{view_of("old_view", "")}, false}};
    const std::string text = write_revision(r);
    INFO(text);
    CHECK(text.find("op = \"create_view\"\nname = \"thread_titles\"\ndefinition = \"\"\"\nSELECT id,\n") !=
          std::string::npos);
    CHECK(text.find("materialized = true") != std::string::npos);
    CHECK(text.find("columns = [\"thread_id\", \"headline\"]") != std::string::npos);
    CHECK(text.find("from_definition = \"SELECT id, title FROM threads WHERE state = 'open'\"") != std::string::npos);
    CHECK(text.find("from_columns = [\"thread_id\", \"headline\"]") != std::string::npos);
    Revision back = parse_revision(text, "r.toml");
    CHECK(back.upgrade == r.upgrade);
    CHECK(write_revision(back) == text);

    // A replace_view without the old definition could not be reversed: it is refused.
    CHECK_THROWS_WITH(parse_revision("revision = \"3f2a9c1b7e04\"\nmessage = \"m\"\n\n[[upgrade]]\nop = "
                                     "\"replace_view\"\nname = \"v\"\ndefinition = \"SELECT 1\"\n",
                                     "bad.toml"),
                      Catch::Contains("from_definition") && Catch::Contains("bad.toml"));
}
