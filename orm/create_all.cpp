#include "orm/create_all.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dialects/connection.hpp"
#include "migrations/schema_edit.hpp"

namespace strata {

namespace {

// Every table of the database, strata's own bookkeeping tables included: a declared
// table that happens to share the internal prefix must still be seen as existing.
Metadata existing_schema(const Dialect& dialect, Connection& conn) {
    ReflectOptions all;
    all.internal_prefix.clear();
    all.unmodelled = false;
    return dialect.reflect(conn, all);
}

// Runs `statements` (reflection included, through `work`) in one transaction where
// DDL is transactional and the caller has not opened one already.
template <class Work>
void run_ddl(const Dialect& dialect, Connection& conn, Work&& work) {
    if (!dialect.capabilities().transactional_ddl || conn.in_transaction()) {
        work();
        return;
    }
    conn.begin();
    try {
        work();
        conn.commit();
    } catch (...) {
        // The original error says what failed; a second failure while rolling back
        // (e.g. the connection dropped) would only hide it.
        if (conn.in_transaction()) {
            try {
                conn.rollback();
            } catch (...) {
            }
        }
        throw;
    }
}

void execute_all(Connection& conn, const std::vector<std::string>& statements) {
    for (const std::string& sql : statements) conn.execute_unprepared(sql);
}

// The SQL of one schema-object operation (the dialect refuses those it cannot do).
void render_into(const Dialect& dialect, const Metadata& schema, const Operation& operation,
                 std::vector<std::string>& out) {
    for (SqlStatement& s : dialect.render_operation(operation, RenderContext{schema})) out.push_back(std::move(s.sql));
}

Sequence unowned(Sequence s) {
    s.owned_by_table.clear();
    s.owned_by_column.clear();
    return s;
}

// Enum types (where the database has them; elsewhere enum columns carry their labels),
// domains and sequences that `live` lacks (all of them without checkfirst), to create
// before the tables. Sequences are created without their owner column, which
// owner_statements() sets once the tables exist.
std::vector<std::string> object_creates(const Dialect& dialect, const Metadata& metadata, const Metadata& live,
                                        bool checkfirst, std::vector<const Sequence*>& to_own) {
    std::vector<std::string> out;
    if (dialect.capabilities().named_enum_types)
        for (const EnumType* e : metadata.enum_types().sorted())
            if (!checkfirst || !live.enum_types().find(e->name)) render_into(dialect, metadata, op::CreateEnumType{*e}, out);
    for (const Domain* d : metadata.sorted_domains())
        if (!checkfirst || !live.domains().find(d->name)) render_into(dialect, metadata, op::CreateDomain{*d}, out);
    for (const Sequence* s : metadata.sequences().sorted()) {
        if (checkfirst && live.sequences().find(s->name)) continue;
        render_into(dialect, metadata, op::CreateSequence{unowned(*s)}, out);
        if (s->owned()) to_own.push_back(s);
    }
    return out;
}

}  // namespace

void create_all(const Metadata& metadata, Engine& engine, const CreateOptions& options) {
    metadata.validate();
    const Dialect& dialect = engine.dialect();
    Connection& conn = engine.connection();

    run_ddl(dialect, conn, [&] {
        std::set<std::string> existing, existing_views;
        Metadata live;
        if (options.checkfirst) {
            live = existing_schema(dialect, conn);
            for (const Table& t : live.tables()) existing.insert(t.name);
            for (const View& v : live.views()) existing_views.insert(v.name);
        }
        std::vector<const Sequence*> to_own;
        std::vector<std::string> statements = object_creates(dialect, metadata, live, options.checkfirst, to_own);
        const Metadata::SortedTables order = metadata.sorted();
        std::set<std::string> creating;
        for (const Table* t : order.tables) {
            if (!existing.count(t->name)) creating.insert(t->name);
        }

        // A cycle edge references a table created later in this call. Where ALTER can
        // add the key afterwards it is deferred; otherwise (SQLite, which accepts a
        // reference to a table that does not exist yet) it stays inline.
        std::map<const Table*, std::vector<const ForeignKey*>> deferred;
        std::vector<std::pair<const Table*, const ForeignKey*>> deferred_order;
        if (dialect.capabilities().alter_constraints) {
            for (const auto& [table, fk] : order.cycle_edges) {
                if (creating.count(table->name) && creating.count(fk->ref_table)) {
                    deferred[table].push_back(fk);
                    deferred_order.emplace_back(table, fk);
                }
            }
        }

        for (const Table* t : order.tables) {
            if (!creating.count(t->name)) continue;
            std::vector<std::string> sql;
            auto it = deferred.find(t);
            if (it == deferred.end()) {
                sql = dialect.render_create_table(*t);
            } else {
                Table without = *t;
                without.foreign_keys.clear();
                for (const ForeignKey& fk : t->foreign_keys) {
                    if (std::find(it->second.begin(), it->second.end(), &fk) == it->second.end()) {
                        without.foreign_keys.push_back(fk);
                    }
                }
                sql = dialect.render_create_table(without);
            }
            statements.insert(statements.end(), sql.begin(), sql.end());
        }
        for (const auto& [table, fk] : deferred_order) statements.push_back(dialect.render_add_foreign_key(*table, *fk));
        for (const Sequence* s : to_own) render_into(dialect, metadata, op::AlterSequence{unowned(*s), *s}, statements);
        for (const View* v : sorted_views(metadata.views())) {
            if (existing_views.count(v->name)) continue;
            std::vector<std::string> sql = dialect.render_create_view(*v);
            statements.insert(statements.end(), sql.begin(), sql.end());
        }
        execute_all(conn, statements);
    });
}

void drop_all(const Metadata& metadata, Engine& engine) {
    const Dialect& dialect = engine.dialect();
    Connection& conn = engine.connection();

    run_ddl(dialect, conn, [&] {
        const Metadata live = existing_schema(dialect, conn);
        const Metadata::SortedTables order = metadata.sorted();

        std::vector<const Table*> drops;  // children before parents
        for (auto it = order.tables.rbegin(); it != order.tables.rend(); ++it) {
            if (live.find((*it)->name)) drops.push_back(*it);
        }
        std::map<std::string, std::size_t> position;
        for (std::size_t i = 0; i < drops.size(); ++i) position[drops[i]->name] = i;

        // Views first, those that read others before them: a view would block the drop of
        // what it reads (PostgreSQL).
        std::vector<std::string> statements;
        const std::vector<const View*> views = sorted_views(metadata.views());
        for (auto it = views.rbegin(); it != views.rend(); ++it)
            if (const View* v = live.find_view((*it)->name)) statements.push_back(dialect.render_drop_view(*v));
        // A key from a table dropped later to a table dropped earlier (a cycle, or a
        // database that drifted from the models) would block the earlier drop. The
        // live database's own keys are used, since those are what block.
        if (dialect.capabilities().alter_constraints) {
            for (const Table* t : drops) {
                const Table& actual = *live.find(t->name);
                for (const ForeignKey& fk : actual.foreign_keys) {
                    auto ref = position.find(fk.ref_table);
                    if (fk.ref_table == t->name || ref == position.end()) continue;
                    if (ref->second < position[t->name]) {
                        statements.push_back(dialect.render_drop_foreign_key(actual, fk));
                    }
                }
            }
        }
        for (const Table* t : drops) {
            std::vector<std::string> sql = dialect.render_drop_table(*t);
            statements.insert(statements.end(), sql.begin(), sql.end());
        }
        // Then the objects the tables used, where they exist (dropping a table drops the
        // sequences it owns; DROP SEQUENCE IF EXISTS allows for that).
        for (const Sequence* s : metadata.sequences().sorted())
            if (live.sequences().find(s->name)) render_into(dialect, live, op::DropSequence{*s}, statements);
        std::vector<const Domain*> domains = metadata.sorted_domains();
        for (auto it = domains.rbegin(); it != domains.rend(); ++it)
            if (live.domains().find((*it)->name)) render_into(dialect, live, op::DropDomain{**it}, statements);
        for (const EnumType* e : metadata.enum_types().sorted())
            if (live.enum_types().find(e->name)) render_into(dialect, live, op::DropEnumType{*e}, statements);
        execute_all(conn, statements);
    });
}

Metadata reflect(Engine& engine, const ReflectOptions& options) {
    return engine.dialect().reflect(engine.connection(), options);
}

Metadata canonical_views(const Metadata& metadata, Engine& engine) {
    if (metadata.views().empty()) return metadata;
    Metadata out = metadata;
    for (const View& v : metadata.views())
        *out.find_view(v.name) = engine.dialect().canonical_view(engine.connection(), v);
    return out;
}

}  // namespace strata
