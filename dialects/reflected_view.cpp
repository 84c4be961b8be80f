#include "dialects/detail/reflected_view.hpp"

namespace strata::detail {

std::string catalog_text(const Value& value) {
    if (const auto* s = std::get_if<std::string>(&value)) return *s;
    if (const auto* b = std::get_if<Blob>(&value)) return std::string(b->bytes.begin(), b->bytes.end());
    return {};
}

void add_reflected_view(Metadata& out, View view, const ReflectOptions& options, const std::string& schema,
                        const std::string& database) {
    if (!options.internal_prefix.empty() && view.name.starts_with(options.internal_prefix)) return;
    view.definition = trimmed_definition(view.definition);
    if (!view.definition.empty()) {
        out.add_view(std::move(view));
        return;
    }
    UnmodelledObject note = make_unmodelled(UnmodelledKind::view, schema, view.name, "", database);
    note.reason = "its definition is not readable here (privileges): not compared, not reproduced";
    out.add_unmodelled(std::move(note));
}

}  // namespace strata::detail
