// Values round-tripping through the ORM on every database: every mapped C++ type,
// quotes, Unicode, NUL bytes, extremes, NULLs.
#include <catch2/catch.hpp>

#include <limits>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;

namespace {

Sample full_sample() {
    Sample s;
    s.text = "O'Brien said \"hi\" -- DROP TABLE users; \\ back\\slash";
    s.maybe_text = "Grüße, 東京, emoji 😀, RTL שלום";
    s.bytes = {0x00, 0x01, 0x27, 0x22, 0x5c, 0x00, 0xff, 0xfe};
    s.blob = Blob(std::string_view("nul\0inside", 10));
    s.flag = true;
    s.maybe_flag = false;
    s.small = -32768;
    s.medium = std::numeric_limits<std::int32_t>::max();
    s.big = std::numeric_limits<std::int64_t>::min();
    s.real = 3.141592653589793;
    s.single = 1.5f;
    s.day = Date{2024, 2, 29};
    s.moment = Time{23, 59, 58, 250000};
    s.stamp = DateTime{Date{1999, 12, 31}, Time{23, 59, 59, 123456}};
    s.maybe_stamp = DateTime{Date{2038, 1, 19}, Time{3, 14, 8, 0}};
    s.color = Color::blue;
    s.priority = Priority::high;
    s.price = "1234.50";
    return s;
}

void check_equal(const Sample& a, const Sample& b) {
    CHECK(a.text == b.text);
    CHECK(a.maybe_text == b.maybe_text);
    CHECK(a.bytes == b.bytes);
    CHECK(a.blob == b.blob);
    CHECK(a.flag == b.flag);
    CHECK(a.maybe_flag == b.maybe_flag);
    CHECK(a.small == b.small);
    CHECK(a.medium == b.medium);
    CHECK(a.big == b.big);
    CHECK(a.real == Approx(b.real));
    CHECK(a.single == b.single);
    CHECK(a.day == b.day);
    CHECK(a.moment == b.moment);
    CHECK(a.stamp == b.stamp);
    CHECK(a.maybe_stamp == b.maybe_stamp);
    CHECK(a.color == b.color);
    CHECK(a.priority == b.priority);
    CHECK(std::stod(a.price) == std::stod(b.price));
}

}  // namespace

TEST_CASE("orm: every mapped type round-trips", "[orm][values]") {
    Fixture f;
    Sample original = full_sample();
    std::int64_t id = 0;
    {
        Session s(f.db.engine(), registry());
        auto p = s.add(original);
        s.commit();
        id = p->id;
    }
    Session s(f.db.engine(), registry());
    auto loaded = s.get<Sample>(id);
    REQUIRE(loaded);
    check_equal(*loaded, original);
    // Loaded values compare equal to their snapshot: nothing to write back.
    CHECK_FALSE(s.is_modified(loaded));
    auto before = f.statements();
    s.flush();
    CHECK(f.statements() == before);

    // Filters bind the same way: strings with quotes, enums as text, dates.
    CHECK(s.query<Sample>().filter(col(&Sample::text) == original.text).count() == 1);
    CHECK(s.query<Sample>().filter(col(&Sample::color) == Color::blue).count() == 1);
    CHECK(s.query<Sample>().filter(col(&Sample::priority) == Priority::high).count() == 1);
    CHECK(s.query<Sample>().filter(col(&Sample::day) == Date{2024, 2, 29}).count() == 1);
    CHECK(s.query<Sample>().filter(col(&Sample::stamp) < DateTime{Date{2000, 1, 1}, Time{}}).count() == 1);
    CHECK(s.query<Sample>().filter(col(&Sample::maybe_text) == *original.maybe_text).count() == 1);
}

TEST_CASE("orm: NULLs and empty values round-trip", "[orm][values]") {
    Fixture f;
    Sample empty;
    empty.text = "";
    std::int64_t id = 0;
    {
        Session s(f.db.engine(), registry());
        auto p = s.add(empty);
        s.commit();
        id = p->id;
    }
    Session s(f.db.engine(), registry());
    auto loaded = s.get<Sample>(id);
    REQUIRE(loaded);
    CHECK(loaded->text.empty());
    CHECK_FALSE(loaded->maybe_text);
    CHECK_FALSE(loaded->maybe_flag);
    CHECK_FALSE(loaded->maybe_stamp);
    CHECK(loaded->bytes.empty());
    CHECK(loaded->blob.bytes.empty());
    CHECK_FALSE(s.is_modified(loaded));

    // Setting and clearing optionals is tracked.
    loaded->maybe_text = "now set";
    loaded->maybe_flag = true;
    s.commit();
    Session s2(f.db.engine(), registry());
    auto again = s2.get<Sample>(id);
    CHECK(again->maybe_text == "now set");
    CHECK(again->maybe_flag == true);
    again->maybe_text.reset();
    s2.commit();
    auto rs = f.query("SELECT maybe_text FROM samples WHERE id = ?", {Value(id)});
    CHECK(is_null(rs.rows[0][0]));
}

TEST_CASE("orm: updates of awkward values round-trip", "[orm][values]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto p = s.add(full_sample());
    s.commit();
    p->text = std::string("line1\nline2\ttab 'single' \"double\" `back` ; --");
    p->bytes = std::vector<std::uint8_t>(1000, 0);
    p->bytes[500] = 7;
    p->big = std::numeric_limits<std::int64_t>::max();
    s.commit();
    Session s2(f.db.engine(), registry());
    auto q = s2.get<Sample>(p->id);
    CHECK(q->text == p->text);
    CHECK(q->bytes == p->bytes);
    CHECK(q->big == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("orm: a value the member type cannot hold names the table and column", "[orm][values]") {
    Fixture f;
    f.conn().execute(f.sql("INSERT INTO users (name, age, active) VALUES (?, ?, ?)"),
                     {Value(std::string("Big")), Value(std::int64_t{1}), Value(true)});
    // age is an int member; put a value into the row it cannot hold.
    f.conn().execute(f.sql("UPDATE users SET age = ? WHERE name = ?"),
                     {Value(std::int64_t{2147483647}), Value(std::string("Big"))});
    Session s(f.db.engine(), registry());
    CHECK(s.query<User>().one()->age == 2147483647);
    f.conn().execute(f.sql("UPDATE users SET email = NULL, name = ? WHERE name = ?"),
                     {Value(std::string("Big2")), Value(std::string("Big"))});

    // A NULL into a non-optional member.
    struct Strict {
        std::int64_t id = 0;
        std::string email;  // not optional, but the column is nullable in the database
    };
    Registry reg;
    reg.table<Strict>("users").column("id", &Strict::id, primary_key).column("email", &Strict::email);
    Session s2(f.db.engine(), reg);
    try {
        s2.query<Strict>().all();
        FAIL("expected a conversion error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("users.email") != std::string::npos);
        CHECK(std::string(e.what()).find("std::optional") != std::string::npos);
    }
}

TEST_CASE("orm: timestamps with time zone and exact decimals round-trip", "[orm][values]") {
    struct Event {
        std::int64_t id = 0;
        DateTime at;
        std::string amount;
        std::optional<double> ratio;
    };
    Registry reg;
    reg.table<Event>("events")
        .column("id", &Event::id, primary_key)
        .column("at", &Event::at, type(types::datetime(true)))
        .column("amount", &Event::amount, type(types::numeric(12, 3)))
        .column("ratio", &Event::ratio);
    testing::TestDatabase db;
    reg.create_all(db.engine());
    std::int64_t id = 0;
    {
        Session s(db.engine(), reg);
        auto e = s.add(Event{.at = DateTime{Date{2030, 6, 15}, Time{12, 30, 45, 500000}}, .amount = "1234.125"});
        s.commit();
        id = e->id;
    }
    Session s(db.engine(), reg);
    auto e = s.get<Event>(id);
    REQUIRE(e);
    CHECK(e->at == DateTime{Date{2030, 6, 15}, Time{12, 30, 45, 500000}});
    CHECK(std::stod(e->amount) == 1234.125);
    CHECK_FALSE(e->ratio);
    CHECK_FALSE(s.is_modified(e));
    CHECK(s.query<Event>().filter(col(&Event::at) > DateTime{Date{2030, 1, 1}, Time{}}).count() == 1);
}
