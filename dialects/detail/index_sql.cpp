#include "dialects/detail/index_sql.hpp"

#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata::detail {

namespace {

const char* nulls_text(NullsOrder nulls) {
    return nulls == NullsOrder::first ? "NULLS FIRST" : "NULLS LAST";
}

// The NULLS order a key gets without a NULLS clause.
NullsOrder default_nulls(const Capabilities& caps, bool descending) {
    return caps.nulls_sort_last != descending ? NullsOrder::last : NullsOrder::first;
}

std::string index_label(const Table& table, const Index& index) {
    return fmt::format("index {} of table {}", index.name.empty() ? std::string("(unnamed)") : index.name, table.name);
}

}  // namespace

std::string index_key_list(const Dialect& dialect, const Table& table, const Index& index) {
    std::string out;
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
        const std::string& key = index.columns[i];
        if (i) out += ", ";
        out += table.find_column(key) ? dialect.quote(key) : "(" + key + ")";
        const IndexKeyOptions& k = index.key(i);
        if (!k.opclass.empty()) out += " " + k.opclass;
        if (k.descending) out += " DESC";
        // Without NULLS clauses, the order asked for is the database's own (see
        // require_index_support()).
        if (k.nulls != NullsOrder::database_default && dialect.capabilities().index_nulls_order)
            out += std::string(" ") + nulls_text(k.nulls);
    }
    return out;
}

void require_index_support(const Dialect& dialect, const Table& table, const Index& index) {
    const Capabilities& caps = dialect.capabilities();
    if (!caps.index_methods && !is_default_index_method(index.method))
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} uses the access method '{}', which strata cannot build on {}: only B-tree "
                                "indexes are modelled there; leave the method out for this database, or write the "
                                "index with op = \"sql\"",
                                index_label(table, index), index.method, dialect.name()));
    if (!caps.partial_indexes && !index.where.empty())
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} is partial (WHERE {}), which {} does not support; index every row, index a "
                                "generated column instead, or write the index with op = \"sql\"",
                                index_label(table, index), index.where, dialect.name()));
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
        const IndexKeyOptions& k = index.key(i);
        if (!caps.index_methods && !k.opclass.empty())
            throw Error(ErrorKind::unsupported,
                        fmt::format("{} gives key {} the operator class '{}', and {} has no operator classes; leave "
                                    "it out for this database",
                                    index_label(table, index), index.columns[i], k.opclass, dialect.name()));
        if (!caps.index_nulls_order && k.nulls != NullsOrder::database_default &&
            k.nulls != default_nulls(caps, k.descending))
            throw Error(ErrorKind::unsupported,
                        fmt::format("{} asks for key {} {} {}, but {} always sorts NULLs {} in an {} index key; "
                                    "leave the NULLS order out for this database",
                                    index_label(table, index), index.columns[i], k.descending ? "DESC" : "ASC",
                                    nulls_text(k.nulls), dialect.name(),
                                    default_nulls(caps, k.descending) == NullsOrder::first ? "first" : "last",
                                    k.descending ? "descending" : "ascending"));
    }
}

void normalize_index_options(Index& index, const Capabilities& capabilities) {
    if (is_default_index_method(index.method)) index.method.clear();
    for (char& c : index.method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (IndexKeyOptions& k : index.key_options)
        if (k.nulls == default_nulls(capabilities, k.descending)) k.nulls = NullsOrder::database_default;
    while (!index.key_options.empty() && index.key_options.back().is_default()) index.key_options.pop_back();
}

}  // namespace strata::detail
