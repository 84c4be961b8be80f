#include "orm/seed.hpp"

#include <algorithm>

namespace strata::detail {

bool copy_columns_except_key(const ModelMapper& model, void* to, const void* from) {
    bool changed = false;
    for (std::size_t i = 0; i < model.columns.size(); ++i) {
        // The key identifies the row in the identity map and the database; the caller's
        // value usually holds 0 ("not generated yet") there, which must not overwrite it.
        if (std::find(model.primary_key.begin(), model.primary_key.end(), i) != model.primary_key.end()) continue;
        const ColumnAccessor& accessor = *model.columns[i].accessor;
        Value value = accessor.get(from);
        if (accessor.equals(to, value)) continue;
        accessor.set(to, value);
        changed = true;
    }
    return changed;
}

}  // namespace strata::detail
