// Random schema pairs migrated with data on every database: a schema A is generated,
// B is A after a few random edits (tables and columns added, dropped and renamed with
// hints, types widened, nullability and defaults changed, indexes, uniques, checks,
// foreign keys and comments added and dropped). Each pair must migrate through
// execute_plan and through the client script, end with no difference to B, and keep
// every shared row. The seed is fixed, so a failure reproduces; STRATA_RANDOM_SEED
// picks another sequence.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include "migration_check.hpp"
#include "migrations/schema_edit.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using strata::testing::column;

namespace {

class Generator {
public:
    explicit Generator(unsigned seed) : rng_(seed) {}

    int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
    bool chance(int percent) { return pick(100) < percent; }
    template <class V>
    auto& any(V& v) {
        return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
    }
    std::string fresh(const char* prefix) { return fmt::format("{}{}", prefix, counter_++); }

    ColumnType random_type() {
        switch (pick(7)) {
            case 0: return types::integer();
            case 1: return types::big_integer();
            case 2: return types::string(10 + 10 * pick(3));
            case 3: return types::text();
            case 4: return types::boolean();
            case 5: return types::numeric(8, 2);
            default: return types::date();
        }
    }

    std::optional<ServerDefault> random_default(const ColumnType& t) {
        switch (t.kind) {
            case TypeKind::integer:
            case TypeKind::big_integer: return ServerDefault::literal(std::to_string(pick(100)));
            case TypeKind::string: return ServerDefault::literal(chance(50) ? "it's" : "x");
            case TypeKind::boolean: return ServerDefault::literal(chance(50) ? "true" : "false");
            case TypeKind::numeric: return ServerDefault::literal("1.5");
            default: return std::nullopt;  // text and date defaults are not portable to MySQL
        }
    }

    Column random_column(bool may_be_not_null) {
        ColumnType t = random_type();
        Column c = column(fresh("c"), t);
        c.server_default = chance(30) ? random_default(t) : std::nullopt;
        c.nullable = !(may_be_not_null && c.server_default && chance(50));
        return c;
    }

    static bool indexable(const Column& c) {
        return c.type.kind == TypeKind::integer || c.type.kind == TypeKind::big_integer ||
               c.type.kind == TypeKind::string;
    }

    Table random_table(const Metadata& existing) {
        Table t;
        t.name = fresh("t");
        Column id = column("id", types::integer(), false);
        id.autoincrement = chance(50);
        t.columns.push_back(id);
        t.primary_key.columns = {"id"};
        int n = 1 + pick(4);
        for (int i = 0; i < n; ++i) t.columns.push_back(random_column(true));
        for (const Column& c : t.columns)
            if (c.name != "id" && indexable(c) && chance(30)) {
                if (chance(50))
                    t.indexes.push_back(Index{fresh("ix_"), {c.name}, false});
                else
                    t.uniques.push_back(UniqueConstraint{fresh("uq_"), {c.name}});
            }
        if (!existing.empty() && chance(60)) add_reference(t, any(existing.tables()).name);
        if (chance(20)) add_reference(t, t.name);
        return t;
    }

    void add_reference(Table& t, const std::string& target) {
        Column c = column(fresh("ref"), types::integer());
        t.columns.push_back(c);
        t.foreign_keys.push_back(ForeignKey{fresh("fk_"), {c.name}, target, {"id"},
                                            chance(50) ? FkAction::cascade : FkAction::no_action,
                                            FkAction::no_action});
    }

    Metadata random_schema() {
        Metadata m;
        int n = 1 + pick(3);
        for (int i = 0; i < n; ++i) m.add(random_table(m));
        return m;
    }

    // B: A after 1..4 random edits.
    Metadata mutate(const Metadata& a) {
        Metadata b = a;
        int edits = 1 + pick(4);
        for (int i = 0; i < edits; ++i) edit(b, a);
        return b;
    }

private:
    static bool in_key(const Table& t, const std::string& col) {
        for (const ForeignKey& fk : t.foreign_keys)
            if (std::find(fk.columns.begin(), fk.columns.end(), col) != fk.columns.end()) return true;
        return t.is_primary_key(col);
    }

    // Columns other than the key and foreign-key columns.
    std::vector<Column*> plain_columns(Table& t) {
        std::vector<Column*> out;
        for (Column& c : t.columns)
            if (!in_key(t, c.name)) out.push_back(&c);
        return out;
    }

    // True when `column` of `table` in B already exists in A (possibly under its old
    // names): such a column has rows to keep.
    static bool existed(const Metadata& a, const Table& table, const Column& column) {
        const Table* t = a.find(table.renamed_from.empty() ? table.name : table.renamed_from);
        if (!t) t = a.find(table.name);
        if (!t) return false;
        return t->find_column(column.renamed_from.empty() ? column.name : column.renamed_from) != nullptr;
    }

    // Whether some index or unique constraint of `t` already covers exactly `col`.
    static bool keyed(const Table& t, const std::string& col) {
        for (const Index& i : t.indexes)
            if (i.columns == std::vector<std::string>{col}) return true;
        for (const UniqueConstraint& u : t.uniques)
            if (u.columns == std::vector<std::string>{col}) return true;
        return false;
    }

    void edit(Metadata& b, const Metadata& a) {
        std::vector<std::string> names;
        for (const Table& t : b.tables()) names.push_back(t.name);
        if (names.empty()) {
            b.add(random_table(b));
            return;
        }
        Table& t = *b.find(any(names));
        auto plain = plain_columns(t);
        switch (pick(14)) {
            case 0: b.add(random_table(b)); break;
            case 1: {  // drop a table and every reference to it
                if (names.size() < 2) break;
                std::string gone = t.name;
                b.remove(gone);
                for (const Table& other : b.tables()) {
                    Table* o = b.find(other.name);
                    std::erase_if(o->foreign_keys, [&](const ForeignKey& f) { return f.ref_table == gone; });
                }
                break;
            }
            case 2: t.columns.push_back(random_column(true)); break;
            case 3: {  // drop a column (with what uses it)
                if (plain.empty()) break;
                Column gone = *any(plain);
                strata::apply(b, op::DropColumn{t.name, gone});
                break;
            }
            case 4: {  // widen a type
                if (plain.empty()) break;
                Column& c = *any(plain);
                switch (c.type.kind) {
                    case TypeKind::integer: c.type = types::big_integer(); break;
                    case TypeKind::string: c.type = chance(50) ? types::string(*c.type.length + 15) : types::text(); break;
                    case TypeKind::numeric: c.type = types::numeric(12, 2); break;
                    default: break;
                }
                if (c.type.kind == TypeKind::text) {
                    // Not indexable everywhere, and a text default is not portable.
                    c.server_default.reset();
                    std::erase_if(t.indexes, [&](const Index& i) { return i.columns[0] == c.name; });
                    std::erase_if(t.uniques, [&](const UniqueConstraint& u) { return u.columns[0] == c.name; });
                    std::erase_if(t.checks, [&](const CheckConstraint& k) {
                        return rename_identifier(k.expression, c.name, c.name + "_") != k.expression;
                    });
                    c.nullable = true;
                }
                break;
            }
            case 5: {
                if (plain.empty()) break;
                Column& c = *any(plain);
                // A new NOT NULL column needs a default: the table has rows.
                if (c.nullable && !c.server_default && !existed(a, t, c)) break;
                c.nullable = !c.nullable;
                break;
            }
            case 6: {
                if (plain.empty()) break;
                Column& c = *any(plain);
                c.server_default = c.server_default && chance(50) ? std::nullopt : random_default(c.type);
                if (!c.server_default) c.nullable = true;
                break;
            }
            case 7: {  // add, drop or toggle an index
                std::vector<Column*> cols;
                for (Column* c : plain)
                    if (indexable(*c)) cols.push_back(c);
                if (!t.indexes.empty() && chance(50)) {
                    auto& ix = any(t.indexes);
                    if (chance(50))
                        ix.unique = !ix.unique;
                    else
                        t.indexes.erase(t.indexes.begin());
                } else if (!cols.empty()) {
                    std::string col = any(cols)->name;
                    if (!keyed(t, col)) t.indexes.push_back(Index{fresh("ix_"), {col}, false});
                }
                break;
            }
            case 8: {  // add or drop a unique constraint
                std::vector<Column*> cols;
                for (Column* c : plain)
                    if (indexable(*c)) cols.push_back(c);
                if (!t.uniques.empty() && chance(50))
                    t.uniques.erase(t.uniques.begin());
                else if (!cols.empty()) {
                    std::string col = any(cols)->name;
                    if (!keyed(t, col)) t.uniques.push_back(UniqueConstraint{fresh("uq_"), {col}});
                }
                break;
            }
            case 9: {  // add or drop a foreign key
                if (!t.foreign_keys.empty() && chance(50))
                    t.foreign_keys.erase(t.foreign_keys.begin());
                else
                    add_reference(t, any(names));
                break;
            }
            case 10: {  // rename a column, with a hint
                if (plain.empty()) break;
                Column& c = *any(plain);
                std::string old = c.name;
                std::string now = fresh("renamed");
                strata::apply(b, op::RenameColumn{t.name, old, now});
                b.find(t.name)->find_column(now)->renamed_from = old;
                break;
            }
            case 11: {  // rename a table, with a hint
                std::string old = t.name;
                std::string now = fresh("moved");
                strata::apply(b, op::RenameTable{old, now});
                b.find(now)->renamed_from = old;
                break;
            }
            case 12: {  // add or drop a check on an integer column
                std::vector<Column*> cols;
                for (Column* c : plain)
                    if (c->type.kind == TypeKind::integer || c->type.kind == TypeKind::big_integer) cols.push_back(c);
                if (!t.checks.empty() && chance(50))
                    t.checks.erase(t.checks.begin());
                else if (!cols.empty())
                    t.checks.push_back(CheckConstraint{fresh("ck_"), any(cols)->name + " >= 0"});
                break;
            }
            default: {  // comments
                if (chance(50))
                    t.comment = t.comment.empty() ? "table note" : "";
                else if (!plain.empty()) {
                    Column& c = *any(plain);
                    c.comment = c.comment.empty() ? "column note" : "";
                }
                break;
            }
        }
    }

    std::mt19937 rng_;
    int counter_ = 0;
};

unsigned seed() {
    const char* s = std::getenv("STRATA_RANDOM_SEED");
    return s ? static_cast<unsigned>(std::strtoul(s, nullptr, 10)) : 5u;
}

}  // namespace

TEST_CASE("random schema pairs migrate with their data", "[migrate][random]") {
    Generator gen(seed());
    for (int i = 0; i < 12; ++i) {
        Metadata a = gen.random_schema();
        Metadata b = gen.mutate(a);
        INFO("pair " << i << " (seed " << seed() << ")\nA:\n" << a.describe() << "B:\n" << b.describe());
        strata::testing::check_migration(a, b, i % 2 ? strata::testing::Mode::executor
                                                      : strata::testing::Mode::client_script);
    }
}
