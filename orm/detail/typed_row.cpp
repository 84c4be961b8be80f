#include "orm/detail/typed_row.hpp"

#include <fmt/format.h>

#include <string>

#include "orm/detail/mapped_row.hpp"

namespace strata::detail {

namespace {

std::string column_label(const RowView& row, std::size_t column) {
    return fmt::format("column {} ({})", column + 1, row.column_name(column));
}

}  // namespace

void row_width_error(const RowView& row, std::size_t types) {
    throw Error(ErrorKind::usage, fmt::format("sql_rows<...>(): the result has {} column(s) ({}) but {} type(s) were "
                                              "given; give one type per selected column",
                                              row.size(), result_column_names(row), types));
}

void null_cell_error(const RowView& row, std::size_t column) {
    throw Error(ErrorKind::database, fmt::format("sql_rows<...>(): {} is NULL in a row but its type cannot hold NULL; "
                                                 "make it std::optional<...>",
                                                 column_label(row, column)));
}

void rethrow_for_cell(const Error& e, const RowView& row, std::size_t column) {
    throw Error(e.kind(), fmt::format("sql_rows<...>(): {}: {}", column_label(row, column), e.what()), e.details());
}

}  // namespace strata::detail
