#include "dialects/connection_pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error.hpp"

namespace strata {

namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(0.0, s)));
}

}  // namespace

// ---- PooledConnection -------------------------------------------------------------------------

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(std::move(other.pool_)), conn_(std::exchange(other.conn_, nullptr)) {}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
    if (this != &other) {
        release();
        pool_ = std::move(other.pool_);
        conn_ = std::exchange(other.conn_, nullptr);
    }
    return *this;
}

void PooledConnection::release() noexcept {
    if (!conn_) return;
    pool_->give_back(std::exchange(conn_, nullptr), false);
    pool_.reset();
}

void PooledConnection::invalidate() noexcept {
    if (!conn_) return;
    pool_->give_back(std::exchange(conn_, nullptr), true);
    pool_.reset();
}

// ---- ConnectionPool ---------------------------------------------------------------------------

ConnectionPool::ConnectionPool(Opener open, PoolOptions options, bool shared_single)
    : open_(std::move(open)), options_(options), shared_single_(shared_single),
      totals_(std::make_shared<SharedStats>()) {
    if (!shared_single_ && options_.pool_size + options_.max_overflow == 0)
        throw Error(ErrorKind::usage, "PoolOptions: pool_size + max_overflow must allow at least one connection");
}

ConnectionPool::~ConnectionPool() = default;

PooledConnection ConnectionPool::checkout() {
    if (shared_single_) return checkout_shared();
    Lock lock(mu_);
    Entry e = take_idle_or_slot(lock);  // waits; a slot to open comes back empty
    lock.unlock();
    if (e.conn && !usable(e)) {
        e.conn.reset();  // closed outside the lock; its slot opens a replacement
        lock.lock();
        ++counters_.discarded;
        lock.unlock();
    }
    if (!e.conn) e = open_entry();  // on failure the slot is given back there
    lock.lock();
    Connection* c = e.conn.get();
    out_.push_back(std::move(e));
    --opening_;
    return PooledConnection(shared_from_this(), c);
}

// An idle connection (most recent first), or an empty Entry after reserving a slot to
// open one (opening_ counts it), waiting for a return when the pool is full.
ConnectionPool::Entry ConnectionPool::take_idle_or_slot(Lock& lock) {
    const auto deadline = Clock::now() + seconds(options_.timeout_seconds);
    const std::size_t limit = options_.pool_size + options_.max_overflow;
    for (;;) {
        if (!idle_.empty()) {
            Entry e = std::move(idle_.back());
            idle_.pop_back();
            ++opening_;
            return e;
        }
        if (out_.size() + opening_ < limit) {
            ++opening_;
            return {};
        }
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            out_.size() + opening_ >= limit)
            timed_out(lock);
    }
}

ConnectionPool::Entry ConnectionPool::open_entry() {
    Entry e;
    try {
        e.conn = open_();
    } catch (...) {
        Lock lock(mu_);
        --opening_;
        cv_.notify_one();
        throw;
    }
    e.conn->report_to(totals_);
    e.opened = Clock::now();
    Lock lock(mu_);
    ++counters_.created;
    return e;
}

bool ConnectionPool::usable(Entry& e) noexcept {
    if (e.conn->broken()) return false;
    if (options_.recycle_seconds >= 0 && Clock::now() - e.opened > seconds(options_.recycle_seconds)) return false;
    if (!options_.pre_ping) return true;
    try {
        e.conn->ping();
        return !e.conn->broken();
    } catch (...) {
        return false;
    }
}

void ConnectionPool::timed_out(Lock& lock) {
    ++counters_.timeouts;
    std::size_t out = out_.size();
    lock.unlock();
    throw Error(ErrorKind::pool_timeout,
                fmt::format("no database connection became free within {} s ({} in use, pool_size {} + max_overflow "
                            "{}); return connections sooner (end sessions with commit/rollback/close) or raise "
                            "PoolOptions::pool_size or timeout_seconds",
                            options_.timeout_seconds, out, options_.pool_size, options_.max_overflow));
}

PooledConnection ConnectionPool::checkout_shared() {
    Connection& c = shared_connection();
    Lock lock(mu_);
    const auto me = std::this_thread::get_id();
    const auto deadline = Clock::now() + seconds(options_.timeout_seconds);
    while (holders_ > 0 && owner_ != me) {
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && holders_ > 0 && owner_ != me) {
            ++counters_.timeouts;
            lock.unlock();
            throw Error(ErrorKind::pool_timeout,
                        fmt::format("the in-memory SQLite database was in use by another thread for {} s: a "
                                    "sqlite://:memory: engine has one connection, used by one thread at a time; "
                                    "use a database file for work in several threads",
                                    options_.timeout_seconds));
        }
    }
    owner_ = me;
    ++holders_;
    return PooledConnection(shared_from_this(), &c);
}

Connection& ConnectionPool::shared_connection() {
    // Opened under the lock: two threads' first checkouts must not both open one (the
    // second would replace the connection the first is about to use). Opening an
    // in-memory database does no I/O.
    Lock lock(mu_);
    if (!single_.conn) {
        single_.conn = open_();
        single_.conn->report_to(totals_);
        single_.opened = Clock::now();
        ++counters_.created;
    }
    return *single_.conn;
}

void ConnectionPool::give_back(Connection* conn, bool broken) noexcept {
    if (shared_single_) return give_back_shared(conn);
    // Reset on return: a transaction left open is rolled back before anyone else gets it.
    bool keep = !broken && !conn->broken();
    if (keep && conn->in_transaction()) {
        try {
            conn->rollback();
        } catch (...) {
            keep = false;
        }
        keep = keep && !conn->broken();
    }
    std::unique_ptr<Connection> closing;
    {
        Lock lock(mu_);
        auto it = std::find_if(out_.begin(), out_.end(), [&](const Entry& e) { return e.conn.get() == conn; });
        if (it == out_.end()) return;  // not ours: cannot happen through PooledConnection
        Entry e = std::move(*it);
        *it = std::move(out_.back());
        out_.pop_back();
        if (keep && idle_.size() < options_.pool_size) {
            idle_.push_back(std::move(e));
        } else {
            if (!keep) ++counters_.discarded;
            closing = std::move(e.conn);
        }
        cv_.notify_one();
    }
    // `closing` closes the connection here, outside the lock.
}

void ConnectionPool::give_back_shared(Connection* conn) noexcept {
    // Only the owning thread returns checkouts; the last one resets the transaction before
    // another thread may take the connection. The connection itself stays open: closing
    // it would drop the in-memory database.
    Lock lock(mu_);
    if (holders_ == 1 && conn->in_transaction()) {
        lock.unlock();
        try {
            conn->rollback();
        } catch (...) {
        }
        lock.lock();
    }
    if (--holders_ == 0) {
        owner_ = {};
        cv_.notify_all();
    }
}

PoolStatus ConnectionPool::status() const {
    Lock lock(mu_);
    PoolStatus s = counters_;
    s.checked_out = shared_single_ ? (holders_ > 0 ? 1 : 0) : out_.size();
    s.idle = shared_single_ ? (single_.conn && holders_ == 0 ? 1 : 0) : idle_.size();
    return s;
}

void ConnectionPool::dispose() noexcept {
    std::vector<Entry> closing;
    {
        Lock lock(mu_);
        closing.swap(idle_);
    }
}

ConnectionStats ConnectionPool::stats() const noexcept {
    return {totals_->statements.load(std::memory_order_relaxed), totals_->prepares.load(std::memory_order_relaxed)};
}

}  // namespace strata
