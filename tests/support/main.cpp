// Catch2 main for strata tests. Strips `--dialect NAME` from the arguments; when
// that dialect needs a server whose URL is not set, the test exits with 77, which
// CTest reports as skipped (never as passed). `--needs VAR` (repeatable) does the same
// when environment variable VAR is unset or empty (the cluster tests: a Galera cluster
// or a PostgreSQL standby started by scripts/servers.sh start_clusters).
// `--galera-node N` runs a MySQL conformance test against node N (1-based) of that
// Galera cluster: STRATA_TEST_MYSQL_URL becomes the node's URL (skipped without one).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>
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
    std::vector<std::string> needs;
    int galera_node = 0;
    bool listing = false;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--dialect" && i + 1 < argc) {
            strata::testing::dialect_storage() = argv[++i];
            continue;
        }
        if (a == "--galera-node" && i + 1 < argc) {
            galera_node = std::atoi(argv[++i]);
            continue;
        }
        if (a == "--needs" && i + 1 < argc) {
            needs.push_back(argv[++i]);
            continue;
        }
        if (a.rfind("--list", 0) == 0) listing = true;
        args.push_back(argv[i]);
    }
    if (galera_node > 0 && !listing) {
        const char* urls = std::getenv("STRATA_TEST_GALERA_URLS");
        std::istringstream in(urls ? urls : "");
        std::string url;
        for (int n = 0; n < galera_node && in >> url;) ++n;
        if (!urls || !in) {
            std::cerr << "SKIPPED: STRATA_TEST_GALERA_URLS has no node " << galera_node
                      << "; run scripts/test.sh, which starts the clusters\n";
            return 77;
        }
        setenv("STRATA_TEST_MYSQL_URL", url.c_str(), 1);
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
    for (const std::string& var : needs) {
        const char* v = std::getenv(var.c_str());
        if (!listing && (!v || !*v)) {
            std::cerr << "SKIPPED: " << var << " is not set; run scripts/test.sh, which starts the clusters\n";
            return 77;
        }
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
