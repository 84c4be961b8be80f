// Relationship members of models: Related<T> (many-to-one: this row holds the foreign
// key) and Collection<T> (one-to-many, or many-to-many through an association table).
//
//   struct Department {
//       std::int64_t id = 0;
//       std::string name;
//       strata::Collection<Employee> employees;         // one-to-many
//   };
//   struct Employee {
//       std::int64_t id = 0;
//       std::optional<std::int64_t> department_id;
//       strata::Related<Department> department;         // many-to-one
//   };
//
// Both are declared on the model with TableBuilder::relationship() (orm/model.hpp).
//
// Loading: lazy by default. The first access to an unloaded member of an object that
// belongs to a session runs one query (autoflushing first). Query<T>::eager() loads a
// relationship for a whole result set with one extra query. Accessing an unloaded
// member after its session is gone throws Error(usage).
//
// Back-population: when the relationship declares back_populates(), changing one side
// of an object in a session updates the other side in memory at once (when that side
// is loaded); the database follows at the next flush. Objects not yet in a session are
// synchronized when they join it (add(), or the save-update cascade of an append or an
// assignment on a tracked object).
//
// Expiry: after a commit (or rollback, expire()) a loaded member of a session object
// reloads on its next access, unless the program changed it since.
//
// Reference cycles: a Collection holds its items strongly, and so does a Related
// while its session lives. When the session ends (Session::close(), destruction,
// expunge_all()), a Related whose target's loaded collection holds the object keeps only
// a weak reference, and of two loaded sides of a many-to-many pair the second is
// unloaded, so that objects the program drops are freed. Keep the parent (or the side you
// iterate) to keep the graph.
//
// Not thread-safe, like the session they belong to.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "core/error.hpp"
#include "orm/detail/member_key.hpp"
#include "orm/detail/relationship_base.hpp"

namespace strata {

// Many-to-one: the related object whose key this object's foreign key holds.
template <class T>
class Related : public detail::RelatedBase {
public:
    Related() = default;
    Related(std::nullptr_t) {}
    Related(std::shared_ptr<T> target) : detail::RelatedBase(std::move(target)) {}

    Related& operator=(std::shared_ptr<T> target) {
        assign_erased(std::move(target), detail::type_tag<T>());
        return *this;
    }
    Related& operator=(std::nullptr_t) {
        assign_erased(nullptr, detail::type_tag<T>());
        return *this;
    }

    // The related object, or nullptr when there is none (foreign key NULL). Loads it on
    // first access when the owner belongs to a session.
    std::shared_ptr<T> get() const { return std::static_pointer_cast<T>(get_erased()); }
    // Throws Error(not_found) when there is no related object.
    T* operator->() const { return &**this; }
    T& operator*() const {
        auto p = get_erased();
        if (!p) throw Error(ErrorKind::not_found, "the relationship is empty: no related object (foreign key is NULL)");
        return *static_cast<T*>(p.get());
    }
    explicit operator bool() const { return get_erased() != nullptr; }
    friend bool operator==(const Related& r, std::nullptr_t) { return !r; }
};

// One-to-many or many-to-many: the objects that refer to this one (or are linked to it
// through an association table). Order: as loaded (by primary key) then appended.
template <class T>
class Collection : public detail::CollectionBase {
    using Items = std::vector<std::shared_ptr<T>>;

public:
    using value_type = std::shared_ptr<T>;
    using iterator = typename Items::iterator;
    using const_iterator = typename Items::const_iterator;

    Collection() noexcept : detail::CollectionBase(ops_slot_) { ::new (storage_) Items(); }
    Collection(std::initializer_list<std::shared_ptr<T>> items) : detail::CollectionBase(ops_slot_) {
        enable_ops();
        ::new (storage_) Items(items);
        set_loaded();
    }
    explicit Collection(std::vector<std::shared_ptr<T>> items) : detail::CollectionBase(ops_slot_) {
        enable_ops();
        ::new (storage_) Items(std::move(items));
        set_loaded();
    }
    Collection(const Collection& other) : detail::CollectionBase(other) { ::new (storage_) Items(other.vec()); }
    Collection(Collection&& other) noexcept : detail::CollectionBase(std::move(other)) {
        ::new (storage_) Items(std::move(other.vec()));
    }
    // Replaces the contents (loading the current ones first when bound, so removals are
    // seen). Items appended this way are back-populated at the next flush.
    Collection& operator=(const Collection& other) {
        if (this != &other) {
            Items& v = loaded_items();
            Items copy = other.typed();
            v = std::move(copy);
            detail::CollectionBase::operator=(other);
            set_loaded();
        }
        return *this;
    }
    Collection& operator=(Collection&& other) {
        if (this != &other) {
            Items& v = loaded_items();
            v = std::move(other.typed());
            detail::CollectionBase::operator=(std::move(other));
            set_loaded();
        }
        return *this;
    }
    ~Collection() {
        // Without T's operations no Collection<T> ever held typed items: the vector is
        // empty and never allocated.
        if (const detail::CollectionItemOps* t = typed_ops()) t->destroy(*this);
    }

    iterator begin() { return loaded_items().begin(); }
    iterator end() { return loaded_items().end(); }
    const_iterator begin() const { return loaded_items().begin(); }
    const_iterator end() const { return loaded_items().end(); }
    std::size_t size() const { return loaded_items().size(); }
    bool empty() const { return size() == 0; }
    const std::shared_ptr<T>& operator[](std::size_t i) const { return loaded_items()[i]; }
    // The items as a vector (loads first).
    const std::vector<std::shared_ptr<T>>& items() const { return loaded_items(); }
    bool contains(const std::shared_ptr<T>& item) const {
        const Items& v = loaded_items();
        return std::find(v.begin(), v.end(), item) != v.end();
    }

    // Appends `item` (once: appending an item already present does nothing).
    void push_back(std::shared_ptr<T> item) {
        if (!item) throw Error(ErrorKind::usage, "cannot append a null object to a relationship collection");
        Items& v = loaded_items();
        if (std::find(v.begin(), v.end(), item) != v.end()) return;
        v.push_back(item);
        appended(item);
    }
    void add(std::shared_ptr<T> item) { push_back(std::move(item)); }
    // Removes `item`; returns false when it was not there. What happens to a removed
    // child at flush depends on the relationship: delete_orphan deletes it, otherwise its
    // foreign key is set to NULL (many-to-many: the association row is deleted).
    bool remove(const std::shared_ptr<T>& item) {
        Items& v = loaded_items();
        auto it = std::find(v.begin(), v.end(), item);
        if (it == v.end()) return false;
        std::shared_ptr<T> keep = *it;
        v.erase(it);
        removed(keep);
        return true;
    }
    void clear() {
        Items& v = loaded_items();
        Items old = std::move(v);
        v.clear();
        for (auto& item : old) removed(item);
    }

private:
    // The typed vector, constructed in raw storage so that its destruction, like every
    // other operation on it, goes through T's operations (see ~Collection()).
    Items& vec() const noexcept { return *std::launder(reinterpret_cast<Items*>(storage_)); }
    // The typed vector with every item: the typed interface goes through here.
    Items& typed() const {
        enable_ops();
        if (!pending().empty()) take_pending();
        return vec();
    }
    Items& loaded_items() const {
        ensure_loaded();
        return typed();
    }
    void take_pending() const {
        std::vector<std::shared_ptr<void>>& p = pending();
        Items& v = vec();
        v.reserve(v.size() + p.size());
        for (auto& item : p) v.push_back(std::static_pointer_cast<T>(std::move(item)));
        p.clear();
    }
    static void enable_ops() noexcept {
        if (!ops_slot_.load(std::memory_order_acquire)) ops_slot_.store(&item_ops, std::memory_order_release);
    }

    // T's operations (compiled only where enable_ops() is).
    static Items& vec_of(const detail::CollectionBase& c) noexcept { return static_cast<const Collection&>(c).vec(); }
    static std::size_t op_size(const detail::CollectionBase& c) noexcept { return vec_of(c).size(); }
    static const void* op_get(const detail::CollectionBase& c, std::size_t i) noexcept { return vec_of(c)[i].get(); }
    static std::shared_ptr<void> op_at(const detail::CollectionBase& c, std::size_t i) { return vec_of(c)[i]; }
    static void op_append(detail::CollectionBase& c, std::shared_ptr<void>&& item) {
        vec_of(c).push_back(std::static_pointer_cast<T>(std::move(item)));
    }
    static void op_erase(detail::CollectionBase& c, std::size_t i) noexcept {
        Items& v = vec_of(c);
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
    }
    static void op_clear(detail::CollectionBase& c) noexcept { vec_of(c).clear(); }
    static void op_destroy(detail::CollectionBase& c) noexcept { vec_of(c).~Items(); }
    static constexpr detail::CollectionItemOps item_ops{&op_size,  &op_get,   &op_at,     &op_append,
                                                        &op_erase, &op_clear, &op_destroy};
    static inline detail::CollectionOpsSlot ops_slot_{nullptr};

    alignas(Items) mutable unsigned char storage_[sizeof(Items)];
};

namespace detail {

// What a member type is as a relationship: Related<U> or Collection<U> of model U (`type`).
template <class T>
struct RelationshipTarget {
    static constexpr bool is_related = false;
    static constexpr bool is_collection = false;
};
template <class U>
struct RelationshipTarget<Related<U>> {
    using type = U;
    static constexpr bool is_related = true;
    static constexpr bool is_collection = false;
};
template <class U>
struct RelationshipTarget<Collection<U>> {
    using type = U;
    static constexpr bool is_related = false;
    static constexpr bool is_collection = true;
};
template <class R>
concept IsRelationship = RelationshipTarget<R>::is_related || RelationshipTarget<R>::is_collection;

}  // namespace detail

}  // namespace strata
