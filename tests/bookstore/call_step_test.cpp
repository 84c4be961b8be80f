// `op = "call"` steps: the bookstore's slug data fix on rows that exist when the
// revision runs, and a call step rolled back with its revision where DDL is
// transactional (PostgreSQL, SQLite) or recorded as partially applied (MySQL/MariaDB).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "app.hpp"
#include "bookstore_support.hpp"
#include "cli_runner.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/revision_graph.hpp"
#include "migrations/runner.hpp"
#include "models.hpp"
#include "orm/orm.hpp"
#include "support/test_database.hpp"

using namespace bookstore_test;
namespace fs = std::filesystem;

namespace {

constexpr const char* before_slugs = "5eebeebef93d";  // add tags and reviews
constexpr const char* head = "8453412e3aeb";          // add slug to books (calls fill_book_slugs)

std::vector<std::string> column_values(strata::Connection& conn, const std::string& table, const std::string& column) {
    const strata::Dialect& d = conn.dialect();
    strata::ResultSet r =
        conn.query(fmt::format("SELECT {} FROM {} ORDER BY {}", d.quote(column), d.quote(table), d.quote("id")));
    std::vector<std::string> out;
    for (const auto& row : r.rows) out.push_back(plain(row[0]));
    return out;
}

}  // namespace

TEST_CASE("bookstore: the slug data fix fills the rows that exist during the upgrade") {
    strata::testing::TestDatabase db;
    strata::cli::App app = bookstore::make_app();
    REQUIRE(run_cli(app, db.url(), {"upgrade", before_slugs}) == 0);

    // Rows written by an older version of the program, before books had slugs.
    strata::Connection& conn = db.connection();
    const strata::Dialect& d = db.dialect();
    conn.execute(fmt::format("INSERT INTO {} ({}, {}) VALUES (1, 'Stanislaw Lem')", d.quote("authors"), d.quote("id"),
                             d.quote("name")));
    for (auto [id, title] : {std::pair{1, "Solaris"}, std::pair{2, "The Cyberiad"}, std::pair{3, "Solaris!"}})
        conn.execute(fmt::format("INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, 1, 100)", d.quote("books"),
                                 d.quote("id"), d.quote("title"), d.quote("author_id"), d.quote("price_cents"),
                                 d.placeholder(1), d.placeholder(2)),
                     {strata::Value(std::int64_t{id}), strata::Value(std::string(title))});

    REQUIRE(run_cli(app, db.url(), {"upgrade", "head"}) == 0);
    CHECK(column_values(conn, "books", "slug") == std::vector<std::string>{"solaris", "the-cyberiad", "solaris-2"});
    // The unique constraint added after the fix holds.
    CHECK_THROWS_AS(conn.execute(fmt::format("UPDATE {} SET {} = 'solaris' WHERE {} = 2", d.quote("books"),
                                             d.quote("slug"), d.quote("id"))),
                    strata::Error);
    ProgramResult r = run_program(bookstore_binary(), {"--url", db.url(), "--dir", bookstore_migrations(), "check"});
    INFO(r.text());
    CHECK(r.exit_code == 0);
}

TEST_CASE("bookstore: a call step goes back with its failed revision") {
    strata::testing::TestDatabase db;
    strata::cli::App app = bookstore::make_app();
    // A data fix that rewrites every title through the ORM.
    app.functions["shout_titles"] = [](strata::Session& s) {
        for (const auto& book : s.query<bookstore::Book>().all())
            std::transform(book->title.begin(), book->title.end(), book->title.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    };
    REQUIRE(run_cli(app, db.url(), {"upgrade", "head"}) == 0);
    REQUIRE(run_cli(app, db.url(), {"seed", "catalog"}) == 0);
    auto titles = column_values(db.connection(), "books", "title");

    // A fourth revision: the data fix, then a statement that fails.
    ScratchDir scratch;
    fs::path dir = scratch.path() / "migrations";
    fs::copy(bookstore_migrations(), dir);
    std::ofstream(dir / "0badc0ffee00_shout.toml") << fmt::format(R"toml(revision = "0badc0ffee00"
down_revision = "{}"
message = "shout"
downgrade = []

[[upgrade]]
op = "call"
function = "shout_titles"

[[upgrade]]
op = "sql"
sql = "INSERT INTO no_such_table (x) VALUES (1)"
)toml",
                                                                                   head);
    CHECK(run_cli(app, db.url(), {"upgrade", "head"}, dir.string()) == 3);

    strata::Runner runner(strata::create_engine(db.url()), strata::RevisionGraph(strata::load_revisions(dir.string())));
    strata::DatabaseStatus status = runner.status();
    if (db.dialect().capabilities().transactional_ddl) {
        // The whole revision rolled back: the ORM's changes with it, and no version row.
        CHECK(column_values(db.connection(), "books", "title") == titles);
        CHECK(status.current_heads == std::vector<std::string>{head});
        CHECK(status.incomplete().empty());
        CHECK(status.pending == std::vector<std::string>{"0badc0ffee00"});
    } else {
        // DDL commits itself: the data fix ran and committed; the revision is recorded as
        // partially applied (the failing statement shown by `current`), never as applied.
        auto shouted = titles;
        for (auto& t : shouted)
            std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::toupper(c); });
        CHECK(column_values(db.connection(), "books", "title") == shouted);
        REQUIRE(status.incomplete().size() == 1);
        CHECK(status.incomplete().front()->revision == "0badc0ffee00");
    }
    CHECK_FALSE(status.at_head());
}

TEST_CASE("bookstore: a revision calling a function the program lacks is refused before it runs") {
    strata::testing::TestDatabase db;
    strata::cli::App app = bookstore::make_app();
    app.functions.clear();
    CHECK(run_cli(app, db.url(), {"upgrade", "head"}) == 2);
    strata::Runner runner(strata::create_engine(db.url()),
                          strata::RevisionGraph(strata::load_revisions(bookstore_migrations())));
    CHECK(runner.status().rows.empty());  // nothing applied, not even the first revision
}
