// Helpers for idempotent seeds and data fixes: find a row by its natural key (a column
// or columns that identify it for people, such as a tag's name or a book's slug) and
// create it only when it is missing, or bring it up to date. Running a seed built on
// these twice leaves the same rows as running it once.
//
//   auto scifi = strata::get_or_create(session, Tag{.name = "science-fiction"}, &Tag::name);
//   auto lem = strata::upsert(session, Author{.name = "Stanislaw Lem", .country = "PL"}, &Author::name);
//   Book solaris{.title = "Solaris", .slug = "solaris", .author_id = lem->id, .price_cents = 1299};
//   auto book = strata::upsert(session, std::move(solaris), &Book::slug);
//   book->tags.push_back(scifi.object);     // Collection::push_back ignores one already there
//
// Both run one query (WHERE key = value AND ...; a key member holding std::nullopt
// matches IS NULL) through the session, so they see objects the session has pending
// (autoflush) and return the object of the identity map when it is loaded already.
// A created object is flushed at once, so its generated primary key is set when the
// call returns and can go into the foreign keys of the next rows.
//
// What counts as "the same row" is the caller's choice of key: it should be unique in
// the table (a unique constraint on it makes a race between two seeders an error
// instead of a duplicate). Error(multiple_results) when several rows match the key.
//
// Not thread-safe, like the session. Throws the session's errors (constraint
// violations at the flush, connection errors); a failed flush rolls the session back
// (orm/session.hpp), so a seed run in its own transaction leaves nothing behind.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "orm/detail/model_mapper.hpp"
#include "orm/expression.hpp"
#include "orm/query.hpp"
#include "orm/session.hpp"

namespace strata {

// What get_or_create / upsert did.
template <class T>
struct SeedResult {
    std::shared_ptr<T> object;  // the row's object, tracked by the session
    bool created = false;       // it was missing and has been inserted
    bool updated = false;       // upsert only: it existed and some column changed

    T* operator->() const noexcept { return object.get(); }
    T& operator*() const noexcept { return *object; }
};

namespace detail {

// Copies every mapped column except the primary key from `from` to `to` (objects of
// `model`); true when any value changed. Relationship members are not touched.
bool copy_columns_except_key(const ModelMapper& model, void* to, const void* from);

template <class T, class M>
constexpr bool is_member_of = false;
template <class T, class C, class M>
constexpr bool is_member_of<T, M C::*> = std::is_base_of_v<C, T> && !std::is_member_function_pointer_v<M C::*>;

template <class T, class... Keys>
std::shared_ptr<T> find_by_key(Session& session, const T& values, Keys... keys) {
    Query<T> query = session.query<T>();
    (query.filter(col(keys) == values.*keys), ...);
    return query.one_or_none();
}

}  // namespace detail

// The object whose `keys` members equal those of `values`; when there is none,
// `values` is added to the session and flushed (its generated key is then set).
// An existing object is returned unchanged: `values` only describes a new one.
template <class T, class... Keys>
SeedResult<T> get_or_create(Session& session, T values, Keys... keys) {
    static_assert(sizeof...(Keys) > 0, "strata: get_or_create(): name the natural key member(s), e.g. &Tag::name");
    static_assert((detail::is_member_of<T, Keys> && ...),
                  "strata: get_or_create(): every key must be a data member pointer of the model, e.g. &Tag::name");
    if (auto found = detail::find_by_key(session, values, keys...)) return {std::move(found), false, false};
    auto object = session.add(std::move(values));
    session.flush();
    return {std::move(object), true, false};
}

// As get_or_create, but an existing object also gets every other column of `values`
// (all mapped columns except the primary key); the next flush UPDATEs only the columns
// that changed, and an object that already matches costs no statement. Relationship
// members of `values` are used only when the object is created: on an existing object,
// set foreign keys through their columns (book.author_id = author->id).
template <class T, class... Keys>
SeedResult<T> upsert(Session& session, T values, Keys... keys) {
    static_assert(sizeof...(Keys) > 0, "strata: upsert(): name the natural key member(s), e.g. &Book::slug");
    static_assert((detail::is_member_of<T, Keys> && ...),
                  "strata: upsert(): every key must be a data member pointer of the model, e.g. &Book::slug");
    if (auto found = detail::find_by_key(session, values, keys...)) {
        const detail::ModelMapper& model = session.registry().mapper<T>();
        bool changed = detail::copy_columns_except_key(model, found.get(), &values);
        return {std::move(found), false, changed};
    }
    auto object = session.add(std::move(values));
    session.flush();
    return {std::move(object), true, false};
}

}  // namespace strata
