#include "migrations/differ.hpp"

#include <algorithm>
#include <set>
#include <type_traits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/engine.hpp"
#include "migrations/object_diff.hpp"
#include "migrations/schema_edit.hpp"
#include "orm/create_all.hpp"

namespace strata {

namespace {

// ---- helpers ----------------------------------------------------------------------------

std::vector<std::string> sorted_names(const Metadata& m) {
    std::vector<std::string> out;
    for (const Table& t : m.tables()) out.push_back(t.name);
    std::sort(out.begin(), out.end());
    return out;
}

template <class T>
std::vector<const T*> by_name(const std::vector<T>& items) {
    std::vector<const T*> out;
    for (const T& x : items) out.push_back(&x);
    std::stable_sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->name < b->name; });
    return out;
}

template <class T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
    for (const T& x : items)
        if (x.name == name) return &x;
    return nullptr;
}

std::set<std::string> as_set(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

bool column_changed(const Column& a, const Column& b) {
    return !(a.type == b.type) || a.nullable != b.nullable || a.server_default != b.server_default ||
           a.autoincrement != b.autoincrement || a.comment != b.comment;
}

Column clean(Column c) {
    c.renamed_from.clear();
    return c;
}

Table clean(Table t) {
    t.renamed_from.clear();
    for (Column& c : t.columns) c.renamed_from.clear();
    return t;
}

// ---- renames ------------------------------------------------------------------------------

struct RenameHints {
    std::map<std::string, std::string> tables;                        // old -> new (desired name)
    std::map<std::string, std::map<std::string, std::string>> columns;  // desired table -> old -> new
};

// Hints from the desired schema, read before normalization (a dialect's normalize may
// rebuild columns and drop fields it does not know).
RenameHints hints_of(const Metadata& desired) {
    RenameHints h;
    for (const Table& t : desired.tables()) {
        if (!t.renamed_from.empty()) h.tables[t.renamed_from] = t.name;
        for (const Column& c : t.columns)
            if (!c.renamed_from.empty()) h.columns[t.name][c.renamed_from] = c.name;
    }
    return h;
}

class Differ {
public:
    Differ(Metadata current, Metadata desired, const DiffOptions& options, RenameHints hints)
        : cur_(std::move(current)), des_(std::move(desired)), options_(options), hints_(std::move(hints)) {}

    DiffResult run() {
        const detail::Emit emit_op = [this](Operation op) { emit(std::move(op)); };
        detail::alter_enum_types(cur_, des_, emit_op);
        renames();
        analyse();
        detail::release_sequences(cur_, des_, emit_op);
        drop_foreign_keys();
        drop_tables();
        detail::create_objects(cur_, des_, emit_op);
        create_tables();
        for (const std::string& name : kept_) alter_table(name);
        add_foreign_keys();
        detail::own_sequences(cur_, des_, emit_op);
        detail::drop_objects(cur_, des_, emit_op);
        diff_views();
        std::sort(result_.notes.begin(), result_.notes.end());
        return std::move(result_);
    }

private:
    void emit(Operation op) {
        strata::apply(cur_, op);
        result_.operations.push_back(std::move(op));
    }
    void note(std::string text) { result_.notes.push_back(std::move(text)); }

    // A change of the column itself, or of a dialect option the dialect compares
    // (MySQL: charset, collation, ON UPDATE), each column seen in its own table.
    bool column_differs(const Table& ct, const Column& cc, const Table& dt, const Column& dc) const {
        return column_changed(cc, dc) ||
               (options_.dialect && options_.dialect->column_options_differ(ct, cc, dt, dc));
    }
    // The type, or what the dialect stores with it (charset, collation): MySQL refuses
    // such a change under a foreign key as it does a type change.
    bool column_retyped(const Table& ct, const Column& cc, const Table& dt, const Column& dc) const {
        return !(dc.type == cc.type) || (options_.dialect && options_.dialect->column_options_differ(ct, cc, dt, dc));
    }

    FkAction effective(FkAction a) const {
        return options_.dialect ? options_.dialect->effective_fk_action(a) : a;
    }

    bool same_signature(const ForeignKey& a, const ForeignKey& b) const {
        return a.columns == b.columns && a.ref_table == b.ref_table && a.ref_columns == b.ref_columns &&
               effective(a.on_delete) == effective(b.on_delete) && effective(a.on_update) == effective(b.on_update);
    }

    // ---- step 1: renames -------------------------------------------------------------------
    void renames() {
        std::map<std::string, std::string> table_renames;  // old -> new
        std::set<std::string> targets;
        for (const auto& [from, to] : options_.table_renames) {
            const bool cur_from = cur_.find(from), cur_to = cur_.find(to);
            if (!cur_from && cur_to && des_.find(to)) {
                note(fmt::format("rename of table {} to {} is already done", from, to));
                continue;
            }
            if (!cur_from)
                throw Error(ErrorKind::usage, fmt::format("cannot rename table {} to {}: the current schema has no "
                                                          "table {}",
                                                          from, to, from));
            if (cur_to)
                throw Error(ErrorKind::usage, fmt::format("cannot rename table {} to {}: the current schema already "
                                                          "has a table {}",
                                                          from, to, to));
            if (!des_.find(to))
                throw Error(ErrorKind::usage, fmt::format("cannot rename table {} to {}: the desired schema has no "
                                                          "table {}",
                                                          from, to, to));
            if (des_.find(from))
                throw Error(ErrorKind::usage, fmt::format("cannot rename table {} to {}: the desired schema still "
                                                          "has a table {}",
                                                          from, to, from));
            if (!targets.insert(to).second)
                throw Error(ErrorKind::usage, fmt::format("two renames give table {}", to));
            table_renames[from] = to;
        }
        for (const auto& [from, to] : hints_.tables) {
            if (table_renames.count(from) || targets.count(to)) continue;
            if (!cur_.find(from)) {
                if (!cur_.find(to))
                    note(fmt::format("table {}: renamed_from(\"{}\") ignored: there is no table {} to rename", to, from,
                                     from));
                continue;  // already renamed, or nothing to rename
            }
            if (cur_.find(to) || des_.find(from)) {
                note(fmt::format("table {}: renamed_from(\"{}\") ignored: both tables exist", to, from));
                continue;
            }
            targets.insert(to);
            table_renames[from] = to;
        }
        for (const auto& [from, to] : table_renames) emit(op::RenameTable{from, to});

        // Column renames, keyed by desired table name.
        std::map<std::string, std::map<std::string, std::string>> column_renames;
        for (const ColumnRename& r : options_.column_renames) {
            std::string table = r.table;
            if (!des_.find(table)) {
                auto it = table_renames.find(table);
                if (it != table_renames.end()) table = it->second;
            }
            const Table* ct = cur_.find(table);
            const Table* dt = des_.find(table);
            std::string what = fmt::format("cannot rename column {}.{} to {}", r.table, r.from, r.to);
            if (!ct || !dt) throw Error(ErrorKind::usage, what + fmt::format(": no table {} in both schemas", r.table));
            if (!ct->find_column(r.from) && ct->find_column(r.to) && dt->find_column(r.to)) {
                note(fmt::format("rename of column {}.{} to {} is already done", table, r.from, r.to));
                continue;
            }
            if (!ct->find_column(r.from))
                throw Error(ErrorKind::usage, what + fmt::format(": the current table has no column {}", r.from));
            if (ct->find_column(r.to))
                throw Error(ErrorKind::usage, what + fmt::format(": the current table already has a column {}", r.to));
            if (!dt->find_column(r.to))
                throw Error(ErrorKind::usage, what + fmt::format(": the desired table has no column {}", r.to));
            if (dt->find_column(r.from))
                throw Error(ErrorKind::usage, what + fmt::format(": the desired table still has a column {}", r.from));
            auto& m = column_renames[table];
            for (const auto& [f, t] : m)
                if (t == r.to) throw Error(ErrorKind::usage, what + ": two renames give that column");
            m[r.from] = r.to;
        }
        for (const auto& [table, renames] : hints_.columns) {
            const Table* ct = cur_.find(table);
            const Table* dt = des_.find(table);
            if (!ct || !dt) continue;  // a new table: nothing to rename
            for (const auto& [from, to] : renames) {
                auto& m = column_renames[table];
                if (m.count(from)) continue;
                bool target_taken = false;
                for (const auto& [f, t] : m) target_taken = target_taken || t == to;
                if (target_taken) continue;
                if (!ct->find_column(from)) {
                    if (!ct->find_column(to))
                        note(fmt::format("column {}.{}: renamed_from(\"{}\") ignored: there is no column {} to rename",
                                         table, to, from, from));
                    continue;
                }
                if (ct->find_column(to) || dt->find_column(from)) {
                    note(fmt::format("column {}.{}: renamed_from(\"{}\") ignored: both columns exist", table, to,
                                     from));
                    continue;
                }
                m[from] = to;
            }
        }
        for (const auto& [table, renames] : column_renames) {
            // Renames are emitted in the desired table's column order, for a readable script.
            const Table* dt = des_.find(table);
            for (const Column& c : dt->columns)
                for (const auto& [from, to] : renames)
                    if (to == c.name) emit(op::RenameColumn{table, from, to});
        }
    }

    // ---- what changes ------------------------------------------------------------------------
    void analyse() {
        auto cur_names = sorted_names(cur_);
        auto des_names = sorted_names(des_);
        std::set_difference(des_names.begin(), des_names.end(), cur_names.begin(), cur_names.end(),
                            std::inserter(new_, new_.end()));
        std::set_difference(cur_names.begin(), cur_names.end(), des_names.begin(), des_names.end(),
                            std::back_inserter(dropped_));
        std::set_intersection(cur_names.begin(), cur_names.end(), des_names.begin(), des_names.end(),
                              std::back_inserter(kept_));

        // Columns whose type changes, and keys (column sets) that are dropped or rebuilt:
        // a foreign key over either must be dropped and added again around the change.
        for (const std::string& name : kept_) {
            const Table& c = *cur_.find(name);
            const Table& d = *des_.find(name);
            for (const Column& cc : c.columns) {
                const Column* dc = d.find_column(cc.name);
                if (!dc || column_retyped(c, cc, d, *dc)) retyped_[name].insert(cc.name);
            }
            auto& keys = rebuilt_keys_[name];
            if (c.primary_key.columns != d.primary_key.columns && !c.primary_key.columns.empty())
                keys.insert(as_set(c.primary_key.columns));
            for (const UniqueConstraint& u : c.uniques) {
                const UniqueConstraint* du = find_named(d.uniques, u.name);
                if (!du || !(*du == u)) keys.insert(as_set(u.columns));
            }
            for (const Index& i : c.indexes) {
                if (!i.unique) continue;
                const Index* di = find_named(d.indexes, i.name);
                if (!di || !(*di == i)) keys.insert(as_set(i.columns));
            }
        }
    }

    bool kept(const std::string& table) const { return std::binary_search(kept_.begin(), kept_.end(), table); }

    // A foreign key is disturbed when a column on either side changes type or the key
    // it references is dropped or rebuilt.
    bool disturbed(const std::string& table, const ForeignKey& fk) const {
        auto it = retyped_.find(table);
        if (it != retyped_.end())
            for (const auto& c : fk.columns)
                if (it->second.count(c)) return true;
        if (!kept(fk.ref_table)) return false;
        auto rt = retyped_.find(fk.ref_table);
        if (rt != retyped_.end())
            for (const auto& c : fk.ref_columns)
                if (rt->second.count(c)) return true;
        auto rk = rebuilt_keys_.find(fk.ref_table);
        return rk != rebuilt_keys_.end() && rk->second.count(as_set(fk.ref_columns));
    }

    // For a kept table: which current foreign keys stay (matched to a desired one).
    // Matching prefers the same name, then any key with the same signature.
    struct FkMatch {
        std::vector<const ForeignKey*> drop;  // current keys with no match
        std::vector<const ForeignKey*> add;   // desired keys with no match
    };
    FkMatch match_foreign_keys(const std::string& table) const {
        const Table& c = *cur_.find(table);
        const Table& d = *des_.find(table);
        auto cur = by_name(c.foreign_keys);
        auto des = by_name(d.foreign_keys);
        std::vector<bool> cur_used(cur.size(), false), des_used(des.size(), false);
        for (std::size_t j = 0; j < des.size(); ++j) {
            if (disturbed(table, *des[j])) continue;
            for (std::size_t i = 0; i < cur.size(); ++i)
                if (!cur_used[i] && cur[i]->name == des[j]->name && same_signature(*cur[i], *des[j])) {
                    cur_used[i] = des_used[j] = true;
                    break;
                }
        }
        for (std::size_t j = 0; j < des.size(); ++j) {
            if (des_used[j] || disturbed(table, *des[j])) continue;
            for (std::size_t i = 0; i < cur.size(); ++i)
                if (!cur_used[i] && same_signature(*cur[i], *des[j])) {
                    cur_used[i] = des_used[j] = true;
                    break;
                }
        }
        FkMatch m;
        for (std::size_t i = 0; i < cur.size(); ++i)
            if (!cur_used[i]) m.drop.push_back(cur[i]);
        for (std::size_t j = 0; j < des.size(); ++j)
            if (!des_used[j]) m.add.push_back(des[j]);
        return m;
    }

    // ---- step 2 ----------------------------------------------------------------------------
    void drop_foreign_keys() {
        for (const std::string& table : kept_) {
            FkMatch m = match_foreign_keys(table);
            std::vector<ForeignKey> drops;
            for (const ForeignKey* fk : m.drop) drops.push_back(*fk);
            for (const ForeignKey& fk : drops) emit(op::DropForeignKey{table, fk});
            for (const ForeignKey* fk : m.add) fk_adds_.emplace_back(table, *fk);
        }
    }

    // ---- step 3 ----------------------------------------------------------------------------
    void drop_tables() {
        if (dropped_.empty()) return;
        Metadata doomed;
        for (const std::string& name : dropped_) doomed.add(*cur_.find(name));
        auto sorted = doomed.sorted();
        std::vector<std::pair<std::string, ForeignKey>> cycle;
        for (const auto& [t, fk] : sorted.cycle_edges) cycle.emplace_back(t->name, *fk);
        std::vector<std::string> order;
        for (const Table* t : sorted.tables) order.push_back(t->name);
        std::sort(cycle.begin(), cycle.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
        });
        for (const auto& [table, fk] : cycle) emit(op::DropForeignKey{table, fk});
        for (auto it = order.rbegin(); it != order.rend(); ++it) emit(op::DropTable{*cur_.find(*it)});
    }

    // True when `table`.`columns` of the current schema is a key that this diff leaves
    // alone, so a new table's foreign key can reference it at creation time.
    bool stable_key(const std::string& table, const std::vector<std::string>& columns) const {
        if (!kept(table)) return false;
        const Table& c = *cur_.find(table);
        const Table& d = *des_.find(table);
        auto rt = retyped_.find(table);
        for (const auto& col : columns) {
            if (!c.find_column(col) || !d.find_column(col)) return false;
            if (rt != retyped_.end() && rt->second.count(col)) return false;
        }
        auto want = as_set(columns);
        auto rk = rebuilt_keys_.find(table);
        if (rk != rebuilt_keys_.end() && rk->second.count(want)) return false;
        if (!c.primary_key.columns.empty() && as_set(c.primary_key.columns) == want) return true;
        for (const UniqueConstraint& u : c.uniques)
            if (as_set(u.columns) == want) return true;
        for (const Index& i : c.indexes)
            if (i.unique && as_set(i.columns) == want) return true;
        return false;
    }

    // ---- step 4 ----------------------------------------------------------------------------
    void create_tables() {
        if (new_.empty()) return;
        auto sorted = des_.sorted();
        std::map<std::string, std::size_t> position;
        for (std::size_t i = 0; i < sorted.tables.size(); ++i) position[sorted.tables[i]->name] = i;
        for (const Table* dt : sorted.tables) {
            if (!new_.count(dt->name)) continue;
            Table t = clean(*dt);
            std::vector<ForeignKey> inline_fks;
            for (const ForeignKey& fk : t.foreign_keys) {
                bool now = false;
                if (fk.ref_table == t.name)
                    now = true;
                else if (new_.count(fk.ref_table))
                    now = position.count(fk.ref_table) && position[fk.ref_table] < position[t.name];
                else if (des_.find(fk.ref_table))
                    now = stable_key(fk.ref_table, fk.ref_columns);
                else
                    now = true;  // a table outside both schemas: the database will judge
                if (now)
                    inline_fks.push_back(fk);
                else
                    fk_adds_.emplace_back(t.name, fk);
            }
            t.foreign_keys = std::move(inline_fks);
            emit(op::CreateTable{std::move(t)});
        }
    }

    // ---- step 5 ----------------------------------------------------------------------------
    void alter_table(const std::string& name) {
        // Copies: emit() edits cur_, which would invalidate pointers into it.
        const Table c = *cur_.find(name);
        const Table& d = *des_.find(name);

        for (const CheckConstraint* ck : by_name(c.checks)) {
            const CheckConstraint* dk = find_named(d.checks, ck->name);
            if (!dk || !(*dk == *ck)) emit(op::DropCheck{name, *ck});
        }
        for (const UniqueConstraint* u : by_name(c.uniques)) {
            const UniqueConstraint* du = find_named(d.uniques, u->name);
            if (!du || !(*du == *u)) emit(op::DropUnique{name, *u});
        }
        for (const Index* i : by_name(c.indexes)) {
            const Index* di = find_named(d.indexes, i->name);
            if (!di || !(*di == *i)) emit(op::DropIndex{name, *i});
        }
        // Table options first: a column added next takes the new defaults.
        const bool options_change = options_.dialect && options_.dialect->table_options_differ(c, d);
        if (options_change) emit(op::AlterTableOptions{name, c.options, d.options});
        for (const Column& dc : d.columns)
            if (!c.find_column(dc.name)) emit(op::AddColumn{name, clean(dc), std::nullopt});
        if (c.primary_key.columns != d.primary_key.columns)
            emit(op::AlterPrimaryKey{name, c.primary_key, d.primary_key});
        for (const Column& dc : d.columns) {
            const Column* cc = c.find_column(dc.name);
            if (!cc || !column_differs(c, *cc, d, dc)) continue;
            // While the table's options change, a column that takes its charset from
            // them is altered with it written out: reversed, the MODIFY runs before the
            // table's old options are back, and must not take the new ones.
            if (options_change)
                emit(op::AlterColumn{name, options_.dialect->pin_column_options(c, *cc, d),
                                     options_.dialect->pin_column_options(d, clean(dc), c)});
            else
                emit(op::AlterColumn{name, *cc, clean(dc)});
        }
        for (auto it = c.columns.rbegin(); it != c.columns.rend(); ++it)
            if (!d.find_column(it->name)) emit(op::DropColumn{name, *cur_.find(name)->find_column(it->name)});
        if (c.comment != d.comment) emit(op::AlterTableComment{name, c.comment, d.comment});
        for (const Index* i : by_name(d.indexes)) {
            const Index* ci = find_named(c.indexes, i->name);
            if (!ci || !(*ci == *i)) emit(op::CreateIndex{name, *i});
        }
        for (const UniqueConstraint* u : by_name(d.uniques)) {
            const UniqueConstraint* cu = find_named(c.uniques, u->name);
            if (!cu || !(*cu == *u)) emit(op::AddUnique{name, *u});
        }
        for (const CheckConstraint* ck : by_name(d.checks)) {
            const CheckConstraint* cc = find_named(c.checks, ck->name);
            if (!cc || !(*cc == *ck)) emit(op::AddCheck{name, *ck});
        }
    }

    // ---- step 6 ----------------------------------------------------------------------------
    void add_foreign_keys() {
        std::stable_sort(fk_adds_.begin(), fk_adds_.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
        });
        for (const auto& [table, fk] : fk_adds_) emit(op::AddForeignKey{table, fk});
    }

    // ---- views: drops before step 1, creations and replacements after step 6 ---------------
    // A changed view is replaced in place at the end unless a table its old or new
    // definition mentions is changed by this diff: then it is dropped before the table
    // changes (which it might stop) and created after them, and so is every kept view that
    // reads it (PostgreSQL refuses to drop a view others read).
    void diff_views() {
        const std::set<std::string> touched = touched_tables(result_.operations);
        auto mentions_touched = [&](const View& v) {
            for (const std::string& t : touched)
                if (mentions_identifier(v.definition, t)) return true;
            return false;
        };
        std::set<std::string> dropped, created;
        for (const View& c : cur_.views()) {
            const View* d = des_.find_view(c.name);
            if (!d) {
                dropped.insert(c.name);
            } else if (!(*d == c) &&
                       (mentions_touched(c) || mentions_touched(*d) || c.materialized != d->materialized)) {
                dropped.insert(c.name);
                created.insert(c.name);
            }
        }
        for (const View& d : des_.views())
            if (!cur_.find_view(d.name)) created.insert(d.name);
        // Kept views that read a dropped one go and come back with it (until nothing changes).
        for (bool more = true; more;) {
            more = false;
            for (const View& c : cur_.views()) {
                if (dropped.count(c.name) || !des_.find_view(c.name)) continue;
                for (const std::string& gone : dropped)
                    if (mentions_identifier(c.definition, gone)) {
                        dropped.insert(c.name);
                        created.insert(c.name);
                        more = true;
                        break;
                    }
            }
        }
        std::vector<Operation> drops;
        const std::vector<const View*> current_order = sorted_views(cur_.views());
        for (auto it = current_order.rbegin(); it != current_order.rend(); ++it)
            if (dropped.count((*it)->name)) drops.push_back(op::DropView{**it});
        for (Operation& o : drops) strata::apply(cur_, o);
        // After the enum label additions, which run first and outside the transaction.
        auto at = std::find_if(result_.operations.begin(), result_.operations.end(),
                               [](const Operation& o) { return !std::holds_alternative<op::AlterEnumType>(o); });
        result_.operations.insert(at, drops.begin(), drops.end());
        for (const View* d : sorted_views(des_.views())) {
            const View* c = cur_.find_view(d->name);
            if (created.count(d->name) && !c)
                emit(op::CreateView{*d});
            else if (c && !(*c == *d))
                emit(op::ReplaceView{*c, *d});
        }
    }

    // The tables that `operations` create, drop, rename or change.
    static std::set<std::string> touched_tables(const std::vector<Operation>& operations) {
        std::set<std::string> out;
        for (const Operation& operation : operations)
            std::visit(
                [&](const auto& o) {
                    using O = std::decay_t<decltype(o)>;
                    if constexpr (std::is_same_v<O, op::RenameTable>) {
                        out.insert(o.from);
                        out.insert(o.to);
                    } else if constexpr (requires { o.table.name; }) {
                        out.insert(o.table.name);
                    } else if constexpr (requires { std::string(o.table); }) {
                        out.insert(o.table);
                    }
                },
                operation);
        return out;
    }

    Metadata cur_;  // the current schema, edited by every emitted operation
    Metadata des_;
    const DiffOptions& options_;
    RenameHints hints_;
    DiffResult result_;

    std::set<std::string> new_;
    std::vector<std::string> dropped_, kept_;  // sorted
    std::map<std::string, std::set<std::string>> retyped_;
    std::map<std::string, std::set<std::set<std::string>>> rebuilt_keys_;
    std::vector<std::pair<std::string, ForeignKey>> fk_adds_;
};

}  // namespace

namespace {

// Normalization exists to compare; what an operation creates should be what the user
// declared. Otherwise a revision autogenerated against SQLite would carry SQLite's
// spelling (a 64-bit autoincrement key as "integer") and create the wrong type when the
// same file runs on PostgreSQL. Every dialect renders declared columns correctly
// (create_all does exactly that), so only columns are put back: constraint names and
// shapes are kept as compared, because the order of operations depends on them.
void restore_declared_columns(std::vector<Operation>& operations, const Metadata& desired) {
    auto declared = [&](const std::string& table, Column& column) {
        const Table* t = desired.find(table);
        if (!t) return;
        if (const Column* c = t->find_column(column.name)) column = *c;
    };
    for (Operation& operation : operations) {
        if (auto* o = std::get_if<op::CreateTable>(&operation)) {
            for (Column& c : o->table.columns) declared(o->table.name, c);
        } else if (auto* o = std::get_if<op::AddColumn>(&operation)) {
            declared(o->table, o->column);
        } else if (auto* o = std::get_if<op::AlterColumn>(&operation)) {
            // Options the differ wrote out (Dialect::pin_column_options) stay.
            Column compared = o->to;
            declared(o->table, o->to);
            for (const auto& [key, value] : compared.options.values) o->to.options.values.emplace(key, value);
        }
    }
}

// Index expressions and predicates are compared in a canonical form that may drop what
// matters to the index (PostgreSQL's form drops casts: "(doc->>'n')::integer" compares
// equal to "doc->>'n'"), so an operation carries the index as its side declared or
// reflected it, under the name it was compared by: created ones from `desired`,
// dropped ones (which their reverse creates again) from `current`.
void restore_declared_indexes(std::vector<Operation>& operations, const Metadata& current, const Metadata& desired) {
    auto declared = [](const Metadata& side, const std::string& table, Index& index) {
        const Table* t = side.find(table);
        const Index* found = t ? find_named(t->indexes, index.name) : nullptr;
        if (!found) return;
        std::string name = std::move(index.name);
        index = *found;
        index.name = std::move(name);
    };
    for (Operation& operation : operations) {
        if (auto* o = std::get_if<op::CreateTable>(&operation)) {
            for (Index& i : o->table.indexes) declared(desired, o->table.name, i);
        } else if (auto* o = std::get_if<op::CreateIndex>(&operation)) {
            declared(desired, o->table, o->index);
        } else if (auto* o = std::get_if<op::DropIndex>(&operation)) {
            declared(current, o->table, o->index);
        }
    }
}

// Objects neither side models become notes, each once: the same object on both sides
// (or the same name in two databases of one kind) reads the same.
void note_unmodelled(DiffResult& result, const Metadata& current, const Metadata& desired) {
    std::vector<UnmodelledObject> all = current.unmodelled();
    all.insert(all.end(), desired.unmodelled().begin(), desired.unmodelled().end());
    std::stable_sort(all.begin(), all.end());
    std::set<std::string> seen(result.notes.begin(), result.notes.end());
    for (UnmodelledObject& u : all) {
        std::string note = note_text(u);
        if (!seen.insert(note).second) continue;
        result.notes.push_back(std::move(note));
        result.unmodelled.push_back(std::move(u));
    }
    std::sort(result.notes.begin(), result.notes.end());
}

}  // namespace

DiffResult diff(const Metadata& current, const Metadata& desired, const DiffOptions& options) {
    RenameHints hints = hints_of(desired);
    DiffResult result;
    if (!options.dialect) {
        result = Differ(current, desired, options, std::move(hints)).run();
    } else {
        result = Differ(options.dialect->normalize(current), options.dialect->normalize(desired), options,
                        std::move(hints))
                     .run();
        restore_declared_columns(result.operations, desired);
        restore_declared_indexes(result.operations, current, desired);
    }
    note_unmodelled(result, current, desired);
    return result;
}

void add_rename(DiffOptions& options, std::string_view spec) {
    auto eq = spec.find('=');
    auto bad = [&] {
        return Error(ErrorKind::usage,
                     fmt::format("bad rename '{}': use OLD=NEW to rename a table, or TABLE.OLD=NEW to rename a column",
                                 spec));
    };
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size()) throw bad();
    std::string_view left = spec.substr(0, eq);
    std::string to(spec.substr(eq + 1));
    if (to.find('=') != std::string::npos || to.find('.') != std::string::npos) throw bad();
    auto dot = left.find('.');
    if (dot == std::string_view::npos) {
        options.table_renames[std::string(left)] = to;
        return;
    }
    if (dot == 0 || dot + 1 == left.size() || left.find('.', dot + 1) != std::string_view::npos) throw bad();
    options.column_renames.push_back({std::string(left.substr(0, dot)), std::string(left.substr(dot + 1)), to});
}

DiffResult diff_models(const Metadata& current, const Metadata& models, Engine& engine, const DiffOptions& options) {
    DiffResult result = diff(current, canonical_views(models, engine), options);
    auto declared = [&](View& view) {
        if (const View* v = models.find_view(view.name)) view = options.dialect ? options.dialect->normalize(*v) : *v;
    };
    for (Operation& operation : result.operations) {
        if (auto* o = std::get_if<op::CreateView>(&operation)) declared(o->view);
        if (auto* o = std::get_if<op::ReplaceView>(&operation)) declared(o->to);
    }
    return result;
}

DatabaseDiff diff_databases(Engine& from, Engine& to, const DiffOptions& options) {
    DatabaseDiff out;
    out.from = from.dialect().reflect(from.connection());
    out.to = to.dialect().reflect(to.connection());
    DiffOptions o = options;
    if (!o.dialect) o.dialect = &from.dialect();
    out.result = diff(out.from, out.to, o);
    return out;
}

}  // namespace strata
