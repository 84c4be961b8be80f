#include "orm/schema/table.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace strata {

namespace {

std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += sep;
        out += items[i];
    }
    return out;
}

// FNV-1a, 32 bits: tiny, stable across platforms and releases, which is all a
// name suffix needs (it is not a security boundary).
std::uint32_t fnv1a(std::string_view text) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : text) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

// Elements sorted by name (then by description, which covers every field, so that
// even an invalid table with two elements of one name sorts deterministically).
template <class T>
std::vector<const T*> by_name(const std::vector<T>& v) {
    std::vector<const T*> out;
    out.reserve(v.size());
    for (const T& x : v) out.push_back(&x);
    std::sort(out.begin(), out.end(), [](const T* l, const T* r) {
        if (l->name != r->name) return l->name < r->name;
        return l->describe() < r->describe();
    });
    return out;
}

// Compares two vectors of named elements as sets keyed by name: the order in
// which constraints were declared or reflected carries no meaning in the database.
template <class T>
bool same_set_by_name(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    auto sa = by_name(a);
    auto sb = by_name(b);
    for (std::size_t i = 0; i < sa.size(); ++i) {
        if (!(*sa[i] == *sb[i])) return false;
    }
    return true;
}

// A readable, stable label for an unnamed check: the words of its expression
// ("price > 0" -> "price_0").
std::string check_label(const std::string& expression) {
    std::string label;
    bool pending_sep = false;
    for (unsigned char c : expression) {
        if (std::isalnum(c) || c == '_' || c >= 0x80) {
            if (pending_sep && !label.empty()) label += '_';
            pending_sep = false;
            label += static_cast<char>(std::tolower(c));
        } else {
            pending_sep = true;
        }
    }
    if (label.empty()) label = fmt::format("{:08x}", fnv1a(expression));
    return label;
}

}  // namespace

// ---- ServerDefault / Column ---------------------------------------------------------

std::string ServerDefault::describe() const {
    return kind == Kind::literal ? quoted(text) : text;
}

bool operator==(const Column& a, const Column& b) {
    return a.name == b.name && a.type == b.type && a.nullable == b.nullable &&
           a.server_default == b.server_default && a.autoincrement == b.autoincrement &&
           a.comment == b.comment;
}

std::string Column::describe() const {
    std::string out = fmt::format("{} {} {}", name, type.describe(), nullable ? "NULL" : "NOT NULL");
    if (server_default) out += " DEFAULT " + server_default->describe();
    if (autoincrement) out += " AUTOINCREMENT";
    if (!comment.empty()) out += " COMMENT " + quoted(comment);
    return out;
}

// ---- FkAction -----------------------------------------------------------------------

const char* to_sql(FkAction action) noexcept {
    switch (action) {
        case FkAction::no_action: return "NO ACTION";
        case FkAction::restrict: return "RESTRICT";
        case FkAction::cascade: return "CASCADE";
        case FkAction::set_null: return "SET NULL";
        case FkAction::set_default: return "SET DEFAULT";
    }
    return "NO ACTION";
}

std::optional<FkAction> fk_action_from_string(const std::string& text) noexcept {
    // Both "SET NULL" (catalogs, SQL) and "set_null" (revision files) are accepted,
    // in any case and with any run of blanks between the words.
    std::string norm;
    bool pending_space = false;
    for (unsigned char c : text) {
        if (c == ' ' || c == '_' || c == '\t') {
            pending_space = true;
            continue;
        }
        if (pending_space && !norm.empty()) norm += ' ';
        pending_space = false;
        norm += static_cast<char>(std::toupper(c));
    }
    if (norm == "NO ACTION") return FkAction::no_action;
    if (norm == "RESTRICT") return FkAction::restrict;
    if (norm == "CASCADE") return FkAction::cascade;
    if (norm == "SET NULL") return FkAction::set_null;
    if (norm == "SET DEFAULT") return FkAction::set_default;
    return std::nullopt;
}

// ---- constraints --------------------------------------------------------------------

bool is_default_index_method(const std::string& method) noexcept {
    if (method.empty()) return true;
    std::string_view btree = "btree";
    if (method.size() != btree.size()) return false;
    for (std::size_t i = 0; i < btree.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(method[i])) != btree[i]) return false;
    return true;
}

const IndexKeyOptions& Index::key(std::size_t i) const noexcept {
    static const IndexKeyOptions defaults;
    return i < key_options.size() ? key_options[i] : defaults;
}

IndexKeyOptions& Index::key(std::size_t i) {
    if (key_options.size() <= i) key_options.resize(i + 1);
    return key_options[i];
}

bool Index::is_plain() const noexcept {
    return is_default_index_method(method) && where.empty() &&
           std::all_of(key_options.begin(), key_options.end(), [](const IndexKeyOptions& k) { return k.is_default(); });
}

bool operator==(const Index& a, const Index& b) {
    if (a.name != b.name || a.columns != b.columns || a.unique != b.unique || a.where != b.where) return false;
    const bool a_default = is_default_index_method(a.method), b_default = is_default_index_method(b.method);
    if (a_default != b_default || (!a_default && a.method != b.method)) return false;
    const std::size_t keys = std::max({a.columns.size(), a.key_options.size(), b.key_options.size()});
    for (std::size_t i = 0; i < keys; ++i)
        if (!(a.key(i) == b.key(i))) return false;
    return true;
}

std::string Index::describe_key(std::size_t i) const {
    std::string out = i < columns.size() ? columns[i] : std::string();
    const IndexKeyOptions& k = key(i);
    if (!k.opclass.empty()) out += " " + k.opclass;
    if (k.descending) out += " DESC";
    if (k.nulls == NullsOrder::first) out += " NULLS FIRST";
    if (k.nulls == NullsOrder::last) out += " NULLS LAST";
    return out;
}

std::string Index::describe() const {
    std::string out = fmt::format("{} {}", unique ? "UNIQUE INDEX" : "INDEX", name);
    if (!is_default_index_method(method)) out += " USING " + method;
    out += " (";
    for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + describe_key(i);
    out += ")";
    if (!where.empty()) out += " WHERE " + where;
    return out;
}

std::string UniqueConstraint::describe() const {
    return fmt::format("UNIQUE {} ({})", name, join(columns, ", "));
}

std::string ForeignKey::describe() const {
    std::string out = fmt::format("FOREIGN KEY {} ({}) REFERENCES {} ({})", name, join(columns, ", "),
                                  ref_table, join(ref_columns, ", "));
    if (on_delete != FkAction::no_action) out += fmt::format(" ON DELETE {}", to_sql(on_delete));
    if (on_update != FkAction::no_action) out += fmt::format(" ON UPDATE {}", to_sql(on_update));
    return out;
}

std::string CheckConstraint::describe() const {
    return fmt::format("CHECK {} ({})", name, expression);
}

// ---- Table --------------------------------------------------------------------------

const Column* Table::find_column(const std::string& column) const noexcept {
    for (const Column& c : columns) {
        if (c.name == column) return &c;
    }
    return nullptr;
}

Column* Table::find_column(const std::string& column) noexcept {
    for (Column& c : columns) {
        if (c.name == column) return &c;
    }
    return nullptr;
}

bool Table::is_primary_key(const std::string& column) const noexcept {
    return std::find(primary_key.columns.begin(), primary_key.columns.end(), column) !=
           primary_key.columns.end();
}

bool operator==(const Table& a, const Table& b) {
    return a.name == b.name && a.columns == b.columns && a.primary_key == b.primary_key &&
           a.comment == b.comment && same_set_by_name(a.indexes, b.indexes) &&
           same_set_by_name(a.uniques, b.uniques) && same_set_by_name(a.foreign_keys, b.foreign_keys) &&
           same_set_by_name(a.checks, b.checks);
}

// Constraints are listed sorted by name, so that two equal tables describe
// identically whatever order their constraints were declared or reflected in.
std::string Table::describe() const {
    std::string out = fmt::format("TABLE {}", name);
    if (!comment.empty()) out += " COMMENT " + quoted(comment);
    out += '\n';
    for (const Column& c : columns) out += "  " + c.describe() + '\n';
    if (!primary_key.columns.empty()) {
        out += fmt::format("  PRIMARY KEY {} ({})\n", primary_key.name, join(primary_key.columns, ", "));
    }
    for (const Index* i : by_name(indexes)) out += "  " + i->describe() + '\n';
    for (const UniqueConstraint* u : by_name(uniques)) out += "  " + u->describe() + '\n';
    for (const ForeignKey* f : by_name(foreign_keys)) out += "  " + f->describe() + '\n';
    for (const CheckConstraint* c : by_name(checks)) out += "  " + c->describe() + '\n';
    return out;
}

// ---- naming convention --------------------------------------------------------------

namespace naming {

std::string primary_key(const std::string& table) {
    return shorten("pk_" + table);
}

std::string index(const std::string& table, const std::vector<std::string>& columns) {
    return shorten(fmt::format("ix_{}_{}", table, join(columns, "_")));
}

std::string unique(const std::string& table, const std::vector<std::string>& columns) {
    return shorten(fmt::format("uq_{}_{}", table, join(columns, "_")));
}

std::string foreign_key(const std::string& table, const std::vector<std::string>& columns,
                        const std::string& ref_table) {
    return shorten(fmt::format("fk_{}_{}_{}", table, join(columns, "_"), ref_table));
}

std::string check(const std::string& table, const std::string& label) {
    return shorten(fmt::format("ck_{}_{}", table, label));
}

// The hash covers the whole original name, so two long names that share their
// first max_length - 9 bytes still get different results.
std::string shorten(const std::string& name, std::size_t max_length) {
    if (name.size() <= max_length) return name;
    std::string suffix = fmt::format("{:08x}", fnv1a(name));
    if (max_length <= suffix.size() + 1) return suffix.substr(0, max_length);
    std::size_t keep = max_length - suffix.size() - 1;
    // Never cut a UTF-8 sequence in half: back off over continuation bytes.
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
    return name.substr(0, keep) + "_" + suffix;
}

}  // namespace naming

void apply_naming_convention(Table& table) {
    if (!table.primary_key.columns.empty() && table.primary_key.name.empty()) {
        table.primary_key.name = naming::primary_key(table.name);
    }
    for (Index& i : table.indexes) {
        if (i.name.empty()) i.name = naming::index(table.name, i.columns);
    }
    for (UniqueConstraint& u : table.uniques) {
        if (u.name.empty()) u.name = naming::unique(table.name, u.columns);
    }
    for (ForeignKey& f : table.foreign_keys) {
        if (f.name.empty()) f.name = naming::foreign_key(table.name, f.columns, f.ref_table);
    }
    naming::name_checks(table.name, table.checks);
}

namespace naming {

// Two checks can share their words ("a > 0" and "a >= 0"); the second and later get
// the expression's hash appended so that names stay unique and stable.
void name_checks(const std::string& owner, std::vector<CheckConstraint>& checks) {
    std::set<std::string> used;
    for (const CheckConstraint& c : checks) {
        if (!c.name.empty()) used.insert(c.name);
    }
    for (CheckConstraint& c : checks) {
        if (!c.name.empty()) continue;
        std::string label = check_label(c.expression);
        std::string name = check(owner, label);
        if (used.count(name)) name = check(owner, fmt::format("{}_{:08x}", label, fnv1a(c.expression)));
        used.insert(name);
        c.name = std::move(name);
    }
}

}  // namespace naming

}  // namespace strata
