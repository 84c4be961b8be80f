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
// spatial_ref_sys, an extension's views). Partitions' own triggers, rules, policies and
// indexes are left out: the partition itself is noted.
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
  SELECT CASE WHEN r.relkind = 'f' THEN 'foreign table' WHEN r.relkind = 'S' THEN 'sequence'
              WHEN r.relkind = 'c' THEN 'composite type' WHEN r.relispartition THEN 'partition'
              WHEN r.relkind = 'p' THEN 'partitioned table' ELSE 'inherited table' END AS k,
         r.nspname::text AS s, r.relname::text AS nm,
         (SELECT string_agg(p.relname::text, ', ' ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = r.oid) AS tb
  FROM rel r
  WHERE r.relkind IN ('f', 'c', 'p')
     OR (r.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
         WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = r.oid AND d.deptype IN ('a', 'i')))
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
  SELECT 'partial index', r.nspname, ic.relname::text, r.relname::text
  FROM pg_catalog.pg_index i JOIN rel r ON r.oid = i.indrelid JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indpred IS NOT NULL AND NOT r.relispartition AND r.relkind <> 'm'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid)
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
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum type' ELSE 'range type' END, n.nspname::text,
         t.typname::text, NULL
  FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('d', 'e', 'r')
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid)
    -- an enum type a reflected column uses is modelled (the column's type); the column's
    -- dependency on its type is found through an index, unlike a scan of pg_attribute
    AND (t.typtype <> 'e' OR NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d JOIN rel r ON r.oid = d.objid
      WHERE d.refclassid = 'pg_catalog.pg_type'::regclass AND d.refobjid = t.oid
        AND d.classid = 'pg_catalog.pg_class'::regclass AND d.objsubid > 0
        AND r.relkind IN ('r', 'p') AND NOT r.relispartition))
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
