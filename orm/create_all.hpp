// create_all / drop_all / reflect on an Engine: SQLAlchemy's metadata.create_all()
// and drop_all(), and the inverse direction, reading a live database into the model.
//
//   strata::Metadata md = ...;                 // declared models
//   auto engine = strata::create_engine("sqlite:///app.db");
//   strata::create_all(md, engine);            // idempotent: existing tables are left alone
//   strata::Metadata live = strata::reflect(engine);
//
// Dialect differences are consulted through Capabilities and Dialect methods only.
#pragma once

#include "dialects/dialect.hpp"
#include "dialects/engine.hpp"
#include "orm/schema/metadata.hpp"

namespace strata {

struct CreateOptions {
    // Skip tables that already exist in the database (SQLAlchemy's checkfirst). When
    // false, every table of the Metadata is created and an existing one is a database
    // error.
    bool checkfirst = true;
};

// Creates the tables of `metadata` (with their indexes and constraints) that do not
// exist yet, parents before children, and before them its enum types, domains and
// sequences that do not exist yet (a sequence's owner column is set after the tables),
// then its views that do not exist yet, each after the views it reads. A database
// without named enum types (capabilities()) gives each enum column its labels instead;
// one without domains or sequences refuses them with Error(unsupported) before anything
// is created. Foreign keys are created inline, except those
// closing a cycle between tables created in this call: where the dialect can
// (capabilities().alter_constraints) they are added with ALTER TABLE once all tables
// exist; elsewhere (SQLite) they stay inline, since that database does not require the
// referenced table to exist at CREATE time. Existing tables are not altered.
//
// Runs in one transaction when the dialect has transactional DDL (and the connection
// is not already inside a transaction, in which case the caller's transaction is
// used): on failure nothing is created. Without transactional DDL (MySQL) a failure
// leaves the tables created before it in place, and each DDL statement commits any
// transaction the caller had open (a rule of that database).
//
// Throws Error(input) when metadata.validate() fails (nothing is touched), and the
// connection's errors (Error(database) etc., with the failing SQL) otherwise.
void create_all(const Metadata& metadata, Engine& engine, const CreateOptions& options = {});

// Drops the views of `metadata` that exist (those that read others first), then its
// tables that exist, children before parents, then its sequences, domains and enum
// types that exist. Foreign keys that would block a drop because of a cycle are dropped
// first (ALTER TABLE ... DROP CONSTRAINT) where the dialect can. Tables and objects not
// in `metadata` are never touched.
// Transactions and errors as for create_all.
void drop_all(const Metadata& metadata, Engine& engine);

// The schema of the engine's database as the dialect reflects it
// (engine.dialect().reflect(engine.connection(), options)).
Metadata reflect(Engine& engine, const ReflectOptions& options = {});

// `metadata` (declared models) with each view's definition as the engine's database
// would give it back (Dialect::canonical_view: PostgreSQL and MySQL rewrite the SELECT
// they are given), so that diffing the models against the database compares like with
// like. Creates and drops a throwaway view per declared view (MySQL: outside a
// transaction only); tables are untouched. The connection's errors propagate.
Metadata canonical_views(const Metadata& metadata, Engine& engine);

}  // namespace strata
