// Loader: rows to objects (private to the session). Hydration through the identity map
// (an expired object is refreshed from the row, keeping the program's unflushed
// changes), loading by key, refresh(), and the relationship loaders (lazy and eager:
// one query per relationship for a whole set of owners).
#pragma once

#include <functional>
#include <vector>

#include "dialects/statement.hpp"
#include "orm/detail/session_state.hpp"

namespace strata::detail {

// `table`.`columns` matching keys[from, to): `col IN (...)` for one column, an OR of ANDs
// otherwise.
sql::Expr key_condition(const std::string& table, const std::vector<std::string>& columns,
                        const std::vector<std::vector<Value>>& keys, std::size_t from, std::size_t to);
std::vector<std::string> column_names(const ModelMapper& m, const std::vector<std::size_t>& columns);
// Rows per statement when each row binds `per_row` parameters.
std::size_t rows_per_statement(const Capabilities& caps, std::size_t per_row);

class Loader {
public:
    explicit Loader(SessionState& s) noexcept : s_(s) {}

    // SELECT of all columns of `m`, qualified by its table.
    sql::SelectStatement select_of(const ModelMapper& m) const;
    // Runs a SELECT, calling on_row with the row's values.
    void run_select(const sql::SelectStatement& statement, const std::function<void(std::vector<Value>&)>& on_row);
    // Columns first .. first + m.columns.size() of `row` as the session's object: the one
    // in the identity map for its key (refreshed when expired), else a new persistent one.
    ObjectState* hydrate(const ModelMapper& m, ModelState& ms, const RowView& row, std::size_t first);
    // The objects a SELECT of select_of(m) (plus conditions) returns, hydrated, in order.
    std::vector<ObjectState*> load_objects(const ModelMapper& m, sql::SelectStatement statement);
    // The object with this primary key read from the database, or nullptr.
    ObjectState* load_by_key(const ModelMapper& m, std::vector<Value> key);
    // Reads the object's row again, discarding its unflushed changes; unloads its
    // relationship members. Error(not_found) when the row is gone.
    void refresh(ObjectState& st);
    // Loads relationship `r` for the `owners` (objects of r.owner) whose member is not
    // current: one query for all of them (more only past the bind-parameter limit).
    void load_relationship(const RelationshipMapping& r, const std::vector<void*>& owners);

private:
    // Sets the object's columns from the row. With keep_changes, a member the program
    // changed since the last load keeps its value (its snapshot still takes the row's).
    void refresh_from_row(ObjectState& st, const RowView& row, std::size_t first, bool keep_changes);
    ObjectState* handed_out(ObjectState& st, const RowView& row, std::size_t first);
    sql::SelectStatement select_by_key(const ModelMapper& m, std::vector<Value> key) const;
    void load_many_to_one(const RelationshipMapping& r, const std::vector<void*>& owners);
    void load_to_many(const RelationshipMapping& r, const std::vector<void*>& owners);
    void load_secondary(const RelationshipMapping& r, sql::SelectStatement st,
                        std::unordered_map<IdentityKey, std::vector<std::shared_ptr<void>>, IdentityKeyHash>& groups);

    SessionState& s_;
};

}  // namespace strata::detail
