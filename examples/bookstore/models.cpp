#include "models.hpp"

namespace bookstore {

using namespace strata;

Registry& registry() {
    // Built once, never destroyed: sessions and the CLI keep pointers into it until exit.
    static Registry* models = [] {
        auto* r = new Registry();
        r->table<Author>("authors")
            .column("id", &Author::id, primary_key)
            .column("name", &Author::name, type(types::string(120)), unique)
            .column("country", &Author::country, type(types::string(2)))
            .relationship("books", &Author::books, back_populates(&Book::author));

        auto books = r->table<Book>("books");
        books.column("id", &Book::id, primary_key)
            .column("title", &Book::title, type(types::string(200)))
            .column("author_id", &Book::author_id, foreign_key(&Author::id), indexed)
            .column("published", &Book::published)
            .column("price_cents", &Book::price_cents, check("price_cents >= 0"))
            .column("slug", &Book::slug, type(types::string(200)), unique);
#ifdef BOOKSTORE_WITH_ISBN
        books.column("isbn", &Book::isbn, type(types::string(17)));
#endif
        books.relationship("author", &Book::author, back_populates(&Author::books))
            .relationship("tags", &Book::tags, secondary("book_tags", "book_id", "tag_id"),
                          back_populates(&Tag::books))
            .relationship("reviews", &Book::reviews, back_populates(&Review::book), cascade_delete);

        r->table<Tag>("tags")
            .column("id", &Tag::id, primary_key)
            .column("name", &Tag::name, type(types::string(50)), unique)
            .relationship("books", &Tag::books, secondary("book_tags", "tag_id", "book_id"),
                          back_populates(&Book::tags));

        r->table<Review>("reviews")
            .column("id", &Review::id, primary_key)
            .column("book_id", &Review::book_id, foreign_key(&Book::id).on_delete(FkAction::cascade), indexed)
            .column("reviewer", &Review::reviewer, type(types::string(100)))
            .column("rating", &Review::rating, check("rating >= 1 AND rating <= 5"))
            .column("body", &Review::body, type(types::text()))
            .relationship("book", &Review::book, back_populates(&Book::reviews))
            .unique({"book_id", "reviewer"});
        return r;
    }();
    return *models;
}

std::string slugify(const std::string& title) {
    std::string slug;
    bool dash = false;
    for (unsigned char c : title) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && !slug.empty()) slug += '-';
            slug += static_cast<char>(c);
            dash = false;
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && !slug.empty()) slug += '-';
            slug += static_cast<char>(c - 'A' + 'a');
            dash = false;
        } else {
            dash = true;
        }
    }
    return slug.empty() ? "book" : slug;
}

}  // namespace bookstore
