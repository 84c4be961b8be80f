// classify() on the facts real servers report: the version strings of each engine as it
// prints them, the Galera status, standbys and replicas.
#include "dialects/engine_profile.hpp"

#include <catch2/catch.hpp>

using namespace strata;

namespace {

// Capabilities as the PostgreSQL and MySQL dialects start them where it matters here.
Capabilities postgres_like() {
    Capabilities c;
    c.transactional_ddl = true;
    c.returning = true;
    c.check_constraints = true;
    c.domains = true;
    return c;
}

Capabilities mysql_like(bool returning = false) {
    Capabilities c;
    c.transactional_ddl = false;
    c.returning = returning;
    c.check_constraints = true;
    return c;
}

EngineFacts postgres_facts(std::string version, std::string parameter) {
    EngineFacts f;
    f.dialect = "postgresql";
    f.version = std::move(version);
    f.parameter_version = std::move(parameter);
    return f;
}

EngineFacts mysql_facts(std::string version, std::string comment = "") {
    EngineFacts f;
    f.dialect = "mysql";
    f.version = std::move(version);
    f.version_comment = std::move(comment);
    return f;
}

EngineFacts galera_facts(int size, std::string state, std::string status) {
    EngineFacts f = mysql_facts("10.11.19-MariaDB-log", "MariaDB Server");
    f.wsrep_on = true;
    f.wsrep_cluster_size = size;
    f.wsrep_state = std::move(state);
    f.wsrep_status = std::move(status);
    return f;
}

bool mentions(const std::string& text, const std::string& word) { return text.find(word) != std::string::npos; }

void check_refused(const EngineProfile& p, const std::string& engine) {
    CHECK_FALSE(p.supported);
    CHECK(mentions(p.refusal, engine));
    CHECK(mentions(p.refusal, "--engine-unchecked"));
    CHECK(mentions(p.refusal, "docs/clusters.md"));
}

}  // namespace

TEST_CASE("engine_profile: CockroachDB is refused, with its own version and no transactional DDL", "[engine]") {
    EngineProfile p =
        classify(postgres_facts("CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built 2023/09/27 01:53:43, go1.19.10)",
                                "13.0.0"),
                 postgres_like());
    CHECK(p.engine == "CockroachDB");
    CHECK(p.version.text == "23.1.11");
    CHECK(p.version.major == 23);
    CHECK(p.version.minor == 1);
    CHECK(p.version.patch == 11);
    CHECK(p.lock == LockKind::lease);
    CHECK_FALSE(p.capabilities.transactional_ddl);
    CHECK(p.capabilities.returning);
    check_refused(p, "CockroachDB 23.1.11");
    CHECK(mentions(p.refusal, "pg_advisory_lock"));
    CHECK(p.describe() == "CockroachDB 23.1.11");
}

TEST_CASE("engine_profile: YugabyteDB is refused, versioned by its own release, not PostgreSQL 11.2", "[engine]") {
    EngineProfile p = classify(postgres_facts("PostgreSQL 11.2-YB-2.18.0.0-b0 on x86_64-pc-linux-gnu, compiled by "
                                              "clang version 15.0.3, 64-bit",
                                              "11.2-YB-2.18.0.0-b0"),
                               postgres_like());
    CHECK(p.engine == "YugabyteDB");
    CHECK(p.version.text == "2.18.0.0");
    CHECK(p.version.major == 2);
    CHECK(p.version.minor == 18);
    CHECK(p.lock == LockKind::lease);
    CHECK_FALSE(p.capabilities.transactional_ddl);
    check_refused(p, "YugabyteDB 2.18.0.0");
}

TEST_CASE("engine_profile: YugabyteDB is recognised from the parameter status alone", "[engine]") {
    EngineProfile p = classify(postgres_facts("", "15.12-YB-2025.1.0.0-b0"), postgres_like());
    CHECK(p.engine == "YugabyteDB");
    CHECK(p.version.text == "2025.1.0.0");
}

TEST_CASE("engine_profile: TiDB is refused, with CHECK and RETURNING off and its own version", "[engine]") {
    EngineProfile p = classify(mysql_facts("5.7.25-TiDB-v7.1.0",
                                           "TiDB Server (Apache License 2.0) Community Edition, "
                                           "MySQL 5.7 compatible"),
                               mysql_like(true));
    CHECK(p.engine == "TiDB");
    CHECK(p.version.text == "7.1.0");
    CHECK(p.version.major == 7);
    CHECK(p.version.minor == 1);
    CHECK_FALSE(p.capabilities.check_constraints);
    CHECK_FALSE(p.capabilities.returning);
    CHECK_FALSE(p.capabilities.transactional_ddl);
    CHECK(p.lock == LockKind::session_lock);  // GET_LOCK is cluster-wide since 6.1
    check_refused(p, "TiDB 7.1.0");
}

TEST_CASE("engine_profile: TiDB before 6.1 has no real GET_LOCK, and 8.0-compatible versions parse too", "[engine]") {
    EngineProfile old = classify(mysql_facts("5.7.25-TiDB-v5.4.0"), mysql_like());
    CHECK(old.engine == "TiDB");
    CHECK(old.lock == LockKind::lease);
    EngineProfile recent = classify(mysql_facts("8.0.11-TiDB-v8.5.0"), mysql_like());
    CHECK(recent.version.text == "8.5.0");
    CHECK_FALSE(recent.supported);
}

TEST_CASE("engine_profile: Vitess is refused and takes the lease lock", "[engine]") {
    EngineProfile p = classify(mysql_facts("8.0.30-Vitess", "Version: 18.0.0"), mysql_like());
    CHECK(p.engine == "Vitess");
    CHECK(p.lock == LockKind::lease);
    CHECK_FALSE(p.capabilities.transactional_ddl);
    CHECK_FALSE(p.capabilities.returning);
    check_refused(p, "Vitess");
    CHECK(mentions(p.refusal, "GET_LOCK"));

    EngineProfile handshake = classify(mysql_facts("5.7.9-vitess-10.0.0-SNAPSHOT"), mysql_like());
    CHECK(handshake.engine == "Vitess");
    CHECK(handshake.version.text == "10.0.0");
}

TEST_CASE("engine_profile: Aurora DSQL reports a plain PostgreSQL version and is profiled as PostgreSQL", "[engine]") {
    // No marker in version() tells it apart (see engine_profile.hpp); documented, not guessed.
    EngineProfile p = classify(postgres_facts("PostgreSQL 16", "16"), postgres_like());
    CHECK(p.engine == "PostgreSQL");
}

TEST_CASE("engine_profile: MySQL 8.0 is supported with a session lock", "[engine]") {
    EngineProfile p = classify(mysql_facts("8.0.36", "MySQL Community Server - GPL"), mysql_like());
    CHECK(p.engine == "MySQL");
    CHECK(p.version.text == "8.0.36");
    CHECK(p.version.major == 8);
    CHECK_FALSE(p.version.mariadb);
    CHECK(p.supported);
    CHECK(p.refusal.empty());
    CHECK(p.lock == LockKind::session_lock);
    CHECK(p.role == "primary");
    CHECK_FALSE(p.standby);
    CHECK(p.capabilities == mysql_like());
    CHECK(p.describe() == "MySQL 8.0.36");
}

TEST_CASE("engine_profile: MariaDB 10.11, also behind the 5.5.5- prefix", "[engine]") {
    EngineProfile p = classify(mysql_facts("10.11.19-MariaDB-0+deb12u1", "Debian 12"), mysql_like(true));
    CHECK(p.engine == "MariaDB");
    CHECK(p.version.text == "10.11.19");
    CHECK(p.version.mariadb);
    CHECK(p.supported);
    CHECK(p.lock == LockKind::session_lock);
    CHECK(p.capabilities == mysql_like(true));
    CHECK(p.cluster_size == 0);
    CHECK(p.notes.empty());

    EngineProfile prefixed = classify(mysql_facts("5.5.5-10.6.4-MariaDB-log"), mysql_like(true));
    CHECK(prefixed.engine == "MariaDB");
    CHECK(prefixed.version.text == "10.6.4");
}

TEST_CASE("engine_profile: a MariaDB with the Galera provider switched off is plain MariaDB", "[engine]") {
    EngineFacts f = galera_facts(0, "", "");
    f.wsrep_on = false;
    EngineProfile p = classify(f, mysql_like(true));
    CHECK(p.engine == "MariaDB");
    CHECK(p.lock == LockKind::session_lock);
}

TEST_CASE("engine_profile: a Synced node of a 3-node Galera cluster", "[engine]") {
    EngineProfile p = classify(galera_facts(3, "Synced", "Primary"), mysql_like(true));
    CHECK(p.engine == "MariaDB Galera Cluster");
    CHECK(p.version.text == "10.11.19");
    CHECK(p.supported);
    CHECK(p.lock == LockKind::lease);
    CHECK(p.cluster_size == 3);
    CHECK(p.role == "node of a 3-node cluster");
    CHECK_FALSE(p.standby);
    CHECK(p.notes.empty());
    CHECK(p.describe() == "MariaDB Galera Cluster 10.11.19 (node of a 3-node cluster, Synced)");
}

TEST_CASE("engine_profile: Galera under Rolling Schema Upgrade is refused, DDL would reach one node only",
          "[engine]") {
    EngineFacts f = galera_facts(3, "Synced", "Primary");
    f.wsrep_osu_method = "TOI";
    CHECK(classify(f, mysql_like(true)).supported);
    f.wsrep_osu_method = "RSU";
    EngineProfile p = classify(f, mysql_like(true));
    CHECK_FALSE(p.supported);
    CHECK(mentions(p.refusal, "wsrep_OSU_method = RSU"));
    CHECK(mentions(p.refusal, "TOI"));
    CHECK(p.lock == LockKind::lease);
}

TEST_CASE("engine_profile: a Galera node not Synced, or cut off from the Primary component, gets notes", "[engine]") {
    EngineProfile donor = classify(galera_facts(3, "Donor/Desynced", "Primary"), mysql_like(true));
    REQUIRE(donor.notes.size() == 1);
    CHECK(mentions(donor.notes[0], "Donor/Desynced"));
    CHECK(mentions(donor.notes[0], "Synced node"));
    CHECK(donor.supported);

    EngineProfile cut_off = classify(galera_facts(3, "Initialized", "non-Primary"), mysql_like(true));
    REQUIRE(cut_off.notes.size() == 2);
    CHECK(mentions(cut_off.notes[1], "non-Primary"));
}

TEST_CASE("engine_profile: a 2-node Galera cluster gets the split-brain note", "[engine]") {
    EngineProfile p = classify(galera_facts(2, "Synced", "Primary"), mysql_like(true));
    CHECK(p.cluster_size == 2);
    REQUIRE(p.notes.size() == 1);
    CHECK(mentions(p.notes[0], "split-brain"));
    CHECK(p.lock == LockKind::lease);
}

TEST_CASE("engine_profile: a PostgreSQL primary keeps the dialect's capabilities", "[engine]") {
    EngineProfile p = classify(postgres_facts("PostgreSQL 15.18 (Debian 15.18-1.pgdg120+1) on x86_64-pc-linux-gnu, "
                                              "compiled by gcc",
                                              "15.18 (Debian 15.18-1.pgdg120+1)"),
                               postgres_like());
    CHECK(p.engine == "PostgreSQL");
    CHECK(p.version.text == "15.18");
    CHECK(p.version.major == 15);
    CHECK(p.version.minor == 18);
    CHECK(p.role == "primary");
    CHECK_FALSE(p.standby);
    CHECK(p.supported);
    CHECK(p.lock == LockKind::session_lock);
    CHECK(p.capabilities == postgres_like());
    CHECK(p.describe() == "PostgreSQL 15.18");
}

TEST_CASE("engine_profile: a PostgreSQL hot standby is read-only", "[engine]") {
    EngineFacts f = postgres_facts("PostgreSQL 15.18 on x86_64-pc-linux-gnu", "15.18");
    f.in_recovery = true;
    EngineProfile p = classify(f, postgres_like());
    CHECK(p.engine == "PostgreSQL");
    CHECK(p.role == "hot standby");
    CHECK(p.standby);
    CHECK(p.supported);
    CHECK(p.describe() == "PostgreSQL 15.18 (hot standby)");
}

TEST_CASE("engine_profile: PostgreSQL with default_transaction_read_only = on is read-only", "[engine]") {
    EngineFacts f = postgres_facts("PostgreSQL 16.4", "16.4");
    f.read_only = true;
    EngineProfile p = classify(f, postgres_like());
    CHECK(p.standby);
    CHECK(mentions(p.role, "default_transaction_read_only"));
}

TEST_CASE("engine_profile: a MySQL replica with read_only is read-only", "[engine]") {
    EngineFacts f = mysql_facts("8.0.36-log");
    f.read_only = true;
    EngineProfile p = classify(f, mysql_like());
    CHECK(p.engine == "MySQL");
    CHECK(p.role == "read-only replica");
    CHECK(p.standby);
    CHECK(p.supported);
    CHECK(p.describe() == "MySQL 8.0.36 (read-only replica)");
}

TEST_CASE("engine_profile: SQLite takes the database write lock", "[engine]") {
    EngineFacts f;
    f.dialect = "sqlite";
    f.version = "3.40.1";
    Capabilities caps;
    EngineProfile p = classify(f, caps);
    CHECK(p.engine == "SQLite");
    CHECK(p.version.text == "3.40.1");
    CHECK(p.lock == LockKind::write_lock);
    CHECK(p.supported);
    CHECK_FALSE(p.standby);
    CHECK(p.capabilities == caps);
    CHECK(p.describe() == "SQLite 3.40.1");
}

TEST_CASE("engine_profile: lock kinds have stable names", "[engine]") {
    CHECK(std::string(to_string(LockKind::write_lock)) == "write_lock");
    CHECK(std::string(to_string(LockKind::session_lock)) == "session_lock");
    CHECK(std::string(to_string(LockKind::lease)) == "lease");
}
