// Index rendering and normalization shared by the dialects: the key list of CREATE
// INDEX, the refusal of what a database cannot build (from its Capabilities), and the
// canonical form of an index's method and key ordering. Internal to strata_dialects.
#pragma once

#include <string>

#include "dialects/dialect.hpp"

namespace strata::detail {

// `"a", (lower(b)) text_pattern_ops, "c" DESC NULLS LAST`: columns quoted, expressions
// in parentheses, then each key's operator class (verbatim), DESC, NULLS FIRST / LAST
// (only where capabilities().index_nulls_order: elsewhere the only order accepted is
// the database's own, which needs no clause).
std::string index_key_list(const Dialect& dialect, const Table& table, const Index& index);

// Throws Error(unsupported), naming the index, the table and what to do, when the
// index asks for something dialect.capabilities() says the database cannot build: an
// access method other than a B-tree or an operator class (index_methods), a WHERE
// predicate (partial_indexes), or a NULLS order other than the database's own for the
// key's direction (index_nulls_order). Never drops any of them silently.
void require_index_support(const Dialect& dialect, const Table& table, const Index& index);

// The index as the database reports it back: method lower case ("" for btree), an
// explicit NULLS order equal to the database's default for the key's direction
// (capabilities.nulls_sort_last) made database_default, trailing default key options
// removed.
void normalize_index_options(Index& index, const Capabilities& capabilities);

}  // namespace strata::detail
