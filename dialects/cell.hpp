// Cell: one column of a result row as the driver holds it, read without building a
// Value (see RowView::cell in dialects/connection.hpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace strata {

// A column of the current row as the driver holds it, without a copy: `text` points
// into the driver's buffer and is valid only until the row view moves on. A driver
// reports `other` for anything it does not hold in one of these plain forms (dates,
// decimals, booleans on some servers); the reader then uses RowView::get(). Only the
// field the kind names is meaningful.
struct Cell {
    enum class Kind : std::uint8_t { other, null, integer, real, text };
    Kind kind = Kind::other;
    std::int64_t integer = 0;
    double real = 0;
    std::string_view text;
};

}  // namespace strata
