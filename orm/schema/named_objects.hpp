// NamedObjects<T>: the schema objects of one kind that live beside the tables of a
// Metadata (sequences, domains, enum types; views can follow the same pattern). Plain
// data: a list in insertion order with lookup by exact name. T needs a `name` member,
// operator==, describe() and a static `kind` ("sequence") for messages.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata {

template <class T>
class NamedObjects {
public:
    // Adds `item`; the returned reference is valid until the next add() or remove().
    // Throws Error(input) naming the object when its name is empty or already taken.
    T& add(T item) {
        if (item.name.empty())
            throw Error(ErrorKind::input, fmt::format("a {} without a name cannot be added; give it a name", T::kind));
        if (find(item.name))
            throw Error(ErrorKind::input, fmt::format("{} \"{}\" is declared twice; remove one declaration or rename it",
                                                      T::kind, item.name));
        items_.push_back(std::move(item));
        return items_.back();
    }
    const T* find(const std::string& name) const noexcept {
        auto it = std::find_if(items_.begin(), items_.end(), [&](const T& x) { return x.name == name; });
        return it == items_.end() ? nullptr : &*it;
    }
    T* find(const std::string& name) noexcept {
        auto it = std::find_if(items_.begin(), items_.end(), [&](const T& x) { return x.name == name; });
        return it == items_.end() ? nullptr : &*it;
    }
    // Removes the named object; false when there was none.
    bool remove(const std::string& name) {
        auto it = std::find_if(items_.begin(), items_.end(), [&](const T& x) { return x.name == name; });
        if (it == items_.end()) return false;
        items_.erase(it);
        return true;
    }
    const std::vector<T>& items() const noexcept { return items_; }
    auto begin() const noexcept { return items_.begin(); }
    auto end() const noexcept { return items_.end(); }
    bool empty() const noexcept { return items_.empty(); }
    std::size_t size() const noexcept { return items_.size(); }
    // Pointers to the objects sorted by name, for deterministic iteration.
    std::vector<const T*> sorted() const {
        std::vector<const T*> out;
        for (const T& x : items_) out.push_back(&x);
        std::sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->name < b->name; });
        return out;
    }

    // Same names with equal objects; order ignored.
    friend bool operator==(const NamedObjects& a, const NamedObjects& b) {
        if (a.items_.size() != b.items_.size()) return false;
        for (const T& x : a.items_) {
            const T* other = b.find(x.name);
            if (!other || !(*other == x)) return false;
        }
        return true;
    }
    // One describe() per line, by name.
    std::string describe() const {
        std::string out;
        for (const T* x : sorted()) out += x->describe() + "\n";
        return out;
    }

private:
    std::vector<T> items_;
};

}  // namespace strata
