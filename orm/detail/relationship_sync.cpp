#include "orm/detail/relationship_sync.hpp"

#include <algorithm>

namespace strata::detail {

namespace {

std::vector<ObjectState*> each_tracked(IdentityMap& objects, const ModelMapper& m) {
    std::vector<ObjectState*> out;
    ModelState& ms = objects.model(m);
    for (ObjectState* st : ms.members)
        if (st && st->status == Status::persistent) out.push_back(st);
    out.insert(out.end(), ms.pending.begin(), ms.pending.end());
    return out;
}

void erase_from(std::vector<std::shared_ptr<void>>& items, const void* item) {
    items.erase(std::remove_if(items.begin(), items.end(), [&](const auto& p) { return p.get() == item; }),
                items.end());
}

}  // namespace

bool collection_unchanged(const CollectionBase& cb) {
    const CollectionState& cs = cb.internal();
    if (cb.erased_size() != cs.original.size()) return false;
    for (std::size_t k = 0; k < cs.original.size(); ++k)
        if (cb.erased_at(k) != cs.original[k]) return false;
    return true;
}

ObjectState& RelationshipSync::track_one(std::shared_ptr<void> object, const ModelMapper& m) {
    ObjectState& st = s_.objects.create_pending(std::move(object), m);
    st.epoch = s_.epoch();
    if (!m.relationships.empty()) bind(st);
    return st;
}

ObjectState& RelationshipSync::track(std::shared_ptr<void> object, const ModelMapper& m) {
    ObjectState& st = track_one(std::move(object), m);
    if (!m.relationships.empty()) cascade({&st});
    return st;
}

bool RelationshipSync::joins(const std::shared_ptr<void>& target) {
    return target && !s_.objects.find(target.get()) && !s_.was_deleted(target.get());
}

void RelationshipSync::cascade(std::vector<ObjectState*> queue) {
    // Breadth-first: objects become pending in the order they were reached.
    for (std::size_t i = 0; i < queue.size(); ++i) {
        ObjectState* st = queue[i];
        void* obj = st->object.get();
        for (const auto& r : st->model->relationships) {
            if (!r->cascade_save_update) continue;
            auto visit = [&](const std::shared_ptr<void>& target) {
                if (!joins(target)) return;
                ObjectState& added = track_one(target, *r->target);
                if (!added.model->relationships.empty()) queue.push_back(&added);
            };
            if (RelatedBase* rb = r->accessor->related(obj)) {
                if (rb->internal().loaded) visit(rb->internal().target);
            } else if (CollectionBase* cb = r->accessor->collection(obj)) {
                if (!cb->internal().loaded) continue;
                for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) visit(cb->erased_at(k));
            }
        }
    }
}

void RelationshipSync::cascade_all() {
    std::vector<ObjectState*> queue;
    Registry& reg = *s_.registry;
    for (std::size_t mi = 0; mi < reg.model_count(); ++mi) {
        const ModelMapper& m = reg.model_at(mi);
        if (m.relationships.empty()) continue;
        std::vector<ObjectState*> more = each_tracked(s_.objects, m);
        queue.insert(queue.end(), more.begin(), more.end());
    }
    cascade(std::move(queue));
}

void RelationshipSync::bind(ObjectState& st) {
    void* obj = st.object.get();
    const bool pending = st.status == Status::pending;
    for (const auto& r : st.model->relationships) {
        RelationshipBinding binding{s_.link, r.get(), st.object};
        if (RelatedBase* rb = r->accessor->related(obj)) {
            RelatedState& rs = rb->internal();
            rs.binding = std::move(binding);
            if (pending) rs.epoch = s_.link->epoch;
            else rs.unload();
        } else if (CollectionBase* cb = r->accessor->collection(obj)) {
            CollectionState& cs = cb->internal();
            cs.binding = std::move(binding);
            cs.original.clear();
            if (pending) {
                cs.loaded = true;
                cs.epoch = s_.link->epoch;
            } else {
                cb->erased_assign({});
                cs.loaded = false;
            }
        }
    }
    if (pending) mirror_pending(st);
}

void RelationshipSync::mirror_pending(ObjectState& st) {
    void* obj = st.object.get();
    for (const auto& r : st.model->relationships) {
        if (!r->back) continue;
        if (RelatedBase* rb = r->accessor->related(obj)) {
            const RelatedState& rs = rb->internal();
            if (!rs.loaded || !rs.target) continue;
            CollectionBase* bc = r->back->accessor->collection(rs.target.get());
            if (bc && bc->internal().current() && !bc->erased_contains(obj)) bc->erased_append(st.object);
            continue;
        }
        CollectionBase* cb = r->accessor->collection(obj);
        for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) {
            std::shared_ptr<void> item = cb->erased_at(k);
            if (r->kind == RelationshipKind::one_to_many) {
                set_back_reference(*r, item.get(), st.object);
                continue;
            }
            CollectionBase* bc = r->back->accessor->collection(item.get());
            if (bc && bc->internal().current() && !bc->erased_contains(obj)) bc->erased_append(st.object);
        }
    }
}

void RelationshipSync::set_back_reference(const RelationshipMapping& r, void* item, const std::shared_ptr<void>& owner) {
    RelatedBase* rb = r.back->accessor->related(item);
    if (!rb) return;
    RelatedState& rs = rb->internal();
    if (rs.target == owner) {
        rs.loaded = true;
        return;
    }
    std::shared_ptr<void> old = std::move(rs.target);
    rs.target = owner;
    rs.weak_target.reset();
    rs.loaded = true;
    rs.modified = true;
    rs.epoch = s_.link->epoch;
    if (!old) return;
    CollectionBase* oc = r.accessor->collection(old.get());
    if (oc && oc->internal().current()) oc->erased_remove(item);
}

void RelationshipSync::assigned(RelatedBase& member, const std::shared_ptr<void>& old_target) {
    RelatedState& rs = member.internal();
    const RelationshipMapping* r = rs.binding.relationship;
    auto owner = rs.binding.owner.lock();
    if (!r || !owner) return;
    rs.epoch = s_.link->epoch;
    ObjectState* os = s_.objects.find(owner.get());
    if (os && os->status != Status::deleted && r->cascade_save_update && joins(rs.target))
        track(rs.target, *r->target);
    if (!r->back) return;
    if (old_target && old_target != rs.target) {
        CollectionBase* oc = r->back->accessor->collection(old_target.get());
        if (oc && oc->internal().current()) oc->erased_remove(owner.get());
    }
    if (rs.target) {
        CollectionBase* nc = r->back->accessor->collection(rs.target.get());
        if (nc && nc->internal().current() && !nc->erased_contains(owner.get())) nc->erased_append(owner);
    }
}

void RelationshipSync::appended(CollectionBase& member, const std::shared_ptr<void>& item) {
    const RelationshipMapping* r = member.internal().binding.relationship;
    auto owner = member.internal().binding.owner.lock();
    if (!r || !owner) return;
    ObjectState* os = s_.objects.find(owner.get());
    if (os && os->status != Status::deleted && r->cascade_save_update && joins(item)) track(item, *r->target);
    if (!r->back) return;
    if (r->kind == RelationshipKind::one_to_many) {
        set_back_reference(*r, item.get(), owner);
        return;
    }
    CollectionBase* bc = r->back->accessor->collection(item.get());
    if (bc && bc->internal().current() && !bc->erased_contains(owner.get())) bc->erased_append(owner);
}

void RelationshipSync::removed(CollectionBase& member, const std::shared_ptr<void>& item) {
    const RelationshipMapping* r = member.internal().binding.relationship;
    auto owner = member.internal().binding.owner.lock();
    if (!r || !owner) return;
    if (r->kind == RelationshipKind::one_to_many && r->delete_orphan) {
        // A pending orphan never reaches the database (SQLAlchemy expunges it).
        ObjectState* is = s_.objects.find(item.get());
        if (is && is->status == Status::pending) {
            weaken(*is);
            s_.objects.forget(*is);
        }
    }
    if (!r->back) return;
    if (r->kind == RelationshipKind::one_to_many) {
        RelatedBase* rb = r->back->accessor->related(item.get());
        if (rb && rb->internal().target == owner) {
            RelatedState& rs = rb->internal();
            rs.target.reset();
            rs.loaded = true;
            // The collection's removal decides (orphan delete or NULL key) at flush.
            rs.modified = false;
        }
        return;
    }
    CollectionBase* bc = r->back->accessor->collection(item.get());
    if (bc && bc->internal().current()) bc->erased_remove(owner.get());
}

void RelationshipSync::after_flush(const std::vector<const ModelMapper*>& order,
                                   const std::unordered_set<const void*>& deleted) {
    for (const ModelMapper* m : order) {
        if (m->relationships.empty()) continue;
        ModelState& ms = s_.objects.model(*m);
        for (std::size_t i = 0; i < ms.members.size(); ++i) {
            ObjectState* st = ms.members[i];
            if (!st || st->status != Status::persistent) continue;
            if (!deleted.empty()) detach_deleted(*m, *st, deleted);
            follow_foreign_keys(*m, *st);
        }
    }
    // What the database now holds is the baseline for the next flush.
    for (const ModelMapper* m : order) {
        if (m->relationships.empty()) continue;
        for (ObjectState* st : s_.objects.model(*m).members) {
            if (!st) continue;
            for (const auto& r : m->relationships) {
                if (RelatedBase* rb = r->accessor->related(st->object.get())) {
                    rb->internal().modified = false;
                } else if (CollectionBase* cb = r->accessor->collection(st->object.get())) {
                    CollectionState& cs = cb->internal();
                    if (!cs.loaded) continue;
                    cs.original.clear();
                    for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) cs.original.push_back(cb->erased_at(k));
                }
            }
        }
    }
}

void RelationshipSync::detach_everywhere(const std::unordered_set<const void*>& deleted) {
    if (deleted.empty()) return;
    for (ModelState& ms : s_.objects.models())
        for (ObjectState* st : ms.members)
            if (st && st->status == Status::persistent && !st->model->relationships.empty())
                detach_deleted(*st->model, *st, deleted);
}

void RelationshipSync::detach_deleted(const ModelMapper& m, ObjectState& st,
                                      const std::unordered_set<const void*>& deleted) {
    void* obj = st.object.get();
    for (const auto& r : m.relationships) {
        if (RelatedBase* rb = r->accessor->related(obj)) {
            if (rb->internal().target && deleted.count(rb->internal().target.get())) rb->internal().unload();
            continue;
        }
        CollectionBase* cb = r->accessor->collection(obj);
        CollectionState& cs = cb->internal();
        if (!cs.loaded) continue;
        std::vector<const void*> gone;
        for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k)
            if (deleted.count(cb->erased_at(k).get())) gone.push_back(cb->erased_at(k).get());
        for (const void* g : gone) {
            cb->erased_remove(g);
            erase_from(cs.original, g);
        }
    }
}

void RelationshipSync::follow_foreign_keys(const ModelMapper& m, ObjectState& st) {
    void* obj = st.object.get();
    for (const auto& r : m.relationships) {
        if (RelatedBase* rb = r->accessor->related(obj)) {
            RelatedState& rs = rb->internal();
            if (!rs.loaded || !rs.target || rs.modified) continue;
            for (std::size_t i = 0; i < r->owner_columns.size(); ++i) {
                Value fk = m.columns[r->owner_columns[i]].accessor->get(obj);
                if (r->target->columns[r->target_columns[i]].accessor->equals(rs.target.get(), fk)) continue;
                rs.unload();  // the key was edited directly: resolve the target from it again
                break;
            }
            continue;
        }
        CollectionBase* cb = r->accessor->collection(obj);
        if (r->kind != RelationshipKind::one_to_many || !cb->internal().loaded || cb->erased_size() == 0) continue;
        std::vector<Value> key = values_of(m, obj, r->owner_columns);
        std::vector<std::shared_ptr<void>> moved;
        for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) {
            std::shared_ptr<void> item = cb->erased_at(k);
            for (std::size_t i = 0; i < key.size(); ++i) {
                if (r->target->columns[r->target_columns[i]].accessor->equals(item.get(), key[i])) continue;
                moved.push_back(item);
                break;
            }
        }
        for (const auto& item : moved) move_child(*r, *cb, item);
    }
}

void RelationshipSync::move_child(const RelationshipMapping& r, CollectionBase& from, const std::shared_ptr<void>& item) {
    from.erased_remove(item.get());
    erase_from(from.internal().original, item.get());
    if (r.back)
        if (RelatedBase* rb = r.back->accessor->related(item.get())) rb->internal().unload();
    if (r.owner_columns != r.owner->primary_key) return;
    std::vector<Value> key = values_of(*r.target, item.get(), r.target_columns);
    ObjectState* owner = s_.objects.model(*r.owner).identity.find(make_identity_key(key));
    if (!owner || owner->status != Status::persistent) return;
    CollectionBase* nc = r.accessor->collection(owner->object.get());
    if (!nc->internal().current() || nc->erased_contains(item.get())) return;
    nc->erased_append(item);
    nc->internal().original.push_back(item);
}

void RelationshipSync::weaken(ObjectState& st) noexcept {
    void* obj = st.object.get();
    for (const auto& r : st.model->relationships) {
        if (!r->back) continue;
        if (RelatedBase* rb = r->accessor->related(obj)) {
            RelatedState& rs = rb->internal();
            if (!rs.target) continue;
            CollectionBase* bc = r->back->accessor->collection(rs.target.get());
            if (bc && bc->internal().loaded && bc->erased_contains(obj)) {
                rs.weak_target = rs.target;
                rs.target.reset();
            }
            continue;
        }
        CollectionBase* cb = r->accessor->collection(obj);
        if (!cb->internal().loaded) continue;
        if (r->kind == RelationshipKind::one_to_many) {
            for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) {
                RelatedBase* rb = r->back->accessor->related(cb->erased_at(k).get());
                if (!rb || rb->internal().target.get() != obj) continue;
                rb->internal().weak_target = rb->internal().target;
                rb->internal().target.reset();
            }
            continue;
        }
        // Many-to-many: a pair of loaded collections holding each other; this side lets go.
        bool mirrored = false;
        for (std::size_t k = 0, n = cb->erased_size(); k < n && !mirrored; ++k) {
            CollectionBase* bc = r->back->accessor->collection(cb->erased_at(k).get());
            mirrored = bc && bc->internal().loaded && bc->erased_contains(obj);
        }
        if (!mirrored) continue;
        cb->erased_assign({});
        cb->internal().original.clear();
        cb->internal().loaded = false;
    }
}

void RelationshipSync::unload(const ModelMapper& m, void* object) noexcept {
    for (const auto& r : m.relationships) {
        if (RelatedBase* rb = r->accessor->related(object)) {
            rb->internal().unload();
        } else if (CollectionBase* cb = r->accessor->collection(object)) {
            cb->erased_assign({});
            cb->internal().loaded = false;
            cb->internal().original.clear();
        }
    }
}

}  // namespace strata::detail
