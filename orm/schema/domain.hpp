// Domain: a named type with constraints (CREATE DOMAIN us_postal_code AS TEXT CHECK
// (...)), one of the schema objects of a Metadata (Metadata::domains()). Plain data,
// no I/O. Only PostgreSQL has domains; elsewhere declaring one is refused.
//
// A column uses it through column_type(): kind `other` spelled with the domain's
// name, and ColumnType::type_name naming the domain, so the column is created with
// the domain as its type and the differ keeps the domain until no column needs it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orm/schema/column_type.hpp"
#include "orm/schema/table.hpp"

namespace strata {

struct Domain {
    static constexpr const char* kind = "domain";

    std::string name;
    ColumnType type;      // the base type (an enum type or another domain by type_name)
    bool nullable = true;  // false: NOT NULL
    std::optional<ServerDefault> server_default;
    // In the expressions VALUE stands for the value checked: "VALUE ~ '^[0-9]{5}$'".
    // Unnamed checks are named by apply_naming_convention (ck_<domain>_<words>).
    std::vector<CheckConstraint> checks;

    // The type of a column declared with this domain.
    ColumnType column_type() const;

    friend bool operator==(const Domain&, const Domain&) = default;
    std::string describe() const;  // "domain us_postal_code text NOT NULL CHECK ck_...: VALUE ..."
};

// Fills every empty check name of `domain` from the naming convention.
void apply_naming_convention(Domain& domain);

}  // namespace strata
