// View: a named SELECT stored by the database (CREATE VIEW), part of the schema model
// next to the tables (Metadata::views()). Declared in C++ (Registry::add_view,
// strata::view in orm/model.hpp) or reflected from a database; the differ compares
// declared and reflected views by name and definition. Plain data, no I/O.
//
// The definition is SQL text, compared as text: every database but SQLite rewrites the
// SELECT it is given (PostgreSQL deparses it, MySQL qualifies every column), so a
// declared view is compared through the database's own spelling of it
// (Dialect::canonical_view, canonical_views in orm/create_all.hpp) rather than as typed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct View {
    std::string name;
    // The SELECT (or VALUES / WITH ... SELECT) text, without CREATE VIEW ... AS and
    // without a final ';'.
    std::string definition;
    // The column names given with the view (CREATE VIEW v (a, b) AS ...); empty: the
    // SELECT's own. PostgreSQL and MySQL fold them into the definition (as aliases) and
    // reflect them empty; SQLite keeps them.
    std::vector<std::string> columns;
    // A PostgreSQL materialized view (CREATE MATERIALIZED VIEW ... WITH DATA). Other
    // databases refuse to create one (Error(unsupported)).
    bool materialized = false;

    friend bool operator==(const View&, const View&) = default;
    // "view thread_activity" / "materialized view thread_titles"
    std::string describe() const;
};

// The positions 0..names.size()-1 ordered so that each comes after the positions it
// reads (reads[i]), ties broken by name: views in the order they can be created. Where
// the rest reads itself in a cycle (databases refuse cyclic views, so only a reading
// guessed from the SQL text can close one), the first remaining name goes next regardless.
std::vector<std::size_t> dependency_order(const std::vector<std::string>& names,
                                          const std::vector<std::vector<std::size_t>>& reads);

// The definition without the white space around it and without final ';'s: how
// definitions are stored and compared.
std::string trimmed_definition(std::string_view sql);

}  // namespace strata
