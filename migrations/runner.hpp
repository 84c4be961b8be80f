// Runner: applies and reverts revisions on a live database (design.md §4, §5) and
// writes the same work as a script for `--sql`. Built on the revision graph (which
// revisions), the planner (make_plan: the SQL of each revision for this database and
// schema), execute_plan (running it) and the version table (what is applied).
//
//   strata::Runner runner(strata::create_engine(url), strata::RevisionGraph(strata::load_revisions(dir)));
//   strata::RunResult r = runner.upgrade("head", {.lock_timeout = 10s});
//   std::cout << runner.upgrade_sql("head");                  // offline script from an empty database
//   strata::DatabaseStatus s = runner.status();               // current / history / check
//
// Every live run (upgrade, downgrade, stamp) goes:
//  1. Install SIGINT/SIGTERM handlers (RunOptions::handle_signals) that only set a flag.
//  2. Check the engine (dialects/engine_checks.hpp): refuse (Error(refused)) a read-only
//     standby, and an engine without a profile unless RunOptions::engine_unchecked. Take
//     the migration lock the engine calls for (acquire_migration_lock: the server's lock,
//     or a lease in strata_lock on a Galera cluster; RunOptions::lock_timeout) before
//     reading the version table: Error(lock_timeout) when another process holds it too
//     long; never runs unlocked. Then prove the lock excludes a second connection and that
//     DDL rolls back where the engine says it does (Error(refused) when not). A lease
//     that is lost during the run stops it before the next statement (Error(lock_timeout)).
//  3. Create/check the version table, read it, and refuse (Error(refused), nothing run)
//     when an applied revision's file changed since (checksum differs; names the file).
//  4. Work out the revisions from the graph and check the whole path before anything
//     runs: every C++ data fix (`op = "call"`) registered (else Error(unsupported)),
//     every destructive step consented to (else Error(refused), listing them), every
//     revision reversible for a downgrade (else Error(refused) naming the file), and
//     every revision plannable against the schema tracked from a reflection of the
//     database (operations that do not fit: Error(input)).
//  5. For each revision: plan it against the current schema (the same make_plan that
//     `--sql` uses), run it with execute_plan, and record it in the version table:
//     - transactional DDL (PostgreSQL, SQLite): the revision and its version row in one
//       transaction; a failure or kill leaves the previous revision fully in place.
//     - SQLite's lock is its write lock (MigrationLock::per_transaction): each revision's
//       transaction takes it (BEGIN IMMEDIATE, waiting up to lock_timeout), re-reads the
//       version table and skips the revision if another process applied it meanwhile.
//       So concurrent `upgrade head` runs apply each revision exactly once and all succeed.
//     - no transactional DDL (MySQL/MariaDB): the row is written as 'partial' with the
//       plan before the first statement, its statements_applied updated after every
//       statement, the failing statement and error recorded on failure, and the row set to
//       'applied' after the last statement. See "MySQL/MariaDB" below.
//  6. Release the lock and restore the previous signal handlers, also on failure.
//
// Interruption: after SIGINT/SIGTERM the run stops before the next statement (the
// statement or data fix in progress finishes), rolls back what is transactional, records
// progress (MySQL), releases the lock and throws Error(interrupted). A signal while
// waiting for the lock takes effect when the wait ends (acquired or timed out).
//
// MySQL/MariaDB (DDL commits itself), the exact rules:
//  - A failed or killed upgrade leaves its revision 'partial' with statements_applied = k
//    (the statements that ran and were recorded; a kill between a statement and its
//    progress update leaves that statement unrecorded, and a resume runs it again).
//  - upgrade (any target) first resumes every partial revision: it runs the stored plan
//    from statement k + 1 (call steps after statement k run again; data fixes must be
//    idempotent), then continues to the target.
//  - downgrade through a partial revision reverses only the steps that fully ran: steps
//    whose statements all lie within the first k, plus statement-less steps (calls)
//    followed by a statement that ran. Each is reversed with reverse() (the file's
//    [[downgrade]] is written for the whole revision and is not used). Refused
//    (Error(refused)) when a step ran only in part, or a step that ran has no reverse:
//    undo by hand, then `stamp`.
//  - A failed or killed downgrade leaves the row 'reverting' with its plan and progress;
//    the next downgrade resumes it; upgrade refuses (Error(refused)) until it is done.
//
// One transaction per run (RunOptions::group, `--group`; opt-in): every revision of the
// run and its version row go into ONE transaction, committed after the last revision,
// so a run pays one durable commit instead of one per revision (Alembic's default,
// Flyway's -group). A failure, an interruption or a kill leaves the database as before
// the run: no revision of it stays applied (the error says so). Lock and re-read as
// above; SQLite's write lock is taken once, by the run's transaction, before the
// version table is read, and held to the end (no revision is skipped: nobody else can
// write meanwhile). Data fixes join the run's transaction as they join a revision's.
// Refused before anything runs (Error(unsupported)): on a dialect without
// transactional DDL (MySQL/MariaDB), and for a run whose plan has a statement that
// must run outside a transaction (outside_transaction_statements: SQLite's PRAGMA
// foreign_keys around a table rebuild, whose effect cannot be confined to one
// revision of a shared transaction; a non-transactional statement). Durations in the
// version table are each revision's own time, the shared COMMIT not included.
//
// Not thread-safe: one Runner per thread (each with its own Engine for concurrency).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/engine.hpp"
#include "migrations/revision_graph.hpp"
#include "migrations/version_table.hpp"

namespace strata {

enum class Direction { upgrade, downgrade };
// "upgrade", "downgrade".
const char* to_string(Direction direction) noexcept;

// What a C++ data fix (`op = "call"`) receives. `connection` is engine.connection(),
// inside the revision's transaction where the dialect has transactional DDL; an ORM
// Session made from `engine` joins that transaction (orm/session.hpp).
struct CallContext {
    Engine& engine;
    Connection& connection;
    const Revision& revision;
    Direction direction;
};
// A data fix. Any exception fails the revision (rolled back where transactional);
// a std::exception that is not a strata::Error becomes Error(database) naming the fix.
using DataFix = std::function<void(const CallContext&)>;

// Progress of a live run, for the CLI to print as it happens.
struct ProgressEvent {
    enum class Kind {
        lock_acquired,      // the migration lock is held (revision == nullptr)
        revision_started,   // a revision begins (resumed = continuing a partial one)
        statement_done,     // one statement of the revision ran (sql, statements_done)
        revision_finished,  // the revision committed/recorded (elapsed = its duration)
        revision_skipped,   // another process applied/reverted it meanwhile (SQLite)
        note,               // something the user should know, in `sql` (an expired lease taken over)
    };
    Kind kind = Kind::lock_acquired;
    Direction direction = Direction::upgrade;
    const Revision* revision = nullptr;  // points into the Runner's graph
    std::size_t index = 0;               // 1-based position of the revision in this run
    std::size_t count = 0;               // revisions in this run
    std::size_t statements_done = 0;     // of the revision's plan, resumed ones included
    std::size_t statements_total = 0;
    std::string sql;                     // statement_done: the statement that ran
    bool resumed = false;
    std::chrono::milliseconds elapsed{0};
};
using ProgressSink = std::function<void(const ProgressEvent&)>;

struct RunOptions {
    // How long to wait for the migration lock (SQLite: for each revision's write lock).
    // Zero: one try.
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(30)};
    // Consent to every destructive step (drop table/column, narrowing type change), as
    // `--allow-destructive`. Without it only steps marked destructive_ok = true may be
    // destructive. Applies to downgrades too (reversing add_column drops the column).
    bool allow_destructive = false;
    // C++ data fixes by name, for `op = "call"` steps. A step calling a missing name
    // fails the run before anything runs.
    std::map<std::string, DataFix> functions;
    // Called on the runner's thread as the run progresses; may be empty.
    ProgressSink progress;
    // Install SIGINT/SIGTERM handlers for the run (see "Interruption"); the previous
    // handlers are restored afterwards.
    bool handle_signals = true;
    // One transaction for the whole run (`--group`; see "One transaction per run" above).
    bool group = false;
    // upgrade only: called under the lock once step 4 passed, before anything runs, with
    // the runner's connection (in the run's transaction for a grouped SQLite run) and
    // the revisions this run starts (resumed partial ones not included), parents first.
    // What it throws stops the run with nothing run (`upgrade --preflight` refuses here).
    std::function<void(Connection&, const std::vector<const Revision*>&)> before_run;
    // Migrate an engine strata has no profile for (CockroachDB, TiDB, ...; docs/clusters.md)
    // and skip the proofs that its lock excludes others and its DDL rolls back
    // (`--engine-unchecked`). Dangerous: for engines the user has verified by other means.
    bool engine_unchecked = false;
    // Where the engine needs a lease lock (a Galera cluster): how long a lease outlives its
    // last renewal, i.e. how long a crashed run keeps others waiting (dialects/lease_lock.hpp).
    std::chrono::milliseconds lease_ttl{std::chrono::seconds(30)};
};

// One revision of a run.
struct RevisionRun {
    std::string revision;
    std::string message;
    Direction direction = Direction::upgrade;
    std::chrono::milliseconds duration{0};
    std::size_t statements = 0;  // statements this run executed for it
    bool resumed = false;        // continued a partial/reverting revision (MySQL)
    bool skipped = false;        // another process applied/reverted it meanwhile: not run here
};

struct RunResult {
    std::vector<RevisionRun> revisions;  // in the order they were handled
    std::chrono::milliseconds total{0};  // the whole run, lock wait included
    std::vector<std::string> heads;      // the database's current heads afterwards (sorted)

    // Revisions this run executed (skipped ones not counted).
    std::size_t ran() const noexcept;
    // Nothing was executed: already at the target, or others did the work.
    bool nothing_to_do() const noexcept { return ran() == 0; }
};

// Where a script starts from.
struct ScriptOptions {
    // false (offline, `--sql` without a database): the version table holds exactly
    // `applied`, and the schema is what their upgrade steps build from an empty one.
    // true: read both from the database (connects; the version table and schema are
    // read, nothing is written or locked).
    bool from_database = false;
    std::set<std::string> applied;
    // As RunOptions::allow_destructive: a script is what would run, under the same gate.
    bool allow_destructive = false;
    // As RunOptions::group: the script wraps the whole run, version table included, in
    // one BEGIN ... COMMIT instead of one per revision. Refused as the live run is.
    bool group = false;
};

// An applied revision whose file changed after it was applied.
struct ChecksumMismatch {
    std::string revision;
    std::string file;      // Revision::path
    std::string recorded;  // checksum in the version table
    std::string actual;    // checksum of the file now
};

// What the database has, next to the revision files (for current / history / check).
// For `check`: edited revisions or two heads are a safety refusal (exit 4); pending,
// incomplete or unknown revisions mean the database is not at head (exit 1).
struct DatabaseStatus {
    bool version_table = false;          // the version table exists
    std::vector<AppliedRevision> rows;   // every row, oldest first
    std::vector<std::string> current_heads;  // applied (or partial) revisions with no applied child, sorted
    std::vector<std::string> pending;    // revisions not applied on the way to every head, parents first
    std::vector<std::string> heads;      // heads of the revision graph, sorted (two or more: merge needed)
    std::vector<ChecksumMismatch> edited;  // applied revisions whose file changed
    std::vector<std::string> unknown;    // applied revisions that no file defines

    // The row of a revision, or nullptr.
    const AppliedRevision* row(std::string_view revision) const noexcept;
    // Rows that are 'partial' or 'reverting'.
    std::vector<const AppliedRevision*> incomplete() const;
    // One graph head, everything applied, nothing partial, edited or unknown.
    bool at_head() const noexcept;
};

// What stamp changed.
struct StampResult {
    std::vector<std::string> added;    // rows written (as applied, with the file's checksum)
    std::vector<std::string> removed;  // rows deleted
    std::vector<std::string> heads;    // current heads afterwards
};

class Runner {
public:
    // Takes a checked graph (RevisionGraph's constructor validates the files). The engine
    // is not connected until a live method runs; offline scripts never connect.
    Runner(Engine engine, RevisionGraph graph);

    const RevisionGraph& graph() const noexcept { return graph_; }
    Engine& engine() noexcept { return engine_; }

    // Applies the revisions that reach `target` ("head", "heads", "+N", a revision id or
    // unique prefix; see RevisionGraph::upgrade_path), resuming partial ones first.
    // Nothing to do is a normal result (nothing_to_do()). Throws, besides the
    // errors listed at the top: Error(input) for a bad target or an applied revision no
    // file defines, Error(refused) for "head" with two heads or a 'reverting' row, and
    // the database's error for a failing statement, its message naming the revision and
    // step, saying whether it was rolled back or is partially applied.
    RunResult upgrade(std::string_view target = "head", const RunOptions& options = {});

    // Reverts applied revisions to reach `target` ("-N", "base", a revision; see
    // RevisionGraph::downgrade_path), children first, each with its [[downgrade]] steps.
    // Throws as upgrade; Error(refused) naming the file for a revision without
    // [[downgrade]], and for destructive downgrade steps without consent.
    RunResult downgrade(std::string_view target, const RunOptions& options = {});

    // The script that upgrade/downgrade would run, for the database's own client
    // (sqlite3, psql, mariadb): the client's stop-on-error directives, then (upgrade) the
    // version tables created if missing, then per revision its plan (render_script: its
    // own BEGIN/COMMIT where DDL is transactional) with the version-table INSERT/DELETE
    // before the COMMIT. applied_at is the time the script was made; duration_ms NULL.
    // A script that stops midway on MySQL leaves that revision unrecorded.
    // Throws as the live runs, plus Error(unsupported) for a revision with a `call`
    // step (a script cannot run C++) and Error(refused) for a partial row
    // (from_database); offline planning also refuses a NOT NULL column added without
    // default to a table the script did not create (make_plan cannot ask for rows).
    std::string upgrade_sql(std::string_view target = "head", const ScriptOptions& options = {});
    std::string downgrade_sql(std::string_view target, const ScriptOptions& options = {});

    // Reads the version table (no lock, creates nothing; a database without it has no
    // rows). Never throws for edited or unknown revisions (they are reported); throws
    // the connection's errors and VersionTable::read's.
    DatabaseStatus status();

    // Sets the version table as if `target` had been reached, without running anything:
    // "head"/"heads"/"+N" or a revision not applied adds the revisions upgrade would
    // apply; "base"/"-N" or an applied revision removes those downgrade would revert
    // (irreversible ones included). Partial/reverting rows that stay become 'applied';
    // rows of edited revisions that stay keep their recorded checksum (stamp down and up
    // again to record the new one). Under the migration lock; all rows change in one
    // transaction. Throws Error(input) for a bad target, Error(lock_timeout).
    StampResult stamp(std::string_view target, const RunOptions& options = {});

private:
    Engine engine_;
    RevisionGraph graph_;
};

}  // namespace strata
