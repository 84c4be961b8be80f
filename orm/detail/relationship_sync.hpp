// RelationshipSync: keeps relationship members and the session consistent in memory
// (private to the session).
//
//   - binding: a tracked object's members learn their session (lazy loads, expiry);
//   - save-update cascade: objects reached from a tracked object through a relationship
//     become pending, breadth-first, so they are inserted in the order they were reached
//     (appended, assigned, added);
//   - back_populates: assigning or appending on one side updates the loaded other side at
//     once, for objects already tracked and for objects joining the session;
//   - after a flush: deleted objects leave every loaded member, members whose foreign key
//     the program edited directly follow the key, and what the database now holds becomes
//     the baseline for the next flush;
//   - cycle weakening before objects leave the session (see orm/relationship.hpp).
// Writes no SQL; loads go through SessionCore (lazy loads) only.
#pragma once

#include <memory>
#include <unordered_set>
#include <vector>

#include "orm/detail/session_state.hpp"

namespace strata::detail {

// True when a collection holds exactly what it held at load or last flush.
bool collection_unchanged(const CollectionBase& cb);

class RelationshipSync {
public:
    explicit RelationshipSync(SessionState& s) noexcept : s_(s) {}

    // Tracks `object` (not tracked yet) as pending, binds it and cascades from it.
    ObjectState& track(std::shared_ptr<void> object, const ModelMapper& m);
    // Binds the relationship members of a newly tracked object. A loaded object's members
    // start unloaded; a pending object's keep what the program set, mirrored into the other
    // sides' loaded members.
    void bind(ObjectState& st);
    // Save-update cascade from every tracked object (a flush's first step: catches graphs
    // built before their first object was tracked).
    void cascade_all();

    // The program changed a bound member.
    void assigned(RelatedBase& member, const std::shared_ptr<void>& old_target);
    void appended(CollectionBase& member, const std::shared_ptr<void>& item);
    void removed(CollectionBase& member, const std::shared_ptr<void>& item);

    // After a flush that deleted the objects in `deleted` (addresses).
    void after_flush(const std::vector<const ModelMapper*>& order, const std::unordered_set<const void*>& deleted);

    // Rows deleted outside a flush (bulk DELETE): the objects at these addresses leave
    // every loaded member of the session's persistent objects.
    void detach_everywhere(const std::unordered_set<const void*>& deleted);

    // Before an object leaves the session: the references between it and its related
    // objects that would form a strong cycle become weak.
    void weaken(ObjectState& st) noexcept;
    // Every relationship member of `object` becomes unloaded (rollback, expire()).
    static void unload(const ModelMapper& m, void* object) noexcept;

private:
    ObjectState& track_one(std::shared_ptr<void> object, const ModelMapper& m);
    void cascade(std::vector<ObjectState*> queue);
    void mirror_pending(ObjectState& st);
    // True when the save-update cascade may bring `target` into the session.
    bool joins(const std::shared_ptr<void>& target);
    void set_back_reference(const RelationshipMapping& r, void* item, const std::shared_ptr<void>& owner);
    void detach_deleted(const ModelMapper& m, ObjectState& st, const std::unordered_set<const void*>& deleted);
    void follow_foreign_keys(const ModelMapper& m, ObjectState& st);
    void move_child(const RelationshipMapping& r, CollectionBase& from, const std::shared_ptr<void>& item);

    SessionState& s_;
    std::vector<ObjectState*> queue_;
};

}  // namespace strata::detail
