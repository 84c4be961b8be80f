// Pure unit tests of the std::chrono conversions of Date, Time and DateTime, and of
// strata::Defaulted<T>: its states, its ColumnTraits and its member type.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/value.hpp"
#include "orm/orm.hpp"

using namespace strata;
using namespace std::chrono;

namespace {

// Runs f, which must throw Error(usage); returns its message.
template <class F>
std::string usage_error(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        return e.what();
    }
    FAIL("no Error(usage) thrown");
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Post {
    std::int64_t id = 0;
    std::string title;
    Defaulted<DateTime> created_at;
    Defaulted<std::optional<std::string>> note;
    std::optional<std::string> summary;
};

const detail::MemberType& created_type() { return detail::member_type<Defaulted<DateTime>>(); }
const detail::MemberType& note_type() { return detail::member_type<Defaulted<std::optional<std::string>>>(); }

}  // namespace

// ---- Date, Time, DateTime <-> std::chrono -------------------------------------------------

TEST_CASE("chrono: Date <-> sys_days around the epoch, before 1970 and on leap days", "[chrono]") {
    CHECK(Date::from_sys_days(sys_days{}) == Date{.year = 1970, .month = 1, .day = 1});
    CHECK(Date::from_sys_days(sys_days{days{-1}}) == Date{.year = 1969, .month = 12, .day = 31});
    CHECK(Date{.year = 1969, .month = 12, .day = 31}.to_sys_days() == sys_days{days{-1}});
    CHECK(Date{.year = 2024, .month = 2, .day = 29}.to_sys_days() == sys_days{2024y / February / 29});
    CHECK(Date{.year = 2000, .month = 2, .day = 29}.to_sys_days() == sys_days{2000y / February / 29});
    CHECK(Date::from_sys_days(sys_days{1600y / February / 29}) == Date{.year = 1600, .month = 2, .day = 29});
    CHECK(Date::from_sys_days(sys_days{1900y / March / 1} - days{1}) == Date{.year = 1900, .month = 2, .day = 28});
    CHECK(Date{.year = -1, .month = 12, .day = 31}.to_sys_days() == sys_days{year{-1} / December / 31});
}

TEST_CASE("chrono: Date round trips over the whole range of years", "[chrono]") {
    const sys_days first = year::min() / January / 1, last = year::max() / December / 31;
    for (sys_days d = first; d <= last; d += days{997}) {
        Date date = Date::from_sys_days(d);
        REQUIRE(date.to_sys_days() == d);
    }
    CHECK(Date::from_sys_days(last).to_sys_days() == last);
    CHECK(Date::from_sys_days(first) == Date{.year = -32767, .month = 1, .day = 1});
}

TEST_CASE("chrono: invalid dates are Error(usage)", "[chrono]") {
    CHECK(contains(usage_error([] { (void)Date{.year = 2023, .month = 2, .day = 29}.to_sys_days(); }), "2023-02-29"));
    usage_error([] { (void)Date{.year = 1900, .month = 2, .day = 29}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 2024, .month = 4, .day = 31}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 2024, .month = 13, .day = 1}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 2024, .month = 0, .day = 1}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 2024, .month = -1, .day = 1}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 2024, .month = 1, .day = 0}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 2024, .month = 1, .day = 32}.to_sys_days(); });
    usage_error([] { (void)Date{.year = 40000, .month = 1, .day = 1}.to_sys_days(); });
    usage_error([] { (void)Date::from_sys_days(sys_days{year::max() / December / 31} + days{1}); });
    usage_error([] { (void)Date::from_sys_days(sys_days{year::min() / January / 1} - days{1}); });
}

TEST_CASE("chrono: Time <-> duration since midnight", "[chrono]") {
    CHECK(Time::from_duration(microseconds{0}) == Time{});
    const Time last{.hour = 23, .minute = 59, .second = 59, .microsecond = 999999};
    CHECK(Time::from_duration(hours{24} - microseconds{1}) == last);
    CHECK(last.to_duration() == hours{24} - microseconds{1});
    const microseconds t = hours{13} + minutes{5} + seconds{7} + microseconds{123456};
    CHECK(Time::from_duration(t) == Time{.hour = 13, .minute = 5, .second = 7, .microsecond = 123456});
    CHECK(Time::from_duration(t).to_duration() == t);
    CHECK(contains(usage_error([] { (void)Time::from_duration(microseconds{-1}); }), "[0, 24h)"));
    usage_error([] { (void)Time::from_duration(hours{24}); });
}

TEST_CASE("chrono: DateTime <-> sys_time, floored before 1970", "[chrono]") {
    const DateTime before_epoch{.date = {.year = 1969, .month = 12, .day = 31},
                                .time = {.hour = 23, .minute = 59, .second = 59, .microsecond = 999999}};
    CHECK(DateTime::from_sys_time(sys_time<microseconds>{microseconds{-1}}) == before_epoch);
    CHECK(DateTime::from_sys_time(sys_time<nanoseconds>{nanoseconds{-1}}) == before_epoch);
    CHECK(DateTime::from_sys_time(sys_time<nanoseconds>{nanoseconds{999}}) == DateTime{});
    CHECK(before_epoch.to_sys_time() == sys_time<microseconds>{microseconds{-1}});
    CHECK(DateTime::from_sys_time(sys_days{2024y / February / 29}) ==
          DateTime{.date = {.year = 2024, .month = 2, .day = 29}});
    const auto leap = sys_days{2024y / February / 29} + hours{13} + minutes{5} + seconds{7} + microseconds{42};
    const DateTime dt = DateTime::from_sys_time(leap);
    CHECK(dt == DateTime{.date = {.year = 2024, .month = 2, .day = 29},
                         .time = {.hour = 13, .minute = 5, .second = 7, .microsecond = 42}});
    CHECK(dt.to_sys_time() == leap);
    CHECK(DateTime::from_sys_time(time_point_cast<seconds>(leap)).time.microsecond == 0);
}

TEST_CASE("chrono: DateTime round trips before and after 1970", "[chrono]") {
    const auto step = hours{24 * 389} + minutes{7} + seconds{11} + microseconds{654321};
    for (auto t = sys_time<microseconds>{sys_days{1600y / January / 1}}; t < sys_days{2400y / January / 1}; t += step)
        REQUIRE(DateTime::from_sys_time(t).to_sys_time() == t);
    usage_error([] { (void)DateTime{.date = {.year = 2023, .month = 2, .day = 29}}.to_sys_time(); });
}

TEST_CASE("chrono: now() and today() follow system_clock (UTC)", "[chrono]") {
    const auto before = floor<microseconds>(system_clock::now());
    const DateTime now = DateTime::now();
    const Date today = Date::today();
    const auto after = system_clock::now();
    CHECK(now.to_sys_time() >= before);
    CHECK(now.to_sys_time() <= after);
    const Date first = Date::from_sys_days(floor<days>(before)), last = Date::from_sys_days(floor<days>(after));
    CHECK((today == first || today == last));
}

// ---- Defaulted<T> ---------------------------------------------------------------------------

TEST_CASE("defaulted: unset until assigned - value() throws while unset", "[defaulted]") {
    Defaulted<DateTime> d;
    CHECK_FALSE(d.is_set());
    CHECK(contains(usage_error([&] { (void)d.value(); }), "first flush"));
    usage_error([&] { (void)*d; });
    usage_error([&] { (void)d->date; });
    const DateTime t{.date = {.year = 2026, .month = 1, .day = 2}};
    CHECK(d.value_or(t) == t);
    d = t;
    REQUIRE(d.is_set());
    CHECK(d.value() == t);
    CHECK(*d == t);
    CHECK(d->date.year == 2026);
    CHECK(d.value_or(DateTime{}) == t);
    d.reset();
    CHECK_FALSE(d.is_set());
    d = t;
    d = {};
    CHECK_FALSE(d.is_set());
}

TEST_CASE("defaulted: assignment from what T is assignable from, and comparisons", "[defaulted]") {
    Defaulted<std::string> s = "abc";
    CHECK(s.is_set());
    CHECK(s == "abc");
    CHECK("abc" == s);
    s = "def";
    CHECK(s == std::string("def"));
    CHECK(s != "abc");
    Defaulted<std::string> unset, other_unset;
    CHECK(unset == other_unset);
    CHECK(unset != s);
    CHECK(unset != std::string());
    CHECK(s == Defaulted<std::string>("def"));
    Defaulted<std::int64_t> n(7);
    CHECK(n == 7);
    n = 8;
    CHECK(*n == 8);
}

TEST_CASE("defaulted: an optional T is unset, explicitly NULL or a value", "[defaulted]") {
    Defaulted<std::optional<std::string>> d;
    CHECK_FALSE(d.is_set());
    CHECK(d != std::nullopt);
    d = std::nullopt;
    REQUIRE(d.is_set());
    CHECK_FALSE(d.value().has_value());
    CHECK(d == std::nullopt);
    d = "text";
    CHECK(d.value() == "text");
    CHECK(d == std::optional<std::string>("text"));
    d.reset();
    CHECK_FALSE(d.is_set());
    Defaulted<std::optional<int>> null_from_start = std::nullopt;
    CHECK(null_from_start.is_set());
}

TEST_CASE("defaulted: ColumnTraits follow T - unset is NULL and never counts as changed", "[defaulted]") {
    using DT = ColumnTraits<Defaulted<DateTime>>;
    using OS = ColumnTraits<Defaulted<std::optional<std::string>>>;
    STATIC_REQUIRE(Mappable<Defaulted<DateTime>>);
    STATIC_REQUIRE_FALSE(DT::nullable);
    STATIC_REQUIRE(OS::nullable);
    CHECK(DT::type() == types::datetime());
    CHECK(OS::type() == types::string(255));
    const DateTime t{.date = {.year = 1969, .month = 7, .day = 20}, .time = {.hour = 20, .minute = 17}};
    Defaulted<DateTime> d;
    CHECK(is_null(DT::to_value(d)));
    CHECK(DT::equals(d, Value(t)));
    CHECK(DT::equals(d, Value()));
    DT::from_value(Value(std::string("1969-07-20 20:17:00")), d);
    CHECK(d == t);
    CHECK(DT::to_value(d) == Value(t));
    CHECK(DT::equals(d, Value(t)));
    CHECK_FALSE(DT::equals(d, Value(DateTime{})));
    CHECK_THROWS_AS(DT::from_value(Value(), d), Error);
    CHECK(d == t);
    Defaulted<std::optional<std::string>> o;
    OS::from_value(Value(), o);
    CHECK(o == std::nullopt);
    CHECK(is_null(OS::to_value(o)));
    OS::from_value(Value(std::string("x")), o);
    CHECK(OS::to_value(o) == Value(std::string("x")));
}

TEST_CASE("defaulted: member type defers to the server when unset or std::nullopt", "[defaulted]") {
    Post p;
    CHECK(created_type().defers_to_server(&p.created_at));
    CHECK(note_type().defers_to_server(&p.note));
    CHECK(detail::member_type<std::optional<std::string>>().defers_to_server(&p.summary));
    CHECK_FALSE(detail::member_type<std::int64_t>().defers_to_server(&p.id));
    CHECK_FALSE(detail::member_type<std::string>().defers_to_server(&p.title));
    p.created_at = DateTime{};
    p.note = std::nullopt;
    p.summary = "s";
    CHECK_FALSE(created_type().defers_to_server(&p.created_at));
    CHECK_FALSE(note_type().defers_to_server(&p.note));
    CHECK_FALSE(detail::member_type<std::optional<std::string>>().defers_to_server(&p.summary));
    const detail::ColumnAccessor created(created_type(), detail::offset_in(&p, &p.created_at));
    CHECK_FALSE(created.defers_to_server(&p));
    created.reset(&p);
    CHECK(created.defers_to_server(&p));
    CHECK(created.is_unset(&p));
}

TEST_CASE("defaulted: member type is_unset, reset, load, canonical index and nullability", "[defaulted]") {
    Defaulted<DateTime> d;
    CHECK(created_type().is_unset(&d));
    CHECK(is_null(created_type().get(&d)));
    Value v = std::string("2026-01-02 03:04:05");
    created_type().load(&d, v);
    const DateTime t{.date = {.year = 2026, .month = 1, .day = 2}, .time = {.hour = 3, .minute = 4, .second = 5}};
    CHECK(d == t);
    CHECK(v == Value(t));
    CHECK_FALSE(created_type().is_unset(&d));
    CHECK(created_type().equals(&d, Value(t)));
    CHECK_FALSE(created_type().load_cell(&d, Cell{.kind = Cell::Kind::text, .text = "2026-01-02"}));
    strata::Cell cell;
    CHECK_FALSE(created_type().cell_of(&d, cell));
    created_type().reset(&d);
    CHECK_FALSE(d.is_set());
    CHECK(created_type().canonical_index() == Value(t).index());
    CHECK(note_type().canonical_index() == Value(std::string()).index());
    CHECK_FALSE(created_type().nullable());
    CHECK(note_type().nullable());
    STATIC_REQUIRE(detail::is_nullable<Defaulted<std::optional<int>>>());
    STATIC_REQUIRE_FALSE(detail::is_nullable<Defaulted<int>>());
}

TEST_CASE("defaulted: declared with default_expression in a model", "[defaulted]") {
    Registry reg;
    reg.table<Post>("posts")
        .column("id", &Post::id, primary_key)
        .column("title", &Post::title)
        .column("created_at", &Post::created_at, default_expression("CURRENT_TIMESTAMP"))
        .column("note", &Post::note, default_value("none"))
        .column("summary", &Post::summary);
    const Table* t = reg.metadata().find("posts");
    REQUIRE(t);
    const Column& created = *t->find_column("created_at");
    CHECK(created.type == types::datetime());
    CHECK_FALSE(created.nullable);
    CHECK(created.server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    const Column& note = *t->find_column("note");
    CHECK(note.nullable);
    CHECK(note.server_default == ServerDefault::literal("none"));
}
