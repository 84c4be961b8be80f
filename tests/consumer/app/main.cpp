// A user's program against an installed strata: one model, create_all on SQLite, a few
// rows through a Session, a query. Prints what it read; exit 0 on success.
//
//   consumer sqlite:////tmp/x.db
//   consumer cli ARGS...          the strata command line with this program's models
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "cmd/cli.hpp"
#include "orm/orm.hpp"

struct Note {
    std::int64_t id = 0;
    std::string title;
    std::optional<std::string> body;
};

int main(int argc, char** argv) {
    strata::table<Note>("notes")
        .column("id", &Note::id, strata::primary_key)
        .column("title", &Note::title, strata::type(strata::types::string(80)), strata::unique)
        .column("body", &Note::body, strata::type(strata::types::text()));

    if (argc >= 2 && std::string(argv[1]) == "cli") {
        strata::cli::App app;
        app.name = "consumer";
        app.registry = &strata::models();
        return strata::cli::run(argc - 1, argv + 1, app);
    }
    if (argc != 2) {
        std::cerr << "usage: consumer DATABASE_URL | consumer cli ARGS...\n";
        return 2;
    }
    try {
        auto engine = strata::create_engine(argv[1]);
        strata::models().create_all(engine);
        strata::Session session(engine);
        session.add_all({Note{.title = "first", .body = "hello"}, Note{.title = "second"}});
        session.commit();
        for (const auto& note : session.query<Note>().order_by(&Note::title).all())
            std::cout << note->id << " " << note->title << " " << note->body.value_or("(none)") << "\n";
        std::cout << "notes: " << session.query<Note>().count() << "\n";
        return 0;
    } catch (const strata::Error& e) {
        std::cerr << "consumer: " << e.what() << "\n";
        return 1;
    }
}
