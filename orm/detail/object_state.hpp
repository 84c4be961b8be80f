// What the session keeps per tracked object and per model (private to the session).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/value.hpp"
#include "orm/detail/identity_key.hpp"
#include "orm/detail/model_mapper.hpp"
#include "orm/detail/object_index.hpp"
#include "orm/detail/snapshot.hpp"

namespace strata::detail {

// pending: added, not inserted yet; persistent: has a row; deleted: removed, its DELETE
// not flushed yet.
enum class Status : std::uint8_t { pending, persistent, deleted };

// 56 bytes per tracked object.
struct ObjectState;
struct ObjectState {
    std::shared_ptr<void> object;
    const ModelMapper* model = nullptr;
    // Column values as the database has them (a block of the model's
    // ModelState::snapshots), or null while pending.
    Snapshot snapshot;
    std::uint32_t slot = 0;  // position in ModelState::members
    std::uint32_t inserted_in_flush = 0;
    // The frame (transaction or savepoint) that inserted the object, 0 when it was loaded;
    // rolling back that frame forgets the object again.
    std::uint32_t inserted_frame = 0;
    // Unique per state while its object is tracked (states are pooled and reused): lets the
    // journal tell a state it recorded from a later reuse of the same slot.
    std::uint32_t serial = 0;
    // SessionLink::epoch when its columns were last read from (or written to) the
    // database; 0 after expire(). Older than the session's epoch: expired, reloaded the
    // next time the session hands the object out.
    std::uint32_t epoch = 0;
    bool generated_key = false;  // its key came from the database (reset on rollback)
    Status status = Status::pending;
    bool indexed = false;  // in the address index (else listed as unindexed)
};

// The primary keys of one model: integer keys in a flat table, others by encoding.
class KeyIndex {
public:
    ObjectState* find(const IdentityKey& k) const noexcept {
        if (k.is_integer) return ints_.find(k.integer);
        auto it = others_.find(k.bytes);
        return it == others_.end() ? nullptr : it->second;
    }
    void insert(const IdentityKey& k, ObjectState* s) {
        if (k.is_integer) ints_.insert(k.integer, s);
        else others_[k.bytes] = s;
    }
    // Removes the entry for k when it is `s`.
    void erase(const IdentityKey& k, const ObjectState* s) noexcept {
        if (k.is_integer) {
            ints_.erase(k.integer, s);
            return;
        }
        auto it = others_.find(k.bytes);
        if (it != others_.end() && it->second == s) others_.erase(it);
    }
    void reserve(std::size_t n) { ints_.reserve(n); }
    void clear() noexcept {
        ints_.clear();
        others_.clear();
    }

private:
    FlatIndex<std::int64_t> ints_;
    std::unordered_map<std::string, ObjectState*> others_;
};

// SQL text per statement shape, rendered once per session and model.
struct StatementCache {
    std::unordered_map<std::string, std::string> insert;
    std::unordered_map<std::string, std::string> update;
    std::unordered_map<std::size_t, std::string> remove;
    std::unordered_map<std::string, std::string> select;
};

struct ModelState {
    KeyIndex identity;
    SnapshotPool snapshots;  // configured for the model's columns on first use
    std::vector<ObjectState*> members;  // persistent + deleted, in load/insert order; nullptr: gone
    std::size_t dead = 0;
    std::vector<ObjectState*> pending;  // in add() order
    std::vector<ObjectState*> deleted;  // in remove() order
    StatementCache sql;
    // Columns with a server default that a member may leave to the database (computed
    // once per session: defaults of the generated key excluded).
    std::vector<std::size_t> defaultable;
    bool defaultable_known = false;
};

}  // namespace strata::detail
