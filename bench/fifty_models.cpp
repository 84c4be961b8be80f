// Fifty models declared with strata's model API, for the compile-time benchmark
// (docs/performance.md: "compile time of a file declaring 50 models"). Compiled as an
// OBJECT library (strata_bench_fifty_models); nothing runs it. Written in the style of a
// real schema: every model has a key, text, a nullable text, integers, a double, a flag,
// a timestamp, an enum stored as text, and a foreign key to the model before it with
// both sides of the relationship declared (many-to-one and one-to-many).
//
// Generated once by a short script (one block per model) and kept as plain code.
#include <cstdint>
#include <optional>
#include <string>

#include "orm/orm.hpp"

namespace fifty {

enum class State { draft, active, archived };

struct M00;
struct M01;
struct M02;
struct M03;
struct M04;
struct M05;
struct M06;
struct M07;
struct M08;
struct M09;
struct M10;
struct M11;
struct M12;
struct M13;
struct M14;
struct M15;
struct M16;
struct M17;
struct M18;
struct M19;
struct M20;
struct M21;
struct M22;
struct M23;
struct M24;
struct M25;
struct M26;
struct M27;
struct M28;
struct M29;
struct M30;
struct M31;
struct M32;
struct M33;
struct M34;
struct M35;
struct M36;
struct M37;
struct M38;
struct M39;
struct M40;
struct M41;
struct M42;
struct M43;
struct M44;
struct M45;
struct M46;
struct M47;
struct M48;
struct M49;

struct M00 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    strata::Collection<M01> children;
};

struct M01 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M00> parent;
    strata::Collection<M02> children;
};

struct M02 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M01> parent;
    strata::Collection<M03> children;
};

struct M03 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M02> parent;
    strata::Collection<M04> children;
};

struct M04 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M03> parent;
    strata::Collection<M05> children;
};

struct M05 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M04> parent;
    strata::Collection<M06> children;
};

struct M06 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M05> parent;
    strata::Collection<M07> children;
};

struct M07 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M06> parent;
    strata::Collection<M08> children;
};

struct M08 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M07> parent;
    strata::Collection<M09> children;
};

struct M09 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M08> parent;
    strata::Collection<M10> children;
};

struct M10 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M09> parent;
    strata::Collection<M11> children;
};

struct M11 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M10> parent;
    strata::Collection<M12> children;
};

struct M12 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M11> parent;
    strata::Collection<M13> children;
};

struct M13 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M12> parent;
    strata::Collection<M14> children;
};

struct M14 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M13> parent;
    strata::Collection<M15> children;
};

struct M15 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M14> parent;
    strata::Collection<M16> children;
};

struct M16 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M15> parent;
    strata::Collection<M17> children;
};

struct M17 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M16> parent;
    strata::Collection<M18> children;
};

struct M18 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M17> parent;
    strata::Collection<M19> children;
};

struct M19 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M18> parent;
    strata::Collection<M20> children;
};

struct M20 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M19> parent;
    strata::Collection<M21> children;
};

struct M21 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M20> parent;
    strata::Collection<M22> children;
};

struct M22 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M21> parent;
    strata::Collection<M23> children;
};

struct M23 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M22> parent;
    strata::Collection<M24> children;
};

struct M24 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M23> parent;
    strata::Collection<M25> children;
};

struct M25 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M24> parent;
    strata::Collection<M26> children;
};

struct M26 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M25> parent;
    strata::Collection<M27> children;
};

struct M27 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M26> parent;
    strata::Collection<M28> children;
};

struct M28 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M27> parent;
    strata::Collection<M29> children;
};

struct M29 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M28> parent;
    strata::Collection<M30> children;
};

struct M30 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M29> parent;
    strata::Collection<M31> children;
};

struct M31 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M30> parent;
    strata::Collection<M32> children;
};

struct M32 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M31> parent;
    strata::Collection<M33> children;
};

struct M33 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M32> parent;
    strata::Collection<M34> children;
};

struct M34 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M33> parent;
    strata::Collection<M35> children;
};

struct M35 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M34> parent;
    strata::Collection<M36> children;
};

struct M36 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M35> parent;
    strata::Collection<M37> children;
};

struct M37 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M36> parent;
    strata::Collection<M38> children;
};

struct M38 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M37> parent;
    strata::Collection<M39> children;
};

struct M39 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M38> parent;
    strata::Collection<M40> children;
};

struct M40 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M39> parent;
    strata::Collection<M41> children;
};

struct M41 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M40> parent;
    strata::Collection<M42> children;
};

struct M42 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M41> parent;
    strata::Collection<M43> children;
};

struct M43 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M42> parent;
    strata::Collection<M44> children;
};

struct M44 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M43> parent;
    strata::Collection<M45> children;
};

struct M45 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M44> parent;
    strata::Collection<M46> children;
};

struct M46 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M45> parent;
    strata::Collection<M47> children;
};

struct M47 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M46> parent;
    strata::Collection<M48> children;
};

struct M48 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M47> parent;
    strata::Collection<M49> children;
};

struct M49 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    std::int32_t quantity = 0;
    std::int64_t total = 0;
    double ratio = 0;
    bool enabled = true;
    strata::DateTime created;
    State state = State::draft;
    std::optional<std::int64_t> parent_id;
    strata::Related<M48> parent;
};

}  // namespace fifty

template <>
struct strata::EnumMapping<fifty::State> {
    static constexpr std::pair<fifty::State, std::string_view> values[] = {
        {fifty::State::draft, "draft"}, {fifty::State::active, "active"}, {fifty::State::archived, "archived"}};
};

namespace fifty {

// Declares the fifty models into `registry`.
void declare_fifty_models(strata::Registry& registry) {
    using namespace strata;
    registry.table<M00>("m00")
        .column("id", &M00::id, primary_key)
        .column("name", &M00::name, type(types::string(100)), indexed)
        .column("note", &M00::note, type(types::text()))
        .column("quantity", &M00::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M00::total)
        .column("ratio", &M00::ratio)
        .column("enabled", &M00::enabled, default_value(true))
        .column("created", &M00::created)
        .column("state", &M00::state)
        .relationship("children", &M00::children, back_populates(&M01::parent));
    registry.table<M01>("m01")
        .column("id", &M01::id, primary_key)
        .column("name", &M01::name, type(types::string(100)), indexed)
        .column("note", &M01::note, type(types::text()))
        .column("quantity", &M01::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M01::total)
        .column("ratio", &M01::ratio)
        .column("enabled", &M01::enabled, default_value(true))
        .column("created", &M01::created)
        .column("state", &M01::state)
        .column("parent_id", &M01::parent_id, foreign_key(&M00::id).on_delete(FkAction::cascade))
        .relationship("parent", &M01::parent, back_populates(&M00::children))
        .relationship("children", &M01::children, back_populates(&M02::parent));
    registry.table<M02>("m02")
        .column("id", &M02::id, primary_key)
        .column("name", &M02::name, type(types::string(100)), indexed)
        .column("note", &M02::note, type(types::text()))
        .column("quantity", &M02::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M02::total)
        .column("ratio", &M02::ratio)
        .column("enabled", &M02::enabled, default_value(true))
        .column("created", &M02::created)
        .column("state", &M02::state)
        .column("parent_id", &M02::parent_id, foreign_key(&M01::id).on_delete(FkAction::cascade))
        .relationship("parent", &M02::parent, back_populates(&M01::children))
        .relationship("children", &M02::children, back_populates(&M03::parent));
    registry.table<M03>("m03")
        .column("id", &M03::id, primary_key)
        .column("name", &M03::name, type(types::string(100)), indexed)
        .column("note", &M03::note, type(types::text()))
        .column("quantity", &M03::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M03::total)
        .column("ratio", &M03::ratio)
        .column("enabled", &M03::enabled, default_value(true))
        .column("created", &M03::created)
        .column("state", &M03::state)
        .column("parent_id", &M03::parent_id, foreign_key(&M02::id).on_delete(FkAction::cascade))
        .relationship("parent", &M03::parent, back_populates(&M02::children))
        .relationship("children", &M03::children, back_populates(&M04::parent));
    registry.table<M04>("m04")
        .column("id", &M04::id, primary_key)
        .column("name", &M04::name, type(types::string(100)), indexed)
        .column("note", &M04::note, type(types::text()))
        .column("quantity", &M04::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M04::total)
        .column("ratio", &M04::ratio)
        .column("enabled", &M04::enabled, default_value(true))
        .column("created", &M04::created)
        .column("state", &M04::state)
        .column("parent_id", &M04::parent_id, foreign_key(&M03::id).on_delete(FkAction::cascade))
        .relationship("parent", &M04::parent, back_populates(&M03::children))
        .relationship("children", &M04::children, back_populates(&M05::parent));
    registry.table<M05>("m05")
        .column("id", &M05::id, primary_key)
        .column("name", &M05::name, type(types::string(100)), indexed)
        .column("note", &M05::note, type(types::text()))
        .column("quantity", &M05::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M05::total)
        .column("ratio", &M05::ratio)
        .column("enabled", &M05::enabled, default_value(true))
        .column("created", &M05::created)
        .column("state", &M05::state)
        .column("parent_id", &M05::parent_id, foreign_key(&M04::id).on_delete(FkAction::cascade))
        .relationship("parent", &M05::parent, back_populates(&M04::children))
        .relationship("children", &M05::children, back_populates(&M06::parent));
    registry.table<M06>("m06")
        .column("id", &M06::id, primary_key)
        .column("name", &M06::name, type(types::string(100)), indexed)
        .column("note", &M06::note, type(types::text()))
        .column("quantity", &M06::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M06::total)
        .column("ratio", &M06::ratio)
        .column("enabled", &M06::enabled, default_value(true))
        .column("created", &M06::created)
        .column("state", &M06::state)
        .column("parent_id", &M06::parent_id, foreign_key(&M05::id).on_delete(FkAction::cascade))
        .relationship("parent", &M06::parent, back_populates(&M05::children))
        .relationship("children", &M06::children, back_populates(&M07::parent));
    registry.table<M07>("m07")
        .column("id", &M07::id, primary_key)
        .column("name", &M07::name, type(types::string(100)), indexed)
        .column("note", &M07::note, type(types::text()))
        .column("quantity", &M07::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M07::total)
        .column("ratio", &M07::ratio)
        .column("enabled", &M07::enabled, default_value(true))
        .column("created", &M07::created)
        .column("state", &M07::state)
        .column("parent_id", &M07::parent_id, foreign_key(&M06::id).on_delete(FkAction::cascade))
        .relationship("parent", &M07::parent, back_populates(&M06::children))
        .relationship("children", &M07::children, back_populates(&M08::parent));
    registry.table<M08>("m08")
        .column("id", &M08::id, primary_key)
        .column("name", &M08::name, type(types::string(100)), indexed)
        .column("note", &M08::note, type(types::text()))
        .column("quantity", &M08::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M08::total)
        .column("ratio", &M08::ratio)
        .column("enabled", &M08::enabled, default_value(true))
        .column("created", &M08::created)
        .column("state", &M08::state)
        .column("parent_id", &M08::parent_id, foreign_key(&M07::id).on_delete(FkAction::cascade))
        .relationship("parent", &M08::parent, back_populates(&M07::children))
        .relationship("children", &M08::children, back_populates(&M09::parent));
    registry.table<M09>("m09")
        .column("id", &M09::id, primary_key)
        .column("name", &M09::name, type(types::string(100)), indexed)
        .column("note", &M09::note, type(types::text()))
        .column("quantity", &M09::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M09::total)
        .column("ratio", &M09::ratio)
        .column("enabled", &M09::enabled, default_value(true))
        .column("created", &M09::created)
        .column("state", &M09::state)
        .column("parent_id", &M09::parent_id, foreign_key(&M08::id).on_delete(FkAction::cascade))
        .relationship("parent", &M09::parent, back_populates(&M08::children))
        .relationship("children", &M09::children, back_populates(&M10::parent));
    registry.table<M10>("m10")
        .column("id", &M10::id, primary_key)
        .column("name", &M10::name, type(types::string(100)), indexed)
        .column("note", &M10::note, type(types::text()))
        .column("quantity", &M10::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M10::total)
        .column("ratio", &M10::ratio)
        .column("enabled", &M10::enabled, default_value(true))
        .column("created", &M10::created)
        .column("state", &M10::state)
        .column("parent_id", &M10::parent_id, foreign_key(&M09::id).on_delete(FkAction::cascade))
        .relationship("parent", &M10::parent, back_populates(&M09::children))
        .relationship("children", &M10::children, back_populates(&M11::parent));
    registry.table<M11>("m11")
        .column("id", &M11::id, primary_key)
        .column("name", &M11::name, type(types::string(100)), indexed)
        .column("note", &M11::note, type(types::text()))
        .column("quantity", &M11::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M11::total)
        .column("ratio", &M11::ratio)
        .column("enabled", &M11::enabled, default_value(true))
        .column("created", &M11::created)
        .column("state", &M11::state)
        .column("parent_id", &M11::parent_id, foreign_key(&M10::id).on_delete(FkAction::cascade))
        .relationship("parent", &M11::parent, back_populates(&M10::children))
        .relationship("children", &M11::children, back_populates(&M12::parent));
    registry.table<M12>("m12")
        .column("id", &M12::id, primary_key)
        .column("name", &M12::name, type(types::string(100)), indexed)
        .column("note", &M12::note, type(types::text()))
        .column("quantity", &M12::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M12::total)
        .column("ratio", &M12::ratio)
        .column("enabled", &M12::enabled, default_value(true))
        .column("created", &M12::created)
        .column("state", &M12::state)
        .column("parent_id", &M12::parent_id, foreign_key(&M11::id).on_delete(FkAction::cascade))
        .relationship("parent", &M12::parent, back_populates(&M11::children))
        .relationship("children", &M12::children, back_populates(&M13::parent));
    registry.table<M13>("m13")
        .column("id", &M13::id, primary_key)
        .column("name", &M13::name, type(types::string(100)), indexed)
        .column("note", &M13::note, type(types::text()))
        .column("quantity", &M13::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M13::total)
        .column("ratio", &M13::ratio)
        .column("enabled", &M13::enabled, default_value(true))
        .column("created", &M13::created)
        .column("state", &M13::state)
        .column("parent_id", &M13::parent_id, foreign_key(&M12::id).on_delete(FkAction::cascade))
        .relationship("parent", &M13::parent, back_populates(&M12::children))
        .relationship("children", &M13::children, back_populates(&M14::parent));
    registry.table<M14>("m14")
        .column("id", &M14::id, primary_key)
        .column("name", &M14::name, type(types::string(100)), indexed)
        .column("note", &M14::note, type(types::text()))
        .column("quantity", &M14::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M14::total)
        .column("ratio", &M14::ratio)
        .column("enabled", &M14::enabled, default_value(true))
        .column("created", &M14::created)
        .column("state", &M14::state)
        .column("parent_id", &M14::parent_id, foreign_key(&M13::id).on_delete(FkAction::cascade))
        .relationship("parent", &M14::parent, back_populates(&M13::children))
        .relationship("children", &M14::children, back_populates(&M15::parent));
    registry.table<M15>("m15")
        .column("id", &M15::id, primary_key)
        .column("name", &M15::name, type(types::string(100)), indexed)
        .column("note", &M15::note, type(types::text()))
        .column("quantity", &M15::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M15::total)
        .column("ratio", &M15::ratio)
        .column("enabled", &M15::enabled, default_value(true))
        .column("created", &M15::created)
        .column("state", &M15::state)
        .column("parent_id", &M15::parent_id, foreign_key(&M14::id).on_delete(FkAction::cascade))
        .relationship("parent", &M15::parent, back_populates(&M14::children))
        .relationship("children", &M15::children, back_populates(&M16::parent));
    registry.table<M16>("m16")
        .column("id", &M16::id, primary_key)
        .column("name", &M16::name, type(types::string(100)), indexed)
        .column("note", &M16::note, type(types::text()))
        .column("quantity", &M16::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M16::total)
        .column("ratio", &M16::ratio)
        .column("enabled", &M16::enabled, default_value(true))
        .column("created", &M16::created)
        .column("state", &M16::state)
        .column("parent_id", &M16::parent_id, foreign_key(&M15::id).on_delete(FkAction::cascade))
        .relationship("parent", &M16::parent, back_populates(&M15::children))
        .relationship("children", &M16::children, back_populates(&M17::parent));
    registry.table<M17>("m17")
        .column("id", &M17::id, primary_key)
        .column("name", &M17::name, type(types::string(100)), indexed)
        .column("note", &M17::note, type(types::text()))
        .column("quantity", &M17::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M17::total)
        .column("ratio", &M17::ratio)
        .column("enabled", &M17::enabled, default_value(true))
        .column("created", &M17::created)
        .column("state", &M17::state)
        .column("parent_id", &M17::parent_id, foreign_key(&M16::id).on_delete(FkAction::cascade))
        .relationship("parent", &M17::parent, back_populates(&M16::children))
        .relationship("children", &M17::children, back_populates(&M18::parent));
    registry.table<M18>("m18")
        .column("id", &M18::id, primary_key)
        .column("name", &M18::name, type(types::string(100)), indexed)
        .column("note", &M18::note, type(types::text()))
        .column("quantity", &M18::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M18::total)
        .column("ratio", &M18::ratio)
        .column("enabled", &M18::enabled, default_value(true))
        .column("created", &M18::created)
        .column("state", &M18::state)
        .column("parent_id", &M18::parent_id, foreign_key(&M17::id).on_delete(FkAction::cascade))
        .relationship("parent", &M18::parent, back_populates(&M17::children))
        .relationship("children", &M18::children, back_populates(&M19::parent));
    registry.table<M19>("m19")
        .column("id", &M19::id, primary_key)
        .column("name", &M19::name, type(types::string(100)), indexed)
        .column("note", &M19::note, type(types::text()))
        .column("quantity", &M19::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M19::total)
        .column("ratio", &M19::ratio)
        .column("enabled", &M19::enabled, default_value(true))
        .column("created", &M19::created)
        .column("state", &M19::state)
        .column("parent_id", &M19::parent_id, foreign_key(&M18::id).on_delete(FkAction::cascade))
        .relationship("parent", &M19::parent, back_populates(&M18::children))
        .relationship("children", &M19::children, back_populates(&M20::parent));
    registry.table<M20>("m20")
        .column("id", &M20::id, primary_key)
        .column("name", &M20::name, type(types::string(100)), indexed)
        .column("note", &M20::note, type(types::text()))
        .column("quantity", &M20::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M20::total)
        .column("ratio", &M20::ratio)
        .column("enabled", &M20::enabled, default_value(true))
        .column("created", &M20::created)
        .column("state", &M20::state)
        .column("parent_id", &M20::parent_id, foreign_key(&M19::id).on_delete(FkAction::cascade))
        .relationship("parent", &M20::parent, back_populates(&M19::children))
        .relationship("children", &M20::children, back_populates(&M21::parent));
    registry.table<M21>("m21")
        .column("id", &M21::id, primary_key)
        .column("name", &M21::name, type(types::string(100)), indexed)
        .column("note", &M21::note, type(types::text()))
        .column("quantity", &M21::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M21::total)
        .column("ratio", &M21::ratio)
        .column("enabled", &M21::enabled, default_value(true))
        .column("created", &M21::created)
        .column("state", &M21::state)
        .column("parent_id", &M21::parent_id, foreign_key(&M20::id).on_delete(FkAction::cascade))
        .relationship("parent", &M21::parent, back_populates(&M20::children))
        .relationship("children", &M21::children, back_populates(&M22::parent));
    registry.table<M22>("m22")
        .column("id", &M22::id, primary_key)
        .column("name", &M22::name, type(types::string(100)), indexed)
        .column("note", &M22::note, type(types::text()))
        .column("quantity", &M22::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M22::total)
        .column("ratio", &M22::ratio)
        .column("enabled", &M22::enabled, default_value(true))
        .column("created", &M22::created)
        .column("state", &M22::state)
        .column("parent_id", &M22::parent_id, foreign_key(&M21::id).on_delete(FkAction::cascade))
        .relationship("parent", &M22::parent, back_populates(&M21::children))
        .relationship("children", &M22::children, back_populates(&M23::parent));
    registry.table<M23>("m23")
        .column("id", &M23::id, primary_key)
        .column("name", &M23::name, type(types::string(100)), indexed)
        .column("note", &M23::note, type(types::text()))
        .column("quantity", &M23::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M23::total)
        .column("ratio", &M23::ratio)
        .column("enabled", &M23::enabled, default_value(true))
        .column("created", &M23::created)
        .column("state", &M23::state)
        .column("parent_id", &M23::parent_id, foreign_key(&M22::id).on_delete(FkAction::cascade))
        .relationship("parent", &M23::parent, back_populates(&M22::children))
        .relationship("children", &M23::children, back_populates(&M24::parent));
    registry.table<M24>("m24")
        .column("id", &M24::id, primary_key)
        .column("name", &M24::name, type(types::string(100)), indexed)
        .column("note", &M24::note, type(types::text()))
        .column("quantity", &M24::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M24::total)
        .column("ratio", &M24::ratio)
        .column("enabled", &M24::enabled, default_value(true))
        .column("created", &M24::created)
        .column("state", &M24::state)
        .column("parent_id", &M24::parent_id, foreign_key(&M23::id).on_delete(FkAction::cascade))
        .relationship("parent", &M24::parent, back_populates(&M23::children))
        .relationship("children", &M24::children, back_populates(&M25::parent));
    registry.table<M25>("m25")
        .column("id", &M25::id, primary_key)
        .column("name", &M25::name, type(types::string(100)), indexed)
        .column("note", &M25::note, type(types::text()))
        .column("quantity", &M25::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M25::total)
        .column("ratio", &M25::ratio)
        .column("enabled", &M25::enabled, default_value(true))
        .column("created", &M25::created)
        .column("state", &M25::state)
        .column("parent_id", &M25::parent_id, foreign_key(&M24::id).on_delete(FkAction::cascade))
        .relationship("parent", &M25::parent, back_populates(&M24::children))
        .relationship("children", &M25::children, back_populates(&M26::parent));
    registry.table<M26>("m26")
        .column("id", &M26::id, primary_key)
        .column("name", &M26::name, type(types::string(100)), indexed)
        .column("note", &M26::note, type(types::text()))
        .column("quantity", &M26::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M26::total)
        .column("ratio", &M26::ratio)
        .column("enabled", &M26::enabled, default_value(true))
        .column("created", &M26::created)
        .column("state", &M26::state)
        .column("parent_id", &M26::parent_id, foreign_key(&M25::id).on_delete(FkAction::cascade))
        .relationship("parent", &M26::parent, back_populates(&M25::children))
        .relationship("children", &M26::children, back_populates(&M27::parent));
    registry.table<M27>("m27")
        .column("id", &M27::id, primary_key)
        .column("name", &M27::name, type(types::string(100)), indexed)
        .column("note", &M27::note, type(types::text()))
        .column("quantity", &M27::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M27::total)
        .column("ratio", &M27::ratio)
        .column("enabled", &M27::enabled, default_value(true))
        .column("created", &M27::created)
        .column("state", &M27::state)
        .column("parent_id", &M27::parent_id, foreign_key(&M26::id).on_delete(FkAction::cascade))
        .relationship("parent", &M27::parent, back_populates(&M26::children))
        .relationship("children", &M27::children, back_populates(&M28::parent));
    registry.table<M28>("m28")
        .column("id", &M28::id, primary_key)
        .column("name", &M28::name, type(types::string(100)), indexed)
        .column("note", &M28::note, type(types::text()))
        .column("quantity", &M28::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M28::total)
        .column("ratio", &M28::ratio)
        .column("enabled", &M28::enabled, default_value(true))
        .column("created", &M28::created)
        .column("state", &M28::state)
        .column("parent_id", &M28::parent_id, foreign_key(&M27::id).on_delete(FkAction::cascade))
        .relationship("parent", &M28::parent, back_populates(&M27::children))
        .relationship("children", &M28::children, back_populates(&M29::parent));
    registry.table<M29>("m29")
        .column("id", &M29::id, primary_key)
        .column("name", &M29::name, type(types::string(100)), indexed)
        .column("note", &M29::note, type(types::text()))
        .column("quantity", &M29::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M29::total)
        .column("ratio", &M29::ratio)
        .column("enabled", &M29::enabled, default_value(true))
        .column("created", &M29::created)
        .column("state", &M29::state)
        .column("parent_id", &M29::parent_id, foreign_key(&M28::id).on_delete(FkAction::cascade))
        .relationship("parent", &M29::parent, back_populates(&M28::children))
        .relationship("children", &M29::children, back_populates(&M30::parent));
    registry.table<M30>("m30")
        .column("id", &M30::id, primary_key)
        .column("name", &M30::name, type(types::string(100)), indexed)
        .column("note", &M30::note, type(types::text()))
        .column("quantity", &M30::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M30::total)
        .column("ratio", &M30::ratio)
        .column("enabled", &M30::enabled, default_value(true))
        .column("created", &M30::created)
        .column("state", &M30::state)
        .column("parent_id", &M30::parent_id, foreign_key(&M29::id).on_delete(FkAction::cascade))
        .relationship("parent", &M30::parent, back_populates(&M29::children))
        .relationship("children", &M30::children, back_populates(&M31::parent));
    registry.table<M31>("m31")
        .column("id", &M31::id, primary_key)
        .column("name", &M31::name, type(types::string(100)), indexed)
        .column("note", &M31::note, type(types::text()))
        .column("quantity", &M31::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M31::total)
        .column("ratio", &M31::ratio)
        .column("enabled", &M31::enabled, default_value(true))
        .column("created", &M31::created)
        .column("state", &M31::state)
        .column("parent_id", &M31::parent_id, foreign_key(&M30::id).on_delete(FkAction::cascade))
        .relationship("parent", &M31::parent, back_populates(&M30::children))
        .relationship("children", &M31::children, back_populates(&M32::parent));
    registry.table<M32>("m32")
        .column("id", &M32::id, primary_key)
        .column("name", &M32::name, type(types::string(100)), indexed)
        .column("note", &M32::note, type(types::text()))
        .column("quantity", &M32::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M32::total)
        .column("ratio", &M32::ratio)
        .column("enabled", &M32::enabled, default_value(true))
        .column("created", &M32::created)
        .column("state", &M32::state)
        .column("parent_id", &M32::parent_id, foreign_key(&M31::id).on_delete(FkAction::cascade))
        .relationship("parent", &M32::parent, back_populates(&M31::children))
        .relationship("children", &M32::children, back_populates(&M33::parent));
    registry.table<M33>("m33")
        .column("id", &M33::id, primary_key)
        .column("name", &M33::name, type(types::string(100)), indexed)
        .column("note", &M33::note, type(types::text()))
        .column("quantity", &M33::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M33::total)
        .column("ratio", &M33::ratio)
        .column("enabled", &M33::enabled, default_value(true))
        .column("created", &M33::created)
        .column("state", &M33::state)
        .column("parent_id", &M33::parent_id, foreign_key(&M32::id).on_delete(FkAction::cascade))
        .relationship("parent", &M33::parent, back_populates(&M32::children))
        .relationship("children", &M33::children, back_populates(&M34::parent));
    registry.table<M34>("m34")
        .column("id", &M34::id, primary_key)
        .column("name", &M34::name, type(types::string(100)), indexed)
        .column("note", &M34::note, type(types::text()))
        .column("quantity", &M34::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M34::total)
        .column("ratio", &M34::ratio)
        .column("enabled", &M34::enabled, default_value(true))
        .column("created", &M34::created)
        .column("state", &M34::state)
        .column("parent_id", &M34::parent_id, foreign_key(&M33::id).on_delete(FkAction::cascade))
        .relationship("parent", &M34::parent, back_populates(&M33::children))
        .relationship("children", &M34::children, back_populates(&M35::parent));
    registry.table<M35>("m35")
        .column("id", &M35::id, primary_key)
        .column("name", &M35::name, type(types::string(100)), indexed)
        .column("note", &M35::note, type(types::text()))
        .column("quantity", &M35::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M35::total)
        .column("ratio", &M35::ratio)
        .column("enabled", &M35::enabled, default_value(true))
        .column("created", &M35::created)
        .column("state", &M35::state)
        .column("parent_id", &M35::parent_id, foreign_key(&M34::id).on_delete(FkAction::cascade))
        .relationship("parent", &M35::parent, back_populates(&M34::children))
        .relationship("children", &M35::children, back_populates(&M36::parent));
    registry.table<M36>("m36")
        .column("id", &M36::id, primary_key)
        .column("name", &M36::name, type(types::string(100)), indexed)
        .column("note", &M36::note, type(types::text()))
        .column("quantity", &M36::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M36::total)
        .column("ratio", &M36::ratio)
        .column("enabled", &M36::enabled, default_value(true))
        .column("created", &M36::created)
        .column("state", &M36::state)
        .column("parent_id", &M36::parent_id, foreign_key(&M35::id).on_delete(FkAction::cascade))
        .relationship("parent", &M36::parent, back_populates(&M35::children))
        .relationship("children", &M36::children, back_populates(&M37::parent));
    registry.table<M37>("m37")
        .column("id", &M37::id, primary_key)
        .column("name", &M37::name, type(types::string(100)), indexed)
        .column("note", &M37::note, type(types::text()))
        .column("quantity", &M37::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M37::total)
        .column("ratio", &M37::ratio)
        .column("enabled", &M37::enabled, default_value(true))
        .column("created", &M37::created)
        .column("state", &M37::state)
        .column("parent_id", &M37::parent_id, foreign_key(&M36::id).on_delete(FkAction::cascade))
        .relationship("parent", &M37::parent, back_populates(&M36::children))
        .relationship("children", &M37::children, back_populates(&M38::parent));
    registry.table<M38>("m38")
        .column("id", &M38::id, primary_key)
        .column("name", &M38::name, type(types::string(100)), indexed)
        .column("note", &M38::note, type(types::text()))
        .column("quantity", &M38::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M38::total)
        .column("ratio", &M38::ratio)
        .column("enabled", &M38::enabled, default_value(true))
        .column("created", &M38::created)
        .column("state", &M38::state)
        .column("parent_id", &M38::parent_id, foreign_key(&M37::id).on_delete(FkAction::cascade))
        .relationship("parent", &M38::parent, back_populates(&M37::children))
        .relationship("children", &M38::children, back_populates(&M39::parent));
    registry.table<M39>("m39")
        .column("id", &M39::id, primary_key)
        .column("name", &M39::name, type(types::string(100)), indexed)
        .column("note", &M39::note, type(types::text()))
        .column("quantity", &M39::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M39::total)
        .column("ratio", &M39::ratio)
        .column("enabled", &M39::enabled, default_value(true))
        .column("created", &M39::created)
        .column("state", &M39::state)
        .column("parent_id", &M39::parent_id, foreign_key(&M38::id).on_delete(FkAction::cascade))
        .relationship("parent", &M39::parent, back_populates(&M38::children))
        .relationship("children", &M39::children, back_populates(&M40::parent));
    registry.table<M40>("m40")
        .column("id", &M40::id, primary_key)
        .column("name", &M40::name, type(types::string(100)), indexed)
        .column("note", &M40::note, type(types::text()))
        .column("quantity", &M40::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M40::total)
        .column("ratio", &M40::ratio)
        .column("enabled", &M40::enabled, default_value(true))
        .column("created", &M40::created)
        .column("state", &M40::state)
        .column("parent_id", &M40::parent_id, foreign_key(&M39::id).on_delete(FkAction::cascade))
        .relationship("parent", &M40::parent, back_populates(&M39::children))
        .relationship("children", &M40::children, back_populates(&M41::parent));
    registry.table<M41>("m41")
        .column("id", &M41::id, primary_key)
        .column("name", &M41::name, type(types::string(100)), indexed)
        .column("note", &M41::note, type(types::text()))
        .column("quantity", &M41::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M41::total)
        .column("ratio", &M41::ratio)
        .column("enabled", &M41::enabled, default_value(true))
        .column("created", &M41::created)
        .column("state", &M41::state)
        .column("parent_id", &M41::parent_id, foreign_key(&M40::id).on_delete(FkAction::cascade))
        .relationship("parent", &M41::parent, back_populates(&M40::children))
        .relationship("children", &M41::children, back_populates(&M42::parent));
    registry.table<M42>("m42")
        .column("id", &M42::id, primary_key)
        .column("name", &M42::name, type(types::string(100)), indexed)
        .column("note", &M42::note, type(types::text()))
        .column("quantity", &M42::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M42::total)
        .column("ratio", &M42::ratio)
        .column("enabled", &M42::enabled, default_value(true))
        .column("created", &M42::created)
        .column("state", &M42::state)
        .column("parent_id", &M42::parent_id, foreign_key(&M41::id).on_delete(FkAction::cascade))
        .relationship("parent", &M42::parent, back_populates(&M41::children))
        .relationship("children", &M42::children, back_populates(&M43::parent));
    registry.table<M43>("m43")
        .column("id", &M43::id, primary_key)
        .column("name", &M43::name, type(types::string(100)), indexed)
        .column("note", &M43::note, type(types::text()))
        .column("quantity", &M43::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M43::total)
        .column("ratio", &M43::ratio)
        .column("enabled", &M43::enabled, default_value(true))
        .column("created", &M43::created)
        .column("state", &M43::state)
        .column("parent_id", &M43::parent_id, foreign_key(&M42::id).on_delete(FkAction::cascade))
        .relationship("parent", &M43::parent, back_populates(&M42::children))
        .relationship("children", &M43::children, back_populates(&M44::parent));
    registry.table<M44>("m44")
        .column("id", &M44::id, primary_key)
        .column("name", &M44::name, type(types::string(100)), indexed)
        .column("note", &M44::note, type(types::text()))
        .column("quantity", &M44::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M44::total)
        .column("ratio", &M44::ratio)
        .column("enabled", &M44::enabled, default_value(true))
        .column("created", &M44::created)
        .column("state", &M44::state)
        .column("parent_id", &M44::parent_id, foreign_key(&M43::id).on_delete(FkAction::cascade))
        .relationship("parent", &M44::parent, back_populates(&M43::children))
        .relationship("children", &M44::children, back_populates(&M45::parent));
    registry.table<M45>("m45")
        .column("id", &M45::id, primary_key)
        .column("name", &M45::name, type(types::string(100)), indexed)
        .column("note", &M45::note, type(types::text()))
        .column("quantity", &M45::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M45::total)
        .column("ratio", &M45::ratio)
        .column("enabled", &M45::enabled, default_value(true))
        .column("created", &M45::created)
        .column("state", &M45::state)
        .column("parent_id", &M45::parent_id, foreign_key(&M44::id).on_delete(FkAction::cascade))
        .relationship("parent", &M45::parent, back_populates(&M44::children))
        .relationship("children", &M45::children, back_populates(&M46::parent));
    registry.table<M46>("m46")
        .column("id", &M46::id, primary_key)
        .column("name", &M46::name, type(types::string(100)), indexed)
        .column("note", &M46::note, type(types::text()))
        .column("quantity", &M46::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M46::total)
        .column("ratio", &M46::ratio)
        .column("enabled", &M46::enabled, default_value(true))
        .column("created", &M46::created)
        .column("state", &M46::state)
        .column("parent_id", &M46::parent_id, foreign_key(&M45::id).on_delete(FkAction::cascade))
        .relationship("parent", &M46::parent, back_populates(&M45::children))
        .relationship("children", &M46::children, back_populates(&M47::parent));
    registry.table<M47>("m47")
        .column("id", &M47::id, primary_key)
        .column("name", &M47::name, type(types::string(100)), indexed)
        .column("note", &M47::note, type(types::text()))
        .column("quantity", &M47::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M47::total)
        .column("ratio", &M47::ratio)
        .column("enabled", &M47::enabled, default_value(true))
        .column("created", &M47::created)
        .column("state", &M47::state)
        .column("parent_id", &M47::parent_id, foreign_key(&M46::id).on_delete(FkAction::cascade))
        .relationship("parent", &M47::parent, back_populates(&M46::children))
        .relationship("children", &M47::children, back_populates(&M48::parent));
    registry.table<M48>("m48")
        .column("id", &M48::id, primary_key)
        .column("name", &M48::name, type(types::string(100)), indexed)
        .column("note", &M48::note, type(types::text()))
        .column("quantity", &M48::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M48::total)
        .column("ratio", &M48::ratio)
        .column("enabled", &M48::enabled, default_value(true))
        .column("created", &M48::created)
        .column("state", &M48::state)
        .column("parent_id", &M48::parent_id, foreign_key(&M47::id).on_delete(FkAction::cascade))
        .relationship("parent", &M48::parent, back_populates(&M47::children))
        .relationship("children", &M48::children, back_populates(&M49::parent));
    registry.table<M49>("m49")
        .column("id", &M49::id, primary_key)
        .column("name", &M49::name, type(types::string(100)), indexed)
        .column("note", &M49::note, type(types::text()))
        .column("quantity", &M49::quantity, default_value(0), check("quantity >= 0"))
        .column("total", &M49::total)
        .column("ratio", &M49::ratio)
        .column("enabled", &M49::enabled, default_value(true))
        .column("created", &M49::created)
        .column("state", &M49::state)
        .column("parent_id", &M49::parent_id, foreign_key(&M48::id).on_delete(FkAction::cascade))
        .relationship("parent", &M49::parent, back_populates(&M48::children));
}

}  // namespace fifty
