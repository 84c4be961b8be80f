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
#   stop_servers    stops both servers and removes the temporary directory. Safe to call twice.
#
# Nothing outside the temporary directory changes: no system service is started, stopped or
# reconfigured, and no config file under /etc is read (--no-defaults), so servers already
# running on this machine are left alone. As root (CI) the servers run as the `postgres` and
# `mysql` users; as any other user they run as that user.
#
# Environment: TMPDIR chooses where the temporary directory goes; STRATA_SERVER_TIMEOUT
# (seconds, default 60) bounds each server's start.

STRATA_PG_BIN=/usr/lib/postgresql/15/bin
STRATA_SERVERS_DIR=""
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

_strata_start_postgres() {
    local dir=$STRATA_SERVERS_DIR timeout=${STRATA_SERVER_TIMEOUT:-60}
    local owner=postgres
    [ "$(id -u)" -eq 0 ] || owner=$(id -un)
    _strata_owned_dir "$owner" "$dir/pg"
    _strata_owned_dir "$owner" "$dir/pgrun"
    STRATA_PG_PORT=$(_strata_free_port) || return 1

    # Local (socket) connections trust the OS user so we can create the role; TCP connections,
    # which is what the tests use, need the password.
    if ! _strata_as "$owner" "$STRATA_PG_BIN/initdb" -D "$dir/pg" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/pgrun/initdb.log" 2>&1; then
        echo "servers.sh: PostgreSQL initdb failed" >&2
        _strata_log_tail initdb "$dir/pgrun/initdb.log"
        return 1
    fi
    if ! _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/pgrun/postgres.log" \
        -w -t "$timeout" start -o "-p $STRATA_PG_PORT -k $dir/pgrun -c listen_addresses=127.0.0.1 \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        >/dev/null; then
        echo "servers.sh: PostgreSQL did not start on 127.0.0.1:$STRATA_PG_PORT within ${timeout}s" >&2
        _strata_log_tail PostgreSQL "$dir/pgrun/postgres.log"
        return 1
    fi
    if ! psql -X -q -v ON_ERROR_STOP=1 -h "$dir/pgrun" -p "$STRATA_PG_PORT" -U postgres -d postgres \
        -c "CREATE ROLE strata LOGIN SUPERUSER PASSWORD 'strata'" \
        -c "CREATE DATABASE strata OWNER strata" >/dev/null; then
        echo "servers.sh: could not create role and database strata on PostgreSQL" >&2
        return 1
    fi
    export STRATA_TEST_POSTGRES_URL="postgresql://strata:strata@127.0.0.1:$STRATA_PG_PORT/strata"
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

    # root@localhost without a password works from any OS account; the server only listens on
    # loopback and on a socket in a 0700 directory, and lives for one test run.
    if ! (cd "$dir" && mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$dir/my" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/myrun/install.log" 2>&1); then
        echo "servers.sh: mariadb-install-db failed" >&2
        _strata_log_tail mariadb-install-db "$dir/myrun/install.log"
        return 1
    fi
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
    if ! mariadb --no-defaults --protocol=socket --socket="$dir/myrun/mysqld.sock" -u root -e "
        CREATE USER 'strata'@'%' IDENTIFIED BY 'strata';
        CREATE USER 'strata'@'localhost' IDENTIFIED BY 'strata';
        GRANT ALL ON *.* TO 'strata'@'%' WITH GRANT OPTION;
        GRANT ALL ON *.* TO 'strata'@'localhost' WITH GRANT OPTION;
        CREATE DATABASE strata;"; then
        echo "servers.sh: could not create user and database strata on MariaDB" >&2
        return 1
    fi
    export STRATA_TEST_MYSQL_URL="mysql://strata:strata@127.0.0.1:$STRATA_MYSQL_PORT/strata"
}

start_servers() {
    if [ -n "$STRATA_SERVERS_DIR" ]; then
        echo "servers.sh: servers already started in $STRATA_SERVERS_DIR" >&2
        return 1
    fi
    trap stop_servers EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    STRATA_SERVERS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/strata-servers.XXXXXX") || return 1
    # The server accounts must reach their own subdirectories.
    chmod 755 "$STRATA_SERVERS_DIR"

    if ! _strata_start_postgres || ! _strata_start_mysql; then
        stop_servers
        return 1
    fi
    echo "servers.sh: PostgreSQL 15 on 127.0.0.1:$STRATA_PG_PORT, MariaDB on 127.0.0.1:$STRATA_MYSQL_PORT" \
        "(files in $STRATA_SERVERS_DIR)"
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
    local dir=$STRATA_SERVERS_DIR owner=postgres
    [ "$(id -u)" -eq 0 ] || owner=$(id -un)

    if [ -f "$dir/pg/postmaster.pid" ]; then
        _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$dir/pg" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            _strata_as "$owner" "$STRATA_PG_BIN/pg_ctl" -D "$dir/pg" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            echo "servers.sh: PostgreSQL in $dir/pg did not stop" >&2
    fi
    if [ -n "$STRATA_MYSQL_PID" ]; then
        kill -TERM "$STRATA_MYSQL_PID" 2>/dev/null || true
        if ! _strata_wait_gone "$STRATA_MYSQL_PID" 30; then
            echo "servers.sh: MariaDB (pid $STRATA_MYSQL_PID) ignored SIGTERM for 30s; killing it" >&2
            kill -KILL "$STRATA_MYSQL_PID" 2>/dev/null || true
            _strata_wait_gone "$STRATA_MYSQL_PID" 10 || true
        fi
        wait "$STRATA_MYSQL_PID" 2>/dev/null || true
    fi
    rm -rf "$dir"
    STRATA_SERVERS_DIR=""
    STRATA_MYSQL_PID=""
    return 0
}
