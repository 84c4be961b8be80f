// The bookstore program's parts, shared by main.cpp and the tests (tests/bookstore/):
// the strata::cli::App with its models, seeds and data fixes, and the `report` command.
#pragma once

#include <iosfwd>
#include <string>

#include "cmd/cli.hpp"

namespace bookstore {

// Seeds:
//   catalog       every environment  authors, books and tags; idempotent (upsert / get_or_create
//                                    by natural key), so it also updates prices on a rerun
//   demo_reviews  dev only           a few reviews, idempotent by (book, reviewer)
// Data fixes (`op = "call"` in migrations/):
//   fill_book_slugs                  sets books.slug from the title where it is empty
strata::cli::App make_app();

// `bookstore report`: a few ORM queries over the catalog, printed to `out`. Throws the
// ORM's errors (a database not at head, a connection failure).
void print_report(const std::string& url, std::ostream& out);

}  // namespace bookstore
