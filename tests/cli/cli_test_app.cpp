// A user's own strata program, as the README shows: models, seeds and a data fix,
// then strata::cli::run. The CLI tests run it as a built binary.
//
// STRATA_TEST_APP_MODELS=2 declares a second version of the models (books.isbn
// added), standing for the program after a model change.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "cmd/cli.hpp"
#include "orm/orm.hpp"

namespace {

struct Author {
    std::int64_t id = 0;
    std::string name;
};

struct Book {
    std::int64_t id = 0;
    std::string title;
    std::int64_t author_id = 0;
    std::optional<std::string> isbn;
};

void declare_models(bool second_version) {
    using namespace strata;
    table<Author>("authors")
        .column("id", &Author::id, primary_key)
        .column("name", &Author::name, type(types::string(100)));
    auto books = table<Book>("books");
    books.column("id", &Book::id, primary_key)
        .column("title", &Book::title, type(types::string(200)))
        .column("author_id", &Book::author_id, foreign_key("authors.id"), indexed);
    if (second_version) books.column("isbn", &Book::isbn, type(types::string(20)));
}

}  // namespace

int main(int argc, char** argv) {
    const char* version = std::getenv("STRATA_TEST_APP_MODELS");
    declare_models(version && std::string(version) == "2");

    strata::cli::App app;
    app.name = "strata-test-app";
    app.metadata = &strata::models().metadata();
    app.seeds["authors"] = {[](strata::Session& s) {
                                s.add(Author{.name = "Ursula"});
                                s.add(Author{.name = "Iain"});
                            },
                            {},
                            "two authors"};
    app.seeds["demo_books"] = {[](strata::Session& s) {
                                   auto a = s.add(Author{.name = "Demo"});
                                   s.flush();
                                   s.add(Book{.title = "Demo book", .author_id = a->id});
                               },
                               {"development"},
                               "an author with a book"};
    app.seeds["broken"] = {[](strata::Session& s) {
                               s.add(Author{.name = "Never committed"});
                               s.flush();
                               throw std::runtime_error("the broken seed fails on purpose");
                           },
                           {"broken"},
                           "adds a row, then fails"};
    app.functions["uppercase_authors"] = [](strata::Session& s) {
        for (auto& author : s.query<Author>().all())
            for (char& c : author->name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    };
    return strata::cli::run(argc, argv, app);
}
