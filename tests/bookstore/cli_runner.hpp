// Runs the bookstore's command line in this process (strata::cli::run with an App), as
// the `bookstore` program would, so tests can add seeds and data fixes of their own.
#pragma once

#include <string>
#include <vector>

#include "cmd/cli.hpp"

namespace bookstore_test {

// strata::cli::run(app) with argv = {"bookstore", "--url", url, "--dir", dir, args...};
// returns the exit code. `dir` defaults to the committed migrations.
int run_cli(const strata::cli::App& app, const std::string& url, const std::vector<std::string>& args,
            const std::string& dir = {});

}  // namespace bookstore_test
