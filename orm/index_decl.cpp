#include "orm/index_decl.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata {

IndexDecl::IndexDecl(std::vector<std::string> keys) { index_.columns = std::move(keys); }

IndexDecl& IndexDecl::named(std::string name) {
    index_.name = std::move(name);
    return *this;
}

IndexDecl& IndexDecl::unique(bool value) {
    index_.unique = value;
    return *this;
}

IndexDecl& IndexDecl::using_(std::string method) {
    index_.method = std::move(method);
    return *this;
}

IndexDecl& IndexDecl::where(std::string predicate) {
    index_.where = std::move(predicate);
    return *this;
}

IndexDecl& IndexDecl::opclass(std::string_view key, std::string opclass) {
    this->key(key).opclass = std::move(opclass);
    return *this;
}

IndexDecl& IndexDecl::desc(std::string_view key) {
    this->key(key).descending = true;
    return *this;
}

IndexDecl& IndexDecl::nulls_first(std::string_view key) {
    this->key(key).nulls = NullsOrder::first;
    return *this;
}

IndexDecl& IndexDecl::nulls_last(std::string_view key) {
    this->key(key).nulls = NullsOrder::last;
    return *this;
}

IndexKeyOptions& IndexDecl::key(std::string_view key) {
    auto it = std::find(index_.columns.begin(), index_.columns.end(), key);
    if (it == index_.columns.end()) {
        std::string keys;
        for (const std::string& k : index_.columns) keys += (keys.empty() ? "" : ", ") + k;
        throw Error(ErrorKind::input,
                    fmt::format("index_on({{{}}}): '{}' is not one of its keys; name the key exactly as listed", keys,
                                key));
    }
    return index_.key(static_cast<std::size_t>(it - index_.columns.begin()));
}

}  // namespace strata
