// The threaded part of strata-bench-threads: N threads, one Session each on one shared
// Engine, and the timing of a bare pool checkout (see thread_bench.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench_row.hpp"
#include "dialects/engine.hpp"
#include "orm/registry.hpp"

namespace strata::bench {

// BenchRow's columns plus the number of the thread that inserted the row (indexed), so
// that each thread reads back exactly its own rows.
struct ThreadRow {
    std::int64_t id = 0;
    std::int32_t thread = 0;
    std::string name;
    std::optional<std::string> email;
    std::int32_t age = 0;
    double score = 0;
    bool active = false;
};

inline constexpr const char* kThreadTable = "strata_bench_threads";

// A registry holding ThreadRow as table strata_bench_threads (id generated).
Registry& thread_registry();

// Wall-clock seconds of the two phases of one threaded run (all threads together).
struct ThreadedTimes {
    double insert = 0;
    double read = 0;
};

// One run on the (freshly created, empty) strata_bench_threads table: `threads` threads
// each open a Session on `engine`; thread t takes its share of `rows` (contiguous, sizes
// differing by at most one), adds it in batches of `batch` rows with a commit after each
// batch, then queries its own rows back (WHERE thread = t) and commits. The phases are
// separated by barriers, so every thread starts inserting, and reading, at the same time.
// Checks per thread: every inserted object got an id, the read returned exactly its
// share, the sum of its scores matches. Throws std::runtime_error("wrong result: ...")
// or with the first thread's failure.
ThreadedTimes run_threads(const Engine& engine, const std::vector<BenchRow>& rows, std::size_t threads,
                          std::size_t batch);

// Nanoseconds per `engine.connect()` + release of an idle connection as one thread sees
// it: `threads` threads (the calling one included) each check out and return
// `iterations` times at once; wall time / iterations. With threads = 1, the bare cost;
// with more, what the pool's lock adds under contention (the pool must hold `threads`
// idle connections). Each thread's first checkout opens or warms its connection.
double checkout_ns(const Engine& engine, std::size_t iterations, std::size_t threads);

}  // namespace strata::bench
