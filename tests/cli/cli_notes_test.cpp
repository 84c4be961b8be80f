// Objects strata does not model (a trigger made by raw SQL, with its function on
// PostgreSQL) are named by diff, check and revision --autogenerate on every database:
// warnings on stderr, JSON `notes` and `unmodelled`, comments in the revision file and the
// --sql script, and `check --strict` fails on them with exit 1. A view made by raw SQL is
// modelled: reproduced, and a difference from models that lack it.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "cli_support.hpp"
#include "differ/schema_builder.hpp"
#include "orm/create_all.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

// users(id integer primary key, name string(100)).
Metadata users_schema() {
    return strata::testing::schema(
        {strata::testing::TableBuilder("users").id().col("name", types::string(100)).build()});
}

// A view `<table>_view` on `table`, which has a `name` column.
void add_view(Connection& conn, const std::string& table) {
    conn.execute_unprepared(fmt::format("CREATE VIEW {0}_view AS SELECT name FROM {0}", table));
}

// A trigger `<table>_audit` on `table`, which has a `name` column; on PostgreSQL also the
// trigger's function `<table>_audit_fn()`.
void add_trigger(Connection& conn, const std::string& table) {
    const std::string d = strata::testing::dialect();
    if (d == "sqlite") {
        conn.execute_unprepared(fmt::format("CREATE TRIGGER {0}_audit AFTER INSERT ON {0} BEGIN SELECT 1; END", table));
    } else if (d == "postgres") {
        conn.execute_unprepared(fmt::format(
            "CREATE FUNCTION {0}_audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", table));
        conn.execute_unprepared(fmt::format(
            "CREATE TRIGGER {0}_audit BEFORE INSERT ON {0} FOR EACH ROW EXECUTE FUNCTION {0}_audit_fn()", table));
    } else {
        conn.execute_unprepared(
            fmt::format("CREATE TRIGGER {0}_audit BEFORE INSERT ON {0} FOR EACH ROW SET NEW.name = NEW.name", table));
    }
}

// What the notes of a database with add_trigger(table) hold.
std::size_t expected_notes() { return strata::testing::dialect() == "postgres" ? 2 : 1; }

std::string trigger_note(const std::string& table) {
    return fmt::format("not modelled: trigger {0}_audit on {0} (", table);
}
constexpr const char* reason = ") - not compared, not reproduced";

}  // namespace

TEST_CASE("notes: diff and revision --autogenerate name what is not modelled (text, JSON, file, --sql)") {
    TestDatabase source;
    create_all(users_schema(), source.engine());
    add_trigger(source.connection(), "users");
    TestDatabase copy;
    create_all(users_schema(), copy.engine());

    // The modelled tables are equal: no difference, exit 0, but the notes are said.
    auto r = run_process(strata_binary(), {"diff", source.url(), copy.url()});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "No differences"));
    CHECK(contains(r.err, "warning: " + trigger_note("users")));
    CHECK(contains(r.err, reason));

    r = run_process(strata_binary(), {"--format", "json", "diff", source.url(), copy.url()});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    auto doc = r.json();
    REQUIRE(doc["notes"].size() == expected_notes());
    REQUIRE(doc["unmodelled"].size() == expected_notes());
    bool saw_trigger = false;
    for (const auto& u : doc["unmodelled"]) {
        CHECK(u["note"].get<std::string>().starts_with("not modelled: "));
        if (u["kind"] != "trigger") continue;
        saw_trigger = true;
        CHECK(u["name"] == "users_audit");
        CHECK(u["table"] == "users");
        CHECK(u["reason"] == "not compared, not reproduced");
    }
    CHECK(saw_trigger);

    // A script that builds the copy ends with what it lacks; the view it builds.
    add_view(source.connection(), "users");
    TestDatabase empty;
    r = run_process(strata_binary(), {"diff", empty.url(), source.url(), "--sql"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "-- " + trigger_note("users")));
    CHECK(contains(r.out, "-- 2. create view users_view"));
    CHECK_FALSE(contains(r.out, "not modelled: view"));

    // Autogenerate against the source: the file says what the copy will lack.
    Project p;
    r = p.strata({"revision", "-m", "copy users", "--autogenerate", "--against", source.url()});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "warning: " + trigger_note("users")));
    auto files = toml_files(p.migrations);
    REQUIRE(files.size() == 1);
    std::string text = read_text(files[0]);
    INFO(text);
    CHECK(contains(text, "\n# " + trigger_note("users")));
    CHECK(contains(text, "name = \"users\""));
    CHECK(contains(text, "op = \"create_view\"\nname = \"users_view\""));
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    CHECK(table_names(p.db.url()) == std::set<std::string>{"users"});  // the trigger was not reproduced
    CHECK(reflect(p.db.engine()).find_view("users_view") != nullptr);   // the view was
    r = p.strata({"--format", "json", "revision", "-m", "nothing", "--autogenerate", "--against", source.url()});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(r.json()["written"] == false);
    CHECK(r.json()["notes"].size() == expected_notes());
}

TEST_CASE("notes: check warns, check --strict fails with exit 1 - with models and without") {
    Project p;
    REQUIRE(p.app({"revision", "-m", "init", "--autogenerate"}).exit_code == 0);
    REQUIRE(p.app({"upgrade"}).exit_code == 0);
    CHECK(p.app({"check", "--strict"}).exit_code == 0);  // nothing unmodelled yet
    CHECK(p.strata({"check", "--strict"}).exit_code == 0);

    add_trigger(p.db.connection(), "authors");
    auto r = p.app({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "ok   models: the models match the database"));
    CHECK(contains(r.err, "warning: " + trigger_note("authors")));
    CHECK(contains(r.out, "ok   notes: "));

    r = p.app({"check", "--strict"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "FAIL notes: "));
    CHECK(contains(r.out, "       " + trigger_note("authors")));
    CHECK(contains(r.out, "check FAILED"));

    r = p.app({"--format", "json", "check", "--strict"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    CHECK(doc["passed"] == false);
    CHECK(doc["differences"].empty());
    CHECK(doc["notes"].size() == expected_notes());
    bool failed_notes = false;
    for (const auto& c : doc["checks"])
        if (c["name"] == "notes") failed_notes = c["ok"] == false && c["details"].size() == expected_notes();
    CHECK(failed_notes);

    // The generic binary has no models, but still names what it does not model.
    r = p.strata({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "warning: " + trigger_note("authors")));
    r = p.strata({"check", "--strict"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);

    // diff against the models: the tables match, the notes are said.
    r = p.app({"diff", p.db.url(), "models"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "warning: " + trigger_note("authors")));
    // Autogenerate from the models: nothing to change, no file, the notes are said.
    r = p.app({"revision", "-m", "nothing", "--autogenerate"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "No changes detected"));
    CHECK(contains(r.err, "warning: " + trigger_note("authors")));

    // A view made by hand is modelled: the models, which lack it, differ from the database.
    add_view(p.db.connection(), "authors");
    r = p.app({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "drop view authors_view"));
}
