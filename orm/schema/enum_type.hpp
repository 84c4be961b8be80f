// EnumType: a named enum type defined once and used by columns by name (PostgreSQL
// CREATE TYPE mood AS ENUM ('sad', 'ok')), one of the schema objects of a Metadata
// (Metadata::enum_types()). Plain data, no I/O.
//
// A column uses it through column_type(): kind enum_ with the labels and
// ColumnType::type_name set to the type's name. Only PostgreSQL has named enum types;
// MySQL/MariaDB and SQLite keep an enum's labels on each column (ENUM(...) / a CHECK),
// so there such a column is written with its labels inline and the type itself is not
// created (docs/migrations.md, "Sequences, domains and enum types").
#pragma once

#include <string>
#include <vector>

#include "orm/schema/column_type.hpp"

namespace strata {

struct EnumType {
    static constexpr const char* kind = "enum type";

    std::string name;
    std::vector<std::string> values;  // labels, in sort order

    // The type of a column declared with this enum type.
    ColumnType column_type() const;

    friend bool operator==(const EnumType&, const EnumType&) = default;
    std::string describe() const;  // "enum type mood ('sad', 'ok')"
};

}  // namespace strata
