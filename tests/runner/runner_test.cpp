// Runner on a live database, run unchanged on SQLite, PostgreSQL and MySQL/MariaDB:
// upgrade/downgrade/stamp/status, the version table, the safety gates (edited files,
// destructive steps, irreversible revisions, missing data fixes), failures mid-revision
// (rolled back, or recorded as partial and resumed on MySQL), interruption, the lock
// timeout, progress events, and `--sql` scripts run by the database's own client.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include "dialects/url.hpp"
#include "migrations/checksum.hpp"
#include "runner_fixture.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

bool transactional() { return dialect() != "mysql"; }

Runner make_runner(TestDatabase& db, const MigrationsDir& dir) { return Runner(db.engine(), dir.graph()); }

template <class F>
ErrorKind kind_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        INFO(e.what());
        return e.kind();
    }
    FAIL("expected a strata::Error");
    return ErrorKind::internal;
}

template <class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("expected a strata::Error");
    return {};
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs `script` with the database's own client; returns its exit status and output.
std::pair<int, std::string> run_client(const std::string& url_text, const std::string& script) {
    Url url = Url::parse(url_text);
    auto base = std::filesystem::temp_directory_path() / fmt::format("strata_runner_script_{}_{}", ::getpid(), std::rand());
    std::string script_path = base.string() + ".sql";
    std::string output_path = base.string() + ".out";
    std::ofstream(script_path) << script;
    std::string command;
    if (url.dialect == "sqlite")
        command = fmt::format("sqlite3 {} < {}", shell_quote(url.database), shell_quote(script_path));
    else if (url.dialect == "postgresql")
        command = fmt::format("psql -X -q {} -f {}", shell_quote(url.str()), shell_quote(script_path));
    else
        command = fmt::format("mariadb --protocol=TCP -h {} -P {} -u {} {} {} < {}", shell_quote(url.host),
                              url.port.value_or(3306), shell_quote(url.user),
                              url.password.empty() ? std::string() : shell_quote("-p" + url.password),
                              shell_quote(url.database), shell_quote(script_path));
    int rc = std::system((command + " > " + shell_quote(output_path) + " 2>&1").c_str());
    std::ifstream in(output_path);
    std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(script_path);
    std::filesystem::remove(output_path);
    return {rc, output};
}

}  // namespace

TEST_CASE("upgrade head applies every revision once and records it") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    Runner runner = make_runner(db, dir);

    RunResult r = runner.upgrade();
    REQUIRE(r.ran() == 3);
    CHECK(r.revisions[0].revision == "r1");
    CHECK(r.revisions[2].revision == "r3");
    CHECK(r.heads == std::vector<std::string>{"r3"});
    CHECK(tables(db.url()) == std::set<std::string>{"posts", "users"});

    auto rows = version_rows(db.url());
    REQUIRE(rows.size() == 3);
    for (const AppliedRevision& row : rows) {
        CHECK(row.complete());
        CHECK(row.checksum == runner.graph().find(row.revision)->checksum);
        CHECK(row.checksum.rfind("sha256:", 0) == 0);
        CHECK(row.statements_applied == row.statements_total);
        CHECK(row.statements_total >= 1);
        CHECK(row.duration_ms.has_value());
        CHECK(row.applied_at.size() == 27);
        CHECK(row.failed_sql.empty());
        CHECK(row.resume_plan.empty());
    }
    CHECK(rows[0].revision == "r1");  // oldest first

    // The version table's layout is recorded.
    CHECK(count_rows(db.connection(), "SELECT layout FROM strata_version_meta") == VersionTable::layout);

    RunResult again = runner.upgrade();
    CHECK(again.nothing_to_do());
    CHECK(again.heads == std::vector<std::string>{"r3"});

    DatabaseStatus st = runner.status();
    CHECK(st.version_table);
    CHECK(st.at_head());
    CHECK(st.pending.empty());
    CHECK(st.current_heads == std::vector<std::string>{"r3"});
}


TEST_CASE("duration_ms records how long each revision took, the first one and its commit included") {
    TestDatabase db;
    MigrationsDir dir;
    const std::string body = R"T(
[[upgrade]]
op = "create_table"
name = "{0}"
columns = [{{ name = "id", type = "integer", nullable = false, primary_key = true }}]

[[upgrade]]
op = "call"
function = "slow"

[[downgrade]]
op = "drop_table"
name = "{0}"
)T";
    dir.write("r1", "", fmt::format(fmt::runtime(body), "a"));
    dir.write("r2", "r1", fmt::format(fmt::runtime(body), "b"));
    RunOptions options;
    options.functions["slow"] = [](const CallContext&) { std::this_thread::sleep_for(std::chrono::milliseconds(25)); };
    Runner runner = make_runner(db, dir);
    RunResult r = runner.upgrade("head", options);
    REQUIRE(r.ran() == 2);

    auto rows = version_rows(db.url());
    REQUIRE(rows.size() == 2);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO(rows[i].revision);
        REQUIRE(rows[i].duration_ms.has_value());
        CHECK(*rows[i].duration_ms >= 20);
        // The row says what the run reported: the whole revision, its COMMIT too.
        CHECK(*rows[i].duration_ms == r.revisions[i].duration.count());
    }
}
TEST_CASE("upgrade and downgrade by target: +N, revision prefix, -N, base") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    Runner runner = make_runner(db, dir);

    CHECK(runner.upgrade("+1").ran() == 1);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});
    CHECK(runner.status().pending == std::vector<std::string>{"r2", "r3"});
    CHECK_FALSE(runner.status().at_head());

    CHECK(runner.upgrade("r2").ran() == 1);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2"});

    CHECK(runner.upgrade("head").ran() == 1);
    RunResult down = runner.downgrade("-1");
    REQUIRE(down.ran() == 1);
    CHECK(down.revisions[0].direction == Direction::downgrade);
    CHECK(down.heads == std::vector<std::string>{"r2"});
    CHECK(tables(db.url()) == std::set<std::string>{"users"});

    CHECK(runner.downgrade("r1").ran() == 1);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});
    Metadata schema = db.dialect().reflect(db.connection());
    REQUIRE(schema.find("users"));
    CHECK(schema.find("users")->columns.size() == 2);  // email dropped

    CHECK(runner.downgrade("base").ran() == 1);
    CHECK(applied_ids(db.url()).empty());
    CHECK(tables(db.url()).empty());
    CHECK(runner.downgrade("base").nothing_to_do());

    // Bad targets are input errors and change nothing.
    CHECK(kind_of([&] { runner.downgrade("-1"); }) == ErrorKind::input);
    CHECK(kind_of([&] { runner.upgrade("nope"); }) == ErrorKind::input);
    CHECK(kind_of([&] { runner.upgrade("+7"); }) == ErrorKind::input);
    CHECK(kind_of([&] { runner.upgrade("base"); }) == ErrorKind::input);
    CHECK(applied_ids(db.url()).empty());
}

TEST_CASE("downgrade through an irreversible revision is refused, naming it") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "sql"
sql = "UPDATE users SET name = 'x' WHERE id = 0"
)T");
    Runner runner = make_runner(db, dir);
    runner.upgrade();
    std::string msg;
    CHECK(kind_of([&] {
              try {
                  runner.downgrade("-1");
              } catch (const Error& e) {
                  msg = e.what();
                  throw;
              }
          }) == ErrorKind::refused);
    CHECK(msg.find("r4") != std::string::npos);
    CHECK(applied_ids(db.url()).size() == 4);
    CHECK(kind_of([&] { runner.downgrade("base"); }) == ErrorKind::refused);
    CHECK(tables(db.url()) == std::set<std::string>{"posts", "users"});
}

TEST_CASE("destructive steps need consent, checked for the whole path before anything runs") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "drop_column"
table = "users"
column = { name = "email", type = "string", length = 100 }

[[downgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "string", length = 100 }
)T");
    Runner runner = make_runner(db, dir);

    // r1..r3 are fine, r4 is not: nothing at all runs.
    std::string msg = message_of([&] { runner.upgrade(); });
    CHECK(msg.find("destructive") != std::string::npos);
    CHECK(msg.find("r4") != std::string::npos);
    CHECK(msg.find("allow-destructive") != std::string::npos);
    CHECK(kind_of([&] { runner.upgrade(); }) == ErrorKind::refused);
    CHECK(applied_ids(db.url()).empty());
    CHECK(tables(db.url()).empty());

    CHECK(runner.upgrade("r3").ran() == 3);
    CHECK(runner.upgrade("head", {.allow_destructive = true}).ran() == 1);

    // Downgrades too: the reverse of r4 adds the column back (fine), the reverse of r3
    // drops posts with consent from the file; an unconsented reverse of add_column is
    // refused.
    dir.write("r5", "r4", R"T(
[[upgrade]]
op = "add_column"
table = "users"
column = { name = "age", type = "integer" }

[[downgrade]]
op = "drop_column"
table = "users"
column = { name = "age", type = "integer" }
)T");
    Runner runner2 = make_runner(db, dir);
    CHECK(runner2.upgrade().ran() == 1);
    CHECK(kind_of([&] { runner2.downgrade("-1"); }) == ErrorKind::refused);
    CHECK(applied_ids(db.url()).count("r5"));
    CHECK(runner2.downgrade("-1", {.allow_destructive = true}).ran() == 1);
    CHECK_FALSE(applied_ids(db.url()).count("r5"));
}

TEST_CASE("an applied revision whose file changed is refused by upgrade and downgrade, and reported by status") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    make_runner(db, dir).upgrade("r2");

    // Same content with CRLF line endings and a BOM: the same checksum.
    std::string path = (dir.path() / "r1_rev.toml").string();
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    std::string crlf = "\xEF\xBB\xBF";
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    dir.write_raw("r1_rev.toml", crlf);
    CHECK(make_runner(db, dir).status().edited.empty());
    CHECK(make_runner(db, dir).upgrade("r3").ran() == 1);
    make_runner(db, dir).downgrade("r2");

    // A real edit.
    dir.write_raw("r1_rev.toml", text + "\n# edited\n");
    Runner runner = make_runner(db, dir);
    std::string msg = message_of([&] { runner.upgrade(); });
    CHECK(msg.find("r1_rev.toml") != std::string::npos);
    CHECK(kind_of([&] { runner.upgrade(); }) == ErrorKind::refused);
    CHECK(kind_of([&] { runner.downgrade("-1"); }) == ErrorKind::refused);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(tables(db.url()) == std::set<std::string>{"users"});

    DatabaseStatus st = runner.status();
    REQUIRE(st.edited.size() == 1);
    CHECK(st.edited[0].revision == "r1");
    CHECK(st.edited[0].file == path);
    CHECK(st.edited[0].actual != st.edited[0].recorded);
    CHECK_FALSE(st.at_head());

    // Accepting the file as it is: stamp below it and back.
    runner.stamp("base");
    runner.stamp("r2");
    CHECK(runner.status().edited.empty());
    CHECK(runner.upgrade().ran() == 1);
}

TEST_CASE("call steps run registered data fixes, and a missing one fails before anything runs") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "call"
function = "seed_users"

[[downgrade]]
op = "call"
function = "unseed_users"
)T");
    {
        Runner runner = make_runner(db, dir);
        std::string msg = message_of([&] { runner.upgrade(); });
        CHECK(msg.find("revision r4") != std::string::npos);
        CHECK(msg.find("'seed_users'") != std::string::npos);
        CHECK(msg.find("strata::cli::run") != std::string::npos);
        CHECK(kind_of([&] { runner.upgrade(); }) == ErrorKind::unsupported);
        CHECK(applied_ids(db.url()).empty());
        CHECK(tables(db.url()).empty());
    }

    int seeded = 0;
    std::string seen_revision;
    RunOptions options;
    options.functions["seed_users"] = [&](const CallContext& ctx) {
        ++seeded;
        seen_revision = ctx.revision.id;
        CHECK(ctx.direction == Direction::upgrade);
        CHECK(&ctx.connection == &ctx.engine.connection());
        CHECK(ctx.connection.in_transaction() == transactional());
        ctx.connection.execute("INSERT INTO users (id, name) VALUES (1, 'alice')");
    };
    options.functions["unseed_users"] = [&](const CallContext& ctx) {
        CHECK(ctx.direction == Direction::downgrade);
        ctx.connection.execute("DELETE FROM users WHERE id = 1");
    };
    Runner runner = make_runner(db, dir);
    CHECK(runner.upgrade("head", options).ran() == 4);
    CHECK(seeded == 1);
    CHECK(seen_revision == "r4");
    CHECK(count_rows(db.connection(), "SELECT COUNT(*) FROM users") == 1);
    CHECK(runner.downgrade("-1", options).ran() == 1);
    CHECK(count_rows(db.connection(), "SELECT COUNT(*) FROM users") == 0);

    // A data fix that throws a plain exception fails the revision as a database error.
    options.functions["seed_users"] = [](const CallContext&) { throw std::runtime_error("no seeds today"); };
    std::string msg = message_of([&] { runner.upgrade("head", options); });
    CHECK(msg.find("no seeds today") != std::string::npos);
    CHECK(msg.find("seed_users") != std::string::npos);
    CHECK(kind_of([&] { runner.upgrade("head", options); }) == ErrorKind::database);
    if (transactional()) CHECK_FALSE(applied_ids(db.url()).count("r4"));
}

TEST_CASE("a failing statement mid-revision: rolled back, or recorded as partial and resumed") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    // r4: create audit, insert a row whose key the test occupies first (fails), create log.
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "create_table"
name = "audit"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[upgrade]]
op = "sql"
sql = "INSERT INTO users (id, name) VALUES (7, 'seven')"
reverse_sql = "DELETE FROM users WHERE id = 7"

[[upgrade]]
op = "create_table"
name = "log"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[downgrade]]
op = "drop_table"
name = "log"
destructive_ok = true

[[downgrade]]
op = "sql"
sql = "DELETE FROM users WHERE id = 7"

[[downgrade]]
op = "drop_table"
name = "audit"
destructive_ok = true
)T");
    Runner runner = make_runner(db, dir);
    runner.upgrade("r3");
    db.connection().execute("INSERT INTO users (id, name) VALUES (7, 'taken')");

    std::string msg;
    ErrorKind kind = kind_of([&] {
        try {
            runner.upgrade();
        } catch (const Error& e) {
            msg = e.what();
            throw;
        }
    });
    CHECK(kind == ErrorKind::constraint);
    CHECK(msg.find("revision r4") != std::string::npos);

    DatabaseStatus st = runner.status();
    if (transactional()) {
        // Rolled back entirely; r3 intact.
        CHECK(msg.find("rolled back") != std::string::npos);
        CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2", "r3"});
        CHECK(tables(db.url()) == std::set<std::string>{"posts", "users"});
        CHECK(st.incomplete().empty());
    } else {
        CHECK(msg.find("partially applied") != std::string::npos);
        REQUIRE(st.incomplete().size() == 1);
        const AppliedRevision& row = *st.incomplete()[0];
        CHECK(row.revision == "r4");
        CHECK(row.state == RevisionState::partial);
        CHECK(row.statements_applied == 1);
        CHECK(row.statements_total == 3);
        CHECK(row.failed_sql.find("INSERT INTO users") != std::string::npos);
        CHECK_FALSE(row.error.empty());
        CHECK(row.next_sql().find("INSERT INTO users") != std::string::npos);
        CHECK(st.current_heads == std::vector<std::string>{"r4"});
        CHECK_FALSE(st.at_head());
        CHECK(tables(db.url()) == std::set<std::string>{"audit", "posts", "users"});
        // A script cannot continue it.
        CHECK(kind_of([&] { runner.upgrade_sql("head", {.from_database = true}); }) == ErrorKind::refused);
    }

    // Fix the cause; a plain upgrade completes (MySQL: resumes at the failed statement).
    db.connection().execute("DELETE FROM users WHERE id = 7");
    RunResult r = runner.upgrade();
    REQUIRE(r.ran() == 1);
    CHECK(r.revisions[0].resumed == !transactional());
    CHECK(r.revisions[0].statements == (transactional() ? 3u : 2u));
    CHECK(tables(db.url()) == std::set<std::string>{"audit", "log", "posts", "users"});
    st = runner.status();
    CHECK(st.at_head());
    CHECK(st.row("r4")->complete());
    CHECK(st.row("r4")->statements_applied == 3);
    CHECK(st.row("r4")->failed_sql.empty());
    CHECK(count_rows(db.connection(), "SELECT COUNT(*) FROM users WHERE id = 7") == 1);
}

TEST_CASE("downgrade of a partially applied revision reverses only the steps that ran") {
    if (transactional()) {
        SUCCEED("only databases without transactional DDL leave partial revisions");
        return;
    }
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "create_table"
name = "audit"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[upgrade]]
op = "sql"
sql = "INSERT INTO users (id, name) VALUES (7, 'seven')"
reverse_sql = "DELETE FROM users WHERE id = 7"

[[upgrade]]
op = "create_table"
name = "log"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[downgrade]]
op = "drop_table"
name = "log"
destructive_ok = true

[[downgrade]]
op = "drop_table"
name = "audit"
destructive_ok = true
)T");
    Runner runner = make_runner(db, dir);
    runner.upgrade("r3");
    db.connection().execute("INSERT INTO users (id, name) VALUES (7, 'taken')");
    CHECK(kind_of([&] { runner.upgrade(); }) == ErrorKind::constraint);
    REQUIRE(runner.status().row("r4")->state == RevisionState::partial);

    // Reversing create_table audit drops it: destructive, and not consented by the file
    // (the file's [[downgrade]] is not used for a partial revision).
    CHECK(kind_of([&] { runner.downgrade("-1"); }) == ErrorKind::refused);
    RunResult r = runner.downgrade("-1", {.allow_destructive = true});
    REQUIRE(r.ran() == 1);
    CHECK(r.revisions[0].statements == 1);
    CHECK(tables(db.url()) == std::set<std::string>{"posts", "users"});
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2", "r3"});
    CHECK(count_rows(db.connection(), "SELECT COUNT(*) FROM users WHERE id = 7") == 1);  // the test's own row

    // A partly reverted revision (downgrade failing midway) is resumed by the next
    // downgrade and blocks upgrades until then.
    db.connection().execute("DELETE FROM users WHERE id = 7");
    CHECK(runner.upgrade().ran() == 1);
    db.connection().execute("CREATE TABLE blocker (id INTEGER PRIMARY KEY, audit_id INTEGER, "
                            "FOREIGN KEY (audit_id) REFERENCES audit (id))");
    CHECK(kind_of([&] { runner.downgrade("-1"); }) != ErrorKind::refused);
    AppliedRevision row = *runner.status().row("r4");
    CHECK(row.state == RevisionState::reverting);
    CHECK(row.statements_applied == 1);  // log dropped, audit not
    CHECK(kind_of([&] { runner.upgrade(); }) == ErrorKind::refused);
    db.connection().execute("DROP TABLE blocker");
    RunResult resumed = runner.downgrade("-1");
    REQUIRE(resumed.ran() == 1);
    CHECK(resumed.revisions[0].resumed);
    CHECK(tables(db.url()) == std::set<std::string>{"posts", "users"});
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2", "r3"});
}

TEST_CASE("SIGINT stops before the next statement, rolls back or records, and restores the handler") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "create_table"
name = "audit"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[upgrade]]
op = "call"
function = "ctrl_c"

[[upgrade]]
op = "create_table"
name = "log"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[downgrade]]
op = "drop_table"
name = "log"
destructive_ok = true

[[downgrade]]
op = "drop_table"
name = "audit"
destructive_ok = true
)T");
    static volatile std::sig_atomic_t custom_handled = 0;
    struct sigaction custom {};
    custom.sa_handler = [](int) { custom_handled = 1; };
    sigemptyset(&custom.sa_mask);
    struct sigaction saved {};
    sigaction(SIGINT, &custom, &saved);

    Runner runner = make_runner(db, dir);
    runner.upgrade("r3");
    RunOptions options;
    int calls = 0;
    options.functions["ctrl_c"] = [&](const CallContext&) {
        ++calls;
        if (calls == 1) std::raise(SIGINT);
    };
    CHECK(kind_of([&] { runner.upgrade("head", options); }) == ErrorKind::interrupted);
    CHECK(custom_handled == 0);  // the runner's handler took it

    // The previous handler is back.
    struct sigaction now {};
    sigaction(SIGINT, nullptr, &now);
    CHECK(now.sa_handler == custom.sa_handler);

    if (transactional()) {
        CHECK_FALSE(applied_ids(db.url()).count("r4"));
        CHECK(tables(db.url()) == std::set<std::string>{"posts", "users"});
    } else {
        const auto status = runner.status();  // row() points into it
        const AppliedRevision* row = status.row("r4");
        REQUIRE(row);
        CHECK(row->state == RevisionState::partial);
        CHECK(row->statements_applied == 1);
    }
    // The lock was released: a second runner goes ahead.
    CHECK(runner.upgrade("head", options).ran() == 1);
    CHECK(tables(db.url()) == std::set<std::string>{"audit", "log", "posts", "users"});
    sigaction(SIGINT, &saved, nullptr);
}

TEST_CASE("the migration lock: a holder makes the runner time out with lock_timeout, nothing applied") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    Runner runner = make_runner(db, dir);
    runner.upgrade("r1");  // the version table exists

    Engine other = create_engine(db.url());
    std::unique_ptr<MigrationLock> held;
    if (dialect() == "sqlite") {
        other.connection().begin();  // SQLite's write lock
    } else {
        // The lock the engine calls for (a lease on a Galera node, else the server's own).
        held = acquire_migration_lock(other.connection(), {.timeout = std::chrono::milliseconds(0),
                                                           .open = [&] { return other.open(); }});
        REQUIRE_FALSE(held->per_transaction());
        // The lock is exclusive: a third session cannot take it either.
        Engine third = create_engine(db.url());
        CHECK(kind_of([&] {
                  acquire_migration_lock(third.connection(), {.timeout = std::chrono::milliseconds(100),
                                                              .open = [&] { return third.open(); }});
              }) == ErrorKind::lock_timeout);
    }
    auto t0 = std::chrono::steady_clock::now();
    std::string msg;
    CHECK(kind_of([&] {
              try {
                  runner.upgrade("head", {.lock_timeout = std::chrono::milliseconds(300)});
              } catch (const Error& e) {
                  msg = e.what();
                  throw;
              }
          }) == ErrorKind::lock_timeout);
    auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(waited >= std::chrono::milliseconds(250));
    CHECK(waited < std::chrono::seconds(20));
    CHECK(msg.find("lock") != std::string::npos);
    CHECK(msg.find("--lock-timeout") != std::string::npos);
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});

    if (dialect() == "sqlite")
        other.connection().rollback();
    else
        held.reset();
    CHECK(runner.upgrade("head", {.lock_timeout = std::chrono::milliseconds(300)}).ran() == 2);
}

TEST_CASE("stamp sets the version table without running anything") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    Runner runner = make_runner(db, dir);

    StampResult s = runner.stamp("r2");
    CHECK(s.added == std::vector<std::string>{"r1", "r2"});
    CHECK(s.removed.empty());
    CHECK(s.heads == std::vector<std::string>{"r2"});
    CHECK(tables(db.url()).empty());
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1", "r2"});

    CHECK(runner.stamp("head").added == std::vector<std::string>{"r3"});
    CHECK(runner.stamp("-2").removed == std::vector<std::string>{"r3", "r2"});
    CHECK(runner.stamp("r3").added == std::vector<std::string>{"r2", "r3"});
    CHECK(runner.stamp("r1").removed == std::vector<std::string>{"r3", "r2"});
    CHECK(runner.stamp("base").removed == std::vector<std::string>{"r1"});
    CHECK(applied_ids(db.url()).empty());
    CHECK(kind_of([&] { runner.stamp("zzz"); }) == ErrorKind::input);

    // Stamping to the schema a database already has, then upgrading from there.
    runner.upgrade("r1");
    runner.stamp("base");
    runner.stamp("r1");
    CHECK(runner.upgrade().ran() == 2);
}

TEST_CASE("status reports unknown applied revisions, upgrade refuses them, and a newer layout is refused") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    Runner runner = make_runner(db, dir);

    DatabaseStatus empty = runner.status();
    CHECK_FALSE(empty.version_table);
    CHECK(empty.rows.empty());
    CHECK(empty.pending == std::vector<std::string>{"r1", "r2", "r3"});
    CHECK(empty.heads == std::vector<std::string>{"r3"});
    CHECK(tables(db.url()).empty());  // status created nothing

    runner.upgrade("r1");
    VersionTable(db.dialect()).insert(db.connection(), AppliedRevision{.revision = "ghost",
                                                                       .checksum = "sha256:00",
                                                                       .applied_at = version_timestamp()});
    DatabaseStatus st = runner.status();
    CHECK(st.unknown == std::vector<std::string>{"ghost"});
    CHECK_FALSE(st.at_head());
    CHECK(kind_of([&] { runner.upgrade(); }) == ErrorKind::input);
    VersionTable(db.dialect()).remove(db.connection(), "ghost");

    db.connection().execute("UPDATE strata_version_meta SET layout = 99");
    std::string msg = message_of([&] { runner.upgrade(); });
    CHECK(msg.find("newer strata") != std::string::npos);
    CHECK(kind_of([&] { runner.status(); }) == ErrorKind::unsupported);
    db.connection().execute("UPDATE strata_version_meta SET layout = 1");
    CHECK(runner.upgrade().ran() == 2);
}

TEST_CASE("progress events follow the run") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    Runner runner = make_runner(db, dir);
    std::vector<ProgressEvent> events;
    RunOptions options;
    options.progress = [&](const ProgressEvent& e) { events.push_back(e); };
    runner.upgrade("r2", options);

    REQUIRE(events.size() >= 5);
    CHECK(events.front().kind == ProgressEvent::Kind::lock_acquired);
    std::vector<std::string> finished;
    std::size_t statements = 0;
    for (const ProgressEvent& e : events) {
        if (e.kind == ProgressEvent::Kind::revision_finished) {
            finished.push_back(e.revision->id);
            CHECK(e.count == 2);
            CHECK(e.statements_done == e.statements_total);
        }
        if (e.kind == ProgressEvent::Kind::statement_done) {
            ++statements;
            CHECK_FALSE(e.sql.empty());
        }
    }
    CHECK(finished == std::vector<std::string>{"r1", "r2"});
    CHECK(statements >= 2);
    CHECK(events[1].kind == ProgressEvent::Kind::revision_started);
    CHECK(events[1].index == 1);
}

TEST_CASE("upgrade --sql: the offline script, run by the database's own client, gives what upgrade gives") {
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "sql"
sql = "INSERT INTO users (id, name) VALUES (1, 'it''s me')"
reverse_sql = "DELETE FROM users WHERE id = 1"

[[downgrade]]
op = "sql"
sql = "DELETE FROM users WHERE id = 1"
)T");
    TestDatabase live;
    Runner live_runner = make_runner(live, dir);
    live_runner.upgrade();

    TestDatabase scripted;
    Runner runner = make_runner(scripted, dir);
    std::string script = runner.upgrade_sql("head");
    INFO(script);
    CHECK(script.find("strata_version") != std::string::npos);
    CHECK(script.find("r4") != std::string::npos);
    auto [rc, output] = run_client(scripted.url(), script);
    INFO(output);
    REQUIRE(rc == 0);

    DatabaseStatus st = runner.status();
    CHECK(st.at_head());
    CHECK(st.rows.size() == 4);
    CHECK(st.row("r3")->checksum == live_runner.status().row("r3")->checksum);
    CHECK(scripted.dialect().reflect(scripted.connection()) == live.dialect().reflect(live.connection()));
    CHECK(count_rows(scripted.connection(), "SELECT COUNT(*) FROM users") == 1);
    CHECK(runner.upgrade().nothing_to_do());

    // The script can run again on a database that has the version table: the guarded
    // parts do nothing (only the revisions would fail, which is right).
    std::string none = runner.upgrade_sql("head", {.applied = {"r1", "r2", "r3", "r4"}});
    CHECK(none.find("nothing to do") != std::string::npos);

    // Downgrade script from the applied state, run by the client.
    std::string down = runner.downgrade_sql("r2", {.from_database = true, .allow_destructive = false});
    INFO(down);
    auto [rc2, output2] = run_client(scripted.url(), down);
    INFO(output2);
    REQUIRE(rc2 == 0);
    CHECK(applied_ids(scripted.url()) == std::set<std::string>{"r1", "r2"});
    CHECK(tables(scripted.url()) == std::set<std::string>{"users"});

    // An offline script from a given applied set replays their steps for the schema.
    std::string from_r2 = runner.upgrade_sql("head", {.applied = {"r1", "r2"}});
    CHECK(from_r2.find("CREATE TABLE IF NOT EXISTS") != std::string::npos);
    auto [rc3, output3] = run_client(scripted.url(), from_r2);
    INFO(output3);
    REQUIRE(rc3 == 0);
    CHECK(runner.status().at_head());
}

TEST_CASE("scripts refuse what a script cannot or may not do") {
    TestDatabase db;
    MigrationsDir dir;
    write_standard(dir);
    dir.write("r4", "r3", R"T(
[[upgrade]]
op = "call"
function = "fix"
)T");
    Runner runner = make_runner(db, dir);
    CHECK(kind_of([&] { runner.upgrade_sql("head"); }) == ErrorKind::unsupported);
    CHECK_FALSE(runner.upgrade_sql("r3").empty());
    // Destructive without consent, downgrade through an irreversible revision.
    dir.write("r5", "r4", R"T(
[[upgrade]]
op = "drop_table"
name = "posts"
)T");
    Runner runner2 = make_runner(db, dir);
    CHECK(kind_of([&] { runner2.downgrade_sql("base", {.applied = {"r1", "r2", "r3", "r4"}}); }) ==
          ErrorKind::refused);  // r4 has no [[downgrade]]
    CHECK(kind_of([&] { runner2.upgrade_sql("r5", {.applied = {"r1", "r2", "r3", "r4"}}); }) == ErrorKind::refused);
    std::string drop = runner2.upgrade_sql("r5", {.applied = {"r1", "r2", "r3", "r4"}, .allow_destructive = true});
    CHECK(drop.find("DROP TABLE") != std::string::npos);
    CHECK(drop.find("[destructive]") != std::string::npos);
    // Nothing was written to the database by any of this.
    CHECK_FALSE(runner2.status().version_table);
}
