// Revision-file steps for schema objects: sequences, domains and enum types (the
// format is in operation_toml.hpp: SEQUENCE, DOMAIN, ENUM).
#include <fmt/format.h>

#include <map>
#include <type_traits>

#include "migrations/operation_toml.hpp"

namespace strata::detail {

namespace {

constexpr std::string_view kSequenceKeys = "name, type, increment, start, min_value, max_value, cache, cycle, owned_by";
constexpr std::string_view kDomainKeys =
    "name, type, length, precision, scale, timezone, unsigned, fixed_length, values, native, type_name, nullable, "
    "default, default_sql, checks";

std::optional<std::int64_t> optional_int64(TomlTable& t, std::string_view key) {
    const TomlValue* value = t.find(key);
    if (!value) return std::nullopt;
    if (!value->is_integer()) t.wrong_type(key, *value, "an integer");
    return value->as_integer();
}

std::string object_name(TomlTable& t, const std::string* default_name) {
    if (default_name && !t.has("name")) return *default_name;
    return non_empty_string(t, "name");
}

Sequence read_sequence(const TomlValue& value, const std::string& file, const std::string* default_name) {
    TomlTable t(value, file, "sequence");
    t.allow_only(kSequenceKeys);
    Sequence s;
    s.name = object_name(t, default_name);
    t.set_what(fmt::format("sequence '{}'", s.name));
    if (auto type = t.optional_string("type")) {
        auto kind = type_kind_from_string(*type);
        if (!kind || (*kind != TypeKind::small_integer && *kind != TypeKind::integer && *kind != TypeKind::big_integer))
            t.fail_at(*t.find("type"), fmt::format("'type' of {} must be small_integer, integer or big_integer, not '{}'",
                                                    t.what(), *type));
        s.type = *kind;
    }
    s.increment = optional_int64(t, "increment").value_or(1);
    if (s.increment == 0) t.fail_at(*t.find("increment"), fmt::format("'increment' of {} must not be 0", t.what()));
    s.start = optional_int64(t, "start");
    s.min_value = optional_int64(t, "min_value");
    s.max_value = optional_int64(t, "max_value");
    s.cache = optional_int64(t, "cache").value_or(1);
    if (s.cache < 1) t.fail_at(*t.find("cache"), fmt::format("'cache' of {} must be at least 1", t.what()));
    s.cycle = t.boolean("cycle", false);
    if (auto owner = optional_non_empty(t, "owned_by")) {
        auto dot = owner->rfind('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == owner->size())
            t.fail_at(*t.find("owned_by"),
                      fmt::format("'owned_by' of {} must be \"table.column\", not \"{}\"", t.what(), *owner));
        s.owned_by_table = owner->substr(0, dot);
        s.owned_by_column = owner->substr(dot + 1);
    }
    return s;
}

Domain read_domain(const TomlValue& value, const std::string& file, const std::string* default_name) {
    Column base = read_column(value, file, {.default_name = default_name, .keys = kDomainKeys, .what = "domain"});
    Domain d;
    d.name = base.name;
    d.type = base.type;
    d.nullable = base.nullable;
    d.server_default = base.server_default;
    TomlTable t(value, file, fmt::format("domain '{}'", d.name));
    if (const TomlValue* checks = t.find("checks")) {
        if (!checks->is_array()) t.wrong_type("checks", *checks, "an array of check tables");
        for (const TomlValue& element : checks->as_array()) d.checks.push_back(read_check(element, file));
    }
    return d;
}

EnumType read_enum(const TomlValue& value, const std::string& file) {
    TomlTable t(value, file, "enum type");
    t.allow_only("name, values");
    EnumType e;
    e.name = non_empty_string(t, "name");
    t.set_what(fmt::format("enum type '{}'", e.name));
    e.values = t.string_list("values", true);
    return e;
}

// The definition (a table), or for a drop also the name alone, which leaves the
// definition unknown (definition_known() is false, the drop cannot be reversed).
template <class T, class Read>
T definition(TomlTable& t, std::string_view key, bool name_allowed, Read read) {
    const TomlValue& value = t.required(key);
    if (name_allowed && value.is_string()) {
        T out{};
        out.name = non_empty_string(t, key);
        if constexpr (std::is_same_v<T, Sequence>) out.increment = 0;
        if constexpr (std::is_same_v<T, Domain>) out.type.kind = TypeKind::other;
        return out;
    }
    if (!value.is_table()) t.wrong_type(key, value, name_allowed ? "a table or a name" : "a table");
    return read(value);
}

// alter_*: `key` names the object, `from` and `to` define it.
template <class Alter, class Read>
Alter alteration(TomlTable& t, std::string_view key, Read read) {
    const std::string name = non_empty_string(t, key);
    t.set_what(fmt::format("{} '{}'", t.what(), name));
    return Alter{read(t.required("from"), &name), read(t.required("to"), &name)};
}

}  // namespace

std::string_view object_op_keys(std::string_view op) {
    static const std::map<std::string_view, std::string_view> keys = {
        {"create_sequence", "op, sequence, destructive_ok"},
        {"drop_sequence", "op, sequence, destructive_ok"},
        {"alter_sequence", "op, sequence, from, to, destructive_ok"},
        {"create_domain", "op, domain, destructive_ok"},
        {"drop_domain", "op, domain, destructive_ok"},
        {"alter_domain", "op, domain, from, to, destructive_ok"},
        {"create_enum_type", "op, enum_type, destructive_ok"},
        {"drop_enum_type", "op, enum_type, destructive_ok"},
        {"alter_enum_type", "op, enum_type, from, to, destructive_ok"},
    };
    auto it = keys.find(op);
    return it == keys.end() ? std::string_view() : it->second;
}

Operation object_step(TomlTable& t, const std::string& op) {
    const std::string& file = t.file();
    auto sequence = [&](const TomlValue& v, const std::string* name = nullptr) { return read_sequence(v, file, name); };
    auto domain = [&](const TomlValue& v, const std::string* name = nullptr) { return read_domain(v, file, name); };
    auto enum_type = [&](const TomlValue& v) { return read_enum(v, file); };
    if (op == "create_sequence") return op::CreateSequence{definition<Sequence>(t, "sequence", false, sequence)};
    if (op == "drop_sequence") return op::DropSequence{definition<Sequence>(t, "sequence", true, sequence)};
    if (op == "alter_sequence") return alteration<op::AlterSequence>(t, "sequence", sequence);
    if (op == "create_domain") return op::CreateDomain{definition<Domain>(t, "domain", false, domain)};
    if (op == "drop_domain") return op::DropDomain{definition<Domain>(t, "domain", true, domain)};
    if (op == "alter_domain") return alteration<op::AlterDomain>(t, "domain", domain);
    if (op == "create_enum_type") return op::CreateEnumType{definition<EnumType>(t, "enum_type", false, enum_type)};
    if (op == "drop_enum_type") return op::DropEnumType{definition<EnumType>(t, "enum_type", true, enum_type)};
    // alter_enum_type: the labels before and after.
    op::AlterEnumType o;
    o.from.name = o.to.name = non_empty_string(t, "enum_type");
    t.set_what(fmt::format("{} '{}'", t.what(), o.from.name));
    o.from.values = t.string_list("from", false);
    o.to.values = t.string_list("to", true);
    return o;
}

// ---- writing ------------------------------------------------------------------------------

namespace {

std::string sequence_inline(const Sequence& s, bool with_name) {
    std::vector<std::string> items;
    if (with_name) items.push_back("name = " + toml_quote(s.name));
    items.push_back(fmt::format("type = {}", toml_quote(to_string(s.type))));
    items.push_back(fmt::format("increment = {}", s.increment));
    if (s.start) items.push_back(fmt::format("start = {}", *s.start));
    if (s.min_value) items.push_back(fmt::format("min_value = {}", *s.min_value));
    if (s.max_value) items.push_back(fmt::format("max_value = {}", *s.max_value));
    if (s.cache != 1) items.push_back(fmt::format("cache = {}", s.cache));
    if (s.cycle) items.push_back("cycle = true");
    if (s.owned()) items.push_back("owned_by = " + toml_quote(s.owned_by_table + "." + s.owned_by_column));
    return fmt::format("{{ {} }}", fmt::join(items, ", "));
}

std::string domain_inline(const Domain& d, bool with_name) {
    Column base;
    base.name = d.name;
    base.type = d.type;
    base.nullable = d.nullable;
    base.server_default = d.server_default;
    std::string out = "{ " + column_fields(base, with_name);
    if (!d.checks.empty()) {
        out += ", checks = [";
        for (std::size_t i = 0; i < d.checks.size(); ++i) out += (i ? ", " : "") + check_inline(d.checks[i]);
        out += "]";
    }
    return out + " }";
}

std::string enum_inline(const EnumType& e) {
    return fmt::format("{{ name = {}, values = {} }}", toml_quote(e.name), string_array(e.values));
}

}  // namespace

void append_object_step(std::string& out, const op::CreateSequence& o) {
    append_line(out, "sequence", sequence_inline(o.sequence, true));
}
void append_object_step(std::string& out, const op::DropSequence& o) {
    append_line(out, "sequence",
                definition_known(o.sequence) ? sequence_inline(o.sequence, true) : toml_quote(o.sequence.name));
}
void append_object_step(std::string& out, const op::AlterSequence& o) {
    append_line(out, "sequence", toml_quote(o.from.name));
    append_line(out, "from", sequence_inline(o.from, false));
    append_line(out, "to", sequence_inline(o.to, false));
}
void append_object_step(std::string& out, const op::CreateDomain& o) {
    append_line(out, "domain", domain_inline(o.domain, true));
}
void append_object_step(std::string& out, const op::DropDomain& o) {
    append_line(out, "domain", definition_known(o.domain) ? domain_inline(o.domain, true) : toml_quote(o.domain.name));
}
void append_object_step(std::string& out, const op::AlterDomain& o) {
    append_line(out, "domain", toml_quote(o.from.name));
    append_line(out, "from", domain_inline(o.from, false));
    append_line(out, "to", domain_inline(o.to, false));
}
void append_object_step(std::string& out, const op::CreateEnumType& o) { append_line(out, "enum_type", enum_inline(o.type)); }
void append_object_step(std::string& out, const op::DropEnumType& o) {
    append_line(out, "enum_type", definition_known(o.type) ? enum_inline(o.type) : toml_quote(o.type.name));
}
void append_object_step(std::string& out, const op::AlterEnumType& o) {
    append_line(out, "enum_type", toml_quote(o.from.name));
    append_line(out, "from", string_array(o.from.values));
    append_line(out, "to", string_array(o.to.values));
}

}  // namespace strata::detail
