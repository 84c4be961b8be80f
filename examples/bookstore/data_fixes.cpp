// Data fixes that revision files call with `op = "call"`. They run inside the
// revision's transaction (PostgreSQL, SQLite: rolled back with it) through the ORM, so
// they see the schema as it is at that step of the migration.
#include <set>
#include <string>

#include "models.hpp"
#include "seeds.hpp"

namespace bookstore {

void fill_book_slugs(strata::Session& session) {
    std::set<std::string> taken;
    for (const auto& book : session.query<Book>().filter(strata::col(&Book::slug) != "").all())
        taken.insert(book->slug);
    for (const auto& book : session.query<Book>().filter_by(&Book::slug, std::string()).order_by(&Book::id).all()) {
        std::string base = slugify(book->title);
        std::string slug = base;
        for (int n = 2; taken.count(slug) != 0; ++n) slug = base + "-" + std::to_string(n);
        taken.insert(slug);
        book->slug = slug;
    }
}

}  // namespace bookstore
