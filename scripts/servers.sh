# Throwaway PostgreSQL 15 and MariaDB servers for the test suite. Source this file, then:
#
#   start_servers   starts both servers on free loopback ports, with all their files in one
#                   new temporary directory, creates user strata/strata (superuser) and database
#                   strata on each, and exports
#                     STRATA_TEST_POSTGRES_URL=postgresql://strata:strata@127.0.0.1:PORT/strata
#                     STRATA_TEST_MYSQL_URL=mysql://strata:strata@127.0.0.1:PORT/strata
#                   It installs `trap stop_servers EXIT` (and makes INT/TERM exit through it), so
#                   the servers stop however the calling shell ends; this replaces any EXIT trap
#                   the caller had. Returns non-zero, with both servers already stopped and the
#                   server log printed, if either server fails to start.
#   stop_servers    stops both servers, and the clusters below if they run, and removes the
#                   temporary directory. Safe to call twice.
#
#   start_clusters  starts, in the same temporary directory (creating it and the traps above
#                   when start_servers has not run), two replication setups for tests of
#                   failover and node-local behaviour:
#                   - a 3-node MariaDB Galera cluster (rsync state transfers), every node
#                     Synced in a cluster of 3 before it returns, with user strata/strata (all
#                     privileges) and database strata, created once and replicated;
#                   - a PostgreSQL 15 primary of its own (not start_servers' server, whose
#                     traffic from every other test a standby would have to replay, and which a
#                     failover test must be free to stop) and a hot standby cloned from it with
#                     pg_basebackup -R, checked to be in recovery and to show a row written on
#                     the primary; role strata/strata (superuser) and database strata.
#                   It exports
#                     STRATA_TEST_GALERA_URLS="mysql://strata:strata@127.0.0.1:P1/strata
#                       mysql://strata:strata@127.0.0.1:P2/strata mysql://...:P3/strata"
#                       (space-separated, node 1 first)
#                     STRATA_TEST_GALERA_PIDS="PID1 PID2 PID3", the nodes' mariadbd processes in
#                       the same order, so a test can `kill -9` a node
#                     STRATA_TEST_GALERA_DIR, the nodes' directory (node1..node3, each with its
#                       my.cnf, mysqld.err log and mysqld.pid), which galera_restart_node needs
#                     STRATA_TEST_PG_PRIMARY_URL=postgresql://strata:strata@127.0.0.1:PORT/strata
#                     STRATA_TEST_PG_STANDBY_URL=postgresql://strata:strata@127.0.0.1:PORT/strata
#                   Returns non-zero, with every cluster process already stopped and the failing
#                   server's log printed, if any of them fails to start; the servers of
#                   start_servers are left running then. Takes 10-15 seconds on two busy cores.
#   stop_clusters   stops both setups, removes their files and unsets their variables; the
#                   servers of start_servers keep running. Safe to call twice.
#   galera_restart_node I
#                   restarts Galera node I (1, 2 or 3) after a test killed it, and returns once
#                   it is Synced again in a cluster of every running node, having rejoined by
#                   IST (or SST when the cluster's gcache no longer covers what it missed).
#                   Prints the new pid on stdout and updates STRATA_TEST_GALERA_PIDS in the shell
#                   it runs in. Works from any shell that sourced this file and sees
#                   STRATA_TEST_GALERA_DIR, e.g. from a test:
#                     bash -c 'source scripts/servers.sh && galera_restart_node 2'
#                   (the node then outlives that shell; stop_clusters stops it through its pid
#                   file). Fails, starting nothing, when the node still runs or no other node
#                   does. Honours STRATA_SERVER_TIMEOUT.
#
# Nothing outside the temporary directory changes: no system service is started, stopped or
# reconfigured, and no config file under /etc is read (--no-defaults; a Galera node reads only
# the my.cnf written into its own directory, and so do the state transfer scripts it runs), so
# servers already running on this machine are left alone. As root (CI) the servers run as the
# `postgres` and `mysql` users; as any other user they run as that user.
#
# Environment: TMPDIR chooses where the temporary directory goes; STRATA_SERVER_TIMEOUT
# (seconds, default 60) bounds each server's start (for Galera: each step of waiting for
# nodes to be Synced).

STRATA_PG_BIN=/usr/lib/postgresql/15/bin
# Every PostgreSQL here runs with these (a standby must allow at least as many connections as
# its primary, so they share them). Durability is traded for speed: the data is thrown away.
STRATA_PG_OPTS="-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=300"
STRATA_SERVERS_DIR=""
STRATA_SERVERS_UP=""
STRATA_MYSQL_PID=""
STRATA_PG_PORT=""
STRATA_MYSQL_PORT=""

# Runs a command as the account that owns a server's files: that account when we are root
# (PostgreSQL and MariaDB refuse to run as root), ourselves otherwise. Runs inside the
# temporary directory so the tools never try to read a cwd they cannot access (e.g. /root).
_strata_as() {
    local account=$1
    shift
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$STRATA_SERVERS_DIR" && runuser -u "$account" -- "$@")
    else
        (cd "$STRATA_SERVERS_DIR" && "$@")
    fi
}

# A directory inside the temporary directory, owned by the account that will write to it.
_strata_owned_dir() {
    local account=$1 dir=$2
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$account:" "$dir"
    fi
    chmod 700 "$dir"
}

_strata_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a port that nothing listens on. Ports come from 20000-31999, below Linux's ephemeral
# range, so outgoing connections do not take them between this check and the server's bind.
_strata_free_port() {
    local port _
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 12000))
        if ! _strata_port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    echo "servers.sh: no free port found on 127.0.0.1 after 200 tries" >&2
    return 1
}

_strata_log_tail() {
    local name=$1 file=$2
    echo "---- last lines of the $name log ($file) ----" >&2
    tail -n 40 "$file" >&2 2>/dev/null || echo "(no log written)" >&2
    echo "----" >&2
}

_strata_pg_owner() {
    if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

# initdb into $1 and start it on port $2, with its socket and logs in $3 (all inside the
# temporary directory). Extra arguments are more server options ("-c name=value").
_strata_pg_init_start() {
    local data=$1 port=$2 run=$3 timeout=${STRATA_SERVER_TIMEOUT:-60} owner
    shift 3
    owner=$(_strata_pg_owner)
    _strata_owned_dir "$owner" "$data"
    _strata_owned_dir "$owner" "$run"

    # Local (socket) connections trust the OS user so we can create the role; TCP connections,
    # which is what the tests use, need the password.
    if ! _strata_as "$owner" "$STRATA_PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$run/initdb.log" 2>&1; then
        echo "servers.sh: PostgreSQL initdb failed" >&2
        _strata_log_tail initdb "$run/initdb.log"
        return 1
    fi
    if ! _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$data" -l "$run/postgres.log" \
        -w -t "$timeout" start -o "-p $port -k $run $STRATA_PG_OPTS $*" \
        >/dev/null; then
        echo "servers.sh: PostgreSQL did not start on 127.0.0.1:$port within ${timeout}s" >&2
        _strata_log_tail PostgreSQL "$run/postgres.log"
        return 1
    fi
}

# Role strata/strata (superuser) and database strata on the server with socket directory $1,
# port $2.
_strata_pg_create_strata() {
    if ! psql -X -q -v ON_ERROR_STOP=1 -h "$1" -p "$2" -U postgres -d postgres \
        -c "CREATE ROLE strata LOGIN SUPERUSER PASSWORD 'strata'" \
        -c "CREATE DATABASE strata OWNER strata" >/dev/null; then
        echo "servers.sh: could not create role and database strata on PostgreSQL" >&2
        return 1
    fi
}

_strata_start_postgres() {
    local dir=$STRATA_SERVERS_DIR
    STRATA_PG_PORT=$(_strata_free_port) || return 1
    _strata_pg_init_start "$dir/pg" "$STRATA_PG_PORT" "$dir/pgrun" || return 1
    _strata_pg_create_strata "$dir/pgrun" "$STRATA_PG_PORT" || return 1
    export STRATA_TEST_POSTGRES_URL="postgresql://strata:strata@127.0.0.1:$STRATA_PG_PORT/strata"
}

# Stops the PostgreSQL whose data directory is $1, if it runs: fast, else immediate.
_strata_pg_stop() {
    local data=$1 owner
    [ -f "$data/postmaster.pid" ] || return 0
    owner=$(_strata_pg_owner)
    _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
        echo "servers.sh: PostgreSQL in $data did not stop" >&2
}

# mariadb-install-db into data directory $1, its output in log file $2.
_strata_mysql_install() {
    local data=$1 log=$2 user_opt=()
    [ "$(id -u)" -ne 0 ] || user_opt=(--user=mysql)
    # root@localhost without a password works from any OS account; the server only listens on
    # loopback and on a socket in a 0700 directory, and lives for one test run.
    if ! (cd "$STRATA_SERVERS_DIR" && mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$data" \
        --auth-root-authentication-method=normal --skip-test-db >"$log" 2>&1); then
        echo "servers.sh: mariadb-install-db failed" >&2
        _strata_log_tail mariadb-install-db "$log"
        return 1
    fi
}

# User strata/strata with every privilege and database strata, on the server at socket $1.
_strata_mysql_create_strata() {
    if ! mariadb --no-defaults --protocol=socket --socket="$1" -u root -e "
        CREATE USER 'strata'@'%' IDENTIFIED BY 'strata';
        CREATE USER 'strata'@'localhost' IDENTIFIED BY 'strata';
        GRANT ALL ON *.* TO 'strata'@'%' WITH GRANT OPTION;
        GRANT ALL ON *.* TO 'strata'@'localhost' WITH GRANT OPTION;
        CREATE DATABASE strata;"; then
        echo "servers.sh: could not create user and database strata on MariaDB" >&2
        return 1
    fi
}

_strata_mysql_ping() {
    mariadb-admin --no-defaults --protocol=socket --socket="$STRATA_SERVERS_DIR/myrun/mysqld.sock" \
        -u root --connect-timeout=2 ping >/dev/null 2>&1
}

_strata_start_mysql() {
    local dir=$STRATA_SERVERS_DIR timeout=${STRATA_SERVER_TIMEOUT:-60}
    local owner=mysql user_opt=(--user=mysql)
    if [ "$(id -u)" -ne 0 ]; then
        owner=$(id -un)
        user_opt=()
    fi
    _strata_owned_dir "$owner" "$dir/my"
    _strata_owned_dir "$owner" "$dir/myrun"
    STRATA_MYSQL_PORT=$(_strata_free_port) || return 1

    _strata_mysql_install "$dir/my" "$dir/myrun/install.log" || return 1
    # The server's own settings mirror Debian's packaged defaults (utf8mb4); durability is
    # traded for speed because the data is thrown away.
    (cd "$dir" && exec mariadbd --no-defaults "${user_opt[@]}" --datadir="$dir/my" \
        --port="$STRATA_MYSQL_PORT" --bind-address=127.0.0.1 --socket="$dir/myrun/mysqld.sock" \
        --pid-file="$dir/myrun/mysqld.pid" --log-error="$dir/myrun/mysqld.err" \
        --skip-name-resolve --max-connections=300 \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=128M \
        --innodb-file-per-table=0 --skip-log-bin \
        </dev/null >>"$dir/myrun/mysqld.err" 2>&1) &
    STRATA_MYSQL_PID=$!

    local waited=0
    until _strata_mysql_ping; do
        if ! kill -0 "$STRATA_MYSQL_PID" 2>/dev/null; then
            echo "servers.sh: MariaDB exited during start-up (port $STRATA_MYSQL_PORT)" >&2
            _strata_log_tail MariaDB "$dir/myrun/mysqld.err"
            return 1
        fi
        if [ "$waited" -ge $((timeout * 5)) ]; then
            echo "servers.sh: MariaDB did not answer on 127.0.0.1:$STRATA_MYSQL_PORT within ${timeout}s" >&2
            _strata_log_tail MariaDB "$dir/myrun/mysqld.err"
            return 1
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    _strata_mysql_create_strata "$dir/myrun/mysqld.sock" || return 1
    export STRATA_TEST_MYSQL_URL="mysql://strata:strata@127.0.0.1:$STRATA_MYSQL_PORT/strata"
}

# Creates the temporary directory (once) and installs the traps that stop everything in it.
_strata_make_dir() {
    [ -z "$STRATA_SERVERS_DIR" ] || return 0
    trap stop_servers EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    STRATA_SERVERS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/strata-servers.XXXXXX") || return 1
    # The server accounts must reach their own subdirectories.
    chmod 755 "$STRATA_SERVERS_DIR"
}

start_servers() {
    if [ -n "$STRATA_SERVERS_UP" ]; then
        echo "servers.sh: servers already started in $STRATA_SERVERS_DIR" >&2
        return 1
    fi
    _strata_make_dir || return 1
    STRATA_SERVERS_UP=1

    if ! _strata_start_postgres || ! _strata_start_mysql; then
        stop_servers
        return 1
    fi
    echo "servers.sh: PostgreSQL 15 on 127.0.0.1:$STRATA_PG_PORT, MariaDB on 127.0.0.1:$STRATA_MYSQL_PORT" \
        "(files in $STRATA_SERVERS_DIR)"
}

# Sends SIGTERM to MariaDB server process $1 (named $2 in messages), and SIGKILL when it is
# still there $3 seconds later (default 30); returns once it is gone.
_strata_mysql_stop() {
    local pid=$1 name=$2 grace=${3:-30}
    kill -TERM "$pid" 2>/dev/null || true
    if ! _strata_wait_gone "$pid" "$grace"; then
        echo "servers.sh: $name (pid $pid) ignored SIGTERM for ${grace}s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        _strata_wait_gone "$pid" 10 || true
    fi
}

# Waits up to $2 seconds for process $1 to end; a zombie (ended, not yet reaped) counts as ended.
_strata_wait_gone() {
    local pid=$1 ticks=$(($2 * 5)) state
    while [ "$ticks" -gt 0 ]; do
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 0
        [ -n "$state" ] && [ "$state" != Z ] || return 0
        sleep 0.2
        ticks=$((ticks - 1))
    done
    return 1
}

# Written to run under `set -e` in an EXIT trap: no step may fail before the directory is gone.
stop_servers() {
    [ -n "$STRATA_SERVERS_DIR" ] || return 0
    local dir=$STRATA_SERVERS_DIR

    stop_clusters
    _strata_pg_stop "$dir/pg"
    if [ -n "$STRATA_MYSQL_PID" ]; then
        _strata_mysql_stop "$STRATA_MYSQL_PID" MariaDB
        wait "$STRATA_MYSQL_PID" 2>/dev/null || true
    fi
    rm -rf "$dir"
    STRATA_SERVERS_DIR=""
    STRATA_SERVERS_UP=""
    STRATA_MYSQL_PID=""
    return 0
}

# ---- clusters: a 3-node MariaDB Galera cluster and a PostgreSQL primary with a hot standby ----

STRATA_GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
STRATA_CLUSTERS_UP=""
STRATA_PG_PAIR_JOB=""
STRATA_GALERA_PID=()
STRATA_PG_PRIMARY_PORT=""
STRATA_PG_STANDBY_PORT=""

# Prints $1 distinct free ports, space-separated. Each is checked free now; none is bound
# until its server starts, so distinctness among them is checked here.
_strata_free_ports() {
    local want=$1 got=" " count=0 port
    while [ "$count" -lt "$want" ]; do
        port=$(_strata_free_port) || return 1
        case "$got" in
            *" $port "*) ;;
            *) got="$got$port " count=$((count + 1)) ;;
        esac
    done
    echo $got
}

# True when process $1 exists, is not a zombie and runs mariadbd: a pid file left by a killed
# node may name a pid the system has since given to another program.
_strata_mariadbd_alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = mariadbd ]
}

# Writes the option file of Galera node $1 (1-3) into its directory. Ports: $2 clients,
# $3 group communication, $4 IST, $5 SST; $6 is the gcomm:// address list of all nodes.
# The node's mariadbd reads only this file (--defaults-file), and so do the SST scripts it
# runs, which call my_print_defaults with the server's --defaults-file: nothing under /etc.
_strata_galera_write_cnf() {
    local node=$STRATA_TEST_GALERA_DIR/node$1
    {
        echo "[mysqld]"
        [ "$(id -u)" -ne 0 ] || echo "user=mysql"
        cat <<CNF
datadir=$node/data
port=$2
bind-address=127.0.0.1
socket=$node/mysqld.sock
pid-file=$node/mysqld.pid
log-error=$node/mysqld.err
skip-name-resolve
max-connections=200
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
skip-log-bin
# Galera needs row events, InnoDB and interleaved auto-increment locks.
binlog-format=ROW
default-storage-engine=InnoDB
innodb-autoinc-lock-mode=2
# Commits reach the OS at once (a kill -9 of the process loses nothing), the disk once a second.
innodb-flush-log-at-trx-commit=2
innodb-doublewrite=0
innodb-buffer-pool-size=64M
innodb-log-file-size=16M
innodb-file-per-table=0
wsrep-on=ON
wsrep-provider=$STRATA_GALERA_PROVIDER
wsrep-cluster-name=strata-test
wsrep-cluster-address=gcomm://$6
wsrep-node-name=node$1
wsrep-node-address=127.0.0.1:$3
wsrep-node-incoming-address=127.0.0.1:$2
# rsync needs no account and no extra package beyond rsync itself; the donor is read-locked
# while it copies, which at a few MB is well under a second.
wsrep-sst-method=rsync
wsrep-sst-receive-address=127.0.0.1:$5
# A killed node leaves the group after 3-5 seconds instead of 5-15 (Galera's defaults are
# made for real networks), so a test sees the cluster shrink, and the node can rejoin, sooner.
wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$3;ist.recv_addr=127.0.0.1:$4;gcache.size=64M;evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT5S
CNF
    } >"$node/my.cnf"
}

# Starts mariadbd for Galera node $1 in the background, with any further arguments; sets
# _strata_launched_pid.
_strata_galera_launch() {
    local node=$STRATA_TEST_GALERA_DIR/node$1
    shift
    (cd "$node" && exec mariadbd --defaults-file="$node/my.cnf" "$@" \
        </dev/null >>"$node/mysqld.err" 2>&1) &
    _strata_launched_pid=$!
}

# Prints "<wsrep_cluster_size> <wsrep_local_state_comment>" of node $1, or nothing when it
# does not answer yet.
_strata_galera_state() {
    mariadb --no-defaults --protocol=socket --socket="$STRATA_TEST_GALERA_DIR/node$1/mysqld.sock" \
        -u root --connect-timeout=2 -N -B -e "SELECT
            MAX(IF(VARIABLE_NAME = 'WSREP_CLUSTER_SIZE', VARIABLE_VALUE, NULL)),
            MAX(IF(VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT', VARIABLE_VALUE, NULL))
            FROM information_schema.GLOBAL_STATUS" 2>/dev/null | tr '\t' ' '
}

# Waits until each node named after $1 reports cluster size $1 and state Synced, within
# STRATA_SERVER_TIMEOUT. Arguments after $1 are "node:pid" pairs; a node whose process ends
# fails the wait at once. On failure prints that node's log tail.
_strata_galera_wait_synced() {
    local size=$1 timeout=${STRATA_SERVER_TIMEOUT:-60} waited=0 pair node pid pending
    shift
    while :; do
        pending=""
        for pair in "$@"; do
            node=${pair%%:*} pid=${pair#*:}
            if ! _strata_mariadbd_alive "$pid"; then
                echo "servers.sh: Galera node $node (pid $pid) exited during start-up" >&2
                _strata_log_tail "Galera node $node" "$STRATA_TEST_GALERA_DIR/node$node/mysqld.err"
                return 1
            fi
            [ "$(_strata_galera_state "$node")" = "$size Synced" ] || pending="$pending $node"
        done
        [ -n "$pending" ] || return 0
        if [ "$waited" -ge $((timeout * 5)) ]; then
            node=${pending# }
            node=${node%% *}
            echo "servers.sh: Galera node(s)$pending not Synced in a cluster of $size within ${timeout}s" \
                "(node $node: '$(_strata_galera_state "$node")')" >&2
            _strata_log_tail "Galera node $node" "$STRATA_TEST_GALERA_DIR/node$node/mysqld.err"
            return 1
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
}

# Arguments: 12 free ports, per node in turn: clients, group communication, IST, SST.
_strata_start_galera() {
    local owner=mysql i ports=("$@") gcomm="" urls=""
    [ "$(id -u)" -eq 0 ] || owner=$(id -un)
    export STRATA_TEST_GALERA_DIR=$STRATA_SERVERS_DIR/galera
    mkdir -p "$STRATA_TEST_GALERA_DIR"
    for i in 1 2 3; do
        gcomm="$gcomm${gcomm:+,}127.0.0.1:${ports[(i - 1) * 4 + 1]}"
    done
    for i in 1 2 3; do
        _strata_owned_dir "$owner" "$STRATA_TEST_GALERA_DIR/node$i"
        _strata_owned_dir "$owner" "$STRATA_TEST_GALERA_DIR/node$i/data"
        _strata_galera_write_cnf "$i" "${ports[@]:(i - 1) * 4:4}" "$gcomm" || return 1
        urls="$urls${urls:+ }mysql://strata:strata@127.0.0.1:${ports[(i - 1) * 4]}/strata"
    done

    # Node 1 gets a system database and account and database strata as a one-node cluster,
    # then stops, and nodes 2 and 3 start from copies of its data: they join knowing the
    # cluster's state and only catch up on the membership changes since, by a short IST,
    # instead of a full SST each (two SSTs from one donor take turns: seconds more).
    _strata_mysql_install "$STRATA_TEST_GALERA_DIR/node1/data" "$STRATA_TEST_GALERA_DIR/node1/install.log" ||
        return 1
    _strata_galera_launch 1 --wsrep-new-cluster
    STRATA_GALERA_PID[1]=$_strata_launched_pid
    _strata_galera_wait_synced 1 "1:${STRATA_GALERA_PID[1]}" || return 1
    _strata_mysql_create_strata "$STRATA_TEST_GALERA_DIR/node1/mysqld.sock" || return 1
    _strata_mysql_stop "${STRATA_GALERA_PID[1]}" "Galera node 1"
    wait "${STRATA_GALERA_PID[1]}" 2>/dev/null || true
    for i in 2 3; do
        cp -a "$STRATA_TEST_GALERA_DIR/node1/data/." "$STRATA_TEST_GALERA_DIR/node$i/data/" || return 1
    done

    _strata_galera_launch 1 --wsrep-new-cluster
    STRATA_GALERA_PID[1]=$_strata_launched_pid
    _strata_galera_wait_synced 1 "1:${STRATA_GALERA_PID[1]}" || return 1
    # One joiner at a time: two at once spend seconds re-forming the group.
    _strata_galera_launch 2
    STRATA_GALERA_PID[2]=$_strata_launched_pid
    _strata_galera_wait_synced 2 "1:${STRATA_GALERA_PID[1]}" "2:${STRATA_GALERA_PID[2]}" || return 1
    _strata_galera_launch 3
    STRATA_GALERA_PID[3]=$_strata_launched_pid
    _strata_galera_wait_synced 3 "1:${STRATA_GALERA_PID[1]}" "2:${STRATA_GALERA_PID[2]}" \
        "3:${STRATA_GALERA_PID[3]}" || return 1
    export STRATA_TEST_GALERA_URLS=$urls
    export STRATA_TEST_GALERA_PIDS="${STRATA_GALERA_PID[1]} ${STRATA_GALERA_PID[2]} ${STRATA_GALERA_PID[3]}"
}

# Restarts Galera node $1 (1, 2 or 3) after it was killed, and waits until it is Synced again
# with every running node (it rejoins by IST from the gcache, or by SST when that no longer
# suffices). Needs STRATA_TEST_GALERA_DIR, so it also works from another shell that sourced
# this file (e.g. a test running `bash -c 'source scripts/servers.sh; galera_restart_node 2'`).
# Prints the new pid on stdout and updates STRATA_TEST_GALERA_PIDS in this shell. Fails when
# the node still runs, or when no other node runs (a cluster that lost every node cannot be
# joined; start the clusters again).
galera_restart_node() {
    local i=${1:-} dir=${STRATA_TEST_GALERA_DIR:-} pid n others=() pids
    case "$i" in
        1 | 2 | 3) ;;
        *)
            echo "servers.sh: galera_restart_node takes a node number, 1, 2 or 3 (got '$i')" >&2
            return 1
            ;;
    esac
    if [ -z "$dir" ] || [ ! -f "$dir/node$i/my.cnf" ]; then
        echo "servers.sh: no Galera cluster to restart a node of; call start_clusters first" >&2
        return 1
    fi
    pid=$(cat "$dir/node$i/mysqld.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && _strata_mariadbd_alive "$pid"; then
        echo "servers.sh: Galera node $i still runs (pid $pid); kill it before restarting it" >&2
        return 1
    fi
    for n in 1 2 3; do
        [ "$n" != "$i" ] || continue
        pid=$(cat "$dir/node$n/mysqld.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && _strata_mariadbd_alive "$pid"; then others+=("$n:$pid"); fi
    done
    if [ "${#others[@]}" -eq 0 ]; then
        echo "servers.sh: no other Galera node runs, so node $i has no cluster to rejoin" >&2
        return 1
    fi
    _strata_galera_launch "$i"
    _strata_galera_wait_synced $((${#others[@]} + 1)) "$i:$_strata_launched_pid" || return 1
    read -r -a pids <<<"${STRATA_TEST_GALERA_PIDS:-  }"
    pids[i - 1]=$_strata_launched_pid
    STRATA_GALERA_PID[i]=$_strata_launched_pid
    export STRATA_TEST_GALERA_PIDS="${pids[*]}"
    echo "$_strata_launched_pid"
}

# A primary (initdb) on port $1 and a standby on port $2, cloned from it with
# pg_basebackup -R and streaming from it. Runs in a subshell beside the Galera start, so it
# exports nothing: start_clusters does.
_strata_start_pg_pair() {
    local dir=$STRATA_SERVERS_DIR timeout=${STRATA_SERVER_TIMEOUT:-60} owner token waited=0
    owner=$(_strata_pg_owner)
    STRATA_PG_PRIMARY_PORT=$1 STRATA_PG_STANDBY_PORT=$2

    _strata_pg_init_start "$dir/pgprimary" "$STRATA_PG_PRIMARY_PORT" "$dir/pgprimaryrun" || return 1
    _strata_pg_create_strata "$dir/pgprimaryrun" "$STRATA_PG_PRIMARY_PORT" || return 1
    _strata_owned_dir "$owner" "$dir/pgstandby"
    _strata_owned_dir "$owner" "$dir/pgstandbyrun"
    # -R writes standby.signal and a primary_conninfo that reaches the primary over its socket.
    if ! _strata_as "$owner" "$STRATA_PG_BIN/pg_basebackup" -h "$dir/pgprimaryrun" -p "$STRATA_PG_PRIMARY_PORT" \
        -U postgres -D "$dir/pgstandby" -R -X stream -c fast >"$dir/pgstandbyrun/basebackup.log" 2>&1; then
        echo "servers.sh: pg_basebackup of the primary failed" >&2
        _strata_log_tail pg_basebackup "$dir/pgstandbyrun/basebackup.log"
        return 1
    fi
    if ! _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$dir/pgstandby" -l "$dir/pgstandbyrun/postgres.log" \
        -w -t "$timeout" start \
        -o "-p $STRATA_PG_STANDBY_PORT -k $dir/pgstandbyrun $STRATA_PG_OPTS -c hot_standby=on" \
        >/dev/null; then
        echo "servers.sh: PostgreSQL standby did not start on 127.0.0.1:$STRATA_PG_STANDBY_PORT within ${timeout}s" >&2
        _strata_log_tail "PostgreSQL standby" "$dir/pgstandbyrun/postgres.log"
        return 1
    fi

    # Streaming works when a row written on the primary shows up on the standby. The probe
    # table lives in database postgres, not strata, and is dropped again.
    token="probe-$RANDOM-$$"
    psql -X -q -v ON_ERROR_STOP=1 -h "$dir/pgprimaryrun" -p "$STRATA_PG_PRIMARY_PORT" -U postgres -d postgres \
        -c "CREATE TABLE strata_standby_probe (token text)" \
        -c "INSERT INTO strata_standby_probe VALUES ('$token')" >/dev/null || return 1
    until [ "$(psql -X -A -t -h "$dir/pgstandbyrun" -p "$STRATA_PG_STANDBY_PORT" -U postgres -d postgres \
        -c "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM strata_standby_probe WHERE token = '$token')" \
        2>/dev/null)" = t ]; do
        if [ "$waited" -ge $((timeout * 5)) ]; then
            echo "servers.sh: the PostgreSQL standby did not replay a row from the primary within ${timeout}s" >&2
            _strata_log_tail "PostgreSQL standby" "$dir/pgstandbyrun/postgres.log"
            return 1
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    psql -X -q -h "$dir/pgprimaryrun" -p "$STRATA_PG_PRIMARY_PORT" -U postgres -d postgres \
        -c "DROP TABLE strata_standby_probe" >/dev/null
}

start_clusters() {
    local started=$SECONDS free ports ok=1
    if [ -n "$STRATA_CLUSTERS_UP" ]; then
        echo "servers.sh: clusters already started in $STRATA_SERVERS_DIR" >&2
        return 1
    fi
    _strata_make_dir || return 1
    STRATA_CLUSTERS_UP=1
    # All ports at once, so the two starts running side by side cannot pick the same one.
    free=$(_strata_free_ports 14) || return 1
    read -r -a ports <<<"$free"
    STRATA_PG_PRIMARY_PORT=${ports[12]} STRATA_PG_STANDBY_PORT=${ports[13]}

    # The PostgreSQL pair starts in the background while Galera starts: most of either start
    # is waiting (group membership, state transfer scripts, checkpoints), not computing.
    # (In a list, so that a caller's `set -e` does not end the subshell before it reports.)
    (_strata_start_pg_pair "$STRATA_PG_PRIMARY_PORT" "$STRATA_PG_STANDBY_PORT" || exit 1) &
    STRATA_PG_PAIR_JOB=$!
    _strata_start_galera "${ports[@]:0:12}" || ok=""
    wait "$STRATA_PG_PAIR_JOB" || ok=""
    STRATA_PG_PAIR_JOB=""
    if [ -z "$ok" ]; then
        stop_clusters
        return 1
    fi
    export STRATA_TEST_PG_PRIMARY_URL="postgresql://strata:strata@127.0.0.1:$STRATA_PG_PRIMARY_PORT/strata"
    export STRATA_TEST_PG_STANDBY_URL="postgresql://strata:strata@127.0.0.1:$STRATA_PG_STANDBY_PORT/strata"
    echo "servers.sh: Galera nodes on 127.0.0.1:${ports[0]}, :${ports[4]} and :${ports[8]}," \
        "PostgreSQL primary on 127.0.0.1:$STRATA_PG_PRIMARY_PORT, hot standby on" \
        "127.0.0.1:$STRATA_PG_STANDBY_PORT (started in $((SECONDS - started))s)"
}

# Like stop_servers, safe to call twice and under `set -e` in an EXIT trap.
stop_clusters() {
    [ -n "$STRATA_CLUSTERS_UP" ] || return 0
    local dir=$STRATA_SERVERS_DIR i pid pids=()
    # Every node gets SIGTERM at once, so none waits for the others to notice it left.
    for i in 1 2 3; do
        pid=$(cat "$dir/galera/node$i/mysqld.pid" 2>/dev/null || echo "${STRATA_GALERA_PID[i]:-}")
        if [ -n "$pid" ] && _strata_mariadbd_alive "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    # A node in the middle of a state transfer ignores SIGTERM until the transfer ends; its
    # data is thrown away, so it gets less patience than the single server.
    for pid in "${pids[@]}"; do
        _strata_mysql_stop "$pid" "Galera node" 10
    done
    for pid in "${STRATA_GALERA_PID[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    # Interrupted while the PostgreSQL pair was still starting: let that finish first (it is
    # bounded by STRATA_SERVER_TIMEOUT), or it could start a server after the stop below.
    if [ -n "$STRATA_PG_PAIR_JOB" ]; then
        wait "$STRATA_PG_PAIR_JOB" 2>/dev/null || true
        STRATA_PG_PAIR_JOB=""
    fi
    _strata_pg_stop "$dir/pgstandby"
    _strata_pg_stop "$dir/pgprimary"
    rm -rf "$dir/galera" "$dir/pgprimary" "$dir/pgprimaryrun" "$dir/pgstandby" "$dir/pgstandbyrun"
    unset STRATA_TEST_GALERA_DIR STRATA_TEST_GALERA_URLS STRATA_TEST_GALERA_PIDS
    unset STRATA_TEST_PG_PRIMARY_URL STRATA_TEST_PG_STANDBY_URL
    STRATA_GALERA_PID=()
    STRATA_CLUSTERS_UP=""
    return 0
}
