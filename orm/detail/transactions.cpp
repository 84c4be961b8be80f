#include "orm/detail/transactions.hpp"

#include <fmt/format.h>

#include <exception>

#include "orm/detail/relationship_sync.hpp"

namespace strata::detail {

namespace {

// A journalled value back into a snapshot. Out of memory, the column keeps its newer
// value: the rollback expires every object anyway, so it is read again before use.
void restore_column(Snapshot snapshot, std::size_t column, const Value& v) noexcept {
    try {
        snapshot.set(column, v);
    } catch (...) {
    }
}

}  // namespace

std::uint64_t Transactions::begin_nested() {
    s_.ensure_transaction();
    Frame f;
    f.id = s_.next_frame++;
    f.savepoint = fmt::format("strata_sp_{}", s_.next_savepoint++);
    f.journal_mark = s_.journal.size();
    s_.connection().savepoint(f.savepoint);
    s_.frames.push_back(std::move(f));
    return s_.frames.back().id;
}

void Transactions::commit_all() {
    if (s_.frames.empty()) return;
    Frame bottom = s_.frames.front();
    try {
        if (bottom.owns_transaction) s_.connection().commit();
        else s_.connection().release_savepoint(bottom.savepoint);
    } catch (...) {
        // A failed COMMIT has rolled the transaction back.
        rollback_to(0, false);
        throw;
    }
    s_.frames.clear();
    s_.journal.clear();
}

void Transactions::release(std::size_t index) {
    s_.connection().release_savepoint(s_.frames[index].savepoint);
    s_.frames.resize(index);
}

std::size_t Transactions::index_of(std::uint64_t id) const {
    for (std::size_t i = 0; i < s_.frames.size(); ++i)
        if (s_.frames[i].id == id) return i;
    throw Error(ErrorKind::usage, "the transaction is no longer active: it was committed or rolled back already "
                                  "(possibly by an enclosing transaction or a failed flush)");
}

void Transactions::rollback_to(std::size_t depth, bool rethrow) {
    std::exception_ptr failure;
    if (depth < s_.frames.size()) {
        Frame f = s_.frames[depth];
        try {
            Connection& c = s_.connection();
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
        s_.frames.resize(depth);
    }
    reset_objects();
    if (failure && rethrow) std::rethrow_exception(failure);
}

void Transactions::undo_journal(std::size_t mark) noexcept {
    Journal& jn = s_.journal;
    while (jn.entries.size() > mark) {
        JournalEntry e = std::move(jn.entries.back());
        jn.entries.pop_back();
        if (e.kind == JournalEntry::Kind::updated) {
            ObjectState* st = e.state;
            // A state released (its object forgotten) or reused since holds nothing to undo.
            if (st->object && st->serial == e.serial && st->snapshot)
                for (std::size_t k = 0; k < e.count; ++k)
                    restore_column(st->snapshot, jn.columns[e.offset + k], jn.values[e.offset + k]);
        } else if (!s_.objects.find(e.object.get())) {
            // The DELETE is undone: the object is tracked again.
            s_.deleted.erase(e.object.get());
            ObjectState& ns = s_.objects.create(e.object, *e.model, Status::persistent);
            ns.snapshot = s_.objects.new_snapshot(*e.model, jn.values.data() + e.offset);
            ns.inserted_frame = e.inserted_frame;
            ns.generated_key = e.generated_key;
            s_.objects.attach(ns);
            if (!e.model->relationships.empty()) RelationshipSync(s_).bind(ns);
        }
        jn.values.resize(e.offset);
        jn.columns.resize(e.offset);
    }
}

void Transactions::forget_inserted_since(std::uint64_t frame) noexcept {
    RelationshipSync sync(s_);
    for (ModelState& ms : s_.objects.models()) {
        std::vector<ObjectState*> gone;
        for (ObjectState* st : ms.members)
            if (st && st->inserted_frame >= frame) gone.push_back(st);
        for (ObjectState* st : gone) {
            const ModelMapper& m = *st->model;
            // Generated keys were "unset" (0 / std::nullopt) before the INSERT.
            if (st->generated_key) m.columns[*m.generated_key].accessor->reset(st->object.get());
            if (!m.relationships.empty()) sync.weaken(*st);
            s_.objects.forget(*st);
        }
    }
}

void Transactions::reset_objects() noexcept {
    // Pending objects are found through the states themselves: a flush that failed may
    // have taken some out of their model's pending list already.
    for (ModelState& ms : s_.objects.models()) {
        for (ObjectState* st : ms.pending) s_.objects.drop_pending(st);
        ms.pending.clear();
        for (ObjectState* st : ms.deleted)
            if (st->status == Status::deleted) st->status = Status::persistent;
        ms.deleted.clear();
        for (ObjectState* st : ms.members) {
            if (!st) continue;
            const ModelMapper& m = *st->model;
            void* obj = st->object.get();
            for (std::size_t c = 0; c < m.columns.size(); ++c) {
                const ColumnAccessor& a = *m.columns[c].accessor;
                if (st->snapshot.matches(c, a, obj)) continue;
                try {
                    a.set(obj, st->snapshot.value(c));
                } catch (...) {
                    // Snapshots hold canonical values of the member's own type.
                }
            }
            RelationshipSync::unload(m, obj);
        }
    }
    ++s_.link->epoch;  // everything is expired: the database may hold other values now
}

}  // namespace strata::detail
