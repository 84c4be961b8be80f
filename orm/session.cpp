// The unit of work: object tracking, flush (insert / update / delete in dependency
// order), transactions and the journal that lets a rollback return objects to the
// database's state. Queries and relationship loading are in query.cpp.
#include "orm/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <unordered_set>

#include "core/error.hpp"
#include "dialects/statement.hpp"
#include "orm/detail/session_state.hpp"

namespace strata {

namespace detail {

namespace {

void append_raw(std::string& out, const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }

void encode_value(const Value& v, std::string& out) {
    out.push_back(static_cast<char>(v.index()));
    switch (v.index()) {
        case 0: break;
        case 1: out.push_back(std::get<bool>(v) ? 1 : 0); break;
        case 2: {
            std::int64_t i = std::get<std::int64_t>(v);
            append_raw(out, &i, sizeof i);
            break;
        }
        case 3: {
            double d = std::get<double>(v);
            append_raw(out, &d, sizeof d);
            break;
        }
        case 4: {
            const std::string& s = std::get<std::string>(v);
            std::uint64_t n = s.size();
            append_raw(out, &n, sizeof n);
            out += s;
            break;
        }
        case 5: {
            const Blob& b = std::get<Blob>(v);
            std::uint64_t n = b.bytes.size();
            append_raw(out, &n, sizeof n);
            append_raw(out, b.bytes.data(), b.bytes.size());
            break;
        }
        case 6: {
            const Date& d = std::get<Date>(v);
            int parts[3] = {d.year, d.month, d.day};
            append_raw(out, parts, sizeof parts);
            break;
        }
        case 7: {
            const Time& t = std::get<Time>(v);
            int parts[4] = {t.hour, t.minute, t.second, t.microsecond};
            append_raw(out, parts, sizeof parts);
            break;
        }
        default: {
            const DateTime& t = std::get<DateTime>(v);
            int parts[7] = {t.date.year, t.date.month,  t.date.day,        t.time.hour,
                            t.time.minute, t.time.second, t.time.microsecond};
            append_raw(out, parts, sizeof parts);
            break;
        }
    }
}

[[noreturn]] void closed_error() {
    throw Error(ErrorKind::usage, "the session is closed (its Session object was destroyed or moved from)");
}

// Adds table.column to a conversion error raised by ColumnTraits.
}  // namespace

void rethrow_with_column(const Error& e, const ModelMapper& m, std::size_t column) {
    throw Error(e.kind(), fmt::format("{}.{}: {}", m.table.name, m.table.columns[column].name, e.what()),
                e.details());
}

IdentityKey make_identity_key(const Value* values, const std::vector<std::size_t>& columns) {
    IdentityKey k;
    if (columns.size() == 1) {
        if (const auto* i = std::get_if<std::int64_t>(&values[columns[0]])) {
            k.integer = *i;
            return k;
        }
    }
    k.is_integer = false;
    for (std::size_t c : columns) encode_value(values[c], k.bytes);
    return k;
}

IdentityKey make_identity_key(const Value* key_values, std::size_t count) {
    IdentityKey k;
    if (count == 1) {
        if (const auto* i = std::get_if<std::int64_t>(&key_values[0])) {
            k.integer = *i;
            return k;
        }
    }
    k.is_integer = false;
    for (std::size_t i = 0; i < count; ++i) encode_value(key_values[i], k.bytes);
    return k;
}

IdentityKey make_identity_key(const std::vector<Value>& key_values) {
    return make_identity_key(key_values.data(), key_values.size());
}

std::vector<Value> SessionCore::State::values_of(const ModelMapper& m, const void* object,
                                                 const std::vector<std::size_t>& columns) {
    std::vector<Value> out;
    out.reserve(columns.size());
    for (std::size_t c : columns) out.push_back(m.columns[c].accessor->get(object));
    return out;
}

void SessionCore::State::ensure_transaction() {
    if (!frames.empty()) return;
    Connection& c = connection();
    Frame f;
    f.id = next_frame++;
    f.journal_mark = journal.size();
    if (c.in_transaction()) {
        f.savepoint = fmt::format("strata_sp_{}", next_savepoint++);
        c.savepoint(f.savepoint);
    } else {
        c.begin();
        f.owns_transaction = true;
    }
    frames.push_back(std::move(f));
}

void SessionCore::State::attach(ObjectState& s, const IdentityKey& key) { attach(s, key, model(*s.model)); }

void SessionCore::State::attach(ObjectState& s, const IdentityKey& key, ModelState& ms) {
    s.slot = static_cast<std::uint32_t>(ms.members.size());
    ms.members.push_back(&s);
    ms.identity.insert(key, &s);
}

void SessionCore::State::attach(ObjectState& s) { attach(s, make_identity_key(s.snapshot, s.model->primary_key)); }

void SessionCore::State::weaken(ObjectState& st) noexcept {
    void* obj = st.object.get();
    for (const auto& r : st.model->relationships) {
        if (!r->back) continue;
        auto weaken_related = [](RelatedBase* rb) {
            rb->weak_target_ = rb->target_;
            rb->target_.reset();
        };
        if (RelatedBase* rb = r->accessor->related(obj)) {
            if (!rb->target_) continue;
            CollectionBase* bc = r->back->accessor->collection(rb->target_.get());
            if (bc && bc->loaded_ && bc->erased_contains(obj)) weaken_related(rb);
            continue;
        }
        CollectionBase* cb = r->accessor->collection(obj);
        if (!cb->loaded_) continue;
        if (r->kind == RelationshipKind::one_to_many) {
            for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) {
                RelatedBase* rb = r->back->accessor->related(cb->erased_at(k).get());
                if (rb && rb->target_.get() == obj) weaken_related(rb);
            }
            continue;
        }
        // Many-to-many: a pair of loaded collections holding each other; this side lets go.
        bool mirrored = false;
        for (std::size_t k = 0, n = cb->erased_size(); k < n && !mirrored; ++k) {
            CollectionBase* bc = r->back->accessor->collection(cb->erased_at(k).get());
            mirrored = bc->loaded_ && bc->erased_contains(obj);
        }
        if (!mirrored) continue;
        cb->erased_assign({});
        cb->original_.clear();
        cb->loaded_ = false;
    }
}

void SessionCore::State::forget(ObjectState& s, std::vector<Value>* keep) noexcept {
    if (!s.model->relationships.empty()) weaken(s);
    ModelState& ms = model(*s.model);
    if (s.status == Status::pending) {
        auto it = std::find(ms.pending.begin(), ms.pending.end(), &s);
        if (it != ms.pending.end()) ms.pending.erase(it);
    } else {
        if (s.snapshot) ms.identity.erase(make_identity_key(s.snapshot, s.model->primary_key), &s);
        if (s.slot < ms.members.size() && ms.members[s.slot] == &s) {
            ms.members[s.slot] = nullptr;
            ++ms.dead;
        }
        if (s.status == Status::deleted) {
            auto d = std::find(ms.deleted.begin(), ms.deleted.end(), &s);
            if (d != ms.deleted.end()) ms.deleted.erase(d);
        }
        // Keep iteration cheap once many objects are gone.
        if (ms.dead > 64 && ms.dead * 2 > ms.members.size()) {
            std::size_t w = 0;
            for (ObjectState* p : ms.members) {
                if (!p) continue;
                p->slot = static_cast<std::uint32_t>(w);
                ms.members[w++] = p;
            }
            ms.members.resize(w);
            ms.dead = 0;
        }
    }
    if (s.snapshot) {
        ModelState& ms = model(*s.model);
        if (keep) keep->assign(std::make_move_iterator(s.snapshot), std::make_move_iterator(s.snapshot + s.model->columns.size()));
        ms.snapshots.release(s.snapshot);
        s.snapshot = nullptr;
    }
    if (s.indexed) index.erase(s.object.get(), &s);
    release_state(&s);
}

void SessionCore::State::bind(ObjectState& s) {
    std::weak_ptr<SessionCore> me = core->weak_from_this();
    void* obj = s.object.get();
    bool pending = s.status == Status::pending;
    for (const auto& r : s.model->relationships) {
        if (RelatedBase* rb = r->accessor->related(obj)) {
            rb->binding_ = {me, r.get(), s.object};
            if (!pending) {
                rb->target_.reset();
                rb->loaded_ = false;
                rb->modified_ = false;
            }
        } else if (CollectionBase* cb = r->accessor->collection(obj)) {
            cb->binding_ = {me, r.get(), s.object};
            if (pending) {
                cb->loaded_ = true;
            } else {
                cb->erased_assign({});
                cb->loaded_ = false;
                cb->original_.clear();
            }
        }
    }
}

// ---- the unit of work ----------------------------------------------------------------------

// The flush proper. A class of its own so the passes can share state without
// passing it through every call.
class Flusher {
public:
    explicit Flusher(SessionCore::State& s) : s_(s), dialect_(s.dialect()) {}

    // What the flush was doing when a statement failed, for the error message.
    const std::string& doing() const noexcept { return doing_; }

    void run() {
        cascade_save_update();
        process_collection_removals();
        expand_deletes();
        std::vector<const ModelMapper*> order = models_in_order();
        for (const ModelMapper* m : order) {
            ModelState& ms = s_.model(*m);
            if (ms.pending.empty() && ms.members.size() == ms.dead) continue;
            insert_pending(*m, ms);
            sync_many_to_one(*m, ms, nullptr);
            sync_one_to_many_into(*m);
            update_dirty(*m, ms);
        }
        association_changes();
        for (auto it = order.rbegin(); it != order.rend(); ++it) delete_objects(**it, s_.model(**it));
        post_flush(order);
    }

private:
    SessionCore::State& s_;
    const Dialect& dialect_;
    std::vector<Value> params_;
    std::string doing_;

    Connection& conn() { return s_.connection(); }
    const Capabilities& caps() { return conn().capabilities(); }

    std::vector<const ModelMapper*> models_in_order() {
        std::vector<const ModelMapper*> order;
        Registry& reg = *s_.registry;
        for (std::size_t i = 0; i < reg.model_count(); ++i) order.push_back(&reg.model_at(i));
        std::stable_sort(order.begin(), order.end(),
                         [](const ModelMapper* a, const ModelMapper* b) { return a->flush_rank < b->flush_rank; });
        return order;
    }

    // Every tracked object of a model that relationships may touch (pending + persistent).
    template <class F>
    void each_object(const ModelMapper& m, F&& f) {
        ModelState& ms = s_.model(m);
        for (std::size_t i = 0; i < ms.members.size(); ++i)
            if (ObjectState* st = ms.members[i]; st && st->status == Status::persistent) f(*st);
        for (std::size_t i = 0; i < ms.pending.size(); ++i) f(*ms.pending[i]);
    }

    ObjectState& track(const std::shared_ptr<void>& object, const ModelMapper& m) {
        if (ObjectState* st = s_.find(object.get())) return *st;
        ObjectState& st = s_.create(object, m, Status::pending);
        s_.model(m).pending.push_back(&st);
        s_.bind(st);
        return st;
    }

    // 1. Objects reachable through relationships with save-update cascade join the session.
    void cascade_save_update() {
        std::vector<ObjectState*> work;
        Registry& reg = *s_.registry;
        for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
            const ModelMapper& m = reg.model_at(mi);
            if (m.relationships.empty()) continue;
            each_object(m, [&](ObjectState& st) { work.push_back(&st); });
        }
        while (!work.empty()) {
            ObjectState* st = work.back();
            work.pop_back();
            void* obj = st->object.get();
            for (const auto& r : st->model->relationships) {
                if (!r->cascade_save_update) continue;
                auto visit = [&](const std::shared_ptr<void>& target) {
                    if (!target || s_.find(target.get())) return;
                    ObjectState& added = track(target, *r->target);
                    if (!added.model->relationships.empty()) work.push_back(&added);
                };
                if (RelatedBase* rb = r->accessor->related(obj)) {
                    if (rb->loaded_) visit(rb->target_);
                } else if (CollectionBase* cb = r->accessor->collection(obj)) {
                    if (!cb->loaded_) continue;
                    for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i) visit(cb->erased_at(i));
                }
            }
        }
    }

    void set_columns(const ModelMapper& m, void* object, const std::vector<std::size_t>& columns,
                     const std::vector<Value>& values, const char* why) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const ColumnAccessor& a = *m.columns[columns[i]].accessor;
            if (a.equals(object, values[i])) continue;
            if (is_null(values[i]) && !a.nullable())
                throw Error(ErrorKind::usage,
                            fmt::format("{}: {} would set {}.{} to NULL, but its member cannot hold NULL; delete the "
                                        "object, give it another parent, or declare the relationship with "
                                        "strata::delete_orphan",
                                        m.describe(), why, m.table.name, m.table.columns[columns[i]].name));
            try {
                a.set(object, values[i]);
            } catch (const Error& e) {
                rethrow_with_column(e, m, columns[i]);
            }
        }
    }

    static std::vector<Value> nulls(std::size_t n) { return std::vector<Value>(n); }

    // 2. Children removed from one-to-many collections: deleted (delete_orphan) or
    //    detached (foreign key NULL), unless another parent took them.
    void process_collection_removals() {
        Registry& reg = *s_.registry;
        for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
            const ModelMapper& m = reg.model_at(mi);
            for (const auto& r : m.relationships) {
                if (r->kind != RelationshipKind::one_to_many) continue;
                std::vector<std::pair<ObjectState*, std::shared_ptr<void>>> removed;
                each_object(m, [&](ObjectState& owner) {
                    CollectionBase* cb = r->accessor->collection(owner.object.get());
                    if (!cb->loaded_ || cb->original_.empty()) return;
                    for (const auto& item : cb->original_)
                        if (!cb->erased_contains(item.get())) removed.emplace_back(&owner, item);
                });
                if (removed.empty()) continue;
                std::unordered_set<const void*> adopted;
                each_object(m, [&](ObjectState& owner) {
                    CollectionBase* cb = r->accessor->collection(owner.object.get());
                    if (!cb->loaded_) return;
                    for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i) adopted.insert(cb->erased_at(i).get());
                });
                for (auto& [owner, item] : removed) {
                    if (adopted.count(item.get())) continue;
                    ObjectState* child = s_.find(item.get());
                    if (!child || child->status == Status::deleted) continue;
                    if (r->delete_orphan) {
                        mark_deleted(*child);
                        continue;
                    }
                    set_columns(*r->target, item.get(), r->target_columns, nulls(r->target_columns.size()),
                                fmt::format("removing it from {}", r->describe()).c_str());
                    if (r->back) {
                        RelatedBase* rb = r->back->accessor->related(item.get());
                        if (rb->target_.get() == owner->object.get()) {
                            rb->target_.reset();
                            rb->loaded_ = true;
                            rb->modified_ = false;
                        }
                    }
                }
            }
        }
    }

    void mark_deleted(ObjectState& st) {
        if (st.status == Status::pending) {
            s_.forget(st);
            return;
        }
        if (st.status == Status::deleted) return;
        st.status = Status::deleted;
        s_.model(*st.model).deleted.push_back(&st);
    }

    // 3. Deleting a parent: cascade_delete deletes its children, otherwise their
    //    nullable foreign keys are cleared (a NOT NULL one is left to the database's
    //    ON DELETE rule).
    void expand_deletes() {
        std::vector<ObjectState*> work;
        for (ModelState& ms : s_.models)
            for (ObjectState* st : ms.deleted) work.push_back(st);
        while (!work.empty()) {
            ObjectState* d = work.back();
            work.pop_back();
            for (const auto& r : d->model->relationships) {
                if (r->kind != RelationshipKind::one_to_many) continue;
                CollectionBase* cb = r->accessor->collection(d->object.get());
                if (!cb->loaded_) s_.core->load_collection(*cb);
                for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i) {
                    std::shared_ptr<void> item = cb->erased_at(i);
                    ObjectState* child = s_.find(item.get());
                    if (!child || child->status == Status::deleted) continue;
                    if (r->cascade_delete) {
                        bool was_pending = child->status == Status::pending;
                        mark_deleted(*child);
                        if (!was_pending) work.push_back(child);
                        continue;
                    }
                    bool can_null = true;
                    for (std::size_t c : r->target_columns)
                        can_null = can_null && r->target->columns[c].accessor->nullable();
                    if (can_null) {
                        set_columns(*r->target, item.get(), r->target_columns, nulls(r->target_columns.size()),
                                    "deleting its parent");
                        if (r->back) {
                            RelatedBase* rb = r->back->accessor->related(item.get());
                            if (rb->target_ == d->object) {
                                rb->target_.reset();
                                rb->loaded_ = true;
                                rb->modified_ = false;
                            }
                        }
                    }
                }
            }
        }
    }

    // Foreign keys of `m`'s objects from their Related<> targets (assigned since load).
    // With `only`, just those objects.
    void sync_many_to_one(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>* only) {
        for (const auto& r : m.relationships) {
            if (r->kind != RelationshipKind::many_to_one) continue;
            auto sync = [&](ObjectState& st) {
                if (st.status == Status::deleted) return;
                RelatedBase* rb = r->accessor->related(st.object.get());
                bool follow = rb->modified_ || (st.status == Status::pending && rb->loaded_ && rb->target_);
                if (!follow) return;
                if (!rb->target_) {
                    set_columns(m, st.object.get(), r->owner_columns, nulls(r->owner_columns.size()),
                                fmt::format("setting {} to null", r->describe()).c_str());
                    return;
                }
                ObjectState* t = s_.find(rb->target_.get());
                if (!t)
                    throw Error(ErrorKind::usage,
                                fmt::format("{}: the related object is not in the session (save-update cascade is "
                                            "off); add it to the session first",
                                            r->describe()));
                if (t->status == Status::pending)
                    throw Error(ErrorKind::usage,
                                fmt::format("{}: the related {} object is not inserted yet and must be inserted "
                                            "after this one (a cycle of foreign keys between pending objects); "
                                            "flush the parent first",
                                            r->describe(), r->target->type_name));
                set_columns(m, st.object.get(), r->owner_columns,
                            SessionCore::State::values_of(*r->target, t->object.get(), r->target_columns),
                            r->describe().c_str());
            };
            if (only) {
                for (ObjectState* st : *only) sync(*st);
            } else {
                for (std::size_t i = 0; i < ms.members.size(); ++i)
                    if (ObjectState* st = ms.members[i]) sync(*st);
            }
        }
    }

    // Foreign keys of children of model `child` from the one-to-many collections that
    // hold them (owners must already have their keys).
    void sync_one_to_many_into(const ModelMapper& child) {
        Registry& reg = *s_.registry;
        for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
            const ModelMapper& m = reg.model_at(mi);
            for (const auto& r : m.relationships) {
                if (r->kind != RelationshipKind::one_to_many || r->target != &child) continue;
                ModelState& ms = s_.model(m);
                for (std::size_t i = 0; i < ms.members.size(); ++i) {
                    ObjectState* owner = ms.members[i];
                    if (!owner || owner->status != Status::persistent) continue;
                    CollectionBase* cb = r->accessor->collection(owner->object.get());
                    if (!cb->loaded_ || cb->erased_size() == 0) continue;
                    std::vector<Value> key = SessionCore::State::values_of(m, owner->object.get(), r->owner_columns);
                    for (std::size_t j = 0, n = cb->erased_size(); j < n; ++j) {
                        std::shared_ptr<void> item = cb->erased_at(j);
                        ObjectState* cs = s_.find(item.get());
                        if (!cs || cs->status == Status::deleted) continue;
                        set_columns(child, item.get(), r->target_columns, key, r->describe().c_str());
                        if (r->back) {
                            RelatedBase* rb = r->back->accessor->related(item.get());
                            if (rb->target_ != owner->object) {
                                rb->target_ = owner->object;
                                rb->loaded_ = true;
                                rb->modified_ = false;
                            }
                        }
                    }
                }
            }
        }
    }

    // 4a. INSERTs of the pending objects of `m`. Objects of one model referring to each
    //     other (self-referential relationships) go in waves, parents first.
    void insert_pending(const ModelMapper& m, ModelState& ms) {
        if (ms.pending.empty()) return;
        // ms.pending keeps listing the objects until all are in, so a failure midway
        // still finds (and forgets) the ones not inserted.
        std::vector<ObjectState*> todo = ms.pending;
        bool self_ref = false;
        for (const auto& r : m.relationships) self_ref = self_ref || r->target == &m;
        if (!self_ref) {
            sync_many_to_one(m, ms, &todo);
            sync_one_to_many_into(m);
            insert_objects(m, ms, todo);
            ms.pending.clear();
            return;
        }
        while (!todo.empty()) {
            std::unordered_set<const void*> waiting;
            for (ObjectState* st : todo) waiting.insert(st->object.get());
            std::unordered_set<const void*> blocked;
            for (ObjectState* st : todo) {
                for (const auto& r : m.relationships) {
                    if (r->target != &m) continue;
                    if (RelatedBase* rb = r->accessor->related(st->object.get())) {
                        if (rb->target_ && rb->target_.get() != st->object.get() && waiting.count(rb->target_.get()))
                            blocked.insert(st->object.get());
                    } else if (CollectionBase* cb = r->accessor->collection(st->object.get())) {
                        if (r->kind != RelationshipKind::one_to_many || !cb->loaded_) continue;
                        for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i) {
                            const void* c = cb->erased_at(i).get();
                            if (c != st->object.get()) blocked.insert(c);
                        }
                    }
                }
            }
            std::vector<ObjectState*> ready, rest;
            for (ObjectState* st : todo) (blocked.count(st->object.get()) ? rest : ready).push_back(st);
            if (ready.empty())
                throw Error(ErrorKind::usage, fmt::format("{}: the pending objects refer to each other in a cycle, so "
                                                          "no INSERT order exists; break the cycle and flush twice",
                                                          m.describe()));
            sync_many_to_one(m, ms, &ready);
            sync_one_to_many_into(m);
            insert_objects(m, ms, ready);
            todo = std::move(rest);
        }
        ms.pending.clear();
    }

    const std::string& insert_sql(const ModelMapper& m, ModelState& ms, const std::vector<std::size_t>& cols,
                                  std::size_t rows, bool generated, bool returning) {
        std::uint64_t key = (static_cast<std::uint64_t>(rows) << 2) | (generated ? 2u : 0u) | (returning ? 1u : 0u);
        auto it = ms.insert_sql.find(key);
        if (it != ms.insert_sql.end()) return it->second;
        sql::InsertStatement st;
        st.table = m.table.name;
        for (std::size_t c : cols) st.columns.push_back(m.table.columns[c].name);
        st.rows = rows;
        if (returning) st.returning = {m.table.columns[*m.generated_key].name};
        return ms.insert_sql.emplace(key, dialect_.render(st)).first->second;
    }

    void insert_objects(const ModelMapper& m, ModelState& ms, std::vector<ObjectState*>& objects) {
        if (objects.empty()) return;
        s_.ensure_transaction();
        std::vector<ObjectState*> generated, explicit_keys;
        for (ObjectState* st : objects) {
            bool gen = m.generated_key && m.columns[*m.generated_key].accessor->is_unset(st->object.get());
            (gen ? generated : explicit_keys).push_back(st);
        }
        // Explicit keys first, so that the database's counters move past them.
        insert_shape(m, ms, explicit_keys, false);
        insert_shape(m, ms, generated, true);
    }

    void insert_shape(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects, bool generated) {
        if (objects.empty()) return;
        const std::size_t ncols = m.columns.size();
        std::vector<std::size_t> cols;
        cols.reserve(ncols);
        for (std::size_t i = 0; i < ncols; ++i)
            if (!(generated && i == *m.generated_key)) cols.push_back(i);
        const bool returning = generated && caps().returning;
        // One statement carries as many rows as the bind-parameter limit allows (capped:
        // beyond a few hundred rows a longer statement only costs parse time).
        std::size_t max_rows = cols.empty() ? 1 : std::max<std::size_t>(1, caps().max_bind_parameters / cols.size());
        max_rows = std::min<std::size_t>(max_rows, 500);
        if (generated && !returning) max_rows = 1;  // one key per statement from last_insert_id()
        std::vector<Value> keys;
        const std::uint64_t frame = s_.frames.back().id;
        ms.members.reserve(ms.members.size() + objects.size());
        ms.identity.reserve(ms.members.size() + objects.size());
        for (std::size_t start = 0; start < objects.size();) {
            std::size_t rows = std::min(max_rows, objects.size() - start);
            const std::string& sql = insert_sql(m, ms, cols, rows, generated, returning);
            params_.clear();
            params_.reserve(rows * cols.size());
            for (std::size_t r = 0; r < rows; ++r) {
                const void* obj = objects[start + r]->object.get();
                for (std::size_t c : cols) params_.push_back(m.columns[c].accessor->get(obj));
            }
            keys.clear();
            doing_ = fmt::format("inserting into {} ({})", m.table.name, m.type_name);
            if (returning) {
                conn().query(sql, params_, [&](const RowView& row) {
                    Cell key = row.cell(0);
                    if (key.kind == Cell::Kind::integer) keys.emplace_back(key.integer);
                    else keys.push_back(row.get(0));
                });
                if (keys.size() != rows)
                    throw Error(ErrorKind::database,
                                fmt::format("INSERT into {} returned {} generated keys for {} rows", m.table.name,
                                            keys.size(), rows),
                                ErrorDetails{.sql = sql});
                // Keys come from a counter that increases through the statement, so in
                // ascending order they match the VALUES rows whatever order RETURNING used.
                bool all_int = std::all_of(keys.begin(), keys.end(),
                                           [](const Value& v) { return std::holds_alternative<std::int64_t>(v); });
                auto ascending = [](const Value& a, const Value& b) {
                    return std::get<std::int64_t>(a) < std::get<std::int64_t>(b);
                };
                // Usually they arrive in order already (SQLite, PostgreSQL): no sort then.
                if (all_int && !std::is_sorted(keys.begin(), keys.end(), ascending))
                    std::sort(keys.begin(), keys.end(), ascending);
            } else {
                conn().execute(sql, params_);
                if (generated) keys.emplace_back(conn().last_insert_id());
            }
            for (std::size_t r = 0; r < rows; ++r) {
                ObjectState& st = *objects[start + r];
                void* obj = st.object.get();
                if (generated) {
                    std::size_t g = *m.generated_key;
                    try {
                        m.columns[g].accessor->load(obj, keys[r]);
                    } catch (const Error& e) {
                        rethrow_with_column(e, m, g);
                    }
                }
                Value* snap = ms.snapshots.make();
                for (std::size_t k = 0; k < cols.size(); ++k)
                    new (&snap[cols[k]]) Value(std::move(params_[r * cols.size() + k]));
                if (generated) new (&snap[*m.generated_key]) Value(std::move(keys[r]));
                st.snapshot = snap;
                st.status = Status::persistent;
                st.inserted_in_flush = s_.flush_count;
                st.inserted_frame = frame;
                st.generated_key = generated;
                s_.attach(st);
            }
            start += rows;
        }
    }

    // 4b. UPDATE of the changed columns of each loaded object.
    void update_dirty(const ModelMapper& m, ModelState& ms) {
        const std::size_t ncols = m.columns.size();
        std::vector<std::size_t> changed, last_changed;
        std::string shape;
        const std::string* last_sql = nullptr;  // objects changed alike share one statement
        bool described = false;
        for (std::size_t i = 0; i < ms.members.size(); ++i) {
            ObjectState* st = ms.members[i];
            if (!st || st->status != Status::persistent || st->inserted_in_flush == s_.flush_count) continue;
            const void* obj = st->object.get();
            changed.clear();
            for (std::size_t c = 0; c < ncols; ++c)
                if (!m.columns[c].accessor->equals(obj, st->snapshot[c])) changed.push_back(c);
            if (changed.empty()) continue;
            for (std::size_t c : changed)
                if (std::find(m.primary_key.begin(), m.primary_key.end(), c) != m.primary_key.end())
                    throw Error(ErrorKind::usage,
                                fmt::format("{}: the primary key column \"{}\" of a loaded object was changed; "
                                            "changing keys is not supported: delete the object and add a new one",
                                            m.describe(), m.table.columns[c].name));
            if (!last_sql || changed != last_changed) {
                shape.clear();
                for (std::size_t c : changed) {
                    shape.push_back(static_cast<char>(c & 0xff));
                    shape.push_back(static_cast<char>((c >> 8) & 0xff));
                }
                auto it = ms.update_sql.find(shape);
                if (it == ms.update_sql.end()) {
                    sql::UpdateStatement u;
                    u.table = m.table.name;
                    for (std::size_t c : changed) u.set.push_back({m.table.columns[c].name, sql::Expr::param(Value())});
                    std::vector<sql::Expr> where;
                    for (std::size_t k : m.primary_key)
                        where.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col("", m.table.columns[k].name),
                                                           sql::Expr::param(Value())));
                    u.where = sql::Expr::all_of(std::move(where));
                    std::vector<Value> ignored;
                    it = ms.update_sql.emplace(shape, dialect_.render(u, ignored)).first;
                }
                last_sql = &it->second;
                last_changed = changed;
            }
            params_.clear();
            for (std::size_t c : changed) params_.push_back(m.columns[c].accessor->get(obj));
            for (std::size_t k : m.primary_key) params_.push_back(st->snapshot[k]);
            s_.ensure_transaction();
            if (!described) {
                doing_ = fmt::format("updating {} ({})", m.table.name, m.type_name);
                described = true;
            }
            conn().execute(*last_sql, params_);
            JournalEntry j;
            j.kind = JournalEntry::Kind::updated;
            j.object = st->object;
            j.model = &m;
            j.offset = s_.journal.values.size();
            j.count = static_cast<std::uint32_t>(changed.size());
            for (std::size_t k = 0; k < changed.size(); ++k) {
                s_.journal.columns.push_back(static_cast<std::uint32_t>(changed[k]));
                s_.journal.values.push_back(std::move(st->snapshot[changed[k]]));
                st->snapshot[changed[k]] = std::move(params_[k]);
            }
            s_.journal.entries.push_back(std::move(j));
        }
    }

    // 5. Association rows of many-to-many collections; a pair changed from both sides
    //    (back_populates) is written once.
    void association_changes() {
        struct PairWrite {
            const RelationshipMapping* r;
            std::vector<std::string> columns;
            std::vector<Value> values;
        };
        std::vector<PairWrite> inserts, deletes;
        std::unordered_set<std::string> seen;
        auto record = [&](std::vector<PairWrite>& into, const char* op, const RelationshipMapping& r,
                          std::vector<std::string> columns, std::vector<Value> values) {
            // Canonical identity of the row: table, then column=value sorted by column.
            std::vector<std::size_t> order(columns.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return columns[a] < columns[b]; });
            std::string key = std::string(op) + '\0' + r.secondary + '\0';
            for (std::size_t i : order) {
                key += columns[i];
                key += '\0';
                encode_value(values[i], key);
            }
            if (!seen.insert(key).second) return;
            into.push_back({&r, std::move(columns), std::move(values)});
        };
        auto pair_of = [&](const RelationshipMapping& r, const void* owner, const void* target,
                           std::vector<std::string>& columns, std::vector<Value>& values) {
            columns = r.secondary_owner_columns;
            columns.insert(columns.end(), r.secondary_target_columns.begin(), r.secondary_target_columns.end());
            values = SessionCore::State::values_of(*r.owner, owner, r.owner_columns);
            auto t = SessionCore::State::values_of(*r.target, target, r.target_columns);
            values.insert(values.end(), t.begin(), t.end());
        };
        Registry& reg = *s_.registry;
        for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
            const ModelMapper& m = reg.model_at(mi);
            for (const auto& r : m.relationships) {
                if (r->kind != RelationshipKind::many_to_many) continue;
                ModelState& ms = s_.model(m);
                for (std::size_t i = 0; i < ms.members.size(); ++i) {
                    ObjectState* owner = ms.members[i];
                    if (!owner) continue;
                    if (owner->status == Status::deleted) {
                        record(deletes, "d*", *r, r->secondary_owner_columns,
                               SessionCore::State::values_of(m, owner->object.get(), r->owner_columns));
                        continue;
                    }
                    CollectionBase* cb = r->accessor->collection(owner->object.get());
                    if (!cb->loaded_) continue;
                    std::unordered_set<const void*> before;
                    for (const auto& p : cb->original_) before.insert(p.get());
                    std::vector<std::string> columns;
                    std::vector<Value> values;
                    for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) {
                        std::shared_ptr<void> item = cb->erased_at(k);
                        if (before.erase(item.get())) continue;
                        ObjectState* ts = s_.find(item.get());
                        if (!ts || ts->status != Status::persistent)
                            throw Error(ErrorKind::usage,
                                        fmt::format("{}: an object in the collection is not in the session (or is "
                                                    "being deleted); add it to the session first",
                                                    r->describe()));
                        pair_of(*r, owner->object.get(), item.get(), columns, values);
                        record(inserts, "i", *r, std::move(columns), std::move(values));
                    }
                    for (const auto& p : cb->original_) {
                        if (!before.count(p.get())) continue;
                        pair_of(*r, owner->object.get(), p.get(), columns, values);
                        record(deletes, "d", *r, std::move(columns), std::move(values));
                    }
                }
                // Rows pointing at deleted targets.
                ModelState& ts = s_.model(*r->target);
                for (ObjectState* d : ts.deleted)
                    record(deletes, "d*", *r, r->secondary_target_columns,
                           SessionCore::State::values_of(*r->target, d->object.get(), r->target_columns));
            }
        }
        if (inserts.empty() && deletes.empty()) return;
        s_.ensure_transaction();
        for (PairWrite& w : deletes) {
            doing_ = fmt::format("deleting from association table {} ({})", w.r->secondary, w.r->describe());
            sql::DeleteStatement d;
            d.table = w.r->secondary;
            std::vector<sql::Expr> terms;
            for (std::size_t i = 0; i < w.columns.size(); ++i)
                terms.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col("", w.columns[i]),
                                                   sql::Expr::param(w.values[i])));
            d.where = sql::Expr::all_of(std::move(terms));
            params_.clear();
            std::string text = dialect_.render(d, params_);
            conn().execute(text, params_);
        }
        for (PairWrite& w : inserts) {
            doing_ = fmt::format("inserting into association table {} ({})", w.r->secondary, w.r->describe());
            sql::InsertStatement ins;
            ins.table = w.r->secondary;
            ins.columns = w.columns;
            conn().execute(dialect_.render(ins), w.values);
        }
    }

    // 6. DELETEs, children before parents.
    void delete_objects(const ModelMapper& m, ModelState& ms) {
        if (ms.deleted.empty()) return;
        std::vector<ObjectState*> victims = ms.deleted;
        s_.ensure_transaction();
        doing_ = fmt::format("deleting from {} ({})", m.table.name, m.type_name);
        // Rows of a table that refers to itself go in waves, children first: MySQL checks
        // foreign keys row by row even inside one statement.
        std::vector<const ForeignKey*> self_fks;
        if (m.resolved)
            for (const ForeignKey& fk : m.resolved->foreign_keys)
                if (fk.ref_table == m.table.name) self_fks.push_back(&fk);
        if (self_fks.empty()) {
            delete_rows(m, ms, victims);
        } else {
            std::vector<ObjectState*> remaining = victims;
            while (!remaining.empty()) {
                std::unordered_set<std::string> referenced;
                for (const ForeignKey* fk : self_fks) {
                    std::vector<std::size_t> cols;
                    for (const auto& c : fk->columns) cols.push_back(static_cast<std::size_t>(m.column_index(c)));
                    for (ObjectState* v : remaining) {
                        std::string key;
                        bool null = false;
                        for (std::size_t c : cols) {
                            null = null || is_null(v->snapshot[c]);
                            encode_value(v->snapshot[c], key);
                        }
                        if (!null) referenced.insert(std::move(key));
                    }
                }
                std::vector<ObjectState*> leaves, rest;
                for (ObjectState* v : remaining) {
                    bool is_parent = false;
                    for (const ForeignKey* fk : self_fks) {
                        std::string key;
                        for (const auto& c : fk->ref_columns)
                            encode_value(v->snapshot[static_cast<std::size_t>(m.column_index(c))], key);
                        // A row pointing at itself does not hold up its own deletion.
                        std::string own;
                        for (const auto& c : fk->columns)
                            encode_value(v->snapshot[static_cast<std::size_t>(m.column_index(c))], own);
                        if (referenced.count(key) && own != key) is_parent = true;
                    }
                    (is_parent ? rest : leaves).push_back(v);
                }
                if (leaves.empty()) {  // a cycle: let the database decide
                    delete_rows(m, ms, rest);
                    break;
                }
                delete_rows(m, ms, leaves);
                remaining = std::move(rest);
            }
        }
        for (ObjectState* st : victims) {
            JournalEntry j;
            j.kind = JournalEntry::Kind::deleted;
            j.object = st->object;
            j.model = &m;
            j.inserted_frame = st->inserted_frame;
            j.generated_key = st->generated_key;
            j.offset = s_.journal.values.size();
            std::vector<Value> snapshot;
            s_.forget(*st, &snapshot);
            j.count = static_cast<std::uint32_t>(snapshot.size());
            for (Value& v : snapshot) {
                s_.journal.values.push_back(std::move(v));
                s_.journal.columns.push_back(0);
            }
            s_.journal.entries.push_back(std::move(j));
        }
        ms.deleted.clear();
    }

    void delete_rows(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& victims) {
        if (m.primary_key.size() == 1) {
            std::size_t k = m.primary_key[0];
            std::size_t max_rows = std::min<std::size_t>(std::max<std::size_t>(caps().max_bind_parameters, 1), 500);
            for (std::size_t start = 0; start < victims.size();) {
                std::size_t rows = std::min(max_rows, victims.size() - start);
                auto it = ms.delete_sql.find(rows);
                if (it == ms.delete_sql.end()) {
                    sql::DeleteStatement d;
                    d.table = m.table.name;
                    std::vector<sql::Expr> in{sql::Expr::col("", m.table.columns[k].name)};
                    for (std::size_t r = 0; r < rows; ++r) in.push_back(sql::Expr::param(Value()));
                    d.where = sql::Expr::nary(sql::Expr::Kind::in, std::move(in));
                    std::vector<Value> ignored;
                    it = ms.delete_sql.emplace(rows, dialect_.render(d, ignored)).first;
                }
                params_.clear();
                for (std::size_t r = 0; r < rows; ++r) params_.push_back(victims[start + r]->snapshot[k]);
                conn().execute(it->second, params_);
                start += rows;
            }
            return;
        }
        for (ObjectState* st : victims) {
            sql::DeleteStatement d;
            d.table = m.table.name;
            std::vector<sql::Expr> terms;
            for (std::size_t k : m.primary_key)
                terms.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col("", m.table.columns[k].name),
                                                   sql::Expr::param(st->snapshot[k])));
            d.where = sql::Expr::all_of(std::move(terms));
            params_.clear();
            std::string text = dialect_.render(d, params_);
            conn().execute(text, params_);
        }
    }

    // 7. What the database now holds becomes the reference for the next flush.
    void post_flush(const std::vector<const ModelMapper*>& order) {
        // Objects that joined the session through a cascade were not bound when the other
        // side changed, so their loaded collections may lack the back references the
        // database now has: add them (in memory only; the rows are written).
        for (const ModelMapper* m : order) {
            ModelState& ms = s_.model(*m);
            for (const auto& r : m->relationships) {
                if (!r->back || r->kind == RelationshipKind::one_to_many) continue;
                for (std::size_t i = 0; i < ms.members.size(); ++i) {
                    ObjectState* st = ms.members[i];
                    if (!st || st->status != Status::persistent) continue;
                    void* obj = st->object.get();
                    auto mirror = [&](const std::shared_ptr<void>& target) {
                        if (!target) return;
                        CollectionBase* bc = r->back->accessor->collection(target.get());
                        if (bc && bc->loaded_ && !bc->erased_contains(obj)) bc->erased_append(st->object);
                    };
                    if (RelatedBase* rb = r->accessor->related(obj)) {
                        if (rb->loaded_) mirror(rb->target_);
                    } else if (CollectionBase* cb = r->accessor->collection(obj)) {
                        if (!cb->loaded_) continue;
                        for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) mirror(cb->erased_at(k));
                    }
                }
            }
        }
        for (const ModelMapper* m : order) {
            if (m->relationships.empty()) continue;
            ModelState& ms = s_.model(*m);
            for (std::size_t i = 0; i < ms.members.size(); ++i) {
                ObjectState* st = ms.members[i];
                if (!st) continue;
                for (const auto& r : m->relationships) {
                    if (RelatedBase* rb = r->accessor->related(st->object.get())) {
                        rb->modified_ = false;
                    } else if (CollectionBase* cb = r->accessor->collection(st->object.get())) {
                        if (!cb->loaded_) continue;
                        cb->original_.clear();
                        for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k)
                            cb->original_.push_back(cb->erased_at(k));
                    }
                }
            }
        }
    }
};

// ---- SessionCore ----------------------------------------------------------------------------

SessionCore::SessionCore(Engine engine, Registry& registry, const SessionOptions& options)
    : state_(std::make_unique<State>(std::move(engine), registry, options)) {
    state_->core = this;
    registry.finalize();
}

SessionCore::~SessionCore() = default;

Registry& SessionCore::registry() noexcept { return *state_->registry; }
Engine& SessionCore::engine() noexcept { return state_->engine; }
Connection& SessionCore::connection() { return state_->connection(); }

const ModelMapper& SessionCore::mapper(const void* tag, const char* type_name) {
    return state_->registry->mapper(tag, type_name);
}

void SessionCore::add(const ModelMapper& m, const std::shared_ptr<void>& object, bool fresh) {
    State& s = *state_;
    if (s.closed) closed_error();
    if (ObjectState* st = fresh ? nullptr : s.find(object.get())) {
        if (st->status == Status::deleted) {
            st->status = Status::persistent;
            ModelState& ms = s.model(m);
            ms.deleted.erase(std::find(ms.deleted.begin(), ms.deleted.end(), st));
        }
        return;
    }
    ObjectState& st = s.create(object, m, Status::pending);
    s.model(m).pending.push_back(&st);
    if (!m.relationships.empty()) s.bind(st);
}

void SessionCore::reserve(const ModelMapper& m, std::size_t n) { state_->reserve(m, n); }

void SessionCore::remove(const ModelMapper& m, const std::shared_ptr<void>& object) {
    State& s = *state_;
    if (s.closed) closed_error();
    ObjectState* st = object ? s.find(object.get()) : nullptr;
    if (!st)
        throw Error(ErrorKind::usage, fmt::format("{}: remove() of an object that is not in this session; load it "
                                                  "with a query or get() (or add it) first",
                                                  m.describe()));
    if (st->status == Status::pending) {
        s.forget(*st);
    } else if (st->status == Status::persistent) {
        st->status = Status::deleted;
        s.model(m).deleted.push_back(st);
    }
}

void SessionCore::expunge(const void* object) noexcept {
    if (ObjectState* st = state_->find(object)) state_->forget(*st);
}

void SessionCore::break_cycles() noexcept {
    State& s = *state_;
    Registry& reg = *s.registry;
    for (std::size_t mi = 0; mi < reg.model_count() && mi < s.models.size(); ++mi) {
        if (reg.model_at(mi).relationships.empty()) continue;
        for (ObjectState* st : s.models[mi].members)
            if (st) s.weaken(*st);
    }
}

void SessionCore::expunge_all() noexcept {
    State& s = *state_;
    break_cycles();
    s.index.clear();
    s.unindexed.clear();
    s.pool.clear();
    for (ModelState& ms : s.models) {
        ms.snapshots.clear();
        ms.identity.clear();
        ms.members.clear();
        ms.dead = 0;
        ms.pending.clear();
        ms.deleted.clear();
    }
}

bool SessionCore::contains(const void* object) const noexcept { return state_->find(object) != nullptr; }

bool SessionCore::is_modified(const void* object) const {
    const ObjectState* st = state_->find(object);
    if (!st) return false;
    if (st->status != Status::persistent) return true;
    const ModelMapper& m = *st->model;
    for (std::size_t c = 0; c < m.columns.size(); ++c)
        if (!m.columns[c].accessor->equals(object, st->snapshot[c])) return true;
    return false;
}

void SessionCore::reset() noexcept {
    State& s = *state_;
    if (s.closed) return;
    try {
        if (!s.frames.empty()) rollback_to(0, false);
    } catch (...) {
        // rollback_to(…, false) reports nothing; this only guards allocation failures.
    }
    expunge_all();
}

void SessionCore::close() noexcept {
    State& s = *state_;
    if (s.closed) return;
    try {
        if (!s.frames.empty()) rollback_to(0, false);
    } catch (...) {
        // Nothing to report to: the session is going away.
    }
    expunge_all();
    s.closed = true;
}

void SessionCore::flush() {
    State& s = *state_;
    if (s.closed) closed_error();
    if (s.flushing) return;
    s.flushing = true;
    ++s.flush_count;
    Flusher flusher(s);
    try {
        flusher.run();
    } catch (...) {
        s.flushing = false;
        // The database transaction is broken (PostgreSQL refuses further statements) and
        // the objects are half-written: return to the last consistent point.
        if (!s.frames.empty()) rollback_to(s.frames.size() - 1, false);
        else reset_objects();
        try {
            throw;
        } catch (const Error& e) {
            if (flusher.doing().empty() || e.kind() == ErrorKind::usage) throw;
            std::string message = fmt::format("{} (while {}", e.what(), flusher.doing());
            if (!e.constraint().empty() && message.find(e.constraint()) == std::string::npos)
                message += fmt::format("; constraint {}", e.constraint());
            message += "; the session was rolled back)";
            throw Error(e.kind(), message, e.details());
        }
    }
    s.flushing = false;
}

void SessionCore::autoflush() {
    State& s = *state_;
    if (s.options.autoflush && !s.flushing) flush();
}

void SessionCore::commit() {
    State& s = *state_;
    flush();
    if (s.frames.empty()) return;
    Frame bottom = s.frames.front();
    try {
        if (bottom.owns_transaction) s.connection().commit();
        else s.connection().release_savepoint(bottom.savepoint);
    } catch (...) {
        // A failed COMMIT has rolled the transaction back.
        rollback_to(0, false);
        throw;
    }
    s.frames.clear();
    s.journal.clear();
}

void SessionCore::rollback() {
    State& s = *state_;
    if (s.closed) closed_error();
    if (s.frames.empty()) {
        reset_objects();
        return;
    }
    rollback_to(0, true);
}

void SessionCore::rollback_to(std::size_t depth, bool rethrow) {
    State& s = *state_;
    std::exception_ptr failure;
    if (depth < s.frames.size()) {
        Frame f = s.frames[depth];
        try {
            Connection& c = s.connection();
            if (f.owns_transaction) {
                if (c.in_transaction()) c.rollback();
            } else if (c.in_transaction()) {
                c.rollback_to_savepoint(f.savepoint);
                c.release_savepoint(f.savepoint);
            }
        } catch (...) {
            failure = std::current_exception();
        }
        undo_journal(f.journal_mark);
        forget_inserted_since(f.id);
        s.frames.resize(depth);
    }
    reset_objects();
    if (failure && rethrow) std::rethrow_exception(failure);
}

void SessionCore::undo_journal(std::size_t mark) noexcept {
    State& s = *state_;
    Journal& jn = s.journal;
    while (jn.entries.size() > mark) {
        JournalEntry e = std::move(jn.entries.back());
        jn.entries.pop_back();
        void* obj = e.object.get();
        ObjectState* st = s.find(obj);
        switch (e.kind) {
            case JournalEntry::Kind::updated:
                if (st)
                    for (std::size_t k = 0; k < e.count; ++k)
                        st->snapshot[jn.columns[e.offset + k]] = std::move(jn.values[e.offset + k]);
                break;
            case JournalEntry::Kind::deleted:
                if (!st) {
                    ObjectState& ns = s.create(e.object, *e.model, Status::persistent);
                    ns.snapshot = s.new_snapshot(*e.model, jn.values.data() + e.offset);
                    ns.inserted_frame = e.inserted_frame;
                    ns.generated_key = e.generated_key;
                    s.attach(ns);
                }
                break;
        }
        jn.values.resize(e.offset);
        jn.columns.resize(e.offset);
    }
}

void SessionCore::forget_inserted_since(std::uint64_t frame) noexcept {
    State& s = *state_;
    for (ModelState& ms : s.models) {
        std::vector<ObjectState*> gone;
        for (ObjectState* st : ms.members)
            if (st && st->inserted_frame >= frame) gone.push_back(st);
        for (ObjectState* st : gone) {
            // Generated keys were "unset" (0 / std::nullopt) before the INSERT.
            if (st->generated_key) st->model->columns[*st->model->generated_key].accessor->reset(st->object.get());
            s.forget(*st);
        }
    }
}

void SessionCore::reset_objects() noexcept {
    State& s = *state_;
    // Pending objects are found through the states themselves: a flush that failed may
    // have taken some out of their model's pending list already.
    for (ModelState& ms : s.models) {
        // Entries may be stale (inserted, then undone and released): only live pending
        // states are released, each once.
        for (ObjectState* st : ms.pending) {
            if (!st->object || st->status != Status::pending) continue;
            if (st->indexed) s.index.erase(st->object.get(), st);
            s.release_state(st);
        }
        ms.pending.clear();
        for (ObjectState* st : ms.deleted)
            if (st->status == Status::deleted) st->status = Status::persistent;
        ms.deleted.clear();
        for (std::size_t i = 0; i < ms.members.size(); ++i) {
            ObjectState* st = ms.members[i];
            if (!st) continue;
            const ModelMapper& m = *st->model;
            void* obj = st->object.get();
            for (std::size_t c = 0; c < m.columns.size(); ++c) {
                const ColumnAccessor& a = *m.columns[c].accessor;
                if (a.equals(obj, st->snapshot[c])) continue;
                try {
                    a.set(obj, st->snapshot[c]);
                } catch (...) {
                    // Snapshots hold canonical values of the member's own type.
                }
            }
            for (const auto& r : m.relationships) {
                if (RelatedBase* rb = r->accessor->related(obj)) {
                    rb->target_.reset();
                    rb->loaded_ = false;
                    rb->modified_ = false;
                } else if (CollectionBase* cb = r->accessor->collection(obj)) {
                    cb->erased_assign({});
                    cb->loaded_ = false;
                    cb->original_.clear();
                }
            }
        }
    }
}

std::uint64_t SessionCore::begin_frame(bool nested) {
    State& s = *state_;
    if (s.closed) closed_error();
    if (!nested) {
        if (!s.frames.empty())
            throw Error(ErrorKind::usage,
                        "Session::begin(): a transaction is already open in this session (begun earlier or by a "
                        "flush); commit() or rollback() it first, or use begin_nested() for a savepoint");
        s.ensure_transaction();
        return s.frames.back().id;
    }
    flush();
    s.ensure_transaction();
    Frame f;
    f.id = s.next_frame++;
    f.savepoint = fmt::format("strata_sp_{}", s.next_savepoint++);
    f.journal_mark = s.journal.size();
    s.connection().savepoint(f.savepoint);
    s.frames.push_back(std::move(f));
    return s.frames.back().id;
}

namespace {

std::size_t frame_index(const std::vector<Frame>& frames, std::uint64_t id) {
    for (std::size_t i = 0; i < frames.size(); ++i)
        if (frames[i].id == id) return i;
    throw Error(ErrorKind::usage, "the transaction is no longer active: it was committed or rolled back already "
                                  "(possibly by an enclosing transaction or a failed flush)");
}

}  // namespace

void SessionCore::commit_frame(std::uint64_t id) {
    State& s = *state_;
    std::size_t i = frame_index(s.frames, id);
    if (i == 0) {
        commit();
        return;
    }
    flush();
    i = frame_index(s.frames, id);
    s.connection().release_savepoint(s.frames[i].savepoint);
    s.frames.resize(i);
}

void SessionCore::rollback_frame(std::uint64_t id) {
    State& s = *state_;
    rollback_to(frame_index(s.frames, id), true);
}

bool SessionCore::frame_active(std::uint64_t id) const noexcept {
    for (const Frame& f : state_->frames)
        if (f.id == id) return true;
    return false;
}

bool SessionCore::in_transaction() const noexcept { return !state_->frames.empty(); }

std::int64_t SessionCore::execute(std::string_view sql, const std::vector<Value>& params) {
    State& s = *state_;
    if (s.closed) closed_error();
    autoflush();
    s.ensure_transaction();
    return s.connection().execute(sql, params);
}

std::shared_ptr<void> SessionCore::get(const ModelMapper& m, std::vector<Value> key) {
    State& s = *state_;
    if (s.closed) closed_error();
    if (key.size() != m.primary_key.size())
        throw Error(ErrorKind::usage, fmt::format("{}: get() needs {} primary key value(s), got {}", m.describe(),
                                                  m.primary_key.size(), key.size()));
    IdentityKey k = make_identity_key(key);
    auto lookup = [&]() -> ObjectState* {
        return s.model(m).identity.find(k);
    };
    if (ObjectState* st = lookup()) return st->status == Status::deleted ? nullptr : st->object;
    autoflush();
    if (ObjectState* st = lookup()) return st->status == Status::deleted ? nullptr : st->object;
    sql::SelectStatement stmt = s.select_of(m);
    std::vector<sql::Expr> terms;
    for (std::size_t i = 0; i < key.size(); ++i)
        terms.push_back(sql::Expr::compare(sql::CompareOp::eq,
                                           sql::Expr::col(m.table.name, m.table.columns[m.primary_key[i]].name),
                                           sql::Expr::param(std::move(key[i]))));
    stmt.where = sql::Expr::all_of(std::move(terms));
    auto found = s.load_objects(m, std::move(stmt));
    if (found.empty() || found[0]->status == Status::deleted) return nullptr;
    return found[0]->object;
}

void SessionCore::refresh(const ModelMapper& m, const std::shared_ptr<void>& object) {
    State& s = *state_;
    if (s.closed) closed_error();
    ObjectState* st = object ? s.find(object.get()) : nullptr;
    if (!st || st->status == Status::pending)
        throw Error(ErrorKind::usage,
                    fmt::format("{}: refresh() needs an object loaded in this session", m.describe()));
    sql::SelectStatement stmt = s.select_of(m);
    std::vector<sql::Expr> terms;
    for (std::size_t k : m.primary_key)
        terms.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col(m.table.name, m.table.columns[k].name),
                                           sql::Expr::param(st->snapshot[k])));
    stmt.where = sql::Expr::all_of(std::move(terms));
    bool found = false;
    s.run_select(stmt, [&](std::vector<Value>& row) {
        found = true;
        for (std::size_t c = 0; c < m.columns.size(); ++c) {
            try {
                m.columns[c].accessor->load(object.get(), row[c]);
            } catch (const Error& e) {
                rethrow_with_column(e, m, c);
            }
        }
        for (std::size_t c = 0; c < m.columns.size(); ++c) st->snapshot[c] = std::move(row[c]);
    });
    if (!found)
        throw Error(ErrorKind::not_found, fmt::format("{}: refresh(): the row is gone from the database",
                                                      m.describe()));
    if (st->status == Status::deleted) {
        st->status = Status::persistent;
        ModelState& ms = s.model(m);
        ms.deleted.erase(std::find(ms.deleted.begin(), ms.deleted.end(), st));
    }
    s.bind(*st);
}

}  // namespace detail

// ---- Session / Transaction -------------------------------------------------------------------

Session::Session(Engine engine, SessionOptions options) : Session(std::move(engine), models(), options) {}

Session::Session(Engine engine, Registry& registry, SessionOptions options)
    : core_(std::make_shared<detail::SessionCore>(std::move(engine), registry, options)) {}

Session::~Session() {
    if (core_) core_->close();
}

Session::Session(Session&&) noexcept = default;

Session& Session::operator=(Session&& other) noexcept {
    if (this != &other) {
        if (core_) core_->close();
        core_ = std::move(other.core_);
    }
    return *this;
}

void Session::expunge_all() noexcept { core_->expunge_all(); }
void Session::close() noexcept { core_->reset(); }
void Session::flush() { core_->flush(); }
void Session::commit() { core_->commit(); }
void Session::rollback() { core_->rollback(); }
bool Session::in_transaction() const noexcept { return core_->in_transaction(); }

Transaction Session::begin() { return Transaction(core_, core_->begin_frame(false), false); }
Transaction Session::begin_nested() { return Transaction(core_, core_->begin_frame(true), true); }

std::int64_t Session::execute(std::string_view sql, std::initializer_list<Value> params) {
    return core_->execute(sql, std::vector<Value>(params));
}
std::int64_t Session::execute(std::string_view sql, const std::vector<Value>& params) {
    return core_->execute(sql, params);
}

Connection& Session::connection() { return core_->connection(); }
Engine& Session::engine() noexcept { return core_->engine(); }
Registry& Session::registry() noexcept { return core_->registry(); }

Transaction::Transaction(Transaction&& other) noexcept
    : core_(std::move(other.core_)), id_(other.id_), nested_(other.nested_) {
    other.id_ = 0;
}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
    if (this != &other) {
        if (active()) {
            try {
                core_->rollback_frame(id_);
            } catch (...) {
                // As in the destructor: never throw from a guard being replaced.
            }
        }
        core_ = std::move(other.core_);
        id_ = other.id_;
        nested_ = other.nested_;
        other.id_ = 0;
    }
    return *this;
}

Transaction::~Transaction() {
    if (!active()) return;
    try {
        core_->rollback_frame(id_);
    } catch (...) {
        // Destructors never throw; the connection reports its state on the next statement.
    }
}

bool Transaction::active() const noexcept { return core_ && id_ != 0 && core_->frame_active(id_); }

void Transaction::commit() {
    if (!active())
        throw Error(ErrorKind::usage, "Transaction::commit(): the transaction is no longer active (already committed "
                                      "or rolled back, possibly by a failed flush or an enclosing transaction)");
    core_->commit_frame(id_);
}

void Transaction::rollback() {
    if (!active())
        throw Error(ErrorKind::usage, "Transaction::rollback(): the transaction is no longer active");
    core_->rollback_frame(id_);
}

}  // namespace strata
