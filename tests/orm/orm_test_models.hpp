// Models shared by the ORM conformance tests, declared into a registry of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orm/orm.hpp"
#include "support/test_database.hpp"

namespace orm_test {

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    int age = 0;
    bool active = true;
};

struct Employee;

struct Department {
    std::int64_t id = 0;
    std::string name;
    strata::Collection<Employee> employees;
};

struct Employee {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> department_id;
    strata::Related<Department> department;
};

// One-to-many with delete-orphan and a NOT NULL foreign key.
struct OrderLine;
struct Order {
    std::int64_t id = 0;
    std::string customer;
    strata::Collection<OrderLine> lines;
};
struct OrderLine {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::string product;
    int quantity = 1;
};

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

// Self-referential tree.
struct Category {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> parent_id;
    strata::Related<Category> parent;
    strata::Collection<Category> children;
};

enum class Color { red, green, blue };
enum class Priority : int { low = 1, high = 9 };

// Every mapped value type.
struct Sample {
    std::int64_t id = 0;
    std::string text;
    std::optional<std::string> maybe_text;
    std::vector<std::uint8_t> bytes;
    strata::Blob blob;
    bool flag = false;
    std::optional<bool> maybe_flag;
    std::int16_t small = 0;
    std::int32_t medium = 0;
    std::int64_t big = 0;
    double real = 0;
    float single = 0;
    strata::Date day;
    strata::Time moment;
    strata::DateTime stamp;
    std::optional<strata::DateTime> maybe_stamp;
    Color color = Color::red;
    Priority priority = Priority::low;
    std::string price = "0.00";  // numeric(10,2) read as text
};

// Composite primary key without generation.
struct Membership {
    std::int64_t group_id = 0;
    std::string member;
    int level = 0;
};

strata::Registry& registry();

// A fresh database with every test table created.
struct Fixture : strata::testing::OrmFixture {
    Fixture() : OrmFixture(registry()) {}
};

}  // namespace orm_test

template <>
struct strata::EnumMapping<orm_test::Color> {
    static constexpr std::pair<orm_test::Color, std::string_view> values[] = {
        {orm_test::Color::red, "red"}, {orm_test::Color::green, "green"}, {orm_test::Color::blue, "blue"}};
};
