// Checksums of revision files: line endings and a BOM do not count, bytes do.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "migrations/checksum.hpp"

using strata::file_checksum;

TEST_CASE("checksum is sha256 of the normalized file", "[checksum]") {
    // Known vector: SHA-256 of "abc".
    CHECK(file_checksum("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // And of the empty input.
    CHECK(file_checksum("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(file_checksum("\xEF\xBB\xBF") == file_checksum(""));
}

TEST_CASE("checksum matches SHA-256 at every padding boundary", "[checksum]") {
    // Digests from an independent implementation (Python's hashlib) of 'a' repeated n
    // times: the lengths around 56 and 64 bytes take the one- and two-block paddings.
    const std::pair<std::size_t, const char*> known[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"},
        {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
        {1000, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"},
        {1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    };
    for (const auto& [n, digest] : known) {
        INFO(n << " bytes");
        CHECK(file_checksum(std::string(n, 'a')) == std::string("sha256:") + digest);
    }
    CHECK(file_checksum("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // Every byte value but CR (which normalization turns into LF), three times.
    std::string all;
    for (int round = 0; round < 3; ++round)
        for (int b = 0; b < 256; ++b)
            if (b != '\r') all.push_back(static_cast<char>(b));
    CHECK(file_checksum(all) == "sha256:e23cd7943ea1674aac9bb709063d21e508f841a31ce1e8f1c845f5f7b916eccb");
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
