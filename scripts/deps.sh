#!/usr/bin/env bash
# Installs the Debian 12 packages strata needs to build and test, and only those missing.
# When everything is present it only asks dpkg and returns (well under a second): no
# `apt-get update`, no network. Needs root (or sudo) only when something is missing.
#
# Installing never starts or enables a system service: while apt runs, a policy-rc.d that
# refuses every service start is in place (the one already on the machine, or a temporary
# one removed afterwards). The PostgreSQL and MariaDB the tests use are started by
# scripts/servers.sh, in a temporary directory, not as system services.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build pkg-config ccache
    # libraries (CMakeLists.txt: find_package / pkg_check_modules)
    libsqlite3-dev libpqxx-dev default-libmysqlclient-dev libcli11-dev
    catch2 libfmt-dev nlohmann-json3-dev
    # database tools and the servers scripts/servers.sh runs
    sqlite3 postgresql-15 postgresql-client-15 mariadb-server mariadb-client
    # its Galera cluster: the provider library, and rsync for state transfers (SST). Debian's
    # mariadb-server depends on both today; named here because servers.sh relies on them.
    galera-4 rsync
)

missing=()
for p in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
        missing+=("$p")
    fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "deps.sh: installing missing Debian packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "deps.sh: these packages are missing and installing them needs root:" >&2
        echo "    apt-get install ${missing[*]}" >&2
        exit 1
    fi
    sudo=(sudo)
fi

policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Added by strata scripts/deps.sh while it installs packages.\nexit 101\n' |
        "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi

apt_opts=(-o DPkg::Lock::Timeout=300)
"${sudo[@]}" apt-get "${apt_opts[@]}" update </dev/null
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null

still=()
for p in "${missing[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
        still+=("$p")
    fi
done
if [ "${#still[@]}" -ne 0 ]; then
    echo "deps.sh: still not installed after apt-get: ${still[*]}" >&2
    exit 1
fi
echo "deps.sh: done"
