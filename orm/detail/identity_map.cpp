#include "orm/detail/identity_map.hpp"

#include <algorithm>
#include <iterator>

namespace strata::detail {

ModelState& IdentityMap::model(const ModelMapper& m) {
    while (models_.size() <= m.index) models_.emplace_back();
    ModelState& ms = models_[m.index];
    if (!ms.snapshots.configured()) {
        std::size_t texts = 0;
        for (const ColumnMapping& c : m.columns) {
            std::size_t kind = c.accessor->canonical_index();
            texts += kind == 4 || kind == 5;  // std::string, Blob
        }
        ms.snapshots.configure(m.columns.size(), texts);
    }
    return ms;
}

ObjectState* IdentityMap::find(const void* object) {
    if (!unindexed_.empty()) catch_up_index();
    return index_.find(object);
}

void IdentityMap::catch_up_index() {
    index_.reserve(index_.size() + unindexed_.size());
    // Entries may be stale (a state released, or released and reused): skip those.
    for (ObjectState* st : unindexed_) {
        if (!st->object || st->indexed) continue;
        index_.insert(st->object.get(), st);
        st->indexed = true;
    }
    unindexed_.clear();
}

ObjectState& IdentityMap::create(std::shared_ptr<void> object, const ModelMapper& m, Status status) {
    ObjectState* st = new (pool_.make()) ObjectState{};
    st->object = std::move(object);
    st->model = &m;
    st->status = status;
    st->serial = next_serial_++;
    unindexed_.push_back(st);
    return *st;
}

ObjectState& IdentityMap::create_pending(std::shared_ptr<void> object, const ModelMapper& m) {
    ObjectState& st = create(std::move(object), m, Status::pending);
    model(m).pending.push_back(&st);
    return st;
}

Snapshot IdentityMap::new_snapshot(const ModelMapper& m, Value* values) { return model(m).snapshots.make(values); }

void IdentityMap::attach(ObjectState& s, const IdentityKey& key, ModelState& ms) {
    s.slot = static_cast<std::uint32_t>(ms.members.size());
    ms.members.push_back(&s);
    ms.identity.insert(key, &s);
}

void IdentityMap::attach(ObjectState& s) {
    attach(s, s.snapshot.key(s.model->primary_key), model(*s.model));
}

// A released state stays a valid, empty ObjectState (object == nullptr): lists may still
// point at it and must be able to tell it is gone.
void IdentityMap::release_state(ObjectState* st) {
    *st = ObjectState{};
    pool_.recycle(st);
}

// Keeps iteration cheap once many members are gone.
void IdentityMap::compact(ModelState& ms) {
    if (ms.dead <= 64 || ms.dead * 2 <= ms.members.size()) return;
    std::size_t w = 0;
    for (ObjectState* p : ms.members) {
        if (!p) continue;
        p->slot = static_cast<std::uint32_t>(w);
        ms.members[w++] = p;
    }
    ms.members.resize(w);
    ms.dead = 0;
}

void IdentityMap::forget(ObjectState& s, std::vector<Value>* keep) noexcept {
    ModelState& ms = model(*s.model);
    if (s.status == Status::pending) {
        auto it = std::find(ms.pending.begin(), ms.pending.end(), &s);
        if (it != ms.pending.end()) ms.pending.erase(it);
    } else {
        if (s.snapshot) ms.identity.erase(s.snapshot.key(s.model->primary_key), &s);
        if (s.slot < ms.members.size() && ms.members[s.slot] == &s) {
            ms.members[s.slot] = nullptr;
            ++ms.dead;
        }
        if (s.status == Status::deleted) {
            auto d = std::find(ms.deleted.begin(), ms.deleted.end(), &s);
            if (d != ms.deleted.end()) ms.deleted.erase(d);
        }
        compact(ms);
    }
    if (s.snapshot) {
        // A failed copy leaves `keep` short; the journal then restores what it has.
        try {
            if (keep) s.snapshot.values(*keep);
        } catch (...) {
        }
        ms.snapshots.release(s.snapshot);
        s.snapshot = Snapshot();
    }
    if (s.indexed) index_.erase(s.object.get(), &s);
    release_state(&s);
}

void IdentityMap::drop_pending(ObjectState* st) noexcept {
    if (!st->object || st->status != Status::pending) return;
    if (st->indexed) index_.erase(st->object.get(), st);
    release_state(st);
}

void IdentityMap::reserve(const ModelMapper& m, std::size_t n) {
    unindexed_.reserve(unindexed_.size() + n);
    ModelState& ms = model(m);
    ms.pending.reserve(ms.pending.size() + n);
}

void IdentityMap::clear() noexcept {
    index_.clear();
    unindexed_.clear();
    pool_.clear();
    for (ModelState& ms : models_) {
        ms.snapshots.clear();
        ms.identity.clear();
        ms.members.clear();
        ms.dead = 0;
        ms.pending.clear();
        ms.deleted.clear();
    }
}

}  // namespace strata::detail
