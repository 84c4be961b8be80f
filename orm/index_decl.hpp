// IndexDecl: an index declared next to a model, with what goes beyond its keys: the
// access method, per-key operator classes and ordering, and a WHERE predicate.
//
//   strata::table<Doc>("docs")
//       ...
//       .index(strata::index_on({"payload"}).using_("gin").opclass("payload", "jsonb_path_ops"))
//       .index(strata::index_on({"email"}).unique().where("deleted_at IS NULL"))
//       .index(strata::index_on({"lower(email)"}).named("ix_docs_email_lower"))
//       .index(strata::index_on({"created_at"}).desc("created_at").nulls_last("created_at"));
//
// A key that names no column and has a parenthesis is an expression. Plain data: what
// a database cannot build (a method or operator class on SQLite or MySQL, WHERE on
// MySQL) is refused when it is rendered there, never dropped (docs/migrations.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orm/schema/table.hpp"

namespace strata {

class IndexDecl {
public:
    // Keys in order: column names or expressions ("lower(email)").
    explicit IndexDecl(std::vector<std::string> keys);

    // The index name; without one the naming convention gives ix_<table>_<keys>.
    IndexDecl& named(std::string name);
    IndexDecl& unique(bool value = true);
    // The access method: "gin", "gist", "brin", "hash", "spgist" (PostgreSQL); "btree"
    // is the default.
    IndexDecl& using_(std::string method);
    // A partial index: only rows where `predicate` (SQL) holds.
    IndexDecl& where(std::string predicate);
    // The operator class of `key` ("jsonb_path_ops", "text_pattern_ops"; PostgreSQL).
    // Declare only classes other than the type's default: the default reads back as none.
    IndexDecl& opclass(std::string_view key, std::string opclass);
    IndexDecl& desc(std::string_view key);
    IndexDecl& nulls_first(std::string_view key);
    IndexDecl& nulls_last(std::string_view key);
    // The per-key setters above throw Error(input) when `key` is not one of the keys.

    const Index& index() const noexcept { return index_; }

private:
    IndexKeyOptions& key(std::string_view key);
    Index index_;
};

// An index on `keys`, to refine and pass to TableBuilder::index().
inline IndexDecl index_on(std::vector<std::string> keys) { return IndexDecl(std::move(keys)); }

}  // namespace strata
