#include "dialects/engine.hpp"

#include "core/error.hpp"

namespace strata {

struct Engine::State {
    Url url;
    EngineOptions options;
    const Dialect* dialect = nullptr;
    std::unique_ptr<Connection> connection;
};

Engine::Engine(Url url, EngineOptions options) : state_(std::make_shared<State>()) {
    state_->dialect = &dialect_named(url.dialect);
    state_->url = std::move(url);
    state_->options = options;
}

const Url& Engine::url() const noexcept { return state_->url; }
const EngineOptions& Engine::options() const noexcept { return state_->options; }
const Dialect& Engine::dialect() const noexcept { return *state_->dialect; }

Connection& Engine::connection() {
    if (!state_->connection) state_->connection = connect();
    return *state_->connection;
}

std::unique_ptr<Connection> Engine::connect() const {
    const Url& url = state_->url;
    std::unique_ptr<Connection> conn;
    if (url.dialect == "sqlite") conn = open_sqlite(url, state_->options);
    else if (url.dialect == "postgresql") conn = open_postgresql(url, state_->options);
    else if (url.dialect == "mysql") conn = open_mysql(url, state_->options);
    else throw Error(ErrorKind::input, "unknown database dialect '" + url.dialect + "'");
    conn->set_echo(state_->options.echo);
    if (!state_->options.insert_returning) conn->disable_returning();
    return conn;
}

Engine create_engine(std::string_view url, EngineOptions options) { return Engine(Url::parse(url), options); }

}  // namespace strata
