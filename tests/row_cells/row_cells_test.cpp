// RowView::cell() on every database: whenever a cell is not Kind::other, get() holds the
// same value (Null, the int64, the double, the string), and the plain types really come
// back as cells (integers, floats, character strings, NULL), while dates, decimals, blobs
// and true booleans stay Kind::other. Values are checked against what was inserted too,
// so a cell and a get() that agree on a wrong value fail.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "dialects/engine.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

bool is_postgres() { return strata::testing::dialect() == "postgres"; }
bool is_mysql() { return strata::testing::dialect() == "mysql"; }

Column col(std::string name, ColumnType type) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    return c;
}

// One table with a column of every portable type; `id` generated.
void create_samples(Connection& conn) {
    Table t;
    t.name = "cells";
    Column id = col("id", types::big_integer());
    id.nullable = false;
    id.autoincrement = true;
    t.columns = {id,
                 col("i16", types::small_integer()),
                 col("i32", types::integer()),
                 col("i64", types::big_integer()),
                 col("f32", types::float_()),
                 col("f64", types::double_()),
                 col("s", types::string(300)),
                 col("t", types::text()),
                 col("flag", types::boolean()),
                 col("dec", types::numeric(12, 2)),
                 col("d", types::date()),
                 col("tm", types::time()),
                 col("dt", types::datetime()),
                 col("b", types::blob()),
                 col("j", types::json()),
                 col("u", types::uuid())};
    t.primary_key.columns = {"id"};
    apply_naming_convention(t);
    for (const std::string& sql : conn.dialect().render_create_table(t)) conn.execute_unprepared(sql);
}

const std::vector<std::string> sample_columns = {"i16", "i32", "i64", "f32", "f64", "s", "t", "flag",
                                                 "dec", "d",   "tm",  "dt",  "b",   "j", "u"};

std::string insert_sql(const Connection& conn) {
    const Dialect& d = conn.dialect();
    std::string names, marks;
    for (std::size_t i = 0; i < sample_columns.size(); ++i) {
        names += (i ? ", " : "") + d.quote(sample_columns[i]);
        marks += (i ? ", " : "") + d.placeholder(i + 1);
    }
    return fmt::format("INSERT INTO {} ({}) VALUES ({})", d.quote("cells"), names, marks);
}

// A string PostgreSQL text can hold (no NUL byte there); the others keep NUL bytes.
std::string with_nul() {
    if (is_postgres()) return "tab\tnewline\nend";
    return std::string("nul\0inside\0", 11);
}

std::vector<std::vector<Value>> sample_rows() {
    std::string long_text(20000, 'x');
    long_text += " Grüße 😀";
    return {
        {std::int64_t{-32768}, std::int64_t{std::numeric_limits<std::int32_t>::min()},
         std::numeric_limits<std::int64_t>::min(), 0.1, -1.5e300, std::string("it's \"quoted\" \\ back`tick"),
         std::string("Grüße, 東京, emoji 😀, RTL שלום"), true, std::string("-1234567890.12"), Date{2024, 2, 29},
         Time{23, 59, 58, 0}, DateTime{Date{1999, 12, 31}, Time{23, 59, 59, 0}}, Blob(std::string_view("\0\x01\xff", 3)),
         std::string(R"({"a": [1, "x"]})"), std::string("123e4567-e89b-12d3-a456-426614174000")},
        {std::int64_t{32767}, std::int64_t{std::numeric_limits<std::int32_t>::max()},
         std::numeric_limits<std::int64_t>::max(), -3.5, 2.5e-300, std::string(), with_nul(), false,
         std::string("0.05"), Date{1970, 1, 1}, Time{0, 0, 0, 0}, DateTime{Date{2038, 1, 19}, Time{3, 14, 8, 0}},
         Blob(std::string_view("", 0)), std::string("[]"), std::string("00000000-0000-0000-0000-000000000000")},
        {Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}, Null{},
         Null{}},
        {std::int64_t{0}, std::int64_t{0}, std::int64_t{0}, 0.0, 0.0, std::string(300, 'y'), long_text, true,
         std::string("1.00"), Date{2000, 1, 1}, Time{12, 0, 0, 0}, DateTime{Date{2000, 1, 1}, Time{0, 0, 0, 0}},
         Blob(std::string_view("abc", 3)), std::string("{}"), std::string("ffffffff-ffff-ffff-ffff-ffffffffffff")},
    };
}

// The kind a non-null value of this column must come back as; nullopt: any kind, as long
// as it agrees with get() (SQLite stores dates as text and decimals by affinity).
std::optional<Cell::Kind> expected_kind(const std::string& column) {
    using K = Cell::Kind;
    if (column == "i16" || column == "i32" || column == "i64") return K::integer;
    if (column == "f32" || column == "f64") return K::real;
    if (column == "s" || column == "t") return K::text;
    if (column == "b") return K::other;
    bool server = is_postgres() || is_mysql();
    if (column == "j" || column == "u") return server ? std::optional<K>(K::text) : std::nullopt;
    if (column == "flag") return is_postgres() ? K::other : K::integer;  // MySQL: TINYINT(1)
    if (column == "dec" || column == "d" || column == "tm" || column == "dt")
        return server ? std::optional<K>(K::other) : std::nullopt;
    return std::nullopt;
}

const char* kind_name(Cell::Kind k) {
    switch (k) {
        case Cell::Kind::other: return "other";
        case Cell::Kind::null: return "null";
        case Cell::Kind::integer: return "integer";
        case Cell::Kind::real: return "real";
        case Cell::Kind::text: return "text";
    }
    return "?";
}

bool same_double(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

// The cell contract: a cell that is not `other` holds what get() holds. `text` is the
// cell's text as copied while its row was current.
void check_agrees(const Cell& c, const std::string& text, const Value& v) {
    INFO("cell kind " << kind_name(c.kind) << ", get() alternative " << v.index());
    switch (c.kind) {
        case Cell::Kind::null:
            CHECK(is_null(v));
            break;
        case Cell::Kind::integer:
            REQUIRE(std::holds_alternative<std::int64_t>(v));
            CHECK(std::get<std::int64_t>(v) == c.integer);
            break;
        case Cell::Kind::real:
            REQUIRE(std::holds_alternative<double>(v));
            CHECK(same_double(std::get<double>(v), c.real));
            break;
        case Cell::Kind::text:
            REQUIRE(std::holds_alternative<std::string>(v));
            CHECK(std::get<std::string>(v) == text);
            break;
        case Cell::Kind::other:
            // A driver may always decline; but never for a NULL.
            CHECK_FALSE(is_null(v));
            break;
    }
}

// Every cell of a row is read first, then every get(), then the cells' texts are copied:
// a cell's text must stay valid while the other columns of the same row are read. The
// text views themselves dangle once the row has moved on; compare `texts`.
struct RowCells {
    std::vector<Cell> cells;
    std::vector<Value> values;
    std::vector<std::string> texts;
};

bool same_cell(const Cell& a, const Cell& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Cell::Kind::integer: return a.integer == b.integer;
        case Cell::Kind::real: return same_double(a.real, b.real);
        case Cell::Kind::text: return a.text == b.text;
        default: return true;
    }
}

// cells() over the whole row and over every tail and single column gives what cell()
// gives column by column.
void check_cells_span(const RowView& row) {
    const std::size_t n = row.size();
    std::vector<Cell> one(n);
    for (std::size_t i = 0; i < n; ++i) one[i] = row.cell(i);
    std::vector<Cell> span(n);
    for (std::size_t first = 0; first < n; ++first) {
        for (std::size_t count : {n - first, std::size_t{1}}) {
            std::fill(span.begin(), span.end(), Cell{.kind = Cell::Kind::other});
            row.cells(first, count, span.data());
            for (std::size_t k = 0; k < count; ++k) {
                INFO("cells(" << first << ", " << count << ") column " << first + k);
                CHECK(same_cell(span[k], one[first + k]));
            }
        }
    }
    row.cells(n, 0, span.data());  // an empty span at the end is no error
}

std::vector<RowCells> read_all(Connection& conn, std::string_view sql, std::vector<std::string>* names = nullptr) {
    std::vector<RowCells> rows;
    conn.query(sql, {}, [&](const RowView& row) {
        RowCells r;
        check_cells_span(row);
        for (std::size_t i = 0; i < row.size(); ++i) r.cells.push_back(row.cell(i));
        for (std::size_t i = 0; i < row.size(); ++i) r.values.push_back(row.get(i));
        for (const Cell& c : r.cells) r.texts.emplace_back(c.text);
        if (names && names->empty())
            for (std::size_t i = 0; i < row.size(); ++i) names->emplace_back(row.column_name(i));
        rows.push_back(std::move(r));
    });
    return rows;
}

}  // namespace

TEST_CASE("row_cells: cell() agrees with get() for every portable column type", "[row_cells]") {
    TestDatabase db;
    Connection& conn = db.connection();
    create_samples(conn);
    const auto inserted = sample_rows();
    const std::string insert = insert_sql(conn);
    for (const auto& values : inserted) conn.execute(insert, std::span<const Value>(values));

    const Dialect& d = conn.dialect();
    std::string select = "SELECT ";
    for (std::size_t i = 0; i < sample_columns.size(); ++i) select += (i ? ", " : "") + d.quote(sample_columns[i]);
    select += fmt::format(" FROM {} ORDER BY {}", d.quote("cells"), d.quote("id"));
    std::vector<std::string> names;
    auto rows = read_all(conn, select, &names);
    REQUIRE(rows.size() == inserted.size());
    REQUIRE(names == sample_columns);

    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t i = 0; i < sample_columns.size(); ++i) {
            const std::string& name = sample_columns[i];
            INFO("row " << r << ", column " << name);
            const Cell& c = rows[r].cells[i];
            const Value& v = rows[r].values[i];
            check_agrees(c, rows[r].texts[i], v);
            if (is_null(inserted[r][i])) {
                CHECK(c.kind == Cell::Kind::null);
                continue;
            }
            if (auto want = expected_kind(name)) CHECK(kind_name(c.kind) == std::string(kind_name(*want)));
            // The plain columns read back as inserted (floats through FLOAT's shortest form).
            const Value& in = inserted[r][i];
            if (name == "i16" || name == "i32" || name == "i64" || name == "s" || name == "t") CHECK(v == in);
            if (name == "f32" || name == "f64") CHECK(same_double(std::get<double>(v), std::get<double>(in)));
        }
    }
}

TEST_CASE("row_cells: cell() of a column index out of range throws like get()", "[row_cells]") {
    TestDatabase db;
    Connection& conn = db.connection();
    int rows = 0;
    conn.query("SELECT 1, 'a'", {}, [&](const RowView& row) {
        ++rows;
        REQUIRE(row.size() == 2);
        CHECK(row.cell(1).kind == Cell::Kind::text);
        for (std::size_t bad : {std::size_t{2}, std::size_t{1000}, std::numeric_limits<std::size_t>::max()}) {
            try {
                (void)row.cell(bad);
                FAIL("cell(" << bad << ") did not throw");
            } catch (const Error& e) {
                CHECK(e.kind() == ErrorKind::usage);
                CHECK(std::string(e.what()).find("out of range") != std::string::npos);
            }
            CHECK_THROWS_AS(row.get(bad), Error);
        }
        // cells() over a span reaching past the row throws the same way, writing nothing.
        using Span = std::pair<std::size_t, std::size_t>;
        for (auto [first, count] : {Span{0, 3}, Span{1, 2}, Span{2, 1}, Span{5, 1},
                                    Span{1, std::numeric_limits<std::size_t>::max()}}) {
            Cell out[3];
            try {
                row.cells(first, count, out);
                FAIL("cells(" << first << ", " << count << ") did not throw");
            } catch (const Error& e) {
                CHECK(e.kind() == ErrorKind::usage);
                CHECK(std::string(e.what()).find("out of range") != std::string::npos);
            }
        }
    });
    CHECK(rows == 1);
}

TEST_CASE("row_cells: server-specific column types", "[row_cells]") {
    TestDatabase db;
    Connection& conn = db.connection();
    using K = Cell::Kind;
    std::string sql;
    std::vector<K> kinds;
    if (is_postgres()) {
        sql = "SELECT CAST('NaN' AS double precision), CAST('Infinity' AS real), CAST('-Infinity' AS double precision), "
              "CAST(12 AS oid), current_database(), CAST('ab' AS char(4)), CAST('x' AS \"char\"), "
              "CAST(-32768 AS smallint), CAST(1.5 AS numeric), true, CAST('{\"k\": 1}' AS json), "
              "CAST(NULL AS integer), CAST(NULL AS text), CAST('\\x00ff' AS bytea)";
        kinds = {K::real, K::real, K::real, K::integer, K::text, K::text, K::text,
                 K::integer, K::other, K::other, K::text, K::null, K::null, K::other};
    } else if (is_mysql()) {
        conn.execute_unprepared("CREATE TABLE bits (b BIT(16), u BIGINT UNSIGNED, f FLOAT, e ENUM('p', 'q'))");
        conn.execute("INSERT INTO bits VALUES (b'1010101010101010', 18446744073709551615, 0.1, 'q'), "
                     "(b'0', 9223372036854775807, -2.5, NULL)");
        sql = "SELECT b, u, f, e, CAST(1.5 AS DECIMAL(4,2)), X'00FF', _utf8mb4'lit', NULL FROM bits ORDER BY u DESC";
        kinds = {K::integer, K::other, K::real, K::text, K::other, K::other, K::text, K::null};
    } else {
        sql = "SELECT 1.5, -7, 'x''y', X'00FF', NULL";
        kinds = {K::real, K::integer, K::text, K::other, K::null};
    }
    auto rows = read_all(conn, sql);
    REQUIRE_FALSE(rows.empty());
    const RowCells& first = rows.front();
    REQUIRE(first.cells.size() == kinds.size());
    for (const RowCells& r : rows)
        for (std::size_t i = 0; i < r.cells.size(); ++i) {
            INFO("column " << i);
            check_agrees(r.cells[i], r.texts[i], r.values[i]);
        }
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        INFO("column " << i);
        CHECK(kind_name(first.cells[i].kind) == std::string(kind_name(kinds[i])));
    }
    if (is_postgres()) {
        CHECK(std::isnan(first.cells[0].real));
        CHECK(first.cells[1].real == std::numeric_limits<double>::infinity());
        CHECK(first.cells[2].real == -std::numeric_limits<double>::infinity());
        CHECK(first.cells[3].integer == 12);
        CHECK(first.texts[5] == "ab  ");
        CHECK(first.cells[7].integer == -32768);
    } else if (is_mysql()) {
        CHECK(first.cells[0].integer == 0xAAAA);
        CHECK(first.values[1] == Value(std::string("18446744073709551615")));
        CHECK(first.cells[2].real == 0.1);
        CHECK(first.texts[3] == "q");
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].cells[1].kind == K::integer);
        CHECK(rows[1].cells[1].integer == std::numeric_limits<std::int64_t>::max());
        CHECK(rows[1].cells[3].kind == K::null);
    } else {
        CHECK(first.texts[2] == "x'y");
    }
}
