// Session: the unit of work (SQLAlchemy's Session).
//
//   strata::Session session(engine);                      // models from strata::models()
//   auto alice = session.add(User{.name = "Alice"});      // std::shared_ptr<User>
//   session.add_all({User{.name = "Bob"}, User{.name = "Charlie"}});
//   session.commit();                                     // INSERTs; alice->id is set
//   alice->email = "alice@new.example";
//   session.commit();                                     // UPDATE users SET email = ? WHERE id = ?
//
// Objects: add() takes a model value (or a std::shared_ptr to one) and returns the
// std::shared_ptr the session tracks. The session keeps its objects alive until
// commit()/rollback()/expunge; the caller may keep them longer (they are then detached:
// still readable, no longer tracked once expunged).
//
// Identity map: one object per primary key per session. get<T>(key) and queries return
// the object already in the session for a key; they never overwrite its unflushed
// changes (refresh() discards them). An expired object (after commit, rollback,
// expire(), expire_all()) is read again when handed out; a member the program changed
// since then keeps the program's value.
//
// Server defaults: a column with a server default whose member is an unset
// strata::Defaulted<T> or an empty std::optional is left out of the INSERT; the value
// the database stored is read back into the object during the flush (RETURNING, else
// one SELECT per batch). Plain members are always written.
//
// Flush (explicit, before commit, and before every query / get() miss / lazy load when
// SessionOptions::autoflush): in one transaction (begun lazily at the first write, or
// by begin()):
//   - objects reachable from session objects through relationships are added
//     (cascade save-update);
//   - INSERTs ordered parents before children; objects of one model are batched into
//     multi-row INSERTs sized by Capabilities::max_bind_parameters; generated keys
//     (autoincrement / identity / serial) are written back into the objects and copied
//     into the children's foreign keys;
//   - UPDATEs of the changed columns only, found by comparing each object with the
//     snapshot taken when it was loaded or last flushed (no annotations); an object with
//     no change costs no statement;
//   - association rows of many-to-many collections inserted and deleted;
//   - DELETEs children before parents, with cascade_delete / delete_orphan applied;
//     a deleted object leaves every loaded collection and many-to-one member of the
//     session and is never inserted again unless add() is called with it.
// A failed flush rolls the session back (see rollback()) before the error propagates,
// so the session stays usable; the error names the violated constraint where the
// database reports it. A flush or COMMIT that lost a transaction conflict
// (is_transaction_conflict: deadlock, serialization failure, Galera certification
// conflict) rolls back the whole transaction, savepoints included, and throws an Error of
// the same kind and details saying so, that nothing was committed, and to run the unit of
// work again (strata::run_transaction, orm/transaction_retry.hpp); it never retries itself.
//
// Commit: flush, then COMMIT, then every object is expired
// (SessionOptions::expire_on_commit).
// Rollback: ROLLBACK, then every object returns to the database's state: objects added
// since the transaction began (flushed or not) are expunged with their generated keys
// reset; removed objects are tracked again; loaded objects get their column values back
// from the snapshot and their relationships unloaded; everything is expired.
//
// Connections: a session checks one out of the engine's pool at its first statement and
// returns it at commit, rollback and close, so sessions are independent transactions.
// When the engine's own connection (Engine::connection()) is inside a transaction begun on
// this thread (e.g. a migration running a data fix), the session joins that transaction
// through a savepoint instead.
// Threads: one session per thread on a shared Engine. A session and its objects belong to
// one thread at a time; a call that runs statements while another thread is inside one
// throws Error(usage) rather than share the connection.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <tuple>
#include <typeinfo>
#include <vector>

#include "core/value.hpp"
#include "dialects/engine.hpp"
#include "dialects/sql_text.hpp"
#include "orm/detail/session_core.hpp"
#include "orm/detail/typed_row.hpp"
#include "orm/query.hpp"
#include "orm/registry.hpp"
#include "orm/transaction.hpp"

namespace strata {

struct SessionOptions {
    // Flush pending changes before each query, get() that misses the identity map, and
    // lazy load, so that they see the session's own changes.
    bool autoflush = true;
    // After commit() every loaded object is expired: the next time the session hands it
    // out (query, get, relationship navigation) its columns are read again, and loaded
    // relationship members reload on their next access. Rollback always expires.
    bool expire_on_commit = true;
};

class Session {
public:
    // Uses strata::models(); the registry is finalized here (Error(input) for a bad model).
    explicit Session(Engine engine, SessionOptions options = {});
    Session(Engine engine, Registry& registry, SessionOptions options = {});
    // Rolls back an open transaction; never throws.
    ~Session();
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // ---- objects ------------------------------------------------------------------------------
    // Tracks a new object (INSERT at the next flush) and returns it.
    template <class T>
    std::shared_ptr<T> add(T object) {
        auto p = std::make_shared<T>(std::move(object));
        core_->add(model<T>(), p, true);
        return p;
    }
    // Tracks `object` (new, or one removed earlier: the removal is cancelled).
    template <class T>
    std::shared_ptr<T> add(std::shared_ptr<T> object) {
        if (!object) throw Error(ErrorKind::usage, "Session::add(): the object is null");
        core_->add(model<T>(), object);
        return object;
    }
    template <class T>
    std::vector<std::shared_ptr<T>> add_all(std::vector<T> objects) {
        const detail::ModelMapper& m = model<T>();
        std::vector<std::shared_ptr<T>> out;
        out.reserve(objects.size());
        core_->reserve(m, objects.size());
        for (T& o : objects) {
            auto p = std::make_shared<T>(std::move(o));
            core_->add(m, p, true);
            out.push_back(std::move(p));
        }
        return out;
    }
    template <class T>
    std::vector<std::shared_ptr<T>> add_all(std::initializer_list<T> objects) {
        return add_all(std::vector<T>(objects));
    }
    template <class T>
    void add_all(const std::vector<std::shared_ptr<T>>& objects) {
        const detail::ModelMapper& m = model<T>();
        core_->reserve(m, objects.size());
        for (const auto& p : objects) {
            if (!p) throw Error(ErrorKind::usage, "Session::add_all(): one of the objects is null");
            core_->add(m, p);
        }
    }
    // Marks a loaded object for DELETE at the next flush (a pending one is simply
    // forgotten). Error(usage) when the object is not in this session.
    template <class T>
    void remove(const std::shared_ptr<T>& object) {
        core_->remove(model<T>(), object);
    }
    // The object with this primary key (one value per key column, in key order): from
    // the identity map when there, else loaded; nullptr when no such row.
    template <class T, class... K>
    std::shared_ptr<T> get(const K&... key) {
        static_assert(sizeof...(K) > 0, "strata: get<T>(key...): give the primary key value(s)");
        return std::static_pointer_cast<T>(core_->get(model<T>(), {detail::loose_value(key)...}));
    }
    template <class T>
    Query<T> query() {
        return Query<T>(core_, model<T>());
    }
    // Reloads the object's columns from the database now, discarding its unflushed
    // changes; its relationship members reload on next access. Error(not_found) when the
    // row is gone, Error(usage) when the object is not loaded in this session.
    template <class T>
    void refresh(const std::shared_ptr<T>& object) {
        core_->refresh(model<T>(), object);
    }
    // Marks a loaded object expired: its columns are read again the next time the
    // session hands it out, its unchanged relationship members on their next access.
    // Members the program changed since the last flush keep their values. Error(usage)
    // when the object is not loaded in this session.
    template <class T>
    void expire(const std::shared_ptr<T>& object) {
        core_->expire(model<T>(), object);
    }
    // expire() for every object of the session (what commit() does by default). No SQL.
    void expire_all() noexcept;
    // Stops tracking an object (its unflushed changes are forgotten).
    template <class T>
    void expunge(const std::shared_ptr<T>& object) noexcept {
        core_->expunge(object.get());
    }
    void expunge_all() noexcept;
    template <class T>
    bool contains(const std::shared_ptr<T>& object) const noexcept {
        return core_->contains(object.get());
    }
    // True when a tracked object differs from its snapshot (or is pending).
    template <class T>
    bool is_modified(const std::shared_ptr<T>& object) const {
        return core_->is_modified(object.get());
    }

    // ---- unit of work ---------------------------------------------------------------------------
    void flush();
    void commit();
    // Also valid with no transaction open: then only the session's objects are reset.
    void rollback();
    // Opens the session transaction now. Error(usage) when one is already open (use
    // begin_nested(), or commit/rollback first).
    Transaction begin();
    // Flushes, then opens a savepoint (beginning the transaction first if needed).
    Transaction begin_nested();
    bool in_transaction() const noexcept;
    // Rolls back an open transaction and forgets every object (SQLAlchemy's close()); the
    // session stays usable. Never throws.
    void close() noexcept;

    // ---- raw SQL (SQLAlchemy's text(); docs/orm.md, "Raw SQL") -----------------------------
    // Parameters are written once for every database: positional ? bound from a list of
    // values, or named :name bound from {"name", value} pairs (a name may be used several
    // times); the rules, what is left alone (strings, quoted names, comments, ::casts,
    // dollar quotes) and the errors are in dialects/sql_text.hpp. Values are always bound
    // parameters. Each call translates the parameters (Error(usage), before anything
    // runs), autoflushes, and runs the statement inside the session's transaction
    // (begun if none is open, as a flush would).
    //
    //   session.execute("UPDATE users SET name = ? WHERE id = ?", {"Ann", 7});
    //   session.execute("UPDATE users SET name = :n WHERE id = :id", {{"n", "Ann"}, {"id", 7}});
    //
    // Returns the affected row count. Native placeholders ($1 on PostgreSQL) are refused.
    std::int64_t execute(std::string_view sql, const SqlParams& params = {});
    std::int64_t execute(const SqlText& statement) { return execute(statement.sql(), statement.params()); }

    // The objects of model T a raw SELECT returns (SQLAlchemy's
    // select(User).from_statement(text(...))), through the identity map: a row whose
    // primary key is in the session yields that object (unflushed changes kept, refreshed
    // when expired), others become persistent objects. Result columns are matched to the
    // model's columns by name, in any order (exact name, else ignoring ASCII case);
    // columns the model does not have are ignored. Error(usage) naming them when a
    // column of the model (the primary key included) is missing or appears twice; this
    // is checked on the first row, so a SELECT returning no row never fails on it. Each
    // object appears once, in the order of its first row.
    //
    //   auto users = session.from_sql<User>("SELECT * FROM users WHERE name LIKE :p", {{"p", "A%"}});
    template <class T>
    std::vector<std::shared_ptr<T>> from_sql(std::string_view sql, const SqlParams& params = {}) {
        std::vector<std::shared_ptr<T>> out;
        core_->fetch_sql(model<T>(), sql, params, &out, [](void* ctx, const std::shared_ptr<void>& p) {
            static_cast<std::vector<std::shared_ptr<T>>*>(ctx)->push_back(std::static_pointer_cast<T>(p));
        });
        return out;
    }

    // The rows of a raw SELECT as tuples: element i from result column i, converted as a
    // model member of that type would be (orm/detail/column_traits.hpp); std::optional<T>
    // elements take NULL, strata::Value takes the column as it is. Error(usage) when the
    // row has another number of columns; Error(database) naming the column for a NULL
    // in a non-optional element or a value the type cannot hold.
    //
    //   for (auto& [name, n] : session.sql_rows<std::string, std::int64_t>(
    //            "SELECT name, count(*) FROM users GROUP BY name")) ...
    template <class First, class... Rest>
    std::vector<std::tuple<First, Rest...>> sql_rows(std::string_view sql, const SqlParams& params = {}) {
        std::vector<std::tuple<First, Rest...>> out;
        core_->query_sql(sql, params,
                         [&](const RowView& row) { out.push_back(detail::typed_row<First, Rest...>(row)); });
        return out;
    }
    // The rows of a raw SELECT as strata::Value, with the column names.
    ResultSet sql_rows(std::string_view sql, const SqlParams& params = {});

    // The connection of the session's current transaction, checked out of the engine's
    // pool now if the session holds none. Valid until the session's transaction ends
    // (commit, rollback, close): the connection then goes back to the pool.
    Connection& connection();
    Engine& engine() noexcept;
    Registry& registry() noexcept;

private:
    template <class T>
    const detail::ModelMapper& model() {
        return core_->mapper(detail::type_tag<T>(), typeid(T).name());
    }

    std::shared_ptr<detail::SessionCore> core_;
};

}  // namespace strata
