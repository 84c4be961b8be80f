// The bookstore demo story (scripts/demo.sh) run with the built programs on every
// database: upgrade head, seed, report, check, autogenerate for a changed model, the
// data fix at work, downgrade base and upgrade head again.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "bookstore_support.hpp"
#include "support/test_database.hpp"

using namespace bookstore_test;
namespace fs = std::filesystem;

namespace {

// bookstore --url URL --dir MIGRATIONS ARGS...
ProgramResult bookstore(const std::string& url, const std::vector<std::string>& args,
                        const std::string& dir = bookstore_migrations(), const std::string& program = bookstore_binary()) {
    std::vector<std::string> all = {"--url", url, "--dir", dir};
    all.insert(all.end(), args.begin(), args.end());
    return run_program(program, all);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("bookstore: the demo story runs end to end") {
    strata::testing::TestDatabase db;
    const std::string url = db.url();

    ProgramResult r = bookstore(url, {"upgrade", "head"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "Applied 3 revision(s)"));
    CHECK(contains(r.out, "8453412e3aeb"));

    r = bookstore(url, {"seed", "--env", "dev"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "Ran 2 seed(s)."));
    CHECK(count_rows(db.connection(), "books") == 6);
    CHECK(count_rows(db.connection(), "reviews") == 6);
    CHECK(count_rows(db.connection(), "book_tags") == 10);

    r = run_program(bookstore_binary(), {"report", "--url", url});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "  Ursula K. Le Guin (US)\n    - A Wizard of Earthsea (1968), $10.99\n"
                          "    - The Left Hand of Darkness (1969), $12.99\n"));
    CHECK(contains(r.out, "Tagged science-fiction (many-to-many through book_tags):\n  - Foundation\n  - I, Robot\n"
                          "  - Solaris\n  - The Left Hand of Darkness\n"));
    CHECK(contains(r.out, "  1934  Murder on the Orient Express by Agatha Christie\n"));
    CHECK(contains(r.out, "  4.50  A Wizard of Earthsea (2 reviews)\n  4.50  Solaris (2 reviews)\n"
                          "  4.00  Foundation (1 review)\n  3.00  Murder on the Orient Express (1 review)\n"));
    CHECK(contains(r.out, "Catalog: 6 books, 4 authors, 4 tags, one copy of each: $62.94\n"));

    r = bookstore(url, {"check"});
    INFO(r.text());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "check passed"));

    // A changed model: bookstore-next maps one more column. Autogenerate writes the
    // revision into a copy of the migrations folder; check reports the difference.
    ScratchDir scratch;
    fs::path copy = scratch.path() / "migrations";
    fs::copy(bookstore_migrations(), copy);
    r = bookstore(url, {"check"}, bookstore_migrations(), bookstore_next_binary());
    INFO(r.text());
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "add column books.isbn string(17) NULL"));
    r = bookstore(url, {"revision", "--autogenerate", "-m", "add isbn to books"}, copy.string(),
                  bookstore_next_binary());
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    std::string written = read_file_containing(copy, "_add_isbn_to_books.toml");
    CHECK(contains(written, "down_revision = \"8453412e3aeb\"\n"));
    CHECK(contains(written, "[[upgrade]]\nop = \"add_column\"\ntable = \"books\"\n"
                            "column = { name = \"isbn\", type = \"string\", length = 17, nullable = true }\n"));
    CHECK(contains(written, "[[downgrade]]\nop = \"drop_column\"\ntable = \"books\"\n"));
    CHECK(std::distance(fs::directory_iterator(bookstore_migrations()), fs::directory_iterator()) == 3);

    // The data fix at work: reverting the slug revision drops the column (destructive:
    // refused without consent), upgrading again recomputes every slug through the ORM.
    auto before = catalog_snapshot(db.connection());
    r = bookstore(url, {"downgrade", "-1"});
    INFO(r.text());
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, "drop column books.slug"));
    r = bookstore(url, {"downgrade", "-1", "--allow-destructive"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    r = bookstore(url, {"upgrade", "head"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(catalog_snapshot(db.connection()) == before);

    r = bookstore(url, {"downgrade", "base", "--allow-destructive"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "Reverted 3 revision(s)"));
    r = bookstore(url, {"upgrade", "head"});
    INFO(r.text());
    REQUIRE(r.exit_code == 0);
    CHECK(count_rows(db.connection(), "books") == 0);
    r = bookstore(url, {"check"});
    INFO(r.text());
    CHECK(r.exit_code == 0);
}

TEST_CASE("bookstore: check --fresh builds the schema from the revisions alone") {
    strata::testing::TestDatabase db;
    ProgramResult r = bookstore(db.url(), {"check", "--fresh"});
    INFO(r.text());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "the models match the schema the revisions build"));
    // The changed model is caught without any database at head.
    r = bookstore(db.url(), {"check", "--fresh"}, bookstore_migrations(), bookstore_next_binary());
    INFO(r.text());
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "books.isbn"));
}

TEST_CASE("bookstore: report needs a database at head") {
    strata::testing::TestDatabase db;
    ProgramResult r = run_program(bookstore_binary(), {"report", "--url", db.url()});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "bookstore report:"));
    r = run_program(bookstore_binary(), {"report", "--url", "nosuchdb://x"});
    CHECK(r.exit_code == 2);
}
