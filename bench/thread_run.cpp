#include "thread_run.hpp"

#include <fmt/format.h>

#include <barrier>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <thread>

#include "bench_stats.hpp"
#include "orm/model.hpp"
#include "orm/session.hpp"

namespace strata::bench {

namespace {

// One thread's work: its rows, already cut into batches (outside the timed part), and
// what it found.
struct Share {
    std::int32_t thread = 0;
    std::vector<std::vector<ThreadRow>> batches;
    std::size_t rows = 0;
    double score_sum = 0;
    // Results.
    bool ids_generated = true;
    std::size_t read_rows = 0;
    double read_sum = 0;
    std::string error;
};

std::vector<Share> make_shares(const std::vector<BenchRow>& rows, std::size_t threads, std::size_t batch) {
    std::vector<Share> shares(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        Share& s = shares[t];
        s.thread = static_cast<std::int32_t>(t);
        const std::size_t begin = rows.size() * t / threads, end = rows.size() * (t + 1) / threads;
        for (std::size_t i = begin; i < end; ++i) {
            if ((i - begin) % batch == 0) s.batches.emplace_back().reserve(std::min(batch, end - i));
            const BenchRow& r = rows[i];
            s.batches.back().push_back({0, s.thread, r.name, r.email, r.age, r.score, r.active});
            s.score_sum += r.score;
        }
        s.rows = end - begin;
    }
    return shares;
}

// The thread body. Arrives at the barrier three times (start, inserts done, reads done);
// on a failure it records it and drops out of the barrier, so the others do not wait.
void work(const Engine& engine, Share& share, std::barrier<>& sync) {
    try {
        Session session(engine, thread_registry());
        sync.arrive_and_wait();
        for (auto& batch : share.batches) {
            auto added = session.add_all(std::move(batch));
            session.commit();  // returns the connection to the pool
            if (!added.empty() && added.back()->id == 0) share.ids_generated = false;
        }
        sync.arrive_and_wait();
        auto objects = session.query<ThreadRow>().filter_by(&ThreadRow::thread, share.thread).all();
        session.commit();
        sync.arrive_and_wait();
        share.read_rows = objects.size();
        for (const auto& o : objects) share.read_sum += o->score;
    } catch (const std::exception& e) {
        share.error = e.what();
        sync.arrive_and_drop();
    }
}

void check(const Share& s) {
    if (!s.error.empty()) throw std::runtime_error(fmt::format("thread {}: {}", s.thread, s.error));
    if (!s.ids_generated) throw std::runtime_error(fmt::format("wrong result: thread {}: no generated id", s.thread));
    if (s.read_rows != s.rows)
        throw std::runtime_error(
            fmt::format("wrong result: thread {} read back {} rows, expected {}", s.thread, s.read_rows, s.rows));
    if (std::fabs(s.read_sum - s.score_sum) > 1e-6 * std::max(1.0, s.score_sum))
        throw std::runtime_error(fmt::format("wrong result: thread {}: sum of scores {} read back, expected {}",
                                             s.thread, s.read_sum, s.score_sum));
}

}  // namespace

Registry& thread_registry() {
    static Registry* registry = [] {
        auto* r = new Registry();
        r->table<ThreadRow>(kThreadTable)
            .column("id", &ThreadRow::id, primary_key)
            .column("thread", &ThreadRow::thread, indexed)
            .column("name", &ThreadRow::name, type(types::string(100)))
            .column("email", &ThreadRow::email)
            .column("age", &ThreadRow::age)
            .column("score", &ThreadRow::score)
            .column("active", &ThreadRow::active);
        return r;
    }();
    return *registry;
}

ThreadedTimes run_threads(const Engine& engine, const std::vector<BenchRow>& rows, std::size_t threads,
                          std::size_t batch) {
    std::vector<Share> shares = make_shares(rows, threads, batch);
    std::barrier<> sync(static_cast<std::ptrdiff_t>(threads + 1));  // the threads and this one
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (auto& s : shares) pool.emplace_back(work, std::cref(engine), std::ref(s), std::ref(sync));
    ThreadedTimes t;
    sync.arrive_and_wait();
    Stopwatch insert;
    sync.arrive_and_wait();
    t.insert = insert.seconds();
    Stopwatch read;
    sync.arrive_and_wait();
    t.read = read.seconds();
    for (auto& th : pool) th.join();
    for (const auto& s : shares) check(s);
    return t;
}

double checkout_ns(const Engine& engine, std::size_t iterations, std::size_t threads) {
    auto loop = [&engine, iterations] {
        engine.connect().release();  // opens or warms this thread's connection
        for (std::size_t i = 0; i < iterations; ++i) {
            PooledConnection c = engine.connect();
            c.release();
        }
    };
    std::vector<std::thread> pool;
    Stopwatch w;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(loop);
    loop();
    for (auto& th : pool) th.join();
    return w.seconds() * 1e9 / static_cast<double>(iterations);
}

}  // namespace strata::bench
