// How PostgreSQL changes tables (docs: "ALTER TABLE", Notes; "Explicit Locking"):
// almost every ALTER TABLE takes ACCESS EXCLUSIVE, so what matters is how long it is
// held: a catalog change is instant, a scan (SET NOT NULL, a constraint validated in
// the ALTER) or a rewrite (a type change that is not binary coercible, a volatile
// default) lasts as long as the table is big.
#include "dialects/postgres/postgres_dialect.hpp"

namespace strata {

namespace {

constexpr const char* access_exclusive = "ACCESS EXCLUSIVE";

// Binary coercible (no rewrite, no scan): VARCHAR(n) to a longer VARCHAR or to TEXT,
// TEXT to TEXT, NUMERIC(p,s) to NUMERIC(q,s) with q >= p or unconstrained.
bool binary_coercible(const ColumnType& from, const ColumnType& to) {
    using T = TypeKind;
    if (!from.native.empty() && from.kind == T::other) return false;
    const bool varchar_from = from.kind == T::string && !from.fixed_length;
    if (varchar_from && to.kind == T::text) return true;
    if (varchar_from && to.kind == T::string && !to.fixed_length)
        return !to.length || (from.length && *to.length >= *from.length);
    if (from.kind == T::text && to.kind == T::text) return true;
    if (from.kind == T::numeric && to.kind == T::numeric) {
        if (!to.precision) return true;
        return from.precision && *to.precision >= *from.precision && from.scale.value_or(0) == to.scale.value_or(0);
    }
    return false;
}

}  // namespace

ServerVersion PostgresDialect::assumed_server_version() const { return ServerVersion::parse("12.0"); }

OnlineDdl PostgresDialect::online_ddl(const ServerVersion& version) const {
    OnlineDdl o;
    o.concurrent_index = true;
    o.not_valid_constraints = true;
    o.not_null_from_check = version.at_least(12);
    o.add_column_default =
        version.at_least(11) ? OnlineDdl::DefaultRewrite::volatile_only : OnlineDdl::DefaultRewrite::always;
    return o;
}

DdlCost PostgresDialect::ddl_cost(const DdlChange& change, const ServerVersion&) const {
    using K = DdlChange::Kind;
    const DdlCost instant{DdlAlgorithm::instant, DdlLock::exclusive, false, false, access_exclusive};
    const DdlCost scan{DdlAlgorithm::inplace, DdlLock::exclusive, false, true, access_exclusive};
    const DdlCost rewrite{DdlAlgorithm::copy, DdlLock::exclusive, true, false, access_exclusive};
    switch (change.kind) {
        case K::change_type:
            if (change.from && change.to && binary_coercible(change.from->type, change.to->type)) return instant;
            return rewrite;
        case K::set_not_null:
        case K::add_check:
        case K::change_primary_key:
            return scan;
        case K::add_index:
            // CREATE INDEX takes SHARE: reads go on, writes wait for the whole build.
            return {DdlAlgorithm::inplace, DdlLock::shared, false, true, "SHARE"};
        case K::add_foreign_key:
            // SHARE ROW EXCLUSIVE on both tables while every row is checked.
            return {DdlAlgorithm::inplace, DdlLock::shared, false, true, "SHARE ROW EXCLUSIVE"};
        default:
            return instant;  // add/drop/rename column, defaults, drops: catalog only
    }
}

}  // namespace strata
