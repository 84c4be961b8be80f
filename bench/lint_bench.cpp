// strata-bench-lint: linting 100 revisions offline (design.md §7, issue 14's bar: under
// 0.1 s). Writes REVISIONS revision files to a temporary folder: a chain whose steps
// touch every rule family (tables with foreign keys, added columns, type changes,
// NOT NULL, unique and plain indexes, checks, renames, drops, raw SQL). Then, for each
// dialect, times what `strata lint --offline --all` does after the process started:
// load_revisions (read and parse every file), the graph, and lint_revisions over every
// revision (each from the schema its ancestors build). Median and best of RUNS runs;
// the load average is printed beside the figures, since the machine may be shared.
//
// Usage: strata-bench-lint [REVISIONS [RUNS]]   (defaults 100, 20)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "bench_stats.hpp"
#include "dialects/dialect.hpp"
#include "migrations/lint/linter.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/revision_graph.hpp"

namespace fs = std::filesystem;
using strata::bench::Stopwatch;
using strata::bench::Timings;

namespace {

// Revision i's steps: a new table t<i> referencing t<i-1>, then changes to t<i-1>.
std::string steps(int i) {
    std::string s = fmt::format(R"([[upgrade]]
op = "create_table"
name = "t{0}"
columns = [
  {{ name = "id", type = "integer", nullable = false, autoincrement = true, primary_key = true }},
  {{ name = "parent_id", type = "big_integer" }},
  {{ name = "label", type = "string", length = 50 }},
  {{ name = "amount", type = "integer" }},
  {{ name = "seen", type = "datetime" }},
]
)",
                                i);
    if (i == 0) return s;
    const int p = i - 1;
    s += fmt::format(R"(
[[upgrade]]
op = "add_foreign_key"
table = "t{0}"
foreign_key = {{ columns = ["parent_id"], ref_table = "t{1}", ref_columns = ["id"] }}

[[upgrade]]
op = "add_column"
table = "t{1}"
column = {{ name = "code", type = "string", length = 20, nullable = false }}

[[upgrade]]
op = "alter_column"
table = "t{1}"
column = "label"
from = {{ type = "string", length = 50 }}
to = {{ type = "string", length = 30, nullable = false }}

[[upgrade]]
op = "alter_column"
table = "t{1}"
column = "amount"
from = {{ type = "integer" }}
to = {{ type = "big_integer" }}

[[upgrade]]
op = "create_index"
table = "t{1}"
index = {{ columns = ["code"], unique = true }}

[[upgrade]]
op = "add_check"
table = "t{1}"
check = {{ name = "ck_t{1}_amount", expression = "amount >= 0" }}

[[upgrade]]
op = "rename_column"
table = "t{1}"
from = "seen"
to = "seen_at"

[[upgrade]]
op = "sql"
sql = "UPDATE t{1} SET code = 'x'"
lint_ok = {{ raw-sql = "bench" }}
)",
                     i, p);
    return s;
}

void write_revisions(const fs::path& dir, int count) {
    for (int i = 0; i < count; ++i) {
        std::string text = fmt::format("revision = \"r{:04}\"\n", i);
        if (i > 0) text += fmt::format("down_revision = \"r{:04}\"\n", i - 1);
        text += fmt::format("message = \"revision {}\"\n\n", i) + steps(i);
        std::ofstream(dir / fmt::format("r{:04}_revision.toml", i)) << text;
    }
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a.empty() ? std::string("unknown") : fmt::format("{} {} {}", a, b, c);
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 100;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
    const fs::path dir = fs::temp_directory_path() / fmt::format("strata-bench-lint-{}", ::getpid());
    fs::create_directories(dir);
    write_revisions(dir, count);

    std::printf("lint of %d revisions offline (load + graph + lint), %d runs; load average %s\n", count, runs,
                load_average().c_str());
    for (const char* name : {"sqlite", "postgresql", "mysql"}) {
        const strata::Dialect& dialect = strata::dialect_named(name);
        Timings total, lint_only;
        std::size_t findings = 0;
        for (int run = 0; run < runs; ++run) {
            Stopwatch all;
            strata::RevisionGraph graph(strata::load_revisions(dir.string()));
            std::vector<std::string> ids;
            for (const auto& r : graph.revisions()) ids.push_back(r.id);
            Stopwatch lint;
            auto groups = strata::lint::lint_revisions(graph, ids, {&dialect, {}});
            lint_only.add(lint.seconds());
            total.add(all.seconds());
            findings = 0;
            for (const auto& g : groups) findings += g.findings.size();
        }
        std::printf("  %-10s %5zu findings  total median %7.2f ms (best %6.2f)  lint only median %7.2f ms  %s\n",
                    name, findings, total.median() * 1e3, total.best() * 1e3, lint_only.median() * 1e3,
                    total.median() < 0.1 ? "under 0.1 s" : "OVER 0.1 s");
    }
    std::printf("load average after: %s\n", load_average().c_str());
    fs::remove_all(dir);
    return 0;
}
