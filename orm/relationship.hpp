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

    Collection() = default;
    Collection(std::initializer_list<std::shared_ptr<T>> items) : items_(items) { mark_loaded(); }
    explicit Collection(std::vector<std::shared_ptr<T>> items) : items_(std::move(items)) { mark_loaded(); }
    Collection(const Collection&) = default;
    Collection(Collection&&) noexcept = default;
    // Replaces the contents (loading the current ones first when bound, so removals are
    // seen). Items appended this way are back-populated at the next flush.
    Collection& operator=(const Collection& other) {
        if (this != &other) {
            ensure_loaded();
            Items copy = other.items_;
            items_ = std::move(copy);
            detail::CollectionBase::operator=(other);
            mark_loaded();
        }
        return *this;
    }
    Collection& operator=(Collection&& other) {
        if (this != &other) {
            ensure_loaded();
            items_ = std::move(other.items_);
            detail::CollectionBase::operator=(std::move(other));
            mark_loaded();
        }
        return *this;
    }

    iterator begin() {
        ensure_loaded();
        return items_.begin();
    }
    iterator end() {
        ensure_loaded();
        return items_.end();
    }
    const_iterator begin() const {
        ensure_loaded();
        return items_.begin();
    }
    const_iterator end() const {
        ensure_loaded();
        return items_.end();
    }
    std::size_t size() const {
        ensure_loaded();
        return items_.size();
    }
    bool empty() const { return size() == 0; }
    const std::shared_ptr<T>& operator[](std::size_t i) const {
        ensure_loaded();
        return items_[i];
    }
    // The items as a vector (loads first).
    const std::vector<std::shared_ptr<T>>& items() const {
        ensure_loaded();
        return items_;
    }
    bool contains(const std::shared_ptr<T>& item) const {
        ensure_loaded();
        return std::find(items_.begin(), items_.end(), item) != items_.end();
    }

    // Appends `item` (once: appending an item already present does nothing).
    void push_back(std::shared_ptr<T> item) {
        if (!item) throw Error(ErrorKind::usage, "cannot append a null object to a relationship collection");
        ensure_loaded();
        if (std::find(items_.begin(), items_.end(), item) != items_.end()) return;
        items_.push_back(item);
        appended(item);
    }
    void add(std::shared_ptr<T> item) { push_back(std::move(item)); }
    // Removes `item`; returns false when it was not there. What happens to a removed
    // child at flush depends on the relationship: delete_orphan deletes it, otherwise its
    // foreign key is set to NULL (many-to-many: the association row is deleted).
    bool remove(const std::shared_ptr<T>& item) {
        ensure_loaded();
        auto it = std::find(items_.begin(), items_.end(), item);
        if (it == items_.end()) return false;
        std::shared_ptr<T> keep = *it;
        items_.erase(it);
        removed(keep);
        return true;
    }
    void clear() {
        ensure_loaded();
        Items old = std::move(items_);
        items_.clear();
        for (auto& item : old) removed(item);
    }

public:
    std::size_t erased_size() const noexcept override { return items_.size(); }
    std::shared_ptr<void> erased_at(std::size_t i) const override { return items_[i]; }
    void erased_assign(std::vector<std::shared_ptr<void>> items) override {
        items_.clear();
        items_.reserve(items.size());
        for (auto& p : items) items_.push_back(std::static_pointer_cast<T>(std::move(p)));
    }
    void erased_append(std::shared_ptr<void> item) override {
        items_.push_back(std::static_pointer_cast<T>(std::move(item)));
    }
    bool erased_remove(const void* item) override {
        auto it = std::find_if(items_.begin(), items_.end(), [&](const auto& p) { return p.get() == item; });
        if (it == items_.end()) return false;
        items_.erase(it);
        return true;
    }
    bool erased_contains(const void* item) const noexcept override {
        return std::find_if(items_.begin(), items_.end(), [&](const auto& p) { return p.get() == item; }) !=
               items_.end();
    }

private:
    void mark_loaded() noexcept { set_loaded(); }
    Items items_;
};

}  // namespace strata
