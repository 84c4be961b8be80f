// Generated keys of a large ORM insert land in the right objects on every database:
// with INSERT ... RETURNING (PostgreSQL, SQLite 3.35+, MariaDB 10.5+) a few multi-row
// statements, otherwise one INSERT per object. Checked by reading the rows back, raw and
// through the ORM's hydration (which reads RowView::cell()).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dialects/mysql/mysql_connection.hpp"
#include "orm/orm.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

struct Item {
    std::int64_t id = 0;
    std::string label;
    int n = 0;
    std::optional<double> score;
};

Registry& items_registry() {
    static Registry* r = [] {
        auto* reg = new Registry();
        reg->table<Item>("items")
            .column("id", &Item::id, primary_key)
            .column("label", &Item::label, type(types::string(120)))
            .column("n", &Item::n)
            .column("score", &Item::score);
        return reg;
    }();
    return *r;
}

Item make_item(int i) {
    std::optional<double> score;
    if (i % 3 != 0) score = i * 0.25 - 100;
    return Item{.label = fmt::format("item {} «{}» it's", i, i * 7919 % 1000), .n = i, .score = score};
}

// id -> (label, n) as stored.
std::map<std::int64_t, std::pair<std::string, std::int64_t>> stored(Connection& conn) {
    const Dialect& d = conn.dialect();
    std::map<std::int64_t, std::pair<std::string, std::int64_t>> rows;
    auto rs = conn.query(fmt::format("SELECT {}, {}, {} FROM {}", d.quote("id"), d.quote("label"), d.quote("n"),
                                     d.quote("items")));
    for (const auto& row : rs.rows)
        rows[std::get<std::int64_t>(row.at(0))] = {std::get<std::string>(row.at(1)), std::get<std::int64_t>(row.at(2))};
    return rows;
}

}  // namespace

TEST_CASE("row_cells: the connection reports RETURNING where the server has it", "[row_cells]") {
    TestDatabase db;
    Connection& conn = db.connection();
    if (strata::testing::dialect() == "postgres") {
        CHECK(conn.capabilities().returning);
    } else if (strata::testing::dialect() == "mysql") {
        std::string version = conn.server_version();
        INFO("server " << version);
        CHECK(conn.capabilities().returning == server_has_insert_returning(version));
        CHECK(conn.capabilities().returning == (version.find("MariaDB") != std::string::npos));
        // Everything else is the dialect's.
        CHECK(conn.capabilities().max_bind_parameters == conn.dialect().capabilities().max_bind_parameters);
        CHECK_FALSE(conn.dialect().capabilities().returning);
    } else {
        CHECK(conn.capabilities().returning == conn.dialect().capabilities().returning);
    }
}

TEST_CASE("row_cells: a raw multi-row INSERT ... RETURNING reads its keys as integer cells", "[row_cells]") {
    TestDatabase db;
    Connection& conn = db.connection();
    if (!conn.capabilities().returning) return;  // MySQL proper: nothing to check
    items_registry().create_all(db.engine());
    const Dialect& d = conn.dialect();
    std::string sql = fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {}), ({}, {}), ({}, {}) RETURNING {}",
                                  d.quote("items"), d.quote("label"), d.quote("n"), d.placeholder(1), d.placeholder(2),
                                  d.placeholder(3), d.placeholder(4), d.placeholder(5), d.placeholder(6), d.quote("id"));
    // MySQL/MariaDB: the keys are in the rows; last_insert_id() stays as it was (documented).
    const bool mysql = strata::testing::dialect() == "mysql";
    const std::int64_t last_before = mysql ? conn.last_insert_id() : 0;
    for (int round = 0; round < 2; ++round) {  // the second run reuses the prepared statement
        std::vector<Value> params = {std::string("a"), std::int64_t{1}, std::string("b"), std::int64_t{2},
                                     std::string("c"), std::int64_t{3}};
        std::vector<std::int64_t> keys;
        conn.query(sql, params, [&](const RowView& row) {
            REQUIRE(row.size() == 1);
            Cell c = row.cell(0);
            REQUIRE(c.kind == Cell::Kind::integer);
            CHECK(row.get(0) == Value(c.integer));
            keys.push_back(c.integer);
        });
        REQUIRE(keys.size() == 3);
        CHECK(std::set<std::int64_t>(keys.begin(), keys.end()).size() == 3);
        auto rows = stored(conn);
        for (std::size_t k = 0; k < keys.size(); ++k) CHECK(rows.at(keys[k]).second == static_cast<std::int64_t>(k + 1));
    }
    if (mysql) CHECK(conn.last_insert_id() == last_before);
    // The connection is ready for the next statement.
    CHECK(stored(conn).size() == 6);
}

TEST_CASE("row_cells: INSERT ... RETURNING that fails on a later row reports the constraint", "[row_cells]") {
    TestDatabase db;
    Connection& conn = db.connection();
    if (!conn.capabilities().returning) return;
    items_registry().create_all(db.engine());
    const Dialect& d = conn.dialect();
    std::string sql = fmt::format("INSERT INTO {} ({}, {}, {}) VALUES ({}, {}, {}), ({}, {}, {}) RETURNING {}",
                                  d.quote("items"), d.quote("id"), d.quote("label"), d.quote("n"), d.placeholder(1),
                                  d.placeholder(2), d.placeholder(3), d.placeholder(4), d.placeholder(5),
                                  d.placeholder(6), d.quote("id"));
    auto run = [&](std::int64_t first, std::int64_t second) {
        std::vector<Value> params = {first, std::string("x"), std::int64_t{1}, second, std::string("y"), std::int64_t{2}};
        std::vector<std::int64_t> keys;
        conn.query(sql, params, [&](const RowView& row) { keys.push_back(row.cell(0).integer); });
        std::sort(keys.begin(), keys.end());  // RETURNING promises no order
        return keys;
    };
    for (int attempt = 0; attempt < 2; ++attempt) {  // the same cached statement fails twice alike
        try {
            run(7, 7);
            FAIL("a duplicate key in the second row was accepted");
        } catch (const Error& e) {
            INFO(e.what());
            CHECK(e.kind() == ErrorKind::constraint);
        }
    }
    CHECK(stored(conn).empty());
    CHECK(run(8, 9) == std::vector<std::int64_t>{8, 9});
    CHECK(stored(conn).size() == 2);
}

TEST_CASE("row_cells: ORM insert of 1,200 objects with generated keys gets every key right", "[row_cells]") {
    TestDatabase db;
    items_registry().create_all(db.engine());
    Connection& conn = db.connection();
    const bool returning = conn.capabilities().returning;
    const int n = 1200;

    std::vector<std::shared_ptr<Item>> added;
    {
        Session s(db.engine(), items_registry());
        std::vector<Item> items;
        for (int i = 0; i < n; ++i) items.push_back(make_item(i));
        added = s.add_all(std::move(items));
        auto before = conn.stats().statements;
        s.commit();
        auto statements = conn.stats().statements - before;
        if (returning) CHECK(statements <= 8);  // three batches of at most 500 rows, plus COMMIT
        else CHECK(statements >= static_cast<std::uint64_t>(n));
        // A second flush continues the counter and still matches.
        std::vector<Item> more;
        for (int i = n; i < n + 300; ++i) more.push_back(make_item(i));
        auto later = s.add_all(std::move(more));
        s.commit();
        added.insert(added.end(), later.begin(), later.end());
    }

    auto rows = stored(conn);
    REQUIRE(rows.size() == added.size());
    std::set<std::int64_t> ids;
    for (const auto& item : added) {
        INFO("object n=" << item->n << " got id " << item->id);
        REQUIRE(rows.count(item->id) == 1);
        CHECK(rows.at(item->id).first == item->label);
        CHECK(rows.at(item->id).second == item->n);
        ids.insert(item->id);
    }
    CHECK(ids.size() == added.size());

    // Hydration in a fresh session reads the same objects back, field by field.
    Session fresh(db.engine(), items_registry());
    auto loaded = fresh.query<Item>().all();
    REQUIRE(loaded.size() == added.size());
    std::map<std::int64_t, const Item*> by_id;
    for (const auto& item : added) by_id[item->id] = item.get();
    for (const auto& item : loaded) {
        INFO("loaded id " << item->id);
        REQUIRE(by_id.count(item->id) == 1);
        const Item& want = *by_id.at(item->id);
        CHECK(item->label == want.label);
        CHECK(item->n == want.n);
        CHECK(item->score == want.score);
    }
    // Nothing hydrated looks changed: the snapshot matches what the cells gave.
    auto before = conn.stats().statements;
    fresh.flush();
    CHECK(conn.stats().statements == before);
}
