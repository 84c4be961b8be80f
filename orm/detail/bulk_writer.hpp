// BulkWriter: UPDATE and DELETE of the rows a query matches, without loading them
// (Query<T>::update / delete_all; private to the session).
//
// The "fetch" strategy of SQLAlchemy's synchronize_session: one SELECT of the matching
// primary keys (the query's filters, joins and distinct apply, so criteria on joined
// models work on every database), then UPDATE / DELETE ... WHERE key IN (...) in
// statements sized by the bind-parameter limit, inside the session's transaction. The
// session then follows: a loaded object among those rows takes the new values (its
// snapshot too, so no UPDATE follows), or leaves the session as a flushed DELETE would
// (out of every loaded collection, never inserted again). Both are journalled, so a
// rollback undoes them in memory as the database does.
//
// Relationship cascades are not applied (as in SQLAlchemy): children of deleted rows are
// left to the database's ON DELETE rules, and association rows are not touched.
#pragma once

#include <cstdint>
#include <vector>

#include "orm/assignment.hpp"
#include "orm/detail/query_spec.hpp"
#include "orm/detail/session_state.hpp"

namespace strata::detail {

class BulkWriter {
public:
    explicit BulkWriter(SessionState& s) noexcept : s_(s) {}

    // Affected rows. Error(usage) for no assignment, a member that is not a column of the
    // queried model, a primary key column, or a query with group_by()/having().
    std::int64_t update(const QuerySpec& spec, const std::vector<Assignment>& set);
    std::int64_t remove(const QuerySpec& spec);

private:
    // Primary keys of the rows the query matches, in canonical form (identity map keys).
    std::vector<std::vector<Value>> matching_keys(const QuerySpec& spec, const char* what);
    // Runs `make(where)` once per chunk of `keys`; the summed affected row counts.
    template <class MakeStatement>
    std::int64_t per_chunk(const ModelMapper& m, const std::vector<std::vector<Value>>& keys, MakeStatement make);
    ObjectState* loaded(const ModelMapper& m, const std::vector<Value>& key);

    SessionState& s_;
};

}  // namespace strata::detail
