// The standard-SQL rendering of views (Dialect::render_create_view and friends). Each
// dialect overrides what it spells differently (<x>/<x>_views.cpp).
#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/dialect.hpp"

namespace strata {

std::vector<std::string> Dialect::render_create_view(const View& view) const {
    if (view.materialized)
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} has no materialized views: {} cannot be created here; declare it as a plain view "
                                "(materialized = false) for this database",
                                name(), view.describe()));
    std::string columns = view.columns.empty() ? "" : " (" + detail::quoted_list(*this, view.columns) + ")";
    return {fmt::format("CREATE VIEW {}{} AS\n{}", quote(view.name), columns, trimmed_definition(view.definition))};
}

std::string Dialect::render_drop_view(const View& view) const { return "DROP VIEW " + quote(view.name); }

View Dialect::normalize(const View& view) const {
    View out = view;
    out.definition = trimmed_definition(view.definition);
    return out;
}

View Dialect::canonical_view(Connection&, const View& view) const { return normalize(view); }

}  // namespace strata
