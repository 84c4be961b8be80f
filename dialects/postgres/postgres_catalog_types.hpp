// The enum types, domains and sequences of current_schema() as reflection reads them
// (postgres_catalog_types.cpp): three catalog queries, whatever the number of tables.
// Internal to the PostgreSQL dialect; PostgresDialect::reflect uses them to type the
// columns and to fill Metadata's schema objects.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dialects/postgres/postgres_dialect.hpp"

namespace strata::postgres {

struct CatalogTypes {
    std::string schema;                                    // current_schema()
    std::unordered_map<std::int64_t, EnumType> enums;      // by type oid: the schema's, and those columns use
    std::unordered_set<std::int64_t> schema_enums;         // the enum types that are the schema's objects
    std::unordered_map<std::int64_t, Domain> domains;      // by type oid: the schema's domains
    std::vector<Domain> domain_order;                      // the same, by name (filled by read)
    std::vector<Sequence> sequences;                       // by name; bounds and start as stored

    // The portable type of a column (or domain) of type `oid`, whose pg_type.typtype is
    // `typtype` and whose format_type() spelling is `native`: an enum with its labels
    // (type_name set when the type is the schema's), a domain of the schema by name
    // (kind other, type_name set), else PostgresDialect::parse_type.
    ColumnType column_type(const PostgresDialect& d, std::int64_t oid, const std::string& typtype,
                           const std::string& native) const;
};

// Catalog cells: an integer (oid, count; Error(internal) for anything else), text ("" for
// NULL), a boolean (false for NULL).
std::int64_t as_int(const Value& v);
std::string as_text(const Value& v);
bool as_bool(const Value& v);

// Reads the enum types (the schema's, and the labels of every enum type a reflected
// column uses), domains and sequences. Objects owned by an extension, identity
// columns' sequences and names starting with options.internal_prefix are left out.
CatalogTypes read_catalog_types(const PostgresDialect& d, Connection& conn, const ReflectOptions& options);

// Adds the objects to `out`, whose tables are reflected, except those that belong to a
// single column and are reproduced with it:
//  - an enum type named <table>_<column>_enum (what strata creates for a column's own
//    enum) that only that column uses: the column's type_name is cleared;
//  - a serial's sequence: owned by the column whose default is nextval() of it, named
//    as PostgreSQL names it (<table>_<column>_seq), with the defaults of its type and
//    used by no other column: the column becomes autoincrement without a default.
// Every other default nextval('x'::regclass) stays the expression nextval('x').
void add_schema_objects(CatalogTypes types, Metadata& out);

// The name PostgreSQL gives the sequence of serial column `column` of `table`
// (makeObjectName: both parts shortened to fit 63 bytes with "_seq").
std::string serial_sequence_name(const std::string& table, const std::string& column);

}  // namespace strata::postgres
