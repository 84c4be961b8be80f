// UnitOfWork: one flush (private to the session). Decides what to write and in which
// order, and has Persistence write it:
//   1. save-update cascade (objects reachable from tracked ones join the session);
//   2. children removed from one-to-many collections: deleted (delete_orphan) or their
//      foreign key cleared, unless they moved to another parent (by relationship or by
//      an edited foreign key);
//   3. deletes expanded: cascade_delete deletes loaded and unloaded children, otherwise
//      their nullable foreign keys are cleared;
//   4. per model, parents before children: INSERTs (waves within a self-referencing
//      table), foreign keys from assigned relationships (a relationship the program set
//      wins over a foreign key member set directly), UPDATEs;
//   5. association rows of many-to-many collections;
//   6. DELETEs, children before parents;
//   7. relationship bookkeeping (RelationshipSync::after_flush).
// Throws what the database or a usage check throws; the caller rolls back.
#pragma once

#include <string>
#include <vector>

#include "orm/detail/persistence.hpp"
#include "orm/detail/relationship_sync.hpp"

namespace strata::detail {

class UnitOfWork {
public:
    explicit UnitOfWork(SessionState& s);

    void run();
    // What the flush was doing when a statement failed, for the error message.
    const std::string& doing() const noexcept { return persistence_.doing(); }

private:
    std::vector<const ModelMapper*> models_in_order() const;
    void process_collection_removals();
    void handle_removed(const RelationshipMapping& r, ObjectState& owner, const std::shared_ptr<void>& item);
    bool moved_elsewhere(const RelationshipMapping& r, ObjectState& owner, const void* item) const;
    void expand_deletes();
    void expand_delete(ObjectState& d, std::vector<ObjectState*>& work);
    void mark_deleted(ObjectState& st);
    void clear_foreign_key(const RelationshipMapping& r, const std::shared_ptr<void>& item, const void* owner,
                           const std::string& why);
    void insert_pending(const ModelMapper& m, ModelState& ms);
    std::vector<ObjectState*> insert_wave(const ModelMapper& m, std::vector<ObjectState*>& todo);
    void sync_many_to_one(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>* only);
    void sync_one(const RelationshipMapping& r, ObjectState& st);
    void sync_one_to_many_into(const ModelMapper& child);
    void association_changes();
    void set_columns(const ModelMapper& m, void* object, const std::vector<std::size_t>& columns,
                     const std::vector<Value>& values, const std::string& why);

    SessionState& s_;
    Persistence persistence_;
    RelationshipSync sync_;
};

}  // namespace strata::detail
