// The generic `strata` binary, run as a user would on every database (design.md §5):
// the workflow from init to downgrade and back, hand-written revisions, `--sql`
// scripts equal to what runs, every exit code reached by a realistic case, and the
// JSON output.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli_support.hpp"
#include "core/error.hpp"
#include "dialects/migration_lock.hpp"
#include "orm/create_all.hpp"

using namespace strata;
using namespace strata::testing;
namespace fs = std::filesystem;

namespace {

// users(id, name, email) and posts(id, user_id -> users.id, title): the target schema
// of the autogenerate test, created in a second database.
Metadata blog_schema() {
    Metadata md;
    Table users;
    users.name = "users";
    users.columns = {Column{.name = "id", .type = types::integer(), .nullable = false, .autoincrement = true},
                     Column{.name = "name", .type = types::string(100), .nullable = false},
                     Column{.name = "email", .type = types::string(255)}};
    users.primary_key.columns = {"id"};
    md.add(users);
    Table posts;
    posts.name = "posts";
    posts.columns = {Column{.name = "id", .type = types::integer(), .nullable = false, .autoincrement = true},
                     Column{.name = "user_id", .type = types::integer(), .nullable = false},
                     Column{.name = "title", .type = types::text()}};
    posts.primary_key.columns = {"id"};
    posts.indexes = {Index{.columns = {"user_id"}}};
    posts.foreign_keys = {ForeignKey{.columns = {"user_id"}, .ref_table = "users", .ref_columns = {"id"}}};
    md.add(posts);
    return md;
}

// The statements of a script's steps: the lines after each "-- N. description" header
// up to the blank line that ends the step, joined until a line ends with ';'.
std::vector<std::string> step_statements(const std::string& script) {
    std::vector<std::string> statements;
    std::istringstream in(script);
    std::string line, current;
    bool in_step = false;
    while (std::getline(in, line)) {
        if (line.rfind("-- ", 0) == 0 && line.size() > 4 && std::isdigit(static_cast<unsigned char>(line[3]))) {
            in_step = true;
            continue;
        }
        if (line.empty()) {
            in_step = false;
            continue;
        }
        if (!in_step || line.rfind("--", 0) == 0) continue;
        current += current.empty() ? line : "\n" + line;
        if (!current.empty() && current.back() == ';') {
            current.pop_back();
            statements.push_back(current);
            current.clear();
        }
    }
    return statements;
}

// Holds the migration lock of the database at `url` from this process.
class LockHolder {
public:
    explicit LockHolder(const std::string& url) : engine_(create_engine(url)) {
        lock_ = engine_.dialect().acquire_migration_lock(engine_.connection(), std::chrono::milliseconds(0));
        // SQLite's lock is its write lock, held by an open write transaction.
        if (lock_->per_transaction()) engine_.connection().begin();
    }
    ~LockHolder() { release(); }
    void release() {
        if (engine_.connection().in_transaction()) engine_.connection().rollback();
        if (lock_) lock_->release();
        lock_.reset();
    }

private:
    Engine engine_;
    std::unique_ptr<MigrationLock> lock_;
};

}  // namespace

TEST_CASE("init, revision --autogenerate --against, upgrade, current, downgrade base, upgrade +1") {
    TestDatabase db;
    TestDatabase target;
    create_all(blog_schema(), target.engine());
    TempDir dir;

    // init writes strata.toml with the URL; later commands need no --url / --dir.
    auto r = run_process(strata_binary(), {"--url", db.url(), "init"}, dir.path());
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    REQUIRE(fs::is_regular_file(dir / "strata.toml"));
    REQUIRE(fs::is_directory(dir / "migrations"));
    CHECK(contains(read_text(dir / "strata.toml"), db.url()));
    r = run_process(strata_binary(), {"init"}, dir.path());
    CHECK(r.exit_code == 2);  // strata.toml exists already

    auto strata = [&](std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
        return run_process(strata_binary(), args, dir.path(), env);
    };
    r = strata({"revision", "-m", "create users and posts", "--autogenerate", "--against", target.url()});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto files = toml_files(dir / "migrations");
    REQUIRE(files.size() == 1);
    std::string text = read_text(files[0]);
    CHECK(contains(text, "op = \"create_table\""));
    CHECK(contains(text, "[[downgrade]]"));
    CHECK(contains(r.out, "Generated"));

    // The database is behind its files: a second autogenerate would repeat the first.
    r = strata({"revision", "-m", "again", "--autogenerate", "--against", target.url()});
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, "strata upgrade"));
    CHECK(toml_files(dir / "migrations").size() == 1);

    r = strata({"upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "Applied 1 revision"));
    CHECK(table_names(db.url()) == std::set<std::string>{"posts", "users"});
    CHECK(strata({"diff", db.url(), target.url()}).exit_code == 0);
    CHECK(strata({"upgrade"}).exit_code == 0);  // nothing to do is success

    std::string id = fs::path(files[0]).filename().string().substr(0, 12);
    r = strata({"current"});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, id + " (head)"));

    r = strata({"revision", "-m", "nothing", "--autogenerate", "--against", target.url()});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "No changes detected"));
    CHECK(toml_files(dir / "migrations").size() == 1);

    // URL precedence: STRATA_DATABASE_URL beats strata.toml, --url beats both.
    CHECK(strata({"current"}, {{"STRATA_DATABASE_URL", unreachable_url()}}).exit_code == 3);
    CHECK(strata({"current"}, {{"DATABASE_URL", unreachable_url()}}).exit_code == 3);
    CHECK(strata({"--url", db.url(), "current"}, {{"STRATA_DATABASE_URL", unreachable_url()}}).exit_code == 0);

    // Dropping the tables loses data: refused without consent, nothing reverted.
    r = strata({"downgrade", "base"});
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, "--allow-destructive"));
    CHECK(applied_ids(db.url()) == std::set<std::string>{id});
    r = strata({"downgrade", "base", "--allow-destructive"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(table_names(db.url()).empty());
    CHECK(applied_ids(db.url()).empty());

    r = strata({"upgrade", "+1"});
    REQUIRE(r.exit_code == 0);
    CHECK(table_names(db.url()) == std::set<std::string>{"posts", "users"});
    CHECK(applied_ids(db.url()) == std::set<std::string>{id});
}

TEST_CASE("revision --autogenerate --rename turns drop+add into a rename that keeps the data") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    create_engine(p.db.url()).connection().execute("INSERT INTO users (name) VALUES ('kept')");

    TestDatabase target;
    Table users;
    users.name = "users";
    users.columns = {Column{.name = "id", .type = types::integer(), .nullable = false, .autoincrement = true},
                     Column{.name = "full_name", .type = types::string(100), .nullable = false}};
    users.primary_key.columns = {"id"};
    Metadata md;
    md.add(users);
    create_all(md, target.engine());

    auto r = p.strata({"revision", "-m", "rename", "--autogenerate", "--against", target.url(), "--rename",
                       "users.name=full_name"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto files = toml_files(p.migrations);
    REQUIRE(files.size() == 2);
    std::string text = read_text(files[0].find("r1_") != std::string::npos ? files[1] : files[0]);
    CHECK(contains(text, "op = \"rename_column\""));
    CHECK_FALSE(contains(text, "op = \"drop_column\""));
    r = p.strata({"upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(query_value(p.db.url(), "SELECT full_name FROM users") == Value(std::string("kept")));

    // A rename that does not fit the schemas is a usage error.
    r = p.strata({"revision", "-m", "bad", "--autogenerate", "--against", target.url(), "--rename", "users.nope=x"});
    CHECK(r.exit_code == 2);
    r = p.strata({"revision", "-m", "bad", "--rename", "users.a=b"});  // --rename needs --autogenerate
    CHECK(r.exit_code == 2);
}

TEST_CASE("hand-written revisions: sql steps with per-dialect keys, upgrade and downgrade") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, R"toml([[upgrade]]
op = "sql"
sqlite = "INSERT INTO users (name) VALUES ('from sqlite')"
postgresql = "INSERT INTO users (name) VALUES ('from postgresql')"
mysql = "INSERT INTO users (name) VALUES ('from mysql')"

[[downgrade]]
op = "sql"
sql = "DELETE FROM users"
)toml");
    auto r = p.strata({"upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "Applied 2 revision"));
    std::string expected = "from " + std::string(p.db.dialect().name());
    CHECK(query_value(p.db.url(), "SELECT name FROM users") == Value(expected));

    r = p.strata({"history"});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "r1 -> r2 (head, applied, current)"));
    CHECK(contains(r.out, "<base> -> r1 (applied)"));

    r = p.strata({"downgrade", "-1"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(query_value(p.db.url(), "SELECT COUNT(*) FROM users") == Value(std::int64_t{0}));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
    r = p.strata({"downgrade", "r1"});  // already there
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "Nothing to do"));
}

TEST_CASE("upgrade --sql prints exactly what upgrade runs - the client runs it to the same result") {
    Project a;  // gets the script, run by the database's own client
    Project b;  // runs upgrade itself
    for (const Project* p : {&a, &b}) {
        write_revision_file(p->migrations, "r1", {}, create_users_step() + drop_users_step());
        write_revision_file(p->migrations, "r2", {"r1"}, R"toml([[upgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "string", length = 255, nullable = true }

[[upgrade]]
op = "create_index"
table = "users"
index = { columns = ["email"] }

[[upgrade]]
op = "sql"
sqlite = "INSERT INTO users (name, email) VALUES ('x', 'sqlite@example.com')"
postgresql = "INSERT INTO users (name, email) VALUES ('x', 'postgresql@example.com')"
mysql = "INSERT INTO users (name, email) VALUES ('x', 'mysql@example.com')"
reverse_sql = "DELETE FROM users"

[[downgrade]]
op = "sql"
sql = "DELETE FROM users"

[[downgrade]]
op = "drop_index"
table = "users"
index = "ix_users_email"

[[downgrade]]
op = "drop_column"
table = "users"
column = { name = "email", type = "string", length = 255, nullable = true }
)toml");
    }
    auto script = a.strata({"upgrade", "--sql"});
    INFO(script.transcript);
    REQUIRE(script.exit_code == 0);
    CHECK(table_names(a.db.url()).empty());  // --sql runs nothing
    auto client = run_client(a.db.url(), script.out);
    INFO(client.transcript);
    REQUIRE(client.exit_code == 0);

    auto run = b.strata({"-v", "upgrade"});
    INFO(run.transcript);
    REQUIRE(run.exit_code == 0);
    // Every statement of the script's steps is a statement the upgrade ran.
    auto statements = step_statements(script.out);
    CHECK(statements.size() >= 4);
    for (const std::string& s : statements) {
        INFO(s);
        CHECK(contains(run.err, s));
    }
    CHECK(applied_ids(a.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(applied_ids(b.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(run_process(strata_binary(), {"diff", a.db.url(), b.db.url()}).exit_code == 0);
    CHECK(query_value(a.db.url(), "SELECT email FROM users") == query_value(b.db.url(), "SELECT email FROM users"));

    // Nothing pending: the script holds no revision.
    auto again = a.strata({"upgrade", "--sql"});
    CHECK(again.exit_code == 0);
    CHECK(step_statements(again.out).empty());

    // The offline script starts from an empty database and never connects.
    auto offline = run_process(strata_binary(), {"--url", unreachable_url(), "--dir", a.migrations, "upgrade", "--sql",
                                                 "--offline"});
    INFO(offline.transcript);
    CHECK(offline.exit_code == 0);
    CHECK(step_statements(offline.out) == statements);

    // downgrade --sql: under the same destructive-change gate as a real downgrade.
    CHECK(a.strata({"downgrade", "base", "--sql"}).exit_code == 4);
    auto down = a.strata({"downgrade", "base", "--sql", "--allow-destructive"});
    INFO(down.transcript);
    REQUIRE(down.exit_code == 0);
    auto client_down = run_client(a.db.url(), down.out);
    INFO(client_down.transcript);
    REQUIRE(client_down.exit_code == 0);
    CHECK(table_names(a.db.url()).empty());
    CHECK(applied_ids(a.db.url()).empty());
}

TEST_CASE("exit code 2: bad flag, bad URL, no URL, malformed revision file (file:line, nothing applied)") {
    Project p;
    auto r = p.strata({"upgrade", "--no-such-flag"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--help"));
    CHECK(run_process(strata_binary(), {}).exit_code == 2);  // no command
    CHECK(run_process(strata_binary(), {"--format", "yaml", "heads"}).exit_code == 2);
    CHECK(run_process(strata_binary(), {"--help"}).exit_code == 0);

    r = run_process(strata_binary(), {"--url", "nosuchdb://x/y", "--dir", p.migrations, "current"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "sqlite:///"));  // the message shows the accepted forms
    r = run_process(strata_binary(), {"--dir", p.migrations, "current"}, p.dir.path());
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "STRATA_DATABASE_URL"));
    r = run_process(strata_binary(), {"-c", p.dir / "missing.toml", "current"});
    CHECK(r.exit_code == 2);
    write_text(p.dir / "strata.toml", "url = \"sqlite:///x.db\"\nmigratons = \"m\"\n");
    r = run_process(strata_binary(), {"current"}, p.dir.path());
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "strata.toml:2: unknown key `migratons`"));
    std::filesystem::remove(p.dir / "strata.toml");

    // A missing migrations folder.
    r = p.strata({"upgrade"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "does not exist"));

    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    std::string bad = write_revision_file(p.migrations, "r2", {"r1"}, R"toml([[upgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "strin", length = 255 }
)toml");
    r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, bad + ":8"));
    CHECK(contains(r.err, "strin"));
    CHECK(table_names(p.db.url()).empty());
    CHECK(version_rows(p.db.url()).empty());

    write_text(bad, "revision = \"r2\"\ndown_revision = \"r1\"\nmessage = [unclosed\n");
    r = p.strata({"--format", "json", "upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 2);
    auto doc = r.json();
    CHECK(doc["ok"] == false);
    CHECK(doc["error"]["kind"] == "input");
    CHECK(doc["error"]["file"] == bad);
    CHECK(doc["error"]["line"] == 3);
    CHECK(table_names(p.db.url()).empty());
}

TEST_CASE("exit code 3: a database that cannot be reached, a failing statement") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    auto r = run_process(strata_binary(), {"--url", unreachable_url(), "--dir", p.migrations, "upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    r = run_process(strata_binary(),
                    {"--format", "json", "--url", unreachable_url(), "--dir", p.migrations, "current"});
    CHECK(r.exit_code == 3);
    auto doc = r.json();
    CHECK(doc["exit_code"] == 3);
    CHECK(doc["error"]["kind"] == "connection");

    // A failing statement: rolled back where DDL is transactional, recorded as partially
    // applied with the failing statement where it is not (MySQL/MariaDB).
    write_revision_file(p.migrations, "r2", {"r1"}, R"toml([[upgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "string", length = 255, nullable = true }

[[upgrade]]
op = "sql"
sql = "INSERT INTO missing_table (a) VALUES (1)"

[[downgrade]]
op = "drop_column"
table = "users"
column = { name = "email", type = "string", length = 255, nullable = true }
)toml");
    r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "missing_table"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
    auto current = p.strata({"current"});
    auto history = p.strata({"history"});
    if (p.db.dialect().capabilities().transactional_ddl) {
        CHECK(column_names(p.db.url(), "users") == std::set<std::string>{"id", "name"});
        CHECK_FALSE(contains(current.out, "PARTIALLY"));
    } else {
        INFO(current.transcript);
        CHECK(column_names(p.db.url(), "users") == std::set<std::string>{"email", "id", "name"});
        CHECK(contains(current.out, "PARTIALLY APPLIED: 1 of 2 statements"));
        CHECK(contains(current.out, "INSERT INTO missing_table"));
        CHECK(contains(history.out, "r1 -> r2 (head, partial"));
        CHECK(p.strata({"check"}).exit_code == 1);
    }
    // Fix the cause; upgrade resumes (MySQL) or reruns (the others) and completes.
    create_engine(p.db.url()).connection().execute_unprepared("CREATE TABLE missing_table (a INTEGER)");
    r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(column_names(p.db.url(), "users") == std::set<std::string>{"email", "id", "name"});
}

TEST_CASE("exit code 4: edited applied revision, two heads (merge), destructive change without consent") {
    Project p;
    std::string r1 = write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);

    SECTION("an applied revision edited afterwards") {
        write_text(r1, read_text(r1) + "# an innocent-looking edit\n");
        write_revision_file(p.migrations, "r2", {"r1"}, "upgrade = []\ndowngrade = []\n");
        auto r = p.strata({"upgrade"});
        INFO(r.transcript);
        CHECK(r.exit_code == 4);
        CHECK(contains(r.err, r1));
        CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
        r = p.strata({"check"});
        CHECK(r.exit_code == 4);
        CHECK(contains(r.out, "edited"));
        r = p.strata({"current"});
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "EDITED"));
    }
    SECTION("two heads, then merge") {
        write_revision_file(p.migrations, "r2", {"r1"}, "upgrade = []\ndowngrade = []\n");
        write_revision_file(p.migrations, "r3", {"r1"}, "upgrade = []\ndowngrade = []\n");
        auto r = p.strata({"upgrade"});
        INFO(r.transcript);
        CHECK(r.exit_code == 4);
        CHECK(contains(r.err, "merge"));
        CHECK(p.strata({"revision", "-m", "on top"}).exit_code == 4);
        CHECK(p.strata({"check"}).exit_code == 4);
        r = p.strata({"heads"});
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "r2 (head)"));
        CHECK(contains(r.out, "r3 (head)"));
        r = p.strata({"merge", "-m", "join r2 and r3"});
        INFO(r.transcript);
        REQUIRE(r.exit_code == 0);
        REQUIRE(toml_files(p.migrations).size() == 4);
        r = p.strata({"upgrade"});
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        CHECK(applied_ids(p.db.url()).size() == 4);
        CHECK(p.strata({"check"}).exit_code == 0);
        CHECK(p.strata({"merge", "-m", "nothing to join"}).exit_code == 2);
    }
    SECTION("a destructive step needs --allow-destructive or destructive_ok") {
        std::string body = R"toml([[upgrade]]
op = "drop_column"
table = "users"
column = { name = "name", type = "string", length = 100, nullable = false }
)toml";
        std::string r2 = write_revision_file(p.migrations, "r2", {"r1"}, "downgrade = []\n" + body);
        auto r = p.strata({"upgrade"});
        INFO(r.transcript);
        CHECK(r.exit_code == 4);
        CHECK(contains(r.err, "drop column users.name"));
        CHECK(column_names(p.db.url(), "users").count("name") == 1);
        write_revision_file(p.migrations, "r2", {"r1"},
                            body + "destructive_ok = true\n\n[[downgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n");
        r = p.strata({"upgrade"});
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        CHECK(column_names(p.db.url(), "users") == std::set<std::string>{"id"});
        (void)r2;
    }
}

TEST_CASE("exit code 5: the migration lock is held by another session") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, "upgrade = []\ndowngrade = []\n");
    REQUIRE(p.strata({"upgrade", "r1"}).exit_code == 0);
    {
        LockHolder holder(p.db.url());
        auto start = std::chrono::steady_clock::now();
        auto r = p.strata({"upgrade", "--lock-timeout", "0.5"});
        auto waited = std::chrono::steady_clock::now() - start;
        INFO(r.transcript);
        CHECK(r.exit_code == 5);
        CHECK(contains(r.err, "lock"));
        CHECK(waited >= std::chrono::milliseconds(400));
        r = p.strata({"--format", "json", "stamp", "head", "--lock-timeout", "0.2"});
        CHECK(r.exit_code == 5);
        CHECK(r.json()["error"]["kind"] == "lock_timeout");
        CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
    }
    auto r = p.strata({"upgrade", "--lock-timeout", "5"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
}

TEST_CASE("diff: identical 0, different 1 with the operations, --sql runnable by the client, json") {
    TestDatabase a;
    TestDatabase b;
    auto r = run_process(strata_binary(), {"diff", a.url(), b.url()});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "No differences"));

    create_all(blog_schema(), b.engine());
    r = run_process(strata_binary(), {"diff", a.url(), b.url()});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "create table users"));
    CHECK(contains(r.out, "create table posts"));

    r = run_process(strata_binary(), {"--format", "json", "diff", a.url(), b.url()});
    CHECK(r.exit_code == 1);
    auto doc = r.json();
    CHECK(doc["ok"] == true);
    CHECK(doc["command"] == "diff");
    CHECK(doc["difference"] == true);
    CHECK(doc["exit_code"] == 1);
    REQUIRE(doc["operations"].size() == 2);
    CHECK(doc["operations"][0]["op"] == "create_table");

    r = run_process(strata_binary(), {"diff", a.url(), b.url(), "--sql"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    auto client = run_client(a.url(), r.out);
    INFO(client.transcript);
    REQUIRE(client.exit_code == 0);
    CHECK(run_process(strata_binary(), {"diff", a.url(), b.url()}).exit_code == 0);
    TestDatabase empty;
    r = run_process(strata_binary(), {"diff", b.url(), empty.url()});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "drop table posts"));

    // Models need a program that has them; the generic binary says so.
    r = run_process(strata_binary(), {"diff", "models", a.url()});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "strata::cli::run"));
    CHECK(run_process(strata_binary(), {"diff", unreachable_url(), a.url()}).exit_code == 3);
    CHECK(run_process(strata_binary(), {"diff", "bogus:/x", a.url()}).exit_code == 2);
}

TEST_CASE("current names the database engine first, in text and in JSON (engine)") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    const std::string& d = strata::testing::dialect();
    std::string engine = d == "sqlite" ? "SQLite" : d == "postgres" ? "PostgreSQL" : "";
    std::string lock = d == "sqlite" ? "write_lock" : "session_lock";

    auto r = p.strata({"current"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("Database: " + engine, 0) == 0);
    CHECK(contains(r.out, "r1 (head)"));

    r = p.strata({"--format", "json", "current"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto doc = r.json();
    REQUIRE(doc.contains("engine"));
    const auto& e = doc["engine"];
    CHECK((engine.empty() ? e["name"] == "MySQL" || e["name"] == "MariaDB" : e["name"] == engine));
    CHECK(e["lock"] == lock);
    CHECK(e["supported"] == true);
    CHECK(e["refusal"].is_null());
    CHECK(e["standby"] == false);
    CHECK(e["cluster_size"] == 0);
    CHECK(e["notes"] == nlohmann::json::array());
    CHECK(e["version"].is_string());
    CHECK_FALSE(e["version"].get<std::string>().empty());
    CHECK(e["role"] == (d == "sqlite" ? "" : "primary"));
    CHECK(doc["current_heads"] == nlohmann::json::array({"r1"}));
}

TEST_CASE("JSON output (--format json): one document with the documented fields, for results and errors") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    auto r = p.strata({"--format", "json", "upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    auto doc = r.json();
    CHECK(doc["ok"] == true);
    CHECK(doc["command"] == "upgrade");
    CHECK(doc["exit_code"] == 0);
    CHECK(doc["ran"] == 1);
    REQUIRE(doc["revisions"].size() == 1);
    CHECK(doc["revisions"][0]["revision"] == "r1");
    CHECK(doc["revisions"][0]["direction"] == "upgrade");
    CHECK(doc["revisions"][0].contains("duration_ms"));
    CHECK(doc["heads"] == nlohmann::json::array({"r1"}));

    // Global options after the command work too.
    r = run_process(strata_binary(), {"current", "--format", "json", "--url", p.db.url(), "--dir", p.migrations});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    doc = r.json();
    CHECK(doc["current_heads"] == nlohmann::json::array({"r1"}));
    CHECK(doc["at_head"] == true);
    CHECK(doc["rows"][0]["state"] == "applied");

    for (const char* command : {"history", "heads", "check"}) {
        r = p.strata({"--format", "json", command});
        INFO(r.transcript);
        CHECK(r.exit_code == 0);
        CHECK(r.json()["command"] == command);
    }

    r = p.strata({"--format", "json", "downgrade", "base"});
    CHECK(r.exit_code == 4);
    doc = r.json();
    CHECK(doc["ok"] == false);
    CHECK(doc["exit_code"] == 4);
    for (const char* field : {"kind", "message", "file", "line", "sqlstate"}) CHECK(doc["error"].contains(field));
    CHECK(doc["error"]["kind"] == "refused");

    r = p.strata({"--format", "json", "upgrade", "--bogus"});
    CHECK(r.exit_code == 2);
    CHECK(r.json()["error"]["kind"] == "usage");
}

TEST_CASE("check: files, heads, checksums, pending - --fresh on a scratch database") {
    Project p;
    CHECK(p.strata({"check"}).exit_code == 2);  // no migrations folder
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    auto r = p.strata({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "pending"));
    REQUIRE(p.strata({"upgrade"}).exit_code == 0);
    r = p.strata({"check"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "check passed"));

    r = p.strata({"--format", "json", "check", "--fresh"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    auto doc = r.json();
    CHECK(doc["passed"] == true);
    // A server's scratch database is gone afterwards.
    std::string message;
    for (const auto& c : doc["checks"])
        if (c["name"] == "fresh") message = c["message"];
    auto at = message.find("strata_check_");
    if (dialect() == "sqlite") CHECK(contains(message, "sqlite://:memory:"));
    if (dialect() != "sqlite") {
        REQUIRE(at != std::string::npos);
        std::string name = message.substr(at, std::string("strata_check_").size() + 12);
        Url url = Url::parse(p.db.url()).with_database(name);
        bool gone = false;
        try {
            create_engine(url.str()).connection();
        } catch (const Error& e) {
            gone = e.kind() == ErrorKind::missing_database;
        }
        CHECK(gone);
    }

    // A revision that cannot apply fails --fresh with the database's error.
    write_revision_file(p.migrations, "r2", {"r1"}, "[[upgrade]]\nop = \"sql\"\nsql = \"SELECT * FROM nowhere\"\n");
    r = p.strata({"check", "--fresh"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "do not apply"));
}

TEST_CASE("stamp sets the version table without running migrations") {
    Project p;
    write_revision_file(p.migrations, "r1", {}, create_users_step() + drop_users_step());
    write_revision_file(p.migrations, "r2", {"r1"}, "upgrade = []\ndowngrade = []\n");
    auto r = p.strata({"stamp", "head"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "no migration was run"));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(table_names(p.db.url()).empty());
    r = p.strata({"--format", "json", "stamp", "r1"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.json()["removed"] == nlohmann::json::array({"r2"}));
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
    CHECK(p.strata({"stamp", "base"}).exit_code == 0);
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(p.strata({"stamp", "nosuch"}).exit_code == 2);
    CHECK(p.strata({"stamp"}).exit_code == 2);  // TARGET is required
}

TEST_CASE("read-only commands on a missing SQLite file fail and leave no file - history shows the graph") {
    // Servers never create a database on connect; the SQLite file is the case to guard.
    if (dialect() != "sqlite") return;
    TempDir dir;
    std::string migrations = dir / "migrations";
    fs::create_directories(migrations);
    write_revision_file(migrations, "r1", {}, create_users_step() + drop_users_step());
    std::string file = dir / "missing.db";
    std::string url = "sqlite:///" + file;
    auto run = [&](const std::vector<std::string>& command) {
        std::vector<std::string> args = {"--url", url, "--dir", migrations};
        args.insert(args.end(), command.begin(), command.end());
        return run_process(strata_binary(), args, dir.path());
    };

    auto r = run({"current"});
    INFO(r.transcript);
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "database file '" + file + "' does not exist"));
    CHECK(contains(r.err, "strata upgrade"));
    CHECK_FALSE(fs::exists(file));
    // history's answer is the graph: it is shown, with a note instead of the applied marks.
    r = run({"history"});
    INFO(r.transcript);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "<base> -> r1 (head)"));
    CHECK(contains(r.out, "applied revisions are not shown"));
    CHECK(contains(r.out, "does not exist"));
    CHECK_FALSE(fs::exists(file));
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"check"}, {"diff", url, url}, {"--format", "json", "current"}}) {
        r = run(command);
        INFO(r.transcript);
        CHECK(r.exit_code == 3);
        CHECK_FALSE(fs::exists(file));
    }
    CHECK(r.json()["error"]["kind"] == "connection");
    CHECK(run({"heads"}).exit_code == 0);
    CHECK(run({"check", "--fresh"}).exit_code == 0);
    CHECK_FALSE(fs::exists(file));

    // upgrade creates it; then the read-only commands work.
    r = run({"upgrade"});
    INFO(r.transcript);
    REQUIRE(r.exit_code == 0);
    CHECK(fs::exists(file));
    CHECK(run({"current"}).exit_code == 0);
    CHECK(run({"check"}).exit_code == 0);
}

namespace {

// Whether users has a unique index or unique constraint on exactly `column`, as reflected.
bool unique_on(const std::string& url, const std::string& column) {
    Engine engine = create_engine(url);
    Metadata md = engine.dialect().reflect(engine.connection());
    const Table* users = md.find("users");
    REQUIRE(users != nullptr);
    for (const UniqueConstraint& u : users->uniques)
        if (u.columns == std::vector<std::string>{column}) return true;
    for (const Index& i : users->indexes)
        if (i.unique && i.columns == std::vector<std::string>{column}) return true;
    return false;
}

}  // namespace

TEST_CASE("a unique index created then dropped by revisions: live and as an upgrade --sql script") {
    Project live;
    Project script;  // the same revisions as `--sql` scripts run by the database's own client
    for (const Project* p : {&live, &script}) {
        write_revision_file(p->migrations, "r1", {}, create_users_step() + drop_users_step() + R"toml(
[[upgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "string", length = 100, nullable = true }

[[upgrade]]
op = "create_index"
table = "users"
index = { name = "uq_users_email", columns = ["email"], unique = true }

[[upgrade]]
op = "create_index"
table = "users"
index = { name = "uq_users_name", columns = ["name"], unique = true }
)toml");
        // The full definition, and the name alone (as a hand-written revision has it).
        write_revision_file(p->migrations, "r2", {"r1"}, R"toml([[upgrade]]
op = "drop_index"
table = "users"
index = { name = "uq_users_email", columns = ["email"], unique = true }

[[upgrade]]
op = "drop_index"
table = "users"
index = "uq_users_name"

[[downgrade]]
op = "create_index"
table = "users"
index = { name = "uq_users_name", columns = ["name"], unique = true }

[[downgrade]]
op = "create_index"
table = "users"
index = { name = "uq_users_email", columns = ["email"], unique = true }
)toml");
    }
    auto step = [&](const std::vector<std::string>& args) {
        auto r = live.strata(args);
        INFO(r.transcript);
        REQUIRE(r.exit_code == 0);
        std::vector<std::string> sql_args = args;
        sql_args.push_back("--sql");
        auto s = script.strata(sql_args);
        INFO(s.transcript);
        REQUIRE(s.exit_code == 0);
        auto client = run_client(script.db.url(), s.out);
        INFO(client.transcript);
        REQUIRE(client.exit_code == 0);
    };

    step({"upgrade", "r1"});
    for (const Project* p : {&live, &script}) {
        INFO(p->db.url());
        CHECK(unique_on(p->db.url(), "email"));
        CHECK(unique_on(p->db.url(), "name"));
    }

    step({"upgrade"});
    for (const Project* p : {&live, &script}) {
        INFO(p->db.url());
        CHECK(applied_ids(p->db.url()) == std::set<std::string>{"r1", "r2"});
        CHECK_FALSE(unique_on(p->db.url(), "email"));
        CHECK_FALSE(unique_on(p->db.url(), "name"));
        // Duplicates are accepted again.
        Engine engine = create_engine(p->db.url());
        engine.connection().execute_unprepared(
            "INSERT INTO users (name, email) VALUES ('x', 'same@example.com'), ('x', 'same@example.com')");
    }
    CHECK(run_process(strata_binary(), {"diff", live.db.url(), script.db.url()}).exit_code == 0);

    for (const Project* p : {&live, &script}) create_engine(p->db.url()).connection().execute_unprepared("DELETE FROM users");
    step({"downgrade", "-1"});
    for (const Project* p : {&live, &script}) {
        INFO(p->db.url());
        CHECK(applied_ids(p->db.url()) == std::set<std::string>{"r1"});
        CHECK(unique_on(p->db.url(), "email"));
        CHECK(unique_on(p->db.url(), "name"));
    }
    CHECK(run_process(strata_binary(), {"diff", live.db.url(), script.db.url()}).exit_code == 0);
}
