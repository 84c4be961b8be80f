#include "app.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <vector>

#include "models.hpp"
#include "orm/orm.hpp"
#include "seeds.hpp"

namespace bookstore {

strata::cli::App make_app() {
    strata::cli::App app;
    app.name = "bookstore";
    app.registry = &registry();
    app.seeds["catalog"] = {seed_catalog, {}, "authors, books and tags"};
    app.seeds["demo_reviews"] = {seed_demo_reviews, {"dev"}, "sample reviews (needs catalog)"};
    app.functions["fill_book_slugs"] = fill_book_slugs;
    return app;
}

namespace {

// Aggregates come back as the database's exact numeric type: a double, an integer, or
// text ("4.5000") depending on the driver.
double number(const strata::Value& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
    return 0.0;
}

std::string money(std::int64_t cents) { return fmt::format("${}.{:02}", cents / 100, cents % 100); }

}  // namespace

void print_report(const std::string& url, std::ostream& out) {
    using strata::col;
    strata::Session session(strata::create_engine(url), registry());

    out << "Authors and their books (eager loading: one query for all books):\n";
    for (const auto& author : session.query<Author>().eager(&Author::books).order_by(&Author::name).all()) {
        std::vector<std::shared_ptr<Book>> books(author->books.begin(), author->books.end());
        std::sort(books.begin(), books.end(), [](const auto& a, const auto& b) { return a->title < b->title; });
        out << fmt::format("  {} ({})\n", author->name, author->country.value_or("?"));
        for (const auto& book : books)
            out << fmt::format("    - {} ({}), {}\n", book->title, book->published ? std::to_string(*book->published) : "?",
                               money(book->price_cents));
    }

    out << "Tagged science-fiction (many-to-many through book_tags):\n";
    if (auto tag = session.query<Tag>().filter_by(&Tag::name, std::string("science-fiction")).one_or_none()) {
        std::vector<std::string> titles;
        for (const auto& book : tag->books) titles.push_back(book->title);
        std::sort(titles.begin(), titles.end());
        for (const auto& title : titles) out << "  - " << title << "\n";
    }

    out << "Published before 1960 (filter + order_by):\n";
    for (const auto& book :
         session.query<Book>().filter(col(&Book::published) < 1960).order_by(&Book::published, &Book::title).all())
        out << fmt::format("  {}  {} by {}\n", *book->published, book->title, book->author->name);

    out << "Average rating (group_by over reviews):\n";
    auto rows = session.query<Review>()
                    .group_by(&Review::book_id)
                    .rows({col(&Review::book_id), strata::count(), strata::avg(&Review::rating)});
    struct Rating {
        std::string title;
        std::int64_t reviews;
        double average;
    };
    std::vector<Rating> ratings;
    for (const auto& row : rows) {
        auto book = session.get<Book>(static_cast<std::int64_t>(number(row[0])));
        ratings.push_back({book->title, static_cast<std::int64_t>(number(row[1])), number(row[2])});
    }
    std::sort(ratings.begin(), ratings.end(), [](const Rating& a, const Rating& b) {
        return a.average != b.average ? a.average > b.average : a.title < b.title;
    });
    if (ratings.empty()) out << "  (no reviews yet: run `bookstore seed --env dev`)\n";
    for (const Rating& r : ratings)
        out << fmt::format("  {:.2f}  {} ({} review{})\n", r.average, r.title, r.reviews, r.reviews == 1 ? "" : "s");

    auto count = session.query<Book>().count();
    auto total = session.query<Book>().scalar<std::int64_t>(strata::sum(&Book::price_cents)).value_or(0);
    out << fmt::format("Catalog: {} books, {} authors, {} tags, one copy of each: {}\n", count,
                       session.query<Author>().count(), session.query<Tag>().count(), money(total));
}

}  // namespace bookstore
