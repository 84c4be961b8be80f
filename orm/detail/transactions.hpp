// Transactions: the session's transaction and savepoint frames, and rollback returning
// objects to the database's state through the journal (private to the session).
//
// A rollback (to a frame) undoes the journal back to that frame's mark (snapshots of
// updated rows, deleted objects tracked again), forgets objects inserted inside it
// (generated keys reset), drops pending objects, restores every loaded object's columns
// from its snapshot, unloads its relationship members, and expires every object.
#pragma once

#include <cstdint>

#include "orm/detail/session_state.hpp"

namespace strata::detail {

class Transactions {
public:
    explicit Transactions(SessionState& s) noexcept : s_(s) {}

    // Opens a savepoint inside the session transaction (begun first if needed).
    std::uint64_t begin_nested();
    // COMMIT of the session transaction (or RELEASE of the savepoint standing for it when
    // the connection was already in a transaction). A failed COMMIT rolls back and throws.
    void commit_all();
    // RELEASE of savepoint frame `index` and the frames above it.
    void release(std::size_t index);
    // Rolls back frame `depth` and everything above it. Errors of the ROLLBACK itself are
    // rethrown only with `rethrow`; the objects are reset either way.
    void rollback_to(std::size_t depth, bool rethrow);
    // Position of frame `id`; Error(usage) when it is no longer active.
    std::size_t index_of(std::uint64_t id) const;
    // Objects back to the database's state as far as the session knows it (no SQL).
    void reset_objects() noexcept;

private:
    void undo_journal(std::size_t mark) noexcept;
    void forget_inserted_since(std::uint64_t frame) noexcept;

    SessionState& s_;
};

}  // namespace strata::detail
