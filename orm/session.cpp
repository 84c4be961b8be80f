// Session and Transaction: the typed faces of SessionCore (orm/detail/session_core.cpp).
#include "orm/session.hpp"

#include "core/error.hpp"

namespace strata {

// ---- Session / Transaction -------------------------------------------------------------------

Session::Session(Engine engine, SessionOptions options) : Session(std::move(engine), models(), options) {}

Session::Session(Engine engine, Registry& registry, SessionOptions options)
    : core_(std::make_shared<detail::SessionCore>(std::move(engine), registry, options)) {}

Session::~Session() {
    if (core_) core_->close();
}

Session::Session(Session&&) noexcept = default;

Session& Session::operator=(Session&& other) noexcept {
    if (this != &other) {
        if (core_) core_->close();
        core_ = std::move(other.core_);
    }
    return *this;
}

void Session::expunge_all() noexcept { core_->expunge_all(); }
void Session::expire_all() noexcept { core_->expire_all(); }
void Session::close() noexcept { core_->reset(); }
void Session::flush() { core_->flush(); }
void Session::commit() { core_->commit(); }
void Session::rollback() { core_->rollback(); }
bool Session::in_transaction() const noexcept { return core_->in_transaction(); }

Transaction Session::begin() { return Transaction(core_, core_->begin_frame(false), false); }
Transaction Session::begin_nested() { return Transaction(core_, core_->begin_frame(true), true); }

std::int64_t Session::execute(std::string_view sql, const SqlParams& params) { return core_->execute(sql, params); }
ResultSet Session::sql_rows(std::string_view sql, const SqlParams& params) { return core_->query_sql(sql, params); }

Connection& Session::connection() { return core_->connection(); }
Engine& Session::engine() noexcept { return core_->engine(); }
Registry& Session::registry() noexcept { return core_->registry(); }

Transaction::Transaction(Transaction&& other) noexcept
    : core_(std::move(other.core_)), id_(other.id_), nested_(other.nested_) {
    other.id_ = 0;
}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
    if (this != &other) {
        if (active()) {
            try {
                core_->rollback_frame(id_);
            } catch (...) {
                // As in the destructor: never throw from a guard being replaced.
            }
        }
        core_ = std::move(other.core_);
        id_ = other.id_;
        nested_ = other.nested_;
        other.id_ = 0;
    }
    return *this;
}

Transaction::~Transaction() {
    if (!active()) return;
    try {
        core_->rollback_frame(id_);
    } catch (...) {
        // Destructors never throw; the connection reports its state on the next statement.
    }
}

bool Transaction::active() const noexcept { return core_ && id_ != 0 && core_->frame_active(id_); }

void Transaction::commit() {
    if (!active())
        throw Error(ErrorKind::usage, "Transaction::commit(): the transaction is no longer active (already committed "
                                      "or rolled back, possibly by a failed flush or an enclosing transaction)");
    core_->commit_frame(id_);
}

void Transaction::rollback() {
    if (!active())
        throw Error(ErrorKind::usage, "Transaction::rollback(): the transaction is no longer active");
    core_->rollback_frame(id_);
}

}  // namespace strata
