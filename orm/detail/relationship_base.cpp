// The relationship members' way to their session: lazy loads, expiry and the events of
// program changes (orm/detail/relationship_base.hpp).
#include "orm/detail/relationship_base.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "orm/detail/model_mapper.hpp"
#include "orm/detail/relationship_members.hpp"
#include "orm/detail/session_core.hpp"

namespace strata::detail {

namespace {

[[noreturn]] void detached_error(const RelationshipMapping& r) {
    throw Error(ErrorKind::usage, fmt::format("cannot load {}: the object's session is closed (or the object was "
                                              "expunged from it); load it with Query::eager() or keep the session "
                                              "open while using it",
                                              r.describe()));
}

}  // namespace

std::shared_ptr<void> RelatedBase::get_erased() const {
    if (!s_.current() && s_.binding.relationship) {
        if (!s_.binding.live()) detached_error(*s_.binding.relationship);
        s_.binding.session->core->load_related(const_cast<RelatedBase&>(*this));
    }
    if (s_.target || !s_.loaded) return s_.target;
    std::shared_ptr<void> p = s_.weak_target.lock();
    const std::weak_ptr<void> none;
    bool was_set = s_.weak_target.owner_before(none) || none.owner_before(s_.weak_target);
    if (!p && was_set)
        throw Error(ErrorKind::usage,
                    "the related object is gone: its session ended and nothing else held it (objects linked both "
                    "ways are not kept alive by each other); keep a reference to the parent while using it");
    return p;
}

void RelatedBase::assign_erased(std::shared_ptr<void> target, const void* target_tag) {
    std::shared_ptr<void> old = current_target();
    s_.target = std::move(target);
    s_.weak_target.reset();
    s_.loaded = true;
    s_.modified = true;
    if (s_.binding.relationship) {
        if (s_.binding.live()) s_.binding.session->core->related_assigned(*this, old);
        return;
    }
    // The owner is in no session, so no session can reach it. When the target is in one,
    // that session refuses to flush while this stays so, rather than lose the object.
    if (!s_.target || !target_tag || s_.noted) return;
    if (auto link = session_of(s_.target.get(), target_tag)) {
        link->core->note_unreachable(*this);
        s_.noted = std::move(link);
    }
}

void RelatedBase::forget_noted() noexcept {
    if (s_.noted->core) s_.noted->core->forget_unreachable(this);
    s_.noted.reset();
}

void CollectionBase::ensure_loaded() const {
    if (s_.current() || !s_.binding.relationship) return;
    if (!s_.binding.live()) detached_error(*s_.binding.relationship);
    s_.binding.session->core->load_collection(const_cast<CollectionBase&>(*this));
}

void CollectionBase::appended(const std::shared_ptr<void>& item) {
    if (s_.binding.relationship && s_.binding.live()) s_.binding.session->core->collection_appended(*this, item);
}

void CollectionBase::removed(const std::shared_ptr<void>& item) {
    if (s_.binding.relationship && s_.binding.live()) s_.binding.session->core->collection_removed(*this, item);
}

}  // namespace strata::detail
