// UnmodelledObject: something a reflected database holds that the schema model does not
// describe (a trigger, a function, a partition...). Reflection lists every such
// object it sees on Metadata::unmodelled(), so that diff, check and autogenerate can name
// it instead of skipping it silently (docs/migrations.md, "What strata does not model").
// Plain data: no I/O; the dialects fill it in, the differ turns it into notes.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

enum class UnmodelledKind {
    view,               // (views are modelled: orm/schema/view.hpp; kept for notes made elsewhere)
    materialized_view,
    trigger,
    event_trigger,  // PostgreSQL: database-wide, on DDL events
    function,
    procedure,
    aggregate,               // PostgreSQL aggregate and window functions
    rule,                    // PostgreSQL rewrite rule (not a view's own)
    policy,                  // PostgreSQL row-level security policy
    row_level_security,      // PostgreSQL: RLS switched on for a table
    partitioned_table,       // reflected as a plain table; the partitioning is not
    partition,               // a partition of a partitioned table: not reflected
    inherited_table,         // PostgreSQL inheritance child: reflected as an independent table
    foreign_table,           // PostgreSQL foreign data wrapper table
    system_versioned_table,  // MariaDB WITH SYSTEM VERSIONING: not reflected
    virtual_table,           // SQLite CREATE VIRTUAL TABLE: not reflected
    extension,               // PostgreSQL
    sequence,                // MariaDB (PostgreSQL's are modelled: Metadata::sequences())
    domain,                  // not listed by the built-in dialects (PostgreSQL's are modelled)
    enum_type,               // not listed by the built-in dialects (PostgreSQL's are modelled)
    composite_type,          // PostgreSQL CREATE TYPE ... AS (...)
    range_type,              // PostgreSQL CREATE TYPE ... AS RANGE
    exclusion_constraint,    // PostgreSQL EXCLUDE
    partial_index,           // an index with WHERE
    expression_index,        // SQLite, MySQL: an index on an expression
    prefix_index,            // MySQL: an index on a column prefix
    fulltext_index,          // MySQL FULLTEXT
    spatial_index,           // MySQL SPATIAL
    materialized_view_index,  // PostgreSQL: an index on a materialized view
    event,                   // MySQL/MariaDB scheduled event (the last kind)
};

// "materialized view", "trigger", ...: how notes and JSON name the kind.
std::string_view kind_name(UnmodelledKind kind) noexcept;

struct UnmodelledObject {
    UnmodelledKind kind = UnmodelledKind::view;
    std::string schema;    // the schema (PostgreSQL), database (MySQL) or "main" (SQLite) it is in
    std::string name;      // its name within `schema`; a function's carries its argument types
    std::string table;     // the table it belongs to (trigger, rule, policy, index, partition...); "" when none
    std::string reason;    // short: what strata does about it ("not compared, not reproduced")
    std::string database;  // "PostgreSQL", "MySQL", "MariaDB" or "SQLite"

    friend auto operator<=>(const UnmodelledObject&, const UnmodelledObject&) = default;
    friend bool operator==(const UnmodelledObject&, const UnmodelledObject&) = default;
};

// The kind kind_name() names ("materialized view" -> materialized_view); nullopt for
// any other text.
std::optional<UnmodelledKind> kind_named(std::string_view name) noexcept;

// What most kinds get as `reason`: "not compared, not reproduced" (a partitioned or an
// inherited table says that it is reproduced as a plain table).
std::string default_reason(UnmodelledKind kind);

// An object with `database` and the default reason filled in.
UnmodelledObject make_unmodelled(UnmodelledKind kind, std::string schema, std::string name, std::string table,
                                 std::string database);

// True when the object is strata's own bookkeeping: its name, or its table's, starts
// with `internal_prefix` (ReflectOptions::internal_prefix; "" means never).
bool is_internal(const UnmodelledObject& object, std::string_view internal_prefix) noexcept;

// The one-line note diff, check and autogenerate print (line breaks in names become
// spaces):
// "not modelled: trigger users_audit on users (PostgreSQL) - not compared, not reproduced".
std::string note_text(const UnmodelledObject& object);

}  // namespace strata
