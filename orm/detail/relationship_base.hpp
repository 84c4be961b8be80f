// Type-erased state of relationship members (Related<T>, Collection<T>); the typed
// wrappers are in orm/relationship.hpp. The session reads and writes this state.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace strata::detail {

class SessionCore;
class Flusher;
struct RelationshipMapping;

// Set by the session when the owning object is attached (added or loaded). A copy of a
// relationship member is never bound: binding belongs to one object in one session.
struct RelationshipBinding {
    std::weak_ptr<SessionCore> session;
    const RelationshipMapping* relationship = nullptr;
    std::weak_ptr<void> owner;
};

class RelatedBase {
public:
    RelatedBase() = default;
    explicit RelatedBase(std::shared_ptr<void> target)
        : target_(std::move(target)), loaded_(true), modified_(true) {}
    RelatedBase(const RelatedBase& other)
        : target_(other.current()), loaded_(other.loaded_), modified_(other.modified_ || target_ != nullptr) {}
    RelatedBase(RelatedBase&& other) noexcept
        : target_(other.current()),
          loaded_(other.loaded_),
          modified_(other.modified_ || target_ != nullptr),
          binding_(std::move(other.binding_)) {}
    // Assignment replaces the target and keeps this member's binding.
    RelatedBase& operator=(const RelatedBase& other) {
        if (this != &other) assign_erased(other.current());
        return *this;
    }
    RelatedBase& operator=(RelatedBase&& other) {
        if (this != &other) assign_erased(other.current());
        return *this;
    }
    ~RelatedBase() = default;

    // True once the target is known (assigned, loaded lazily or eagerly).
    bool loaded() const noexcept { return loaded_; }

protected:
    // The target, loading it through the session when bound and not loaded yet.
    std::shared_ptr<void> get_erased() const;
    std::shared_ptr<void> current() const { return target_ ? target_ : weak_target_.lock(); }
    // Sets the target and back-populates the other side when bound.
    void assign_erased(std::shared_ptr<void> target);

private:
    friend class SessionCore;
    friend class Flusher;
    mutable std::shared_ptr<void> target_;
    // Set instead of target_ when the session ended while the target's collection held
    // this object: the collection keeps the pair alive, and a strong reference both ways
    // would be a cycle that never frees.
    std::weak_ptr<void> weak_target_;
    mutable bool loaded_ = false;
    bool modified_ = false;  // assigned since load or last flush: the foreign key follows it
    RelationshipBinding binding_;
};

class CollectionBase {
public:
    CollectionBase() = default;
    CollectionBase(const CollectionBase& other) : loaded_(other.loaded_) {}
    CollectionBase(CollectionBase&& other) noexcept
        : loaded_(other.loaded_), binding_(std::move(other.binding_)), original_(std::move(other.original_)) {}
    CollectionBase& operator=(const CollectionBase& other) {
        if (this != &other) loaded_ = loaded_ || other.loaded_;
        return *this;
    }
    CollectionBase& operator=(CollectionBase&& other) noexcept {
        if (this != &other) loaded_ = loaded_ || other.loaded_;
        return *this;
    }
    virtual ~CollectionBase() = default;

    bool loaded() const noexcept { return loaded_; }

protected:
    void ensure_loaded() const;
    void set_loaded() noexcept { loaded_ = true; }
    // Notifies the session of an append / removal (back-population when bound).
    void appended(const std::shared_ptr<void>& item);
    void removed(const std::shared_ptr<void>& item);

    virtual std::size_t erased_size() const noexcept = 0;
    virtual std::shared_ptr<void> erased_at(std::size_t i) const = 0;
    virtual void erased_assign(std::vector<std::shared_ptr<void>> items) = 0;
    virtual void erased_append(std::shared_ptr<void> item) = 0;
    virtual bool erased_remove(const void* item) = 0;
    virtual bool erased_contains(const void* item) const noexcept = 0;

private:
    friend class SessionCore;
    friend class Flusher;
    mutable bool loaded_ = false;
    RelationshipBinding binding_;
    // Items as the database has them (at load or last flush), to find what changed.
    std::vector<std::shared_ptr<void>> original_;
};

}  // namespace strata::detail
