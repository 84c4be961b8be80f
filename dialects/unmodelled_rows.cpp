#include "dialects/detail/unmodelled_rows.hpp"

#include "dialects/connection.hpp"

namespace strata::detail {

namespace {

// Catalog text: MySQL's information_schema may hand names back as binary strings.
std::string text_of(const RowView& row, std::size_t i) {
    if (row.is_null(i)) return {};
    Value v = row.get(i);
    if (auto* s = std::get_if<std::string>(&v)) return std::move(*s);
    if (auto* b = std::get_if<Blob>(&v)) return std::string(b->bytes.begin(), b->bytes.end());
    return {};
}

}  // namespace

void add_unmodelled_rows(Connection& conn, std::string_view sql, const std::string& database,
                         const ReflectOptions& options, Metadata& out) {
    conn.query(sql, {}, [&](const RowView& row) {
        auto kind = kind_named(text_of(row, 0));
        if (!kind) return;
        UnmodelledObject o = make_unmodelled(*kind, text_of(row, 1), text_of(row, 2), text_of(row, 3), database);
        if (!is_internal(o, options.internal_prefix)) out.add_unmodelled(std::move(o));
    });
}

}  // namespace strata::detail
