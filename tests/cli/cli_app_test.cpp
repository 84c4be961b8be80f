// A user's program built on strata::cli::run (tests/cli/cli_test_app.cpp: authors and
// books, seeds, a data fix), run as a built binary on every database: the commands
// that need models, seeds and `op = "call"` steps.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>

#include "cli_support.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

const std::map<std::string, std::string> models_v2 = {{"STRATA_TEST_APP_MODELS", "2"}};

std::int64_t count(const std::string& url, const std::string& table) {
    return std::get<std::int64_t>(query_value(url, "SELECT COUNT(*) FROM " + table));
}

}  // namespace

TEST_CASE("user program: revision --autogenerate from the models - nothing to change writes none - check 0/1") {
    Project p;
    auto r = p.app({"revision", "-m", "authors and books", "--autogenerate"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto files = toml_files(p.migrations);  // the folder did not exist: revision made it
    REQUIRE(files.size() == 1);
    std::string text = read_text(files[0]);
    CHECK(contains(text, "name = \"authors\""));
    CHECK(contains(text, "name = \"books\""));

    r = p.app({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);  // pending
    REQUIRE(p.app({"upgrade"}).exit_code == 0);
    CHECK(table_names(p.db.url()) == std::set<std::string>{"authors", "books"});

    r = p.app({"revision", "-m", "nothing", "--autogenerate"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "No changes detected; no revision written."));
    CHECK(toml_files(p.migrations).size() == 1);
    r = p.app({"--format", "json", "revision", "-m", "nothing", "--autogenerate"});
    CHECK(r.exit_code == 0);
    CHECK(r.json()["written"] == false);

    r = p.app({"--format", "json", "check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(r.json()["models_compared"] == true);
    CHECK(r.json()["passed"] == true);

    // The models change (books.isbn): check reports the difference, --fresh the
    // forgotten revision.
    r = p.app({"check"}, models_v2);
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "isbn"));
    r = p.app({"--format", "json", "check"}, models_v2);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    REQUIRE(doc["differences"].size() == 1);
    CHECK(doc["differences"][0]["op"] == "add_column");
    r = p.app({"check", "--fresh"}, models_v2);
    INFO(r.transcript);
    CHECK(r.exit_code == 1);

    r = p.app({"revision", "-m", "isbn", "--autogenerate"}, models_v2);
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    REQUIRE(toml_files(p.migrations).size() == 2);
    CHECK(p.app({"check", "--fresh"}, models_v2).exit_code == 0);
    CHECK(p.app({"check"}, models_v2).exit_code == 1);  // not applied yet
    REQUIRE(p.app({"upgrade"}, models_v2).exit_code == 0);
    CHECK(p.app({"check"}, models_v2).exit_code == 0);
    CHECK(column_names(p.db.url(), "books").count("isbn") == 1);
    // The generic binary checks files and database only.
    CHECK(p.strata({"check"}).exit_code == 0);
}

TEST_CASE("user program: diff between the models and a database") {
    Project p;
    REQUIRE(p.app({"revision", "-m", "init", "--autogenerate"}).exit_code == 0);
    REQUIRE(p.app({"upgrade"}).exit_code == 0);
    CHECK(p.app({"diff", p.db.url(), "models"}).exit_code == 0);
    CHECK(p.app({"diff", "models", p.db.url()}).exit_code == 0);
    auto r = p.app({"diff", p.db.url(), "models"}, models_v2);
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "add column books.isbn"));
    r = p.app({"diff", "models", p.db.url()}, models_v2);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "drop column books.isbn"));
    r = p.app({"diff", p.db.url(), "models", "--sql"}, models_v2);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "isbn"));
    CHECK(p.app({"diff", "models", "models"}).exit_code == 2);
}

TEST_CASE("user program: seeds, each in its own transaction - --env - unknown and failing seeds") {
    Project p;
    REQUIRE(p.app({"revision", "-m", "init", "--autogenerate"}).exit_code == 0);
    REQUIRE(p.app({"upgrade"}).exit_code == 0);

    auto r = p.app({"seed", "--list"});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "demo_books"));

    r = p.app({"seed"});  // no --env: the seeds tied to no environment
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(count(p.db.url(), "authors") == 2);
    CHECK(count(p.db.url(), "books") == 0);

    r = p.app({"--format", "json", "seed", "--env", "development"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(r.json()["seeds"].size() == 2);
    CHECK(count(p.db.url(), "authors") == 5);
    CHECK(count(p.db.url(), "books") == 1);

    CHECK(p.app({"seed", "no_such_seed"}).exit_code == 2);
    CHECK(p.app({"seed", "demo_books", "--env", "production"}).exit_code == 2);

    // A failing seed is rolled back; the ones before it stay committed.
    r = p.app({"seed", "authors", "broken"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "seed 'broken' failed and was rolled back"));
    CHECK(count(p.db.url(), "authors") == 7);
    CHECK(query_value(p.db.url(), "SELECT COUNT(*) FROM authors WHERE name = 'Never committed'") ==
          Value(std::int64_t{0}));

    CHECK(p.strata({"seed"}).exit_code == 2);  // the generic binary has no seeds
}

TEST_CASE("user program: op = \"call\" runs its data fix, the generic binary refuses before running anything") {
    Project p;
    REQUIRE(p.app({"revision", "-m", "init", "--autogenerate"}).exit_code == 0);
    std::string first = std::filesystem::path(toml_files(p.migrations)[0]).filename().string().substr(0, 12);
    REQUIRE(p.app({"upgrade"}).exit_code == 0);
    REQUIRE(p.app({"seed", "authors"}).exit_code == 0);
    write_revision_file(p.migrations, "fix_names", {first}, data_fix_step());
    auto r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "uppercase_authors"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{first});
    CHECK(p.app({"upgrade", "--sql"}).exit_code == 2);  // a script cannot run C++

    r = p.app({"upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{first, "fix_names"});
    CHECK(query_value(p.db.url(), "SELECT COUNT(*) FROM authors WHERE name = 'URSULA'") == Value(std::int64_t{1}));
}
