// MysqlDialect::reflect: the whole schema from six information_schema queries (and a
// seventh for what is not modelled, mysql_unmodelled.cpp), grouped client-side, so the number of round trips does not depend on the number of
// tables. Everything is keyed by exact (byte-wise) names: information_schema compares
// names case-insensitively, which must not merge tables `A` and `a`.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

#include "dialects/connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "dialects/mysql/mysql_options.hpp"

namespace strata {

namespace {

std::string text_at(const RowView& row, std::size_t i) {
    Value v = row.get(i);
    if (auto* s = std::get_if<std::string>(&v)) return std::move(*s);
    if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    if (auto* b = std::get_if<Blob>(&v)) return std::string(b->bytes.begin(), b->bytes.end());
    return {};
}

std::int64_t int_at(const RowView& row, std::size_t i) {
    Value v = row.get(i);
    if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
    if (auto* s = std::get_if<std::string>(&v)) {
        try {
            return std::stoll(*s);
        } catch (...) {
            return 0;
        }
    }
    return 0;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct ColumnRow {
    std::int64_t position = 0;
    Column column;
};

struct IndexRow {
    bool unique = false;
    // Set for FULLTEXT and SPATIAL indexes and for keys on a column prefix or an
    // expression: none has a portable form, so reflection leaves them out (MySQL's ALTER
    // TABLE keeps them in place) rather than report a plain index that is not there, and
    // lists them as unmodelled.
    std::optional<UnmodelledKind> unmodelled;
    std::string schema;  // the database, for the unmodelled note
    std::vector<std::pair<std::int64_t, std::string>> columns;  // (seq, name)
    std::vector<std::int64_t> descending;                       // seq of each DESC key (COLLATION 'D')
};

struct FkRow {
    std::string ref_table;
    std::vector<std::pair<std::int64_t, std::pair<std::string, std::string>>> columns;  // (pos, (col, ref col))
    FkAction on_delete = FkAction::no_action;
    FkAction on_update = FkAction::no_action;
};

struct CheckRow {
    std::string name;
    std::string clause;
    bool column_level = false;
};

struct TableRows {
    Table table;
    std::string partitioned_in;  // the database, when the table is partitioned (not modelled)
    std::vector<ColumnRow> columns;
    std::map<std::string, IndexRow> indexes;
    std::map<std::string, FkRow> fks;
    std::vector<CheckRow> checks;
};

// InnoDB makes RESTRICT and NO ACTION the same thing and reports an unspecified action
// as RESTRICT; both read as no_action, which is also what normalize() produces.
FkAction fk_action(const std::string& rule) {
    auto a = fk_action_from_string(rule).value_or(FkAction::no_action);
    return a == FkAction::restrict ? FkAction::no_action : a;
}

template <class T>
void sort_by_name(std::vector<T>& v) {
    std::sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

// One row of information_schema.COLUMNS as a column.
ColumnRow column_row(const MysqlDialect& dialect, const RowView& row) {
    ColumnRow c;
    c.position = int_at(row, 2);
    c.column.name = text_at(row, 1);
    c.column.type = dialect.parse_type(text_at(row, 3));
    c.column.nullable = text_at(row, 4) == "YES";
    std::string extra = lower(text_at(row, 6));
    bool generated = !row.is_null(8) && text_at(row, 8) != "NEVER";
    if (generated) {
        c.column.options.values["mysql.generated"] = text_at(row, 9);
        if (extra.find("stored") != std::string::npos) c.column.options.values["mysql.generated_stored"] = "true";
    } else if (!row.is_null(5)) {
        c.column.server_default = MysqlDialect::parse_column_default(text_at(row, 5), c.column.type);
    }
    c.column.autoincrement = extra.find("auto_increment") != std::string::npos;
    if (auto on = extra.find("on update "); on != std::string::npos)
        c.column.options.values[mysql_detail::kOnUpdateOption] =
            mysql_detail::canonical_on_update(extra.substr(on + 10));
    c.column.comment = text_at(row, 7);
    // Every column's own; canonicalize_options() keeps those that differ from the table's.
    if (!row.is_null(11) && mysql_detail::has_charset(c.column.type)) {
        c.column.options.values[mysql_detail::kCharsetOption] = text_at(row, 10);
        c.column.options.values[mysql_detail::kCollationOption] = text_at(row, 11);
    }
    return c;
}

// Engine, charset and collation as the server reports them; ROW_FORMAT only when the
// table was created with one (CREATE_OPTIONS "row_format=COMPACT ..."), since the
// format in effect otherwise is the server's default.
void table_options(const RowView& row, Table& table) {
    DialectOptions& o = table.options;
    if (!row.is_null(2)) o.values[mysql_detail::kEngineOption] = text_at(row, 2);
    if (!row.is_null(3)) {
        std::string collation = text_at(row, 3);
        o.values[mysql_detail::kCharsetOption] = mysql_detail::charset_of_collation(collation);
        o.values[mysql_detail::kCollationOption] = collation;
    }
    std::string create_options = text_at(row, 4);
    const std::string key = "row_format=";
    if (auto at = lower(create_options).find(key); at != std::string::npos) {
        std::string format = create_options.substr(at + key.size());
        o.values[mysql_detail::kRowFormatOption] = format.substr(0, format.find(' '));
    }
}

void add_foreign_keys(Table& table, std::map<std::string, FkRow>& fks) {
    for (auto& [fk_name, fk] : fks) {
        std::sort(fk.columns.begin(), fk.columns.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        ForeignKey f;
        f.name = fk_name;
        f.ref_table = fk.ref_table;
        for (auto& [pos, cols] : fk.columns) {
            f.columns.push_back(cols.first);
            f.ref_columns.push_back(cols.second);
        }
        f.on_delete = fk.on_delete;
        f.on_update = fk.on_update;
        table.foreign_keys.push_back(std::move(f));
    }
}

// Indexes after foreign keys: the index InnoDB made for a foreign key is left out (see
// normalize()).
void add_indexes(Table& table, std::map<std::string, IndexRow>& indexes) {
    for (auto& [ix_name, ix] : indexes) {
        if (ix.unmodelled && ix_name != "PRIMARY") continue;
        std::sort(ix.columns.begin(), ix.columns.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::string> cols;
        Index index{ix_name, {}, ix.unique};
        for (auto& [seq, col] : ix.columns) {
            if (std::find(ix.descending.begin(), ix.descending.end(), seq) != ix.descending.end())
                index.key(cols.size()).descending = true;
            cols.push_back(col);
        }
        if (ix_name == "PRIMARY") {
            table.primary_key = PrimaryKey{naming::primary_key(table.name), std::move(cols)};
        } else if (!index.key_options.empty()) {
            // A DESC key: an index (unique or not), as normalize() keeps it.
            index.columns = std::move(cols);
            table.indexes.push_back(std::move(index));
        } else if (ix.unique) {
            table.uniques.push_back(UniqueConstraint{ix_name, std::move(cols)});
        } else {
            bool implicit = std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(), [&](const ForeignKey& fk) {
                return fk.columns == cols && (ix_name == fk.name || ix_name == fk.columns.front());
            });
            if (!implicit) table.indexes.push_back(Index{ix_name, std::move(cols), false});
        }
    }
}

void add_checks(Table& table, std::vector<CheckRow>& checks, const MysqlDialect& dialect) {
    for (CheckRow& ck : checks) {
        // MariaDB's JSON is LONGTEXT plus CHECK (json_valid(`col`)) named after the column.
        if (ck.column_level) {
            Column* c = table.find_column(ck.name);
            if (c && c->type.kind == TypeKind::text && lower(c->type.native) == "longtext" &&
                MysqlDialect::canonical_expression(ck.clause) ==
                    MysqlDialect::canonical_expression("json_valid(" + dialect.quote(ck.name) + ")")) {
                c->type.kind = TypeKind::json;
                // utf8mb4_bin comes with the type, whatever the table's charset.
                c->options.values.erase(mysql_detail::kCharsetOption);
                c->options.values.erase(mysql_detail::kCollationOption);
                continue;
            }
        }
        table.checks.push_back(CheckConstraint{ck.name, MysqlDialect::canonical_expression(ck.clause)});
    }
}

// The table from its catalog rows, constraints sorted by name.
Table assemble_table(TableRows& rows, const MysqlDialect& dialect) {
    Table& table = rows.table;
    std::sort(rows.columns.begin(), rows.columns.end(),
              [](const ColumnRow& a, const ColumnRow& b) { return a.position < b.position; });
    for (ColumnRow& c : rows.columns) table.columns.push_back(std::move(c.column));
    add_foreign_keys(table, rows.fks);
    add_indexes(table, rows.indexes);
    add_checks(table, rows.checks, dialect);
    sort_by_name(table.indexes);
    sort_by_name(table.uniques);
    sort_by_name(table.foreign_keys);
    sort_by_name(table.checks);
    mysql_detail::canonicalize_options(table);
    return std::move(table);
}

}  // namespace

Metadata MysqlDialect::reflect(Connection& conn, const ReflectOptions& options) const {
    std::map<std::string, TableRows> tables;
    auto wanted = [&](const std::string& name) -> TableRows* {
        auto it = tables.find(name);
        return it == tables.end() ? nullptr : &it->second;
    };

    conn.query(
        "SELECT TABLE_NAME, TABLE_COMMENT, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_SCHEMA "
        "FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
        {}, [&](const RowView& row) {
            std::string name = text_at(row, 0);
            if (!options.internal_prefix.empty() && name.rfind(options.internal_prefix, 0) == 0) return;
            TableRows& t = tables[name];
            t.table.name = name;
            t.table.comment = text_at(row, 1);
            table_options(row, t.table);
            // Partitioning is not modelled; read here rather than from PARTITIONS, which
            // costs as much again.
            if (text_at(row, 4).find("partitioned") != std::string::npos) t.partitioned_in = text_at(row, 5);
        });

    conn.query(
        "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
        "COLUMN_COMMENT, IS_GENERATED, GENERATION_EXPRESSION, CHARACTER_SET_NAME, COLLATION_NAME "
        "FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE()",
        {}, [&](const RowView& row) {
            TableRows* t = wanted(text_at(row, 0));
            if (!t) return;
            ColumnRow c = column_row(*this, row);
            t->columns.push_back(std::move(c));
        });

    conn.query(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, INDEX_TYPE, SUB_PART, TABLE_SCHEMA, "
        "COLLATION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()",
        {}, [&](const RowView& row) {
            TableRows* t = wanted(text_at(row, 0));
            if (!t) return;
            IndexRow& ix = t->indexes[text_at(row, 1)];
            ix.schema = text_at(row, 7);
            ix.unique = int_at(row, 2) == 0;
            const std::string type = text_at(row, 5);
            // COLUMN_NAME is NULL for an expression key (MySQL 8 functional indexes).
            if (row.is_null(4)) ix.unmodelled = UnmodelledKind::expression_index;
            else if (type == "FULLTEXT") ix.unmodelled = UnmodelledKind::fulltext_index;
            else if (type == "SPATIAL") ix.unmodelled = UnmodelledKind::spatial_index;
            else if (!row.is_null(6) && !ix.unmodelled) ix.unmodelled = UnmodelledKind::prefix_index;
            if (!row.is_null(4)) ix.columns.emplace_back(int_at(row, 3), text_at(row, 4));
            // INDEX_TYPE BTREE or HASH alike: InnoDB builds B-trees whatever USING said.
            if (text_at(row, 8) == "D") ix.descending.push_back(int_at(row, 3));
        });

    conn.query(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_NAME, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL",
        {}, [&](const RowView& row) {
            TableRows* t = wanted(text_at(row, 0));
            if (!t) return;
            FkRow& fk = t->fks[text_at(row, 1)];
            fk.ref_table = text_at(row, 4);
            fk.columns.push_back({int_at(row, 3), {text_at(row, 2), text_at(row, 5)}});
        });

    conn.query(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE()",
        {}, [&](const RowView& row) {
            TableRows* t = wanted(text_at(row, 0));
            if (!t) return;
            auto it = t->fks.find(text_at(row, 1));
            if (it == t->fks.end()) return;
            it->second.on_update = fk_action(text_at(row, 2));
            it->second.on_delete = fk_action(text_at(row, 3));
        });

    conn.query(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE()",
        {}, [&](const RowView& row) {
            TableRows* t = wanted(text_at(row, 0));
            if (!t) return;
            t->checks.push_back(CheckRow{text_at(row, 1), text_at(row, 2), text_at(row, 3) == "Column"});
        });

    Metadata out;
    for (auto& [name, rows] : tables) out.add(assemble_table(rows, *this));
    reflect_views(conn, options, out);
    if (options.unmodelled) {
        const std::string database = server_name(conn);
        for (const auto& [name, rows] : tables) {
            if (!rows.partitioned_in.empty())
                out.add_unmodelled(
                    make_unmodelled(UnmodelledKind::partitioned_table, rows.partitioned_in, name, "", database));
            for (const auto& [ix_name, ix] : rows.indexes)
                if (ix.unmodelled && ix_name != "PRIMARY")
                    out.add_unmodelled(make_unmodelled(*ix.unmodelled, ix.schema, ix_name, name, database));
        }
        reflect_unmodelled(conn, options, out);
    }
    return out;
}

}  // namespace strata
