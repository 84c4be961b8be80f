// The standard-SQL base of the preflight queries (Dialect, "preflight"): what a
// RowCheck counts and samples. Backends override only the time limit, the row
// estimate and the character length (<x>/<x>_preflight.cpp).
#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/dialect.hpp"

namespace strata {

namespace {

std::string joined(const Dialect& d, const std::vector<std::string>& columns, const std::string& prefix = "") {
    std::string out;
    for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + prefix + d.quote(c);
    return out;
}

// "a IS NOT NULL AND b IS NOT NULL": rows a unique index or a foreign key checks.
std::string none_null(const Dialect& d, const std::vector<std::string>& columns, const std::string& prefix = "") {
    std::string out;
    for (const std::string& c : columns) out += (out.empty() ? "" : " AND ") + prefix + d.quote(c) + " IS NOT NULL";
    return out;
}

// The WHERE condition of the offending rows (every kind but duplicates).
std::string offending(const Dialect& d, const RowCheck& check) {
    using K = RowCheck::Kind;
    switch (check.kind) {
        case K::nulls: {
            std::string out;
            for (const std::string& c : check.columns) out += (out.empty() ? "" : " OR ") + d.quote(c) + " IS NULL";
            return out;
        }
        case K::orphans: {
            // MATCH SIMPLE: a key with a NULL column references nothing and is not checked.
            std::string match;
            for (std::size_t i = 0; i < check.columns.size() && i < check.ref_columns.size(); ++i)
                match += fmt::format("{}p.{} = c.{}", match.empty() ? "" : " AND ", d.quote(check.ref_columns[i]),
                                     d.quote(check.columns[i]));
            return fmt::format("{} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})", none_null(d, check.columns, "c."),
                               d.quote(check.ref_table), match);
        }
        case K::violations: return fmt::format("NOT ({})", check.expression);
        case K::longer_than:
            return fmt::format("{} > {}", d.char_length(d.quote(check.columns.at(0))), check.max_length);
        case K::out_of_range:
            return fmt::format("({0} < {1} OR {0} > {2})", d.quote(check.columns.at(0)), check.low, check.high);
        case K::rows_present: return "1 = 1";
        case K::duplicates: break;
    }
    return "1 = 1";
}

}  // namespace

RowCheckSql Dialect::render_row_check(const RowCheck& check, int limit) const {
    const std::string table = quote(check.table);
    if (check.kind == RowCheck::Kind::duplicates) {
        const std::string cols = joined(*this, check.columns);
        const std::string groups = fmt::format("FROM {} WHERE {} GROUP BY {} HAVING COUNT(*) > 1", table,
                                               none_null(*this, check.columns), cols);
        return {fmt::format("SELECT COUNT(*) FROM (SELECT 1 AS one {}) d", groups),
                fmt::format("SELECT {}, COUNT(*) {} ORDER BY {} LIMIT {}", cols, groups, cols, limit)};
    }
    // Orphans alias the child table "c" (the parent is "p"); the others need no alias,
    // which keeps a check's own column references unambiguous.
    const bool aliased = check.kind == RowCheck::Kind::orphans;
    const std::string from = aliased ? table + " c" : table;
    const std::string where = offending(*this, check);
    const std::vector<std::string>& key = check.key.empty() ? check.columns : check.key;
    const std::string shown = key.empty() ? std::string("*") : joined(*this, key, aliased ? "c." : "");
    const std::string order = key.empty() ? std::string() : " ORDER BY " + shown;
    return {fmt::format("SELECT COUNT(*) FROM {} WHERE {}", from, where),
            fmt::format("SELECT {} FROM {} WHERE {}{} LIMIT {}", shown, from, where, order, limit)};
}

std::string Dialect::char_length(const std::string& expression) const {
    return fmt::format("CHAR_LENGTH({})", expression);
}

std::vector<std::string> Dialect::read_only_begin(std::chrono::milliseconds) const { return {"BEGIN"}; }

std::string Dialect::time_limited(const std::string& select, std::chrono::milliseconds, const ServerVersion&) const {
    return select;
}

bool Dialect::is_statement_timeout(const Error& error) const noexcept {
    return error.kind() == ErrorKind::interrupted;
}

std::string Dialect::row_estimate_sql(const std::string& table) const {
    return fmt::format("SELECT COUNT(*) FROM {}", quote(table));
}

}  // namespace strata
