// The standard-SQL rendering of migration operations (Dialect::render_operation).
// Dialects override render_operation for the operations they spell differently and
// call this base for the rest.
#include <fmt/format.h>

#include <map>

#include "core/error.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/dialect.hpp"

namespace strata {

const Table& RenderContext::table(const std::string& name) const {
    const Table* t = schema.find(name);
    if (!t)
        throw Error(ErrorKind::input,
                    fmt::format("table {} does not exist at this point of the migration; was it dropped or renamed "
                                "by an earlier step, or never created?",
                                name));
    return *t;
}

namespace detail {

std::string alter_table(const Dialect& dialect, const std::string& table) {
    return "ALTER TABLE " + dialect.quote(table);
}

std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ", ";
        out += dialect.quote(names[i]);
    }
    return out;
}

SqlStatement statement(std::string sql, bool destructive) {
    SqlStatement s;
    s.sql = std::move(sql);
    s.destructive = destructive;
    return s;
}

std::string comment_literal(const Dialect& dialect, const std::string& comment) {
    if (comment.empty()) return "NULL";
    return dialect.literal(Value(comment));
}

std::string backfill_literal(const Dialect& dialect, const std::string& backfill, const ColumnType& type) {
    return dialect.render_default(ServerDefault::literal(backfill), type);
}

Metadata single_table_schema(const Table& table) {
    Metadata m;
    m.add(table);
    return m;
}

}  // namespace detail

namespace {

using detail::alter_table;
using detail::quoted_list;
using detail::statement;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string column_comment_sql(const Dialect& d, const std::string& table, const Column& column) {
    return fmt::format("COMMENT ON COLUMN {}.{} IS {}", d.quote(table), d.quote(column.name),
                       detail::comment_literal(d, column.comment));
}

std::vector<SqlStatement> add_column(const Dialect& d, const op::AddColumn& o, const RenderContext& ctx) {
    const Table& table = ctx.table(o.table);
    Column added = o.column;
    added.renamed_from.clear();
    // With a backfill value and no default, the column is added nullable, filled, and
    // only then made NOT NULL: a form that works whether or not the table has rows.
    const bool fill = o.backfill && !o.column.server_default && !o.column.autoincrement;
    if (fill) added.nullable = true;
    std::vector<SqlStatement> out;
    out.push_back(statement(alter_table(d, o.table) + " ADD COLUMN " + d.render_column(table, added)));
    if (d.capabilities().column_comments && !added.comment.empty())
        out.push_back(statement(column_comment_sql(d, o.table, added)));
    if (fill) {
        out.push_back(statement(fmt::format("UPDATE {} SET {} = {}", d.quote(o.table), d.quote(added.name),
                                            detail::backfill_literal(d, *o.backfill, added.type))));
        if (!o.column.nullable) {
            Table after = table;
            after.columns.push_back(added);
            Metadata state = detail::single_table_schema(after);
            RenderContext next{state, ctx.native};
            Column final_column = o.column;
            final_column.renamed_from.clear();
            auto rest = d.render_operation(op::AlterColumn{o.table, added, final_column}, next);
            out.insert(out.end(), rest.begin(), rest.end());
        }
    }
    return out;
}

std::vector<SqlStatement> alter_column(const Dialect& d, const op::AlterColumn& o, const RenderContext& ctx) {
    ctx.table(o.table);
    const Column& from = o.from;
    const Column& to = o.to;
    const std::string prefix = alter_table(d, o.table) + " ALTER COLUMN " + d.quote(to.name);
    std::vector<SqlStatement> out;
    if (from.autoincrement != to.autoincrement)
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} cannot turn autoincrement {} on existing column {}.{}", d.name(),
                                to.autoincrement ? "on" : "off", o.table, to.name));
    if (!(from.type == to.type))
        out.push_back(statement(prefix + " SET DATA TYPE " + d.render_type(to.type),
                                is_narrowing(from.type, to.type)));
    if (from.nullable != to.nullable) out.push_back(statement(prefix + (to.nullable ? " DROP NOT NULL" : " SET NOT NULL")));
    if (from.server_default != to.server_default) {
        if (to.server_default)
            out.push_back(statement(prefix + " SET DEFAULT " + d.render_default(*to.server_default, to.type)));
        else
            out.push_back(statement(prefix + " DROP DEFAULT"));
    }
    if (from.comment != to.comment && d.capabilities().column_comments)
        out.push_back(statement(column_comment_sql(d, o.table, to)));
    return out;
}

std::vector<SqlStatement> execute_sql(const Dialect& d, const op::ExecuteSql& o) {
    auto it = o.per_dialect.find(std::string(d.name()));
    const std::string* text = nullptr;
    if (it != o.per_dialect.end())
        text = &it->second;
    else if (!o.sql.empty())
        text = &o.sql;
    if (!text)
        throw Error(ErrorKind::unsupported,
                    fmt::format("the sql step '{}' has no SQL for {}: add `sql` or `{}` to it", describe(Operation(o)),
                                d.name(), d.name()));
    return {statement(*text)};
}

std::vector<SqlStatement> alter_primary_key(const Dialect& d, const op::AlterPrimaryKey& o, const RenderContext& ctx) {
    ctx.table(o.table);
    std::vector<SqlStatement> out;
    if (!o.from.columns.empty()) {
        std::string name = o.from.name.empty() ? naming::primary_key(o.table) : o.from.name;
        out.push_back(statement(alter_table(d, o.table) + " DROP CONSTRAINT " + d.quote(name)));
    }
    if (!o.to.columns.empty()) {
        std::string name = o.to.name.empty() ? naming::primary_key(o.table) : o.to.name;
        out.push_back(statement(fmt::format("{} ADD CONSTRAINT {} PRIMARY KEY ({})", alter_table(d, o.table),
                                            d.quote(name), quoted_list(d, o.to.columns))));
    }
    return out;
}

// Options are per dialect (DialectOptions): those of other databases are not this
// one's concern, so one revision file serves every dialect. A dialect that stores
// table options of its own overrides this; here a change of them is refused.
std::vector<SqlStatement> alter_table_options(const Dialect& d, const op::AlterTableOptions& o,
                                              const RenderContext& ctx) {
    ctx.table(o.table);
    const std::string prefix = std::string(d.name()) + ".";
    auto own = [&](const DialectOptions& options) {
        std::map<std::string, std::string> out;
        for (const auto& [key, value] : options.values)
            if (key.rfind(prefix, 0) == 0) out.emplace(key, value);
        return out;
    };
    if (own(o.from) != own(o.to))
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} cannot change the {}* options of table {} ({}); write the change as an op = "
                                "\"sql\" step",
                                d.name(), prefix, o.table, describe(Operation(o))));
    return {};
}

// Sequences, domains and enum types: rendered by the dialects that have them
// (Capabilities), refused here with what to declare instead.
template <class ObjectOp>
[[noreturn]] std::vector<SqlStatement> unsupported_object(const Dialect& d, const ObjectOp& o) {
    const Operation operation{o};
    const std::string what = op_name(operation);
    std::string kind = "named enum types", instead = "declare the columns with types::enum_({...}), their labels inline";
    if (what.ends_with("_sequence")) {
        kind = "sequences";
        instead = "use an autoincrement column, or keep the sequence out of this database's models";
    } else if (what.ends_with("_domain")) {
        kind = "domains";
        instead = "declare the columns with the domain's base type and its CHECK on each table";
    }
    throw Error(ErrorKind::unsupported, fmt::format("{} has no {} (step '{}'); strata creates them on PostgreSQL only: {}",
                                                    d.name(), kind, describe(operation), instead));
}

// The view as the schema before the operation has it: a drop written with the name alone
// does not say whether the view is materialized.
const View& known_view(const RenderContext& ctx, const View& named) {
    const View* known = ctx.schema.find_view(named.name);
    return known ? *known : named;
}

}  // namespace

std::vector<SqlStatement> Dialect::render_operation(const Operation& operation, const RenderContext& ctx) const {
    const Dialect& d = *this;
    auto each = [](const std::vector<std::string>& sqls, bool destructive) {
        std::vector<SqlStatement> out;
        for (const auto& s : sqls) out.push_back(statement(s, destructive));
        return out;
    };
    return std::visit(
        Overloaded{
            [&](const op::CreateTable& o) { return each(d.render_create_table(o.table, true), false); },
            [&](const op::DropTable& o) { return each(d.render_drop_table(o.table), true); },
            [&](const op::RenameTable& o) {
                ctx.table(o.from);
                return std::vector<SqlStatement>{
                    statement(alter_table(d, o.from) + " RENAME TO " + d.quote(o.to))};
            },
            [&](const op::AddColumn& o) { return add_column(d, o, ctx); },
            [&](const op::DropColumn& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{
                    statement(alter_table(d, o.table) + " DROP COLUMN " + d.quote(o.column.name), true)};
            },
            [&](const op::AlterColumn& o) { return alter_column(d, o, ctx); },
            [&](const op::RenameColumn& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{statement(fmt::format(
                    "{} RENAME COLUMN {} TO {}", alter_table(d, o.table), d.quote(o.from), d.quote(o.to)))};
            },
            [&](const op::CreateIndex& o) {
                return std::vector<SqlStatement>{statement(d.render_create_index(ctx.table(o.table), o.index))};
            },
            [&](const op::DropIndex& o) {
                return std::vector<SqlStatement>{statement(d.render_drop_index(ctx.table(o.table), o.index))};
            },
            [&](const op::AddUnique& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{statement(fmt::format("{} ADD CONSTRAINT {} UNIQUE ({})",
                                                                       alter_table(d, o.table), d.quote(o.unique.name),
                                                                       quoted_list(d, o.unique.columns)))};
            },
            [&](const op::DropUnique& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{
                    statement(alter_table(d, o.table) + " DROP CONSTRAINT " + d.quote(o.unique.name))};
            },
            [&](const op::AddForeignKey& o) {
                return std::vector<SqlStatement>{statement(d.render_add_foreign_key(ctx.table(o.table), o.foreign_key))};
            },
            [&](const op::DropForeignKey& o) {
                return std::vector<SqlStatement>{
                    statement(d.render_drop_foreign_key(ctx.table(o.table), o.foreign_key))};
            },
            [&](const op::AddCheck& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{statement(fmt::format("{} ADD CONSTRAINT {} CHECK ({})",
                                                                       alter_table(d, o.table), d.quote(o.check.name),
                                                                       o.check.expression))};
            },
            [&](const op::DropCheck& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{
                    statement(alter_table(d, o.table) + " DROP CONSTRAINT " + d.quote(o.check.name))};
            },
            // Where constraints are validated when they are added (not_valid is not
            // rendered), there is nothing left to validate.
            [&](const op::ValidateConstraint& o) {
                ctx.table(o.table);
                return std::vector<SqlStatement>{};
            },
            [&](const op::ExecuteSql& o) { return execute_sql(d, o); },
            // A data fix runs C++ code, not SQL: the executor calls it (migrations/plan_executor.hpp).
            [&](const op::Call&) { return std::vector<SqlStatement>{}; },
            [&](const op::AlterPrimaryKey& o) { return alter_primary_key(d, o, ctx); },
            [&](const op::AlterTableComment& o) {
                ctx.table(o.table);
                std::vector<SqlStatement> out;
                // Databases without catalog comments have nothing to store: the change is
                // a no-op there, not an error, so one revision file serves every dialect.
                if (d.capabilities().column_comments)
                    out.push_back(statement(fmt::format("COMMENT ON TABLE {} IS {}", d.quote(o.table),
                                                        detail::comment_literal(d, o.to))));
                return out;
            },
            [&](const op::AlterTableOptions& o) { return alter_table_options(d, o, ctx); },
            [&](const auto& o) -> std::vector<SqlStatement> { unsupported_object(d, o); },
            [&](const op::CreateView& o) { return each(d.render_create_view(o.view), false); },
            [&](const op::DropView& o) {
                return std::vector<SqlStatement>{statement(d.render_drop_view(known_view(ctx, o.view)))};
            },
            [&](const op::ReplaceView& o) {
                std::vector<SqlStatement> out{statement(d.render_drop_view(known_view(ctx, o.from)))};
                for (SqlStatement& s : each(d.render_create_view(o.to), false)) out.push_back(std::move(s));
                return out;
            },
        },
        operation);
}

NativeObjects Dialect::reflect_native_objects(Connection&) const {
    return {};
}

}  // namespace strata
