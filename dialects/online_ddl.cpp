// ServerVersion and the standard-SQL base of Dialect's online-DDL answers.
#include "dialects/online_ddl.hpp"

#include <fmt/format.h>

#include <cctype>

#include "dialects/dialect.hpp"

namespace strata {

namespace {

// The dotted number starting at `pos`: up to three parts.
void read_numbers(std::string_view text, std::size_t pos, ServerVersion& v) {
    int* parts[] = {&v.major, &v.minor, &v.patch};
    for (int* part : parts) {
        if (pos >= text.size() || !std::isdigit(static_cast<unsigned char>(text[pos]))) return;
        int value = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) && value < 100000)
            value = value * 10 + (text[pos++] - '0');
        *part = value;
        if (pos >= text.size() || text[pos] != '.') return;
        ++pos;
    }
}

bool contains_mariadb(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("mariadb") != std::string::npos;
}

}  // namespace

ServerVersion ServerVersion::parse(std::string_view text) {
    ServerVersion v;
    v.text = std::string(text);
    v.mariadb = contains_mariadb(text);
    std::size_t pos = 0;
    while (pos < text.size() && !std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    // MariaDB behind the MySQL protocol reports "5.5.5-10.6.4-MariaDB": the real
    // version follows the compatibility prefix.
    if (v.mariadb && text.substr(pos).rfind("5.5.5-", 0) == 0) pos += 6;
    read_numbers(text, pos, v);
    return v;
}

bool ServerVersion::at_least(int major_, int minor_, int patch_) const noexcept {
    if (major != major_) return major > major_;
    if (minor != minor_) return minor > minor_;
    return patch >= patch_;
}

std::string ServerVersion::describe() const {
    return fmt::format("{}.{}.{}{}", major, minor, patch, mariadb ? " (MariaDB)" : "");
}

const char* algorithm_name(DdlAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case DdlAlgorithm::instant: return "INSTANT";
        case DdlAlgorithm::inplace: return "INPLACE";
        case DdlAlgorithm::copy: return "COPY";
    }
    return "?";
}

ServerVersion Dialect::assumed_server_version() const { return {}; }

OnlineDdl Dialect::online_ddl(const ServerVersion&) const { return {}; }

DdlCost Dialect::ddl_cost(const DdlChange& change, const ServerVersion&) const {
    using K = DdlChange::Kind;
    switch (change.kind) {
        case K::rename_column:
        case K::rename_table:
        case K::drop_index:
        case K::drop_constraint:
        case K::change_default:
        case K::drop_not_null:
            return {DdlAlgorithm::instant, DdlLock::exclusive, false, false, "exclusive"};
        default:
            return {DdlAlgorithm::copy, DdlLock::exclusive, true, true, "exclusive"};
    }
}

}  // namespace strata
