// Support for tests that run the built `strata` binary (and a user program built on
// strata::cli::run) as a user would: a child process with its own arguments, working
// directory and environment, its stdout, stderr and exit code captured.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "migrations/version_table.hpp"
#include "support/test_database.hpp"

namespace strata::testing {

struct ProcessResult {
    int exit_code = -1;  // the process's exit status; 128 + N when killed by signal N
    std::string out;     // stdout
    std::string err;     // stderr
    // For Catch INFO: the command line and both streams.
    std::string transcript;
    nlohmann::json json() const;  // stdout parsed as JSON (throws when it is not)
};

// Runs `program` with `args` in `cwd` ("" = the current directory). The child gets this
// process's environment minus STRATA_DATABASE_URL and DATABASE_URL, plus `env`. Waits at
// most `timeout_seconds`, then kills it (exit_code 128 + SIGKILL).
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args, const std::string& cwd = "",
                          const std::map<std::string, std::string>& env = {}, int timeout_seconds = 120);

// A child process started at construction, for tests that need it running in the
// background (concurrent upgrades, kill -9). Environment and streams as run_process.
class Process {
public:
    Process(const std::string& program, const std::vector<std::string>& args, const std::string& cwd = "",
            const std::map<std::string, std::string>& env = {});
    // Kills the child with SIGKILL if it still runs, and reaps it. Never throws.
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // What the child has written to stdout so far.
    std::string out_so_far() const;
    void kill(int signal);
    // Waits for the child (killing it after timeout_seconds) and collects its result.
    ProcessResult wait(int timeout_seconds = 120);

private:
    int pid_ = -1;
    bool reaped_ = false;
    std::string out_path_, err_path_, command_line_, cwd_;
};

// A fresh temporary directory, removed with its contents in the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const noexcept { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);
// Regular files ending in .toml in `dir`, sorted by name (full paths).
std::vector<std::string> toml_files(const std::string& dir);

// Runs `script` with the database's own command-line client (sqlite3, psql, mariadb)
// against the database at `url`; returns the client's exit code and output.
ProcessResult run_client(const std::string& url, const std::string& script);

// A URL of the current dialect whose server cannot be reached (SQLite: a file in a
// directory that does not exist).
std::string unreachable_url();

// The path of the built `strata` binary and of the test program (compile definitions).
std::string strata_binary();
std::string test_app_binary();

// A throwaway project: a fresh database of the current dialect and a temp folder whose
// `migrations` subfolder is the migrations folder.
class Project {
public:
    Project() : migrations(dir / "migrations") {}

    TestDatabase db;
    TempDir dir;
    std::string migrations;

    // `strata --url <db> --dir <migrations> ARGS...` in the project folder.
    ProcessResult strata(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;
    // "--url <db> --dir <migrations>" followed by `args`.
    std::vector<std::string> args(const std::vector<std::string>& args) const;
    // The same with the test program (tests/cli/cli_test_app.cpp).
    ProcessResult app(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;
};

// Tables of the database at `url` (strata's own version tables not included).
std::set<std::string> table_names(const std::string& url);
// Rows of its version table (empty when there is none).
std::vector<AppliedRevision> version_rows(const std::string& url);
// Revisions recorded as applied (state 'applied').
std::set<std::string> applied_ids(const std::string& url);
// Columns of one table (empty when there is no such table).
std::set<std::string> column_names(const std::string& url, const std::string& table);
// The single value of a one-row, one-column query.
Value query_value(const std::string& url, const std::string& sql);

// Writes `<dir>/<id>_<id>.toml` holding revision `id` with the given parents and body
// (the [[upgrade]] / [[downgrade]] tables, or upgrade = [] etc.); returns its path.
std::string write_revision_file(const std::string& dir, const std::string& id, const std::vector<std::string>& down,
                                const std::string& body);

// A create_table step for `users(id integer pk, name string(100) not null)` in section
// `section` ("upgrade"), and its drop_table for "downgrade".
std::string create_users_step();
std::string drop_users_step();
// A create_table step for `name(id integer pk)` ("[[upgrade]]"), and its drop_table
// ("[[downgrade]]").
std::string create_table_step(const std::string& name);
// A revision body (downgrade = [] plus steps) for the test app's models: an index on
// authors.name, then op = "call" of its data fix "uppercase_authors".
std::string data_fix_step();
std::string drop_table_step(const std::string& name);

bool contains(const std::string& haystack, const std::string& needle);

}  // namespace strata::testing
