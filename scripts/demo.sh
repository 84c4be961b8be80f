#!/usr/bin/env bash
# The main demo: builds the bookstore example (examples/bookstore, after installing missing
# packages with scripts/deps.sh) and runs its whole story on an embedded SQLite database in a
# temporary directory, removed on exit:
#
#   1. upgrade head          apply the three committed revisions to an empty database
#   2. seed                  the catalog and the dev reviews, twice: the same rows both times
#   3. report                a few ORM queries over the seeded data
#   4. check                 the CI gate: files, checksums, database at head, models match
#   5. a changed model       bookstore-next has one more column: check sees it, and
#                            `revision --autogenerate` writes the revision (into a copy of
#                            the migrations folder, printed here)
#   6. the data fix at work  downgrade -1 (refused without consent, then allowed) and
#                            upgrade head: the revision's C++ data fix recomputes the slugs
#   7. downgrade base        and upgrade head again, then check
#
# Every step prints the commands it runs. Exits non-zero as soon as a step does not end as
# expected.
#
# Environment: STRATA_BUILD_DIR (default: build), STRATA_BUILD_TYPE (default: RelWithDebInfo),
# STRATA_CMAKE_ARGS, STRATA_BUILD_JOBS, as in scripts/build.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

bash scripts/deps.sh
build_dir=${STRATA_BUILD_DIR:-build}
read -r -a extra_args <<<"${STRATA_CMAKE_ARGS:-}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${STRATA_BUILD_TYPE:-RelWithDebInfo}" "${extra_args[@]}" >/dev/null
# Only what the demo runs: the whole tree (tests, benchmarks) is scripts/build.sh's job.
cmake --build "$build_dir" --parallel "${STRATA_BUILD_JOBS:-$(nproc)}" --target bookstore bookstore-next
bin=$(cd "$build_dir" && pwd)/examples/bookstore

work=$(mktemp -d "${TMPDIR:-/tmp}/strata-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/bookstore.db"
url="sqlite:///$db"
# A developer's own settings must not redirect the demo.
unset STRATA_DATABASE_URL DATABASE_URL

step=0
title() {
    step=$((step + 1))
    printf '\n==== Step %d: %s\n' "$step" "$*"
}
note() { printf '  (%s)\n' "$*"; }

# run PROGRAM ARGS...: the project's program with the demo's database and its strata.toml
# (which names the migrations folder). Shown as `$ bookstore ARGS...`.
run() {
    local program=$1
    shift
    printf '\n$ %s %s\n' "$program" "$*"
    "$bin/$program" -c "$root/examples/bookstore/strata.toml" --url "$url" "$@"
}

# expect CODE PROGRAM ARGS...: like run, for a command that must end with exit code CODE.
expect() {
    local want=$1 rc=0
    shift
    run "$@" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "demo: expected exit code $want from '$*', got $rc" >&2
        exit 1
    fi
    note "exit code $rc, as expected"
}

rows() { sqlite3 "$db" "$1"; }

echo "demo: the bookstore example on $url"
echo "demo: models, seeds and data fix in examples/bookstore/, revisions in examples/bookstore/migrations/"

title "upgrade head: an empty database gets the three committed revisions"
run bookstore heads
run bookstore upgrade head
run bookstore current
run bookstore history

title "seed: the catalog (every environment) and the reviews (dev only), twice"
run bookstore seed --env dev
before=$(rows "SELECT * FROM authors; SELECT * FROM books; SELECT * FROM book_tags; SELECT * FROM reviews;")
run bookstore seed --env dev
after=$(rows "SELECT * FROM authors; SELECT * FROM books; SELECT * FROM book_tags; SELECT * FROM reviews;")
if [ "$before" != "$after" ]; then
    echo "demo: the second seed run changed rows; seeds must be idempotent" >&2
    exit 1
fi
note "the second run left every row as it was: seeds find rows by natural key"
run bookstore seed --list

title "report: ORM queries over the seeded catalog"
run bookstore report

title "check: files valid, checksums match, database at head, models match the database"
run bookstore check

title "a changed model: bookstore-next maps one more column, books.isbn"
expect 1 bookstore-next check
cp -r "$root/examples/bookstore/migrations" "$work/migrations"
printf '\n$ bookstore-next --dir %s revision --autogenerate -m "add isbn to books"\n' "$work/migrations"
"$bin/bookstore-next" -c "$root/examples/bookstore/strata.toml" --url "$url" --dir "$work/migrations" \
    revision --autogenerate -m "add isbn to books"
generated=$(ls "$work"/migrations/*_add_isbn_to_books.toml)
printf '\n---- %s ----\n' "$(basename "$generated")"
cat "$generated"
echo "----"
note "written into a copy of the migrations folder; the committed revisions are untouched"

title "the data fix at work: revert the slug revision, apply it again"
expect 4 bookstore downgrade -1
run bookstore downgrade -1 --allow-destructive
run bookstore upgrade head
printf '\n$ sqlite3 bookstore.db "SELECT slug FROM books ORDER BY id"\n'
rows "SELECT slug FROM books ORDER BY id"
note "fill_book_slugs (op = \"call\" in 8453412e3aeb) recomputed every slug through the ORM"

title "downgrade base and upgrade head again"
run bookstore downgrade base --allow-destructive
run bookstore upgrade head
run bookstore check

printf '\ndemo: all %d steps ended as expected\n' "$step"
