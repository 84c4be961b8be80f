// IdentityMap: the objects one session tracks (private to the session).
//
// One ObjectState per tracked object, found by the object's address and, once it has a
// row, by its primary key within its model. Knows nothing of relationships, SQL or
// transactions. Not thread-safe; owned by one session.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "orm/detail/object_index.hpp"
#include "orm/detail/object_state.hpp"

namespace strata::detail {

class IdentityMap {
public:
    IdentityMap() = default;
    IdentityMap(const IdentityMap&) = delete;
    IdentityMap& operator=(const IdentityMap&) = delete;

    // The per-model state (created on first use; references stay valid).
    ModelState& model(const ModelMapper& m);
    std::deque<ModelState>& models() noexcept { return models_; }

    // The state of a tracked object, or nullptr.
    ObjectState* find(const void* object);
    // A new state for an object not tracked yet (not listed anywhere else yet).
    ObjectState& create(std::shared_ptr<void> object, const ModelMapper& m, Status status);
    // create() as pending, listed in its model's pending list.
    ObjectState& create_pending(std::shared_ptr<void> object, const ModelMapper& m);
    // A snapshot block for an object of `m`, its values moved from `values`.
    Snapshot new_snapshot(const ModelMapper& m, Value* values);

    // Adds a persistent object to its model's key index (under `key`, else its
    // snapshot's primary key) and member list.
    void attach(ObjectState& s, const IdentityKey& key, ModelState& ms);
    void attach(ObjectState& s);
    // Forgets an object entirely (key index, lists, state). With `keep`, its snapshot is
    // moved there first. The state must not be used afterwards.
    void forget(ObjectState& s, std::vector<Value>* keep = nullptr) noexcept;
    // Drops a pending state found in a pending list (rollback); stale entries ignored.
    void drop_pending(ObjectState* s) noexcept;
    // Room for n more objects of `m` (bulk adds).
    void reserve(const ModelMapper& m, std::size_t n);
    // Forgets every object.
    void clear() noexcept;

private:
    void catch_up_index();
    void release_state(ObjectState* st);
    static void compact(ModelState& ms);

    // Object address -> state, built lazily: bulk inserts and loads only list their states
    // in `unindexed_`, and the index catches up the first time an address is looked up.
    FlatIndex<const void*> index_;
    std::vector<ObjectState*> unindexed_;
    SlotPool<ObjectState> pool_{1, 1024};
    std::deque<ModelState> models_;  // by ModelMapper::index; deque: growth keeps references
    std::uint32_t next_serial_ = 1;
};

}  // namespace strata::detail
