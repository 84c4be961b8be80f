// Seeds on every database: idempotent (get_or_create / upsert by natural key), limited
// to their environments, each in its own transaction (a failure is rolled back and not
// recorded), and the strata_seed_runs log.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <regex>
#include <stdexcept>

#include "app.hpp"
#include "bookstore_support.hpp"
#include "cli_runner.hpp"
#include "models.hpp"
#include "orm/orm.hpp"
#include "orm/seed.hpp"
#include "orm/seed_run.hpp"
#include "support/test_database.hpp"

using namespace bookstore_test;
using bookstore::Author;
using bookstore::Book;
using bookstore::Review;
using bookstore::Tag;

namespace {

std::vector<std::pair<std::string, std::string>> runs_of(strata::Connection& conn) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const strata::SeedRun& r : strata::read_seed_runs(conn)) out.emplace_back(r.seed, r.environment);
    return out;
}

// The bookstore's App with two more seeds that fail after writing rows.
strata::cli::App app_with_failing_seeds() {
    strata::cli::App app = bookstore::make_app();
    app.seeds["broken"] = {[](strata::Session& s) {
                               s.add(Tag{.name = "broken-tag"});
                               s.add(Author{.name = "Nobody", .country = "XX"});
                               s.flush();
                               throw std::runtime_error("the broken seed gives up");
                           },
                           {},
                           "fails after writing"};
    app.seeds["duplicate"] = {[](strata::Session& s) {
                                  s.add(Tag{.name = "duplicate-tag"});
                                  s.add(Author{.name = "Isaac Asimov"});  // violates uq_authors_name
                              },
                              {},
                              "violates a unique constraint at commit"};
    return app;
}

}  // namespace

TEST_CASE("bookstore: running the seeds twice leaves the same rows") {
    strata::testing::TestDatabase db;
    strata::cli::App app = bookstore::make_app();
    REQUIRE(run_cli(app, db.url(), {"upgrade", "head"}) == 0);

    REQUIRE(run_cli(app, db.url(), {"seed", "--env", "dev"}) == 0);
    auto once = catalog_snapshot(db.connection());
    CHECK(once[0].size() == 4);   // authors
    CHECK(once[1].size() == 6);   // books
    CHECK(once[2].size() == 4);   // tags
    CHECK(once[3].size() == 10);  // book_tags
    CHECK(once[4].size() == 6);   // reviews

    REQUIRE(run_cli(app, db.url(), {"seed", "--env", "dev"}) == 0);
    CHECK(catalog_snapshot(db.connection()) == once);

    // Every run is logged, in its environment.
    using Run = std::pair<std::string, std::string>;
    CHECK(runs_of(db.connection()) ==
          std::vector<Run>{{"catalog", "dev"}, {"demo_reviews", "dev"}, {"catalog", "dev"}, {"demo_reviews", "dev"}});

    // upsert puts changed columns back and get_or_create re-links a removed tag; ids stay.
    const strata::Dialect& d = db.dialect();
    db.connection().execute(fmt::format("UPDATE {} SET {} = 1 WHERE {} = {}", d.quote("books"), d.quote("price_cents"),
                                        d.quote("slug"), d.placeholder(1)),
                            {strata::Value(std::string("solaris"))});
    db.connection().execute(fmt::format("DELETE FROM {}", d.quote("book_tags")));
    REQUIRE(run_cli(app, db.url(), {"seed", "catalog"}) == 0);
    CHECK(catalog_snapshot(db.connection()) == once);
    CHECK(runs_of(db.connection()).back() == Run{"catalog", ""});
}

TEST_CASE("bookstore: seeds run only in their environments") {
    strata::testing::TestDatabase db;
    strata::cli::App app = bookstore::make_app();
    REQUIRE(run_cli(app, db.url(), {"upgrade", "head"}) == 0);

    // prod: only the seeds of every environment; the dev seed never runs.
    REQUIRE(run_cli(app, db.url(), {"seed", "--env", "prod"}) == 0);
    CHECK(count_rows(db.connection(), "books") == 6);
    CHECK(count_rows(db.connection(), "reviews") == 0);
    // Naming a dev seed with --env prod is refused before anything runs.
    CHECK(run_cli(app, db.url(), {"seed", "demo_reviews", "--env", "prod"}) == 2);
    CHECK(count_rows(db.connection(), "reviews") == 0);
    // Without --env: the seeds tied to no environment.
    REQUIRE(run_cli(app, db.url(), {"seed"}) == 0);
    CHECK(count_rows(db.connection(), "reviews") == 0);
    // An unknown seed is a usage error.
    CHECK(run_cli(app, db.url(), {"seed", "no_such_seed"}) == 2);

    using Run = std::pair<std::string, std::string>;
    CHECK(runs_of(db.connection()) == std::vector<Run>{{"catalog", "prod"}, {"catalog", ""}});

    REQUIRE(run_cli(app, db.url(), {"seed", "--env", "dev"}) == 0);
    CHECK(count_rows(db.connection(), "reviews") == 6);
}

TEST_CASE("bookstore: a failing seed is rolled back and not recorded") {
    strata::testing::TestDatabase db;
    strata::cli::App app = app_with_failing_seeds();
    REQUIRE(run_cli(app, db.url(), {"upgrade", "head"}) == 0);

    // The seeds run in the order given; the first commits, the second fails alone.
    CHECK(run_cli(app, db.url(), {"seed", "catalog", "broken"}) == 3);
    CHECK(count_rows(db.connection(), "books") == 6);
    CHECK(count_rows(db.connection(), "tags") == 4);
    CHECK(count_rows(db.connection(), "authors") == 4);

    // A constraint violation found at the seed's commit rolls back its other rows too.
    CHECK(run_cli(app, db.url(), {"seed", "duplicate"}) == 3);
    CHECK(count_rows(db.connection(), "tags") == 4);

    using Run = std::pair<std::string, std::string>;
    CHECK(runs_of(db.connection()) == std::vector<Run>{{"catalog", ""}});
}

TEST_CASE("bookstore: get_or_create and upsert find rows by their natural key") {
    strata::testing::TestDatabase db;
    bookstore::registry().create_all(db.engine());
    strata::Session session(db.engine(), bookstore::registry());

    auto tag = strata::get_or_create(session, Tag{.name = "classic"}, &Tag::name);
    CHECK(tag.created);
    CHECK(tag->id != 0);  // flushed: the generated key is there for foreign keys
    auto again = strata::get_or_create(session, Tag{.name = "classic"}, &Tag::name);
    CHECK_FALSE(again.created);
    CHECK(again.object == tag.object);  // the identity map's object

    auto lem = strata::upsert(session, Author{.name = "Stanislaw Lem", .country = "PL"}, &Author::name);
    CHECK(lem.created);
    session.commit();

    // A new session finds the committed rows; upsert updates only what changed.
    strata::Session other(db.engine(), bookstore::registry());
    auto same = strata::upsert(other, Author{.name = "Stanislaw Lem", .country = "PL"}, &Author::name);
    CHECK_FALSE(same.created);
    CHECK_FALSE(same.updated);
    CHECK(same->id == lem->id);
    auto before = db.engine().stats().statements;
    other.flush();
    CHECK(db.engine().stats().statements == before);  // nothing changed: no statement

    auto moved = strata::upsert(other, Author{.name = "Stanislaw Lem", .country = "DE"}, &Author::name);
    CHECK(moved.updated);
    CHECK(moved.object == same.object);
    other.commit();
    strata::ResultSet r = db.connection().query(fmt::format("SELECT {} FROM {}", db.dialect().quote("country"),
                                                            db.dialect().quote("authors")));
    REQUIRE(r.rows.size() == 1);
    CHECK(plain(r.rows[0][0]) == "DE");

    // A nullopt key member matches IS NULL.
    auto anonymous = strata::get_or_create(other, Author{.name = "Anonymous"}, &Author::country);
    CHECK(anonymous.created);
    auto found = strata::get_or_create(other, Author{.name = "Someone else"}, &Author::country);
    CHECK_FALSE(found.created);
    CHECK(found->name == "Anonymous");

    // A key that is not unique is an error, not a guess.
    auto book = strata::get_or_create(
        other, Book{.title = "Solaris", .author_id = lem->id, .price_cents = 1, .slug = "solaris"}, &Book::slug);
    other.add(Review{.book_id = book->id, .reviewer = "maria", .rating = 5});
    other.add(Review{.book_id = book->id, .reviewer = "tom", .rating = 5});
    other.commit();
    Review by_rating{.rating = 5};
    CHECK_THROWS_MATCHES(strata::get_or_create(other, by_rating, &Review::rating), strata::Error,
                         Catch::Predicate<strata::Error>(
                             [](const strata::Error& e) { return e.kind() == strata::ErrorKind::multiple_results; }));
}

TEST_CASE("bookstore: the strata_seed_runs log") {
    strata::testing::TestDatabase db;
    strata::Connection& conn = db.connection();
    CHECK(strata::read_seed_runs(conn).empty());  // no table yet: no runs
    strata::ensure_seed_runs_table(conn);
    strata::ensure_seed_runs_table(conn);  // idempotent
    CHECK(strata::read_seed_runs(conn).empty());

    strata::SeedRun a{"catalog", "", "2026-11-26T05:00:00.000Z", 12};
    strata::SeedRun b{"catalog", "dev", "2026-11-26T06:00:00.000Z", 7};
    strata::SeedRun c{"reviews", "dev", "2026-11-26T06:00:01.000Z", 3};
    conn.begin();
    strata::record_seed_run(conn, a);
    strata::record_seed_run(conn, b);
    conn.rollback();  // a rolled back run leaves no row
    CHECK(strata::read_seed_runs(conn).empty());
    strata::record_seed_run(conn, a);
    strata::record_seed_run(conn, b);
    strata::record_seed_run(conn, c);
    CHECK(strata::read_seed_runs(conn) == std::vector<strata::SeedRun>{a, b, c});
    auto last = strata::last_seed_runs(conn);
    REQUIRE(last.size() == 2);
    CHECK(last.at("catalog") == b);

    // Creating or reading inside a transaction is refused (DDL commits it on MySQL).
    conn.begin();
    CHECK_THROWS_AS(strata::ensure_seed_runs_table(conn), strata::Error);
    conn.rollback();

    std::string now = strata::format_seed_time(std::chrono::system_clock::now());
    CHECK(std::regex_match(now, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(strata::format_seed_time(std::chrono::system_clock::time_point(std::chrono::milliseconds(1234))) ==
          "1970-01-01T00:00:01.234Z");
}

TEST_CASE("bookstore: seed --list shows each seed's last run") {
    strata::testing::TestDatabase db;
    strata::cli::App app = bookstore::make_app();
    REQUIRE(run_cli(app, db.url(), {"upgrade", "head"}) == 0);
    REQUIRE(run_cli(app, db.url(), {"seed", "--env", "dev"}) == 0);
    auto runs = strata::read_seed_runs(db.connection());
    REQUIRE(runs.size() == 2);
    ProgramResult r = run_program(bookstore_binary(), {"--url", db.url(), "--format", "json", "seed", "--list"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"last_run\"") != std::string::npos);
    CHECK(r.out.find(runs[1].ran_at) != std::string::npos);
    r = run_program(bookstore_binary(), {"--url", db.url(), "seed", "--list"});
    CHECK(r.out.find("demo_reviews  (dev)  sample reviews (needs catalog)  [last run " + runs[1].ran_at +
                     " --env dev]") != std::string::npos);
}
