// Support for the tests against the clusters scripts/servers.sh start_clusters runs: a
// 3-node MariaDB Galera cluster (STRATA_TEST_GALERA_URLS, STRATA_TEST_GALERA_PIDS) and a
// PostgreSQL primary with a streaming hot standby (STRATA_TEST_PG_PRIMARY_URL,
// STRATA_TEST_PG_STANDBY_URL).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace strata::testing {

// The node URLs of the Galera cluster, node 1 first (empty when not set).
std::vector<std::string> galera_urls();
// The server process ids of the nodes, in the same order.
std::vector<int> galera_pids();
std::string pg_primary_url();
std::string pg_standby_url();

// A throwaway database created through `admin_url`'s server (a Galera node, the
// PostgreSQL primary), which replication makes visible on the other servers of the
// cluster; dropped in the destructor.
class ClusterDatabase {
public:
    explicit ClusterDatabase(const std::string& admin_url);
    ~ClusterDatabase();
    ClusterDatabase(const ClusterDatabase&) = delete;
    ClusterDatabase& operator=(const ClusterDatabase&) = delete;

    const std::string& name() const noexcept { return name_; }
    // The database's URL on the server that `server_url` points at.
    std::string on(const std::string& server_url) const;

private:
    std::string admin_url_;
    std::string name_;
};

// Polls `ready` every 50 ms until it is true (returns true) or `timeout` passed (false).
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

}  // namespace strata::testing
