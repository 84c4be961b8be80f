// Sequence: a named number generator (CREATE SEQUENCE), one of the schema objects of a
// Metadata (Metadata::sequences()). Plain data, no I/O.
//
// A column takes numbers from it with the default expression nextval('name'). The
// sequence behind an autoincrement column (PostgreSQL identity or serial) is that
// column's, not a schema object: reflection folds a serial's own sequence into the
// column (docs/migrations.md, "Sequences, domains and enum types").
//
// Unset bounds and start mean the database's defaults for the type and direction
// (ascending: 1 .. type maximum, start at the minimum; descending: type minimum .. -1,
// start at the maximum); Dialect::normalize spells values equal to those defaults as
// unset, so a declared and a reflected sequence compare equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orm/schema/column_type.hpp"

namespace strata {

struct Sequence {
    static constexpr const char* kind = "sequence";

    std::string name;
    TypeKind type = TypeKind::big_integer;  // small_integer, integer or big_integer (AS ...)
    std::int64_t increment = 1;             // never 0
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> min_value;
    std::optional<std::int64_t> max_value;
    std::int64_t cache = 1;  // numbers preallocated per session, >= 1
    bool cycle = false;      // wrap around at the end instead of failing
    // OWNED BY: the sequence is dropped with this column. Both empty: owned by nothing.
    std::string owned_by_table;
    std::string owned_by_column;

    bool owned() const noexcept { return !owned_by_table.empty(); }
    friend bool operator==(const Sequence&, const Sequence&) = default;
    // "sequence order_numbers big_integer start 1000 increment 1 owned by orders.number"
    std::string describe() const;
};

// The smallest and largest values of an integer kind (small_integer: 16 bits,
// integer: 32 bits, anything else: 64 bits).
std::int64_t min_of(TypeKind kind) noexcept;
std::int64_t max_of(TypeKind kind) noexcept;

}  // namespace strata
