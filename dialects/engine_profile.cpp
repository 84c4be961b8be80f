// classify(): from what a server says about itself to an EngineProfile. The version
// formats recognised are listed in engine_profile.hpp.
#include "dialects/engine_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace strata {

namespace {

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool has(std::string_view text, std::string_view word) {
    return lowered(text).find(lowered(word)) != std::string::npos;
}

// The version in `text` from the first digit at or after `from`: major.minor.patch as
// ServerVersion reads them, `text` the dotted number only ("7.1.0", "15.18", "2.18.0.0").
ServerVersion version_after(std::string_view text, std::size_t from = 0) {
    std::size_t pos = std::min(from, text.size());
    while (pos < text.size() && !std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    std::size_t end = pos;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
    while (end > pos && text[end - 1] == '.') --end;
    std::string_view number = text.substr(pos, end - pos);
    ServerVersion v = ServerVersion::parse(number);
    v.text = std::string(number);
    return v;
}

// The version following `marker` in `text` (case-insensitive), or nothing when the marker
// is absent.
bool version_after_marker(std::string_view text, std::string_view marker, ServerVersion& out) {
    std::size_t at = lowered(text).find(lowered(marker));
    if (at == std::string::npos) return false;
    out = version_after(text, at + marker.size());
    return true;
}

// A distributed engine strata has no profile for: refused unless --engine-unchecked.
EngineProfile unsupported(std::string engine, ServerVersion version, const Capabilities& caps, LockKind lock,
                          std::string_view reason) {
    EngineProfile p;
    p.engine = std::move(engine);
    p.lock = lock;
    p.version = std::move(version);
    p.capabilities = caps;
    p.supported = false;
    std::string shown = p.version.text.empty() ? p.engine : p.engine + " " + p.version.text;
    p.refusal = fmt::format(
        "{} is not supported: {}. Use its own schema-change tool, or pass --engine-unchecked if "
        "you accept the risk (docs/clusters.md).",
        shown, reason);
    return p;
}

EngineProfile cockroachdb(const EngineFacts& facts, Capabilities caps) {
    ServerVersion v;
    version_after_marker(facts.version, "CockroachDB", v);
    caps.transactional_ddl = false;  // schema changes commit on their own, after the transaction
    caps.domains = false;
    // pg_advisory_lock is accepted and does nothing: only a lease row holds.
    return unsupported("CockroachDB", v, caps, LockKind::lease,
                       "its schema changes run as background jobs that commit outside the transaction "
                       "(a failed revision stays half applied), and pg_advisory_lock is a stub that "
                       "locks nothing, so two deploys could migrate at once");
}

EngineProfile yugabytedb(const EngineFacts& facts, Capabilities caps) {
    ServerVersion v;
    if (!version_after_marker(facts.version, "-YB-", v)) version_after_marker(facts.parameter_version, "-YB-", v);
    caps.transactional_ddl = false;  // each DDL statement is its own transaction by default
    return unsupported("YugabyteDB", v, caps, LockKind::lease,
                       "each DDL statement commits as its own transaction by default (a failed revision "
                       "stays half applied), and advisory locks are off unless enabled on every node");
}

EngineProfile tidb(const EngineFacts& facts, Capabilities caps) {
    ServerVersion v;
    version_after_marker(facts.version, "-TiDB-", v);  // @@version_comment has no version of its own
    caps.check_constraints = false;  // parsed but ignored unless tidb_enable_check_constraint is on (7.2+)
    caps.returning = false;
    caps.transactional_ddl = false;
    // User-level locks (GET_LOCK) are cluster-wide since TiDB 6.1; before, a no-op.
    return unsupported("TiDB", v, caps, v.at_least(6, 1) ? LockKind::session_lock : LockKind::lease,
                       "its DDL runs as asynchronous cluster jobs that commit on their own, and CHECK "
                       "constraints are ignored unless tidb_enable_check_constraint is on");
}

EngineProfile vitess(const EngineFacts& facts, Capabilities caps) {
    ServerVersion v;
    version_after_marker(facts.version, "-vitess-", v);  // the handshake's "5.7.9-vitess-10.0.0"
    caps.transactional_ddl = false;
    caps.returning = false;
    return unsupported("Vitess", v, caps, LockKind::lease,
                       "each shard's MySQL changes its schema on its own (a failure leaves shards with "
                       "different schemas), and GET_LOCK is held on one shard's server only");
}

EngineProfile galera(const EngineFacts& facts, EngineProfile p) {
    p.engine = "MariaDB Galera Cluster";
    p.lock = LockKind::lease;  // GET_LOCK is local to the node that granted it
    p.cluster_size = facts.wsrep_cluster_size;
    p.state = facts.wsrep_state;
    if (!p.standby) p.role = fmt::format("node of a {}-node cluster", facts.wsrep_cluster_size);
    if (!facts.wsrep_state.empty() && facts.wsrep_state != "Synced")
        p.notes.push_back(
            fmt::format("this Galera node is {}, not Synced: it may lag behind the cluster or refuse "
                        "statements; point strata at a Synced node",
                        facts.wsrep_state));
    if (!facts.wsrep_status.empty() && facts.wsrep_status != "Primary")
        p.notes.push_back(
            fmt::format("the node's cluster component is {}, not Primary: it has lost the quorum and "
                        "refuses writes until it rejoins",
                        facts.wsrep_status));
    // Only Total Order Isolation runs a DDL statement on every node; under Rolling Schema
    // Upgrade it changes the node it was sent to and nothing else.
    if (!facts.wsrep_osu_method.empty() && facts.wsrep_osu_method != "TOI") {
        p.supported = false;
        p.refusal = fmt::format(
            "{} runs DDL with wsrep_OSU_method = {}: a migration would change this node's schema only, and the "
            "other nodes would stay as they were. Set wsrep_OSU_method = TOI (the default) on the nodes, or pass "
            "--engine-unchecked if you roll the schema change out node by node yourself (docs/clusters.md).",
            p.describe(), facts.wsrep_osu_method);
    }
    if (facts.wsrep_cluster_size == 2)
        p.notes.push_back(
            "a 2-node Galera cluster cannot tell a failed node from a network split (split-brain "
            "risk): add a third node or a garbd arbitrator");
    return p;
}

EngineProfile mysql(const EngineFacts& facts, const Capabilities& caps) {
    if (has(facts.version, "-TiDB-") || has(facts.version_comment, "TiDB")) return tidb(facts, caps);
    if (has(facts.version, "vitess")) return vitess(facts, caps);
    EngineProfile p;
    p.capabilities = caps;
    p.lock = LockKind::session_lock;
    bool mariadb = has(facts.version, "MariaDB") || has(facts.version_comment, "MariaDB");
    p.engine = mariadb ? "MariaDB" : "MySQL";
    std::string_view text = facts.version;
    if (text.starts_with("5.5.5-")) text.remove_prefix(6);  // MariaDB's replication prefix
    p.version = version_after(text);
    p.version.mariadb = mariadb;
    p.role = facts.read_only ? "read-only replica" : "primary";
    p.standby = facts.read_only;
    if (mariadb && facts.wsrep_on) return galera(facts, std::move(p));
    return p;
}

EngineProfile postgresql(const EngineFacts& facts, const Capabilities& caps) {
    if (has(facts.version, "CockroachDB")) return cockroachdb(facts, caps);
    if (has(facts.version, "-YB-") || has(facts.parameter_version, "-YB-")) return yugabytedb(facts, caps);
    EngineProfile p;
    p.engine = "PostgreSQL";
    p.capabilities = caps;
    p.lock = LockKind::session_lock;
    p.version = version_after(facts.parameter_version.empty() ? facts.version : facts.parameter_version);
    if (facts.in_recovery) {
        p.role = "hot standby";
        p.standby = true;
    } else if (facts.read_only) {
        p.role = "read-only (default_transaction_read_only = on)";
        p.standby = true;
    } else {
        p.role = "primary";
    }
    return p;
}

}  // namespace

const char* to_string(LockKind kind) noexcept {
    switch (kind) {
        case LockKind::write_lock:
            return "write_lock";
        case LockKind::session_lock:
            return "session_lock";
        case LockKind::lease:
            return "lease";
    }
    return "?";
}

std::string EngineProfile::describe() const {
    std::string out = engine;
    if (!version.text.empty()) out += " " + version.text;
    std::string detail = role == "primary" ? std::string() : role;
    if (!state.empty()) detail += (detail.empty() ? "" : ", ") + state;
    if (!detail.empty()) out += " (" + detail + ")";
    return out;
}

EngineProfile classify(const EngineFacts& facts, const Capabilities& dialect_capabilities) {
    if (facts.dialect == "postgresql") return postgresql(facts, dialect_capabilities);
    if (facts.dialect == "mysql") return mysql(facts, dialect_capabilities);
    EngineProfile p;
    p.engine = facts.dialect == "sqlite" ? "SQLite" : facts.dialect;
    p.capabilities = dialect_capabilities;
    p.lock = LockKind::write_lock;
    p.version = version_after(facts.version);
    return p;
}

}  // namespace strata
