// Rows of values to typed tuples for Query<T>::rows<R...>(...): element i is converted
// with ColumnTraits<R_i>, as a member of that type would be. A NULL needs a
// std::optional element; a value that does not convert is Error(database) naming the
// element's position (1-based) and what went wrong.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/value.hpp"
#include "orm/detail/column_traits.hpp"

namespace strata::detail {

template <class R>
struct IsOptionalElement : std::false_type {};
template <class R>
struct IsOptionalElement<std::optional<R>> : std::true_type {};

[[noreturn]] void null_row_element(std::size_t position);
[[noreturn]] void bad_row_element(std::size_t position, const Error& cause);

template <class R>
void convert_row_element(const Value& v, R& out, std::size_t position) {
    if (!IsOptionalElement<R>::value && is_null(v)) null_row_element(position);
    try {
        ColumnTraits<R>::from_value(v, out);
    } catch (const Error& e) {
        bad_row_element(position, e);
    }
}

template <class... R, std::size_t... I>
std::tuple<R...> row_tuple(const std::vector<Value>& row, std::index_sequence<I...>) {
    std::tuple<R...> t;
    (convert_row_element(row.at(I), std::get<I>(t), I + 1), ...);
    return t;
}

template <class... R>
std::vector<std::tuple<R...>> row_tuples(const std::vector<std::vector<Value>>& rows) {
    static_assert((Mappable<R> && ...), "strata: rows<R...>(): every element type needs a ColumnTraits mapping");
    std::vector<std::tuple<R...>> out;
    out.reserve(rows.size());
    for (const std::vector<Value>& row : rows) out.push_back(row_tuple<R...>(row, std::index_sequence_for<R...>{}));
    return out;
}

}  // namespace strata::detail
