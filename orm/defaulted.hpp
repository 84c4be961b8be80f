// strata::Defaulted<T>: a member whose column value the database supplies by default.
//
//   struct Post {
//       std::int64_t id = 0;
//       std::string title;
//       strata::Defaulted<strata::DateTime> created_at;   // unset until the first flush
//   };
//
//   strata::table<Post>("posts")
//       .column("id", &Post::id, strata::primary_key)
//       .column("title", &Post::title)
//       .column("created_at", &Post::created_at, strata::default_expression("CURRENT_TIMESTAMP"));
//
// A Defaulted member is either unset or holds a T. "Unset" asks for the server default:
// the session leaves the column out of the INSERT, so the column's DEFAULT applies,
// then reads the stored value back into the member at that flush. An unset member is
// never written by an UPDATE (it never counts as changed), so reset() on a loaded
// object leaves the row alone. Assigning a value sets it; it is then written like any
// other member.
//
// T may be std::optional<U> for a nullable column with a default: a
// Defaulted<std::optional<std::string>> is unset (server default), explicitly NULL
// (= std::nullopt) or a value. The column type and nullability are T's.
#pragma once

#include <concepts>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "core/value.hpp"
#include "orm/detail/column_traits.hpp"

namespace strata {

namespace detail {

[[noreturn]] inline void unset_defaulted_error() {
    throw Error(ErrorKind::usage,
                "Defaulted::value(): the member is unset; the database supplies its value at the first flush "
                "(or assign one)");
}

}  // namespace detail

template <class T>
class Defaulted {
public:
    // Unset. So is `d = {}`.
    Defaulted() = default;
    // Set to T(value): Defaulted<std::string> s = "text"; Defaulted<std::optional<int>> n = std::nullopt.
    template <class U = T>
        requires(!std::is_same_v<std::remove_cvref_t<U>, Defaulted> && std::is_constructible_v<T, U>)
    explicit(!std::is_convertible_v<U, T>) Defaulted(U&& value) : value_(std::in_place, std::forward<U>(value)) {}

    // Sets the member from anything T is assignable from (a const char* for a std::string
    // T, std::nullopt for an optional T: then it is set, to NULL).
    template <class U = T>
        requires(!std::is_same_v<std::remove_cvref_t<U>, Defaulted> && std::is_assignable_v<T&, U>)
    Defaulted& operator=(U&& value) {
        if (value_) {
            *value_ = std::forward<U>(value);
        } else if constexpr (std::is_constructible_v<T, U>) {
            value_.emplace(std::forward<U>(value));
        } else {
            value_.emplace();
            *value_ = std::forward<U>(value);
        }
        return *this;
    }

    // False while the database is to supply the value.
    bool is_set() const noexcept { return value_.has_value(); }
    // Back to unset.
    void reset() noexcept { value_.reset(); }

    // The value. Throws Error(usage) when unset. Change it by assignment.
    const T& value() const {
        if (!value_) detail::unset_defaulted_error();
        return *value_;
    }
    const T& operator*() const { return value(); }
    const T* operator->() const { return &value(); }
    T value_or(T fallback) const {
        if (value_) return *value_;
        return fallback;
    }

    // Equal when both are unset or both hold equal values.
    friend bool operator==(const Defaulted&, const Defaulted&) = default;
    // An unset member equals no value: Defaulted<std::optional<int>>{} != std::nullopt.
    friend bool operator==(const Defaulted& d, const T& v) { return d.value_ && *d.value_ == v; }
    // Other types T is constructible from and compares with ("text" for a std::string
    // T, std::nullopt for an optional T).
    template <class U>
        requires(!std::is_same_v<U, Defaulted> && !std::is_same_v<U, T> && std::is_constructible_v<T, const U&> &&
                 requires(const T& t, const U& u) {
                     { t == u } -> std::convertible_to<bool>;
                 })
    friend bool operator==(const Defaulted& d, const U& v) {
        return d.value_ && *d.value_ == v;
    }

private:
    std::optional<T> value_;
};

namespace detail {

template <class T>
struct IsDefaulted : std::false_type {};
template <class T>
struct IsDefaulted<Defaulted<T>> : std::true_type {
    using Inner = T;
};

}  // namespace detail

// Type and nullability of T. An unset member converts to NULL (the session leaves it
// out of INSERTs instead; see MemberType::defers_to_server) and equals every value, so
// it is never written by an UPDATE. from_value() sets the member.
template <class T>
    requires Mappable<T>
struct ColumnTraits<Defaulted<T>> {
    static constexpr bool nullable = detail::is_nullable<T>();
    static ColumnType type() { return ColumnTraits<T>::type(); }
    static Value to_value(const Defaulted<T>& d) { return d.is_set() ? ColumnTraits<T>::to_value(*d) : Value(); }
    // Leaves `out` unchanged when the value cannot be converted (Error as for T).
    static void from_value(const Value& v, Defaulted<T>& out) {
        T x{};
        ColumnTraits<T>::from_value(v, x);
        out = std::move(x);
    }
    static bool equals(const Defaulted<T>& d, const Value& v) { return !d.is_set() || detail::traits_equal(*d, v); }
};

}  // namespace strata
