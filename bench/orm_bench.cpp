// strata-bench-orm: the ORM against the raw database driver, on the same data, the same
// structs and the same transaction pattern (design.md §7, docs/performance.md).
//
//   strata-bench-orm [--rows N] [--runs R] [--url URL ...] [--no-memory]
//
// Always SQLite (a file database in a fresh temp directory, then sqlite://:memory:);
// each --url adds PostgreSQL or MySQL/MariaDB (compared with raw libpq / libmysqlclient).
// On a server the bench creates and finally drops the table strata_bench_rows in the
// URL's database.
//
// Per run and side: insert N rows in one transaction (ids copied back into the objects),
// load all N rows into objects, change `score` on every object and write it back in one
// transaction. One warm-up run (min(N, 10,000) rows) is discarded, then R runs alternate
// which side goes first; figures are medians (best in parentheses). The raw side inserts
// twice: one prepared INSERT stepped per row (the baseline design.md §7 and issue 4 name:
// "raw sqlite3 prepared-statement inserts in one transaction", ~700,000 rows/s here), and
// 500 rows per statement with RETURNING (what the ORM's bulk path does by hand); the
// ratio line uses the first, the line under it the second.
// Each phase is checked (row count, sum of scores): a wrong result aborts with exit 1.
//
// Prints rows/s per phase and side, then `ratio insert orm/raw = X.XX` (time ORM / time
// raw; likewise select and update) for each database, and the heap each side holds per
// loaded row after the select (glibc's mallinfo2: the ORM's objects, snapshots and
// identity map against the raw side's vector of structs).
// Exit codes: 0 done; 1 a phase failed or gave a wrong result; 2 bad arguments.
#include <fmt/format.h>
#include <malloc.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_cli.hpp"
#include "bench_row.hpp"
#include "bench_stats.hpp"
#include "orm/orm.hpp"
#include "raw_baseline.hpp"

namespace strata::bench {

namespace {

constexpr std::size_t kRawBatch = 500;

struct Options {
    std::size_t rows = 100'000;
    int runs = 5;
    std::vector<std::string> urls;
    bool memory = true;
};

struct Results {
    Timings orm_insert, orm_select, orm_update;
    Timings raw_insert_row, raw_insert_batch, raw_select, raw_update;
    double orm_select_heap = 0, raw_select_heap = 0;  // bytes held per loaded row, last run
};

// Bytes the process holds on the heap (allocated chunks and mmapped blocks).
double heap_in_use() {
    struct mallinfo2 mi = mallinfo2();
    return static_cast<double>(mi.uordblks + mi.hblkhd);
}

[[noreturn]] void wrong(const std::string& what) { throw std::runtime_error("wrong result: " + what); }

void check_sum(const char* side, double expected, double got) {
    if (std::fabs(expected - got) > 1e-6 * std::max(1.0, std::fabs(expected)))
        wrong(fmt::format("{}: sum of scores is {} in the database, expected {}", side, got, expected));
}

class Bench {
public:
    Bench(std::string url, const Options& options)
        : engine_(create_engine(url)), options_(options), registry_(bench_registry()) {
        const Metadata& md = registry_.metadata();
        metadata_.add(md.tables().front());
        create_sql_ = engine_.dialect().render_create_table(metadata_.tables().front());
        std::string_view d = engine_.dialect().name();
        if (d == "sqlite") raw_ = make_sqlite_baseline(engine_);
        else if (d == "postgresql") raw_ = make_postgres_baseline(engine_);
        else raw_ = make_mysql_baseline(engine_);
    }

    std::string describe() {
        return fmt::format("{} {} (strata connection), raw baseline: {}", engine_.dialect().name(),
                           engine_.connection().server_version(), raw_->describe());
    }

    void run_all() {
        const auto data = make_rows(options_.rows);
        const auto warm = make_rows(std::min<std::size_t>(options_.rows, 10'000));
        Results discard;
        run_raw(warm, discard);
        run_orm(warm, discard);
        for (int r = 0; r < options_.runs; ++r) {
            if (r % 2 == 0) {
                run_raw(data, results_);
                run_orm(data, results_);
            } else {
                run_orm(data, results_);
                run_raw(data, results_);
            }
            std::cerr << "." << std::flush;
        }
        std::cerr << "\n";
        raw_->drop_table();
        drop_all(metadata_, engine_);
    }

    void print() const {
        const double n = static_cast<double>(options_.rows);
        auto rate = [&](const Timings& t) {
            return fmt::format("{:>10.0f} rows/s (best {:>10.0f})", n / t.median(), n / t.best());
        };
        const Results& r = results_;
        fmt::print("insert  orm {}   raw {}  [1 row/statement]\n", rate(r.orm_insert), rate(r.raw_insert_row));
        fmt::print("        {:36}   raw {}  [{} rows/statement]\n", "", rate(r.raw_insert_batch), kRawBatch);
        fmt::print("select  orm {}   raw {}\n", rate(r.orm_select), rate(r.raw_select));
        fmt::print("update  orm {}   raw {}\n", rate(r.orm_update), rate(r.raw_update));
        double ri = r.orm_insert.median() / r.raw_insert_row.median();
        double rs = r.orm_select.median() / r.raw_select.median();
        double ru = r.orm_update.median() / r.raw_update.median();
        fmt::print("ratio insert orm/raw = {:.2f}\n", ri);
        fmt::print("  (against raw with {} rows/statement, stricter: {:.2f})\n", kRawBatch,
                   r.orm_insert.median() / r.raw_insert_batch.median());
        fmt::print("ratio select orm/raw = {:.2f}\n", rs);
        fmt::print("ratio update orm/raw = {:.2f}\n", ru);
        fmt::print("heap after select: orm {:.0f} bytes/row, raw {:.0f} bytes/row\n", r.orm_select_heap,
                   r.raw_select_heap);
        // The targets of docs/performance.md (SQLite file; servers are reported alike).
        const double rb = r.orm_insert.median() / r.raw_insert_batch.median();
        auto verdict = [](double v, double target) { return v <= target ? "met" : "MISSED"; };
        fmt::print("targets: insert <= 1.00 {}, insert vs {} rows/statement <= 1.25 {}, select <= 1.40 {}, "
                   "update <= 1.40 {}\n",
                   verdict(ri, 1.0), kRawBatch, verdict(rb, 1.25), verdict(rs, 1.4), verdict(ru, 1.4));
    }

private:
    void run_orm(const std::vector<BenchRow>& data, Results& out) {
        drop_all(metadata_, engine_);
        create_all(metadata_, engine_, {.checkfirst = false});
        const double sum = score_sum(data);
        std::vector<BenchRow> rows = data;  // copied outside the timed part, as for raw
        std::vector<std::shared_ptr<BenchRow>> kept;  // destroyed outside the timed part
        {
            Session s(engine_, registry_);
            Stopwatch w;
            kept = s.add_all(std::move(rows));
            s.commit();
            out.orm_insert.add(w.seconds());
            if (kept.empty() ? !data.empty() : kept.back()->id == 0) wrong("ORM insert: no generated id");
        }
        kept.clear();
        Session s(engine_, registry_);
        const double heap_before = heap_in_use();
        Stopwatch w;
        auto objects = s.query<BenchRow>().all();
        out.orm_select.add(w.seconds());
        out.orm_select_heap = (heap_in_use() - heap_before) / static_cast<double>(data.size());
        if (objects.size() != data.size())
            wrong(fmt::format("ORM select returned {} rows, expected {}", objects.size(), data.size()));
        Stopwatch u;
        for (auto& o : objects) o->score += 1;
        s.commit();
        out.orm_update.add(u.seconds());
        check_sum("ORM update", sum + static_cast<double>(data.size()),
                  s.query<BenchRow>().scalar<double>(strata::sum(&BenchRow::score)).value_or(0));
    }

    void run_raw(const std::vector<BenchRow>& data, Results& out) {
        const double sum = score_sum(data);
        for (std::size_t batch : {std::size_t{1}, kRawBatch}) {
            raw_->reset_table(create_sql_);
            std::vector<BenchRow> rows = data;
            Stopwatch w;
            raw_->insert(rows, batch);
            (batch == 1 ? out.raw_insert_row : out.raw_insert_batch).add(w.seconds());
            if (!rows.empty() && rows.back().id == 0) wrong("raw insert: no generated id");
        }
        const double heap_before = heap_in_use();
        Stopwatch w;
        auto loaded = raw_->select_all();
        out.raw_select.add(w.seconds());
        out.raw_select_heap = (heap_in_use() - heap_before) / static_cast<double>(data.size());
        if (loaded.size() != data.size())
            wrong(fmt::format("raw select returned {} rows, expected {}", loaded.size(), data.size()));
        Stopwatch u;
        for (auto& r : loaded) r.score += 1;
        raw_->update_scores(loaded);
        out.raw_update.add(u.seconds());
        auto [count, total] = raw_->count_and_sum();
        if (static_cast<std::size_t>(count) != data.size()) wrong("raw update: row count changed");
        check_sum("raw update", sum + static_cast<double>(data.size()), total);
    }

    Engine engine_;
    Options options_;
    Registry& registry_;
    Metadata metadata_;
    std::vector<std::string> create_sql_;
    std::unique_ptr<RawBaseline> raw_;
    Results results_;
};

void usage(std::ostream& out) {
    out << "usage: strata-bench-orm [--rows N] [--runs R] [--url URL ...] [--no-memory]\n"
           "  --rows N     rows per run (default 100000)\n"
           "  --runs R     measured runs after one warm-up (default 5)\n"
           "  --url URL    also bench this PostgreSQL or MySQL/MariaDB database (repeatable)\n"
           "  --no-memory  skip the sqlite://:memory: pass\n";
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw Error(ErrorKind::usage, a + " needs a value");
            return argv[++i];
        };
        auto number = [&](std::size_t min, std::size_t max) { return parse_count(a, value(), min, max); };
        if (a == "--rows") o.rows = number(1, 1'000'000'000);
        else if (a == "--runs") o.runs = static_cast<int>(number(1, 1000));
        else if (a == "--url") o.urls.push_back(value());
        else if (a == "--no-memory") o.memory = false;
        else if (a == "-h" || a == "--help") {
            usage(std::cout);
            std::exit(0);
        } else throw Error(ErrorKind::usage, "unknown argument " + a);
    }
    require_server_urls(o.urls);
    return o;
}

void section(const std::string& url, const Options& options) {
    Bench bench(url, options);
    fmt::print("{}\n", bench.describe());
    std::fflush(stdout);
    bench.run_all();
    bench.print();
    std::fflush(stdout);
}

int run(int argc, char** argv) {
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const Error& e) {
        std::cerr << "strata-bench-orm: " << e.what() << "\n";
        usage(std::cerr);
        return 2;
    }
    fmt::print("strata-bench-orm: {} rows, {} runs after 1 warm-up; medians (best)\n", options.rows, options.runs);
    return bench_databases("strata-bench-orm", options.urls, options.memory,
                           [&](const std::string& url) { section(url, options); });
}

}  // namespace

}  // namespace strata::bench

int main(int argc, char** argv) { return strata::bench::run(argc, argv); }
