// typed_row<Ts...>(row): one row of a raw SELECT as std::tuple<Ts...> (Session::sql_rows).
// Element i takes result column i through ColumnTraits<T>::from_value (the conversions
// the ORM uses for members, so what a member of type T accepts, element T accepts);
// strata::Value takes the column as it is. Private to the session.
//
// Throws Error(usage) when the row does not have exactly sizeof...(Ts) columns;
// Error(database) naming the column for a NULL in an element that is not
// std::optional (nor Value), and for a value the type cannot hold (the conversion's
// own error, prefixed with the column).
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>

#include "core/error.hpp"
#include "core/value.hpp"
#include "dialects/connection.hpp"
#include "orm/detail/column_traits.hpp"

namespace strata::detail {

[[noreturn]] void row_width_error(const RowView& row, std::size_t types);
[[noreturn]] void null_cell_error(const RowView& row, std::size_t column);
[[noreturn]] void rethrow_for_cell(const Error& e, const RowView& row, std::size_t column);

template <class T>
void read_cell(const RowView& row, std::size_t column, T& out) {
    if constexpr (std::is_same_v<T, Value>) {
        out = row.get(column);
    } else {
        static_assert(Mappable<T>,
                      "strata: sql_rows<...>(): each type needs a ColumnTraits specialization (or is "
                      "strata::Value)");
        Value v = row.get(column);
        if (is_null(v) && !is_nullable<T>()) null_cell_error(row, column);
        try {
            ColumnTraits<T>::from_value(v, out);
        } catch (const Error& e) {
            rethrow_for_cell(e, row, column);
        }
    }
}

template <class... Ts>
std::tuple<Ts...> typed_row(const RowView& row) {
    if (row.size() != sizeof...(Ts)) row_width_error(row, sizeof...(Ts));
    std::tuple<Ts...> out;
    std::size_t column = 0;
    std::apply([&](auto&... element) { (read_cell(row, column++, element), ...); }, out);
    return out;
}

}  // namespace strata::detail
