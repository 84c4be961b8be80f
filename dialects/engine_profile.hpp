// EngineProfile: which database engine a connection reached (PostgreSQL or a hot standby
// of it, MySQL, MariaDB, a MariaDB Galera Cluster node, SQLite, or a distributed engine
// speaking one of their protocols) and what that means for migrating it safely
// (docs/clusters.md).
//
// Two steps, so that everything but the probe is pure and testable without a server:
//   1. Connection::engine_facts() asks the server (version(), @@version_comment, the
//      wsrep_* status, pg_is_in_recovery(), read_only); one or two round trips.
//   2. classify(facts) turns the answers into a profile: the engine's name and version,
//      its role, the migration lock that is safe on it, whether strata supports it at
//      all, and the capabilities the planner and runner consult.
// Connection::engine() does both once per connection and caches the result.
#pragma once

#include <string>
#include <vector>

#include "dialects/capabilities.hpp"
#include "dialects/online_ddl.hpp"

namespace strata {

// What a server says about itself. Plain data; fields a dialect cannot ask stay empty.
struct EngineFacts {
    std::string dialect;          // "sqlite", "postgresql", "mysql" (Dialect::name())
    std::string version;          // sqlite_version(), SELECT version() / @@version, as given
    std::string version_comment;  // MySQL/MariaDB @@version_comment ("" elsewhere)
    std::string parameter_version;  // PostgreSQL's server_version parameter status ("" elsewhere)
    // MariaDB Galera: wsrep_on = ON and the provider's status (wsrep_cluster_size,
    // wsrep_local_state_comment such as "Synced", wsrep_cluster_status such as "Primary").
    bool wsrep_on = false;
    int wsrep_cluster_size = 0;
    std::string wsrep_state;      // wsrep_local_state_comment
    std::string wsrep_status;     // wsrep_cluster_status
    std::string wsrep_osu_method; // wsrep_OSU_method: "TOI" (DDL on every node at once) or "RSU"
    bool in_recovery = false;     // PostgreSQL pg_is_in_recovery(): a hot standby
    bool read_only = false;       // MySQL @@read_only / @@super_read_only (a replica), PostgreSQL
                                  // default_transaction_read_only = on
};

// How the migration lock works on an engine (dialects/migration_lock.hpp).
enum class LockKind {
    write_lock,    // the database's own write lock per transaction (SQLite)
    session_lock,  // the server's session lock: pg_advisory_lock, GET_LOCK
    lease,         // a row in strata_lock, where the server's lock is node-local or absent
};

const char* to_string(LockKind kind) noexcept;

struct EngineProfile {
    std::string engine;       // "PostgreSQL", "MySQL", "MariaDB", "MariaDB Galera Cluster", "SQLite",
                              // "CockroachDB", "YugabyteDB", "TiDB", "Vitess", "Aurora DSQL"
    ServerVersion version;    // the engine's own version (TiDB's v7.1.0, not the 5.7.25 it mimics)
    std::string role;         // "primary", "hot standby", "read-only replica", "node of a 3-node cluster";
                              // "" for SQLite and for the distributed engines
    bool standby = false;     // read-only: nothing that writes may run (upgrade, downgrade, seed, stamp)
    int cluster_size = 0;     // Galera nodes in the cluster; 0 when not a cluster
    std::string state;        // a Galera node's wsrep_local_state_comment ("Synced"); "" elsewhere
    LockKind lock = LockKind::session_lock;
    // False for engines strata has no profile for (CockroachDB, YugabyteDB, TiDB, Vitess,
    // Aurora DSQL): the runner refuses to migrate them (Error(refused)) unless told
    // --engine-unchecked. `refusal` then says why and what to do, in one sentence or two.
    bool supported = true;
    std::string refusal;
    // The dialect's capabilities adjusted for this engine (e.g. TiDB: CHECK not enforced,
    // no RETURNING; CockroachDB: DDL not transactional).
    Capabilities capabilities;
    // Warnings worth printing once (a Galera node not Synced, a cluster of 2 nodes).
    std::vector<std::string> notes;

    // "MariaDB Galera Cluster 10.11.19 (node of a 3-node cluster, Synced)",
    // "PostgreSQL 15.18 (hot standby)", "SQLite 3.40.1", "PostgreSQL 16.4" (a role of
    // "primary" is left out: most servers are not replicated at all).
    std::string describe() const;
};

// The profile for `facts`, starting from `dialect_capabilities` (the connection's
// capabilities before any engine adjustment). Pure; throws nothing but std::bad_alloc.
// Unknown engines of a known protocol are profiled as the protocol's own engine (a MySQL
// fork is "MySQL"). Recognised from the version text the engines report:
//   CockroachDB  version()    "CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built ...)"
//   YugabyteDB   version()    "PostgreSQL 11.2-YB-2.18.0.0-b0 on x86_64-pc-linux-gnu, ..."
//   TiDB         @@version    "5.7.25-TiDB-v7.1.0", "8.0.11-TiDB-v8.5.0"
//   Vitess       @@version    "8.0.30-Vitess" (vtgate; the handshake may say "5.7.9-vitess-10.0.0")
//   MariaDB      @@version    "10.11.19-MariaDB", "5.5.5-10.6.4-MariaDB-log"
// Aurora DSQL is not recognised yet: no marker in its version text was found documented,
// so it is profiled as PostgreSQL (the name stays reserved for when it can be told apart).
EngineProfile classify(const EngineFacts& facts, const Capabilities& dialect_capabilities);

}  // namespace strata
