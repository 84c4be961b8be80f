// The bookstore's seeds. Both are idempotent: rows are found by their natural key
// (an author's name, a book's slug, a tag's name, a review's book and reviewer) and
// only created or updated as needed, so running them again changes nothing unless the
// data below changed.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models.hpp"
#include "orm/seed.hpp"
#include "seeds.hpp"

namespace bookstore {

namespace {

struct AuthorRow {
    const char* name;
    const char* country;
};

struct BookRow {
    const char* title;
    const char* author;
    int published;
    std::int64_t price_cents;
    std::vector<const char*> tags;
};

struct ReviewRow {
    const char* book_slug;
    const char* reviewer;
    int rating;
    const char* body;
};

const std::vector<AuthorRow> authors = {
    {"Agatha Christie", "GB"},
    {"Isaac Asimov", "US"},
    {"Stanislaw Lem", "PL"},
    {"Ursula K. Le Guin", "US"},
};

const std::vector<BookRow> books = {
    {"A Wizard of Earthsea", "Ursula K. Le Guin", 1968, 1099, {"fantasy", "classic"}},
    {"The Left Hand of Darkness", "Ursula K. Le Guin", 1969, 1299, {"science-fiction", "classic"}},
    {"Foundation", "Isaac Asimov", 1951, 999, {"science-fiction", "classic"}},
    {"I, Robot", "Isaac Asimov", 1950, 899, {"science-fiction"}},
    {"Murder on the Orient Express", "Agatha Christie", 1934, 799, {"mystery", "classic"}},
    {"Solaris", "Stanislaw Lem", 1961, 1199, {"science-fiction"}},
};

const std::vector<ReviewRow> reviews = {
    {"a-wizard-of-earthsea", "maria", 5, "A school for wizards, long before the others."},
    {"a-wizard-of-earthsea", "tom", 4, nullptr},
    {"foundation", "maria", 4, "Psychohistory still holds up."},
    {"solaris", "tom", 5, "The ocean thinks."},
    {"solaris", "li", 4, nullptr},
    {"murder-on-the-orient-express", "li", 3, "Guessed it on page 40."},
};

}  // namespace

void seed_catalog(strata::Session& session) {
    std::map<std::string, std::shared_ptr<Tag>> tags;
    for (const char* name : {"classic", "fantasy", "mystery", "science-fiction"})
        tags[name] = strata::get_or_create(session, Tag{.name = name}, &Tag::name).object;

    std::map<std::string, std::shared_ptr<Author>> by_name;
    for (const AuthorRow& a : authors)
        by_name[a.name] = strata::upsert(session, Author{.name = a.name, .country = a.country}, &Author::name).object;

    for (const BookRow& b : books) {
        Book values;
        values.title = b.title;
        values.slug = slugify(b.title);
        values.author_id = by_name.at(b.author)->id;
        values.published = b.published;
        values.price_cents = b.price_cents;
        auto book = strata::upsert(session, std::move(values), &Book::slug).object;
        // push_back ignores a tag the book already has.
        for (const char* tag : b.tags) book->tags.push_back(tags.at(tag));
    }
}

void seed_demo_reviews(strata::Session& session) {
    for (const ReviewRow& r : reviews) {
        auto book = session.query<Book>().filter_by(&Book::slug, std::string(r.book_slug)).one();
        Review values;
        values.book_id = book->id;
        values.reviewer = r.reviewer;
        values.rating = r.rating;
        if (r.body) values.body = r.body;
        strata::get_or_create(session, std::move(values), &Review::book_id, &Review::reviewer);
    }
}

}  // namespace bookstore
