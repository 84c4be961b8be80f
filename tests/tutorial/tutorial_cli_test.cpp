// strata-tutorial's command line: usage and URL errors, exit codes (no database needed).
#include <catch2/catch.hpp>

#include "run_program.hpp"

using tutorial_test::run_program;

TEST_CASE("tutorial: more than one argument is a usage error", "[tutorial]") {
    auto r = run_program(STRATA_TUTORIAL_EXE, {"sqlite://:memory:", "extra"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("usage: strata-tutorial [DATABASE_URL]") != std::string::npos);
}

TEST_CASE("tutorial: --help prints the usage and succeeds", "[tutorial]") {
    auto r = run_program(STRATA_TUTORIAL_EXE, {"--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("usage: strata-tutorial") != std::string::npos);
}

TEST_CASE("tutorial: a malformed URL exits 2 with the URL error", "[tutorial]") {
    auto r = run_program(STRATA_TUTORIAL_EXE, {"oracle://scott:tiger@host/db"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("strata-tutorial: ") != std::string::npos);
    CHECK(r.err.find("tiger") == std::string::npos);  // the password is never printed
    CHECK(r.out.find("== Creating tables") == std::string::npos);
}

TEST_CASE("tutorial: an unreachable server exits 1 with a connection error", "[tutorial]") {
    // Port 1 on the loopback interface: refused at once.
    auto r = run_program(STRATA_TUTORIAL_EXE, {"postgresql://someone:secret@127.0.0.1:1/nodb"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("strata-tutorial: ") != std::string::npos);
    CHECK(r.err.find("secret") == std::string::npos);
    CHECK(r.out.find("== Inserting records") == std::string::npos);
}
