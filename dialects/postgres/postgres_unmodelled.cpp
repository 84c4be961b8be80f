// PostgresDialect::reflect_unmodelled: everything in current_schema() (and the
// database-wide extensions and event triggers) that the schema model does not describe
// (views are modelled: postgres_views.cpp; their triggers, rules and indexes are not),
// in ONE catalog query, whatever the number of tables. Each branch of the UNION names
// its kind as kind_name() spells it.
#include "dialects/detail/unmodelled_rows.hpp"
#include "dialects/postgres/postgres_dialect.hpp"

namespace strata {

namespace {

// rel: the relations of the schema, without those owned by an extension (PostGIS's
// spatial_ref_sys, an extension's views). Partitions' own triggers, rules and policies
// are left out: the partition itself is noted. Indexes of every kind (methods,
// operator classes, expressions, WHERE) are modelled.
constexpr const char* kUnmodelledQuery = R"(WITH ns AS (
  SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname = current_schema()
), ext AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), rel AS MATERIALIZED (
  SELECT c.oid, c.relname, c.relkind, c.relispartition, c.relrowsecurity, n.nspname
  FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid)
)
SELECT k, s, nm, tb FROM (
  SELECT CASE WHEN r.relkind = 'f' THEN 'foreign table'
              WHEN r.relkind = 'c' THEN 'composite type' WHEN r.relispartition THEN 'partition'
              WHEN r.relkind = 'p' THEN 'partitioned table' ELSE 'inherited table' END AS k,
         r.nspname::text AS s, r.relname::text AS nm,
         (SELECT string_agg(p.relname::text, ', ' ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = r.oid) AS tb
  FROM rel r
  WHERE r.relkind IN ('f', 'c', 'p')
     OR (r.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = r.oid))
  UNION ALL
  SELECT 'trigger', r.nspname, t.tgname::text, r.relname::text
  FROM pg_catalog.pg_trigger t JOIN rel r ON r.oid = t.tgrelid
  WHERE NOT t.tgisinternal AND NOT r.relispartition
  UNION ALL
  SELECT 'rule', r.nspname, ru.rulename::text, r.relname::text
  FROM pg_catalog.pg_rewrite ru JOIN rel r ON r.oid = ru.ev_class
  WHERE ru.rulename <> '_RETURN' AND NOT r.relispartition
  UNION ALL
  SELECT 'policy', r.nspname, pol.polname::text, r.relname::text
  FROM pg_catalog.pg_policy pol JOIN rel r ON r.oid = pol.polrelid
  WHERE NOT r.relispartition
  UNION ALL
  SELECT 'row-level security', r.nspname, r.relname::text, r.relname::text
  FROM rel r WHERE r.relrowsecurity AND r.relkind IN ('r', 'p') AND NOT r.relispartition
  UNION ALL
  SELECT 'exclusion constraint', r.nspname, con.conname::text, r.relname::text
  FROM pg_catalog.pg_constraint con JOIN rel r ON r.oid = con.conrelid
  WHERE con.contype = 'x' AND NOT r.relispartition
  UNION ALL
  SELECT 'materialized view index', r.nspname, ic.relname::text, r.relname::text
  FROM pg_catalog.pg_index i JOIN rel r ON r.oid = i.indrelid JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE r.relkind = 'm'
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'f' THEN 'function' ELSE 'aggregate' END, n.nspname::text,
         p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', NULL
  FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_proc'::regclass AND ext.objid = p.oid)
    -- a range type's constructors belong to the type
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
  UNION ALL
  SELECT 'range type', n.nspname::text, t.typname::text, NULL
  FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype = 'r'
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid)
  UNION ALL
  SELECT 'extension', en.nspname::text, e.extname::text, NULL
  FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace en ON en.oid = e.extnamespace
  WHERE e.extname <> 'plpgsql'
  UNION ALL
  SELECT 'event trigger', NULL, evtname::text, NULL FROM pg_catalog.pg_event_trigger
) u
ORDER BY k, nm, tb)";

}  // namespace

void PostgresDialect::reflect_unmodelled(Connection& conn, const ReflectOptions& options, Metadata& out) const {
    detail::add_unmodelled_rows(conn, kUnmodelledQuery, "PostgreSQL", options, out);
}

}  // namespace strata
