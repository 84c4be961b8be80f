#include "migrations/plan_executor.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"

namespace strata {

namespace {

// Best effort: used on the failure path, where the first error is the one to report.
void quietly(const std::function<void()>& f) noexcept {
    try {
        f();
    } catch (...) {
    }
}

Error with_context(const Error& e, const std::string& context, const std::string& sql) {
    ErrorDetails details = e.details();
    if (details.sql.empty()) details.sql = sql;
    return Error(e.kind(), fmt::format("{}: {}", context, e.what()), details);
}

class Executor {
public:
    Executor(const Plan& plan, Connection& conn, const ExecuteOptions& options)
        : plan_(plan), conn_(conn), options_(options), tx_(plan.transactional_ddl), total_(plan.statement_count()) {}

    ExecuteResult run() {
        for (const PlanStep& step : plan_.steps)
            if (std::holds_alternative<op::Call>(step.operation) && !options_.call)
                throw Error(ErrorKind::usage,
                            fmt::format("the migration has a step '{}' but no data-fix functions were registered to "
                                        "run it; run it from the program that registers them",
                                        step.description));
        if (options_.joined) return run_joined();
        if (conn_.in_transaction())
            throw Error(ErrorKind::usage, "execute_plan needs a connection with no open transaction: it opens and "
                                          "commits its own");
        for (const SqlStatement& s : plan_.before_transaction) run_sql(s.sql);
        try {
            if (tx_) conn_.begin();
            if (tx_ && options_.after_begin && !options_.after_begin(conn_)) {
                conn_.rollback();
                for (const SqlStatement& s : plan_.after_transaction) run_sql(s.sql);
                result_.skipped = true;
                return result_;
            }
            run_steps();
            for (const SqlStatement& s : plan_.before_commit) run_sql(s.sql);
            if (options_.before_commit) options_.before_commit(conn_);
            if (tx_ && conn_.in_transaction()) conn_.commit();
        } catch (const Error& e) {
            if (conn_.in_transaction()) quietly([&] { conn_.rollback(); });
            for (const SqlStatement& s : plan_.after_transaction) quietly([&] { run_sql(s.sql); });
            throw failure(e);
        } catch (...) {
            if (conn_.in_transaction()) quietly([&] { conn_.rollback(); });
            for (const SqlStatement& s : plan_.after_transaction) quietly([&] { run_sql(s.sql); });
            throw;
        }
        for (const SqlStatement& s : plan_.after_transaction) run_sql(s.sql);
        return result_;
    }

private:
    // The caller's transaction holds everything; it decides about commit and rollback.
    ExecuteResult run_joined() {
        if (!tx_)
            throw Error(ErrorKind::usage, fmt::format("cannot join a transaction on {}: it has no transactional DDL",
                                                      plan_.dialect));
        if (!conn_.in_transaction())
            throw Error(ErrorKind::usage, "execute_plan with `joined` needs the caller's transaction open");
        std::vector<const SqlStatement*> outside = outside_transaction_statements(plan_);
        if (!outside.empty())
            throw Error(ErrorKind::usage,
                        fmt::format("the migration has a statement that must run outside a transaction ({}); it "
                                    "cannot join the caller's transaction",
                                    outside.front()->sql));
        try {
            run_steps();
            for (const SqlStatement& s : plan_.before_commit) run_sql(s.sql);
            if (options_.before_commit) options_.before_commit(conn_);
        } catch (const Error& e) {
            std::string where = current_step_ < plan_.steps.size()
                                    ? fmt::format("step {} ({})", current_step_ + 1,
                                                  plan_.steps[current_step_].description)
                                    : std::string("the migration");
            throw with_context(e, fmt::format("{} failed", where), current_sql_);
        }
        return result_;
    }

    void run_sql(const std::string& sql) {
        current_sql_ = sql;
        conn_.execute_unprepared(sql);
    }

    // The statement, after clearing what a failed earlier attempt at it left behind.
    void run_statement(const SqlStatement& s) {
        if (!s.retry_probe.empty()) {
            current_sql_ = s.retry_probe;
            if (!conn_.query(s.retry_probe).rows.empty()) run_sql(s.retry_cleanup);
        }
        run_sql(s.sql);
    }

    void run_steps() {
        std::size_t done = 0;
        for (std::size_t i = 0; i < plan_.steps.size(); ++i) {
            const PlanStep& step = plan_.steps[i];
            if (const auto* call = std::get_if<op::Call>(&step.operation)) {
                if (done >= options_.skip_statements) {
                    current_sql_.clear();
                    current_step_ = i;
                    options_.call(*call, conn_);
                }
                continue;
            }
            for (std::size_t j = 0; j < step.statements.size(); ++j) {
                const SqlStatement& s = step.statements[j];
                ++done;
                if (done <= options_.skip_statements) continue;
                current_step_ = i;
                const StatementProgress progress{i, j, done, total_, &s};
                if (tx_ && !s.transactional) {
                    if (conn_.in_transaction()) conn_.commit();
                    committed_ += applied_in_tx_;
                    applied_in_tx_ = 0;
                    run_statement(s);
                    ++committed_;
                    ++result_.statements;
                    // Before the next transaction opens: the statement is committed, and so
                    // is what the callback records about it (a rollback later must not
                    // undo the record of a statement it cannot undo).
                    if (options_.on_statement) options_.on_statement(progress);
                    conn_.begin();
                    continue;
                }
                run_statement(s);
                if (tx_)
                    ++applied_in_tx_;
                else
                    ++committed_;
                ++result_.statements;
                if (options_.on_statement) options_.on_statement(progress);
            }
        }
    }

    Error failure(const Error& e) const {
        std::string where = current_step_ < plan_.steps.size()
                                ? fmt::format("step {} ({})", current_step_ + 1, plan_.steps[current_step_].description)
                                : std::string("the migration");
        std::string context;
        if (tx_ && committed_ == 0)
            context = fmt::format("{} failed; the migration was rolled back and nothing was applied", where);
        else
            context = fmt::format("{} failed; the migration is partially applied: {} of {} statements were applied "
                                  "before the failing one",
                                  where, committed_ + options_.skip_statements, total_);
        const SqlStatement* failing = failing_statement();
        if (failing && !failing->retry_cleanup.empty() && current_sql_ == failing->sql)
            context += fmt::format(" (what the failed statement left behind is cleared before it runs again: {})",
                                   failing->retry_cleanup);
        return with_context(e, context, current_sql_);
    }

    const SqlStatement* failing_statement() const {
        if (current_step_ >= plan_.steps.size()) return nullptr;
        for (const SqlStatement& s : plan_.steps[current_step_].statements)
            if (s.sql == current_sql_) return &s;
        return nullptr;
    }

    const Plan& plan_;
    Connection& conn_;
    const ExecuteOptions& options_;
    const bool tx_;
    const std::size_t total_;
    ExecuteResult result_;
    std::size_t current_step_ = static_cast<std::size_t>(-1);
    std::string current_sql_;
    std::size_t committed_ = 0;      // statements whose effect is committed
    std::size_t applied_in_tx_ = 0;  // statements run in the open transaction
};

}  // namespace

ExecuteResult execute_plan(const Plan& plan, Connection& conn, const ExecuteOptions& options) {
    return Executor(plan, conn, options).run();
}

std::vector<const SqlStatement*> outside_transaction_statements(const Plan& plan) {
    std::vector<const SqlStatement*> out;
    for (const SqlStatement& s : plan.before_transaction) out.push_back(&s);
    for (const PlanStep& step : plan.steps)
        for (const SqlStatement& s : step.statements)
            if (!s.transactional) out.push_back(&s);
    for (const SqlStatement& s : plan.after_transaction) out.push_back(&s);
    return out;
}

}  // namespace strata
