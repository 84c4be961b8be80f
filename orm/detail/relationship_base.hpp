// Type-erased state of relationship members (Related<T>, Collection<T>); the typed
// wrappers are in orm/relationship.hpp.
//
// The session reaches a member through one narrow interface: internal() (the state
// structs below) and, for collections, the erased item operations. Programs never call
// either; they are public only so that the session needs no friendship with the
// member types. Not thread-safe, like the session.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace strata::detail {

class SessionCore;
class CollectionBase;
struct RelationshipMapping;

// What the relationship members of a session's objects share with their session: the
// way back to it for lazy loads, and its expiry epoch. Owned jointly by the session and
// the members; `core` becomes nullptr when the session closes or forgets its objects,
// after which the members keep what they hold and never load again.
struct SessionLink {
    SessionCore* core = nullptr;
    // Bumped when every object of the session expires (commit, rollback, expire_all()):
    // a member loaded in an older epoch reloads on its next access.
    std::uint64_t epoch = 1;
};

// Set by the session when the owning object is attached (added or loaded). A copy of a
// relationship member is never bound: binding belongs to one object in one session.
struct RelationshipBinding {
    std::shared_ptr<SessionLink> session;
    const RelationshipMapping* relationship = nullptr;
    std::weak_ptr<void> owner;

    // True while the session can load through this binding.
    bool live() const noexcept { return session && session->core; }
    // True when the member was loaded in an epoch the session has expired since.
    bool expired(std::uint64_t loaded_epoch) const noexcept { return live() && loaded_epoch != session->epoch; }
};

// A many-to-one member as the session sees it.
struct RelatedState {
    std::shared_ptr<void> target;
    // Set instead of `target` when the session ended while the target's collection held
    // the owner: the collection keeps the pair alive, and a strong reference both ways
    // would be a cycle that never frees.
    std::weak_ptr<void> weak_target;
    bool loaded = false;
    // Assigned by the program since load or last flush: the foreign key follows it.
    bool modified = false;
    std::uint64_t epoch = 0;  // SessionLink::epoch when loaded or assigned
    RelationshipBinding binding;
    // While unbound: the session of the target this member was assigned, which refuses
    // to flush while the owner is out of its reach (see SessionCore::note_unreachable).
    std::shared_ptr<SessionLink> noted;

    // Loaded and not expired (an assignment not flushed yet is always current).
    bool current() const noexcept { return loaded && (modified || !binding.expired(epoch)); }
    // Forget the target so that the next access resolves it again from the foreign key.
    void unload() noexcept {
        target.reset();
        weak_target.reset();
        loaded = false;
        modified = false;
    }
};

// A to-many member as the session sees it (the items live in the typed Collection<T>).
struct CollectionState {
    bool loaded = false;
    std::uint64_t epoch = 0;  // SessionLink::epoch when loaded
    RelationshipBinding binding;
    // Items as the database has them (at load or last flush), to find what changed.
    std::vector<std::shared_ptr<void>> original;

    bool current() const noexcept { return loaded && !binding.expired(epoch); }
};

class RelatedBase {
public:
    RelatedBase() = default;
    explicit RelatedBase(std::shared_ptr<void> target) {
        s_.target = std::move(target);
        s_.loaded = true;
        s_.modified = true;
    }
    RelatedBase(const RelatedBase& other) { copy_target(other); }
    RelatedBase(RelatedBase&& other) noexcept {
        copy_target(other);
        s_.binding = std::move(other.s_.binding);
    }
    // Assignment replaces the target and keeps this member's binding.
    RelatedBase& operator=(const RelatedBase& other) {
        if (this != &other) assign_erased(other.current_target(), nullptr);
        return *this;
    }
    RelatedBase& operator=(RelatedBase&& other) {
        if (this != &other) assign_erased(other.current_target(), nullptr);
        return *this;
    }
    ~RelatedBase() {
        if (s_.noted) forget_noted();
    }

    // True once the target is known (assigned, loaded lazily or eagerly).
    bool loaded() const noexcept { return s_.loaded; }

    // The session's view of this member (see the file comment).
    RelatedState& internal() noexcept { return s_; }
    const RelatedState& internal() const noexcept { return s_; }

protected:
    // The target, loading it through the session when bound and not current.
    std::shared_ptr<void> get_erased() const;
    std::shared_ptr<void> current_target() const { return s_.target ? s_.target : s_.weak_target.lock(); }
    // Sets the target and back-populates the other side when bound. `target_tag`: the
    // type tag of the target's model (nullptr when unknown).
    void assign_erased(std::shared_ptr<void> target, const void* target_tag);

private:
    void forget_noted() noexcept;
    void copy_target(const RelatedBase& other) noexcept {
        s_.target = other.current_target();
        s_.loaded = other.s_.loaded;
        s_.modified = other.s_.modified || s_.target != nullptr;
    }
    mutable RelatedState s_;
};

// The operations of a Collection<T> on its typed items (see CollectionBase), one static
// table per T. A Collection<T> publishes its table in its CollectionOpsSlot the first
// time the program uses its typed interface (begin(), items(), push_back(), a constructor
// taking items, ...), so these functions are compiled where that interface is used and
// not in every file that declares a model with a Collection<T> member.
struct CollectionItemOps {
    std::size_t (*size)(const CollectionBase& c) noexcept;
    // The raw pointer of item i.
    const void* (*get)(const CollectionBase& c, std::size_t i) noexcept;
    std::shared_ptr<void> (*at)(const CollectionBase& c, std::size_t i);
    void (*append)(CollectionBase& c, std::shared_ptr<void>&& item);
    // Removes item i, keeping the order of the others.
    void (*erase)(CollectionBase& c, std::size_t i) noexcept;
    void (*clear)(CollectionBase& c) noexcept;
    // Destroys the typed vector (Collection<T>'s destructor).
    void (*destroy)(CollectionBase& c) noexcept;
};
// One per T; nullptr until the program first uses the typed interface of a Collection<T>.
using CollectionOpsSlot = std::atomic<const CollectionItemOps*>;

// The items of a to-many member: those of the typed vector of Collection<T>, then
// `pending_`. While T's CollectionOpsSlot is empty no Collection<T> has typed items (the
// typed interface, which alone puts items there, fills the slot first), and what the
// session adds waits in `pending_`; Collection<T> moves it into its typed vector on its
// next access. Once the slot is filled the session works on the typed vector in place,
// as the program sees it. So a Collection<T> brings no virtual functions and no per-type
// code for assign/find/remove/append into every program that declares T.
class CollectionBase {
public:
    CollectionBase(const CollectionBase& other) : ops_(other.ops_), pending_(other.pending_) {
        s_.loaded = other.s_.loaded;
    }
    CollectionBase(CollectionBase&& other) noexcept
        : ops_(other.ops_), s_(std::move(other.s_)), pending_(std::move(other.pending_)) {}
    CollectionBase& operator=(const CollectionBase& other) {
        if (this != &other) s_.loaded = s_.loaded || other.s_.loaded;
        return *this;
    }
    CollectionBase& operator=(CollectionBase&& other) noexcept {
        if (this != &other) s_.loaded = s_.loaded || other.s_.loaded;
        return *this;
    }
    ~CollectionBase() = default;

    bool loaded() const noexcept { return s_.loaded; }

    // The session's view of this member (see the file comment).
    CollectionState& internal() noexcept { return s_; }
    const CollectionState& internal() const noexcept { return s_; }
    // Item access without loading, for the session.
    std::size_t erased_size() const noexcept { return typed_size() + pending_.size(); }
    std::shared_ptr<void> erased_at(std::size_t i) const {
        std::size_t n = typed_size();
        return i < n ? typed_ops()->at(*this, i) : pending_[i - n];
    }
    void erased_assign(std::vector<std::shared_ptr<void>> items) {
        if (const CollectionItemOps* t = typed_ops()) t->clear(*this);
        pending_.clear();
        for (auto& p : items) erased_append(std::move(p));
    }
    void erased_append(std::shared_ptr<void> item) {
        const CollectionItemOps* t = typed_ops();
        if (t && pending_.empty()) t->append(*this, std::move(item));
        else pending_.push_back(std::move(item));
    }
    bool erased_remove(const void* item) {
        for (std::size_t i = 0, n = typed_size(); i < n; ++i) {
            if (typed_ops()->get(*this, i) == item) {
                typed_ops()->erase(*this, i);
                return true;
            }
        }
        for (auto it = pending_.begin(); it != pending_.end(); ++it) {
            if (it->get() == item) {
                pending_.erase(it);
                return true;
            }
        }
        return false;
    }
    bool erased_contains(const void* item) const noexcept {
        for (std::size_t i = 0, n = typed_size(); i < n; ++i)
            if (typed_ops()->get(*this, i) == item) return true;
        for (const auto& p : pending_)
            if (p.get() == item) return true;
        return false;
    }

protected:
    explicit CollectionBase(const CollectionOpsSlot& ops) noexcept : ops_(&ops) {}
    // T's operations, or nullptr while the program has not used the typed interface.
    const CollectionItemOps* typed_ops() const noexcept { return ops_->load(std::memory_order_acquire); }
    // See the class comment.
    std::vector<std::shared_ptr<void>>& pending() const noexcept { return pending_; }
    // Loads (or reloads, once expired) the items through the session when bound.
    void ensure_loaded() const;
    void set_loaded() noexcept { s_.loaded = true; }
    // Notifies the session of an append / removal (cascade and back-population when bound).
    void appended(const std::shared_ptr<void>& item);
    void removed(const std::shared_ptr<void>& item);

private:
    std::size_t typed_size() const noexcept {
        const CollectionItemOps* t = typed_ops();
        return t ? t->size(*this) : 0;
    }

    const CollectionOpsSlot* ops_;
    mutable CollectionState s_;
    mutable std::vector<std::shared_ptr<void>> pending_;
};

}  // namespace strata::detail
