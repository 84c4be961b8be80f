// Catch2 main for strata tests. Strips `--dialect NAME` from the arguments; when
// that dialect needs a server whose URL is not set, the test exits with 77, which
// CTest reports as skipped (never as passed).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "test_database.hpp"

namespace strata::testing {
std::string& dialect_storage() {
    static std::string d = "sqlite";
    return d;
}
const std::string& dialect() { return dialect_storage(); }
}  // namespace strata::testing

int main(int argc, char** argv) {
    std::vector<char*> args;
    bool listing = false;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--dialect" && i + 1 < argc) {
            strata::testing::dialect_storage() = argv[++i];
            continue;
        }
        if (a.rfind("--list", 0) == 0) listing = true;
        args.push_back(argv[i]);
    }
    const std::string& d = strata::testing::dialect();
    if (d != "sqlite" && d != "postgres" && d != "mysql") {
        std::cerr << "unknown --dialect '" << d << "': use sqlite, postgres or mysql\n";
        return 2;
    }
    if (!listing && d != "sqlite" && strata::testing::server_url().empty()) {
        std::cerr << "SKIPPED: " << (d == "postgres" ? "STRATA_TEST_POSTGRES_URL" : "STRATA_TEST_MYSQL_URL")
                  << " is not set; run scripts/test.sh to start throwaway servers\n";
        return 77;
    }
    // A filter that matches no test case (a name CTest cut short, a renamed test) must fail,
    // not pass with nothing run.
    static char warn[] = "--warn", no_tests[] = "NoTests";
    if (!listing) {
        args.push_back(warn);
        args.push_back(no_tests);
    }
    return Catch::Session().run(static_cast<int>(args.size()), args.data());
}
