// Support for the bookstore tests: running the built programs as a user would, a
// scratch folder, and snapshots of table contents for before/after comparisons.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dialects/connection.hpp"

namespace bookstore_test {

struct ProgramResult {
    int exit_code = -1;  // -1 when the program was killed by a signal
    std::string out;
    std::string err;
    std::string text() const { return out + err; }  // for failure messages and searches
};

// Runs `program` with `args` (no shell), waits, and returns its exit code and output.
// Throws std::runtime_error when it cannot be started.
ProgramResult run_program(const std::string& program, const std::vector<std::string>& args);

// The built `bookstore` / `bookstore-next` programs and the committed migrations folder.
std::string bookstore_binary();
std::string bookstore_next_binary();
std::string bookstore_migrations();

// A fresh empty folder in the temp directory, removed (with its contents) on destruction.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

// Every row of `table` (all columns, as display text), ordered by `order_by` (a column
// list, quoted by the caller's dialect): a value to compare before and after.
std::vector<std::vector<std::string>> snapshot(strata::Connection& conn, const std::string& table,
                                               const std::vector<std::string>& order_by);

// The whole bookstore catalog: authors, books, tags, book_tags, reviews.
std::vector<std::vector<std::vector<std::string>>> catalog_snapshot(strata::Connection& conn);

// A value as plain text: strings unquoted, NULL as "NULL", others as to_display().
std::string plain(const strata::Value& value);

// SELECT COUNT(*) FROM table.
long long count_rows(strata::Connection& conn, const std::string& table);

// The text of the one file in `dir` whose name contains `part`; "" when none.
std::string read_file_containing(const std::filesystem::path& dir, const std::string& part);

}  // namespace bookstore_test
