// run_transaction: a unit of work run in a session of its own and committed, and run again
// from the start when it loses a transaction conflict (docs/orm.md, "Transaction conflicts
// and retries").
//
//   strata::run_transaction(engine, [&](strata::Session& session) {
//       auto from = session.get<Account>(from_id);
//       auto to = session.get<Account>(to_id);
//       from->balance -= amount;
//       to->balance += amount;
//   });                                          // committed, after up to 3 attempts
//
// A conflict (strata::is_transaction_conflict, core/error.hpp) is the database aborting a
// transaction because it lost to a concurrent one: a deadlock, a serialization failure, or
// on a MariaDB Galera Cluster a certification conflict with a write committed through
// another node (reported at COMMIT). Nothing of it was committed, and the whole unit of
// work run again, on what the winner committed, may succeed. Only the whole unit can be
// run again: the statements before the failed one were rolled back too, and what the
// program decided may rest on values the winner has changed since.
//
// So `work` must be safe to run more than once: it reads what it needs through the session
// it is given (a new session each attempt, so every object is read afresh), and does
// nothing outside the database that a second run would repeat (no mail sent, no file
// written, no counter of the program bumped: do those after run_transaction returns, with
// what it returned). This is why the ORM never retries on its own (SQLAlchemy does not
// either): a Session holds the results of the program's decisions, not the decisions.
// For the same reason there is no SessionOptions flag to retry: replaying a session's
// flush in a new transaction would write values computed from rows the winner changed
// since (a lost update). Without run_transaction a conflict is reported, in one line,
// by the Session::flush() / commit() that met it (orm/session.hpp).
//
// Attempts: each attempt makes a Session (options.session), calls work(session), then
// commits. When anything in the attempt throws an Error that is a conflict, the session
// is destroyed (rolled back), and after a short random wait (RetryOptions::backoff)
// `work` runs again, up to RetryOptions::attempts in all; the last conflict is then
// rethrown, saying how many attempts were made, with the original's ErrorKind and
// ErrorDetails (sqlstate, server code). Every other exception propagates at once, after
// the rollback. Inside a transaction the session would join (the engine's own connection
// in a transaction on this thread, e.g. a migration's data fix: Engine::joinable_connection)
// there is one attempt only: the conflict aborted that enclosing transaction, whose owner
// has to run it again.
//
// Returns what `work` returns (by value; objects of the attempt's session are detached
// once it is gone: readable, no longer tracked). Threads: as Session: one call per thread,
// any number of threads on one Engine.
#pragma once

#include <chrono>
#include <concepts>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "dialects/engine.hpp"
#include "orm/registry.hpp"
#include "orm/session.hpp"

namespace strata {

struct RetryOptions {
    // Attempts in all, the first one included; at least 1 (Error(usage) otherwise).
    int attempts = 3;
    // Before attempt n (n >= 2) run_transaction sleeps a random time between half of
    // backoff * 2^(n-2) and all of it (the doubling stops at 64 * backoff), so that the
    // transactions that collided do not meet again in step. Zero: no wait; negative:
    // Error(usage).
    std::chrono::milliseconds backoff{10};
    // Options of each attempt's session.
    SessionOptions session;
    // Called with each conflict that leads to another attempt (e.g. to log or count it),
    // before the wait; not for the last one, which is thrown. Empty: nothing is called.
    std::function<void(const Error& conflict, int attempt)> on_conflict;
};

namespace detail {

// The attempts behind run_transaction (the contract above); `attempt` runs `work` in the
// session it is given.
void run_attempts(const Engine& engine, Registry& registry, const RetryOptions& options,
                  const std::function<void(Session&)>& attempt);

}  // namespace detail

template <class F>
    requires std::invocable<F&, Session&>
auto run_transaction(const Engine& engine, Registry& registry, F&& work, const RetryOptions& options = {}) {
    using Result = std::invoke_result_t<F&, Session&>;
    static_assert(!std::is_reference_v<Result>,
                  "strata: run_transaction(): `work` returns a reference, which would outlive its session; "
                  "return a value");
    if constexpr (std::is_void_v<Result>) {
        detail::run_attempts(engine, registry, options, [&work](Session& session) { work(session); });
    } else {
        std::optional<Result> result;
        detail::run_attempts(engine, registry, options,
                             [&work, &result](Session& session) { result.emplace(work(session)); });
        return std::move(*result);
    }
}

// The models of strata::models(), as Session(engine).
template <class F>
    requires std::invocable<F&, Session&>
auto run_transaction(const Engine& engine, F&& work, const RetryOptions& options = {}) {
    return run_transaction(engine, models(), std::forward<F>(work), options);
}

}  // namespace strata
