#include "dialects/postgres/postgres_objects.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/postgres/postgres_expression.hpp"
#include "migrations/object_operation.hpp"

namespace strata::postgres {

using strata::detail::statement;

std::int64_t default_min(const Sequence& s) noexcept { return s.increment > 0 ? 1 : min_of(s.type); }
std::int64_t default_max(const Sequence& s) noexcept { return s.increment > 0 ? max_of(s.type) : -1; }
std::int64_t default_start(const Sequence& s) noexcept {
    return s.increment > 0 ? s.min_value.value_or(default_min(s)) : s.max_value.value_or(default_max(s));
}

namespace {

// ---- sequences ----------------------------------------------------------------------------

std::string integer_type(TypeKind kind) {
    if (kind == TypeKind::small_integer) return "SMALLINT";
    if (kind == TypeKind::integer) return "INTEGER";
    return "BIGINT";
}

std::string owner(const PostgresDialect& d, const Sequence& s) {
    return s.owned() ? d.quote(s.owned_by_table) + "." + d.quote(s.owned_by_column) : "NONE";
}

std::vector<SqlStatement> create_sequence(const PostgresDialect& d, const Sequence& s) {
    std::string sql = fmt::format("CREATE SEQUENCE {} AS {} INCREMENT BY {}", d.quote(s.name), integer_type(s.type),
                                  s.increment);
    if (s.min_value) sql += fmt::format(" MINVALUE {}", *s.min_value);
    if (s.max_value) sql += fmt::format(" MAXVALUE {}", *s.max_value);
    if (s.start) sql += fmt::format(" START WITH {}", *s.start);
    if (s.cache != 1) sql += fmt::format(" CACHE {}", s.cache);
    if (s.cycle) sql += " CYCLE";
    if (s.owned()) sql += " OWNED BY " + owner(d, s);
    return {statement(sql)};
}

std::vector<SqlStatement> alter_sequence(const PostgresDialect& d, const op::AlterSequence& o) {
    const Sequence& a = o.from;
    const Sequence& b = o.to;
    std::string clauses;
    if (a.type != b.type) clauses += " AS " + integer_type(b.type);
    if (a.increment != b.increment) clauses += fmt::format(" INCREMENT BY {}", b.increment);
    if (a.min_value != b.min_value) clauses += b.min_value ? fmt::format(" MINVALUE {}", *b.min_value) : " NO MINVALUE";
    if (a.max_value != b.max_value) clauses += b.max_value ? fmt::format(" MAXVALUE {}", *b.max_value) : " NO MAXVALUE";
    if (a.start.value_or(default_start(a)) != b.start.value_or(default_start(b)))
        clauses += fmt::format(" START WITH {}", b.start.value_or(default_start(b)));
    if (a.cache != b.cache) clauses += fmt::format(" CACHE {}", b.cache);
    if (a.cycle != b.cycle) clauses += b.cycle ? " CYCLE" : " NO CYCLE";
    if (a.owned_by_table != b.owned_by_table || a.owned_by_column != b.owned_by_column)
        clauses += " OWNED BY " + owner(d, b);
    if (clauses.empty()) return {};
    return {statement("ALTER SEQUENCE " + d.quote(b.name) + clauses)};
}

// ---- domains ------------------------------------------------------------------------------

std::string check_clause(const PostgresDialect& d, const CheckConstraint& c) {
    return fmt::format("CONSTRAINT {} CHECK ({})", d.quote(c.name), c.expression);
}

std::vector<SqlStatement> create_domain(const PostgresDialect& d, const Domain& domain) {
    std::string sql = fmt::format("CREATE DOMAIN {} AS {}", d.quote(domain.name), d.render_type(domain.type));
    if (domain.server_default) sql += " DEFAULT " + d.render_default(*domain.server_default, domain.type);
    if (!domain.nullable) sql += " NOT NULL";
    for (const CheckConstraint& c : domain.checks) sql += " " + check_clause(d, c);
    return {statement(sql)};
}

std::vector<SqlStatement> alter_domain(const PostgresDialect& d, const op::AlterDomain& o) {
    const Domain& a = o.from;
    const Domain& b = o.to;
    if (!(a.type == b.type))
        throw Error(ErrorKind::unsupported,
                    fmt::format("PostgreSQL cannot change the base type of domain {} ({} -> {}): create a new domain "
                                "and move the columns to it, or write the change as an sql step",
                                b.name, a.type.describe(), b.type.describe()));
    const std::string prefix = "ALTER DOMAIN " + d.quote(b.name);
    std::vector<SqlStatement> out;
    auto same_check = [](const std::vector<CheckConstraint>& in, const CheckConstraint& c) {
        return std::find(in.begin(), in.end(), c) != in.end();
    };
    for (const CheckConstraint& c : a.checks)
        if (!same_check(b.checks, c)) out.push_back(statement(prefix + " DROP CONSTRAINT " + d.quote(c.name)));
    if (a.server_default != b.server_default)
        out.push_back(statement(b.server_default ? prefix + " SET DEFAULT " + d.render_default(*b.server_default, b.type)
                                                 : prefix + " DROP DEFAULT"));
    if (a.nullable != b.nullable) out.push_back(statement(prefix + (b.nullable ? " DROP NOT NULL" : " SET NOT NULL")));
    for (const CheckConstraint& c : b.checks)
        if (!same_check(a.checks, c)) out.push_back(statement(prefix + " ADD " + check_clause(d, c)));
    return out;
}

// ---- enum types ---------------------------------------------------------------------------

std::string labels(const PostgresDialect& d, const std::vector<std::string>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + d.literal(Value(values[i]));
    return out;
}

// One ADD VALUE per new label, placed after its left neighbour (or before the first
// old label when it comes first).
std::vector<SqlStatement> add_labels(const PostgresDialect& d, const op::AlterEnumType& o) {
    std::vector<SqlStatement> out;
    const auto& to = o.to.values;
    const auto& from = o.from.values;
    for (std::size_t i = 0; i < to.size(); ++i) {
        if (std::find(from.begin(), from.end(), to[i]) != from.end()) continue;
        std::string sql = fmt::format("ALTER TYPE {} ADD VALUE IF NOT EXISTS {}", d.quote(o.to.name), d.literal(Value(to[i])));
        if (i > 0)
            sql += " AFTER " + d.literal(Value(to[i - 1]));
        else if (!from.empty())
            sql += " BEFORE " + d.literal(Value(from.front()));
        SqlStatement s = statement(sql);
        s.transactional = false;
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<SqlStatement> rebuild_enum(const PostgresDialect& d, const op::AlterEnumType& o, const RenderContext& ctx) {
    const std::string& name = o.to.name;
    for (const Domain& domain : ctx.schema.domains())
        if (domain.type.kind == TypeKind::enum_ && domain.type.type_name == name)
            throw Error(ErrorKind::unsupported,
                        fmt::format("cannot remove or reorder the labels of enum type {}: domain {} is based on it; "
                                    "write the change as an sql step",
                                    name, domain.name));
    const std::string aside = PostgresDialect::truncate_identifier(naming::shorten(name + "_old", 63));
    const bool destructive = strata::detail::object_op_destructive(o);
    std::vector<SqlStatement> out{statement(fmt::format("ALTER TYPE {} RENAME TO {}", d.quote(name), d.quote(aside))),
                                  statement(fmt::format("CREATE TYPE {} AS ENUM ({})", d.quote(name), labels(d, o.to.values)))};
    for (const Table& t : ctx.schema.tables()) {
        for (const Column& c : t.columns) {
            if (c.type.kind != TypeKind::enum_ || c.type.type_name != name) continue;
            const std::string column = strata::detail::alter_table(d, t.name) + " ALTER COLUMN " + d.quote(c.name);
            if (c.server_default) out.push_back(statement(column + " DROP DEFAULT"));
            out.push_back(statement(fmt::format("{} TYPE {} USING {}::text::{}", column, d.quote(name), d.quote(c.name),
                                                d.quote(name)),
                                    destructive));
            if (c.server_default)
                out.push_back(statement(column + " SET DEFAULT " + d.render_default(*c.server_default, c.type)));
        }
    }
    out.push_back(statement("DROP TYPE " + d.quote(aside)));
    return out;
}

}  // namespace

std::optional<std::vector<SqlStatement>> render_object_op(const PostgresDialect& d, const Operation& operation,
                                                          const RenderContext& ctx) {
    using Statements = std::vector<SqlStatement>;
    if (const auto* o = std::get_if<op::CreateSequence>(&operation)) return create_sequence(d, o->sequence);
    if (const auto* o = std::get_if<op::DropSequence>(&operation))
        return Statements{statement("DROP SEQUENCE IF EXISTS " + d.quote(o->sequence.name), true)};
    if (const auto* o = std::get_if<op::AlterSequence>(&operation)) return alter_sequence(d, *o);
    if (const auto* o = std::get_if<op::CreateDomain>(&operation)) return create_domain(d, o->domain);
    if (const auto* o = std::get_if<op::DropDomain>(&operation))
        return Statements{statement("DROP DOMAIN " + d.quote(o->domain.name))};
    if (const auto* o = std::get_if<op::AlterDomain>(&operation)) return alter_domain(d, *o);
    if (const auto* o = std::get_if<op::CreateEnumType>(&operation))
        return Statements{
            statement(fmt::format("CREATE TYPE {} AS ENUM ({})", d.quote(o->type.name), labels(d, o->type.values)))};
    if (const auto* o = std::get_if<op::DropEnumType>(&operation))
        return Statements{statement("DROP TYPE " + d.quote(o->type.name))};
    if (const auto* o = std::get_if<op::AlterEnumType>(&operation))
        return strata::detail::only_adds_labels(o->from, o->to) ? add_labels(d, *o) : rebuild_enum(d, *o, ctx);
    return std::nullopt;
}

// ---- normalization ----------------------------------------------------------------------------

namespace {

std::string cut(std::string name) { return PostgresDialect::truncate_identifier(std::move(name)); }

// A column or domain type naming an enum type or domain: the name (cut as the server
// does) is what matters.
void named_type(ColumnType& type) {
    if (type.type_name.empty()) return;
    type.type_name = cut(type.type_name);
    if (type.kind == TypeKind::other) type.native = type.type_name;
}

void normalize_sequence(Sequence& s) {
    s.name = cut(s.name);
    s.owned_by_table = cut(s.owned_by_table);
    s.owned_by_column = cut(s.owned_by_column);
    if (s.start && *s.start == default_start(s)) s.start.reset();
    if (s.min_value && *s.min_value == default_min(s)) s.min_value.reset();
    if (s.max_value && *s.max_value == default_max(s)) s.max_value.reset();
    // With the bounds settled, a start equal to the (possibly explicit) bound is the default.
    if (s.start && *s.start == default_start(s)) s.start.reset();
}

void normalize_domain(const PostgresDialect& d, Domain& domain) {
    domain.name = cut(domain.name);
    // A one-column table gives the domain's type and default the column treatment.
    Table probe;
    probe.name = "domain";
    Column c;
    c.name = "value";
    c.type = domain.type;
    c.server_default = domain.server_default;
    probe.columns.push_back(c);
    Table normalized = d.normalize(probe);
    domain.type = normalized.columns[0].type;
    domain.server_default = normalized.columns[0].server_default;
    for (CheckConstraint& check : domain.checks) {
        check.name = cut(check.name);
        check.expression = canonical_check(check.expression);
    }
}

}  // namespace

void normalize_objects(const PostgresDialect& d, Metadata& metadata) {
    for (const Sequence& s : metadata.sequences()) normalize_sequence(*metadata.sequences().find(s.name));
    for (const EnumType& e : metadata.enum_types()) metadata.enum_types().find(e.name)->name = cut(e.name);
    for (const Domain& dom : metadata.domains()) {
        Domain& edit = *metadata.domains().find(dom.name);
        normalize_domain(d, edit);
        named_type(edit.type);
    }
    for (const Table& t : metadata.tables())
        for (Column& c : metadata.find(t.name)->columns) named_type(c.type);
}

}  // namespace strata::postgres
