// Fifty models declared in one file: the compile-time yardstick of the declaration
// API (docs/models.md records how long this file takes to compile).
#include "fifty_models.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orm/model.hpp"

namespace fifty {

struct Model0 {
    std::int64_t id = 0;
    std::int64_t field0{};
    std::string field1{};
    std::optional<std::string> field2{};
    int field3{};
    bool field4{};
    double field5{};
};

struct Model1 {
    std::int64_t id = 0;
    std::string field0{};
    std::optional<std::string> field1{};
    int field2{};
    bool field3{};
    double field4{};
    std::optional<strata::DateTime> field5{};
    strata::Date field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model2 {
    std::int64_t id = 0;
    std::optional<std::string> field0{};
    int field1{};
    bool field2{};
    double field3{};
    std::optional<strata::DateTime> field4{};
    strata::Date field5{};
    std::optional<std::int64_t> field6{};
    std::vector<std::uint8_t> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model3 {
    std::int64_t id = 0;
    int field0{};
    bool field1{};
    double field2{};
    std::optional<strata::DateTime> field3{};
    strata::Date field4{};
    std::optional<std::int64_t> field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model4 {
    std::int64_t id = 0;
    bool field0{};
    double field1{};
    std::optional<strata::DateTime> field2{};
    strata::Date field3{};
    std::optional<std::int64_t> field4{};
    std::vector<std::uint8_t> field5{};
    std::int64_t field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model5 {
    std::int64_t id = 0;
    double field0{};
    std::optional<strata::DateTime> field1{};
    strata::Date field2{};
    std::optional<std::int64_t> field3{};
    std::vector<std::uint8_t> field4{};
    std::int64_t field5{};
    std::string field6{};
    std::optional<std::string> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model6 {
    std::int64_t id = 0;
    std::optional<strata::DateTime> field0{};
    strata::Date field1{};
    std::optional<std::int64_t> field2{};
    std::vector<std::uint8_t> field3{};
    std::int64_t field4{};
    std::string field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model7 {
    std::int64_t id = 0;
    strata::Date field0{};
    std::optional<std::int64_t> field1{};
    std::vector<std::uint8_t> field2{};
    std::int64_t field3{};
    std::string field4{};
    std::optional<std::string> field5{};
    int field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model8 {
    std::int64_t id = 0;
    std::optional<std::int64_t> field0{};
    std::vector<std::uint8_t> field1{};
    std::int64_t field2{};
    std::string field3{};
    std::optional<std::string> field4{};
    int field5{};
    bool field6{};
    double field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model9 {
    std::int64_t id = 0;
    std::vector<std::uint8_t> field0{};
    std::int64_t field1{};
    std::string field2{};
    std::optional<std::string> field3{};
    int field4{};
    bool field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model10 {
    std::int64_t id = 0;
    std::int64_t field0{};
    std::string field1{};
    std::optional<std::string> field2{};
    int field3{};
    bool field4{};
    double field5{};
    std::optional<strata::DateTime> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model11 {
    std::int64_t id = 0;
    std::string field0{};
    std::optional<std::string> field1{};
    int field2{};
    bool field3{};
    double field4{};
    std::optional<strata::DateTime> field5{};
    strata::Date field6{};
    std::optional<std::int64_t> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model12 {
    std::int64_t id = 0;
    std::optional<std::string> field0{};
    int field1{};
    bool field2{};
    double field3{};
    std::optional<strata::DateTime> field4{};
    strata::Date field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model13 {
    std::int64_t id = 0;
    int field0{};
    bool field1{};
    double field2{};
    std::optional<strata::DateTime> field3{};
    strata::Date field4{};
    std::optional<std::int64_t> field5{};
    std::vector<std::uint8_t> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model14 {
    std::int64_t id = 0;
    bool field0{};
    double field1{};
    std::optional<strata::DateTime> field2{};
    strata::Date field3{};
    std::optional<std::int64_t> field4{};
    std::vector<std::uint8_t> field5{};
    std::int64_t field6{};
    std::string field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model15 {
    std::int64_t id = 0;
    double field0{};
    std::optional<strata::DateTime> field1{};
    strata::Date field2{};
    std::optional<std::int64_t> field3{};
    std::vector<std::uint8_t> field4{};
    std::int64_t field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model16 {
    std::int64_t id = 0;
    std::optional<strata::DateTime> field0{};
    strata::Date field1{};
    std::optional<std::int64_t> field2{};
    std::vector<std::uint8_t> field3{};
    std::int64_t field4{};
    std::string field5{};
    std::optional<std::string> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model17 {
    std::int64_t id = 0;
    strata::Date field0{};
    std::optional<std::int64_t> field1{};
    std::vector<std::uint8_t> field2{};
    std::int64_t field3{};
    std::string field4{};
    std::optional<std::string> field5{};
    int field6{};
    bool field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model18 {
    std::int64_t id = 0;
    std::optional<std::int64_t> field0{};
    std::vector<std::uint8_t> field1{};
    std::int64_t field2{};
    std::string field3{};
    std::optional<std::string> field4{};
    int field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model19 {
    std::int64_t id = 0;
    std::vector<std::uint8_t> field0{};
    std::int64_t field1{};
    std::string field2{};
    std::optional<std::string> field3{};
    int field4{};
    bool field5{};
    double field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model20 {
    std::int64_t id = 0;
    std::int64_t field0{};
    std::string field1{};
    std::optional<std::string> field2{};
    int field3{};
    bool field4{};
    double field5{};
    std::optional<strata::DateTime> field6{};
    strata::Date field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model21 {
    std::int64_t id = 0;
    std::string field0{};
    std::optional<std::string> field1{};
    int field2{};
    bool field3{};
    double field4{};
    std::optional<strata::DateTime> field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model22 {
    std::int64_t id = 0;
    std::optional<std::string> field0{};
    int field1{};
    bool field2{};
    double field3{};
    std::optional<strata::DateTime> field4{};
    strata::Date field5{};
    std::optional<std::int64_t> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model23 {
    std::int64_t id = 0;
    int field0{};
    bool field1{};
    double field2{};
    std::optional<strata::DateTime> field3{};
    strata::Date field4{};
    std::optional<std::int64_t> field5{};
    std::vector<std::uint8_t> field6{};
    std::int64_t field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model24 {
    std::int64_t id = 0;
    bool field0{};
    double field1{};
    std::optional<strata::DateTime> field2{};
    strata::Date field3{};
    std::optional<std::int64_t> field4{};
    std::vector<std::uint8_t> field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model25 {
    std::int64_t id = 0;
    double field0{};
    std::optional<strata::DateTime> field1{};
    strata::Date field2{};
    std::optional<std::int64_t> field3{};
    std::vector<std::uint8_t> field4{};
    std::int64_t field5{};
    std::string field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model26 {
    std::int64_t id = 0;
    std::optional<strata::DateTime> field0{};
    strata::Date field1{};
    std::optional<std::int64_t> field2{};
    std::vector<std::uint8_t> field3{};
    std::int64_t field4{};
    std::string field5{};
    std::optional<std::string> field6{};
    int field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model27 {
    std::int64_t id = 0;
    strata::Date field0{};
    std::optional<std::int64_t> field1{};
    std::vector<std::uint8_t> field2{};
    std::int64_t field3{};
    std::string field4{};
    std::optional<std::string> field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model28 {
    std::int64_t id = 0;
    std::optional<std::int64_t> field0{};
    std::vector<std::uint8_t> field1{};
    std::int64_t field2{};
    std::string field3{};
    std::optional<std::string> field4{};
    int field5{};
    bool field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model29 {
    std::int64_t id = 0;
    std::vector<std::uint8_t> field0{};
    std::int64_t field1{};
    std::string field2{};
    std::optional<std::string> field3{};
    int field4{};
    bool field5{};
    double field6{};
    std::optional<strata::DateTime> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model30 {
    std::int64_t id = 0;
    std::int64_t field0{};
    std::string field1{};
    std::optional<std::string> field2{};
    int field3{};
    bool field4{};
    double field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model31 {
    std::int64_t id = 0;
    std::string field0{};
    std::optional<std::string> field1{};
    int field2{};
    bool field3{};
    double field4{};
    std::optional<strata::DateTime> field5{};
    strata::Date field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model32 {
    std::int64_t id = 0;
    std::optional<std::string> field0{};
    int field1{};
    bool field2{};
    double field3{};
    std::optional<strata::DateTime> field4{};
    strata::Date field5{};
    std::optional<std::int64_t> field6{};
    std::vector<std::uint8_t> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model33 {
    std::int64_t id = 0;
    int field0{};
    bool field1{};
    double field2{};
    std::optional<strata::DateTime> field3{};
    strata::Date field4{};
    std::optional<std::int64_t> field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model34 {
    std::int64_t id = 0;
    bool field0{};
    double field1{};
    std::optional<strata::DateTime> field2{};
    strata::Date field3{};
    std::optional<std::int64_t> field4{};
    std::vector<std::uint8_t> field5{};
    std::int64_t field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model35 {
    std::int64_t id = 0;
    double field0{};
    std::optional<strata::DateTime> field1{};
    strata::Date field2{};
    std::optional<std::int64_t> field3{};
    std::vector<std::uint8_t> field4{};
    std::int64_t field5{};
    std::string field6{};
    std::optional<std::string> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model36 {
    std::int64_t id = 0;
    std::optional<strata::DateTime> field0{};
    strata::Date field1{};
    std::optional<std::int64_t> field2{};
    std::vector<std::uint8_t> field3{};
    std::int64_t field4{};
    std::string field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model37 {
    std::int64_t id = 0;
    strata::Date field0{};
    std::optional<std::int64_t> field1{};
    std::vector<std::uint8_t> field2{};
    std::int64_t field3{};
    std::string field4{};
    std::optional<std::string> field5{};
    int field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model38 {
    std::int64_t id = 0;
    std::optional<std::int64_t> field0{};
    std::vector<std::uint8_t> field1{};
    std::int64_t field2{};
    std::string field3{};
    std::optional<std::string> field4{};
    int field5{};
    bool field6{};
    double field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model39 {
    std::int64_t id = 0;
    std::vector<std::uint8_t> field0{};
    std::int64_t field1{};
    std::string field2{};
    std::optional<std::string> field3{};
    int field4{};
    bool field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model40 {
    std::int64_t id = 0;
    std::int64_t field0{};
    std::string field1{};
    std::optional<std::string> field2{};
    int field3{};
    bool field4{};
    double field5{};
    std::optional<strata::DateTime> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model41 {
    std::int64_t id = 0;
    std::string field0{};
    std::optional<std::string> field1{};
    int field2{};
    bool field3{};
    double field4{};
    std::optional<strata::DateTime> field5{};
    strata::Date field6{};
    std::optional<std::int64_t> field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model42 {
    std::int64_t id = 0;
    std::optional<std::string> field0{};
    int field1{};
    bool field2{};
    double field3{};
    std::optional<strata::DateTime> field4{};
    strata::Date field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model43 {
    std::int64_t id = 0;
    int field0{};
    bool field1{};
    double field2{};
    std::optional<strata::DateTime> field3{};
    strata::Date field4{};
    std::optional<std::int64_t> field5{};
    std::vector<std::uint8_t> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model44 {
    std::int64_t id = 0;
    bool field0{};
    double field1{};
    std::optional<strata::DateTime> field2{};
    strata::Date field3{};
    std::optional<std::int64_t> field4{};
    std::vector<std::uint8_t> field5{};
    std::int64_t field6{};
    std::string field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model45 {
    std::int64_t id = 0;
    double field0{};
    std::optional<strata::DateTime> field1{};
    strata::Date field2{};
    std::optional<std::int64_t> field3{};
    std::vector<std::uint8_t> field4{};
    std::int64_t field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model46 {
    std::int64_t id = 0;
    std::optional<strata::DateTime> field0{};
    strata::Date field1{};
    std::optional<std::int64_t> field2{};
    std::vector<std::uint8_t> field3{};
    std::int64_t field4{};
    std::string field5{};
    std::optional<std::string> field6{};
    std::optional<std::int64_t> parent_id;
};

struct Model47 {
    std::int64_t id = 0;
    strata::Date field0{};
    std::optional<std::int64_t> field1{};
    std::vector<std::uint8_t> field2{};
    std::int64_t field3{};
    std::string field4{};
    std::optional<std::string> field5{};
    int field6{};
    bool field7{};
    std::optional<std::int64_t> parent_id;
};

struct Model48 {
    std::int64_t id = 0;
    std::optional<std::int64_t> field0{};
    std::vector<std::uint8_t> field1{};
    std::int64_t field2{};
    std::string field3{};
    std::optional<std::string> field4{};
    int field5{};
    std::optional<std::int64_t> parent_id;
};

struct Model49 {
    std::int64_t id = 0;
    std::vector<std::uint8_t> field0{};
    std::int64_t field1{};
    std::string field2{};
    std::optional<std::string> field3{};
    int field4{};
    bool field5{};
    double field6{};
    std::optional<std::int64_t> parent_id;
};

strata::Registry& registry() {
    static strata::Registry* reg = [] {
        auto* r = new strata::Registry();
        r->table<Model0>("model_0")
            .column("id", &Model0::id, strata::primary_key)
            .column("field0", &Model0::field0)
            .column("field1", &Model0::field1)
            .column("field2", &Model0::field2, strata::unique)
            .column("field3", &Model0::field3, strata::indexed)
            .column("field4", &Model0::field4)
            .column("field5", &Model0::field5);
        r->table<Model1>("model_1")
            .column("id", &Model1::id, strata::primary_key)
            .column("field0", &Model1::field0, strata::type(strata::types::string(80)))
            .column("field1", &Model1::field1)
            .column("field2", &Model1::field2)
            .column("field3", &Model1::field3)
            .column("field4", &Model1::field4)
            .column("field5", &Model1::field5)
            .column("field6", &Model1::field6)
            .column("parent_id", &Model1::parent_id, strata::foreign_key(&Model0::id));
        r->table<Model2>("model_2")
            .column("id", &Model2::id, strata::primary_key)
            .column("field0", &Model2::field0)
            .column("field1", &Model2::field1)
            .column("field2", &Model2::field2)
            .column("field3", &Model2::field3)
            .column("field4", &Model2::field4)
            .column("field5", &Model2::field5)
            .column("field6", &Model2::field6)
            .column("field7", &Model2::field7)
            .column("parent_id", &Model2::parent_id, strata::foreign_key(&Model1::id));
        r->table<Model3>("model_3")
            .column("id", &Model3::id, strata::primary_key)
            .column("field0", &Model3::field0, strata::indexed)
            .column("field1", &Model3::field1)
            .column("field2", &Model3::field2)
            .column("field3", &Model3::field3)
            .column("field4", &Model3::field4)
            .column("field5", &Model3::field5)
            .column("parent_id", &Model3::parent_id, strata::foreign_key(&Model2::id));
        r->table<Model4>("model_4")
            .column("id", &Model4::id, strata::primary_key)
            .column("field0", &Model4::field0)
            .column("field1", &Model4::field1)
            .column("field2", &Model4::field2)
            .column("field3", &Model4::field3)
            .column("field4", &Model4::field4)
            .column("field5", &Model4::field5)
            .column("field6", &Model4::field6)
            .column("parent_id", &Model4::parent_id, strata::foreign_key(&Model3::id));
        r->table<Model5>("model_5")
            .column("id", &Model5::id, strata::primary_key)
            .column("field0", &Model5::field0)
            .column("field1", &Model5::field1)
            .column("field2", &Model5::field2)
            .column("field3", &Model5::field3)
            .column("field4", &Model5::field4)
            .column("field5", &Model5::field5)
            .column("field6", &Model5::field6, strata::type(strata::types::string(80)))
            .column("field7", &Model5::field7)
            .column("parent_id", &Model5::parent_id, strata::foreign_key(&Model4::id));
        r->table<Model6>("model_6")
            .column("id", &Model6::id, strata::primary_key)
            .column("field0", &Model6::field0)
            .column("field1", &Model6::field1)
            .column("field2", &Model6::field2)
            .column("field3", &Model6::field3)
            .column("field4", &Model6::field4)
            .column("field5", &Model6::field5)
            .column("parent_id", &Model6::parent_id, strata::foreign_key(&Model5::id));
        r->table<Model7>("model_7")
            .column("id", &Model7::id, strata::primary_key)
            .column("field0", &Model7::field0)
            .column("field1", &Model7::field1)
            .column("field2", &Model7::field2)
            .column("field3", &Model7::field3)
            .column("field4", &Model7::field4, strata::type(strata::types::string(80)))
            .column("field5", &Model7::field5)
            .column("field6", &Model7::field6, strata::indexed)
            .column("parent_id", &Model7::parent_id, strata::foreign_key(&Model6::id));
        r->table<Model8>("model_8")
            .column("id", &Model8::id, strata::primary_key)
            .column("field0", &Model8::field0)
            .column("field1", &Model8::field1)
            .column("field2", &Model8::field2)
            .column("field3", &Model8::field3)
            .column("field4", &Model8::field4, strata::unique)
            .column("field5", &Model8::field5)
            .column("field6", &Model8::field6)
            .column("field7", &Model8::field7)
            .column("parent_id", &Model8::parent_id, strata::foreign_key(&Model7::id));
        r->table<Model9>("model_9")
            .column("id", &Model9::id, strata::primary_key)
            .column("field0", &Model9::field0)
            .column("field1", &Model9::field1)
            .column("field2", &Model9::field2, strata::type(strata::types::string(80)))
            .column("field3", &Model9::field3)
            .column("field4", &Model9::field4)
            .column("field5", &Model9::field5)
            .column("parent_id", &Model9::parent_id, strata::foreign_key(&Model8::id));
        r->table<Model10>("model_10")
            .column("id", &Model10::id, strata::primary_key)
            .column("field0", &Model10::field0)
            .column("field1", &Model10::field1)
            .column("field2", &Model10::field2)
            .column("field3", &Model10::field3, strata::indexed)
            .column("field4", &Model10::field4)
            .column("field5", &Model10::field5)
            .column("field6", &Model10::field6)
            .column("parent_id", &Model10::parent_id, strata::foreign_key(&Model9::id));
        r->table<Model11>("model_11")
            .column("id", &Model11::id, strata::primary_key)
            .column("field0", &Model11::field0, strata::type(strata::types::string(80)))
            .column("field1", &Model11::field1)
            .column("field2", &Model11::field2)
            .column("field3", &Model11::field3)
            .column("field4", &Model11::field4)
            .column("field5", &Model11::field5)
            .column("field6", &Model11::field6)
            .column("field7", &Model11::field7)
            .column("parent_id", &Model11::parent_id, strata::foreign_key(&Model10::id));
        r->table<Model12>("model_12")
            .column("id", &Model12::id, strata::primary_key)
            .column("field0", &Model12::field0, strata::unique)
            .column("field1", &Model12::field1)
            .column("field2", &Model12::field2)
            .column("field3", &Model12::field3)
            .column("field4", &Model12::field4)
            .column("field5", &Model12::field5)
            .column("parent_id", &Model12::parent_id, strata::foreign_key(&Model11::id));
        r->table<Model13>("model_13")
            .column("id", &Model13::id, strata::primary_key)
            .column("field0", &Model13::field0, strata::indexed)
            .column("field1", &Model13::field1)
            .column("field2", &Model13::field2)
            .column("field3", &Model13::field3)
            .column("field4", &Model13::field4)
            .column("field5", &Model13::field5)
            .column("field6", &Model13::field6)
            .column("parent_id", &Model13::parent_id, strata::foreign_key(&Model12::id));
        r->table<Model14>("model_14")
            .column("id", &Model14::id, strata::primary_key)
            .column("field0", &Model14::field0)
            .column("field1", &Model14::field1)
            .column("field2", &Model14::field2)
            .column("field3", &Model14::field3)
            .column("field4", &Model14::field4)
            .column("field5", &Model14::field5)
            .column("field6", &Model14::field6)
            .column("field7", &Model14::field7)
            .column("parent_id", &Model14::parent_id, strata::foreign_key(&Model13::id));
        r->table<Model15>("model_15")
            .column("id", &Model15::id, strata::primary_key)
            .column("field0", &Model15::field0)
            .column("field1", &Model15::field1)
            .column("field2", &Model15::field2)
            .column("field3", &Model15::field3)
            .column("field4", &Model15::field4)
            .column("field5", &Model15::field5)
            .column("parent_id", &Model15::parent_id, strata::foreign_key(&Model14::id));
        r->table<Model16>("model_16")
            .column("id", &Model16::id, strata::primary_key)
            .column("field0", &Model16::field0)
            .column("field1", &Model16::field1)
            .column("field2", &Model16::field2)
            .column("field3", &Model16::field3)
            .column("field4", &Model16::field4)
            .column("field5", &Model16::field5)
            .column("field6", &Model16::field6, strata::unique)
            .column("parent_id", &Model16::parent_id, strata::foreign_key(&Model15::id));
        r->table<Model17>("model_17")
            .column("id", &Model17::id, strata::primary_key)
            .column("field0", &Model17::field0)
            .column("field1", &Model17::field1)
            .column("field2", &Model17::field2)
            .column("field3", &Model17::field3)
            .column("field4", &Model17::field4, strata::type(strata::types::string(80)))
            .column("field5", &Model17::field5)
            .column("field6", &Model17::field6, strata::indexed)
            .column("field7", &Model17::field7)
            .column("parent_id", &Model17::parent_id, strata::foreign_key(&Model16::id));
        r->table<Model18>("model_18")
            .column("id", &Model18::id, strata::primary_key)
            .column("field0", &Model18::field0)
            .column("field1", &Model18::field1)
            .column("field2", &Model18::field2)
            .column("field3", &Model18::field3)
            .column("field4", &Model18::field4)
            .column("field5", &Model18::field5)
            .column("parent_id", &Model18::parent_id, strata::foreign_key(&Model17::id));
        r->table<Model19>("model_19")
            .column("id", &Model19::id, strata::primary_key)
            .column("field0", &Model19::field0)
            .column("field1", &Model19::field1)
            .column("field2", &Model19::field2, strata::type(strata::types::string(80)))
            .column("field3", &Model19::field3)
            .column("field4", &Model19::field4)
            .column("field5", &Model19::field5)
            .column("field6", &Model19::field6)
            .column("parent_id", &Model19::parent_id, strata::foreign_key(&Model18::id));
        r->table<Model20>("model_20")
            .column("id", &Model20::id, strata::primary_key)
            .column("field0", &Model20::field0)
            .column("field1", &Model20::field1)
            .column("field2", &Model20::field2, strata::unique)
            .column("field3", &Model20::field3, strata::indexed)
            .column("field4", &Model20::field4)
            .column("field5", &Model20::field5)
            .column("field6", &Model20::field6)
            .column("field7", &Model20::field7)
            .column("parent_id", &Model20::parent_id, strata::foreign_key(&Model19::id));
        r->table<Model21>("model_21")
            .column("id", &Model21::id, strata::primary_key)
            .column("field0", &Model21::field0, strata::type(strata::types::string(80)))
            .column("field1", &Model21::field1)
            .column("field2", &Model21::field2)
            .column("field3", &Model21::field3)
            .column("field4", &Model21::field4)
            .column("field5", &Model21::field5)
            .column("parent_id", &Model21::parent_id, strata::foreign_key(&Model20::id));
        r->table<Model22>("model_22")
            .column("id", &Model22::id, strata::primary_key)
            .column("field0", &Model22::field0)
            .column("field1", &Model22::field1)
            .column("field2", &Model22::field2)
            .column("field3", &Model22::field3)
            .column("field4", &Model22::field4)
            .column("field5", &Model22::field5)
            .column("field6", &Model22::field6)
            .column("parent_id", &Model22::parent_id, strata::foreign_key(&Model21::id));
        r->table<Model23>("model_23")
            .column("id", &Model23::id, strata::primary_key)
            .column("field0", &Model23::field0, strata::indexed)
            .column("field1", &Model23::field1)
            .column("field2", &Model23::field2)
            .column("field3", &Model23::field3)
            .column("field4", &Model23::field4)
            .column("field5", &Model23::field5)
            .column("field6", &Model23::field6)
            .column("field7", &Model23::field7)
            .column("parent_id", &Model23::parent_id, strata::foreign_key(&Model22::id));
        r->table<Model24>("model_24")
            .column("id", &Model24::id, strata::primary_key)
            .column("field0", &Model24::field0)
            .column("field1", &Model24::field1)
            .column("field2", &Model24::field2)
            .column("field3", &Model24::field3)
            .column("field4", &Model24::field4)
            .column("field5", &Model24::field5)
            .column("parent_id", &Model24::parent_id, strata::foreign_key(&Model23::id));
        r->table<Model25>("model_25")
            .column("id", &Model25::id, strata::primary_key)
            .column("field0", &Model25::field0)
            .column("field1", &Model25::field1)
            .column("field2", &Model25::field2)
            .column("field3", &Model25::field3)
            .column("field4", &Model25::field4)
            .column("field5", &Model25::field5)
            .column("field6", &Model25::field6, strata::type(strata::types::string(80)))
            .column("parent_id", &Model25::parent_id, strata::foreign_key(&Model24::id));
        r->table<Model26>("model_26")
            .column("id", &Model26::id, strata::primary_key)
            .column("field0", &Model26::field0)
            .column("field1", &Model26::field1)
            .column("field2", &Model26::field2)
            .column("field3", &Model26::field3)
            .column("field4", &Model26::field4)
            .column("field5", &Model26::field5)
            .column("field6", &Model26::field6)
            .column("field7", &Model26::field7)
            .column("parent_id", &Model26::parent_id, strata::foreign_key(&Model25::id));
        r->table<Model27>("model_27")
            .column("id", &Model27::id, strata::primary_key)
            .column("field0", &Model27::field0)
            .column("field1", &Model27::field1)
            .column("field2", &Model27::field2)
            .column("field3", &Model27::field3)
            .column("field4", &Model27::field4, strata::type(strata::types::string(80)))
            .column("field5", &Model27::field5)
            .column("parent_id", &Model27::parent_id, strata::foreign_key(&Model26::id));
        r->table<Model28>("model_28")
            .column("id", &Model28::id, strata::primary_key)
            .column("field0", &Model28::field0)
            .column("field1", &Model28::field1)
            .column("field2", &Model28::field2)
            .column("field3", &Model28::field3)
            .column("field4", &Model28::field4, strata::unique)
            .column("field5", &Model28::field5)
            .column("field6", &Model28::field6)
            .column("parent_id", &Model28::parent_id, strata::foreign_key(&Model27::id));
        r->table<Model29>("model_29")
            .column("id", &Model29::id, strata::primary_key)
            .column("field0", &Model29::field0)
            .column("field1", &Model29::field1)
            .column("field2", &Model29::field2, strata::type(strata::types::string(80)))
            .column("field3", &Model29::field3)
            .column("field4", &Model29::field4)
            .column("field5", &Model29::field5)
            .column("field6", &Model29::field6)
            .column("field7", &Model29::field7)
            .column("parent_id", &Model29::parent_id, strata::foreign_key(&Model28::id));
        r->table<Model30>("model_30")
            .column("id", &Model30::id, strata::primary_key)
            .column("field0", &Model30::field0)
            .column("field1", &Model30::field1)
            .column("field2", &Model30::field2)
            .column("field3", &Model30::field3, strata::indexed)
            .column("field4", &Model30::field4)
            .column("field5", &Model30::field5)
            .column("parent_id", &Model30::parent_id, strata::foreign_key(&Model29::id));
        r->table<Model31>("model_31")
            .column("id", &Model31::id, strata::primary_key)
            .column("field0", &Model31::field0, strata::type(strata::types::string(80)))
            .column("field1", &Model31::field1)
            .column("field2", &Model31::field2)
            .column("field3", &Model31::field3)
            .column("field4", &Model31::field4)
            .column("field5", &Model31::field5)
            .column("field6", &Model31::field6)
            .column("parent_id", &Model31::parent_id, strata::foreign_key(&Model30::id));
        r->table<Model32>("model_32")
            .column("id", &Model32::id, strata::primary_key)
            .column("field0", &Model32::field0, strata::unique)
            .column("field1", &Model32::field1)
            .column("field2", &Model32::field2)
            .column("field3", &Model32::field3)
            .column("field4", &Model32::field4)
            .column("field5", &Model32::field5)
            .column("field6", &Model32::field6)
            .column("field7", &Model32::field7)
            .column("parent_id", &Model32::parent_id, strata::foreign_key(&Model31::id));
        r->table<Model33>("model_33")
            .column("id", &Model33::id, strata::primary_key)
            .column("field0", &Model33::field0, strata::indexed)
            .column("field1", &Model33::field1)
            .column("field2", &Model33::field2)
            .column("field3", &Model33::field3)
            .column("field4", &Model33::field4)
            .column("field5", &Model33::field5)
            .column("parent_id", &Model33::parent_id, strata::foreign_key(&Model32::id));
        r->table<Model34>("model_34")
            .column("id", &Model34::id, strata::primary_key)
            .column("field0", &Model34::field0)
            .column("field1", &Model34::field1)
            .column("field2", &Model34::field2)
            .column("field3", &Model34::field3)
            .column("field4", &Model34::field4)
            .column("field5", &Model34::field5)
            .column("field6", &Model34::field6)
            .column("parent_id", &Model34::parent_id, strata::foreign_key(&Model33::id));
        r->table<Model35>("model_35")
            .column("id", &Model35::id, strata::primary_key)
            .column("field0", &Model35::field0)
            .column("field1", &Model35::field1)
            .column("field2", &Model35::field2)
            .column("field3", &Model35::field3)
            .column("field4", &Model35::field4)
            .column("field5", &Model35::field5)
            .column("field6", &Model35::field6, strata::type(strata::types::string(80)))
            .column("field7", &Model35::field7)
            .column("parent_id", &Model35::parent_id, strata::foreign_key(&Model34::id));
        r->table<Model36>("model_36")
            .column("id", &Model36::id, strata::primary_key)
            .column("field0", &Model36::field0)
            .column("field1", &Model36::field1)
            .column("field2", &Model36::field2)
            .column("field3", &Model36::field3)
            .column("field4", &Model36::field4)
            .column("field5", &Model36::field5)
            .column("parent_id", &Model36::parent_id, strata::foreign_key(&Model35::id));
        r->table<Model37>("model_37")
            .column("id", &Model37::id, strata::primary_key)
            .column("field0", &Model37::field0)
            .column("field1", &Model37::field1)
            .column("field2", &Model37::field2)
            .column("field3", &Model37::field3)
            .column("field4", &Model37::field4, strata::type(strata::types::string(80)))
            .column("field5", &Model37::field5)
            .column("field6", &Model37::field6, strata::indexed)
            .column("parent_id", &Model37::parent_id, strata::foreign_key(&Model36::id));
        r->table<Model38>("model_38")
            .column("id", &Model38::id, strata::primary_key)
            .column("field0", &Model38::field0)
            .column("field1", &Model38::field1)
            .column("field2", &Model38::field2)
            .column("field3", &Model38::field3)
            .column("field4", &Model38::field4)
            .column("field5", &Model38::field5)
            .column("field6", &Model38::field6)
            .column("field7", &Model38::field7)
            .column("parent_id", &Model38::parent_id, strata::foreign_key(&Model37::id));
        r->table<Model39>("model_39")
            .column("id", &Model39::id, strata::primary_key)
            .column("field0", &Model39::field0)
            .column("field1", &Model39::field1)
            .column("field2", &Model39::field2, strata::type(strata::types::string(80)))
            .column("field3", &Model39::field3)
            .column("field4", &Model39::field4)
            .column("field5", &Model39::field5)
            .column("parent_id", &Model39::parent_id, strata::foreign_key(&Model38::id));
        r->table<Model40>("model_40")
            .column("id", &Model40::id, strata::primary_key)
            .column("field0", &Model40::field0)
            .column("field1", &Model40::field1)
            .column("field2", &Model40::field2, strata::unique)
            .column("field3", &Model40::field3, strata::indexed)
            .column("field4", &Model40::field4)
            .column("field5", &Model40::field5)
            .column("field6", &Model40::field6)
            .column("parent_id", &Model40::parent_id, strata::foreign_key(&Model39::id));
        r->table<Model41>("model_41")
            .column("id", &Model41::id, strata::primary_key)
            .column("field0", &Model41::field0, strata::type(strata::types::string(80)))
            .column("field1", &Model41::field1)
            .column("field2", &Model41::field2)
            .column("field3", &Model41::field3)
            .column("field4", &Model41::field4)
            .column("field5", &Model41::field5)
            .column("field6", &Model41::field6)
            .column("field7", &Model41::field7)
            .column("parent_id", &Model41::parent_id, strata::foreign_key(&Model40::id));
        r->table<Model42>("model_42")
            .column("id", &Model42::id, strata::primary_key)
            .column("field0", &Model42::field0)
            .column("field1", &Model42::field1)
            .column("field2", &Model42::field2)
            .column("field3", &Model42::field3)
            .column("field4", &Model42::field4)
            .column("field5", &Model42::field5)
            .column("parent_id", &Model42::parent_id, strata::foreign_key(&Model41::id));
        r->table<Model43>("model_43")
            .column("id", &Model43::id, strata::primary_key)
            .column("field0", &Model43::field0, strata::indexed)
            .column("field1", &Model43::field1)
            .column("field2", &Model43::field2)
            .column("field3", &Model43::field3)
            .column("field4", &Model43::field4)
            .column("field5", &Model43::field5)
            .column("field6", &Model43::field6)
            .column("parent_id", &Model43::parent_id, strata::foreign_key(&Model42::id));
        r->table<Model44>("model_44")
            .column("id", &Model44::id, strata::primary_key)
            .column("field0", &Model44::field0)
            .column("field1", &Model44::field1)
            .column("field2", &Model44::field2)
            .column("field3", &Model44::field3)
            .column("field4", &Model44::field4)
            .column("field5", &Model44::field5)
            .column("field6", &Model44::field6)
            .column("field7", &Model44::field7)
            .column("parent_id", &Model44::parent_id, strata::foreign_key(&Model43::id));
        r->table<Model45>("model_45")
            .column("id", &Model45::id, strata::primary_key)
            .column("field0", &Model45::field0)
            .column("field1", &Model45::field1)
            .column("field2", &Model45::field2)
            .column("field3", &Model45::field3)
            .column("field4", &Model45::field4)
            .column("field5", &Model45::field5)
            .column("parent_id", &Model45::parent_id, strata::foreign_key(&Model44::id));
        r->table<Model46>("model_46")
            .column("id", &Model46::id, strata::primary_key)
            .column("field0", &Model46::field0)
            .column("field1", &Model46::field1)
            .column("field2", &Model46::field2)
            .column("field3", &Model46::field3)
            .column("field4", &Model46::field4)
            .column("field5", &Model46::field5)
            .column("field6", &Model46::field6)
            .column("parent_id", &Model46::parent_id, strata::foreign_key(&Model45::id));
        r->table<Model47>("model_47")
            .column("id", &Model47::id, strata::primary_key)
            .column("field0", &Model47::field0)
            .column("field1", &Model47::field1)
            .column("field2", &Model47::field2)
            .column("field3", &Model47::field3)
            .column("field4", &Model47::field4, strata::type(strata::types::string(80)))
            .column("field5", &Model47::field5)
            .column("field6", &Model47::field6, strata::indexed)
            .column("field7", &Model47::field7)
            .column("parent_id", &Model47::parent_id, strata::foreign_key(&Model46::id));
        r->table<Model48>("model_48")
            .column("id", &Model48::id, strata::primary_key)
            .column("field0", &Model48::field0)
            .column("field1", &Model48::field1)
            .column("field2", &Model48::field2)
            .column("field3", &Model48::field3)
            .column("field4", &Model48::field4, strata::unique)
            .column("field5", &Model48::field5)
            .column("parent_id", &Model48::parent_id, strata::foreign_key(&Model47::id));
        r->table<Model49>("model_49")
            .column("id", &Model49::id, strata::primary_key)
            .column("field0", &Model49::field0)
            .column("field1", &Model49::field1)
            .column("field2", &Model49::field2, strata::type(strata::types::string(80)))
            .column("field3", &Model49::field3)
            .column("field4", &Model49::field4)
            .column("field5", &Model49::field5)
            .column("field6", &Model49::field6)
            .column("parent_id", &Model49::parent_id, strata::foreign_key(&Model48::id));
        return r;
    }();
    return *reg;
}

}  // namespace fifty
