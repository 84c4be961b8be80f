// Runs strata-tutorial on a fresh database of each dialect and checks what it prints, the
// SQL it echoes and the rows it leaves behind; then runs it again on the same database.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/value.hpp"
#include "orm/detail/column_traits.hpp"
#include "run_program.hpp"
#include "support/test_database.hpp"

using tutorial_test::run_program;

namespace {

// stdout of a run, after the "engine: ..." line (which names the URL).
const char* const expected_steps = R"(
== Creating tables
table users
table departments
table employees
table students
table courses
table enrollments

== Inserting records
added Alice with id 1
added Bob with id 2
added Charlie with id 3

== Querying records: all
Alice alice@example.com
Bob bob@example.com
Charlie charlie@example.com

== Querying records: filter_by
alice@example.com

== Querying records: or_
Alice alice@example.com
Bob bob@example.com

== Updating records
Alice alice@newdomain.com
same object as alice: yes

== Deleting records
deleted Charlie; users left: 2

== Relationships: one-to-many and many-to-one
Fay's department_id equals HR's id: yes
employees of IT:
  Dana
  Eli
department of Dana: IT

== Relationships: many-to-many
Ann: Math Physics
Ben: Math
Math has 2 student(s)
Physics has 1 student(s)

== Eager loading
HR: Fay
IT: Dana Eli
queries to load 2 departments with their employees: 2; while printing them: 0

== Sorting: order_by desc
Bob bob@example.com
Alice alice@newdomain.com

== Pagination: limit and offset
page 1: Alice
page 2: Bob
page 3: (none)

== Joining tables
Dana
Eli

== Sessions: try / commit / rollback
commit failed (constraint), rolled back
users: 2
inside the transaction: 4 users
left the block with an error: Yan has no valid email
after the rollback: 2 users

done
)";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// Splits the run's stdout into the engine line and the rest.
std::pair<std::string, std::string> split_engine_line(const std::string& out) {
    const std::string head = "\n== Setting up a database\n";
    REQUIRE(out.rfind(head, 0) == 0);
    auto end = out.find('\n', head.size());
    REQUIRE(end != std::string::npos);
    return {out.substr(head.size(), end - head.size()), out.substr(end + 1)};
}

std::int64_t count(strata::testing::TestDatabase& db, const std::string& sql) {
    auto rs = db.connection().query(sql);
    return strata::detail::value_to_int64(rs.rows.at(0).at(0), "count");
}

// The echoed statements (stderr lines "[strata <dialect>] SQL  -- params: (...)").
std::vector<std::string> echoed(const std::string& err, std::string_view dialect) {
    std::vector<std::string> out;
    const std::string prefix = fmt::format("[strata {}] ", dialect);
    for (auto& line : lines_of(err))
        if (line.rfind(prefix, 0) == 0) out.push_back(line.substr(prefix.size()));
    return out;
}

}  // namespace

TEST_CASE("the tutorial runs step by step and prints each result", "[tutorial]") {
    strata::testing::TestDatabase db;
    const std::string dialect(db.dialect().name());

    auto first = run_program(STRATA_TUTORIAL_EXE, {db.url()});
    INFO("stderr:\n" << first.err);
    REQUIRE(first.exit_code == 0);
    auto [engine_line, steps] = split_engine_line(first.out);
    CHECK(engine_line.rfind("engine: ", 0) == 0);
    CHECK(engine_line.find("(dialect " + dialect + ")") != std::string::npos);
    CHECK(lines_of(steps) == lines_of(expected_steps));

    // echo=True: every statement on stderr with its bound parameters.
    auto sql = echoed(first.err, dialect);
    REQUIRE_FALSE(sql.empty());
    bool inserted_alice = false, updated_email_only = false, joined = false;
    for (const auto& s : sql) {
        if (s.find("INSERT INTO") != std::string::npos && s.find("'Alice', 'alice@example.com'") != std::string::npos)
            inserted_alice = true;
        if (s.rfind("UPDATE", 0) == 0 && s.find("email") != std::string::npos &&
            s.find("alice@newdomain.com") != std::string::npos)
            updated_email_only = s.find("name") == std::string::npos;
        if (s.find(" JOIN ") != std::string::npos && s.find("'IT'") != std::string::npos) joined = true;
    }
    CHECK(inserted_alice);
    CHECK(updated_email_only);
    CHECK(joined);
    // Values are bound, never spliced into the SQL text.
    for (const auto& s : sql) CHECK(s.substr(0, s.find("  -- params:")).find("alice@") == std::string::npos);

    // What the tutorial left in the database.
    CHECK(count(db, "SELECT COUNT(*) FROM users") == 2);
    CHECK(count(db, "SELECT COUNT(*) FROM users WHERE email = 'alice@newdomain.com'") == 1);
    CHECK(count(db, "SELECT COUNT(*) FROM users WHERE name = 'Charlie' OR name = 'Mallory' OR name = 'Zed'") == 0);
    CHECK(count(db, "SELECT COUNT(*) FROM employees e JOIN departments d ON d.id = e.department_id "
                    "WHERE d.name = 'IT'") == 2);
    CHECK(count(db, "SELECT COUNT(*) FROM enrollments") == 3);

    // Re-running on the same database starts over and prints the same.
    auto second = run_program(STRATA_TUTORIAL_EXE, {db.url()});
    INFO("second stderr:\n" << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.out == first.out);
    CHECK(count(db, "SELECT COUNT(*) FROM users") == 2);
}

TEST_CASE("the tutorial stops with exit 1 when the database refuses a step", "[tutorial]") {
    strata::testing::TestDatabase db;
    REQUIRE(run_program(STRATA_TUTORIAL_EXE, {db.url()}).exit_code == 0);
    // A table of someone else refers to a user: the tutorial's drop_all may not drop
    // `users` now, so the second run must fail loudly, before printing any result.
    db.connection().execute_unprepared(
        "CREATE TABLE audit_notes (id INTEGER PRIMARY KEY, user_id BIGINT NOT NULL, "
        "CONSTRAINT fk_audit_user FOREIGN KEY (user_id) REFERENCES users (id))");
    db.connection().execute_unprepared("INSERT INTO audit_notes (id, user_id) VALUES (1, 1)");

    auto r = run_program(STRATA_TUTORIAL_EXE, {db.url()});
    INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("strata-tutorial: ") != std::string::npos);
    CHECK(r.out.find("== Inserting records") == std::string::npos);
    // The other table and the row it refers to are still there.
    CHECK(count(db, "SELECT COUNT(*) FROM audit_notes") == 1);
    CHECK(count(db, "SELECT COUNT(*) FROM users WHERE id = 1") == 1);
}
