// Server defaults on every database: an unset strata::Defaulted<T> member (or a
// std::optional holding std::nullopt) on a column with a server default is left out of the
// INSERT; the database's default applies and is read back into the object by the flush.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "uow_models.hpp"

using namespace strata;
using namespace uow_test;

namespace {

// 2024-03-15 10:30:00, built from a std::chrono time point.
DateTime fixed_time() {
    using namespace std::chrono;
    return DateTime::from_sys_time(sys_days{year{2024} / 3 / 15} + hours{10} + minutes{30});
}

// CURRENT_TIMESTAMP is UTC on SQLite and in the session's time zone on MariaDB and
// PostgreSQL (timestamp without time zone): within a day of now, and not 1970.
bool near_now(const DateTime& t) {
    if (t.date.year < 2000) return false;
    auto d = t.to_sys_time() - DateTime::now().to_sys_time();
    if (d < d.zero()) d = -d;
    return d < std::chrono::hours(24);
}

// A nullable string as Catch shows it.
std::string shown(const std::optional<std::string>& s) { return s ? *s : std::string("<NULL>"); }

struct StoredEvent {
    DateTime created_at;
    std::optional<std::string> status;
    std::optional<std::string> note;
    std::int64_t priority = 0;
};

StoredEvent stored_event(Fixture& f, std::int64_t id) {
    auto rs = f.query("SELECT created_at, status, note, priority FROM events WHERE id = ?", {Value(id)});
    REQUIRE(rs.rows.size() == 1);
    const auto& row = rs.rows[0];
    StoredEvent out;
    REQUIRE_FALSE(is_null(row.at(0)));
    out.created_at = detail::value_to_datetime(row.at(0));
    if (!is_null(row.at(1))) out.status = detail::value_to_string(row.at(1));
    if (!is_null(row.at(2))) out.note = detail::value_to_string(row.at(2));
    out.priority = detail::value_to_int64(row.at(3), "priority");
    return out;
}

}  // namespace

TEST_CASE("defaults: Defaulted<T> is unset until assigned", "[orm][defaults]") {
    Defaulted<int> priority;
    CHECK_FALSE(priority.is_set());
    priority = 3;
    REQUIRE(priority.is_set());
    CHECK(priority.value() == 3);
    CHECK(*priority == 3);
    priority.reset();
    CHECK_FALSE(priority.is_set());
    CHECK_THROWS_AS(priority.value(), Error);  // unset: the database has not supplied it yet

    Defaulted<std::optional<std::string>> note;
    CHECK_FALSE(note.is_set());
    note = std::nullopt;  // explicit NULL: set, holding no value
    REQUIRE(note.is_set());
    CHECK_FALSE(note.value().has_value());
    note = std::optional<std::string>("x");
    CHECK(shown(*note) == "x");

    CHECK(fixed_time() == DateTime{Date{2024, 3, 15}, Time{10, 30, 0, 0}});
    CHECK(to_iso(fixed_time()) == "2024-03-15 10:30:00");
    CHECK(near_now(DateTime::now()));
}

TEST_CASE("defaults: unset members get the database's defaults, read back by the flush", "[orm][defaults]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto e = s.add(Event{.title = "unset"});
    REQUIRE_FALSE(e->created_at.is_set());
    REQUIRE_FALSE(e->note.is_set());
    REQUIRE_FALSE(e->priority.is_set());
    s.flush();
    REQUIRE(e->id > 0);
    REQUIRE(e->created_at.is_set());
    CHECK(near_now(e->created_at.value()));
    CHECK(shown(e->status) == "new");
    REQUIRE(e->note.is_set());
    CHECK(shown(e->note.value()) == "n/a");
    REQUIRE(e->priority.is_set());
    CHECK(*e->priority == 5);
    CHECK_FALSE(s.is_modified(e));  // the values read back are the snapshot: nothing to UPDATE
    s.commit();

    const StoredEvent row = stored_event(f, e->id);
    CHECK(to_iso(row.created_at) == to_iso(e->created_at.value()));
    CHECK(shown(row.status) == "new");
    CHECK(shown(row.note) == "n/a");
    CHECK(row.priority == 5);
}

TEST_CASE("defaults: values the program sets are written as given", "[orm][defaults]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    Event ev{.title = "set", .status = "draft"};
    ev.created_at = fixed_time();
    ev.note = std::optional<std::string>("hello");
    ev.priority = 9;
    auto e = s.add(std::move(ev));
    s.commit();
    REQUIRE(e->id > 0);
    CHECK(to_iso(e->created_at.value()) == "2024-03-15 10:30:00");
    CHECK(shown(e->status) == "draft");
    CHECK(shown(e->note.value()) == "hello");
    CHECK(*e->priority == 9);

    const StoredEvent row = stored_event(f, e->id);
    CHECK(to_iso(row.created_at) == "2024-03-15 10:30:00");
    CHECK(shown(row.status) == "draft");
    CHECK(shown(row.note) == "hello");
    CHECK(row.priority == 9);
}

TEST_CASE("defaults: std::nullopt assigned to a Defaulted optional writes NULL", "[orm][defaults]") {
    Fixture f;
    std::int64_t id = 0;
    DateTime created;
    {
        Session s(f.db.engine(), registry());
        Event ev{.title = "no note"};
        ev.note = std::nullopt;
        auto e = s.add(std::move(ev));
        s.commit();
        id = e->id;
        REQUIRE(e->note.is_set());
        CHECK_FALSE(e->note.value().has_value());
        CHECK(shown(e->status) == "new");  // the other defaults still apply
        REQUIRE(e->created_at.is_set());
        created = e->created_at.value();
    }
    const StoredEvent row = stored_event(f, id);
    CHECK_FALSE(row.note.has_value());
    CHECK(shown(row.status) == "new");
    CHECK(row.priority == 5);
    CHECK(to_iso(row.created_at) == to_iso(created));

    // Loaded again: every Defaulted member is set, the NULL one holding no value.
    Session s(f.db.engine(), registry());
    auto again = s.get<Event>(id);
    REQUIRE(again);
    REQUIRE(again->note.is_set());
    CHECK_FALSE(again->note.value().has_value());
    REQUIRE(again->priority.is_set());
    CHECK(*again->priority == 5);
    REQUIRE(again->created_at.is_set());
    CHECK(to_iso(again->created_at.value()) == to_iso(created));
}

TEST_CASE("defaults: a std::nullopt optional on a NOT NULL column with a server default takes the default",
          "[orm][defaults]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto r = s.add(Reading{.label = "automatic"});
    REQUIRE_NOTHROW(s.commit());
    REQUIRE(r->id > 0);
    REQUIRE(r->taken_at.has_value());
    CHECK(near_now(*r->taken_at));
    auto rs = f.query("SELECT taken_at FROM readings WHERE id = ?", {Value(r->id)});
    REQUIRE(rs.rows.size() == 1);
    REQUIRE_FALSE(is_null(rs.rows[0][0]));
    CHECK(to_iso(detail::value_to_datetime(rs.rows[0][0])) == to_iso(*r->taken_at));

    auto given = s.add(Reading{.label = "given", .taken_at = fixed_time()});
    s.commit();
    REQUIRE(given->taken_at.has_value());
    CHECK(to_iso(*given->taken_at) == "2024-03-15 10:30:00");
    CHECK(f.scalar("SELECT COUNT(*) FROM readings WHERE id = ? AND taken_at = ?",
                   {Value(given->id), Value(fixed_time())}) == 1);
}

TEST_CASE("defaults: fifty objects with defaults cost a few statements, not one per row", "[orm][defaults]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    std::vector<Event> events;
    for (int i = 0; i < 50; ++i) events.push_back(Event{.title = "e" + std::to_string(i)});
    auto added = s.add_all(std::move(events));
    const auto before = f.statements();
    s.commit();
    CHECK(f.statements() - before < 10);
    REQUIRE(added.size() == 50);
    for (std::size_t i = 0; i < added.size(); ++i) {
        const auto& e = added[i];
        REQUIRE(e->id > 0);
        if (i > 0) CHECK(added[i - 1]->id < e->id);
        REQUIRE(e->created_at.is_set());
        CHECK(near_now(e->created_at.value()));
        CHECK(shown(e->status) == "new");
        REQUIRE(e->note.is_set());
        CHECK(shown(e->note.value()) == "n/a");
        REQUIRE(e->priority.is_set());
        CHECK(*e->priority == 5);
    }
    CHECK(f.scalar("SELECT COUNT(*) FROM events WHERE priority = ? AND status = ? AND note = ?",
                   {Value(std::int64_t{5}), Value(std::string("new")), Value(std::string("n/a"))}) == 50);
}

TEST_CASE("defaults: in one batch each object gets its own value or the default", "[orm][defaults]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    std::vector<std::shared_ptr<Event>> events;
    for (int i = 0; i < 6; ++i) {
        Event ev{.title = "m" + std::to_string(i)};
        if (i % 2 == 0) {  // even: created_at, status and priority given
            ev.created_at = fixed_time();
            ev.status = "s" + std::to_string(i);
            ev.priority = 10 + i;
        }
        if (i % 3 == 0) ev.note = std::nullopt;                                    // explicit NULL
        else if (i % 3 == 1) ev.note = std::optional<std::string>("note" + std::to_string(i));  // a value
        events.push_back(s.add(std::move(ev)));                                    // i % 3 == 2: default
    }
    s.commit();
    for (int i = 0; i < 6; ++i) {
        INFO("event m" << i);
        const auto& e = events[static_cast<std::size_t>(i)];
        const bool given = i % 2 == 0;
        const std::optional<std::string> note =
            i % 3 == 0 ? std::nullopt
                       : std::optional<std::string>(i % 3 == 1 ? "note" + std::to_string(i) : std::string("n/a"));
        const StoredEvent row = stored_event(f, e->id);
        REQUIRE(e->created_at.is_set());
        CHECK(to_iso(row.created_at) == to_iso(e->created_at.value()));
        if (given) CHECK(to_iso(row.created_at) == "2024-03-15 10:30:00");
        else CHECK(near_now(row.created_at));
        CHECK(shown(row.status) == (given ? "s" + std::to_string(i) : std::string("new")));
        CHECK(shown(e->status) == shown(row.status));
        CHECK(row.priority == (given ? 10 + i : 5));
        REQUIRE(e->priority.is_set());
        CHECK(*e->priority == row.priority);
        CHECK(shown(row.note) == shown(note));
        REQUIRE(e->note.is_set());
        CHECK(shown(e->note.value()) == shown(note));
    }
}

TEST_CASE("defaults: a loaded Defaulted member changed by the program is updated", "[orm][defaults]") {
    Fixture f;
    std::int64_t id = 0;
    {
        Session s(f.db.engine(), registry());
        auto e = s.add(Event{.title = "loaded"});
        s.commit();
        id = e->id;
    }
    Session s(f.db.engine(), registry());
    auto e = s.get<Event>(id);
    REQUIRE(e);
    REQUIRE(e->priority.is_set());
    CHECK(*e->priority == 5);
    CHECK_FALSE(s.is_modified(e));
    e->priority = 7;
    e->note = std::nullopt;
    CHECK(s.is_modified(e));
    s.commit();
    const StoredEvent row = stored_event(f, id);
    CHECK(row.priority == 7);
    CHECK_FALSE(row.note.has_value());
    CHECK(shown(row.status) == "new");

    // reset() on a loaded object asks for nothing: an unset member is never written.
    e->priority.reset();
    CHECK_FALSE(s.is_modified(e));
    s.commit();
    CHECK(stored_event(f, id).priority == 7);
}

// EngineOptions::insert_returning = false (a proxy or server without RETURNING, as MySQL):
// generated keys come from last_insert_id() one row per statement, server defaults from one
// SELECT per batch. PostgreSQL cannot do without RETURNING and says so at connect.
TEST_CASE("defaults: without RETURNING, keys and defaults are read back by one SELECT per batch", "[orm][defaults]") {
    Fixture f;
    Engine engine = create_engine(f.db.url(), EngineOptions{.insert_returning = false});
    if (strata::testing::dialect() == "postgres") {
        try {
            engine.connection();
            FAIL("PostgreSQL accepted insert_returning = false");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::input);
            CHECK_THAT(e.what(), Catch::Contains("RETURNING"));
        }
        return;
    }
    REQUIRE_FALSE(engine.connection().capabilities().returning);
    Session s(engine, registry());
    std::vector<Event> batch;
    for (int i = 0; i < 20; ++i) batch.push_back(Event{.title = "b" + std::to_string(i)});
    auto generated = s.add_all(std::move(batch));
    auto explicit_key = s.add(Event{.id = 5000, .title = "k", .priority = 7});
    auto explicit_key2 = s.add(Event{.id = 5001, .title = "k2"});
    const auto before = engine.stats().statements;
    s.flush();
    const auto statements = engine.stats().statements - before;
    // BEGIN, 20 single-row INSERTs and one SELECT for them, then the two explicit keys in
    // two shapes (priority given or not): one INSERT and one SELECT each.
    CHECK(statements <= 20 + 2 + 4);
    for (const auto& e : generated) {
        REQUIRE(e->id > 0);
        REQUIRE(e->created_at.is_set());
        CHECK(near_now(e->created_at.value()));
        CHECK(shown(e->status) == "new");
        CHECK(*e->priority == 5);
        CHECK(shown(e->note.value()) == "n/a");
    }
    CHECK(explicit_key->id == 5000);
    CHECK(*explicit_key->priority == 7);
    CHECK(*explicit_key2->priority == 5);
    CHECK(near_now(explicit_key2->created_at.value()));
    s.commit();
    const StoredEvent row = stored_event(f, generated.back()->id);
    CHECK(to_iso(row.created_at) == to_iso(generated.back()->created_at.value()));
    CHECK(f.scalar("SELECT COUNT(*) FROM events") == 22);
}

// Explicit keys with columns left to the server: RETURNING brings the key with the defaults
// and the rows are matched to the objects by key, whatever order they come back in.
TEST_CASE("defaults: objects with explicit keys get their defaults too", "[orm][defaults]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    std::vector<std::shared_ptr<Event>> events;
    for (std::int64_t id : {7003, 7001, 7002}) events.push_back(s.add(Event{.id = id, .title = "x"}));
    auto given = s.add(Event{.id = 7000, .title = "y", .priority = 9});
    s.flush();
    for (const auto& e : events) {
        INFO("event " << e->id);
        REQUIRE(e->priority.is_set());
        CHECK(*e->priority == 5);
        CHECK(shown(e->status) == "new");
        CHECK(near_now(e->created_at.value()));
    }
    CHECK(*given->priority == 9);
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM events WHERE id BETWEEN ? AND ? AND priority = ?",
                   {Value(std::int64_t{7001}), Value(std::int64_t{7003}), Value(std::int64_t{5})}) == 3);
    CHECK(stored_event(f, 7000).priority == 9);
}
