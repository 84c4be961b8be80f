// MappedRow: a row of a raw SELECT seen in a model's column order (Session::from_sql).
// Result columns are matched to the model's columns by name, so the SELECT may list
// them in any order. Private to the session.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/connection.hpp"
#include "orm/detail/model_mapper.hpp"

namespace strata::detail {

// The names of the row's columns, comma-separated (for messages).
std::string result_column_names(const RowView& row);

// For each column of `m` (in its table's order), the index of the result column with its
// name: an exact match, else the one whose name differs only in ASCII case (PostgreSQL
// folds unquoted names to lower case, MySQL keeps the spelling of the select list).
// Result columns the model does not have are ignored. Throws Error(usage), naming the
// columns and `caller`, when a column of the model is missing (the primary key's
// flagged as such) or when one appears twice in the result.
std::vector<std::size_t> model_columns_in(const ModelMapper& m, const RowView& row, std::string_view caller);

// `row` with the columns model_columns_in() picked, in the model's order. Valid while
// `row` is (during one row callback); `columns` must outlive it too.
class MappedRow final : public RowView {
public:
    MappedRow(const RowView& row, const std::vector<std::size_t>& columns) noexcept : row_(row), columns_(columns) {}

    std::size_t size() const noexcept override { return columns_.size(); }
    std::string_view column_name(std::size_t i) const override { return row_.column_name(columns_.at(i)); }
    bool is_null(std::size_t i) const override { return row_.is_null(columns_.at(i)); }
    Value get(std::size_t i) const override { return row_.get(columns_.at(i)); }
    Cell cell(std::size_t i) const override { return row_.cell(columns_.at(i)); }
    void cells(std::size_t first, std::size_t count, Cell* out) const override;

private:
    const RowView& row_;
    const std::vector<std::size_t>& columns_;
};

}  // namespace strata::detail
