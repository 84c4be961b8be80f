// SqliteDialect::reflect: the whole schema in four catalog queries, a fifth for the views
// (sqlite_views.cpp) and a sixth for what is not modelled (sqlite_unmodelled.cpp).
//
// The pragma table-valued functions are joined against pragma_table_list, so each
// query covers every table at once and the number of round trips does not grow with
// the schema. What the pragmas do not report (constraint names, CHECK expressions,
// AUTOINCREMENT) comes from parsing each table's CREATE TABLE text.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/sqlite/sqlite_create_index.hpp"
#include "dialects/sqlite/sqlite_create_table.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

namespace {

// Every query restricts itself to ordinary tables of the main schema, without SQLite's
// own tables and without strata's bookkeeping tables (prefix bound as ?1).
constexpr const char* kTableFilter =
    "t.schema = 'main' AND t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "AND (?1 = '' OR substr(t.name, 1, length(?1)) <> ?1)";

std::string text_of(const RowView& row, std::size_t i) {
    if (row.is_null(i)) return {};
    Value v = row.get(i);
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    return {};
}

std::int64_t int_of(const RowView& row, std::size_t i) {
    if (row.is_null(i)) return 0;
    Value v = row.get(i);
    if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
    return 0;
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!sqlite_same_name(a[i], b[i])) return false;
    return true;
}

// Column names as the table declares them (the CREATE TABLE text may spell a name in
// another case than a constraint list does).
std::vector<std::string> canonical_columns(const Table& table, std::vector<std::string> names) {
    for (std::string& n : names)
        for (const Column& c : table.columns)
            if (sqlite_same_name(c.name, n)) n = c.name;
    return names;
}

struct TableState {
    Table table;
    std::optional<SqliteCreateTable> parsed;
    std::vector<bool> unique_used;  // parsed uniques already matched to an index
    std::vector<bool> fk_used;      // parsed foreign keys already matched
    std::vector<bool> check_enum;   // parsed checks that are part of a column type (enum, unsigned)
};

struct IndexRows {
    std::string table;
    std::string name;
    bool unique = false;
    bool partial = false;
    bool rowid = false;  // a key is the rowid: no portable form, left out
    std::string origin;
    std::string sql;     // the CREATE INDEX text ("" for a constraint's automatic index)
    std::vector<std::string> columns;  // "" for an expression key (read from `sql`)
    std::vector<bool> descending;
};

struct FkRows {
    std::string table;
    std::int64_t id = 0;
    std::string ref_table;
    std::vector<std::string> from;
    std::vector<std::string> to;
    bool to_missing = false;
    std::string on_update, on_delete;
};

}  // namespace

namespace {

// One reflection: the tables read so far, by name, and the queries that fill them, one per
// pragma family (each a phase of SqliteDialect::reflect).
class SqliteReflection {
public:
    SqliteReflection(const SqliteDialect& dialect, Connection& conn, const ReflectOptions& options)
        : dialect_(dialect), conn_(conn), options_(options), prefix_{Value(options.internal_prefix)} {}

    void read_tables();
    void read_columns();
    void read_indexes();
    void add_index(TableState& st, IndexRows& ix);
    void read_foreign_keys();
    Metadata result();

private:
    std::span<const Value> params() const { return std::span<const Value>(prefix_); }
    Column column_of(const RowView& row, TableState& st);
    void enum_from_check(TableState& st, Column& c);
    void unsigned_check(TableState& st, Column& c);
    void keys_and_checks(const std::map<std::pair<std::size_t, std::int64_t>, std::string>& pk_order);
    void add_foreign_key(FkRows& f);

    const SqliteDialect& dialect_;
    Connection& conn_;
    const ReflectOptions& options_;
    const Value prefix_[1];
    std::vector<UnmodelledObject> unmodelled_;  // indexes left out
    std::vector<TableState> tables_;
    std::unordered_map<std::string, std::size_t> by_name_;
    std::unordered_map<std::string, std::size_t> by_lower_name_;  // SQLite names ignore ASCII case
};

// Tables and their CREATE TABLE text.
void SqliteReflection::read_tables() {
    conn_.query(std::string("SELECT t.name, m.sql FROM pragma_table_list AS t "
                            "JOIN sqlite_schema AS m ON m.name = t.name AND m.type = 'table' WHERE ") +
                    kTableFilter + " ORDER BY t.name",
                params(), [&](const RowView& row) {
                    TableState st;
                    st.table.name = text_of(row, 0);
                    st.parsed = parse_sqlite_create_table(text_of(row, 1));
                    if (st.parsed) {
                        if (st.parsed->without_rowid)
                            st.table.options.values[std::string(SqliteDialect::kWithoutRowidOption)] = "true";
                        if (st.parsed->strict)
                            st.table.options.values[std::string(SqliteDialect::kStrictOption)] = "true";
                        st.unique_used.assign(st.parsed->uniques.size(), false);
                        st.fk_used.assign(st.parsed->foreign_keys.size(), false);
                        st.check_enum.assign(st.parsed->checks.size(), false);
                    }
                    by_name_.emplace(st.table.name, tables_.size());
                    by_lower_name_.emplace(lower_ascii(st.table.name), tables_.size());
                    tables_.push_back(std::move(st));
                });
}

// An unnamed column CHECK `col IN ('a', ...)` on a text column is how an enum is rendered:
// give the enum back instead of a check.
void SqliteReflection::enum_from_check(TableState& st, Column& c) {
    if (c.type.kind != TypeKind::string && c.type.kind != TypeKind::text) return;
    const SqliteCreateTable& p = *st.parsed;
    for (std::size_t k = 0; k < p.checks.size(); ++k) {
        const auto& ck = p.checks[k];
        if (!ck.name.empty() || st.check_enum[k] || !sqlite_same_name(ck.column, c.name)) continue;
        if (auto values = parse_sqlite_enum_check(ck.expression, c.name)) {
            std::string native = std::move(c.type.native);
            c.type = ColumnType{};
            c.type.kind = TypeKind::enum_;
            c.type.enum_values = std::move(*values);
            c.type.native = std::move(native);
            st.check_enum[k] = true;
            return;
        }
    }
}

// The unnamed column CHECK (col >= 0) rendered with an UNSIGNED integer column is part
// of the type, not a check of its own.
void SqliteReflection::unsigned_check(TableState& st, Column& c) {
    if (!c.type.is_unsigned || !is_integer_kind(c.type.kind)) return;
    const SqliteCreateTable& p = *st.parsed;
    for (std::size_t k = 0; k < p.checks.size(); ++k) {
        const auto& ck = p.checks[k];
        if (!ck.name.empty() || st.check_enum[k] || !sqlite_same_name(ck.column, c.name)) continue;
        const std::string expression = strip_sqlite_parens(ck.expression);
        std::vector<SqliteToken> t = tokenize_sqlite(expression);
        if (t.size() == 3 && t[0].is_name() && sqlite_same_name(t[0].value(), c.name) && t[1].text == ">=" &&
            t[2].text == "0") {
            st.check_enum[k] = true;
            return;
        }
    }
}

Column SqliteReflection::column_of(const RowView& row, TableState& st) {
    Column c;
    c.name = text_of(row, 1);
    c.type = dialect_.parse_type(text_of(row, 2));
    c.nullable = int_of(row, 3) == 0 && int_of(row, 5) == 0;
    if (!row.is_null(4)) c.server_default = dialect_.parse_default(text_of(row, 4), c.type);
    if (!st.parsed) return c;
    if (const auto* pc = st.parsed->find_column(c.name)) {
        c.autoincrement = pc->autoincrement;
        // Generated columns (hidden 2: VIRTUAL, 3: STORED) keep their expression as a
        // dialect option, as on the servers.
        if (int_of(row, 6) >= 2 && !pc->generated.empty()) {
            c.options.values[std::string(SqliteDialect::kGeneratedOption)] = pc->generated;
            if (pc->generated_stored) c.options.values[std::string(SqliteDialect::kGeneratedStoredOption)] = "true";
        }
    }
    enum_from_check(st, c);
    unsigned_check(st, c);
    return c;
}

// Columns (hidden = 1 marks virtual-table internals; 2 and 3 are generated columns).
void SqliteReflection::read_columns() {
    std::map<std::pair<std::size_t, std::int64_t>, std::string> pk_order;  // (table, key position) -> column
    conn_.query(std::string("SELECT t.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
                            "FROM pragma_table_list AS t JOIN pragma_table_xinfo(t.name) AS p WHERE ") +
                    kTableFilter + " ORDER BY t.name, p.cid",
                params(), [&](const RowView& row) {
                    auto it = by_name_.find(text_of(row, 0));
                    if (it == by_name_.end() || int_of(row, 6) == 1) return;
                    TableState& st = tables_[it->second];
                    Column c = column_of(row, st);
                    if (std::int64_t pk = int_of(row, 5); pk > 0) pk_order[{it->second, pk}] = c.name;
                    st.table.columns.push_back(std::move(c));
                });
    keys_and_checks(pk_order);
}

void SqliteReflection::keys_and_checks(const std::map<std::pair<std::size_t, std::int64_t>, std::string>& pk_order) {
    for (const auto& [key, column] : pk_order) tables_[key.first].table.primary_key.columns.push_back(column);
    for (TableState& st : tables_) {
        if (!st.parsed) continue;
        Table& t = st.table;
        if (!t.primary_key.columns.empty()) t.primary_key.name = st.parsed->primary_key_name;
        for (std::size_t k = 0; k < st.parsed->checks.size(); ++k) {
            if (st.check_enum[k]) continue;
            const auto& ck = st.parsed->checks[k];
            t.checks.push_back({ck.name, strip_sqlite_parens(ck.expression)});
        }
    }
}

// Indexes: origin 'pk' backs the primary key, 'u' a UNIQUE constraint, 'c' is CREATE INDEX.
// Key columns, DESC and the partial flag come from the pragmas; the text of expression
// keys and of the WHERE predicate from the index's CREATE INDEX text.
void SqliteReflection::read_indexes() {
    std::vector<IndexRows> indexes;
    conn_.query(std::string("SELECT t.name, il.name, il.\"unique\", il.origin, ii.cid, ii.name, il.partial, ii.\"desc\", "
                            "CASE WHEN ii.seqno = 0 THEN m.sql END "
                            "FROM pragma_table_list AS t JOIN pragma_index_list(t.name) AS il "
                            "JOIN pragma_index_xinfo(il.name) AS ii "
                            "LEFT JOIN sqlite_schema AS m ON m.type = 'index' AND m.name = il.name WHERE ii.\"key\" AND ") +
                    kTableFilter + " ORDER BY t.name, il.name, ii.seqno",
                params(), [&](const RowView& row) {
                    std::string table = text_of(row, 0), name = text_of(row, 1);
                    if (indexes.empty() || indexes.back().table != table || indexes.back().name != name) {
                        IndexRows ix;
                        ix.table = table;
                        ix.name = name;
                        ix.unique = int_of(row, 2) != 0;
                        ix.origin = text_of(row, 3);
                        ix.partial = int_of(row, 6) != 0;
                        ix.sql = text_of(row, 8);
                        indexes.push_back(std::move(ix));
                    }
                    // cid -2: an expression; -1: the rowid.
                    IndexRows& ix = indexes.back();
                    if (int_of(row, 4) == -1) ix.rowid = true;
                    ix.columns.push_back(int_of(row, 4) < 0 || row.is_null(5) ? std::string() : text_of(row, 5));
                    ix.descending.push_back(int_of(row, 7) != 0);
                });
    for (IndexRows& ix : indexes) {
        auto it = by_name_.find(ix.table);
        if (it == by_name_.end() || ix.origin == "pk") continue;
        TableState& st = tables_[it->second];
        if (ix.origin != "u") {
            add_index(st, ix);
            continue;
        }
        UniqueConstraint u;
        u.columns = std::move(ix.columns);
        for (std::size_t k = 0; st.parsed && k < st.parsed->uniques.size(); ++k) {
            if (st.unique_used[k] || !same_names(st.parsed->uniques[k].columns, u.columns)) continue;
            st.unique_used[k] = true;
            u.name = st.parsed->uniques[k].name;
            break;
        }
        st.table.uniques.push_back(std::move(u));
    }
}

// A CREATE INDEX index. One the model cannot describe (a key on the rowid, or text the
// parser does not read) is left out and, with options.unmodelled, listed: a table
// rebuild replays its own SQL (SqliteDialect::reflect_native_objects).
void SqliteReflection::add_index(TableState& st, IndexRows& ix) {
    Index index{ix.name, std::move(ix.columns), ix.unique};
    const bool expressions = std::find(index.columns.begin(), index.columns.end(), "") != index.columns.end();
    std::optional<SqliteCreateIndex> parsed;
    if (expressions || ix.partial || ix.rowid)
        parsed = sqlite_modelled_index(ix.sql, index.columns.size(), ix.partial, ix.rowid);
    if ((expressions || ix.partial || ix.rowid) && !parsed) {
        if (options_.unmodelled)
            unmodelled_.push_back(make_unmodelled(ix.partial && !ix.rowid ? UnmodelledKind::partial_index
                                                                          : UnmodelledKind::expression_index,
                                                  "main", ix.name, ix.table, "SQLite"));
        return;
    }
    for (std::size_t k = 0; k < index.columns.size(); ++k) {
        if (index.columns[k].empty()) index.columns[k] = parsed->keys[k].text;
        if (ix.descending[k]) index.key(k).descending = true;
    }
    if (parsed) index.where = parsed->where;
    st.table.indexes.push_back(std::move(index));
}

// Foreign keys, one row per column pair, grouped by (table, id).
void SqliteReflection::read_foreign_keys() {
    std::vector<FkRows> fks;
    conn_.query(std::string("SELECT t.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
                            "FROM pragma_table_list AS t JOIN pragma_foreign_key_list(t.name) AS f WHERE ") +
                    kTableFilter + " ORDER BY t.name, f.id, f.seq",
                params(), [&](const RowView& row) {
                    std::string table = text_of(row, 0);
                    std::int64_t id = int_of(row, 1);
                    if (fks.empty() || fks.back().table != table || fks.back().id != id) {
                        FkRows fk;
                        fk.table = table;
                        fk.id = id;
                        fk.ref_table = text_of(row, 2);
                        fk.on_update = text_of(row, 5);
                        fk.on_delete = text_of(row, 6);
                        fks.push_back(std::move(fk));
                    }
                    fks.back().from.push_back(text_of(row, 3));
                    if (row.is_null(4)) fks.back().to_missing = true;
                    else fks.back().to.push_back(text_of(row, 4));
                });
    // SQLite numbers a table's foreign keys from the last declared (id 0); walking the rows
    // backwards puts each table's keys in declaration order.
    for (auto it = fks.rbegin(); it != fks.rend(); ++it) add_foreign_key(*it);
}

void SqliteReflection::add_foreign_key(FkRows& f) {
    auto t = by_name_.find(f.table);
    if (t == by_name_.end()) return;
    TableState& st = tables_[t->second];
    ForeignKey fk;
    fk.columns = canonical_columns(st.table, std::move(f.from));
    fk.ref_table = f.ref_table;
    // Canonical spelling of the referenced table when it exists.
    auto ref = by_lower_name_.find(lower_ascii(f.ref_table));
    if (ref != by_lower_name_.end()) fk.ref_table = tables_[ref->second].table.name;
    if (f.to_missing) {
        // REFERENCES parent without columns: the parent's primary key.
        if (ref != by_lower_name_.end()) fk.ref_columns = tables_[ref->second].table.primary_key.columns;
    } else {
        fk.ref_columns = ref != by_lower_name_.end() ? canonical_columns(tables_[ref->second].table, std::move(f.to))
                                                    : std::move(f.to);
    }
    fk.on_update = fk_action_from_string(f.on_update).value_or(FkAction::no_action);
    fk.on_delete = fk_action_from_string(f.on_delete).value_or(FkAction::no_action);
    for (std::size_t k = 0; st.parsed && k < st.parsed->foreign_keys.size(); ++k) {
        const auto& pf = st.parsed->foreign_keys[k];
        if (st.fk_used[k] || !same_names(pf.columns, fk.columns) || !sqlite_same_name(pf.ref_table, fk.ref_table))
            continue;
        st.fk_used[k] = true;
        fk.name = pf.name;
        break;
    }
    st.table.foreign_keys.push_back(std::move(fk));
}

Metadata SqliteReflection::result() {
    Metadata out;
    for (TableState& st : tables_) {
        apply_naming_convention(st.table);  // unnamed constraints: the convention's names
        out.add(std::move(st.table));
    }
    for (UnmodelledObject& u : unmodelled_) out.add_unmodelled(std::move(u));
    dialect_.reflect_views(conn_, options_, out);
    if (options_.unmodelled) dialect_.reflect_unmodelled(conn_, options_, out);
    return out;
}

}  // namespace

Metadata SqliteDialect::reflect(Connection& conn, const ReflectOptions& options) const {
    SqliteReflection r(*this, conn, options);
    r.read_tables();
    r.read_columns();
    r.read_indexes();
    r.read_foreign_keys();
    return r.result();
}

}  // namespace strata
