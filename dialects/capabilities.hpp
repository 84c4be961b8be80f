// What a database can do, as data the planner and the ORM consult instead of
// comparing dialect names.
#pragma once

#include <cstddef>

namespace strata {

struct Capabilities {
    bool transactional_ddl = false;     // DDL inside a transaction rolls back with it
    bool alter_column = false;          // ALTER COLUMN type / nullability / default in place (else rebuild)
    bool add_column = true;             // native ALTER TABLE ADD COLUMN
    bool drop_column = false;           // native ALTER TABLE DROP COLUMN
    bool rename_column = false;         // native ALTER TABLE RENAME COLUMN
    bool alter_constraints = false;     // ALTER TABLE ADD/DROP CONSTRAINT for FK, unique, check
    bool check_constraints = true;      // CHECK constraints are enforced and reflected
    bool returning = false;             // INSERT ... RETURNING
    bool native_boolean = false;        // a real boolean type (not an integer alias)
    bool native_uuid = false;
    bool native_json = false;
    bool native_enum = false;           // enum as a column type (MySQL) rather than a check
    bool column_comments = false;       // comments stored in the catalog
    bool named_primary_key = false;     // reflection returns the primary key's own name
    bool fk_needs_index = false;        // an FK keeps a backing index the engine created (MySQL)
    bool index_methods = false;         // CREATE INDEX ... USING <method> (other than btree) and operator classes
    bool partial_indexes = false;       // CREATE INDEX ... WHERE <predicate>
    bool index_nulls_order = false;     // NULLS FIRST / LAST on index keys
    bool timezone_timestamps = false;   // a time-zone-aware timestamp type beside the plain one (TIMESTAMPTZ)
    bool nulls_sort_last = false;       // NULLs sort as the largest value (ASC: last), not the smallest
    // Schema objects beside the tables (orm/schema/sequence.hpp, domain.hpp, enum_type.hpp):
    // rendered, reflected and compared only where set. Without named enum types an enum
    // column keeps its labels itself (Dialect::normalize_objects).
    bool sequences = false;
    bool domains = false;
    bool named_enum_types = false;
    std::size_t max_bind_parameters = 999;
    std::size_t max_identifier_length = 63;  // bytes; 0: no limit (SQLite)

    bool operator==(const Capabilities&) const = default;
};

}  // namespace strata
