// SessionCore: coordinates the parts of a session (identity map, unit of work, loader,
// relationship sync, transactions) behind Session, Query and the relationship members.
#include "orm/detail/session_core.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "orm/detail/loader.hpp"
#include "orm/detail/mapped_row.hpp"
#include "orm/detail/relationship_sync.hpp"
#include "orm/detail/session_state.hpp"
#include "orm/detail/transaction_conflict.hpp"
#include "orm/detail/transactions.hpp"
#include "orm/detail/unit_of_work.hpp"

namespace strata::detail {

SessionCore::SessionCore(Engine engine, Registry& registry, const SessionOptions& options)
    : state_(std::make_unique<SessionState>(std::move(engine), registry, options)) {
    state_->link->core = this;
    registry.finalize();
}

SessionCore::~SessionCore() { state_->link->core = nullptr; }

Registry& SessionCore::registry() noexcept { return *state_->registry; }
Engine& SessionCore::engine() noexcept { return state_->engine; }
Connection& SessionCore::connection() { return state_->connection(); }

const ModelMapper& SessionCore::mapper(const void* tag, const char* type_name) {
    return state_->registry->mapper(tag, type_name);
}

// ---- objects ----------------------------------------------------------------------------------

void SessionCore::add(const ModelMapper& m, std::shared_ptr<void> object, bool fresh) {
    SessionState& s = *state_;
    s.check_open();
    if (ObjectState* st = fresh ? nullptr : s.objects.find(object.get())) {
        if (st->status == Status::deleted) {  // the removal is cancelled
            st->status = Status::persistent;
            ModelState& ms = s.objects.model(m);
            ms.deleted.erase(std::find(ms.deleted.begin(), ms.deleted.end(), st));
        }
        return;
    }
    // An object this session deleted is inserted again only when added explicitly.
    if (!s.deleted.empty()) s.deleted.erase(object.get());
    RelationshipSync(s).track(std::move(object), m);
}

void SessionCore::reserve(const ModelMapper& m, std::size_t n) { state_->objects.reserve(m, n); }

void SessionCore::remove(const ModelMapper& m, const std::shared_ptr<void>& object) {
    SessionState& s = *state_;
    s.check_open();
    ObjectState* st = object ? s.objects.find(object.get()) : nullptr;
    if (!st)
        throw Error(ErrorKind::usage, fmt::format("{}: remove() of an object that is not in this session; load it "
                                                  "with a query or get() (or add it) first",
                                                  m.describe()));
    if (st->status == Status::pending) {
        if (!m.relationships.empty()) RelationshipSync(s).weaken(*st);
        s.objects.forget(*st);
    } else if (st->status == Status::persistent) {
        st->status = Status::deleted;
        s.objects.model(m).deleted.push_back(st);
    }
}

std::shared_ptr<void> SessionCore::get(const ModelMapper& m, std::vector<Value> key) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    if (key.size() != m.primary_key.size())
        throw Error(ErrorKind::usage, fmt::format("{}: get() needs {} primary key value(s), got {}", m.describe(),
                                                  m.primary_key.size(), key.size()));
    const IdentityKey k = make_identity_key(key);
    // Tracked and not expired: no query. Expired or unknown: read (and refresh) the row.
    auto known = [&]() -> ObjectState* { return s.objects.model(m).identity.find(k); };
    for (bool flushed : {false, true}) {
        if (flushed) autoflush();
        ObjectState* st = known();
        if (st && st->status == Status::deleted) return nullptr;
        if (st && st->epoch == s.epoch()) return st->object;
    }
    ObjectState* found = Loader(s).load_by_key(m, std::move(key));
    if (found) return found->status == Status::deleted ? nullptr : found->object;
    // The row is gone: an expired object still mapped to it leaves the session.
    if (ObjectState* stale = known(); stale && stale->status == Status::persistent) {
        if (!m.relationships.empty()) RelationshipSync(s).weaken(*stale);
        s.objects.forget(*stale);
    }
    return nullptr;
}

ObjectState& SessionCore::loaded_state(const ModelMapper& m, const void* object, const char* what) {
    SessionState& s = *state_;
    s.check_open();
    ObjectState* st = object ? s.objects.find(object) : nullptr;
    if (!st || st->status == Status::pending)
        throw Error(ErrorKind::usage, fmt::format("{}: {}() needs an object loaded in this session", m.describe(), what));
    return *st;
}

void SessionCore::refresh(const ModelMapper& m, const std::shared_ptr<void>& object) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    ObjectState* st = &loaded_state(m, object.get(), "refresh");
    Loader(s).refresh(*st);
    if (st->status == Status::deleted) {
        st->status = Status::persistent;
        ModelState& ms = s.objects.model(m);
        ms.deleted.erase(std::find(ms.deleted.begin(), ms.deleted.end(), st));
    }
}

void SessionCore::expire(const ModelMapper& m, const std::shared_ptr<void>& object) {
    loaded_state(m, object.get(), "expire").epoch = 0;
    // Members the program changed since the last flush keep their changes.
    void* obj = object.get();
    for (const auto& r : m.relationships) {
        if (RelatedBase* rb = r->accessor->related(obj)) {
            if (!rb->internal().modified) rb->internal().unload();
            continue;
        }
        CollectionBase* cb = r->accessor->collection(obj);
        if (!collection_unchanged(*cb)) continue;
        cb->erased_assign({});
        cb->internal().original.clear();
        cb->internal().loaded = false;
    }
}

void SessionCore::expire_all() noexcept { ++state_->link->epoch; }

void SessionCore::expunge(const void* object) noexcept {
    SessionState& s = *state_;
    ObjectState* st = s.objects.find(object);
    if (!st) return;
    if (!st->model->relationships.empty()) RelationshipSync(s).weaken(*st);
    s.objects.forget(*st);
}

void SessionCore::break_cycles() noexcept {
    SessionState& s = *state_;
    RelationshipSync sync(s);
    Registry& reg = *s.registry;
    for (std::size_t mi = 0; mi < reg.model_count() && mi < s.objects.models().size(); ++mi) {
        if (reg.model_at(mi).relationships.empty()) continue;
        for (ObjectState* st : s.objects.models()[mi].members)
            if (st) sync.weaken(*st);
    }
}

void SessionCore::detach_all() noexcept {
    SessionState& s = *state_;
    break_cycles();
    // The journal refers to the states about to go; an open transaction still rolls back
    // in the database, but no object of this session comes back.
    s.journal.clear();
    s.objects.clear();
    s.deleted.clear();
    s.unreachable.clear();
    // Members of the objects let go reach this session no more (lazy loads fail loudly).
    auto next = std::make_shared<SessionLink>();
    next->epoch = s.link->epoch + 1;
    next->core = s.link->core;
    s.link->core = nullptr;
    s.link = std::move(next);
}

void SessionCore::expunge_all() noexcept { detach_all(); }

bool SessionCore::contains(const void* object) const noexcept { return state_->objects.find(object) != nullptr; }

bool SessionCore::is_modified(const void* object) const {
    const ObjectState* st = state_->objects.find(object);
    if (!st) return false;
    if (st->status != Status::persistent) return true;
    const ModelMapper& m = *st->model;
    for (std::size_t c = 0; c < m.columns.size(); ++c)
        if (!st->snapshot.matches(c, *m.columns[c].accessor, object)) return true;
    return false;
}

void SessionCore::reset() noexcept {
    SessionState& s = *state_;
    if (s.closed) return;
    if (!s.frames.empty()) Transactions(s).rollback_to(0, false);
    s.release_connection();
    detach_all();
}

void SessionCore::close() noexcept {
    SessionState& s = *state_;
    if (s.closed) return;
    reset();
    s.closed = true;
    s.link->core = nullptr;
}

// ---- unit of work -----------------------------------------------------------------------------

void SessionCore::flush() {
    SessionState& s = *state_;
    s.check_open();
    if (s.flushing) return;
    SessionUse use(s);
    check_reachable();
    s.flushing = true;
    ++s.flush_count;
    UnitOfWork work(s);
    try {
        work.run();
    } catch (const Error& e) {
        const bool conflict = is_transaction_conflict(e);
        undo_failed_flush(conflict);
        if (conflict) throw conflict_error(e, s.dialect().name(), work.doing());
        if (work.doing().empty() || e.kind() == ErrorKind::usage) throw;
        std::string message = fmt::format("{} (while {}", e.what(), work.doing());
        if (!e.constraint().empty() && message.find(e.constraint()) == std::string::npos)
            message += fmt::format("; constraint {}", e.constraint());
        message += "; the session was rolled back)";
        throw Error(e.kind(), message, e.details());
    } catch (...) {
        undo_failed_flush(false);
        throw;
    }
    s.flushing = false;
}

void SessionCore::undo_failed_flush(bool whole) {
    SessionState& s = *state_;
    s.flushing = false;
    // The database transaction is broken (PostgreSQL refuses further statements) and the
    // objects are half-written: return to the last consistent point. After a conflict that
    // is the start of the transaction, savepoints or not: MySQL and Galera have rolled it
    // all back already, and on PostgreSQL what it read may be outdated, so only the whole
    // unit of work can be run again.
    Transactions tx(s);
    if (!s.frames.empty()) tx.rollback_to(whole ? 0 : s.frames.size() - 1, false);
    else tx.reset_objects();
    s.release_connection();
}

void SessionCore::check_reachable() {
    SessionState& s = *state_;
    for (auto it = s.unreachable.begin(); it != s.unreachable.end();) {
        const RelatedState& rs = it->first->internal();
        std::shared_ptr<void> target = it->second.lock();
        ObjectState* ts = target ? s.objects.find(target.get()) : nullptr;
        if (rs.binding.relationship || !ts || rs.target != target) {  // joined, or no longer ours
            it = s.unreachable.erase(it);
            continue;
        }
        std::string members;
        Registry& reg = *s.registry;
        for (std::size_t mi = 0; mi < reg.model_count(); ++mi)
            for (const auto& r : reg.model_at(mi).relationships)
                if (r->kind == RelationshipKind::many_to_one && r->target == ts->model)
                    members += (members.empty() ? "" : ", ") + r->owner->type_name + "." + r->name;
        throw Error(ErrorKind::usage,
                    fmt::format("an object that is not in the session refers to a {} of the session ({}), so it "
                                "would not be saved: strata only reaches objects it was given; add it with "
                                "session.add(object) or append it to the parent's collection before flushing",
                                ts->model->type_name, members));
    }
}

void SessionCore::autoflush() {
    SessionState& s = *state_;
    if (s.options.autoflush && !s.flushing) flush();
}

void SessionCore::commit() {
    SessionState& s = *state_;
    SessionUse use(s);
    flush();
    try {
        Transactions(s).commit_all();
    } catch (const Error& e) {
        s.release_connection();
        // A Galera certification conflict, or PostgreSQL's serialization failure under
        // SERIALIZABLE, is only found at COMMIT.
        if (is_transaction_conflict(e)) throw conflict_error(e, s.dialect().name(), "committing");
        throw;
    } catch (...) {
        s.release_connection();
        throw;
    }
    s.release_connection();
    if (s.options.expire_on_commit) ++s.link->epoch;
    // Deleted objects nobody holds any more cannot come back: forget them.
    std::erase_if(s.deleted, [](const auto& entry) { return entry.second.expired(); });
}

void SessionCore::rollback() {
    SessionState& s = *state_;
    s.check_open();
    SessionUse use(s);
    Transactions tx(s);
    if (s.frames.empty()) {
        tx.reset_objects();
    } else {
        try {
            tx.rollback_to(0, true);
        } catch (...) {
            s.release_connection();
            throw;
        }
    }
    s.release_connection();
}

std::uint64_t SessionCore::begin_frame(bool nested) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    if (!nested) {
        if (!s.frames.empty())
            throw Error(ErrorKind::usage,
                        "Session::begin(): a transaction is already open in this session (begun earlier or by a "
                        "flush); commit() or rollback() it first, or use begin_nested() for a savepoint");
        s.ensure_transaction();
        return s.frames.back().id;
    }
    flush();
    return Transactions(s).begin_nested();
}

void SessionCore::commit_frame(std::uint64_t id) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    Transactions tx(s);
    if (tx.index_of(id) == 0) {
        commit();
        return;
    }
    flush();
    tx.release(tx.index_of(id));
}

void SessionCore::rollback_frame(std::uint64_t id) {
    SessionUse use(*state_);
    Transactions tx(*state_);
    try {
        tx.rollback_to(tx.index_of(id), true);
    } catch (...) {
        state_->release_connection();
        throw;
    }
    state_->release_connection();
}

bool SessionCore::frame_active(std::uint64_t id) const noexcept {
    for (const Frame& f : state_->frames)
        if (f.id == id) return true;
    return false;
}

bool SessionCore::in_transaction() const noexcept { return !state_->frames.empty(); }

// ---- raw SQL ----------------------------------------------------------------------------------

BoundSql SessionCore::prepare_sql(std::string_view sql, const SqlParams& params) {
    SessionState& s = *state_;
    s.check_open();
    BoundSql bound = bind_sql(sql, params, s.dialect().sql_syntax());
    autoflush();
    s.ensure_transaction();
    return bound;
}

std::int64_t SessionCore::execute(std::string_view sql, const SqlParams& params) {
    SessionUse use(*state_);
    BoundSql bound = prepare_sql(sql, params);
    return state_->connection().execute(bound.sql, bound.params);
}

void SessionCore::fetch_sql(const ModelMapper& m, std::string_view sql, const SqlParams& params, void* context,
                            void (*sink)(void* context, const std::shared_ptr<void>&)) {
    SessionUse use(*state_);
    BoundSql bound = prepare_sql(sql, params);
    SessionState& s = *state_;
    Loader loader(s);
    ModelState& ms = s.objects.model(m);
    std::vector<std::size_t> columns;  // the model's columns in the result, from its first row
    std::unordered_set<ObjectState*> seen;
    s.connection().query(bound.sql, bound.params, [&](const RowView& row) {
        if (columns.empty()) columns = model_columns_in(m, row, "from_sql()");
        ObjectState* o = loader.hydrate(m, ms, MappedRow(row, columns), 0);
        if (seen.insert(o).second) sink(context, o->object);
    });
}

void SessionCore::query_sql(std::string_view sql, const SqlParams& params, const RowCallback& on_row) {
    SessionUse use(*state_);
    BoundSql bound = prepare_sql(sql, params);
    state_->connection().query(bound.sql, bound.params, on_row);
}

ResultSet SessionCore::query_sql(std::string_view sql, const SqlParams& params) {
    SessionUse use(*state_);
    BoundSql bound = prepare_sql(sql, params);
    return state_->connection().query(bound.sql, bound.params);
}

// ---- relationship members ---------------------------------------------------------------------

// Lazy loads of a member (RelatedState or CollectionState): autoflush first, which may
// make it current (a flush resolves assigned relationships), then one query.
template <class MemberState>
void SessionCore::lazy_load(const MemberState& ms) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    auto owner = ms.binding.owner.lock();
    if (!owner) return;
    autoflush();
    if (ms.current()) return;
    Loader(s).load_relationship(*ms.binding.relationship, {owner.get()});
}

void SessionCore::load_related(RelatedBase& member) { lazy_load(member.internal()); }
void SessionCore::load_collection(CollectionBase& member) { lazy_load(member.internal()); }

void SessionCore::related_assigned(RelatedBase& member, const std::shared_ptr<void>& old_target) {
    RelationshipSync(*state_).assigned(member, old_target);
}

void SessionCore::note_unreachable(RelatedBase& member) {
    state_->unreachable[&member] = member.internal().target;
}

void SessionCore::forget_unreachable(const RelatedBase* member) noexcept { state_->unreachable.erase(member); }

void SessionCore::collection_appended(CollectionBase& member, const std::shared_ptr<void>& item) {
    RelationshipSync(*state_).appended(member, item);
}

void SessionCore::collection_removed(CollectionBase& member, const std::shared_ptr<void>& item) {
    RelationshipSync(*state_).removed(member, item);
}

}  // namespace strata::detail
