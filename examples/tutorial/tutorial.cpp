// strata-tutorial: the SQLAlchemy ORM tutorial ("Using ORM with SQLAlchemy: Complete
// Beginner to Advanced Guide") step by step, in C++ with strata. docs/tutorial.md walks
// through it section by section.
//
//   strata-tutorial [DATABASE_URL]        default: sqlite:///tutorial.db
//
// Each step prints its result on stdout; the engine echoes every SQL statement with its
// parameters on stderr (echo=True in the original). The tables the tutorial declares
// (users, departments, employees, students, courses, enrollments) are dropped first, so
// the program can be run again on the same database; no other table is touched.
//
// Exit codes: 0 done; 2 bad arguments or URL; 1 any other failure (message on stderr).
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "orm/orm.hpp"

namespace tutorial {

// ---- Mapping classes to tables ----------------------------------------------------------
// A model is a plain struct; each mapped member becomes a column. std::optional marks a
// nullable column, as `email = Column(String, unique=True)` is nullable in SQLAlchemy.

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
};

struct Employee;

struct Department {
    std::int64_t id = 0;
    std::string name;
    strata::Collection<Employee> employees;  // relationship("Employee", back_populates="department")
};

struct Employee {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> department_id;  // ForeignKey('departments.id')
    strata::Related<Department> department;     // relationship("Department", back_populates="employees")
};

// Many-to-many through the association table `enrollments`.
struct Course;

struct Student {
    std::int64_t id = 0;
    std::string name;
    strata::Collection<Course> courses;
};

struct Course {
    std::int64_t id = 0;
    std::string title;
    strata::Collection<Student> students;
};

// The declarative base: every strata::table<T>() call declares into strata::models(), the
// program-wide registry (SQLAlchemy's Base / Base.metadata).
void declare_models() {
    using namespace strata;
    table<User>("users")
        .column("id", &User::id, primary_key)
        .column("name", &User::name)
        .column("email", &User::email, unique);

    table<Department>("departments")
        .column("id", &Department::id, primary_key)
        .column("name", &Department::name)
        .relationship("employees", &Department::employees, back_populates(&Employee::department));

    table<Employee>("employees")
        .column("id", &Employee::id, primary_key)
        .column("name", &Employee::name)
        .column("department_id", &Employee::department_id, foreign_key(&Department::id))
        .relationship("department", &Employee::department, back_populates(&Department::employees));

    table<Student>("students")
        .column("id", &Student::id, primary_key)
        .column("name", &Student::name)
        .relationship("courses", &Student::courses, secondary("enrollments", "student_id", "course_id"),
                      back_populates(&Course::students));

    table<Course>("courses")
        .column("id", &Course::id, primary_key)
        .column("title", &Course::title)
        .relationship("students", &Course::students, secondary("enrollments", "course_id", "student_id"),
                      back_populates(&Student::courses));
}

void heading(const std::string& title) { std::cout << "\n== " << title << "\n"; }

std::string email_of(const User& u) { return u.email ? *u.email : "(no email)"; }

void print_users(const std::vector<std::shared_ptr<User>>& users) {
    for (const auto& u : users) std::cout << u->name << " " << email_of(*u) << "\n";
    if (users.empty()) std::cout << "(none)\n";
}

std::uint64_t statements(strata::Engine& engine) { return engine.stats().statements; }

void run(const std::string& url) {
    using strata::col;
    using strata::Session;

    // ---- Setting up a database ------------------------------------------------------------
    heading("Setting up a database");
    auto engine = strata::create_engine(url, {.echo = true});
    std::cout << "engine: " << engine.url().redacted() << " (dialect " << engine.dialect().name() << ")\n";

    // ---- Creating tables ------------------------------------------------------------------
    heading("Creating tables");
    declare_models();
    strata::models().drop_all(engine);  // only the tables above: makes the tutorial re-runnable
    strata::models().create_all(engine);
    for (const auto& table : strata::models().metadata().tables()) std::cout << "table " << table.name << "\n";

    // ---- Inserting records ----------------------------------------------------------------
    // Session = sessionmaker(bind=engine); session = Session()
    Session session(engine);

    heading("Inserting records");
    auto alice = session.add(User{.name = "Alice", .email = "alice@example.com"});
    session.commit();
    std::cout << "added " << alice->name << " with id " << alice->id << "\n";

    auto added = session.add_all({User{.name = "Bob", .email = "bob@example.com"},
                                  User{.name = "Charlie", .email = "charlie@example.com"}});
    session.commit();
    for (const auto& u : added) std::cout << "added " << u->name << " with id " << u->id << "\n";

    // ---- Querying records -----------------------------------------------------------------
    heading("Querying records: all");
    // SQL promises no row order without ORDER BY; order by id to print a stable listing.
    print_users(session.query<User>().order_by(&User::id).all());

    heading("Querying records: filter_by");
    auto user = session.query<User>().filter_by(&User::name, "Alice").first();
    std::cout << user->email.value_or("(no email)") << "\n";

    heading("Querying records: or_");
    print_users(session.query<User>()
                    .filter(col(&User::name) == "Alice" || col(&User::name) == "Bob")
                    .order_by(&User::name)
                    .all());

    // ---- Updating records -----------------------------------------------------------------
    heading("Updating records");
    user = session.query<User>().filter_by(&User::name, "Alice").first();
    user->email = "alice@newdomain.com";
    session.commit();  // UPDATE users SET email = ? WHERE id = ?: the changed column only
    std::cout << user->name << " " << email_of(*user) << "\n";
    std::cout << "same object as alice: " << (user == alice ? "yes" : "no") << "\n";  // identity map

    // ---- Deleting records -----------------------------------------------------------------
    heading("Deleting records");
    user = session.query<User>().filter_by(&User::name, "Charlie").first();
    session.remove(user);
    session.commit();
    std::cout << "deleted Charlie; users left: " << session.query<User>().count() << "\n";

    // ---- Relationships: one-to-many, many-to-one ---------------------------------------------
    heading("Relationships: one-to-many and many-to-one");
    auto it = session.add(Department{.name = "IT"});
    auto hr = session.add(Department{.name = "HR"});
    // Appending to a collection sets the child's department (back_populates); the child
    // is saved with its parent, and its foreign key gets the parent's generated id.
    it->employees.push_back(std::make_shared<Employee>(Employee{.name = "Dana"}));
    it->employees.push_back(std::make_shared<Employee>(Employee{.name = "Eli"}));
    // Or set the many-to-one side.
    session.add(Employee{.name = "Fay", .department = hr});
    session.commit();
    std::cout << "Fay's department_id equals HR's id: "
              << (session.query<Employee>().filter_by(&Employee::name, "Fay").one()->department_id == hr->id ? "yes"
                                                                                                           : "no")
              << "\n";

    {
        // A new session, so that relationships are loaded from the database (lazily).
        Session fresh(engine);
        // Access employees of a department
        auto dept = fresh.query<Department>().order_by(&Department::id).first();
        std::cout << "employees of " << dept->name << ":\n";
        for (const auto& emp : dept->employees) std::cout << "  " << emp->name << "\n";
        // Access department of an employee
        auto emp = fresh.query<Employee>().order_by(&Employee::id).first();
        std::cout << "department of " << emp->name << ": " << emp->department->name << "\n";
    }

    // ---- Relationships: many-to-many ------------------------------------------------------
    heading("Relationships: many-to-many");
    auto math = std::make_shared<Course>(Course{.title = "Math"});
    auto physics = std::make_shared<Course>(Course{.title = "Physics"});
    auto ann = session.add(Student{.name = "Ann"});
    auto ben = session.add(Student{.name = "Ben"});
    ann->courses.push_back(math);
    ann->courses.push_back(physics);
    ben->courses.push_back(math);
    session.commit();  // students, courses, then the enrollments rows
    {
        Session fresh(engine);
        for (const auto& s : fresh.query<Student>().order_by(&Student::name).all()) {
            std::cout << s->name << ":";
            for (const auto& c : s->courses) std::cout << " " << c->title;
            std::cout << "\n";
        }
        for (const auto& c : fresh.query<Course>().order_by(&Course::title).all())
            std::cout << c->title << " has " << c->students.size() << " student(s)\n";
    }

    // ---- Eager loading --------------------------------------------------------------------
    heading("Eager loading");
    {
        Session fresh(engine);
        auto before = statements(engine);
        auto depts = fresh.query<Department>().eager(&Department::employees).order_by(&Department::name).all();
        auto loading = statements(engine) - before;
        before = statements(engine);
        for (const auto& d : depts) {
            std::cout << d->name << ":";
            for (const auto& e : d->employees) std::cout << " " << e->name;
            std::cout << "\n";
        }
        // One query for the departments, one for all their employees, none while printing.
        std::cout << "queries to load " << depts.size() << " departments with their employees: " << loading
                  << "; while printing them: " << (statements(engine) - before) << "\n";
    }

    // ---- Advanced query techniques ----------------------------------------------------------
    heading("Sorting: order_by desc");
    print_users(session.query<User>().order_by(strata::desc(&User::name)).all());

    heading("Pagination: limit and offset");
    // The original pages through many users with limit(10).offset(20); with two users
    // left, pages of one show the same thing.
    for (std::int64_t page = 0; page < 3; ++page) {
        std::cout << "page " << page + 1 << ": ";
        auto rows = session.query<User>().order_by(&User::name).limit(1).offset(page).all();
        std::cout << (rows.empty() ? "(none)" : rows.front()->name) << "\n";
    }

    heading("Joining tables");
    for (const auto& e : session.query<Employee>()
                             .join<Department>()
                             .filter(col(&Department::name) == "IT")
                             .order_by(&Employee::name)
                             .all())
        std::cout << e->name << "\n";

    // ---- Sessions: commit, or rollback on error ---------------------------------------------
    heading("Sessions: try / commit / rollback");
    try {
        session.add(User{.name = "Mallory", .email = "bob@example.com"});  // email is unique
        session.commit();
        std::cout << "committed (unexpected)\n";
    } catch (const strata::Error& e) {
        session.rollback();
        std::cout << "commit failed (" << strata::to_string(e.kind()) << "), rolled back\n";
        std::cerr << "tutorial: expected failure: " << e.what() << "\n";
    }
    std::cout << "users: " << session.query<User>().count() << "\n";

    // The same pattern as an RAII guard: a transaction not committed is rolled back when
    // it goes out of scope, also when an exception leaves the block.
    auto check_email = [](const User& u) {
        if (!u.email || u.email->find('@') == std::string::npos)
            throw std::invalid_argument(u.name + " has no valid email");
    };
    try {
        auto tx = session.begin();
        auto zed = session.add(User{.name = "Zed", .email = "zed@example.com"});
        auto yan = session.add(User{.name = "Yan", .email = "yan at example.com"});
        session.flush();
        std::cout << "inside the transaction: " << session.query<User>().count() << " users\n";
        check_email(*zed);
        check_email(*yan);  // throws: tx is destroyed uncommitted
        tx.commit();
    } catch (const std::invalid_argument& e) {
        std::cout << "left the block with an error: " << e.what() << "\n";
    }
    std::cout << "after the rollback: " << session.query<User>().count() << " users\n";
    // session.close(): the Session's destructor releases it (and rolls back anything open).
}

}  // namespace tutorial

int main(int argc, char** argv) {
    if (argc > 2 || (argc == 2 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help"))) {
        std::cerr << "usage: strata-tutorial [DATABASE_URL]\n"
                     "  e.g. sqlite:///tutorial.db (default), postgresql://user:pass@host:5432/db,\n"
                     "       mysql://user:pass@host:3306/db\n";
        return argc > 2 ? 2 : 0;
    }
    const std::string url = argc == 2 ? argv[1] : "sqlite:///tutorial.db";
    try {
        tutorial::run(url);
        std::cout << "\ndone\n";
        return 0;
    } catch (const strata::Error& e) {
        std::cerr << "strata-tutorial: " << e.what() << "\n";
        if (!e.sql().empty()) std::cerr << "  SQL: " << e.sql() << "\n";
        return e.kind() == strata::ErrorKind::input || e.kind() == strata::ErrorKind::usage ? 2 : 1;
    } catch (const std::exception& e) {
        std::cerr << "strata-tutorial: " << e.what() << "\n";
        return 1;
    }
}
