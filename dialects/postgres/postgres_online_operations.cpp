#include "dialects/postgres/postgres_online_operations.hpp"

#include <fmt/format.h>

#include "dialects/detail/operation_sql.hpp"

namespace strata::postgres {

namespace {

using detail::alter_table;
using detail::statement;

// "CREATE [UNIQUE] INDEX ..." -> "CREATE [UNIQUE] INDEX CONCURRENTLY ...": the keyword
// goes right after the first INDEX, which the standard rendering always writes.
std::string concurrent(std::string sql) {
    const std::string keyword = "INDEX ";
    sql.insert(sql.find(keyword) + keyword.size(), "CONCURRENTLY ");
    return sql;
}

SqlStatement outside_transaction(std::string sql) {
    SqlStatement s = statement(std::move(sql));
    s.transactional = false;
    return s;
}

SqlStatement create_index(const PostgresDialect& d, const op::CreateIndex& o, const RenderContext& ctx) {
    SqlStatement s = outside_transaction(concurrent(d.render_create_index(ctx.table(o.table), o.index)));
    // An index of that name that is not valid can only be the remains of a failed build
    // (a valid one would have made the plan refuse the step).
    s.retry_probe = fmt::format(
        "SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = {} AND NOT i.indisvalid AND c.relnamespace = "
        "(SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = pg_catalog.current_schema())",
        d.literal(Value(o.index.name)));
    s.retry_cleanup = "DROP INDEX CONCURRENTLY IF EXISTS " + d.quote(o.index.name);
    return s;
}

}  // namespace

std::optional<std::vector<SqlStatement>> render_online_op(const PostgresDialect& d, const Operation& operation,
                                                          const RenderContext& ctx) {
    if (const auto* o = std::get_if<op::CreateIndex>(&operation); o && o->concurrently)
        return std::vector<SqlStatement>{create_index(d, *o, ctx)};
    if (const auto* o = std::get_if<op::DropIndex>(&operation); o && o->concurrently)
        return std::vector<SqlStatement>{
            outside_transaction(concurrent(d.render_drop_index(ctx.table(o->table), o->index)))};
    if (const auto* o = std::get_if<op::AddForeignKey>(&operation); o && o->not_valid)
        return std::vector<SqlStatement>{
            statement(d.render_add_foreign_key(ctx.table(o->table), o->foreign_key) + " NOT VALID")};
    if (const auto* o = std::get_if<op::AddCheck>(&operation); o && o->not_valid) {
        ctx.table(o->table);
        return std::vector<SqlStatement>{
            statement(fmt::format("{} ADD CONSTRAINT {} CHECK ({}) NOT VALID", alter_table(d, o->table),
                                  d.quote(o->check.name), o->check.expression))};
    }
    if (const auto* o = std::get_if<op::ValidateConstraint>(&operation)) {
        ctx.table(o->table);
        return std::vector<SqlStatement>{
            outside_transaction(fmt::format("{} VALIDATE CONSTRAINT {}", alter_table(d, o->table), d.quote(o->name)))};
    }
    return std::nullopt;
}

}  // namespace strata::postgres
