// run_transaction's attempts: a session per attempt, commit, and another attempt after a
// random wait when the attempt lost a transaction conflict.
#include "orm/transaction_retry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>

#include "orm/detail/transaction_conflict.hpp"

namespace strata::detail {

namespace {

void check_options(const RetryOptions& options) {
    if (options.attempts < 1)
        throw Error(ErrorKind::usage, fmt::format("run_transaction(): RetryOptions::attempts is {}; give at least 1 "
                                                  "(the first attempt counts)",
                                                  options.attempts));
    if (options.backoff.count() < 0)
        throw Error(ErrorKind::usage, fmt::format("run_transaction(): RetryOptions::backoff is {} ms; give 0 (no wait) "
                                                  "or a positive duration",
                                                  options.backoff.count()));
}

// Random, so that the transactions that collided do not start again at the same moment.
void wait_before(int attempt, std::chrono::milliseconds backoff) {
    if (backoff.count() == 0) return;
    const long long ceiling = backoff.count() << std::min(attempt - 2, 6);
    thread_local std::minstd_rand random{std::random_device{}()};
    std::uniform_int_distribution<long long> pick(ceiling / 2, ceiling);
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

Error gave_up(const Error& last, int attempts) {
    // The session's message ends with the advice to run the unit of work again, which is
    // what was just done: it is left out here.
    std::string said = last.what();
    if (said.ends_with(kConflictAdvice)) said.resize(said.size() - kConflictAdvice.size());
    while (!said.empty() && (said.back() == ' ' || said.back() == ';')) said.pop_back();
    return Error(last.kind(),
                 fmt::format("run_transaction(): gave up after {} attempt{}, each lost a transaction conflict with a "
                             "concurrent transaction, so nothing was committed; the last one: {}; the rows are "
                             "contended: run it again later, allow more attempts (RetryOptions::attempts), or keep "
                             "the unit of work shorter and take its rows in one order",
                             attempts, attempts == 1 ? "" : "s", said),
                 last.details());
}

}  // namespace

void run_attempts(const Engine& engine, Registry& registry, const RetryOptions& options,
                  const std::function<void(Session&)>& attempt) {
    check_options(options);
    // Joined to an enclosing transaction, the conflict aborted that one: not ours to retry.
    const bool joined = engine.joinable_connection() != nullptr;
    for (int n = 1;; ++n) {
        try {
            Session session(engine, registry, options.session);
            attempt(session);
            session.commit();
            return;
        } catch (const Error& e) {
            // The attempt's session is gone: its transaction was rolled back.
            if (!is_transaction_conflict(e) || joined) throw;
            if (n >= options.attempts) throw gave_up(e, n);
            if (options.on_conflict) options.on_conflict(e, n);
            wait_before(n + 1, options.backoff);
        }
    }
}

}  // namespace strata::detail
