#include "orm/schema/unmodelled_object.hpp"

#include <fmt/format.h>

namespace strata {

std::string_view kind_name(UnmodelledKind kind) noexcept {
    switch (kind) {
        case UnmodelledKind::view:
            return "view";
        case UnmodelledKind::materialized_view:
            return "materialized view";
        case UnmodelledKind::trigger:
            return "trigger";
        case UnmodelledKind::event_trigger:
            return "event trigger";
        case UnmodelledKind::function:
            return "function";
        case UnmodelledKind::procedure:
            return "procedure";
        case UnmodelledKind::aggregate:
            return "aggregate";
        case UnmodelledKind::rule:
            return "rule";
        case UnmodelledKind::policy:
            return "policy";
        case UnmodelledKind::row_level_security:
            return "row-level security";
        case UnmodelledKind::partitioned_table:
            return "partitioned table";
        case UnmodelledKind::partition:
            return "partition";
        case UnmodelledKind::inherited_table:
            return "inherited table";
        case UnmodelledKind::foreign_table:
            return "foreign table";
        case UnmodelledKind::system_versioned_table:
            return "system-versioned table";
        case UnmodelledKind::virtual_table:
            return "virtual table";
        case UnmodelledKind::extension:
            return "extension";
        case UnmodelledKind::sequence:
            return "sequence";
        case UnmodelledKind::domain:
            return "domain";
        case UnmodelledKind::enum_type:
            return "enum type";
        case UnmodelledKind::composite_type:
            return "composite type";
        case UnmodelledKind::range_type:
            return "range type";
        case UnmodelledKind::exclusion_constraint:
            return "exclusion constraint";
        case UnmodelledKind::partial_index:
            return "partial index";
        case UnmodelledKind::expression_index:
            return "expression index";
        case UnmodelledKind::prefix_index:
            return "prefix index";
        case UnmodelledKind::fulltext_index:
            return "fulltext index";
        case UnmodelledKind::spatial_index:
            return "spatial index";
        case UnmodelledKind::materialized_view_index:
            return "materialized view index";
        case UnmodelledKind::event:
            return "event";
    }
    return "object";
}

std::optional<UnmodelledKind> kind_named(std::string_view name) noexcept {
    for (int k = 0; k <= static_cast<int>(UnmodelledKind::event); ++k) {
        auto kind = static_cast<UnmodelledKind>(k);
        if (kind_name(kind) == name) return kind;
    }
    return std::nullopt;
}

bool is_internal(const UnmodelledObject& o, std::string_view prefix) noexcept {
    return !prefix.empty() && (o.name.starts_with(prefix) || o.table.starts_with(prefix));
}

std::string default_reason(UnmodelledKind kind) {
    switch (kind) {
        case UnmodelledKind::partitioned_table:
            return "partitioning not compared, not reproduced: copied as a plain table";
        case UnmodelledKind::inherited_table:
            return "inheritance not compared, not reproduced: copied as an independent table";
        case UnmodelledKind::row_level_security:
            return "not compared, not reproduced: a copy of the table has it off";
        default:
            return "not compared, not reproduced";
    }
}

UnmodelledObject make_unmodelled(UnmodelledKind kind, std::string schema, std::string name, std::string table,
                                 std::string database) {
    UnmodelledObject o;
    o.kind = kind;
    o.schema = std::move(schema);
    o.name = std::move(name);
    o.table = std::move(table);
    o.reason = default_reason(kind);
    o.database = std::move(database);
    return o;
}

std::string note_text(const UnmodelledObject& o) {
    // "trigger audit on users", "partition m_2024 of measurements"; row-level security
    // is a setting of its table and has no name of its own.
    std::string out = fmt::format("not modelled: {}", kind_name(o.kind));
    if (o.kind != UnmodelledKind::row_level_security) out += " " + o.name;
    if (!o.table.empty()) {
        bool of = o.kind == UnmodelledKind::partition || o.kind == UnmodelledKind::inherited_table;
        out += fmt::format(" {} {}", of ? "of" : "on", o.table);
    }
    out += fmt::format(" ({}) - {}", o.database, o.reason);
    for (char& c : out)
        if (c == '\n' || c == '\r') c = ' ';  // a name may hold a line break; a note is one line
    return out;
}

}  // namespace strata
