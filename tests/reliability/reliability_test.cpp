// Reliability of the runner on every database (issue 6): concurrent upgrades apply each
// revision exactly once; a process killed (SIGKILL) in the middle of a revision leaves
// the previous revision intact (PostgreSQL, SQLite) or the revision recorded as partial
// (MySQL/MariaDB), and a plain upgrade then completes; an edited applied revision is
// refused; bad files are refused with nothing applied; a held lock times out.
// The CLI's own tests cover the same through the built binary and its exit codes.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "../runner/runner_fixture.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

bool transactional() { return dialect() != "mysql"; }

template <class F>
std::optional<Error> error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return std::nullopt;
}

std::string table_step(const std::string& name) {
    return fmt::format(R"T(
[[upgrade]]
op = "create_table"
name = "{0}"
columns = [ {{ name = "id", type = "integer", nullable = false, primary_key = true }} ]
)T",
                       name);
}

// Waits up to `seconds` for one byte on `fd`.
bool wait_byte(int fd, int seconds) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, seconds * 1000) <= 0) return false;
    char c;
    return ::read(fd, &c, 1) == 1;
}

// Runs `body` in a forked child that reports through `pipe_write`, and SIGKILLs it once
// it has written a byte. Returns true when the child was killed at that point.
template <class Body>
bool kill_child_when_ready(Body&& body, int wait_seconds, std::chrono::milliseconds delay) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        try {
            body(fds[1]);
        } catch (...) {
        }
        ::_exit(0);  // no destructors, no Catch2: the parent owns the test
    }
    ::close(fds[1]);
    bool ready = wait_byte(fds[0], wait_seconds);
    if (ready) std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fds[0]);
    return ready && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

}  // namespace

TEST_CASE("four concurrent upgrades apply each revision exactly once and all succeed") {
    TestDatabase db;
    MigrationsDir dir;
    dir.write("r1", "", R"T(
[[upgrade]]
op = "create_table"
name = "ledger"
columns = [ { name = "rev", type = "string", length = 10, nullable = false } ]
)T");
    const int revisions = 6;
    for (int i = 2; i <= revisions; ++i)
        dir.write(fmt::format("r{}", i), fmt::format("r{}", i - 1),
                  table_step(fmt::format("t{}", i)) + fmt::format(R"T(
[[upgrade]]
op = "sql"
sql = "INSERT INTO ledger (rev) VALUES ('r{}')"
)T",
                                                                 i));
    const std::string url = db.url();
    std::vector<std::thread> threads;
    std::vector<std::string> errors(4);
    std::vector<std::size_t> ran(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            try {
                Runner runner(create_engine(url), dir.graph());
                ran[t] = runner.upgrade("head", {.lock_timeout = std::chrono::seconds(60)}).ran();
            } catch (const std::exception& e) {
                errors[t] = e.what();
            }
        });
    for (std::thread& th : threads) th.join();

    for (const std::string& e : errors) CHECK(e == "");
    std::size_t total = 0;
    for (std::size_t n : ran) total += n;
    CHECK(total == revisions);  // each revision ran in exactly one of the four
    CHECK(applied_ids(url).size() == revisions);
    Engine engine = create_engine(url);
    for (int i = 2; i <= revisions; ++i)
        CHECK(count_rows(engine.connection(), fmt::format("SELECT COUNT(*) FROM ledger WHERE rev = 'r{}'", i)) == 1);
    CHECK(count_rows(engine.connection(), "SELECT COUNT(*) FROM ledger") == revisions - 1);
}

TEST_CASE("kill -9 inside a revision (in a data fix): previous revision intact or partial recorded, then upgrade completes") {
    TestDatabase db;
    MigrationsDir dir;
    dir.write("r1", "", table_step("t1"));
    dir.write("r2", "r1", table_step("t2") + R"T(
[[upgrade]]
op = "call"
function = "pause"
)T" + table_step("t3"));
    const std::string url = db.url();
    Runner(db.engine(), dir.graph()).upgrade("r1");

    bool killed = kill_child_when_ready(
        [&](int out) {
            RunOptions options;
            options.handle_signals = false;
            options.functions["pause"] = [out](const CallContext&) {
                char c = 'x';
                (void)::write(out, &c, 1);
                std::this_thread::sleep_for(std::chrono::seconds(60));
            };
            Runner(create_engine(url), dir.graph()).upgrade("head", options);
        },
        30, std::chrono::milliseconds(100));
    REQUIRE(killed);

    if (transactional()) {
        CHECK(applied_ids(url) == std::set<std::string>{"r1"});
        CHECK(tables(url) == std::set<std::string>{"t1"});
    } else {
        auto rows = version_rows(url);
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].revision == "r2");
        CHECK(rows[1].state == RevisionState::partial);
        CHECK(rows[1].statements_applied == 1);
        CHECK(rows[1].next_sql().find("t3") != std::string::npos);
        CHECK(tables(url) == std::set<std::string>{"t1", "t2"});
    }

    // A plain upgrade then completes (its lock wait covers a server still cleaning up).
    RunOptions options;
    options.functions["pause"] = [](const CallContext&) {};
    options.lock_timeout = std::chrono::seconds(30);
    Runner runner(create_engine(url), dir.graph());
    RunResult r = runner.upgrade("head", options);
    CHECK(r.ran() == 1);
    CHECK(tables(url) == std::set<std::string>{"t1", "t2", "t3"});
    CHECK(runner.status().at_head());
}

TEST_CASE("kill -9 during a statement on the server: the server lets go, and upgrade completes") {
    if (dialect() == "sqlite") {
        SUCCEED("SQLite has no server-side sleep; the data-fix variant covers it");
        return;
    }
    TestDatabase db;
    MigrationsDir dir;
    dir.write("r1", "", table_step("t1"));
    dir.write("r2", "r1", table_step("t2") + fmt::format(R"T(
[[upgrade]]
op = "sql"
sql = "{}"
)T",
                                                          sleep_sql(3)) +
                              table_step("t3"));
    const std::string url = db.url();
    Runner(db.engine(), dir.graph()).upgrade("r1");

    bool killed = kill_child_when_ready(
        [&](int out) {
            RunOptions options;
            options.handle_signals = false;
            options.progress = [out](const ProgressEvent& e) {
                if (e.kind == ProgressEvent::Kind::statement_done && e.revision->id == "r2" && e.statements_done == 1) {
                    char c = 'x';
                    (void)::write(out, &c, 1);
                }
            };
            Runner(create_engine(url), dir.graph()).upgrade("head", options);
        },
        30, std::chrono::milliseconds(500));
    REQUIRE(killed);

    Runner runner(create_engine(url), dir.graph());
    RunResult r = runner.upgrade("head", {.lock_timeout = std::chrono::seconds(30)});
    CHECK(r.ran() == 1);
    CHECK(r.revisions[0].resumed == !transactional());
    CHECK(tables(url) == std::set<std::string>{"t1", "t2", "t3"});
    CHECK(runner.status().at_head());
}

TEST_CASE("an edited applied revision is refused (kind refused: exit 4), naming the file") {
    TestDatabase db;
    MigrationsDir dir;
    dir.write("r1", "", table_step("t1"));
    dir.write("r2", "r1", table_step("t2"));
    Runner(db.engine(), dir.graph()).upgrade("r1");
    std::string path = dir.write("r1", "", table_step("t1") + "\n# a later edit\n");
    Runner runner(db.engine(), dir.graph());
    for (auto run : {std::function<void()>([&] { runner.upgrade(); }),
                     std::function<void()>([&] { runner.downgrade("base", {.allow_destructive = true}); })}) {
        auto e = error_of(run);
        REQUIRE(e);
        CHECK(e->kind() == ErrorKind::refused);
        CHECK(std::string(e->what()).find(path) != std::string::npos);
        CHECK(e->file() == path);
    }
    CHECK(applied_ids(db.url()) == std::set<std::string>{"r1"});
    CHECK(tables(db.url()) == std::set<std::string>{"t1"});
}

TEST_CASE("bad input is refused (kind input: exit 2) and nothing is applied") {
    TestDatabase db;
    MigrationsDir dir;
    dir.write("r1", "", table_step("t1"));

    SECTION("malformed TOML") {
        std::string path = dir.write_raw("r2_bad.toml", "revision = \"r2\"\ndown_revision = \"r1\"\n[[upgrade]]\nop = \n");
        auto e = error_of([&] { Runner(db.engine(), dir.graph()).upgrade(); });
        REQUIRE(e);
        CHECK(e->kind() == ErrorKind::input);
        CHECK(e->file() == path);
        CHECK(e->line() == 4);
    }
    SECTION("unknown op") {
        dir.write("r2", "r1", "[[upgrade]]\nop = \"drop_everything\"\n");
        auto e = error_of([&] { Runner(db.engine(), dir.graph()).upgrade(); });
        REQUIRE(e);
        CHECK(e->kind() == ErrorKind::input);
        CHECK(e->line() > 0);
    }
    SECTION("a cycle") {
        dir.write("r2", "r3", table_step("t2"));
        dir.write("r3", "r2", table_step("t3"));
        auto e = error_of([&] { Runner(db.engine(), dir.graph()).upgrade(); });
        REQUIRE(e);
        CHECK(e->kind() == ErrorKind::input);
    }
    SECTION("a later revision that does not fit the schema stops the run before the first one") {
        dir.write("r2", "r1", table_step("t2"));
        dir.write("r3", "r2", R"T(
[[upgrade]]
op = "drop_column"
table = "missing_table"
column = "nope"
destructive_ok = true
)T");
        auto e = error_of([&] { Runner(db.engine(), dir.graph()).upgrade(); });
        REQUIRE(e);
        CHECK(e->kind() == ErrorKind::input);
        CHECK(std::string(e->what()).find("r3") != std::string::npos);
    }
    CHECK(applied_ids(db.url()).empty());
    CHECK(tables(db.url()).empty());
}

TEST_CASE("a second upgrade while one runs times out on the lock (kind lock_timeout: exit 5), then finds nothing to do") {
    TestDatabase db;
    MigrationsDir dir;
    dir.write("r1", "", table_step("t1") + R"T(
[[upgrade]]
op = "call"
function = "slow"
)T");
    const std::string url = db.url();
    Runner(db.engine(), dir.graph()).stamp("base");  // the version table exists

    std::atomic<bool> inside{false};
    std::string first_error;
    std::thread first([&] {
        try {
            RunOptions options;
            options.functions["slow"] = [&](const CallContext&) {
                inside = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            };
            Runner(create_engine(url), dir.graph()).upgrade("head", options);
        } catch (const std::exception& e) {
            first_error = e.what();
        }
    });
    while (!inside) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    RunOptions options;
    options.functions["slow"] = [](const CallContext&) {};
    options.lock_timeout = std::chrono::milliseconds(200);
    auto e = error_of([&] { Runner(create_engine(url), dir.graph()).upgrade("head", options); });
    first.join();
    CHECK(first_error.empty());
    REQUIRE(e);
    CHECK(e->kind() == ErrorKind::lock_timeout);
    options.lock_timeout = std::chrono::seconds(10);
    CHECK(Runner(create_engine(url), dir.graph()).upgrade("head", options).nothing_to_do());
    CHECK(applied_ids(url) == std::set<std::string>{"r1"});
}
