// The generic `strata` binary: every command that needs no models.
#include "cmd/cli.hpp"

int main(int argc, char** argv) { return strata::cli::run(argc, argv, strata::cli::App{}); }
