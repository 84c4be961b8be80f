#include "orm_test_models.hpp"

namespace orm_test {

using namespace strata;

Registry& registry() {
    static Registry* r = [] {
        auto* reg = new Registry();
        reg->table<User>("users")
            .column("id", &User::id, primary_key)
            .column("name", &User::name, type(types::string(100)))
            .column("email", &User::email, unique)
            .column("age", &User::age)
            .column("active", &User::active);

        reg->table<Department>("departments")
            .column("id", &Department::id, primary_key)
            .column("name", &Department::name, unique)
            .relationship("employees", &Department::employees, back_populates(&Employee::department));
        reg->table<Employee>("employees")
            .column("id", &Employee::id, primary_key)
            .column("name", &Employee::name)
            .column("department_id", &Employee::department_id, foreign_key(&Department::id), indexed)
            .relationship("department", &Employee::department, back_populates(&Department::employees));

        reg->table<Order>("orders")
            .column("id", &Order::id, primary_key)
            .column("customer", &Order::customer)
            .relationship("lines", &Order::lines, delete_orphan);
        reg->table<OrderLine>("order_lines")
            .column("id", &OrderLine::id, primary_key)
            .column("order_id", &OrderLine::order_id, foreign_key("orders.id"))
            .column("product", &OrderLine::product)
            .column("quantity", &OrderLine::quantity, check("quantity > 0"));

        reg->table<Student>("students")
            .column("id", &Student::id, primary_key)
            .column("name", &Student::name)
            .relationship("courses", &Student::courses, secondary("enrollments", "student_id", "course_id"),
                          back_populates(&Course::students));
        reg->table<Course>("courses")
            .column("id", &Course::id, primary_key)
            .column("title", &Course::title)
            .relationship("students", &Course::students, secondary("enrollments", "course_id", "student_id"),
                          back_populates(&Student::courses));

        reg->table<Category>("categories")
            .column("id", &Category::id, primary_key)
            .column("name", &Category::name)
            .column("parent_id", &Category::parent_id, foreign_key(&Category::id))
            .relationship("parent", &Category::parent, back_populates(&Category::children))
            .relationship("children", &Category::children, back_populates(&Category::parent), cascade_delete);

        reg->table<Sample>("samples")
            .column("id", &Sample::id, primary_key)
            .column("text", &Sample::text, type(types::text()))
            .column("maybe_text", &Sample::maybe_text, type(types::text()))
            .column("bytes", &Sample::bytes)
            .column("blob", &Sample::blob)
            .column("flag", &Sample::flag)
            .column("maybe_flag", &Sample::maybe_flag)
            .column("small", &Sample::small)
            .column("medium", &Sample::medium)
            .column("big", &Sample::big)
            .column("real", &Sample::real)
            .column("single", &Sample::single)
            .column("day", &Sample::day)
            .column("moment", &Sample::moment)
            .column("stamp", &Sample::stamp)
            .column("maybe_stamp", &Sample::maybe_stamp)
            .column("color", &Sample::color)
            .column("priority", &Sample::priority)
            .column("price", &Sample::price, type(types::numeric(10, 2)));

        reg->table<Membership>("memberships")
            .column("group_id", &Membership::group_id, primary_key)
            .column("member", &Membership::member, primary_key, type(types::string(50)))
            .column("level", &Membership::level);
        return reg;
    }();
    return *r;
}


}  // namespace orm_test
