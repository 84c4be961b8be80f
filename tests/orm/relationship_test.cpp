// Relationships on every database: lazy and eager loading (with query counts),
// back-population, many-to-many association rows, cascades.
#include <catch2/catch.hpp>

#include <algorithm>

#include "orm_test_models.hpp"

using namespace strata;
using namespace orm_test;

namespace {

std::int64_t scalar(Fixture& f, const std::string& sql, std::initializer_list<Value> params = {}) {
    auto rs = f.query(sql, params);
    return detail::value_to_int64(rs.rows.at(0).at(0), "count");
}

// Three departments with 2, 3 and 0 employees, committed through a first session.
void seed_company(Fixture& f) {
    Session s(f.db.engine(), registry());
    auto it = s.add(Department{.name = "IT"});
    auto hr = s.add(Department{.name = "HR"});
    s.add(Department{.name = "Empty"});
    for (const char* n : {"Ann", "Ben"}) it->employees.push_back(std::make_shared<Employee>(Employee{.name = n}));
    for (const char* n : {"Cat", "Dan", "Eli"}) hr->employees.push_back(std::make_shared<Employee>(Employee{.name = n}));
    s.commit();
}

}  // namespace

TEST_CASE("orm: many-to-one and one-to-many load lazily", "[orm][relationship]") {
    Fixture f;
    seed_company(f);
    Session s(f.db.engine(), registry());
    auto dept = s.query<Department>().filter_by(&Department::name, "HR").one();
    CHECK_FALSE(dept->employees.loaded());
    auto before = f.statements();
    std::vector<std::string> names;
    for (auto& e : dept->employees) names.push_back(e->name);
    CHECK(f.statements() - before == 1);
    CHECK(names == std::vector<std::string>{"Cat", "Dan", "Eli"});

    auto emp = s.query<Employee>().filter_by(&Employee::name, "Ann").one();
    CHECK_FALSE(emp->department.loaded());
    CHECK(emp->department->name == "IT");
    // The parent of an employee of HR is the object already loaded (identity map).
    auto eli = s.query<Employee>().filter_by(&Employee::name, "Eli").one();
    before = f.statements();
    CHECK(eli->department.get().get() == dept.get());
    CHECK(f.statements() == before);

    // A NULL foreign key is an empty relationship.
    auto loner = s.add(Employee{.name = "Loner"});
    s.commit();
    CHECK_FALSE(loner->department);
    CHECK_THROWS_AS(loner->department->name, Error);
}

TEST_CASE("orm: eager loading costs one query per relationship for the whole result", "[orm][relationship]") {
    Fixture f;
    seed_company(f);
    {
        Session s(f.db.engine(), registry());
        auto before = f.statements();
        auto depts = s.query<Department>().eager(&Department::employees).order_by(&Department::name).all();
        CHECK(f.statements() - before == 2);
        REQUIRE(depts.size() == 3);
        before = f.statements();
        std::size_t total = 0;
        for (auto& d : depts) {
            CHECK(d->employees.loaded());
            total += d->employees.size();
            for (auto& e : d->employees) CHECK(e->department.get().get() == d.get());  // back-populated
        }
        CHECK(total == 5);
        CHECK(depts[0]->name == "Empty");
        CHECK(depts[0]->employees.empty());
        CHECK(f.statements() == before);  // nothing loaded lazily
    }
    {
        Session s(f.db.engine(), registry());
        auto before = f.statements();
        auto emps = s.query<Employee>().eager(&Employee::department).all();
        CHECK(f.statements() - before == 2);
        before = f.statements();
        for (auto& e : emps) CHECK(e->department);
        CHECK(f.statements() == before);
    }
    {
        // Eager objects stay usable after the session is gone.
        std::vector<std::shared_ptr<Department>> depts;
        {
            Session s(f.db.engine(), registry());
            depts = s.query<Department>().eager(&Department::employees).all();
        }
        std::size_t total = 0;
        for (auto& d : depts) total += d->employees.size();
        CHECK(total == 5);
    }
    Session s(f.db.engine(), registry());
    CHECK_THROWS_AS(s.query<Department>().eager(&Department::name).all(), Error);
}

TEST_CASE("orm: back-population keeps both sides in step", "[orm][relationship]") {
    Fixture f;
    seed_company(f);
    Session s(f.db.engine(), registry());
    auto it = s.query<Department>().filter_by(&Department::name, "IT").one();
    auto hr = s.query<Department>().filter_by(&Department::name, "HR").one();
    REQUIRE(it->employees.size() == 2);
    REQUIRE(hr->employees.size() == 3);
    auto ann = it->employees[0];

    // Moving through the many-to-one side updates both collections in memory.
    ann->department = hr;
    CHECK(it->employees.size() == 1);
    CHECK(hr->employees.contains(ann));
    s.commit();
    CHECK(ann->department_id == hr->id);
    CHECK(scalar(f, "SELECT COUNT(*) FROM employees WHERE department_id = ?", {Value(hr->id)}) == 4);

    // Appending to a collection sets the child's Related (and its key at flush).
    auto ben = it->employees[0];
    hr->employees.push_back(ben);
    CHECK(ben->department.get() == hr);
    CHECK(it->employees.empty());
    s.commit();
    CHECK(ben->department_id == hr->id);

    // Removing (no delete_orphan) detaches the child: its key becomes NULL.
    hr->employees.remove(ben);
    CHECK_FALSE(ben->department);
    s.commit();
    CHECK_FALSE(ben->department_id.has_value());
    CHECK(scalar(f, "SELECT COUNT(*) FROM employees WHERE department_id IS NULL") == 1);
}

TEST_CASE("orm: many-to-many association rows are inserted and deleted", "[orm][relationship]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto math = std::make_shared<Course>(Course{.title = "Math"});
    auto art = std::make_shared<Course>(Course{.title = "Art"});
    auto ann = s.add(Student{.name = "Ann"});
    auto bob = s.add(Student{.name = "Bob"});
    ann->courses.push_back(math);
    ann->courses.push_back(art);
    bob->courses.push_back(math);
    s.commit();
    REQUIRE(math->id > 0);
    CHECK(scalar(f, "SELECT COUNT(*) FROM enrollments") == 3);

    // Back-populated in memory for pending objects at flush... and both sides write the
    // same row only once.
    auto cid = s.add(Student{.name = "Cid"});
    s.commit();
    auto loaded_math = s.get<Course>(math->id);
    REQUIRE(loaded_math->students.size() == 2);
    cid->courses.push_back(loaded_math);
    CHECK(loaded_math->students.contains(cid));
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM enrollments WHERE course_id = ?", {Value(math->id)}) == 3);

    // Removing from either side deletes the association row.
    ann->courses.remove(art);
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM enrollments WHERE student_id = ?", {Value(ann->id)}) == 1);
    loaded_math->students.remove(bob);
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM enrollments WHERE student_id = ?", {Value(bob->id)}) == 0);

    // Deleting an object deletes its association rows too.
    s.remove(cid);
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM enrollments") == 1);

    // Loading: lazy per object, eager in one query.
    Session s2(f.db.engine(), registry());
    auto before = f.statements();
    auto students = s2.query<Student>().eager(&Student::courses).order_by(&Student::name).all();
    CHECK(f.statements() - before == 2);
    REQUIRE(students.size() == 2);
    CHECK(students[0]->courses.size() == 1);
    CHECK(students[0]->courses[0]->title == "Math");
    CHECK(students[1]->courses.empty());
}

TEST_CASE("orm: delete-orphan and cascade delete", "[orm][relationship]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto order = s.add(Order{.customer = "ACME"});
    order->lines.push_back(std::make_shared<OrderLine>(OrderLine{.product = "bolt", .quantity = 10}));
    order->lines.push_back(std::make_shared<OrderLine>(OrderLine{.product = "nut", .quantity = 20}));
    order->lines.push_back(std::make_shared<OrderLine>(OrderLine{.product = "gear", .quantity = 1}));
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM order_lines WHERE order_id = ?", {Value(order->id)}) == 3);

    // Removed from the collection: deleted.
    auto nut = order->lines[1];
    order->lines.remove(nut);
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM order_lines") == 2);
    CHECK_FALSE(s.contains(nut));

    // Deleting the parent deletes the children, loading them first when needed.
    Session s2(f.db.engine(), registry());
    auto again = s2.get<Order>(order->id);
    s2.remove(again);
    s2.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM order_lines") == 0);
    CHECK(scalar(f, "SELECT COUNT(*) FROM orders") == 0);
}

TEST_CASE("orm: deleting a parent without cascade clears nullable child keys", "[orm][relationship]") {
    Fixture f;
    seed_company(f);
    Session s(f.db.engine(), registry());
    auto it = s.query<Department>().filter_by(&Department::name, "IT").one();
    s.remove(it);
    s.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM employees") == 5);
    CHECK(scalar(f, "SELECT COUNT(*) FROM employees WHERE department_id IS NULL") == 2);
}

TEST_CASE("orm: removing a child with a NOT NULL key and no delete-orphan is a clear error", "[orm][relationship]") {
    // order_lines.order_id is NOT NULL; a collection without delete_orphan is declared on
    // a registry of its own for this test.
    struct Box;
    struct Item {
        std::int64_t id = 0;
        std::int64_t box_id = 0;
    };
    struct Box {
        std::int64_t id = 0;
        Collection<Item> items;
    };
    Registry reg;
    reg.table<Box>("boxes").column("id", &Box::id, primary_key).relationship("items", &Box::items);
    reg.table<Item>("items").column("id", &Item::id, primary_key).column("box_id", &Item::box_id,
                                                                            foreign_key(&Box::id));
    testing::TestDatabase db;
    reg.create_all(db.engine());
    Session s(db.engine(), reg);
    auto box = s.add(Box{});
    box->items.push_back(std::make_shared<Item>());
    s.commit();
    auto item = box->items[0];
    box->items.remove(item);
    try {
        s.commit();
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("items.box_id") != std::string::npos);
    }
}

TEST_CASE("orm: self-referential relationships insert parents first", "[orm][relationship]") {
    Fixture f;
    Session s(f.db.engine(), registry());
    auto root = std::make_shared<Category>(Category{.name = "root"});
    auto a = std::make_shared<Category>(Category{.name = "a"});
    auto b = std::make_shared<Category>(Category{.name = "b"});
    auto a1 = std::make_shared<Category>(Category{.name = "a1"});
    // Added leaf-first on purpose.
    s.add(a1);
    a1->parent = a;
    root->children.push_back(a);
    root->children.push_back(b);
    s.add(root);
    s.commit();
    CHECK(a->parent_id == root->id);
    CHECK(b->parent_id == root->id);
    CHECK(a1->parent_id == a->id);
    CHECK(a1->id > a->id);

    Session s2(f.db.engine(), registry());
    auto r = s2.get<Category>(root->id);
    CHECK(r->children.size() == 2);
    // cascade_delete through two levels.
    s2.remove(r);
    s2.commit();
    CHECK(scalar(f, "SELECT COUNT(*) FROM categories") == 0);
}

TEST_CASE("orm: save-update cascade can be turned off", "[orm][relationship]") {
    struct Owner;
    struct Pet {
        std::int64_t id = 0;
        std::optional<std::int64_t> owner_id;
        Related<Owner> owner;
    };
    struct Owner {
        std::int64_t id = 0;
    };
    Registry reg;
    reg.table<Owner>("owners").column("id", &Owner::id, primary_key);
    reg.table<Pet>("pets")
        .column("id", &Pet::id, primary_key)
        .column("owner_id", &Pet::owner_id, foreign_key(&Owner::id))
        .relationship("owner", &Pet::owner, no_save_update);
    testing::TestDatabase db;
    reg.create_all(db.engine());
    Session s(db.engine(), reg);
    s.add(Pet{.owner = std::make_shared<Owner>()});
    try {
        s.commit();
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("not in the session") != std::string::npos);
    }
}

TEST_CASE("orm: objects linked both ways are freed once the session and the program let go", "[orm][relationship]") {
    Fixture f;
    seed_company(f);
    std::weak_ptr<Department> dept_seen;
    std::weak_ptr<Employee> emp_seen;
    std::weak_ptr<Student> student_seen;
    std::shared_ptr<Employee> kept;
    {
        Session s(f.db.engine(), registry());
        auto depts = s.query<Department>().eager(&Department::employees).all();
        auto emps = s.query<Employee>().eager(&Employee::department).all();
        for (auto& d : depts)
            if (d->name == "IT") dept_seen = d;
        emp_seen = emps.front();
        kept = emps.back();
        // A many-to-many pair loaded from both sides.
        auto st = s.add(Student{.name = "Sam"});
        st->courses.push_back(std::make_shared<Course>(Course{.title = "Logic"}));
        s.commit();
        CHECK(st->courses[0]->students.contains(st));
        student_seen = st;
    }
    CHECK(dept_seen.expired());
    CHECK(emp_seen.expired());
    CHECK(student_seen.expired());
    // An object still held reports plainly that its parent is gone.
    REQUIRE(kept);
    CHECK(kept->department.loaded());
    try {
        (void)kept->department->name;
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).find("session ended") != std::string::npos);
    }
}
