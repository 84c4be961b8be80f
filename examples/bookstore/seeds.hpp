// Seeds and data fixes of the bookstore (registered in app.cpp).
#pragma once

#include "orm/session.hpp"

namespace bookstore {

// Authors, books and tags (every environment). Needs the schema at head.
void seed_catalog(strata::Session& session);
// Reviews of the catalog's books (dev). Needs seed_catalog first: Error(not_found)
// naming no book otherwise.
void seed_demo_reviews(strata::Session& session);

// Data fix called by the revision that adds books.slug: gives every book whose slug is
// empty the slug of its title, made unique with a "-2", "-3", ... suffix. Idempotent.
void fill_book_slugs(strata::Session& session);

}  // namespace bookstore
