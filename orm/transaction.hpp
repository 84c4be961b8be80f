// Transaction: an RAII guard over a session transaction or savepoint.
//
//   {
//       auto tx = session.begin();          // BEGIN now
//       session.add(User{.name = "Ann"});
//       tx.commit();                        // flush + COMMIT
//   }                                       // not committed: rolled back here
//
//   auto sp = session.begin_nested();       // flush + SAVEPOINT
//   ... sp.rollback();                      // ROLLBACK TO SAVEPOINT: only the nested work is undone
//
// The destructor rolls back a guard that is still active and never throws (a failure
// to roll back is swallowed: the connection's own transaction is then in an unknown
// state, and the next statement reports it). A guard stops being active when it is
// committed or rolled back, or when an enclosing transaction ends.
#pragma once

#include <cstdint>
#include <memory>

namespace strata {

namespace detail {
class SessionCore;
}

class Transaction {
public:
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&& other) noexcept;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    // Flushes, then commits (a savepoint: releases it, its work joining the enclosing
    // transaction). Throws Error(usage) when the guard is no longer active, and the
    // flush / database errors otherwise (after which the guard is no longer active).
    void commit();
    // Undoes the work since begin: database and session objects alike (see
    // Session::rollback). Throws Error(usage) when no longer active.
    void rollback();
    bool active() const noexcept;
    bool nested() const noexcept { return nested_; }

private:
    friend class Session;
    Transaction(std::shared_ptr<detail::SessionCore> core, std::uint64_t id, bool nested)
        : core_(std::move(core)), id_(id), nested_(nested) {}

    std::shared_ptr<detail::SessionCore> core_;
    std::uint64_t id_ = 0;
    bool nested_ = false;
};

}  // namespace strata
