// Checksums of revision files: line endings and a BOM do not count, bytes do.
#include <catch2/catch.hpp>

#include <string>

#include "migrations/checksum.hpp"

using strata::file_checksum;

TEST_CASE("checksum is sha256 of the normalized file", "[checksum]") {
    // Known vector: SHA-256 of "abc".
    CHECK(file_checksum("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // And of the empty input.
    CHECK(file_checksum("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(file_checksum("\xEF\xBB\xBF") == file_checksum(""));
}

TEST_CASE("CRLF, lone CR and a BOM give the same checksum as LF", "[checksum]") {
    const std::string lf = "revision = \"a1\"\nmessage = \"m\"\n\n[[upgrade]]\nop = \"call\"\n";
    std::string crlf, cr;
    for (char c : lf) {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        cr += c == '\n' ? '\r' : c;
    }
    const std::string sum = file_checksum(lf);
    CHECK(file_checksum(crlf) == sum);
    CHECK(file_checksum(cr) == sum);
    CHECK(file_checksum("\xEF\xBB\xBF" + lf) == sum);
    CHECK(file_checksum("\xEF\xBB\xBF" + crlf) == sum);
    CHECK(strata::normalize_line_endings("a\r\n\r\nb\rc\n") == "a\n\nb\nc\n");

    SECTION("any other change of a byte changes it") {
        std::string changed = lf;
        changed[12] = 'b';
        CHECK(file_checksum(changed) != sum);
        CHECK(file_checksum(lf + "\n") != sum);
        CHECK(file_checksum(lf.substr(1)) != sum);
        // A BOM in the middle is content, not a marker.
        CHECK(file_checksum("x\xEF\xBB\xBF") != file_checksum("x"));
        // Only one leading BOM is removed.
        CHECK(file_checksum("\xEF\xBB\xBF\xEF\xBB\xBF" + lf) != sum);
    }
}
