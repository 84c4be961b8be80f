// bookstore: the demo project's own strata program. It is the `strata` command line
// (strata::cli::run) with the bookstore's models, seeds and data fixes built in, plus
// one command of its own:
//
//   bookstore [strata options] COMMAND ...      every strata command (see `bookstore --help`)
//   bookstore report [--url URL]                a few ORM queries over the catalog
//
// `report` finds its database as the other commands do, without strata.toml: --url,
// else STRATA_DATABASE_URL, else DATABASE_URL. Exit codes as strata's: 0 done, 2 usage
// or bad URL, 3 database error.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "app.hpp"
#include "core/error.hpp"

namespace {

// The command word: the first argument that is neither an option nor the value of one.
std::string command_of(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-c" || a == "--config" || a == "--url" || a == "--dir" || a == "--format") {
            ++i;
            continue;
        }
        if (!a.empty() && a[0] == '-') continue;
        return a;
    }
    return {};
}

int report(int argc, char** argv) {
    std::string url;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--url" && i + 1 < argc) url = argv[++i];
        else if (a.rfind("--url=", 0) == 0) url = a.substr(6);
        else if (a == "-h" || a == "--help") {
            std::cout << "bookstore report [--url URL]: a few ORM queries over the catalog\n";
            return 0;
        }
    }
    for (const char* name : {"STRATA_DATABASE_URL", "DATABASE_URL"})
        if (url.empty() && std::getenv(name)) url = std::getenv(name);
    if (url.empty()) {
        std::cerr << "bookstore report: no database URL; pass --url URL or set STRATA_DATABASE_URL\n";
        return 2;
    }
    try {
        bookstore::print_report(url, std::cout);
        return 0;
    } catch (const strata::Error& e) {
        std::cerr << "bookstore report: " << e.what() << "\n";
        bool input = e.kind() == strata::ErrorKind::input || e.kind() == strata::ErrorKind::usage;
        return input ? 2 : 3;
    } catch (const std::exception& e) {
        std::cerr << "bookstore report: " << e.what() << "\n";
        return 3;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (command_of(argc, argv) == "report") return report(argc, argv);
    strata::cli::App app = bookstore::make_app();
    return strata::cli::run(argc, argv, app);
}
