#include "cmd/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "core/error.hpp"

namespace strata::cli {

int run(int argc, char** argv, const App& app) {
    CLI::App cli{"strata: schema migrations and model sync for SQLite, PostgreSQL and MySQL", app.name};
    cli.set_version_flag("--version", "strata 0.1.0");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : 2;
    }
    std::cout << cli.help();
    return 0;
}

}  // namespace strata::cli
