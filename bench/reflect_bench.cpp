// strata-bench-reflect: reflect + diff of 100- and 1,000-table schemas per dialect
// (design.md §7: "few catalog queries, never one round-trip per table"; goal: 1,000
// tables under 0.3 s on each server).
//
//   strata-bench-reflect [--tables N ...] [--runs R] [--url URL ...]
//
// SQLite always (a file in a fresh temp directory); PostgreSQL and MySQL/MariaDB for
// STRATA_TEST_POSTGRES_URL / STRATA_TEST_MYSQL_URL when set, and for each --url. On a
// server the bench creates a scratch database strata_bench_reflect_<pid> next to the
// URL's database (the URL's user needs CREATE DATABASE) and drops it at the end.
//
// Per dialect and size: create_all of a generated schema (timed, for information), one
// warm-up reflect, then R runs of reflect + diff against the declared schema; figures are
// medians. The diff must be empty (create_all -> reflect -> diff round trip); a
// non-empty diff is reported with its first operations and makes the exit code 1.
// Exit codes: 0 done; 1 a failure or a non-empty diff; 2 bad arguments.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bench_stats.hpp"
#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "orm/create_all.hpp"

namespace strata::bench {

namespace {

struct Options {
    std::vector<int> sizes;
    int runs = 3;
    std::vector<std::string> urls;
};

// `n` tables t0000..: a key, text, a unique code, a numeric and a boolean with literal
// defaults, a nullable timestamp, a foreign key to the previous table with its index,
// and an index on name. Names follow the naming convention.
Metadata make_schema(int n) {
    Metadata md;
    for (int i = 0; i < n; ++i) {
        Table t;
        t.name = fmt::format("t{:04}", i);
        Column id{.name = "id", .type = types::big_integer(), .nullable = false};
        id.autoincrement = true;
        t.columns.push_back(id);
        t.columns.push_back({.name = "name", .type = types::string(100), .nullable = false});
        t.columns.push_back({.name = "code", .type = types::string(20), .nullable = false});
        t.columns.push_back({.name = "amount",
                             .type = types::numeric(10, 2),
                             .nullable = false,
                             .server_default = ServerDefault::literal("0")});
        t.columns.push_back({.name = "active",
                             .type = types::boolean(),
                             .nullable = false,
                             .server_default = ServerDefault::literal("true")});
        t.columns.push_back({.name = "created_at", .type = types::datetime(), .nullable = true});
        t.primary_key.columns = {"id"};
        t.uniques.push_back({"", {"code"}});
        t.indexes.push_back({"", {"name"}, false});
        if (i > 0) {
            t.columns.push_back({.name = "parent_id", .type = types::big_integer(), .nullable = true});
            t.foreign_keys.push_back({"", {"parent_id"}, fmt::format("t{:04}", i - 1), {"id"}});
            t.indexes.push_back({"", {"parent_id"}, false});
        }
        apply_naming_convention(t);
        md.add(std::move(t));
    }
    return md;
}

// A scratch database for one dialect: created in the constructor, dropped in the destructor.
class Scratch {
public:
    explicit Scratch(const std::string& url) {
        Url u = Url::parse(url);
        if (u.dialect == "sqlite") {
            dir_ = std::filesystem::temp_directory_path() / fmt::format("strata-bench-reflect-{}", ::getpid());
            std::filesystem::create_directories(dir_);
            url_ = "sqlite:///" + (dir_ / "reflect.db").string();
            return;
        }
        admin_url_ = url;
        name_ = fmt::format("strata_bench_reflect_{}", ::getpid());
        auto conn = create_engine(admin_url_).connect();
        conn->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}", conn->dialect().quote(name_)));
        conn->execute_unprepared(fmt::format("CREATE DATABASE {}", conn->dialect().quote(name_)));
        url_ = u.with_database(name_).str();
    }
    ~Scratch() {
        try {
            if (!dir_.empty()) {
                std::error_code ec;
                std::filesystem::remove_all(dir_, ec);
                return;
            }
            auto conn = create_engine(admin_url_).connect();
            std::string force = conn->dialect().name() == "postgresql" ? " WITH (FORCE)" : "";
            conn->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}{}", conn->dialect().quote(name_), force));
        } catch (const std::exception& e) {
            std::cerr << "strata-bench-reflect: could not drop scratch database " << name_ << ": " << e.what() << "\n";
        }
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    const std::string& url() const noexcept { return url_; }

private:
    std::filesystem::path dir_;
    std::string admin_url_, name_, url_;
};

// Returns false when the round trip left differences.
bool bench_size(const std::string& url, int n, int runs) {
    Scratch scratch(url);
    Engine engine = create_engine(scratch.url());
    Connection& conn = engine.connection();
    const Dialect& dialect = engine.dialect();
    const Metadata md = make_schema(n);

    Stopwatch create_watch;
    create_all(md, engine);
    double create_s = create_watch.seconds();

    (void)dialect.reflect(conn);  // warm-up: catalog caches, statement preparation
    Timings reflect_t, diff_t, total_t;
    std::uint64_t statements = 0;
    DiffResult last;
    std::size_t reflected_tables = 0;
    for (int r = 0; r < runs; ++r) {
        std::uint64_t before = conn.stats().statements;
        Stopwatch w;
        Metadata live = dialect.reflect(conn);
        double reflect_s = w.seconds();
        statements = conn.stats().statements - before;
        Stopwatch d;
        last = diff(live, md, {.dialect = &dialect});
        double diff_s = d.seconds();
        reflect_t.add(reflect_s);
        diff_t.add(diff_s);
        total_t.add(reflect_s + diff_s);
        reflected_tables = live.tables().size();
    }
    fmt::print("{:<11} {:>5} tables: create_all {:7.3f} s | reflect {:7.3f} s ({} queries, {} tables) + diff {:7.3f} s "
               "= {:7.3f} s (best {:.3f}) | diff empty: {}\n",
               dialect.name(), n, create_s, reflect_t.median(), statements, reflected_tables, diff_t.median(),
               total_t.median(), total_t.best(), last.empty() ? "yes" : fmt::format("NO ({} operations)", last.operations.size()));
    if (!last.empty()) {
        for (std::size_t i = 0; i < last.operations.size() && i < 5; ++i)
            fmt::print("    {}\n", describe(last.operations[i]));
    }
    if (n >= 1000 && dialect.name() != "sqlite")
        fmt::print("goal {} 1,000 tables under 0.3 s: {}\n", dialect.name(), total_t.median() < 0.3 ? "met" : "MISSED");
    std::fflush(stdout);
    return last.empty();
}

void usage(std::ostream& out) {
    out << "usage: strata-bench-reflect [--tables N ...] [--runs R] [--url URL ...]\n"
           "  --tables N   schema size (repeatable; default 100 and 1000)\n"
           "  --runs R     measured reflect + diff runs per size (default 3)\n"
           "  --url URL    a PostgreSQL or MySQL/MariaDB server to bench (repeatable; also\n"
           "               STRATA_TEST_POSTGRES_URL / STRATA_TEST_MYSQL_URL)\n";
}

int run(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if ((a == "--tables" || a == "--runs" || a == "--url") && i + 1 >= argc) {
            std::cerr << "strata-bench-reflect: " << a << " needs a value\n";
            usage(std::cerr);
            return 2;
        }
        if (a == "--tables" || a == "--runs") {
            std::string v = argv[++i];
            char* end = nullptr;
            long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || n < 1 || n > 100000) {
                std::cerr << "strata-bench-reflect: " << a << " takes a whole number from 1 to 100000, not '" << v
                          << "'\n";
                return 2;
            }
            (a == "--runs" ? o.runs : o.sizes.emplace_back()) = static_cast<int>(n);
        } else if (a == "--url") {
            o.urls.push_back(argv[++i]);
        } else if (a == "-h" || a == "--help") {
            usage(std::cout);
            return 0;
        } else {
            std::cerr << "strata-bench-reflect: unknown argument " << a << "\n";
            usage(std::cerr);
            return 2;
        }
    }
    if (o.sizes.empty()) o.sizes = {100, 1000};
    std::vector<std::string> urls{"sqlite://"};  // placeholder: Scratch makes the file
    for (const char* env : {"STRATA_TEST_POSTGRES_URL", "STRATA_TEST_MYSQL_URL"})
        if (const char* v = std::getenv(env); v && *v) urls.emplace_back(v);
    urls.insert(urls.end(), o.urls.begin(), o.urls.end());
    for (const auto& u : urls) {
        try {
            (void)Url::parse(u);
        } catch (const Error& e) {
            std::cerr << "strata-bench-reflect: " << e.what() << "\n";
            return 2;
        }
    }
    fmt::print("strata-bench-reflect: reflect + diff, median of {} runs after 1 warm-up\n", o.runs);
    int rc = 0;
    for (const auto& u : urls) {
        for (int n : o.sizes) {
            try {
                if (!bench_size(u, n, o.runs)) rc = 1;
            } catch (const std::exception& e) {
                std::cerr << "strata-bench-reflect: " << Url::parse(u).redacted() << ", " << n
                          << " tables: " << e.what() << "\n";
                rc = 1;
            }
        }
    }
    return rc;
}

}  // namespace

}  // namespace strata::bench

int main(int argc, char** argv) { return strata::bench::run(argc, argv); }
