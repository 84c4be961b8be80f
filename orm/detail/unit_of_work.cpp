#include "orm/detail/unit_of_work.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "orm/detail/loader.hpp"

namespace strata::detail {

namespace {

// Every object of a model that relationships may touch (persistent + pending).
template <class F>
void each_object(IdentityMap& objects, const ModelMapper& m, F&& f) {
    ModelState& ms = objects.model(m);
    for (std::size_t i = 0; i < ms.members.size(); ++i)
        if (ObjectState* st = ms.members[i]; st && st->status == Status::persistent) f(*st);
    for (std::size_t i = 0; i < ms.pending.size(); ++i) f(*ms.pending[i]);
}

std::string deleted_hint(const SessionState& s, const void* object) {
    return s.was_deleted(object) ? " (it was deleted in this session; add() it again to insert it anew)" : "";
}

}  // namespace

UnitOfWork::UnitOfWork(SessionState& s) : s_(s), persistence_(s), sync_(s) {}

std::vector<const ModelMapper*> UnitOfWork::models_in_order() const {
    std::vector<const ModelMapper*> order;
    Registry& reg = *s_.registry;
    for (std::size_t i = 0; i < reg.model_count(); ++i) order.push_back(&reg.model_at(i));
    std::stable_sort(order.begin(), order.end(),
                     [](const ModelMapper* a, const ModelMapper* b) { return a->flush_rank < b->flush_rank; });
    return order;
}

void UnitOfWork::run() {
    sync_.cascade_all();
    process_collection_removals();
    expand_deletes();
    std::vector<const ModelMapper*> order = models_in_order();
    for (const ModelMapper* m : order) {
        ModelState& ms = s_.objects.model(*m);
        if (ms.pending.empty() && ms.members.size() == ms.dead) continue;
        insert_pending(*m, ms);
        sync_many_to_one(*m, ms, nullptr);
        sync_one_to_many_into(*m);
        persistence_.update_dirty(*m, ms);
    }
    association_changes();
    std::unordered_set<const void*> deleted;
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        persistence_.delete_objects(**it, s_.objects.model(**it), deleted);
    sync_.after_flush(order, deleted);
}

void UnitOfWork::set_columns(const ModelMapper& m, void* object, const std::vector<std::size_t>& columns,
                             const std::vector<Value>& values, const std::string& why) {
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

void UnitOfWork::process_collection_removals() {
    Registry& reg = *s_.registry;
    for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
        const ModelMapper& m = reg.model_at(mi);
        for (const auto& r : m.relationships) {
            if (r->kind != RelationshipKind::one_to_many) continue;
            std::vector<std::pair<ObjectState*, std::shared_ptr<void>>> removed;
            each_object(s_.objects, m, [&](ObjectState& owner) {
                CollectionBase* cb = r->accessor->collection(owner.object.get());
                const CollectionState& cs = cb->internal();
                if (!cs.loaded || cs.original.empty()) return;
                for (const auto& item : cs.original)
                    if (!cb->erased_contains(item.get())) removed.emplace_back(&owner, item);
            });
            if (removed.empty()) continue;
            std::unordered_set<const void*> adopted;
            each_object(s_.objects, m, [&](ObjectState& owner) {
                CollectionBase* cb = r->accessor->collection(owner.object.get());
                if (!cb->internal().loaded) return;
                for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i) adopted.insert(cb->erased_at(i).get());
            });
            for (auto& [owner, item] : removed)
                if (!adopted.count(item.get())) handle_removed(*r, *owner, item);
        }
    }
}

// A child taken out of `owner`'s collection that now belongs to another parent: its
// many-to-one member was assigned another object, or its foreign key edited to another
// parent's key (that parent's collection need not be loaded).
bool UnitOfWork::moved_elsewhere(const RelationshipMapping& r, ObjectState& owner, const void* item) const {
    if (r.back) {
        const RelatedState& rs = r.back->accessor->related(const_cast<void*>(item))->internal();
        if (rs.loaded && rs.target && rs.target != owner.object) return true;
    }
    bool any_null = false, differs = false;
    for (std::size_t i = 0; i < r.target_columns.size(); ++i) {
        Value fk = r.target->columns[r.target_columns[i]].accessor->get(item);
        any_null = any_null || is_null(fk);
        differs = differs || !r.owner->columns[r.owner_columns[i]].accessor->equals(owner.object.get(), fk);
    }
    return differs && !any_null;
}

void UnitOfWork::handle_removed(const RelationshipMapping& r, ObjectState& owner, const std::shared_ptr<void>& item) {
    ObjectState* child = s_.objects.find(item.get());
    if (!child || child->status == Status::deleted) return;
    if (moved_elsewhere(r, owner, item.get())) return;
    if (r.delete_orphan) {
        mark_deleted(*child);
        return;
    }
    clear_foreign_key(r, item, owner.object.get(), fmt::format("removing it from {}", r.describe()));
}

void UnitOfWork::clear_foreign_key(const RelationshipMapping& r, const std::shared_ptr<void>& item, const void* owner,
                                   const std::string& why) {
    set_columns(*r.target, item.get(), r.target_columns, std::vector<Value>(r.target_columns.size()), why);
    if (!r.back) return;
    RelatedState& rs = r.back->accessor->related(item.get())->internal();
    if (rs.target.get() != owner) return;
    rs.target.reset();
    rs.loaded = true;
    rs.modified = false;
}

void UnitOfWork::mark_deleted(ObjectState& st) {
    if (st.status == Status::pending) {
        if (!st.model->relationships.empty()) sync_.weaken(st);
        s_.objects.forget(st);
        return;
    }
    if (st.status == Status::deleted) return;
    st.status = Status::deleted;
    s_.objects.model(*st.model).deleted.push_back(&st);
}

void UnitOfWork::expand_deletes() {
    std::vector<ObjectState*> work;
    for (ModelState& ms : s_.objects.models())
        for (ObjectState* st : ms.deleted) work.push_back(st);
    while (!work.empty()) {
        ObjectState* d = work.back();
        work.pop_back();
        expand_delete(*d, work);
    }
}

// Deleting a parent: cascade_delete deletes its children (loaded or not), otherwise their
// nullable foreign keys are cleared (a NOT NULL one is left to the database's ON DELETE).
void UnitOfWork::expand_delete(ObjectState& d, std::vector<ObjectState*>& work) {
    for (const auto& r : d.model->relationships) {
        if (r->kind != RelationshipKind::one_to_many) continue;
        CollectionBase* cb = r->accessor->collection(d.object.get());
        if (!cb->internal().current()) Loader(s_).load_relationship(*r, {d.object.get()});
        bool can_null = true;
        for (std::size_t c : r->target_columns) can_null = can_null && r->target->columns[c].accessor->nullable();
        for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i) {
            std::shared_ptr<void> item = cb->erased_at(i);
            ObjectState* child = s_.objects.find(item.get());
            if (!child || child->status == Status::deleted) continue;
            if (r->cascade_delete) {
                bool was_pending = child->status == Status::pending;
                mark_deleted(*child);
                if (!was_pending) work.push_back(child);
            } else if (can_null) {
                clear_foreign_key(*r, item, d.object.get(), "deleting its parent");
            }
        }
    }
}

void UnitOfWork::sync_one(const RelationshipMapping& r, ObjectState& st) {
    if (st.status == Status::deleted) return;
    const ModelMapper& m = *st.model;
    const RelatedState& rs = r.accessor->related(st.object.get())->internal();
    bool follow = rs.modified || (st.status == Status::pending && rs.loaded && rs.target);
    if (!follow) return;
    if (!rs.target) {
        set_columns(m, st.object.get(), r.owner_columns, std::vector<Value>(r.owner_columns.size()),
                    fmt::format("setting {} to null", r.describe()));
        return;
    }
    ObjectState* t = s_.objects.find(rs.target.get());
    if (!t)
        throw Error(ErrorKind::usage, fmt::format("{}: the related object is not in the session{}; add it to the "
                                                  "session first",
                                                  r.describe(), s_.was_deleted(rs.target.get())
                                                                    ? deleted_hint(s_, rs.target.get())
                                                                    : " (save-update cascade is off)"));
    if (t->status == Status::pending)
        throw Error(ErrorKind::usage, fmt::format("{}: the related {} object is not inserted yet and must be inserted "
                                                  "after this one (a cycle of foreign keys between pending objects); "
                                                  "flush the parent first",
                                                  r.describe(), r.target->type_name));
    set_columns(m, st.object.get(), r.owner_columns, values_of(*r.target, t->object.get(), r.target_columns),
                r.describe());
}

void UnitOfWork::sync_many_to_one(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>* only) {
    for (const auto& r : m.relationships) {
        if (r->kind != RelationshipKind::many_to_one) continue;
        if (only) {
            for (ObjectState* st : *only) sync_one(*r, *st);
            continue;
        }
        for (std::size_t i = 0; i < ms.members.size(); ++i)
            if (ObjectState* st = ms.members[i]) sync_one(*r, *st);
    }
}

// Foreign keys of children of model `child` appended to one-to-many collections since the
// last flush (their owners have keys by now). Children that were there already keep
// their foreign key members: a key the program edited directly is saved.
void UnitOfWork::sync_one_to_many_into(const ModelMapper& child) {
    Registry& reg = *s_.registry;
    for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
        const ModelMapper& m = reg.model_at(mi);
        for (const auto& r : m.relationships) {
            if (r->kind != RelationshipKind::one_to_many || r->target != &child) continue;
            ModelState& ms = s_.objects.model(m);
            for (std::size_t i = 0; i < ms.members.size(); ++i) {
                ObjectState* owner = ms.members[i];
                if (!owner || owner->status != Status::persistent) continue;
                CollectionBase* cb = r->accessor->collection(owner->object.get());
                const CollectionState& cs = cb->internal();
                if (!cs.loaded || collection_unchanged(*cb)) continue;
                std::unordered_set<const void*> before;
                for (const auto& p : cs.original) before.insert(p.get());
                std::vector<Value> key = values_of(m, owner->object.get(), r->owner_columns);
                for (std::size_t j = 0, n = cb->erased_size(); j < n; ++j) {
                    std::shared_ptr<void> item = cb->erased_at(j);
                    if (before.count(item.get())) continue;
                    ObjectState* cs_state = s_.objects.find(item.get());
                    if (!cs_state || cs_state->status == Status::deleted) continue;
                    set_columns(child, item.get(), r->target_columns, key, r->describe());
                }
            }
        }
    }
}

// INSERTs of the pending objects of `m`. Objects of one model referring to each other
// (self-referential relationships) go in waves, parents first.
void UnitOfWork::insert_pending(const ModelMapper& m, ModelState& ms) {
    if (ms.pending.empty()) return;
    // ms.pending keeps listing the objects until all are in, so a failure midway still
    // finds (and forgets) the ones not inserted.
    std::vector<ObjectState*> todo = ms.pending;
    bool self_ref = std::any_of(m.relationships.begin(), m.relationships.end(),
                                [&](const auto& r) { return r->target == &m; });
    while (!todo.empty()) {
        std::vector<ObjectState*> ready;
        if (self_ref) {
            ready = insert_wave(m, todo);
        } else {
            ready = std::move(todo);
            todo.clear();
        }
        sync_many_to_one(m, ms, &ready);
        sync_one_to_many_into(m);
        persistence_.insert(m, ms, ready);
    }
    ms.pending.clear();
}

// The objects of `todo` no other object of `todo` must precede; the rest stay in `todo`.
std::vector<ObjectState*> UnitOfWork::insert_wave(const ModelMapper& m, std::vector<ObjectState*>& todo) {
    std::unordered_set<const void*> waiting, blocked;
    for (ObjectState* st : todo) waiting.insert(st->object.get());
    for (ObjectState* st : todo) {
        void* obj = st->object.get();
        for (const auto& r : m.relationships) {
            if (r->target != &m) continue;
            if (RelatedBase* rb = r->accessor->related(obj)) {
                const std::shared_ptr<void>& t = rb->internal().target;
                if (t && t.get() != obj && waiting.count(t.get())) blocked.insert(obj);
            } else if (CollectionBase* cb = r->accessor->collection(obj)) {
                if (r->kind != RelationshipKind::one_to_many || !cb->internal().loaded) continue;
                for (std::size_t i = 0, n = cb->erased_size(); i < n; ++i)
                    if (cb->erased_at(i).get() != obj) blocked.insert(cb->erased_at(i).get());
            }
        }
    }
    std::vector<ObjectState*> ready, rest;
    for (ObjectState* st : todo) (blocked.count(st->object.get()) ? rest : ready).push_back(st);
    if (ready.empty())
        throw Error(ErrorKind::usage, fmt::format("{}: the pending objects refer to each other in a cycle, so no "
                                                  "INSERT order exists; break the cycle and flush twice",
                                                  m.describe()));
    todo = std::move(rest);
    return ready;
}

// Association rows of many-to-many collections; a pair changed from both sides
// (back_populates) is written once.
void UnitOfWork::association_changes() {
    std::vector<AssociationRow> inserts, deletes;
    std::unordered_set<std::string> seen;
    auto record = [&](std::vector<AssociationRow>& into, const char* op, const RelationshipMapping& r,
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
        if (seen.insert(key).second) into.push_back({&r, std::move(columns), std::move(values)});
    };
    auto pair_row = [&](std::vector<AssociationRow>& into, const char* op, const RelationshipMapping& r,
                        const void* owner, const void* target) {
        std::vector<std::string> columns = r.secondary_owner_columns;
        columns.insert(columns.end(), r.secondary_target_columns.begin(), r.secondary_target_columns.end());
        std::vector<Value> values = values_of(*r.owner, owner, r.owner_columns);
        std::vector<Value> t = values_of(*r.target, target, r.target_columns);
        values.insert(values.end(), t.begin(), t.end());
        record(into, op, r, std::move(columns), std::move(values));
    };
    Registry& reg = *s_.registry;
    for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
        const ModelMapper& m = reg.model_at(mi);
        for (const auto& r : m.relationships) {
            if (r->kind != RelationshipKind::many_to_many) continue;
            for (ObjectState* owner : s_.objects.model(m).members) {
                if (!owner) continue;
                void* obj = owner->object.get();
                if (owner->status == Status::deleted) {
                    record(deletes, "d*", *r, r->secondary_owner_columns, values_of(m, obj, r->owner_columns));
                    continue;
                }
                CollectionBase* cb = r->accessor->collection(obj);
                if (!cb->internal().loaded || collection_unchanged(*cb)) continue;
                std::unordered_set<const void*> before;
                for (const auto& p : cb->internal().original) before.insert(p.get());
                for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) {
                    std::shared_ptr<void> item = cb->erased_at(k);
                    if (before.erase(item.get())) continue;
                    ObjectState* ts = s_.objects.find(item.get());
                    if (!ts || ts->status != Status::persistent)
                        throw Error(ErrorKind::usage,
                                    fmt::format("{}: an object in the collection is not in the session or is being "
                                                "deleted{}; add it to the session first",
                                                r->describe(), deleted_hint(s_, item.get())));
                    pair_row(inserts, "i", *r, obj, item.get());
                }
                for (const auto& p : cb->internal().original)
                    if (before.count(p.get())) pair_row(deletes, "d", *r, obj, p.get());
            }
            // Rows pointing at deleted targets.
            for (ObjectState* d : s_.objects.model(*r->target).deleted)
                record(deletes, "d*", *r, r->secondary_target_columns,
                       values_of(*r->target, d->object.get(), r->target_columns));
        }
    }
    persistence_.write_associations(deletes, inserts);
}

}  // namespace strata::detail
