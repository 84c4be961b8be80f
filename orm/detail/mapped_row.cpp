#include "orm/detail/mapped_row.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace strata::detail {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

bool same_ignoring_case(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

// The result column named `name`: exact (exact == true) or ignoring case; kNone when
// there is none, Error(usage) when there are several.
std::size_t find_column(const RowView& row, std::string_view name, bool exact, std::string_view caller) {
    std::size_t found = kNone;
    for (std::size_t i = 0; i < row.size(); ++i) {
        std::string_view have = row.column_name(i);
        if (exact ? have != name : !same_ignoring_case(have, name)) continue;
        if (found != kNone)
            throw Error(ErrorKind::usage,
                        fmt::format("{}: the result has column {} twice (columns {} and {}); select it once or alias "
                                    "the other one",
                                    caller, name, found + 1, i + 1));
        found = i;
    }
    return found;
}

}  // namespace

std::string result_column_names(const RowView& row) {
    std::string out;
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + std::string(row.column_name(i));
    return out;
}

std::vector<std::size_t> model_columns_in(const ModelMapper& m, const RowView& row, std::string_view caller) {
    const std::vector<Column>& columns = m.table.columns;
    std::vector<std::size_t> out(columns.size(), kNone);
    std::string missing;
    bool key_missing = false;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        out[c] = find_column(row, columns[c].name, true, caller);
        if (out[c] == kNone) out[c] = find_column(row, columns[c].name, false, caller);
        if (out[c] != kNone) continue;
        const bool key = std::find(m.primary_key.begin(), m.primary_key.end(), c) != m.primary_key.end();
        key_missing = key_missing || key;
        missing += fmt::format("{}{}{}", missing.empty() ? "" : ", ", columns[c].name, key ? " (primary key)" : "");
    }
    if (!missing.empty())
        throw Error(ErrorKind::usage,
                    fmt::format("{}: the result has no column {} of {} (its columns: {}); select every column of the "
                                "table by name{}",
                                caller, missing, m.describe(), result_column_names(row),
                                key_missing ? ", the primary key first of all, to identify the objects" : ""));
    return out;
}

void MappedRow::cells(std::size_t first, std::size_t count, Cell* out) const {
    for (std::size_t k = 0; k < count; ++k) out[k] = row_.cell(columns_.at(first + k));
}

}  // namespace strata::detail
