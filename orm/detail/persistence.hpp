// Persistence: the statements of a flush (private to the session). INSERTs (multi-row,
// generated keys and server defaults read back), UPDATEs of changed columns, DELETEs
// (children first within a self-referencing table), association rows. Each statement
// shape is rendered once per session and model. Updates snapshots, the journal and the
// session's record of deleted objects as rows are written; decides nothing about what
// to write (that is UnitOfWork's job).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "orm/detail/session_state.hpp"

namespace strata::detail {

// One row of a many-to-many association table to insert or delete.
struct AssociationRow {
    const RelationshipMapping* relationship = nullptr;
    std::vector<std::string> columns;
    std::vector<Value> values;
};

class Persistence {
public:
    explicit Persistence(SessionState& s);

    // What the last statement was doing ("inserting into users (User)"), for messages.
    const std::string& doing() const noexcept { return doing_; }

    // INSERTs of pending objects of `m`, in order (explicit keys before generated ones, so
    // the database's counters move past them). A column whose member defers to the server
    // (Defaulted<T> unset, std::optional empty) and that has a server default is left out;
    // its stored value, like a generated key, is read back: RETURNING where the connection
    // has it, else one SELECT by key per batch. The objects become persistent.
    void insert(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects);
    // UPDATE of the changed columns of each persistent object of `m`.
    void update_dirty(const ModelMapper& m, ModelState& ms);
    // DELETE of the objects `m` has marked deleted; their addresses are added to `deleted`.
    void delete_objects(const ModelMapper& m, ModelState& ms, std::unordered_set<const void*>& deleted);
    void write_associations(const std::vector<AssociationRow>& deletes, const std::vector<AssociationRow>& inserts);

    // Bookkeeping of rows written by other statements (bulk UPDATE / DELETE):
    // `columns` of a persistent object now hold `values` (canonical) in the database; the
    // snapshot takes them and the journal keeps the old ones for a rollback.
    void record_update(ObjectState& st, const std::vector<std::size_t>& columns, std::vector<Value>& values);
    // The object's row is deleted: it leaves the session (journalled, so a rollback tracks
    // it again) and is never inserted again unless added explicitly.
    void record_deleted(const ModelMapper& m, ObjectState& st);

private:
    struct Shape;
    const std::vector<std::size_t>& defaultable(const ModelMapper& m, ModelState& ms);
    void insert_run(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects, const Shape& shape);
    void insert_chunk(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects,
                      std::size_t start, std::size_t rows, const Shape& shape);
    void read_returning(const ModelMapper& m, const std::string& sql, ParamView params,
                        const std::vector<ObjectState*>& objects, std::size_t start, std::size_t rows, const Shape& shape);
    // `snap` (from ms.snapshots, holding the written columns) becomes the object's
    // snapshot; `returned` (shape.returned.size() values, or nullptr) are loaded into it.
    void become_persistent(const ModelMapper& m, ModelState& ms, ObjectState& st, Snapshot snap, const Shape& shape,
                           Value* returned);
    void select_back(const ModelMapper& m, const std::vector<ObjectState*>& objects, const Shape& shape);
    void load_returned(const ModelMapper& m, ObjectState& st, std::size_t column, Value& v);
    const std::string& insert_sql(const ModelMapper& m, ModelState& ms, const Shape& shape, std::size_t rows);
    const std::string& update_sql(const ModelMapper& m, ModelState& ms, const std::vector<std::size_t>& changed);
    void update_one(const ModelMapper& m, ObjectState& st, const std::vector<std::size_t>& changed, const std::string& sql);
    std::vector<std::vector<ObjectState*>> delete_waves(const ModelMapper& m, std::vector<ObjectState*> victims);
    void delete_rows(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& victims);
    Connection& conn() { return s_.connection(); }
    const Capabilities& caps() { return conn().capabilities(); }

    SessionState& s_;
    const Dialect& dialect_;
    std::vector<Value> params_;        // the statement's parameters
    std::vector<Value> insert_params_; // an INSERT's, row after row, kept between statements
    std::vector<Value> returned_;      // values an INSERT brought back, row after row
    std::vector<std::size_t> order_;   // returned_ row of each inserted object (empty: same order)
    std::string doing_;
};

}  // namespace strata::detail
