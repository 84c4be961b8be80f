// strata-bench-threads: the ORM from several threads on one shared Engine (its connection
// pool), against the single-thread raw driver, and the cost of a pool checkout
// (docs/performance.md, "Threads and the connection pool").
//
//   strata-bench-threads [--rows R] [--batch B] [--runs K] [--threads N ...]
//                        [--checkouts C] [--url URL ...]
//
// Always a SQLite file in a fresh temp directory; each --url adds a PostgreSQL or
// MySQL/MariaDB server. The bench creates and finally drops its tables
// strata_bench_threads (ORM) and strata_bench_threads_raw (raw driver) in each database.
//
// ORM, for each N (default 1, 2 and 4): N threads, each with its own Session on ONE
// shared Engine (pool_size = largest N + 1, the engine's own connection included), insert
// R rows in all (default 100,000; each thread its share, tagged with its thread number)
// in batches of B rows (default 1,000) with a commit after each batch, so every session
// checks a connection out and returns it R/(N*B) times; then each thread queries its own
// rows back (WHERE thread = t, an indexed column). Rows/s = R / wall time of the phase.
// Raw baseline, single thread, same run: the raw_*.cpp baselines of strata-bench-orm,
// R rows by one prepared single-row INSERT stepped per row in ONE transaction, then one
// SELECT of every row; and the same INSERTs committed every B rows, as the ORM threads
// commit (a durable commit costs fsyncs, which one transaction pays once). Ratio printed
// = ORM rows/s / raw rows/s (above 1: the threaded ORM moves more rows per second than
// the single raw connection), against both raw inserts.
// One warm-up (min(R, 10,000) rows) per side is discarded; figures are medians of K runs
// (default 3; best in parentheses). SQLite takes one writer at a time: threads queue on
// its write lock (busy timeout) and insert no faster than one; that is expected.
//
// Checkout: C times (default 1,000,000; 0 skips) `engine.connect()` and release of an
// idle pooled connection, on 1 thread, then on N threads at once (C each); prints ns per
// checkout + return as one thread sees it (wall time / C).
// /proc/loadavg is printed at the start and the end.
//
// Exit codes: 0 done; 1 a phase failed or gave a wrong result (row counts per thread,
// sums of scores); 2 bad arguments.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_cli.hpp"
#include "bench_row.hpp"
#include "bench_stats.hpp"
#include "orm/orm.hpp"
#include "raw_baseline.hpp"
#include "thread_run.hpp"

namespace strata::bench {

namespace {

constexpr const char* kRawTable = "strata_bench_threads_raw";

struct Options {
    std::size_t rows = 100'000;
    std::size_t batch = 1'000;
    int runs = 3;
    std::vector<std::size_t> threads;
    std::size_t checkouts = 1'000'000;
    std::vector<std::string> urls;
};

std::string loadavg() {
    std::ifstream in("/proc/loadavg");
    std::string line;
    std::getline(in, line);
    return line.empty() ? "unknown" : line;
}

EngineOptions engine_options(const Options& o) {
    EngineOptions e;
    e.pool.pool_size = *std::max_element(o.threads.begin(), o.threads.end()) + 1;
    return e;
}

class DatabaseBench {
public:
    DatabaseBench(const std::string& url, const Options& options)
        : engine_(create_engine(url, engine_options(options))), options_(options) {
        metadata_.add(thread_registry().metadata().tables().front());
        Table raw_table = bench_registry().metadata().tables().front();
        raw_table.name = kRawTable;
        raw_create_sql_ = engine_.dialect().render_create_table(raw_table);
        std::string_view d = engine_.dialect().name();
        if (d == "sqlite") raw_ = make_sqlite_baseline(engine_, kRawTable);
        else if (d == "postgresql") raw_ = make_postgres_baseline(engine_, kRawTable);
        else raw_ = make_mysql_baseline(engine_, kRawTable);
    }

    std::string describe() {
        return fmt::format("{} {}, pool_size {}, raw baseline: {}", engine_.dialect().name(),
                           engine_.connection().server_version(), engine_.options().pool.pool_size, raw_->describe());
    }

    void run_all() {
        const auto data = make_rows(options_.rows);
        const auto warm = make_rows(std::min<std::size_t>(options_.rows, 10'000));
        try {
            RawTimings discard_raw;
            OrmTimings discard;
            run_raw(warm, discard_raw);
            for (std::size_t n : options_.threads) run_orm(warm, n, discard);
            for (int r = 0; r < options_.runs; ++r) {
                if (r % 2 == 0) run_raw(data, raw_times_);  // alternate which side goes first
                for (std::size_t n : options_.threads) run_orm(data, n, orm_[n]);
                if (r % 2 == 1) run_raw(data, raw_times_);
                std::cerr << "." << std::flush;
            }
            std::cerr << "\n";
        } catch (...) {
            drop_tables();
            throw;
        }
        drop_tables();
    }

    void print() const {
        const double n = static_cast<double>(options_.rows);
        auto rate = [&](const Timings& t) { return fmt::format("{:>9.0f} rows/s (best {:>9.0f})", n / t.median(), n / t.best()); };
        auto ratio = [](const Timings& orm, const Timings& raw) { return raw.median() / orm.median(); };
        const RawTimings& raw = raw_times_;
        fmt::print("raw, 1 thread    insert {}                 select {}\n", rate(raw.insert), rate(raw.select));
        fmt::print("raw, 1 thread    insert {}  [committing every {} rows]\n", rate(raw.insert_batched), options_.batch);
        for (const auto& [threads, t] : orm_) {
            fmt::print("orm, {} thread{}   insert {} = {:5.2f}x raw   read   {} = {:5.2f}x raw\n", threads,
                       threads == 1 ? " " : "s", rate(t.insert), ratio(t.insert, raw.insert), rate(t.read),
                       ratio(t.read, raw.select));
            fmt::print("{:>57} = {:5.2f}x raw committing every {} rows\n", "", ratio(t.insert, raw.insert_batched),
                       options_.batch);
        }
        PoolStatus p = engine_.pool_status();
        fmt::print("pool: {} connections opened, {} discarded, {} checkout timeouts\n", p.created, p.discarded,
                   p.timeouts);
        if (engine_.dialect().name() == "sqlite")
            fmt::print("(SQLite: one writer at a time; inserting threads take turns on the write lock)\n");
    }

    void print_checkout() {
        if (options_.checkouts == 0) return;
        for (std::size_t n : options_.threads) {
            double ns = checkout_ns(engine_, options_.checkouts, n);
            fmt::print("checkout + return of an idle connection, {} thread{} at once: {:.0f} ns ({} each)\n", n,
                       n == 1 ? "" : "s", ns, options_.checkouts);
        }
    }

private:
    struct OrmTimings {
        Timings insert, read;
    };
    struct RawTimings {
        Timings insert, select, insert_batched;
    };

    void drop_tables() noexcept {
        try {
            raw_->drop_table();
            drop_all(metadata_, engine_);
        } catch (const std::exception& e) {
            std::cerr << "strata-bench-threads: dropping the bench tables: " << e.what() << "\n";
        }
    }

    // The baseline (one transaction), the select, then the same one-row INSERTs committed
    // every `batch` rows as the ORM threads do (one insert() call, so one transaction, each).
    void run_raw(const std::vector<BenchRow>& data, RawTimings& out) {
        raw_->reset_table(raw_create_sql_);
        std::vector<BenchRow> rows = data;
        Stopwatch w;
        raw_->insert(rows, 1);
        out.insert.add(w.seconds());
        if (!rows.empty() && rows.back().id == 0) throw std::runtime_error("wrong result: raw insert: no generated id");
        Stopwatch s;
        auto loaded = raw_->select_all();
        out.select.add(s.seconds());
        if (loaded.size() != data.size())
            throw std::runtime_error(
                fmt::format("wrong result: raw select returned {} rows, expected {}", loaded.size(), data.size()));
        raw_->reset_table(raw_create_sql_);
        std::vector<std::vector<BenchRow>> batches;
        for (std::size_t i = 0; i < data.size(); i += options_.batch)
            batches.emplace_back(data.begin() + i, data.begin() + std::min(data.size(), i + options_.batch));
        Stopwatch b;
        for (auto& batch : batches) raw_->insert(batch, 1);
        out.insert_batched.add(b.seconds());
        if (raw_->count_and_sum().first != static_cast<std::int64_t>(data.size()))
            throw std::runtime_error("wrong result: raw insert committed in batches: wrong row count");
    }

    void run_orm(const std::vector<BenchRow>& data, std::size_t threads, OrmTimings& out) {
        drop_all(metadata_, engine_);
        create_all(metadata_, engine_, {.checkfirst = false});
        ThreadedTimes t = run_threads(engine_, data, threads, options_.batch);
        out.insert.add(t.insert);
        out.read.add(t.read);
        auto total = Session(engine_, thread_registry()).query<ThreadRow>().count();
        if (static_cast<std::size_t>(total) != data.size())
            throw std::runtime_error(fmt::format("wrong result: {} rows in {}, expected {}", total, kThreadTable,
                                                 data.size()));
    }

    Engine engine_;
    Options options_;
    Metadata metadata_;
    std::vector<std::string> raw_create_sql_;
    std::unique_ptr<RawBaseline> raw_;
    RawTimings raw_times_;
    std::map<std::size_t, OrmTimings> orm_;
};

void usage(std::ostream& out) {
    out << "usage: strata-bench-threads [--rows R] [--batch B] [--runs K] [--threads N ...] [--checkouts C]\n"
           "                            [--url URL ...]\n"
           "  --rows R       rows per run, shared among the threads (default 100000)\n"
           "  --batch B      rows per session commit (default 1000)\n"
           "  --runs K       measured runs after one warm-up (default 3)\n"
           "  --threads N    thread count to bench (repeatable; default 1, 2 and 4)\n"
           "  --checkouts C  checkouts to time per database (default 1000000; 0: skip)\n"
           "  --url URL      also bench this PostgreSQL or MySQL/MariaDB database (repeatable)\n";
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
        if (a == "--rows") o.rows = number(1, 100'000'000);
        else if (a == "--batch") o.batch = number(1, 100'000'000);
        else if (a == "--runs") o.runs = static_cast<int>(number(1, 1000));
        else if (a == "--threads") o.threads.push_back(number(1, 64));
        else if (a == "--checkouts") o.checkouts = number(0, 1'000'000'000);
        else if (a == "--url") o.urls.push_back(value());
        else if (a == "-h" || a == "--help") {
            usage(std::cout);
            std::exit(0);
        } else throw Error(ErrorKind::usage, "unknown argument " + a);
    }
    if (o.threads.empty()) o.threads = {1, 2, 4};
    require_server_urls(o.urls);
    return o;
}

void section(const std::string& url, const Options& options) {
    DatabaseBench bench(url, options);
    fmt::print("{}\n", bench.describe());
    std::fflush(stdout);
    bench.run_all();
    bench.print();
    bench.print_checkout();
    std::fflush(stdout);
}

int run(int argc, char** argv) {
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const Error& e) {
        std::cerr << "strata-bench-threads: " << e.what() << "\n";
        usage(std::cerr);
        return 2;
    }
    fmt::print("strata-bench-threads: {} rows, batches of {}, {} runs after 1 warm-up; medians (best)\n",
               options.rows, options.batch, options.runs);
    fmt::print("load at start: {}\n", loadavg());
    int rc = bench_databases("strata-bench-threads", options.urls, false,
                             [&](const std::string& url) { section(url, options); });
    fmt::print("load at end: {}\n", loadavg());
    return rc;
}

}  // namespace

}  // namespace strata::bench

int main(int argc, char** argv) { return strata::bench::run(argc, argv); }
