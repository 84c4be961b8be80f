// SQLite rendering of migration operations. SQLite's ALTER TABLE only renames tables
// and columns, adds columns (with restrictions) and, since 3.35, drops columns (with
// more restrictions). Everything else is the table rebuild SQLite documents
// (https://sqlite.org/lang_altertable.html#otheralter):
//
//   PRAGMA foreign_keys = OFF            (plan level, before the transaction: a rebuild
//                                         drops a table that others may reference, and
//                                         DROP TABLE with enforcement on would cascade)
//   CREATE TABLE strata_new_t (...)      (the new definition, without indexes)
//   INSERT INTO strata_new_t (...) SELECT ... FROM t   (rowids and keys copied)
//   sqlite_sequence carried over         (AUTOINCREMENT never reuses an old id)
//   DROP TABLE t
//   PRAGMA legacy_alter_table = ON       (so the rename neither rewrites nor re-checks
//   ALTER TABLE strata_new_t RENAME TO t  views and triggers that mention t: those stay
//   PRAGMA legacy_alter_table = OFF       valid as written once t exists again)
//   CREATE INDEX ... / CREATE TRIGGER ...
//   foreign-key check                    (plan level, before COMMIT: fails the migration
//                                         when any row references a missing parent)
//   PRAGMA foreign_keys = ON             (plan level, after the transaction, with
//   PRAGMA legacy_alter_table = OFF       legacy_alter_table reset in case of failure)
#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/sqlite/sqlite_create_index.hpp"
#include "dialects/sqlite/sqlite_create_table.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"
#include "migrations/schema_edit.hpp"

namespace strata {

namespace {

using detail::statement;

// The SQL of the native objects of `table` (indexes first, then triggers), in order.
// An index the model of the table (`described`) also has, by name, is left out: it was
// created by a revision this run planned and is recreated from the model.
std::vector<const std::string*> native_sql(const NativeObjects* native, const std::string& table,
                                           const Table* described = nullptr) {
    std::vector<const std::string*> out;
    if (!native) return out;
    if (auto it = native->indexes.find(table); it != native->indexes.end()) {
        for (const NativeObjects::Index& ix : it->second) {
            bool modelled = described && std::any_of(described->indexes.begin(), described->indexes.end(),
                                                     [&](const Index& i) { return sqlite_same_name(i.name, ix.name); });
            if (!modelled) out.push_back(&ix.sql);
        }
    }
    if (auto it = native->triggers.find(table); it != native->triggers.end())
        for (const std::string& sql : it->second) out.push_back(&sql);
    return out;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

constexpr const char* kTempPrefix = "strata_new_";

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}


// The storage class a value of the portable type ends up in (SQLite affinity), or ""
// when it depends on the value (NUMERIC affinity, unknown types). A copy casts only
// between two known, different classes: CAST to the declared type name would apply
// NUMERIC affinity to dates and JSON and turn '2026-11-26' into 2026.
std::string storage_class(const ColumnType& t) {
    switch (t.kind) {
        case TypeKind::tiny_integer:
        case TypeKind::small_integer:
        case TypeKind::medium_integer:
        case TypeKind::integer:
        case TypeKind::big_integer:
        case TypeKind::boolean: return "INTEGER";
        case TypeKind::float_:
        case TypeKind::double_: return "REAL";
        case TypeKind::string:
        case TypeKind::text:
        case TypeKind::enum_: return "TEXT";
        case TypeKind::blob: return "BLOB";
        default: return "";
    }
}

// A rowid table whose single-column primary key is declared exactly INTEGER: that
// column is the rowid.
bool without_rowid(const Table& t) {
    auto it = t.options.values.find(std::string(SqliteDialect::kWithoutRowidOption));
    return it != t.options.values.end() && it->second == "true";
}

const Column* rowid_alias(const SqliteDialect& d, const Table& t) {
    if (t.primary_key.columns.size() != 1 || without_rowid(t)) return nullptr;
    const Column* c = t.find_column(t.primary_key.columns[0]);
    if (!c) return nullptr;
    if (SqliteDialect::is_autoincrement_key(t, *c) || upper(d.render_type(c->type)) == "INTEGER") return c;
    return nullptr;
}

// A name for the old table's rowid that no column shadows; "" if all three are taken or the
// table has no rowid (WITHOUT ROWID).
std::string rowid_name(const Table& t) {
    if (without_rowid(t)) return "";
    for (const char* n : {"rowid", "_rowid_", "oid"}) {
        bool taken = false;
        for (const Column& c : t.columns) {
            std::string lower = c.name;
            for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            taken = taken || lower == n;
        }
        if (!taken) return n;
    }
    return "";
}

// Where each column of the rebuilt table gets its values: an SQL expression over the
// old table's row. Columns without an entry take their default.
using Sources = std::map<std::string, std::string>;

class Rebuilder {
public:
    Rebuilder(const SqliteDialect& d, const RenderContext& ctx) : d_(d), ctx_(ctx) {}

    std::vector<SqlStatement> run(const Table& before, const Table& after, const Sources& sources) const {
        const std::string& name = before.name;
        const std::string temp = kTempPrefix + name;
        std::vector<SqlStatement> out;
        out.push_back(placed("PRAGMA foreign_keys = OFF", StatementPlacement::before_transaction));

        Table created = after;
        created.name = temp;
        created.indexes.clear();
        std::vector<std::string> create = d_.render_create_table(created, true);
        bool autoincrement = false;
        for (const std::string& sql : create) {
            out.push_back(statement(sql));
            autoincrement = autoincrement || upper(sql).find("AUTOINCREMENT") != std::string::npos;
        }

        std::vector<std::string> into, from;
        const Column* alias = rowid_alias(d_, after);
        std::string old_rowid = rowid_name(before);
        for (const Column& c : after.columns) {
            auto it = sources.find(c.name);
            if (it != sources.end()) {
                into.push_back(d_.quote(c.name));
                from.push_back(it->second);
            } else if (alias == &c && !old_rowid.empty()) {
                // A new rowid alias keeps the old rowids rather than numbering rows anew.
                into.push_back(d_.quote(c.name));
                from.push_back(old_rowid);
            }
        }
        // Without a rowid alias in the new table, the rowid itself is copied so that
        // it survives (applications and FTS indexes may rely on it).
        if (!alias && !old_rowid.empty() && !rowid_name(after).empty() && rowid_name(after) == old_rowid) {
            into.insert(into.begin(), old_rowid);
            from.insert(from.begin(), old_rowid);
        }
        if (!into.empty()) {
            std::string cols, exprs;
            for (std::size_t i = 0; i < into.size(); ++i) {
                cols += (i ? ", " : "") + into[i];
                exprs += (i ? ", " : "") + from[i];
            }
            out.push_back(statement(
                fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", d_.quote(temp), cols, exprs, d_.quote(name))));
        }
        if (autoincrement) {
            // The copy set the new counter to the largest copied id; the old counter may be
            // higher (rows deleted at the end). Keep the higher of the two.
            std::string t_old = d_.literal(Value(name)), t_new = d_.literal(Value(temp));
            out.push_back(statement(fmt::format(
                "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ({}, {})) "
                "WHERE name = {}",
                t_old, t_new, t_new)));
            out.push_back(statement(fmt::format(
                "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {} AND NOT "
                "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {})",
                t_new, t_old, t_new)));
        }
        out.push_back(statement("DROP TABLE " + d_.quote(name)));
        out.push_back(statement("PRAGMA legacy_alter_table = ON"));
        out.push_back(statement(fmt::format("ALTER TABLE {} RENAME TO {}", d_.quote(temp), d_.quote(name))));
        out.push_back(statement("PRAGMA legacy_alter_table = OFF"));
        for (const Index& ix : after.indexes) out.push_back(statement(d_.render_create_index(after, ix)));
        // Indexes the model cannot describe and triggers come back as they were written;
        // one that names a column the rebuild removed fails the migration.
        for (const std::string* sql : native_sql(ctx_.native, name, &after)) out.push_back(statement(*sql));
        // PRAGMA foreign_key_check reports violations as rows rather than failing; the
        // temporary table's CHECK turns any reported row into an error that aborts the
        // transaction, both under execute_plan and in the sqlite3 client.
        out.push_back(placed("CREATE TEMP TABLE strata_foreign_key_check (violations INTEGER CONSTRAINT "
                             "\"foreign keys violated by the migration: run PRAGMA foreign_key_check\" "
                             "CHECK (violations = 0))",
                             StatementPlacement::before_commit));
        out.push_back(placed("INSERT INTO temp.strata_foreign_key_check SELECT count(*) FROM pragma_foreign_key_check",
                             StatementPlacement::before_commit));
        out.push_back(placed("DROP TABLE temp.strata_foreign_key_check", StatementPlacement::before_commit));
        out.push_back(placed("PRAGMA foreign_keys = ON", StatementPlacement::after_transaction));
        // legacy_alter_table is a connection setting, not rolled back with the
        // transaction: a failure between ON and OFF above must not leave it on.
        out.push_back(placed("PRAGMA legacy_alter_table = OFF", StatementPlacement::after_transaction));
        return out;
    }

    // Copy every column of `after` that exists in `before` (after renames), casting
    // where the storage class changes.
    Sources same_columns(const Table& before, const Table& after, const std::map<std::string, std::string>& renamed) const {
        Sources s;
        for (const Column& c : after.columns) {
            // A generated column computes its own values.
            if (c.options.values.count(std::string(SqliteDialect::kGeneratedOption))) continue;
            auto r = renamed.find(c.name);
            const std::string& old_name = r == renamed.end() ? c.name : r->second;
            const Column* old = before.find_column(old_name);
            if (!old) continue;
            std::string expr = d_.quote(old_name);
            std::string from_class = storage_class(old->type), to_class = storage_class(c.type);
            if (!from_class.empty() && !to_class.empty() && from_class != to_class)
                expr = fmt::format("CAST({} AS {})", expr, to_class);
            s[c.name] = expr;
        }
        return s;
    }

private:
    static SqlStatement placed(std::string sql, StatementPlacement p) {
        SqlStatement s = statement(std::move(sql));
        s.placement = p;
        return s;
    }

    const SqliteDialect& d_;
    const RenderContext& ctx_;
};

// The table after `op`, computed with the same schema edit the planner uses.
Table edited(const Table& before, const Operation& op) {
    Metadata m = detail::single_table_schema(before);
    strata::apply(m, op);
    for (const Table& t : m.tables()) return t;
    return before;
}

}  // namespace

std::vector<SqlStatement> SqliteDialect::render_operation(const Operation& operation, const RenderContext& ctx) const {
    const SqliteDialect& d = *this;
    Rebuilder rebuilder(d, ctx);
    auto rebuild = [&](const std::string& table, const Operation& op, const std::map<std::string, std::string>& renamed,
                       const std::map<std::string, std::string>& extra) {
        const Table& before = ctx.table(table);
        Table after = edited(before, op);
        Sources sources = rebuilder.same_columns(before, after, renamed);
        for (const auto& [col, expr] : extra) sources[col] = expr;
        return rebuilder.run(before, after, sources);
    };
    auto plain = [&](const std::string& table, const Operation& op) { return rebuild(table, op, {}, {}); };

    return std::visit(
        Overloaded{
            [&](const op::AddColumn& o) -> std::vector<SqlStatement> {
                const Table& before = ctx.table(o.table);
                const Column& c = o.column;
                const bool literal_default = !c.server_default || c.server_default->kind == ServerDefault::Kind::literal;
                // SQLite cannot ADD a STORED generated column (VIRTUAL is fine).
                auto stored = c.options.values.find(std::string(SqliteDialect::kGeneratedStoredOption));
                const bool native = capabilities().add_column && !o.backfill && literal_default &&
                                    (c.nullable || c.server_default) && !c.autoincrement &&
                                    !before.is_primary_key(c.name) &&
                                    !(stored != c.options.values.end() && stored->second == "true");
                if (native) return Dialect::render_operation(operation, ctx);
                std::map<std::string, std::string> extra;
                if (o.backfill && !c.server_default)
                    extra[c.name] = detail::backfill_literal(d, *o.backfill, c.type);
                return rebuild(o.table, operation, {}, extra);
            },
            [&](const op::DropColumn& o) -> std::vector<SqlStatement> {
                const Table& t = ctx.table(o.table);
                const std::string& name = o.column.name;
                bool native = capabilities().drop_column && t.find_column(name) && !t.is_primary_key(name);
                for (const Index& i : t.indexes) {
                    native = native && !contains(i.columns, name) && !mentions_identifier(i.where, name);
                    for (const std::string& key : i.columns) native = native && !mentions_identifier(key, name);
                }
                for (const UniqueConstraint& u : t.uniques) native = native && !contains(u.columns, name);
                for (const ForeignKey& f : t.foreign_keys) native = native && !contains(f.columns, name);
                for (const CheckConstraint& ck : t.checks)
                    native = native && !mentions_identifier(ck.expression, name);
                for (const Table& other : ctx.schema.tables())
                    for (const ForeignKey& f : other.foreign_keys)
                        native = native && !(f.ref_table == o.table && contains(f.ref_columns, name));
                for (const std::string* sql : native_sql(ctx.native, o.table))
                    native = native && !mentions_identifier(*sql, name);
                if (native) return Dialect::render_operation(operation, ctx);
                return plain(o.table, operation);
            },
            [&](const op::RenameColumn& o) -> std::vector<SqlStatement> {
                if (capabilities().rename_column) return Dialect::render_operation(operation, ctx);
                return rebuild(o.table, operation, {{o.to, o.from}}, {});
            },
            [&](const op::AlterColumn& o) -> std::vector<SqlStatement> {
                // Comments are not stored: a comment-only change has nothing to do.
                Column from = o.from, to = o.to;
                from.comment.clear();
                to.comment.clear();
                if (from == to) return {};
                return plain(o.table, operation);
            },
            [&](const op::AddUnique& o) { return plain(o.table, operation); },
            [&](const op::DropUnique& o) { return plain(o.table, operation); },
            [&](const op::AddForeignKey& o) { return plain(o.table, operation); },
            [&](const op::DropForeignKey& o) { return plain(o.table, operation); },
            [&](const op::AddCheck& o) { return plain(o.table, operation); },
            [&](const op::DropCheck& o) { return plain(o.table, operation); },
            [&](const op::AlterPrimaryKey& o) { return plain(o.table, operation); },
            [&](const auto&) { return Dialect::render_operation(operation, ctx); },
        },
        operation);
}

NativeObjects SqliteDialect::reflect_native_objects(Connection& conn) const {
    NativeObjects out;
    // Triggers, and the indexes reflection leaves out (sqlite_modelled_index()): among
    // the partial ones and those with an expression or the rowid among their keys.
    ResultSet rows = conn.query(
        "SELECT s.type, s.tbl_name, s.sql, s.name, "
        "(SELECT count(*) FROM pragma_index_xinfo(s.name) AS ii WHERE ii.\"key\"), "
        "EXISTS (SELECT 1 FROM pragma_index_list(s.tbl_name) AS il WHERE il.name = s.name AND il.partial), "
        "EXISTS (SELECT 1 FROM pragma_index_xinfo(s.name) AS ii WHERE ii.\"key\" AND ii.cid = -1) "
        "FROM sqlite_schema AS s WHERE s.sql IS NOT NULL AND (s.type = 'trigger' OR "
        "(s.type = 'index' AND (EXISTS (SELECT 1 FROM pragma_index_list(s.tbl_name) AS il WHERE il.name = s.name AND "
        "il.partial) OR EXISTS (SELECT 1 FROM pragma_index_info(s.name) AS ii WHERE ii.cid < 0 OR ii.name IS NULL)))) "
        "ORDER BY s.tbl_name, s.name");
    auto flag = [](const Value& v) { return std::holds_alternative<std::int64_t>(v) && std::get<std::int64_t>(v) != 0; };
    for (const auto& row : rows.rows) {
        if (row.size() < 7 || !std::holds_alternative<std::string>(row[0]) ||
            !std::holds_alternative<std::string>(row[1]) || !std::holds_alternative<std::string>(row[2]) ||
            !std::holds_alternative<std::string>(row[3]) || !std::holds_alternative<std::int64_t>(row[4]))
            continue;
        const std::string& table = std::get<std::string>(row[1]);
        const std::string& sql = std::get<std::string>(row[2]);
        if (std::get<std::string>(row[0]) != "index") {
            out.triggers[table].push_back(sql);
        } else if (!sqlite_modelled_index(sql, static_cast<std::size_t>(std::get<std::int64_t>(row[4])), flag(row[5]),
                                          flag(row[6]))) {
            out.indexes[table].push_back({std::get<std::string>(row[3]), sql});
        }
    }
    return out;
}

std::vector<std::string> SqliteDialect::script_prologue() const {
    return {".bail on"};
}

}  // namespace strata
