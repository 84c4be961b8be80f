#include "dialects/engine.hpp"

#include <mutex>
#include <thread>

#include "core/error.hpp"

namespace strata {

struct Engine::State {
    Url url;
    EngineOptions options;
    const Dialect* dialect = nullptr;
    std::shared_ptr<ConnectionPool> pool;
    // The engine's own connection (connection()): a checkout kept for the engine's life,
    // except for a shared in-memory database, whose one connection needs no checkout.
    std::mutex own_mu;
    PooledConnection own;
    Connection* own_conn = nullptr;
    std::thread::id own_thread{};
};

namespace {

std::unique_ptr<Connection> open_connection(const Url& url, const EngineOptions& options) {
    std::unique_ptr<Connection> conn;
    if (url.dialect == "sqlite") conn = open_sqlite(url, options);
    else if (url.dialect == "postgresql") conn = open_postgresql(url, options);
    else if (url.dialect == "mysql") conn = open_mysql(url, options);
    else throw Error(ErrorKind::input, "unknown database dialect '" + url.dialect + "'");
    conn->set_echo(options.echo);
    if (!options.insert_returning) conn->disable_returning();
    return conn;
}

bool in_memory(const Url& url) { return url.dialect == "sqlite" && url.database == ":memory:"; }

}  // namespace

Engine::Engine(Url url, EngineOptions options) : state_(std::make_shared<State>()) {
    state_->dialect = &dialect_named(url.dialect);
    state_->url = std::move(url);
    state_->options = options;
    // The opener keeps copies: a checkout may outlive every copy of the engine.
    state_->pool = std::make_shared<ConnectionPool>(
        [url = state_->url, options] { return open_connection(url, options); }, options.pool, in_memory(state_->url));
}

const Url& Engine::url() const noexcept { return state_->url; }
const EngineOptions& Engine::options() const noexcept { return state_->options; }
const Dialect& Engine::dialect() const noexcept { return *state_->dialect; }

Connection& Engine::connection() {
    State& st = *state_;
    std::lock_guard<std::mutex> lock(st.own_mu);
    if (!st.own_conn) {
        if (in_memory(st.url)) {
            st.own_conn = &st.pool->shared_connection();
        } else {
            st.own = st.pool->checkout();
            st.own_conn = st.own.get();
        }
        st.own_thread = std::this_thread::get_id();
    }
    return *st.own_conn;
}

PooledConnection Engine::connect() const { return state_->pool->checkout(); }

std::unique_ptr<Connection> Engine::open() const { return open_connection(state_->url, state_->options); }

Connection* Engine::joinable_connection() const noexcept {
    State& st = *state_;
    std::lock_guard<std::mutex> lock(st.own_mu);
    if (!st.own_conn || st.own_thread != std::this_thread::get_id()) return nullptr;
    return st.own_conn->in_transaction() ? st.own_conn : nullptr;
}

PoolStatus Engine::pool_status() const { return state_->pool->status(); }
ConnectionStats Engine::stats() const noexcept { return state_->pool->stats(); }
void Engine::dispose() noexcept { state_->pool->dispose(); }

Engine create_engine(std::string_view url, EngineOptions options) { return Engine(Url::parse(url), options); }

}  // namespace strata
