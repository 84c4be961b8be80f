// The TOML 1.0 reader behind revision files (migrations/toml_reader.hpp): every
// construct of the syntax, the lines values carry, and every error path with its line.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "migrations/toml_reader.hpp"

using namespace strata;
using detail::TomlType;
using detail::TomlValue;

namespace {

TomlValue parse(const std::string& text) { return detail::parse_toml(text, "t.toml"); }

const TomlValue& at(const TomlValue& table, const std::string& key) {
    INFO("key " << key);
    REQUIRE(table.is_table());
    auto it = table.as_table().find(key);
    REQUIRE(it != table.as_table().end());
    return it->second;
}

std::string str(const TomlValue& root, const std::string& key) { return at(root, key).as_string(); }

// Expects Error(input) at `line` naming t.toml, "malformed TOML" and `fragment`.
void bad(const std::string& text, int line, const std::string& fragment) {
    INFO("text: " << text);
    try {
        parse(text);
    } catch (const Error& e) {
        INFO("error: " << e.what());
        CHECK(e.kind() == ErrorKind::input);
        CHECK(e.file() == "t.toml");
        CHECK(e.line() == line);
        const std::string what = e.what();
        CHECK(what.find("t.toml:" + std::to_string(line) + ": malformed TOML: ") == 0);
        CHECK(what.find(fragment) != std::string::npos);
        return;
    }
    FAIL("expected an input error");
}

}  // namespace

TEST_CASE("toml: comments, blank lines, keys", "[toml]") {
    const TomlValue root = parse(
        "# a comment\n"
        "\n"
        "bare_key-1 = 1   # trailing comment\n"
        "\"quoted key\" = 2\n"
        "'literal \\ key' = 3\n"
        "\"\" = 4\n"
        "1234 = 5\n"
        "site . \"google.com\" .x = true\n"
        "3.14 = \"pi\"\n"
        "\t  indented = 6\n");
    CHECK(at(root, "bare_key-1").as_integer() == 1);
    CHECK(at(root, "quoted key").as_integer() == 2);
    CHECK(at(root, "literal \\ key").as_integer() == 3);
    CHECK(at(root, "").as_integer() == 4);
    CHECK(at(root, "1234").as_integer() == 5);
    CHECK(at(at(at(root, "site"), "google.com"), "x").as_boolean());
    CHECK(str(at(root, "3"), "14") == "pi");
    CHECK(at(root, "indented").as_integer() == 6);
    CHECK(root.line() == 1);
    CHECK(at(root, "indented").line() == 10);
}

TEST_CASE("toml: basic and literal strings", "[toml]") {
    const TomlValue root = parse(
        "a = \"tab\\there \\\"q\\\" back\\\\slash\\b\\f\\n\\r end\"\n"
        "b = \"\\u00e9 \\U0001F600 \\u0000\"\n"
        "c = \"caf\xC3\xA9 \xF0\x9F\x98\x80 it's\ttab\"\n"
        "d = 'C:\\path\\\"quoted\"'\n"
        "e = \"\"\n"
        "f = ''\n");
    CHECK(str(root, "a") == "tab\there \"q\" back\\slash\b\f\n\r end");
    CHECK(str(root, "b") == std::string("\xC3\xA9 \xF0\x9F\x98\x80 \0", 9));
    CHECK(str(root, "c") == "caf\xC3\xA9 \xF0\x9F\x98\x80 it's\ttab");
    CHECK(str(root, "d") == "C:\\path\\\"quoted\"");
    CHECK(str(root, "e").empty());
    CHECK(str(root, "f").empty());
}

TEST_CASE("toml: multi-line strings", "[toml]") {
    const TomlValue root = parse(
        "a = \"\"\"\nfirst\n  second\"\"\"\n"          // newline after the quotes dropped
        "b = \"\"\"one \\\n    two \\   \n\n   three\"\"\"\n"  // line-ending backslashes
        "c = \"\"\"\"quoted\"\"\"\"\"\n"                // quotes next to the delimiters
        "d = \"\"\"a \"\" b \\\"\"\" c\\tx\"\"\"\n"
        "e = '''\nraw \\n 'single' ''two''\n'''\n"
        "f = ''''x'''''\n"
        "g = \"\"\"crlf\r\nline\"\"\"\n"
        "h = \"\"\"\"\"\"\n"
        "after = 1\n");
    CHECK(str(root, "a") == "first\n  second");
    CHECK(str(root, "b") == "one two three");
    CHECK(str(root, "c") == "\"quoted\"\"");
    CHECK(str(root, "d") == "a \"\" b \"\"\" c\tx");
    CHECK(str(root, "e") == "raw \\n 'single' ''two''\n");
    CHECK(str(root, "f") == "'x''");
    CHECK(str(root, "g") == "crlf\nline");
    CHECK(str(root, "h").empty());
    CHECK(at(root, "after").line() == 17);
}

TEST_CASE("toml: integers", "[toml]") {
    const TomlValue root = parse(
        "a = 42\nb = +17\nc = -5\nd = 0\ne = -0\nf = 1_000_000\n"
        "g = 0xDEAD_beef\nh = 0o755\ni = 0b1101_0110\n"
        "max = 9223372036854775807\nmin = -9223372036854775808\nhexmax = 0x7FFFFFFFFFFFFFFF\n");
    CHECK(at(root, "a").as_integer() == 42);
    CHECK(at(root, "b").as_integer() == 17);
    CHECK(at(root, "c").as_integer() == -5);
    CHECK(at(root, "d").as_integer() == 0);
    CHECK(at(root, "e").as_integer() == 0);
    CHECK(at(root, "f").as_integer() == 1000000);
    CHECK(at(root, "g").as_integer() == 0xDEADBEEF);
    CHECK(at(root, "h").as_integer() == 0755);
    CHECK(at(root, "i").as_integer() == 0xD6);
    CHECK(at(root, "max").as_integer() == std::numeric_limits<std::int64_t>::max());
    CHECK(at(root, "min").as_integer() == std::numeric_limits<std::int64_t>::min());
    CHECK(at(root, "hexmax").as_integer() == std::numeric_limits<std::int64_t>::max());
    CHECK(at(root, "a").type() == TomlType::integer);
}

TEST_CASE("toml: floats and booleans", "[toml]") {
    const TomlValue root = parse(
        "a = 3.1415\nb = -0.01\nc = 5e+22\nd = 1e06\ne = -2E-2\nf = 6.626e-34\ng = 224_617.445_991\n"
        "h = +1.5\ni = 0.0\nj = -0.0\nk = inf\nl = +inf\nm = -inf\nn = nan\no = -nan\np = 1e-400\n"
        "t = true\nu = false\n");
    CHECK(at(root, "a").as_floating() == 3.1415);
    CHECK(at(root, "b").as_floating() == -0.01);
    CHECK(at(root, "c").as_floating() == 5e22);
    CHECK(at(root, "d").as_floating() == 1e6);
    CHECK(at(root, "e").as_floating() == -2e-2);
    CHECK(at(root, "f").as_floating() == 6.626e-34);
    CHECK(at(root, "g").as_floating() == 224617.445991);
    CHECK(at(root, "h").as_floating() == 1.5);
    CHECK(at(root, "i").as_floating() == 0.0);
    CHECK(std::signbit(at(root, "j").as_floating()));
    CHECK(at(root, "k").as_floating() == std::numeric_limits<double>::infinity());
    CHECK(at(root, "l").as_floating() == std::numeric_limits<double>::infinity());
    CHECK(at(root, "m").as_floating() == -std::numeric_limits<double>::infinity());
    CHECK(std::isnan(at(root, "n").as_floating()));
    CHECK(std::isnan(at(root, "o").as_floating()));
    CHECK(at(root, "p").as_floating() == 0.0);
    CHECK(at(root, "t").as_boolean());
    CHECK_FALSE(at(root, "u").as_boolean());
    CHECK(at(root, "a").type() == TomlType::floating);
}

TEST_CASE("toml: date-times", "[toml]") {
    const TomlValue root = parse(
        "a = 1979-05-27T07:32:00Z\n"
        "b = 1979-05-27T00:32:00-07:00\n"
        "c = 1979-05-27 00:32:00.999999+05:30\n"
        "d = 1979-05-27t07:32:00z\n"
        "e = 1979-05-27T07:32:00\n"
        "f = 2024-02-29\n"
        "g = 07:32:00\n"
        "h = 00:32:00.1234567891\n"
        "i = 1990-12-31T23:59:60Z\n"
        "j = 1979-05-27 # a date, then a comment\n");
    const TomlValue& a = at(root, "a");
    CHECK(a.type() == TomlType::offset_datetime);
    CHECK(a.date().year == 1979);
    CHECK(a.date().month == 5);
    CHECK(a.date().day == 27);
    CHECK(a.time().hour == 7);
    CHECK(a.time().minute == 32);
    CHECK(a.offset_minutes() == 0);
    CHECK(at(root, "b").offset_minutes() == -7 * 60);
    const TomlValue& c = at(root, "c");
    CHECK(c.type() == TomlType::offset_datetime);
    CHECK(c.offset_minutes() == 5 * 60 + 30);
    CHECK(c.time().nanosecond == 999999000);
    CHECK(at(root, "d").type() == TomlType::offset_datetime);
    CHECK(at(root, "e").type() == TomlType::local_datetime);
    CHECK(at(root, "f").type() == TomlType::local_date);
    CHECK(at(root, "f").date().day == 29);
    CHECK(at(root, "g").type() == TomlType::local_time);
    CHECK(at(root, "h").time().nanosecond == 123456789);  // cut, not rounded
    CHECK(at(root, "i").time().second == 60);
    CHECK(at(root, "j").type() == TomlType::local_date);
}

TEST_CASE("toml: arrays", "[toml]") {
    const TomlValue root = parse(
        "empty = []\n"
        "ints = [ 1, 2, 3, ]\n"
        "mixed = [ 1, \"two\", 3.0, [4, [5]], { six = 6 }, 1979-05-27 ]\n"
        "multi = [   # comment after the bracket\n"
        "  \"a\",    # one\n"
        "\n"
        "  \"b\"     # two\n"
        "  ,\n"
        "]\n");
    CHECK(at(root, "empty").as_array().empty());
    CHECK(at(root, "ints").as_array().size() == 3);
    const auto& mixed = at(root, "mixed").as_array();
    REQUIRE(mixed.size() == 6);
    CHECK(mixed[1].as_string() == "two");
    CHECK(mixed[3].as_array()[1].as_array()[0].as_integer() == 5);
    CHECK(at(mixed[4], "six").as_integer() == 6);
    CHECK(mixed[5].type() == TomlType::local_date);
    const auto& multi = at(root, "multi").as_array();
    REQUIRE(multi.size() == 2);
    CHECK(at(root, "multi").line() == 4);
    CHECK(multi[0].line() == 5);
    CHECK(multi[1].line() == 7);
}

TEST_CASE("toml: inline tables", "[toml]") {
    const TomlValue root = parse(
        "empty = {}\n"
        "point = { x = 1, y = 2 }\n"
        "nested = { a = { b = { c = 1 } }, d.e = \"dotted\", list = [\n  1,\n  2 ], s = \"\"\"x\ny\"\"\" }\n"
        "after = 0\n");
    CHECK(at(root, "empty").as_table().empty());
    CHECK(at(at(root, "point"), "y").as_integer() == 2);
    const TomlValue& nested = at(root, "nested");
    CHECK(at(at(at(nested, "a"), "b"), "c").as_integer() == 1);
    CHECK(str(at(nested, "d"), "e") == "dotted");
    CHECK(at(nested, "list").as_array().size() == 2);
    CHECK(str(nested, "s") == "x\ny");
    CHECK(nested.line() == 3);
    CHECK(at(root, "after").line() == 7);
}

TEST_CASE("toml: tables and arrays of tables", "[toml]") {
    const TomlValue root = parse(
        "top = 1\n"                      // 1
        "[a.b.c]\n"                      // 2
        "x = 1\n"                        // 3
        "[ a . \"quoted.part\" ]\n"      // 4
        "y = 2\n"                        // 5
        "[a]\n"                          // 6: super-table after its sub-table
        "z = 3\n"                        // 7
        "b.w = 4\n"                      // 8: dotted keys into a.b, created by the header [a.b.c]
        "[fruit]\n"                      // 9
        "apple.color = \"red\"\n"        // 10
        "[fruit.apple.texture]\n"        // 11: a sub-table of a dotted-key table
        "smooth = true\n"                // 12
        "[[products]]\n"                 // 13
        "name = \"Hammer\"\n"            // 14
        "[[products]]\n"                 // 15: empty element
        "[[products]]\n"                 // 16
        "name = \"Nail\"\n"              // 17
        "[products.dims]\n"              // 18: a sub-table of the last element
        "w = 1\n"                        // 19
        "[[products.parts]]\n"           // 20
        "p = 1\n"                        // 21
        "[[products.parts]]\n"           // 22
        "p = 2\n");                      // 23
    CHECK(at(root, "top").as_integer() == 1);
    const TomlValue& a = at(root, "a");
    CHECK(a.line() == 6);
    CHECK(at(at(at(a, "b"), "c"), "x").as_integer() == 1);
    CHECK(at(at(a, "quoted.part"), "y").as_integer() == 2);
    CHECK(at(a, "z").as_integer() == 3);
    CHECK(at(at(a, "b"), "w").as_integer() == 4);
    CHECK(at(at(at(at(root, "fruit"), "apple"), "texture"), "smooth").as_boolean());
    CHECK(str(at(at(root, "fruit"), "apple"), "color") == "red");
    const auto& products = at(root, "products").as_array();
    REQUIRE(products.size() == 3);
    CHECK(products[0].line() == 13);
    CHECK(str(products[0], "name") == "Hammer");
    CHECK(products[1].as_table().empty());
    CHECK(products[1].line() == 15);
    CHECK(at(at(products[2], "dims"), "w").as_integer() == 1);
    const auto& parts = at(products[2], "parts").as_array();
    REQUIRE(parts.size() == 2);
    CHECK(at(parts[1], "p").as_integer() == 2);
    CHECK(parts[1].line() == 22);
}

TEST_CASE("toml: BOM, CRLF, no final new line", "[toml]") {
    const TomlValue root = parse("\xEF\xBB\xBF" "a = 1\r\n# c\r\n[t]\r\nb = \"x\"");
    CHECK(at(root, "a").as_integer() == 1);
    CHECK(str(at(root, "t"), "b") == "x");
    CHECK(at(at(root, "t"), "b").line() == 4);
    CHECK(parse("").as_table().empty());
    CHECK(parse("# only a comment").as_table().empty());
}

TEST_CASE("toml: reading a value as the wrong type is an internal error", "[toml]") {
    const TomlValue root = parse("s = \"x\"\n");
    const TomlValue& s = at(root, "s");
    auto kind = [](auto&& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::input;
    };
    CHECK(kind([&] { (void)s.as_integer(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.as_boolean(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.as_floating(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.as_array(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.as_table(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.date(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.time(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)s.offset_minutes(); }) == ErrorKind::internal);
    CHECK(kind([&] { (void)root.as_string(); }) == ErrorKind::internal);
}

TEST_CASE("toml errors: key/value pairs and lines", "[toml]") {
    bad("a = 1\nb =\n", 2, "expected a value, found the end of the line");
    bad("a = # comment\n", 1, "expected a value");
    bad("a =", 1, "found the end of the file");
    bad("a = hello\n", 1, "strings need quotes");
    bad("a = _1\n", 1, "expected a value, found '_'");
    bad("a 1\n", 1, "expected '=' after the key 'a'");
    bad("= 1\n", 1, "expected a key, found '='");
    bad("a. = 1\n", 1, "expected a key");
    bad("\"\"\"a\"\"\" = 1\n", 1, "a key cannot be a multi-line string");
    bad("'''a''' = 1\n", 1, "a key cannot be a multi-line string");
    bad("a = 1 b = 2\n", 1, "expected the end of the line, found 'b'");
    bad("a = 1\rb = 2\n", 1, "carriage return");
    bad("a = \"x\" y\n", 1, "(column 9)");
    bad("a = 1\n\x01 = 2\n", 2, "expected a key, found control character U+0001");
}

TEST_CASE("toml errors: keys and tables defined twice", "[toml]") {
    bad("a = 1\nb = 2\na = 3\n", 3, "key 'a' is defined twice (first on line 1)");
    bad("a.b = 1\na.b = 2\n", 2, "key 'a.b' is defined twice");
    bad("a = 1\na.b = 2\n", 2, "'a' is an integer (line 1), so the dotted key cannot add to it");
    bad("a = 1\n[a]\n", 2, "[a] cannot be a table: the key is already an integer");
    bad("[a]\n[a]\n", 2, "table [a] is defined twice (first by a header, line 1)");
    bad("[a]\nb = 1\n[a]\n", 3, "defined twice");
    bad("[fruit]\napple.color = \"red\"\n[fruit.apple]\n", 3, "table [fruit.apple] is defined twice (first by dotted keys");
    bad("[a.b]\nx = 1\n[a]\nb.y = 2\n", 4, "'b' is a table defined by its header (line 1): dotted keys cannot add");
    bad("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, "'b.c' is a table defined by its header");
    bad("[a.b.c]\n[a]\nb.x = 1\n[a.b]\n", 4, "table [a.b] is defined twice (first by dotted keys");
    bad("a = {}\na.b = 1\n", 2, "'a' is an inline table (line 1), complete as written");
    bad("a = { b = 1 }\n[a.c]\n", 2, "'a' is an inline table (line 1), complete as written: a header cannot");
    bad("a = { b = 1 }\n[a]\n", 2, "table [a] is defined twice (first as an inline table");
    bad("a = []\n[[a]]\n", 2, "[[a]] cannot add to 'a': it is an array written as a value");
    bad("a = [{}]\n[a.b]\n", 2, "'a' is an array written as a value (line 1), so a header cannot add");
    bad("[a]\n[[a]]\n", 2, "[[a]] cannot add to 'a': it is a table");
    bad("[[a]]\n[a]\n", 2, "[a] is an array of tables (line 1); add an element with [[a]]");
    bad("a = 1\n[a.b]\n", 2, "'a' is an integer (line 1), so a header cannot add");
    bad("[[a.b]]\n[a]\nb.y = 2\n", 3, "'b' is an array (line 1), so the dotted key cannot add to it");
    bad("x = { a = 1, a = 2 }\n", 1, "key 'a' is defined twice");
    bad("x = { a = {}, a.b = 1 }\n", 1, "'a' is an inline table");
}

TEST_CASE("toml errors: strings", "[toml]") {
    bad("a = \"open\nb = 1\n", 1, "not closed with '\"' on its line");
    bad("a = \"open", 1, "the string is not closed");
    bad("a = 'open\n", 1, "the literal string is not closed with \"'\" on its line");
    bad("a = 'open", 1, "the literal string is not closed");
    bad("a = \"\\x41\"\n", 1, "unknown escape '\\'x''");
    bad("a = \"\\", 1, "unknown escape");
    bad("a = \"\\u12\"\n", 1, "\\u needs 4 hex digits");
    bad("a = \"\\U0000004\"\n", 1, "\\U needs 8 hex digits");
    bad("a = \"\\uD800\"\n", 1, "is not a Unicode scalar value");
    bad("a = \"\\U00110000\"\n", 1, "is not a Unicode scalar value");
    bad("a = \"bell\x07\"\n", 1, "control character U+0007 in a string");
    bad("a = \"del\x7F\"\n", 1, "control character U+007F");
    bad("a = 'bell\x07'\n", 1, "control character U+0007 in a literal string");
    bad("a = \"bad \xC3\x28\"\n", 1, "invalid UTF-8 in a string");
    bad("a = \"overlong \xC0\xAF\"\n", 1, "invalid UTF-8");
    bad("a = \"surrogate \xED\xA0\x80\"\n", 1, "invalid UTF-8");
    bad("a = \"too big \xF4\x90\x80\x80\"\n", 1, "invalid UTF-8");
    bad("a = \"cut \xE2\x82\"\n", 1, "invalid UTF-8");
    bad("# comment \xFF\n", 1, "invalid UTF-8 in a comment");
    bad("# comment \x01\n", 1, "control character U+0001 in a comment");
    bad("x = 1\na = \"\"\"\nnever closed\n", 2, "the multi-line string opened on this line is not closed");
    bad("x = 1\na = '''\nnever closed\n", 2, "the multi-line literal string opened on this line is not closed");
    bad("a = \"\"\"x\"\"\"\"\"\"\n", 1, "6 quotes in a row");
    bad("a = \"\"\"x\\ y\"\"\"\n", 1, "unknown escape");
    bad("a = \"\"\"x\n\x01\"\"\"\n", 2, "control character U+0001 in a string");
    bad("a = '''x\n\x01'''\n", 2, "control character U+0001 in a literal string");
    bad("a = \"\"\"x\ry\"\"\"\n", 1, "carriage return");
}

TEST_CASE("toml errors: numbers", "[toml]") {
    bad("a = 01\n", 1, "leading zeros are not allowed");
    bad("a = 0_1\n", 1, "leading zeros");
    bad("a = -01.5\n", 1, "leading zeros");
    bad("a = 1__2\n", 1, "bad number '1__2'");
    bad("a = 1_\n", 1, "bad number");
    bad("a = 1.\n", 1, "digits must follow the '.'");
    bad("a = 1._5\n", 1, "digits must follow the '.'");
    bad("a = .5\n", 1, "expected a value, found '.'");
    bad("a = 1.e5\n", 1, "digits must follow the '.'");
    bad("a = 1e\n", 1, "the exponent needs digits");
    bad("a = 1e_5\n", 1, "the exponent needs digits");
    bad("a = 1.5.2\n", 1, "bad number");
    bad("a = +0x1\n", 1, "take no sign");
    bad("a = 0x\n", 1, "bad integer '0x'");
    bad("a = 0xG1\n", 1, "bad integer");
    bad("a = 0b102\n", 1, "bad integer");
    bad("a = 0o8\n", 1, "bad integer");
    bad("a = 0X1F\n", 1, "bad number");
    bad("a = 9223372036854775808\n", 1, "does not fit in 64 bits");
    bad("a = -9223372036854775809\n", 1, "does not fit in 64 bits");
    bad("a = 0x8000000000000000\n", 1, "does not fit in 64 bits");
    bad("a = 1e400\n", 1, "out of range");
    bad("a = infinity\n", 1, "bad number 'infinity'");
    bad("a = +\n", 1, "bad number '+'");
    bad("a = True\n", 1, "strings need quotes");
    bad("a = truex\n", 1, "unexpected 'x' after a boolean");
    bad("a = tru\n", 1, "booleans are true and false");
    bad("a = 12abc\n", 1, "bad number");
    bad("a = [1 2]\n", 1, "expected ',' or ']' in the array");
}

TEST_CASE("toml errors: date-times", "[toml]") {
    bad("a = 2026-13-01\n", 1, "date out of range");
    bad("a = 2026-02-30\n", 1, "date out of range");
    bad("a = 2025-02-29\n", 1, "date out of range");
    bad("a = 2026-00-10\n", 1, "date out of range");
    bad("a = 2026-1-10\n", 1, "bad date '2026-1-10': write YYYY-MM-DD");
    bad("a = 2026-01-10X07:32:00\n", 1, "separate the date and time with 'T'");
    bad("a = 1979-05-27T24:00:00\n", 1, "time out of range");
    bad("a = 1979-05-27T07:60:00\n", 1, "time out of range");
    bad("a = 1979-05-27T07:32\n", 1, "seconds are required");
    bad("a = 07:32\n", 1, "seconds are required");
    bad("a = 07:32:00.\n", 1, "digits must follow the '.'");
    bad("a = 07:32:00Z\n", 1, "a time alone has no offset");
    bad("a = 1979-05-27T07:32:00+24:00\n", 1, "time offset out of range");
    bad("a = 1979-05-27T07:32:00+0700\n", 1, "the offset must be Z or +hh:mm");
    bad("a = 1979-05-27T07:32:00ZZ\n", 1, "the offset must be Z");
}

TEST_CASE("toml errors: arrays, inline tables, headers", "[toml]") {
    bad("x = 1\na = [\n1,\n2\n", 2, "the array opened on this line is not closed with ']'");
    bad("a = [1,", 1, "not closed with ']'");
    bad("a = [1,,2]\n", 1, "expected a value, found ','");
    bad("a = [,]\n", 1, "expected a value, found ','");
    bad("a = { b = 1, }\n", 1, "cannot end with a trailing comma");
    bad("a = { b = 1\n}\n", 1, "must be closed with '}' on the line it starts on");
    bad("a = {\nb = 1 }\n", 1, "must be closed with '}' on the line");
    bad("a = { b = 1", 1, "must be closed with '}'");
    bad("a = { b = 1 c = 2 }\n", 1, "expected ',' or '}' in the inline table, found 'c'");
    bad("a = { b }\n", 1, "expected '=' after the key 'b'");
    bad("[a\n", 1, "expected ']' to close the table header");
    bad("[[a]\n", 1, "expected ']]' to close the array-of-tables header");
    bad("[[a] ]\n", 1, "expected ']]'");
    bad("[]\n", 1, "expected a key, found ']'");
    bad("[a] b = 1\n", 1, "expected the end of the line, found 'b'");
    bad("[a.]\n", 1, "expected a key");
    bad("x = 1\n\n[t]\ny = \"unclosed\n", 4, "not closed");
    bad("a = " + std::string(257, '[') + std::string(257, ']') + "\n", 1, "nested more than 256 deep");
    std::string deep_tables = "a = ";
    for (int i = 0; i < 300; ++i) deep_tables += "{ b = ";
    bad(deep_tables, 1, "nested more than 256 deep");
    CHECK(parse("a = " + std::string(256, '[') + std::string(256, ']') + "\n").is_table());
}
