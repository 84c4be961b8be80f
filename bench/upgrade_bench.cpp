// strata-bench-upgrade: `upgrade head` of 100 revisions on an empty SQLite database,
// and `current` (loading the revision files, the graph and the version table) on the
// result (design.md §7).
//
// Baselines, measured in the same run:
//  - raw: the same SQL (the `upgrade --sql` script: every revision's statements and its
//    version-table INSERT, one transaction per revision) run directly with
//    Connection::execute_unprepared on a fresh database. The ratio is the runner's own
//    cost: locking, reading the version table, reflection, planning, bookkeeping.
//  - Alembic: the figures the goal is set against (0.9 s for the upgrade and 0.34 s for
//    `alembic current`, measured outside this program); the goal is 10x faster.
//
// Usage: strata-bench-upgrade [REVISIONS]   (default 100)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
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
};

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

void report(const char* where, const Timings& t, int count) {
    std::printf("  %s\n", where);
    std::printf("    upgrade head   %8.3f s   (%zu revisions applied)\n", t.upgrade, t.ran);
    std::printf("    raw same SQL   %8.3f s   runner / raw = %.2fx\n", t.raw, t.upgrade / t.raw);
    std::printf("    current        %8.3f s\n", t.current);
    if (count == 100)
        std::printf("    Alembic / strata (Alembic's %.2f s and %.2f s are reference figures, not measured here): "
                    "upgrade %.1fx, current %.1fx (goal: 10x)\n",
                    kAlembicUpgradeSeconds, kAlembicCurrentSeconds, kAlembicUpgradeSeconds / t.upgrade,
                    kAlembicCurrentSeconds / t.current);
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
        // On a disk every COMMIT waits for fsync, which the raw baseline pays too; on a
        // memory file system what remains is the software's own cost.
        report(fmt::format("database files in {} (disk: fsync per revision)", fs::temp_directory_path().string()).c_str(),
               measure(migrations, dir / "db"), count);
        if (fs::is_directory("/dev/shm")) report("database files in /dev/shm (memory)", measure(migrations, shm), count);
    } catch (const strata::Error& e) {
        std::fprintf(stderr, "bench failed: %s\n", e.what());
        rc = 1;
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::remove_all(shm, ec);
    return rc;
}
