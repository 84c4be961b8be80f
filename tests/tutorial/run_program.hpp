// Runs a program with arguments (no shell) and collects its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace tutorial_test {

struct ProgramResult {
    int exit_code = -1;  // -1 when the program did not exit normally (signal)
    std::string out;
    std::string err;
};

// Throws std::runtime_error when the program cannot be started.
ProgramResult run_program(const std::string& path, const std::vector<std::string>& args);

}  // namespace tutorial_test
