#include "orm/detail/relationship_members.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata::detail {

namespace {

struct MemberTable {
    std::mutex mutex;
    std::unordered_map<const void*, std::vector<std::pair<bool, std::size_t>>> by_model;
};

MemberTable& table() {
    static MemberTable t;
    return t;
}

}  // namespace

void record_relationship_member(const void* model_tag, const RelationshipAccessor& accessor) {
    MemberTable& t = table();
    std::lock_guard<std::mutex> lock(t.mutex);
    auto& members = t.by_model[model_tag];
    std::pair<bool, std::size_t> member{accessor.is_collection(), accessor.offset()};
    if (std::find(members.begin(), members.end(), member) == members.end()) members.push_back(member);
}

std::shared_ptr<SessionLink> session_of(const void* object, const void* model_tag) {
    std::vector<std::pair<bool, std::size_t>> members;
    {
        MemberTable& t = table();
        std::lock_guard<std::mutex> lock(t.mutex);
        auto it = t.by_model.find(model_tag);
        if (it == t.by_model.end()) return nullptr;
        members = it->second;
    }
    for (auto [collection, offset] : members) {
        RelationshipAccessor a(collection, offset);
        void* obj = const_cast<void*>(object);
        const RelationshipBinding& b = collection ? a.collection(obj)->internal().binding : a.related(obj)->internal().binding;
        if (b.live() && b.owner.lock().get() == object) return b.session;
    }
    return nullptr;
}

}  // namespace strata::detail
