// Where the relationship members of each model type sit, for every registry of the
// program (private to the ORM). With it, a many-to-one member assigned on an object that
// no session knows can find the session of its target (RelatedBase::assign_erased), so
// that the session can refuse to lose that object silently. Thread-safe.
#pragma once

#include <memory>

#include "orm/detail/model_mapper.hpp"
#include "orm/detail/relationship_base.hpp"

namespace strata::detail {

// Called for each relationship a registry declares on the model with type tag `model_tag`.
void record_relationship_member(const void* model_tag, const RelationshipAccessor& accessor);
// The link of the open session whose relationship members `object` (of the model with type
// tag `model_tag`) is bound to, or nullptr. Reads only the object's own members.
std::shared_ptr<SessionLink> session_of(const void* object, const void* model_tag);

}  // namespace strata::detail
