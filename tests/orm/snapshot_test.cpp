// Snapshot and SnapshotPool (orm/detail/snapshot.hpp): every kind of Value comes back
// exactly as stored, whether it sits in the entry, in the block's text area, on the heap
// or boxed; comparisons with members agree with ColumnAccessor::equals(); keys agree with
// make_identity_key(); blocks are reused and released without leaks (ASan runs this too).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "orm/detail/model_mapper.hpp"
#include "orm/detail/snapshot.hpp"

using namespace strata;
using strata::detail::ColumnAccessor;
using strata::detail::Snapshot;
using strata::detail::SnapshotPool;

namespace {

std::vector<Value> samples() {
    return {
        Value(),
        Value(true),
        Value(false),
        Value(std::int64_t{0}),
        Value(std::numeric_limits<std::int64_t>::min()),
        Value(std::numeric_limits<std::int64_t>::max()),
        Value(-0.5),
        Value(std::numeric_limits<double>::infinity()),
        Value(std::string()),
        Value(std::string("short")),
        Value(std::string("an address long enough to leave the text area@example.com")),
        Value(std::string("it's \"quoted\"\n\0 with a nul", 27)),
        Value(Blob(std::vector<std::uint8_t>{0, 1, 2, 255})),
        Value(Blob(std::vector<std::uint8_t>(300, 7))),
        Value(Date{2026, 12, 7}),
        Value(Date{-4712, 1, 1}),
        Value(Date{2026, 300, 7}),  // a month no entry packs: boxed
        Value(Time{23, 59, 60, 999999}),
        Value(Time{0, 0, 0, 0}),
        Value(Time{-1, 0, 0, 0}),  // boxed
        Value(DateTime{Date{1969, 12, 31}, Time{23, 59, 59, 999999}}),
        Value(DateTime{Date{-32768, 1, 1}, Time{0, 0, 0, 1}}),
        Value(DateTime{Date{2026, 1, 1}, Time{0, 0, 0, 20'000'000}}),  // boxed
    };
}

template <class M>
ColumnAccessor accessor() {
    return ColumnAccessor(detail::member_type<M>(), 0);
}

}  // namespace

TEST_CASE("snapshot: every kind of value comes back as stored", "[snapshot]") {
    const std::vector<Value> values = samples();
    SnapshotPool pool;
    pool.configure(values.size(), 4);
    Snapshot s = pool.make();
    for (std::size_t c = 0; c < values.size(); ++c) CHECK(s.is_null(c));
    for (std::size_t c = 0; c < values.size(); ++c) s.set(c, values[c]);
    for (std::size_t c = 0; c < values.size(); ++c) {
        INFO("column " << c);
        CHECK(s.value(c) == values[c]);
        CHECK(s.is_null(c) == is_null(values[c]));
    }
    // Overwritten in every order: each column still gives its own value.
    for (std::size_t c = 0; c < values.size(); ++c) s.set(c, values[values.size() - 1 - c]);
    for (std::size_t c = 0; c < values.size(); ++c) CHECK(s.value(c) == values[values.size() - 1 - c]);
    pool.release(s);
}

TEST_CASE("snapshot: texts outgrowing the text area move to the heap", "[snapshot]") {
    SnapshotPool pool;
    pool.configure(2, 1);
    Snapshot s = pool.make();
    // Repeated updates of a text, shorter and longer: the area is reused in place while
    // the text fits where it was, and the heap takes what does not.
    for (int i = 0; i < 200; ++i) {
        std::string text(static_cast<std::size_t>(i % 40), static_cast<char>('a' + i % 26));
        s.set(0, Value(text));
        s.set(1, Value(std::int64_t{i}));
        REQUIRE(s.value(0) == Value(text));
        REQUIRE(s.value(1) == Value(std::int64_t{i}));
    }
    pool.release(s);
}

TEST_CASE("snapshot: matches agrees with the member's equals", "[snapshot]") {
    SnapshotPool pool;
    pool.configure(1, 1);
    Snapshot s = pool.make();
    auto agree = [&](const ColumnAccessor& a, const void* member, const Value& stored) {
        s.set(0, stored);
        CHECK(s.matches(0, a, member) == a.equals(member, stored));
    };
    std::string text = "user42@example.com";
    for (const Value& v : samples()) agree(accessor<std::string>(), &text, v);
    agree(accessor<std::string>(), &text, Value(text));
    std::optional<std::string> none, some = text;
    for (const Value& v : samples()) {
        agree(accessor<std::optional<std::string>>(), &none, v);
        agree(accessor<std::optional<std::string>>(), &some, v);
    }
    agree(accessor<std::optional<std::string>>(), &some, Value(text));
    bool flag = true;
    for (const Value& v : samples()) agree(accessor<bool>(), &flag, v);
    int small = 0;
    std::uint64_t huge = std::numeric_limits<std::uint64_t>::max();
    double real = -0.5;
    float single = -0.5f;
    for (const Value& v : samples()) {
        agree(accessor<int>(), &small, v);
        agree(accessor<std::uint64_t>(), &huge, v);
        agree(accessor<double>(), &real, v);
        agree(accessor<float>(), &single, v);
    }
    DateTime at{Date{1969, 12, 31}, Time{23, 59, 59, 999999}};
    for (const Value& v : samples()) agree(accessor<DateTime>(), &at, v);
    pool.release(s);
}

TEST_CASE("snapshot: set_cell stores the member's canonical form", "[snapshot]") {
    SnapshotPool pool;
    pool.configure(4, 1);
    Snapshot s = pool.make();
    s.set_cell(0, Cell{.kind = Cell::Kind::integer, .integer = 1}, Value(true).index());
    s.set_cell(1, Cell{.kind = Cell::Kind::integer, .integer = 3}, Value(1.0).index());
    s.set_cell(2, Cell{.kind = Cell::Kind::text, .text = "a text longer than twenty-four bytes"},
               Value(std::string()).index());
    s.set_cell(3, Cell{.kind = Cell::Kind::null}, Value(std::int64_t{0}).index());
    CHECK(s.value(0) == Value(true));
    CHECK(s.value(1) == Value(3.0));
    CHECK(s.value(2) == Value(std::string("a text longer than twenty-four bytes")));
    CHECK(s.value(3) == Value());
    pool.release(s);
}

TEST_CASE("snapshot: keys agree with make_identity_key", "[snapshot]") {
    const std::vector<Value> values = samples();
    SnapshotPool pool;
    pool.configure(values.size(), 4);
    Snapshot s = pool.make(std::vector<Value>(values).data());
    for (std::size_t c = 0; c < values.size(); ++c) {
        CHECK(s.key({c}) == detail::make_identity_key(values.data(), std::vector<std::size_t>{c}));
        std::string encoded;
        s.encode(c, encoded);
        std::string want;
        detail::encode_value(values[c], want);
        CHECK(encoded == want);
    }
    CHECK(s.key({3, 10, 14}) == detail::make_identity_key(values.data(), std::vector<std::size_t>{3, 10, 14}));
    std::vector<Value> back;
    s.values(back);
    CHECK(back == values);
    pool.release(s);
}

TEST_CASE("snapshot pool: blocks are reused, live ones freed by clear", "[snapshot]") {
    SnapshotPool pool;
    pool.configure(3, 2);
    std::vector<Snapshot> live;
    const std::string long_text(100, 'x');
    for (int i = 0; i < 1000; ++i) {
        Snapshot s = pool.make();
        s.set(0, Value(std::int64_t{i}));
        s.set(1, Value(long_text));
        s.set(2, Value(Date{2026, 400, 1}));
        live.push_back(s);
    }
    for (std::size_t i = 0; i < live.size(); i += 2) pool.release(live[i]);
    Snapshot again = pool.make();
    CHECK(again == live[998]);  // the last block released is the first reused
    for (std::size_t c = 0; c < 3; ++c) CHECK(again.is_null(c));
    CHECK(live[999].value(0) == Value(std::int64_t{999}));
    CHECK(live[999].value(1) == Value(long_text));
    pool.clear();  // frees the heap texts and boxed dates of the live blocks (ASan checks)
    pool.configure(1, 0);
    Snapshot small = pool.make();
    small.set(0, Value(std::string("no text area: on the heap")));
    CHECK(small.value(0) == Value(std::string("no text area: on the heap")));
}
