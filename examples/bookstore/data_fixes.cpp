// Data fixes that revision files call with `op = "call"`. They run inside the
// revision's transaction (PostgreSQL, SQLite: rolled back with it) through the ORM.
//
// A data fix runs at one point of the migration history, but the program that runs it
// is built from today's models. Loading today's Book in a revision written long ago
// breaks as soon as the model gains a column that revision does not have yet (try
// `bookstore-next check --fresh` with a fix that queries bookstore::Book). So each fix
// declares the few columns it needs, as they are at its revision, in a registry of its
// own, and works through a session on that registry. The session joins the revision's
// transaction (a savepoint) where there is one.
#include <set>
#include <string>

#include "models.hpp"
#include "seeds.hpp"

namespace bookstore {

namespace {

// books as revision 8453412e3aeb ("add slug to books") sees it: only what the fix reads
// and writes.
struct SlugFixBook {
    std::int64_t id = 0;
    std::string title;
    std::string slug;
};

strata::Registry& slug_fix_models() {
    static strata::Registry* models = [] {
        auto* r = new strata::Registry();
        r->table<SlugFixBook>("books")
            .column("id", &SlugFixBook::id, strata::primary_key)
            .column("title", &SlugFixBook::title)
            .column("slug", &SlugFixBook::slug);
        return r;
    }();
    return *models;
}

}  // namespace

void fill_book_slugs(strata::Session& session) {
    using strata::col;
    strata::Session fix(session.engine(), slug_fix_models());
    std::set<std::string> taken;
    for (const auto& book : fix.query<SlugFixBook>().filter(col(&SlugFixBook::slug) != "").all())
        taken.insert(book->slug);
    for (const auto& book :
         fix.query<SlugFixBook>().filter_by(&SlugFixBook::slug, std::string()).order_by(&SlugFixBook::id).all()) {
        std::string base = slugify(book->title);
        std::string slug = base;
        for (int n = 2; taken.count(slug) != 0; ++n) slug = base + "-" + std::to_string(n);
        taken.insert(slug);
        book->slug = slug;
    }
    fix.commit();
}

}  // namespace bookstore
