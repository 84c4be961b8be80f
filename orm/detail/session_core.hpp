// The non-template engine behind Session, Query and the relationship members. Users
// never touch it; Session (orm/session.hpp) and Query (orm/query.hpp) are its typed
// faces. It only coordinates: the parts live in orm/detail/ (identity_map, unit_of_work,
// persistence, loader, relationship_sync, transactions; docs/architecture.md), the core
// in orm/detail/session_core.cpp, queries in orm/query.cpp. Objects are handled as
// std::shared_ptr<void> with their ModelMapper. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/value.hpp"
#include "orm/assignment.hpp"
#include "dialects/connection.hpp"
#include "dialects/sql_text.hpp"
#include "orm/detail/model_mapper.hpp"
#include "orm/detail/query_spec.hpp"
#include "orm/expression.hpp"

namespace strata {

class Registry;
class Engine;
class Connection;
class Dialect;
struct SessionOptions;

namespace detail {

struct SessionState;
struct ObjectState;

class SessionCore : public std::enable_shared_from_this<SessionCore> {
public:
    SessionCore(Engine engine, Registry& registry, const SessionOptions& options);
    ~SessionCore();
    SessionCore(const SessionCore&) = delete;
    SessionCore& operator=(const SessionCore&) = delete;

    Registry& registry() noexcept;
    Engine& engine() noexcept;
    Connection& connection();
    const ModelMapper& mapper(const void* tag, const char* type_name);

    // ---- objects ------------------------------------------------------------------------
    // `fresh`: the caller just created the object, so it cannot be tracked already.
    void add(const ModelMapper& model, std::shared_ptr<void> object, bool fresh = false);
    void reserve(const ModelMapper& model, std::size_t n);
    void remove(const ModelMapper& model, const std::shared_ptr<void>& object);
    std::shared_ptr<void> get(const ModelMapper& model, std::vector<Value> key);
    void refresh(const ModelMapper& model, const std::shared_ptr<void>& object);
    void expire(const ModelMapper& model, const std::shared_ptr<void>& object);
    void expire_all() noexcept;
    void expunge(const void* object) noexcept;
    void expunge_all() noexcept;
    // Rolls back and forgets every object (Session::close()).
    void reset() noexcept;
    // reset(), then refuses further work (Session's destructor).
    void close() noexcept;
    bool contains(const void* object) const noexcept;
    bool is_modified(const void* object) const;

    // ---- unit of work -------------------------------------------------------------------
    void flush();
    void autoflush();
    void commit();
    void rollback();
    std::uint64_t begin_frame(bool nested);
    void commit_frame(std::uint64_t id);
    void rollback_frame(std::uint64_t id);
    bool frame_active(std::uint64_t id) const noexcept;
    bool in_transaction() const noexcept;

    // ---- raw SQL (portable ? / :name parameters, dialects/sql_text.hpp) --------------------
    // Each: the parameters are translated first (their Error(usage) comes before any
    // flush), then autoflush, then the statement inside the session's transaction.
    std::int64_t execute(std::string_view sql, const SqlParams& params);
    // The objects of `m` a raw SELECT returns, through the identity map, columns matched
    // by name (orm/detail/mapped_row.hpp); each object once, in the order of its first row.
    void fetch_sql(const ModelMapper& m, std::string_view sql, const SqlParams& params, void* context,
                   void (*sink)(void* context, const std::shared_ptr<void>&));
    void query_sql(std::string_view sql, const SqlParams& params, const RowCallback& on_row);
    ResultSet query_sql(std::string_view sql, const SqlParams& params);

    // ---- queries (orm/query.cpp) ----------------------------------------------------------
    std::vector<std::shared_ptr<void>> fetch(const QuerySpec& spec);
    // fetch() handing each object to `sink` (Query<T>::all() fills its typed vector).
    void fetch_each(const QuerySpec& spec, void* context, void (*sink)(void* context, const std::shared_ptr<void>&));
    std::int64_t count(const QuerySpec& spec);
    bool exists(const QuerySpec& spec);
    std::vector<std::vector<Value>> select_rows(const QuerySpec& spec, const std::vector<Expression>& columns);
    // Bulk UPDATE / DELETE of the rows the query matches, without loading them (after an
    // autoflush); loaded objects follow (orm/detail/bulk_writer.hpp). Affected row counts.
    std::int64_t bulk_update(const QuerySpec& spec, const std::vector<Assignment>& set);
    std::int64_t bulk_delete(const QuerySpec& spec);

    // ---- relationship members (orm/query.cpp) ---------------------------------------------
    // Lazy loads (autoflushing first); nothing when the member became current meanwhile.
    void load_related(RelatedBase& member);
    void load_collection(CollectionBase& member);
    void related_assigned(RelatedBase& member, const std::shared_ptr<void>& old_target);
    // A many-to-one member of an object this session does not track was assigned one of
    // its objects: until the owner joins the session (add(), or a collection append) or
    // the member changes or dies, flush() refuses with Error(usage) instead of losing it.
    void note_unreachable(RelatedBase& member);
    void forget_unreachable(const RelatedBase* member) noexcept;
    void collection_appended(CollectionBase& member, const std::shared_ptr<void>& item);
    void collection_removed(CollectionBase& member, const std::shared_ptr<void>& item);

private:
    // The raw statement translated for the dialect, after the autoflush, with the
    // session's transaction open.
    BoundSql prepare_sql(std::string_view sql, const SqlParams& params);
    // Before objects leave the session: weakens the references that would form cycles.
    void break_cycles() noexcept;
    template <class MemberState>
    void lazy_load(const MemberState& member);
    // The state of an object loaded in this session; Error(usage) naming `what` otherwise.
    ObjectState& loaded_state(const ModelMapper& m, const void* object, const char* what);
    // Error(usage) when an untracked object refers to a tracked one (note_unreachable).
    void check_reachable();
    // Lets go of every object; their relationship members no longer reach this session.
    void detach_all() noexcept;
    // After a failed flush: rolls back to the innermost frame (`whole`: the whole session
    // transaction, after a transaction conflict), resets the objects, returns the connection.
    void undo_failed_flush(bool whole);

    std::unique_ptr<SessionState> state_;
};

}  // namespace detail
}  // namespace strata
