// The bookstore's models: authors write books, books carry tags (many-to-many through
// book_tags) and receive reviews. Declared once, in models.cpp, into a registry of the
// program's own (bookstore::registry()); the migrations in migrations/ build the same
// schema step by step, and `bookstore check` verifies that they agree.
//
// BOOKSTORE_WITH_ISBN is the "next version" of the models, with one more column
// (books.isbn). It is built as the separate program `bookstore-next` to show what
// `revision --autogenerate` writes for a changed model (scripts/demo.sh).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orm/orm.hpp"

namespace bookstore {

struct Book;
struct Tag;
struct Review;

struct Author {
    std::int64_t id = 0;
    std::string name;                    // natural key: unique
    std::optional<std::string> country;  // ISO country code, e.g. "US"
    strata::Collection<Book> books;
};

struct Book {
    std::int64_t id = 0;
    std::string title;
    std::int64_t author_id = 0;
    std::optional<int> published;  // year
    std::int64_t price_cents = 0;
    std::string slug;  // natural key: unique, derived from the title (see slugify)
#ifdef BOOKSTORE_WITH_ISBN
    std::optional<std::string> isbn;
#endif
    strata::Related<Author> author;
    strata::Collection<Tag> tags;
    strata::Collection<Review> reviews;
};

struct Tag {
    std::int64_t id = 0;
    std::string name;  // natural key: unique
    strata::Collection<Book> books;
};

struct Review {
    std::int64_t id = 0;
    std::int64_t book_id = 0;
    std::string reviewer;
    int rating = 0;  // 1 to 5
    std::optional<std::string> body;
    strata::Related<Book> book;
};

// The registry holding the models above, declared on first use.
strata::Registry& registry();

// "The Left Hand of Darkness" -> "the-left-hand-of-darkness": lower-case ASCII letters
// and digits, every other run of characters one '-'.
std::string slugify(const std::string& title);

}  // namespace bookstore
