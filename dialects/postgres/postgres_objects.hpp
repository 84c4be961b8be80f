// PostgreSQL schema objects beside the tables: sequences, domains and enum types
// (orm/schema/sequence.hpp, domain.hpp, enum_type.hpp). Rendering of their operations
// and their normalization; reflection is in postgres_introspect.cpp. Internal to the
// PostgreSQL dialect.
//
//  - CREATE SEQUENCE ... AS <type> INCREMENT BY .. [MINVALUE ..] [MAXVALUE ..] [START
//    WITH ..] [CACHE ..] [CYCLE] [OWNED BY t.c]; ALTER SEQUENCE with the clauses that
//    change (START WITH changes the recorded start, never the current value); DROP
//    SEQUENCE IF EXISTS (a sequence owned by a dropped table or column is already gone).
//  - CREATE DOMAIN ... AS <type> [DEFAULT ..] [NOT NULL] [CONSTRAINT .. CHECK (..)];
//    ALTER DOMAIN SET/DROP DEFAULT, SET/DROP NOT NULL, ADD/DROP CONSTRAINT. A new base
//    type is refused (PostgreSQL cannot change it): Error(unsupported).
//  - CREATE TYPE ... AS ENUM; DROP TYPE. A change that only adds labels is one
//    ALTER TYPE ... ADD VALUE IF NOT EXISTS ... BEFORE/AFTER per label, each run outside
//    the migration's transaction (SqlStatement::transactional = false): PostgreSQL
//    refuses to use a label in the transaction that added it, and steps after it may
//    (a default, a data fix), and IF NOT EXISTS makes a re-run after a failure harmless.
//    Any other change (labels removed or reordered) rebuilds the type: rename the old
//    one aside, create the new one, convert every column of that type through text
//    (its default dropped and set again), drop the old type; rows holding a removed
//    label make the conversion fail. A domain based on the type is refused.
#pragma once

#include <optional>
#include <vector>

#include "dialects/postgres/postgres_dialect.hpp"

namespace strata::postgres {

// The statements of a schema-object operation; std::nullopt for any other operation.
std::optional<std::vector<SqlStatement>> render_object_op(const PostgresDialect& d, const Operation& operation,
                                                          const RenderContext& ctx);

// As the server keeps them: names cut to 63 bytes, a sequence's values that equal
// PostgreSQL's defaults unset, a domain's type, default and checks normalized like a
// column's, domain columns spelled with the domain's name. Reflection ends with it too.
void normalize_objects(const PostgresDialect& d, Metadata& metadata);

// The values a sequence of this type and direction gets when they are not given.
std::int64_t default_min(const Sequence& s) noexcept;
std::int64_t default_max(const Sequence& s) noexcept;
std::int64_t default_start(const Sequence& s) noexcept;

}  // namespace strata::postgres
