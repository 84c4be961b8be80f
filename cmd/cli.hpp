// strata::cli::run: the whole `strata` command line as a library call, so that a
// user's own program (with its models, seeds and data fixes) becomes a complete
// `strata` binary in a few lines:
//
//   int main(int argc, char** argv) {
//       strata::cli::App app;
//       app.metadata = &my_models().metadata();
//       return strata::cli::run(argc, argv, app);
//   }
//
// run() never throws: errors are printed (text or JSON) and mapped to the exit codes
// of design.md §5.
#pragma once

#include <string>

#include "orm/schema/metadata.hpp"

namespace strata::cli {

struct App {
    std::string name = "strata";          // program name shown in help
    const Metadata* metadata = nullptr;   // the user's models; null for the generic binary
};

int run(int argc, char** argv, const App& app);

}  // namespace strata::cli
