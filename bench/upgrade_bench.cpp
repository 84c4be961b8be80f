// strata-bench-upgrade: `upgrade head` of 100 revisions on an empty SQLite database,
// and `current` (loading the revision files, the graph and the version table) on the
// result (design.md §7), each measured two ways:
//  - in-process: the Runner called from this program, the revision files loaded and
//    parsed inside the timing (what a command does after the process has started);
//  - command line: the real `strata --url sqlite:///... --dir ... upgrade head` and
//    `... current` spawned as processes and waited for, as a user runs them (process
//    start, dynamic linking, option parsing and output included). Alembic's figures are
//    for its command-line tool, so the ratios against Alembic use these.
//  - command line with --group: `upgrade head --group`, every revision in ONE
//    transaction. Alembic's own default (transaction_per_migration = False) is one
//    transaction for the whole run, so this is the like-for-like comparison; strata's
//    default pays one durable commit per revision (a failure keeps the ones before it).
//
// Baselines, measured in the same run:
//  - raw: the same SQL (the `upgrade --sql` script: every revision's statements and its
//    version-table INSERT, one transaction per revision) run directly with
//    Connection::execute_unprepared on a fresh database. The ratio is the runner's own
//    cost: locking, reading the version table, reflection, planning, bookkeeping.
//  - process start: `strata --version`, the floor of any command-line figure.
//  - Alembic: the figures the goal is set against (0.9 s for the upgrade and 0.34 s for
//    `alembic current`, its command-line tool, measured outside this program); the goal
//    is 10x faster.
//
// The strata binary is the one built with this bench (STRATA_CLI_BINARY, set by
// bench/CMakeLists.txt); the environment variable STRATA_BENCH_CLI names another.
//
// Usage: strata-bench-upgrade [REVISIONS]   (default 100)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/revision_graph.hpp"
#include "migrations/runner.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kAlembicUpgradeSeconds = 0.9;
constexpr double kAlembicCurrentSeconds = 0.34;
constexpr int kRepeats = 3;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Revision i creates table t<i> with an index, and (from the second on) adds a column
// to the table before it: two kinds of DDL, as a real history has.
void write_revisions(const fs::path& dir, int count) {
    fs::create_directories(dir);
    for (int i = 1; i <= count; ++i) {
        std::string id = fmt::format("rev{:04}", i);
        std::string text = fmt::format("revision = \"{}\"\n", id);
        if (i > 1) text += fmt::format("down_revision = \"rev{:04}\"\n", i - 1);
        text += fmt::format(R"T(message = "table t{0}"

[[upgrade]]
op = "create_table"
name = "t{0}"
columns = [
  {{ name = "id", type = "integer", nullable = false, primary_key = true }},
  {{ name = "name", type = "string", length = 100, nullable = false }},
  {{ name = "created", type = "datetime" }},
  {{ name = "score", type = "numeric", precision = 10, scale = 2 }},
]
indexes = [ {{ columns = ["name"] }} ]

[[downgrade]]
op = "drop_table"
name = "t{0}"
destructive_ok = true
)T",
                            i);
        if (i > 1)
            text += fmt::format(R"T(
[[upgrade]]
op = "add_column"
table = "t{0}"
column = {{ name = "extra", type = "string", length = 20 }}

[[downgrade]]
op = "drop_column"
table = "t{0}"
destructive_ok = true
column = {{ name = "extra", type = "string", length = 20 }}
)T",
                                i - 1);
        std::ofstream(dir / (id + "_table.toml")) << text;
    }
}

std::string fresh_db(const fs::path& dir, const char* name, int run) {
    fs::path file = dir / fmt::format("{}_{}.db", name, run);
    fs::remove(file);
    return "sqlite:///" + file.string();
}

struct Timings {
    double upgrade = 1e9;
    double current = 1e9;
    double raw = 1e9;
    std::size_t ran = 0;
    // The same through the command line (0: not measured).
    double cli_upgrade = 0;
    double cli_current = 0;
    double cli_group = 0;  // `upgrade head --group`
};

const char* cli_binary() {
    if (const char* path = std::getenv("STRATA_BENCH_CLI"); path && *path) return path;
    return STRATA_CLI_BINARY;
}

// Runs the strata binary with `args` in folder `cwd` (so that no strata.toml of the
// caller's folder is read), output discarded; returns the seconds from spawn to exit.
// Throws when it cannot start or does not exit with 0.
double run_cli(const std::vector<std::string>& args, const fs::path& cwd) {
    std::vector<char*> argv;
    std::string binary = cli_binary();
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    pid_t pid = 0;
    const auto t0 = Clock::now();
    int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw strata::Error(strata::ErrorKind::internal,
                            fmt::format("cannot start {}: {} (build target strata, or set STRATA_BENCH_CLI)", binary,
                                        std::strerror(rc)));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const double seconds = seconds_since(t0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw strata::Error(strata::ErrorKind::internal,
                            fmt::format("`{} {}` failed (status {})", binary, fmt::join(args, " "), status));
    return seconds;
}

// Best of kRepeats runs of `strata --version`: process start and exit alone.
double process_start(const fs::path& cwd) {
    double best = 1e9;
    for (int run = 0; run < kRepeats; ++run) best = std::min(best, run_cli({"--version"}, cwd));
    return best;
}

// Best of kRepeats runs with the databases in `dir`.
Timings measure(const fs::path& migrations, const fs::path& dir) {
    Timings t;
    fs::create_directories(dir);
    for (int run = 0; run < kRepeats; ++run) {
        // upgrade head, as `strata upgrade` does it: load files, build the graph, run.
        std::string url = fresh_db(dir, "runner", run);
        auto t0 = Clock::now();
        strata::Runner runner(strata::create_engine(url),
                              strata::RevisionGraph(strata::load_revisions(migrations.string())));
        strata::RunResult result = runner.upgrade("head", {.handle_signals = false});
        t.upgrade = std::min(t.upgrade, seconds_since(t0));
        t.ran = result.ran();

        // current, as `strata current` does it: a new process loads the files too.
        t0 = Clock::now();
        strata::Runner reader(strata::create_engine(url),
                              strata::RevisionGraph(strata::load_revisions(migrations.string())));
        strata::DatabaseStatus status = reader.status();
        t.current = std::min(t.current, seconds_since(t0));
        if (!status.at_head()) throw strata::Error(strata::ErrorKind::internal, "not at head after the upgrade");

        // raw: the same script on a fresh database, without the runner.
        std::string script = runner.upgrade_sql("head");
        std::string sql;
        std::istringstream lines(script);
        for (std::string line; std::getline(lines, line);)
            if (line.empty() || line[0] != '.') sql += line + "\n";  // drop sqlite3 client directives
        strata::Engine raw = strata::create_engine(fresh_db(dir, "raw", run));
        t0 = Clock::now();
        raw.connection().execute_unprepared(sql);
        t.raw = std::min(t.raw, seconds_since(t0));
    }
    return t;
}

// The same two commands through the command line, best of kRepeats.
void measure_cli(const fs::path& migrations, const fs::path& dir, Timings& t) {
    t.cli_upgrade = t.cli_current = t.cli_group = 1e9;
    for (int run = 0; run < kRepeats; ++run) {
        std::string url = fresh_db(dir, "cli", run);
        t.cli_upgrade =
            std::min(t.cli_upgrade, run_cli({"--url", url, "--dir", migrations.string(), "upgrade", "head"}, dir));
        t.cli_current = std::min(t.cli_current, run_cli({"--url", url, "--dir", migrations.string(), "current"}, dir));
        std::string grouped = fresh_db(dir, "cli_group", run);
        t.cli_group = std::min(
            t.cli_group, run_cli({"--url", grouped, "--dir", migrations.string(), "upgrade", "head", "--group"}, dir));
    }
}

void report(const char* where, const Timings& t, int count) {
    std::printf("  %s\n", where);
    std::printf("    in-process (Runner; revision files loaded inside the timing):\n");
    std::printf("      upgrade head   %8.3f s   (%zu revisions applied)\n", t.upgrade, t.ran);
    std::printf("      raw same SQL   %8.3f s   runner / raw = %.2fx\n", t.raw, t.upgrade / t.raw);
    std::printf("      current        %8.3f s\n", t.current);
    std::printf("    command line (the strata binary spawned as a user runs it, process start included):\n");
    std::printf("      upgrade head   %8.3f s\n", t.cli_upgrade);
    std::printf("      current        %8.3f s\n", t.cli_current);
    std::printf("      with --group   %8.3f s   (`upgrade head --group`: one transaction for the whole run)\n",
                t.cli_group);
    if (count == 100) {
        std::printf("      Alembic / strata command line: upgrade %.1fx, current %.1fx (goal: 10x; Alembic's %.2f s and "
                    "%.2f s are its command-line figures, measured elsewhere, not here)\n",
                    kAlembicUpgradeSeconds / t.cli_upgrade, kAlembicCurrentSeconds / t.cli_current,
                    kAlembicUpgradeSeconds, kAlembicCurrentSeconds);
        std::printf("      Alembic / strata upgrade --group: %.1fx. Like for like: Alembic's default "
                    "(transaction_per_migration = False) is one transaction for the whole run, as --group; strata's "
                    "default pays one durable commit per revision\n",
                    kAlembicUpgradeSeconds / t.cli_group);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    const fs::path dir = fs::temp_directory_path() / fmt::format("strata_bench_upgrade_{}", ::getpid());
    const fs::path shm = fs::path("/dev/shm") / fmt::format("strata_bench_upgrade_{}", ::getpid());
    const fs::path migrations = dir / "migrations";
    int rc = 0;
    try {
        write_revisions(migrations, count);
        std::printf("strata-bench-upgrade: %d revisions on SQLite, best of %d runs\n", count, kRepeats);
        std::printf("  process start (`strata --version`): %.3f s  [%s]\n", process_start(dir), cli_binary());
        // On a disk every COMMIT waits for fsync, which the raw baseline pays too; on a
        // memory file system what remains is the software's own cost.
        Timings disk = measure(migrations, dir / "db");
        measure_cli(migrations, dir / "db", disk);
        report(fmt::format("database files in {} (disk: fsync per revision)", fs::temp_directory_path().string()).c_str(),
               disk, count);
        if (fs::is_directory("/dev/shm")) {
            Timings memory = measure(migrations, shm);
            measure_cli(migrations, shm, memory);
            report("database files in /dev/shm (memory)", memory, count);
        }
    } catch (const strata::Error& e) {
        std::fprintf(stderr, "bench failed: %s\n", e.what());
        rc = 1;
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::remove_all(shm, ec);
    return rc;
}
