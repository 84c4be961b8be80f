#include "migrations/runner.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/engine_checks.hpp"
#include "migrations/checksum.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "migrations/schema_edit.hpp"

namespace strata {

namespace {

using Clock = std::chrono::steady_clock;

// The runner plans against tables only: objects the model does not describe are the
// business of diff, check and autogenerate, and cost a catalog query.
const ReflectOptions kTablesOnly = [] {
    ReflectOptions o;
    o.unmodelled = false;
    return o;
}();

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// Best effort on failure paths, where the first error is the one to report.
template <class F>
void quietly(F&& f) noexcept {
    try {
        f();
    } catch (...) {
    }
}

// ---- signals ----------------------------------------------------------------------------
// A handler may only touch lock-free atomics; the runner polls the flag between
// statements. Handlers are process-wide, so concurrent runs (threads) share one
// installation, counted, and the last run out restores what was there before.

std::atomic<bool> g_interrupted{false};
std::mutex g_signal_mutex;
int g_signal_users = 0;
struct sigaction g_previous_int;
struct sigaction g_previous_term;

void on_signal(int) { g_interrupted.store(true); }

class SignalGuard {
public:
    explicit SignalGuard(bool enabled) : enabled_(enabled) {
        if (!enabled_) return;
        std::lock_guard<std::mutex> lock(g_signal_mutex);
        if (g_signal_users++ > 0) return;
        g_interrupted.store(false);
        struct sigaction action {};
        action.sa_handler = on_signal;
        sigemptyset(&action.sa_mask);
        // Restart interrupted system calls: the driver finishes the statement in progress
        // and the runner stops before the next one.
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &g_previous_int);
        sigaction(SIGTERM, &action, &g_previous_term);
    }
    ~SignalGuard() {
        if (!enabled_) return;
        std::lock_guard<std::mutex> lock(g_signal_mutex);
        if (--g_signal_users > 0) return;
        sigaction(SIGINT, &g_previous_int, nullptr);
        sigaction(SIGTERM, &g_previous_term, nullptr);
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;

    void check() const {
        if (enabled_ && g_interrupted.load())
            throw Error(ErrorKind::interrupted,
                        "interrupted by a signal (SIGINT/SIGTERM): stopped before the next statement");
    }

private:
    bool enabled_;
};

// ---- revisions and their steps ------------------------------------------------------------

std::string checksum_of(const Revision& rev) {
    return rev.checksum.empty() ? file_checksum(write_revision(rev)) : rev.checksum;
}

std::string where(const Revision& rev) { return rev.path.empty() ? rev.id : fmt::format("{} ({})", rev.id, rev.path); }

ErrorDetails file_details(const Revision& rev, ErrorDetails details = {}) {
    if (details.file.empty()) {
        details.file = rev.path;
        details.line = rev.revision_line;
    }
    return details;
}

// A revision with the steps a run executes for it.
struct Item {
    const Revision* revision = nullptr;
    std::vector<Step> steps;
    // The version-table row when the run continues an incomplete one (its stored plan
    // is executed); nullptr for a fresh run.
    const AppliedRevision* resume = nullptr;
    // Which steps these are, stored with the plan of a recorded run.
    std::string origin;
};

void require_functions(const std::vector<Item>& items, const std::map<std::string, DataFix>& functions) {
    for (const Item& item : items)
        for (const Step& step : item.steps)
            if (const auto* call = std::get_if<op::Call>(&step.operation))
                if (!functions.count(call->function))
                    throw Error(ErrorKind::unsupported,
                                fmt::format("revision {} calls C++ function '{}', which this strata binary does not "
                                            "provide; run your project's own strata program (built with "
                                            "strata::cli::run), which registers its data fixes",
                                            where(*item.revision), call->function),
                                file_details(*item.revision));
}

[[noreturn]] void refuse_destructive(const std::vector<std::string>& lines, const Revision& first) {
    std::string list;
    for (const std::string& l : lines) list += "\n  " + l;
    throw Error(ErrorKind::refused,
                fmt::format("refusing to run {} without consent:{}\nThey can lose data. After review, re-run with "
                            "--allow-destructive, or mark each step `destructive_ok = true` in its revision file",
                            plural(lines.size(), "destructive step"), list),
                file_details(first));
}

// Consent at the operation level, for the whole path before anything runs.
void require_consent(const std::vector<Item>& items, Direction direction, bool allow) {
    if (allow) return;
    std::vector<std::string> lines;
    const Revision* first = nullptr;
    for (const Item& item : items)
        for (std::size_t i = 0; i < item.steps.size(); ++i) {
            const Step& step = item.steps[i];
            if (!is_destructive(step.operation) || step.destructive_ok) continue;
            if (!first) first = item.revision;
            lines.push_back(fmt::format("{} of revision {}, step {}: {}", to_string(direction), where(*item.revision),
                                        i + 1, describe(step.operation)));
        }
    if (!lines.empty()) refuse_destructive(lines, *first);
}

// Consent at the statement level (a dialect may flag a statement destructive that the
// operation alone does not show).
void require_consent(const Plan& plan, const Item& item, Direction direction, bool allow) {
    if (allow) return;
    std::vector<std::string> lines;
    for (const PlanStep* step : plan.unconsented_destructive())
        lines.push_back(fmt::format("{} of revision {}, step {}: {}", to_string(direction), where(*item.revision),
                                    static_cast<std::size_t>(step - plan.steps.data()) + 1, step->description));
    if (!lines.empty()) refuse_destructive(lines, *item.revision);
}

Error with_revision(const Error& e, const Revision& rev, Direction direction) {
    return Error(e.kind(), fmt::format("{} of revision {}: {}", to_string(direction), where(rev), e.what()),
                 file_details(rev, e.details()));
}

// The steps of a partial upgrade that ran completely: those whose statements all lie
// within the first `applied` statements, and statement-less steps (calls) that a
// statement after them proves were passed. Throws Error(refused) for a step that ran
// only in part.
std::size_t fully_run_steps(const Revision& rev, const Plan& stored, std::int64_t applied) {
    std::size_t before = 0;
    const auto k = static_cast<std::size_t>(std::max<std::int64_t>(applied, 0));
    for (std::size_t i = 0; i < stored.steps.size(); ++i) {
        const std::size_t n = stored.steps[i].statements.size();
        if (n == 0) {
            if (before < k) continue;
            return i;
        }
        if (before + n <= k) {
            before += n;
            continue;
        }
        if (before < k)
            throw Error(ErrorKind::refused,
                        fmt::format("cannot revert partially applied revision {}: step {} ({}) ran only in part ({} "
                                    "of its {} statements); undo what ran by hand, then record the state with "
                                    "`strata stamp`, or finish it with `strata upgrade`",
                                    where(rev), i + 1, stored.steps[i].description, k - before, n),
                        file_details(rev));
        return i;
    }
    return stored.steps.size();
}

// The reverse of the first `count` upgrade steps, last first.
std::vector<Step> reversed_steps(const Revision& rev, std::size_t count) {
    std::vector<Step> out;
    for (std::size_t i = count; i-- > 0;) {
        const Operation& op = rev.upgrade[i].operation;
        std::optional<Operation> back = reverse(op);
        if (!back)
            throw Error(ErrorKind::refused,
                        fmt::format("cannot revert partially applied revision {}: step {} ({}) ran and cannot be "
                                    "reversed; undo it by hand, then record the state with `strata stamp`",
                                    where(rev), i + 1, describe(op)),
                        file_details(rev));
        out.push_back(Step{std::move(*back), false});
    }
    return out;
}

std::vector<Step> steps_for_origin(const Revision& rev, const std::string& origin) {
    if (origin == "upgrade") return rev.upgrade;
    if (origin == "downgrade" && rev.downgrade) return *rev.downgrade;
    const std::string prefix = "reverse:";
    if (origin.rfind(prefix, 0) == 0) {
        std::size_t n = 0;
        try {
            n = std::stoul(origin.substr(prefix.size()));
        } catch (...) {
            n = rev.upgrade.size() + 1;
        }
        if (n <= rev.upgrade.size()) return reversed_steps(rev, n);
    }
    throw Error(ErrorKind::database,
                fmt::format("the version-table row of revision {} holds a plan of unknown origin '{}'; fix the row "
                            "by hand or use `strata stamp`",
                            where(rev), origin));
}

[[noreturn]] void refuse_edited(const std::vector<ChecksumMismatch>& edited, const RevisionGraph& graph,
                                const char* action) {
    std::string list;
    for (const ChecksumMismatch& m : edited)
        list += fmt::format("\n  {} ({}): recorded {}, file now {}", m.revision, m.file.empty() ? "no file" : m.file,
                            m.recorded, m.actual);
    const Revision* first = graph.find(edited.front().revision);
    ErrorDetails details;
    if (first) details = file_details(*first);
    throw Error(ErrorKind::refused,
                fmt::format("refusing to {}: {} changed after being applied:{}\nA change to an applied revision "
                            "never reaches this database. Restore the file (e.g. from version control) and put the "
                            "change in a new revision; or, if the database already matches the file, record it with "
                            "`strata stamp` below the revision and back",
                            action, plural(edited.size(), "revision file"), list),
                details);
}

std::vector<ChecksumMismatch> edited_rows(const std::vector<AppliedRevision>& rows, const RevisionGraph& graph) {
    std::vector<ChecksumMismatch> out;
    for (const AppliedRevision& row : rows) {
        const Revision* rev = graph.find(row.revision);
        if (!rev) continue;
        std::string actual = checksum_of(*rev);
        if (actual != row.checksum) out.push_back({row.revision, rev->path, row.checksum, actual});
    }
    return out;
}

// With transactional DDL, a statement that must run outside the transaction (PostgreSQL's
// CREATE INDEX CONCURRENTLY, an enum label added in place) commits the statements before
// it: a failure after it leaves the revision partly applied, as on MySQL, so the run
// records its progress the same way.
bool commits_part_way(const Plan& plan) {
    if (!plan.transactional_ddl) return false;
    for (const PlanStep& step : plan.steps)
        for (const SqlStatement& s : step.statements)
            if (!s.transactional) return true;
    return false;
}

// Whether running `steps` leaves the database's native objects (triggers, and indexes
// the schema model does not describe) as they were, so that the objects read before
// them still hold for the next revision. Only these operations qualify: a new table
// has no triggers, an added column changes none, and an index an operation creates is
// one the schema model describes (expression keys and predicates included). Anything
// else (raw SQL, a data fix, a rename that SQLite propagates into trigger text, a
// drop, a rebuild) may change the objects: they are read again. Reading them costs a
// catalog query per revision that grows with the number of indexes.
bool keeps_native_objects(const std::vector<Step>& steps) {
    return std::all_of(steps.begin(), steps.end(), [&](const Step& step) {
        return std::holds_alternative<op::CreateTable>(step.operation) ||
               std::holds_alternative<op::CreateIndex>(step.operation) ||
               std::holds_alternative<op::AddColumn>(step.operation);
    });
}

// ---- one transaction per run (--group) -----------------------------------------------------

// Before anything runs, on a dialect whose DDL commits itself.
void require_group_support(const Dialect& dialect, Direction direction) {
    if (dialect.capabilities().transactional_ddl) return;
    throw Error(ErrorKind::unsupported,
                fmt::format("--group needs transactional DDL, and {} commits every DDL statement by itself: the run "
                            "cannot be one transaction. Run `strata {}` without --group (each revision records its "
                            "progress and resumes after a failure)",
                            dialect.name(), to_string(direction)));
}

// A revision whose plan cannot join the run's transaction.
[[noreturn]] void refuse_group(const Plan& plan, const Revision& rev, Direction direction) {
    const SqlStatement* first = outside_transaction_statements(plan).front();
    throw Error(ErrorKind::unsupported,
                fmt::format("--group cannot run revision {}: its plan has a statement that must run outside a "
                            "transaction ({}{}), so it cannot share one transaction with the other revisions. Run "
                            "`strata {}` without --group, or with --group only up to the revision before it",
                            where(rev), first->sql,
                            first->placement == StatementPlacement::step ? "" : ", around a table rebuild",
                            to_string(direction)),
                file_details(rev));
}

// ---- a live run ---------------------------------------------------------------------------

class LiveRun {
public:
    LiveRun(Engine& engine, const RevisionGraph& graph, const RunOptions& options, Direction direction)
        : engine_(engine),
          graph_(graph),
          options_(options),
          direction_(direction),
          signals_(options.handle_signals),
          conn_(engine.connection()),
          dialect_(conn_.dialect()),
          version_(dialect_),
          recorded_(!dialect_.capabilities().transactional_ddl),
          group_(options.group) {}

    // A group transaction still open here means the run failed before its COMMIT (the
    // lock is released after this, with the members).
    ~LiveRun() {
        if (group_ && conn_.in_transaction()) quietly([&] { conn_.rollback(); });
    }
    LiveRun(const LiveRun&) = delete;
    LiveRun& operator=(const LiveRun&) = delete;

    // Step 2 and 3 of runner.hpp: lock, version table, edited files (refused unless
    // `action` is null: stamp is how a user records an edited file as applied).
    // With `want_schema`, the database's schema is read too: for a per-transaction lock
    // in the same transaction as the version table, so that the two agree even while
    // other processes migrate (the schema then is exactly the one the applied rows
    // describe, and every revision planned from it fits).
    void begin(bool create_version_table, const char* action, bool want_schema) {
        if (conn_.in_transaction())
            throw Error(ErrorKind::usage, "the runner needs the engine's connection without an open transaction; "
                                          "commit or roll back first");
        signals_.check();
        require_writable_engine(conn_, action ? action : "stamp", options_.engine_unchecked);
        LockRequest request{.timeout = options_.lock_timeout,
                            .lease_ttl = options_.lease_ttl,
                            .open = [this] { return engine_.open(); },
                            .note = [this](const std::string& text) {
                                emit({.kind = ProgressEvent::Kind::note, .direction = direction_, .sql = text});
                            }};
        lock_ = acquire_migration_lock(conn_, request);
        signals_.check();
        if (!options_.engine_unchecked) {
            prove_lock_exclusive(conn_, *lock_, request);
            prove_transactional_ddl(conn_);
        }
        emit({.kind = ProgressEvent::Kind::lock_acquired, .direction = direction_});
        const bool exists = version_.exists(conn_);
        const bool snapshot = want_schema && lock_->per_transaction();
        auto load = [&] {
            if (!exists && create_version_table) version_.ensure(conn_);
            if (exists || create_version_table) rows_ = version_.read(conn_);
            if (snapshot) {
                schema_ = dialect_.reflect(conn_, kTablesOnly);
                have_schema_ = true;
            }
        };
        if (group_ && lock_->per_transaction()) {
            // The run's one transaction takes the write lock now and keeps it: what is
            // read here stays true until the COMMIT.
            translating([&] { conn_.begin(); });
            load();
        } else if (snapshot || (!exists && create_version_table)) {
            in_transaction_if_per_transaction_lock(load);
        } else {
            load();
        }
        for (const AppliedRevision& row : rows_) applied_.insert(row.revision);
        if (!action) return;
        std::vector<ChecksumMismatch> edited = edited_rows(rows_, graph_);
        if (!edited.empty()) refuse_edited(edited, graph_, action);
    }

    const AppliedRevision* row(const std::string& id) const {
        for (const AppliedRevision& r : rows_)
            if (r.revision == id) return &r;
        return nullptr;
    }
    const std::vector<AppliedRevision>& rows() const noexcept { return rows_; }
    const std::set<std::string>& applied() const noexcept { return applied_; }

    // Step 4: everything that can be checked before anything runs.
    void preflight(const std::vector<Item>& items) {
        require_functions(items, options_.functions);
        require_consent(items, direction_, options_.allow_destructive);
        if (!have_schema_) schema_ = dialect_.reflect(conn_, kTablesOnly);
        have_schema_ = true;
        // Plan the whole path offline against the tracked schema, so that a revision
        // that does not fit it stops the run before the first one starts. make_plan
        // refuses one thing offline that it can answer with a connection (a NOT NULL
        // column for a table that may have rows); that revision is planned again, with
        // the database, when it runs.
        native_ = dialect_.reflect_native_objects(conn_);
        const NativeObjects& native = *native_;
        Metadata schema = schema_;
        for (const Item& item : items) {
            if (item.resume) break;  // its effect so far is in the database, not in a plan
            std::optional<Plan> plan;
            try {
                plan = make_plan(item.steps, dialect_, schema, {.connection = nullptr, .native = &native});
            } catch (const Error& e) {
                if (e.kind() != ErrorKind::refused) throw with_revision(e, *item.revision, direction_);
            }
            if (plan) {
                require_consent(*plan, item, direction_, options_.allow_destructive);
                if (group_ && !outside_transaction_statements(*plan).empty())
                    refuse_group(*plan, *item.revision, direction_);
                schema = std::move(plan->result);
                continue;
            }
            try {
                for (const Step& step : item.steps) strata::apply(schema, step.operation);
            } catch (const Error&) {
                break;
            }
        }
    }

    // Step 5 for every item, then the result.
    RunResult run(const std::vector<Item>& items) {
        if (group_) return run_group(items);
        try {
            for (std::size_t i = 0; i < items.size(); ++i) run_item(items[i], i + 1, items.size());
        } catch (...) {
            record_durations();
            throw;
        }
        record_durations();
        return finish();
    }

    // Every item in one transaction (SQLite: opened by begin() already). The rows keep
    // each revision's own duration: correcting them after the COMMIT would cost a second
    // durable commit, the very cost this mode saves.
    RunResult run_group(const std::vector<Item>& items) {
        try {
            if (!conn_.in_transaction()) translating([&] { conn_.begin(); });
            for (std::size_t i = 0; i < items.size(); ++i) run_item(items[i], i + 1, items.size());
            signals_.check();
            translating([&] { conn_.commit(); });
        } catch (const Error& e) {
            if (conn_.in_transaction()) quietly([&] { conn_.rollback(); });
            // what() carries the file:line prefix that the new Error adds again.
            std::string message = e.what();
            const ErrorDetails& d = e.details();
            const std::string prefix = d.line > 0 ? fmt::format("{}:{}: ", d.file, d.line) : d.file + ": ";
            if (!d.file.empty() && message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
            throw Error(e.kind(),
                        fmt::format("{}; rolled back: no revision of this run was applied (--group runs them in one "
                                    "transaction)",
                                    message),
                        d);
        } catch (...) {
            if (conn_.in_transaction()) quietly([&] { conn_.rollback(); });
            throw;
        }
        duration_before_commit_.clear();
        return finish();
    }

    // Each applied row is written inside its revision's transaction, before the COMMIT,
    // with the time taken so far; the COMMIT itself can be most of a revision's time (an
    // SQLite commit waits for the disk). Once the commits are done, rows whose full time
    // differs are corrected, all in one transaction where the lock is per transaction.
    // Best effort: if this fails, the rows keep the time before their COMMIT.
    void record_durations() noexcept {
        std::vector<const RevisionRun*> changed;
        for (const RevisionRun& run : result_.revisions) {
            auto before = duration_before_commit_.find(run.revision);
            if (run.direction == Direction::upgrade && !run.skipped && before != duration_before_commit_.end() &&
                before->second != run.duration.count())
                changed.push_back(&run);
        }
        duration_before_commit_.clear();
        if (changed.empty() || conn_.in_transaction()) return;
        quietly([&] {
            in_transaction_if_per_transaction_lock([&] {
                for (const RevisionRun* run : changed) version_.set_duration(conn_, run->revision, run->duration.count());
            });
        });
    }

    RunResult finish() {
        // Nothing to run under --group: end the transaction begin() opened (it may have
        // created the version table).
        if (group_ && conn_.in_transaction()) translating([&] { conn_.commit(); });
        result_.heads = graph_.current_heads(applied_);
        result_.total = since(start_);
        return std::move(result_);
    }

    template <class F>
    void in_transaction_if_per_transaction_lock(F&& f) {
        if (!lock_->per_transaction()) {
            f();
            return;
        }
        translating([&] {
            conn_.begin();
            try {
                f();
                conn_.commit();
            } catch (...) {
                if (conn_.in_transaction()) quietly([&] { conn_.rollback(); });
                throw;
            }
        });
    }

    Connection& connection() noexcept { return conn_; }
    const VersionTable& version() const noexcept { return version_; }
    RunResult& result() noexcept { return result_; }
    std::set<std::string>& applied_mut() noexcept { return applied_; }

private:
    void emit(ProgressEvent event) const {
        if (options_.progress) options_.progress(event);
    }

    // Runs f; a per-transaction lock's busy error becomes Error(lock_timeout).
    template <class F>
    auto translating(F&& f) -> decltype(f()) {
        try {
            return f();
        } catch (const Error& e) {
            if (lock_ && lock_->per_transaction() && lock_->is_lock_timeout(e))
                throw Error(ErrorKind::lock_timeout,
                            fmt::format("could not take the migration lock (the database's write lock) within {} ms: "
                                        "another process is writing to the database, most likely another strata "
                                        "migration. Wait for it to finish, or raise --lock-timeout ({})",
                                        lock_->timeout().count(), e.what()),
                            e.details());
            throw;
        }
    }

    Plan plan_live(const Item& item) {
        Plan plan;
        try {
            plan = make_plan(item.steps, dialect_, schema_,
                             {.connection = &conn_, .native = native_ ? &*native_ : nullptr});
        } catch (const Error& e) {
            throw with_revision(e, *item.revision, direction_);
        }
        require_consent(plan, item, direction_, options_.allow_destructive);
        return plan;
    }

    // Whether the item still needs running, judged from its row read inside its own
    // transaction (per-transaction locks: another process may have done it meanwhile).
    bool still_needed(const std::optional<AppliedRevision>& found, const Item& item) const {
        if (direction_ == Direction::upgrade) return !found || (item.resume && !found->complete());
        return found.has_value();
    }

    // Without transactional DDL every statement commits itself (and with it, a statement
    // that runs outside the transaction commits what came before): the row says how far
    // the revision got before the first statement runs.
    void record_start(const Item& item, const Plan& plan, const std::string& checksum, std::size_t total) {
        const Revision& rev = *item.revision;
        if (item.resume) {
            version_.set_failure(conn_, rev.id, "", "");
            return;
        }
        AppliedRevision start{.revision = rev.id,
                              .checksum = checksum,
                              .state = direction_ == Direction::upgrade ? RevisionState::partial
                                                                        : RevisionState::reverting,
                              .applied_at = version_timestamp(),
                              .statements_applied = 0,
                              .statements_total = static_cast<std::int64_t>(total),
                              .resume_plan = encode_resume_plan(plan, item.origin)};
        if (row(rev.id))
            version_.update(conn_, start);
        else
            version_.insert(conn_, start);
    }

    // Between statements: a signal, or a lease lost meanwhile, stops the run here.
    void still_allowed() {
        signals_.check();
        lock_->check_held();
    }

    void run_item(const Item& item, std::size_t index, std::size_t count) {
        const Revision& rev = *item.revision;
        const auto t0 = Clock::now();
        const bool resumed = item.resume != nullptr;
        still_allowed();

        Plan plan;
        std::size_t skip = 0;
        if (resumed) {
            plan = decode_resume_plan(item.resume->resume_plan, item.steps, dialect_);
            require_consent(plan, item, direction_, options_.allow_destructive);
            skip = static_cast<std::size_t>(std::max<std::int64_t>(item.resume->statements_applied, 0));
        } else {
            plan = plan_live(item);
        }
        if (group_ && !outside_transaction_statements(plan).empty()) refuse_group(plan, rev, direction_);
        recording_ = recorded_ || commits_part_way(plan);
        const std::size_t total = plan.statement_count();
        emit({.kind = ProgressEvent::Kind::revision_started,
              .direction = direction_,
              .revision = &rev,
              .index = index,
              .count = count,
              .statements_done = skip,
              .statements_total = total,
              .resumed = resumed});

        const std::string checksum = item.resume ? item.resume->checksum : checksum_of(rev);
        if (recording_) record_start(item, plan, checksum, total);

        ExecuteOptions eo;
        eo.skip_statements = skip;
        eo.call = [&](const op::Call& call, Connection& c) {
            still_allowed();
            const DataFix& fix = options_.functions.at(call.function);
            try {
                fix(CallContext{engine_, c, rev, direction_});
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                throw Error(ErrorKind::database, fmt::format("data fix '{}' failed: {}", call.function, e.what()));
            }
            // The executor has no hook before a statement; a signal that arrived during
            // the fix must stop the run before the statement after it.
            still_allowed();
        };
        eo.on_statement = [&](const StatementProgress& p) {
            if (recording_) version_.set_progress(conn_, rev.id, static_cast<std::int64_t>(p.done));
            emit({.kind = ProgressEvent::Kind::statement_done,
                  .direction = direction_,
                  .revision = &rev,
                  .index = index,
                  .count = count,
                  .statements_done = p.done,
                  .statements_total = total,
                  .sql = p.sql ? p.sql->sql : std::string(),
                  .resumed = resumed});
            still_allowed();
        };
        eo.joined = group_;
        if (lock_->per_transaction() && !group_)
            eo.after_begin = [&](Connection& c) {
                still_allowed();
                return still_needed(version_.read_row(c, item.revision->id), item);
            };
        eo.before_commit = [&](Connection& c) {
            still_allowed();
            if (direction_ == Direction::downgrade) {
                version_.remove(c, rev.id);
                return;
            }
            const std::int64_t duration_ms = since(t0).count();
            duration_before_commit_[rev.id] = duration_ms;
            AppliedRevision done{.revision = rev.id,
                                 .checksum = checksum,
                                 .state = RevisionState::applied,
                                 .applied_at = version_timestamp(),
                                 .duration_ms = duration_ms,
                                 .statements_applied = static_cast<std::int64_t>(total),
                                 .statements_total = static_cast<std::int64_t>(total)};
            if (recording_ || resumed)
                version_.update(c, done);
            else
                version_.insert(c, done);
        };

        ExecuteResult executed;
        try {
            executed = translating([&] { return execute_plan(plan, conn_, eo); });
        } catch (const Error& e) {
            throw failed(e, rev);
        }

        RevisionRun run{.revision = rev.id,
                        .message = rev.message,
                        .direction = direction_,
                        .duration = since(t0),
                        .statements = executed.statements,
                        .resumed = resumed,
                        .skipped = executed.skipped};
        emit({.kind = executed.skipped ? ProgressEvent::Kind::revision_skipped : ProgressEvent::Kind::revision_finished,
              .direction = direction_,
              .revision = &rev,
              .index = index,
              .count = count,
              .statements_done = executed.skipped ? 0 : total,
              .statements_total = total,
              .resumed = resumed,
              .elapsed = run.duration});
        result_.revisions.push_back(std::move(run));
        if (direction_ == Direction::upgrade)
            applied_.insert(rev.id);
        else
            applied_.erase(rev.id);
        // A resumed plan was made against a schema that no longer exists anywhere; ask
        // the database what it looks like now.
        if (resumed || executed.skipped || !keeps_native_objects(item.steps)) native_.reset();
        schema_ = resumed ? dialect_.reflect(conn_, kTablesOnly) : std::move(plan.result);
    }

    // A run that failed before any of its statements committed was rolled back whole
    // (the progress written in its transaction with it): its row goes back to what it was
    // before the run began, none for an upgrade, applied for a downgrade. Not for a
    // resumed run, whose row recorded progress before this run.
    bool nothing_committed(const Revision& rev) {
        const AppliedRevision* before = row(rev.id);
        if (before && !before->complete()) return false;
        bool restored = false;
        quietly([&] {
            std::optional<AppliedRevision> found = version_.read_row(conn_, rev.id);
            if (!found || found->statements_applied != 0) return;
            if (before)
                version_.update(conn_, *before);
            else
                version_.remove(conn_, rev.id);
            restored = true;
        });
        return restored;
    }

    Error failed(const Error& e, const Revision& rev) {
        std::string earlier;
        if (group_)
            return Error(e.kind(), fmt::format("{} of revision {} failed: {}", to_string(direction_), where(rev), e.what()),
                         file_details(rev, e.details()));
        if (result_.ran() > 0)
            earlier = fmt::format(" The {} before it in this run {} done and stay{}.",
                                  plural(result_.ran(), "revision"), result_.ran() == 1 ? "is" : "are",
                                  result_.ran() == 1 ? "s" : "");
        if (e.kind() != ErrorKind::lock_timeout && recording_ && !recorded_ && nothing_committed(rev))
            recording_ = false;
        if (e.kind() == ErrorKind::lock_timeout || !recording_)
            return Error(e.kind(),
                         fmt::format("{} of revision {} failed: {}.{}", to_string(direction_), where(rev), e.what(),
                                     earlier),
                         file_details(rev, e.details()));
        quietly([&] { version_.set_failure(conn_, rev.id, e.sql(), e.what()); });
        std::string next = direction_ == Direction::upgrade
                               ? "fix the cause and run `strata upgrade` to resume it, or `strata downgrade` to revert "
                                 "what was applied"
                               : "fix the cause and run `strata downgrade` again to finish reverting it";
        return Error(e.kind(),
                     fmt::format("{} of revision {} stopped part way and is recorded as {} ({}): {}. `strata "
                                 "current` shows the failing statement; {}.{}",
                                 to_string(direction_), where(rev),
                                 direction_ == Direction::upgrade ? "partially applied" : "partly reverted",
                                 recorded_ ? fmt::format("{} does not roll back DDL", dialect_.name())
                                           : std::string("a statement of it runs outside the transaction and cannot "
                                                         "be rolled back"),
                                 e.what(), next, earlier),
                     file_details(rev, e.details()));
    }

    Engine& engine_;
    const RevisionGraph& graph_;
    const RunOptions& options_;
    const Direction direction_;
    const Clock::time_point start_ = Clock::now();
    SignalGuard signals_;  // declared before lock_: the lock is released first
    Connection& conn_;
    const Dialect& dialect_;
    VersionTable version_;
    const bool recorded_;  // progress recorded per statement (no transactional DDL)
    // Progress recorded for the revision running now: recorded_, or a plan with a
    // statement that commits part of it (commits_part_way).
    bool recording_ = false;
    const bool group_;     // one transaction for the whole run (RunOptions::group)
    std::unique_ptr<MigrationLock> lock_;
    // duration_ms written into each applied row of this run, by revision (see record_durations).
    std::map<std::string, std::int64_t> duration_before_commit_;
    std::vector<AppliedRevision> rows_;
    std::set<std::string> applied_;
    Metadata schema_;
    // The database's native objects (Dialect::reflect_native_objects) as they are now,
    // for planning the next revision; std::nullopt when they must be read again.
    std::optional<NativeObjects> native_;
    bool have_schema_ = false;
    RunResult result_;
};

std::string terminated(std::string sql) {
    while (!sql.empty() && (sql.back() == ' ' || sql.back() == '\n' || sql.back() == '\t' || sql.back() == '\r'))
        sql.pop_back();
    if (sql.empty() || sql.back() != ';') sql += ';';
    return sql;
}

}  // namespace

const char* to_string(Direction direction) noexcept {
    return direction == Direction::upgrade ? "upgrade" : "downgrade";
}

std::size_t RunResult::ran() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(revisions.begin(), revisions.end(), [](const RevisionRun& r) { return !r.skipped; }));
}

const AppliedRevision* DatabaseStatus::row(std::string_view revision) const noexcept {
    for (const AppliedRevision& r : rows)
        if (r.revision == revision) return &r;
    return nullptr;
}

std::vector<const AppliedRevision*> DatabaseStatus::incomplete() const {
    std::vector<const AppliedRevision*> out;
    for (const AppliedRevision& r : rows)
        if (!r.complete()) out.push_back(&r);
    return out;
}

bool DatabaseStatus::at_head() const noexcept {
    if (heads.size() > 1 || !pending.empty() || !edited.empty() || !unknown.empty()) return false;
    return std::all_of(rows.begin(), rows.end(), [](const AppliedRevision& r) { return r.complete(); });
}

Runner::Runner(Engine engine, RevisionGraph graph) : engine_(std::move(engine)), graph_(std::move(graph)) {}

RunResult Runner::upgrade(std::string_view target, const RunOptions& options) {
    if (options.group) require_group_support(engine_.dialect(), Direction::upgrade);
    LiveRun run(engine_, graph_, options, Direction::upgrade);
    run.begin(true, "upgrade", true);
    std::vector<Item> items;
    for (const Revision& rev : graph_.revisions()) {
        const AppliedRevision* row = run.row(rev.id);
        if (!row || row->complete()) continue;
        if (row->state == RevisionState::reverting)
            throw Error(ErrorKind::refused,
                        fmt::format("revision {} is partly reverted ({} of {} statements of its downgrade ran); run "
                                    "`strata downgrade` to finish reverting it before upgrading",
                                    where(rev), row->statements_applied, row->statements_total),
                        file_details(rev));
        items.push_back(Item{&rev, rev.upgrade, row, "upgrade"});
    }
    for (const Revision* rev : graph_.upgrade_path(run.applied(), target))
        items.push_back(Item{rev, rev->upgrade, nullptr, "upgrade"});
    if (items.empty()) return run.finish();
    run.preflight(items);
    if (options.before_run) {
        std::vector<const Revision*> starting;
        for (const Item& item : items)
            if (!item.resume) starting.push_back(item.revision);
        options.before_run(run.connection(), starting);
    }
    return run.run(items);
}

RunResult Runner::downgrade(std::string_view target, const RunOptions& options) {
    if (options.group) require_group_support(engine_.dialect(), Direction::downgrade);
    LiveRun run(engine_, graph_, options, Direction::downgrade);
    run.begin(false, "downgrade", true);
    std::vector<Item> items;
    for (const Revision* rev : graph_.downgrade_path(run.applied(), target, true)) {
        const AppliedRevision* row = run.row(rev->id);
        Item item{rev, {}, nullptr, "downgrade"};
        if (row && row->state == RevisionState::reverting) {
            item.origin = resume_plan_origin(row->resume_plan);
            item.steps = steps_for_origin(*rev, item.origin);
            item.resume = row;
        } else if (row && row->state == RevisionState::partial) {
            Plan stored = decode_resume_plan(row->resume_plan, rev->upgrade, engine_.dialect());
            std::size_t n = fully_run_steps(*rev, stored, row->statements_applied);
            item.steps = reversed_steps(*rev, n);
            item.origin = fmt::format("reverse:{}", n);
        } else {
            item.steps = *rev->downgrade;
        }
        items.push_back(std::move(item));
    }
    if (items.empty()) return run.finish();
    run.preflight(items);
    return run.run(items);
}

StampResult Runner::stamp(std::string_view target, const RunOptions& options) {
    LiveRun run(engine_, graph_, options, Direction::upgrade);
    run.begin(true, nullptr, false);
    std::vector<const Revision*> add;
    std::vector<const Revision*> remove;
    const std::set<std::string>& applied = run.applied();
    const bool down = target == "base" || (!target.empty() && target.front() == '-');
    const bool up = target == "head" || target == "heads" || (!target.empty() && target.front() == '+');
    if (down) {
        remove = graph_.downgrade_path(applied, target, false);
    } else if (up) {
        add = graph_.upgrade_path(applied, target);
    } else {
        std::string id = graph_.resolve(target);
        if (applied.count(id))
            remove = graph_.downgrade_path(applied, id, false);
        else
            add = graph_.upgrade_path(applied, id);
    }

    StampResult result;
    std::set<std::string> after = applied;
    for (const Revision* rev : remove) after.erase(rev->id);
    for (const Revision* rev : add) after.insert(rev->id);
    Connection& conn = run.connection();
    const VersionTable& version = run.version();
    auto write = [&] {
        for (const Revision* rev : remove) version.remove(conn, rev->id);
        for (const Revision* rev : add) {
            version.insert(conn, AppliedRevision{.revision = rev->id,
                                                 .checksum = checksum_of(*rev),
                                                 .state = RevisionState::applied,
                                                 .applied_at = version_timestamp()});
        }
        for (const AppliedRevision& row : run.rows()) {
            if (row.complete() || !after.count(row.revision)) continue;
            AppliedRevision fixed = row;
            fixed.state = RevisionState::applied;
            fixed.failed_sql.clear();
            fixed.error.clear();
            fixed.resume_plan.clear();
            version.update(conn, fixed);
        }
    };
    // All rows change together: DML is transactional on every dialect.
    run.in_transaction_if_per_transaction_lock([&] {
        if (conn.in_transaction()) {
            write();
            return;
        }
        conn.begin();
        try {
            write();
            conn.commit();
        } catch (...) {
            if (conn.in_transaction()) quietly([&] { conn.rollback(); });
            throw;
        }
    });
    for (const Revision* rev : remove) result.removed.push_back(rev->id);
    for (const Revision* rev : add) result.added.push_back(rev->id);
    result.heads = graph_.current_heads(after);
    return result;
}

DatabaseStatus Runner::status() {
    Connection& conn = engine_.connection();
    VersionTable version(conn.dialect());
    DatabaseStatus st;
    st.version_table = version.exists(conn);
    if (st.version_table) st.rows = version.read(conn);
    st.heads = graph_.heads();
    std::set<std::string> known;
    for (const AppliedRevision& row : st.rows) {
        if (graph_.find(row.revision))
            known.insert(row.revision);
        else
            st.unknown.push_back(row.revision);
    }
    st.edited = edited_rows(st.rows, graph_);
    st.current_heads = graph_.current_heads(known);
    if (!graph_.empty())
        for (const Revision* rev : graph_.upgrade_path(known, "heads")) st.pending.push_back(rev->id);
    return st;
}

namespace {

// Shared by upgrade_sql and downgrade_sql.
std::string make_script(Engine& engine, const RevisionGraph& graph, Direction direction, std::string_view target,
                        const ScriptOptions& options) {
    const Dialect& dialect = engine.dialect();
    if (options.group) require_group_support(dialect, direction);
    const VersionTable version(dialect);
    std::set<std::string> applied;
    Metadata schema;
    NativeObjects native;
    if (options.from_database) {
        Connection& conn = engine.connection();
        std::vector<AppliedRevision> rows = version.read(conn, true);
        std::vector<ChecksumMismatch> edited = edited_rows(rows, graph);
        if (!edited.empty()) refuse_edited(edited, graph, "write the script");
        for (const AppliedRevision& row : rows) {
            if (!row.complete())
                throw Error(ErrorKind::refused,
                            fmt::format("revision {} is {} on this database; a script cannot continue it. Run `strata "
                                        "{}` without --sql",
                                        row.revision,
                                        row.state == RevisionState::partial ? "partially applied" : "partly reverted",
                                        row.state == RevisionState::partial ? "upgrade" : "downgrade"));
            applied.insert(row.revision);
        }
        schema = dialect.reflect(conn, kTablesOnly);
        native = dialect.reflect_native_objects(conn);
    } else {
        applied = options.applied;
        for (const Revision& rev : graph.revisions()) {
            if (!applied.count(rev.id)) continue;
            try {
                for (const Step& step : rev.upgrade) strata::apply(schema, step.operation);
            } catch (const Error& e) {
                throw Error(ErrorKind::input,
                            fmt::format("cannot replay revision {} to know the schema the script starts from: {}; "
                                        "write the script from the database instead",
                                        where(rev), e.what()),
                            file_details(rev, e.details()));
            }
        }
    }

    std::vector<const Revision*> path = direction == Direction::upgrade
                                            ? graph.upgrade_path(applied, target)
                                            : graph.downgrade_path(applied, target, true);
    std::vector<Item> items;
    for (const Revision* rev : path)
        items.push_back(Item{rev, direction == Direction::upgrade ? rev->upgrade : *rev->downgrade, nullptr, ""});
    for (const Item& item : items)
        for (const Step& step : item.steps)
            if (const auto* call = std::get_if<op::Call>(&step.operation))
                throw Error(ErrorKind::unsupported,
                            fmt::format("revision {} calls C++ data fix '{}', which an SQL script cannot run; apply "
                                        "it with `strata {}` (without --sql)",
                                        where(*item.revision), call->function, to_string(direction)),
                            file_details(*item.revision));
    require_consent(items, direction, options.allow_destructive);

    const bool tx = dialect.capabilities().transactional_ddl;
    const std::vector<std::string> prologue = dialect.script_prologue();
    std::string prologue_text;
    for (const std::string& line : prologue) prologue_text += line + "\n";

    std::string out = fmt::format("-- strata {} to {} for {}: {}\n", to_string(direction), target, dialect.name(),
                                  plural(items.size(), "revision"));
    out += prologue_text;
    if (items.empty()) {
        out += "-- nothing to do\n";
        return out;
    }
    // --group: one transaction around everything, the version table's creation included.
    const bool group = options.group;
    if (group) out += "\n-- one transaction for the whole run (--group): a failure anywhere applies nothing\nBEGIN;\n";
    if (direction == Direction::upgrade) {
        out += fmt::format("\n-- the version table ({})\n", VersionTable::table_name);
        for (const std::string& sql : version.create_script()) out += terminated(sql) + "\n";
    }
    const std::string now = version_timestamp();
    for (const Item& item : items) {
        const Revision& rev = *item.revision;
        Plan plan;
        try {
            plan = make_plan(item.steps, dialect, schema, {.connection = nullptr, .native = &native});
        } catch (const Error& e) {
            throw with_revision(e, rev, direction);
        }
        require_consent(plan, item, direction, options.allow_destructive);
        if (group && !outside_transaction_statements(plan).empty()) refuse_group(plan, rev, direction);
        const auto total = static_cast<std::int64_t>(plan.statement_count());
        SqlStatement record;
        record.placement = StatementPlacement::before_commit;
        record.sql = direction == Direction::upgrade
                         ? version.insert_script(AppliedRevision{.revision = rev.id,
                                                                 .checksum = checksum_of(rev),
                                                                 .state = RevisionState::applied,
                                                                 .applied_at = now,
                                                                 .statements_applied = total,
                                                                 .statements_total = total})
                         : version.remove_script(rev.id);
        out += fmt::format("\n-- ==== {} {}: {}\n", to_string(direction), where(rev), rev.message);
        if (plan.empty()) {
            if (tx && !group) out += "BEGIN;\n";
            out += terminated(record.sql) + "\n";
            if (tx && !group) out += "COMMIT;\n";
        } else {
            Plan with_record = plan;
            with_record.before_commit.push_back(record);
            // Rendered without its own BEGIN/COMMIT: the run's transaction holds it (the
            // plan has no statement that must run outside one, checked above).
            if (group) with_record.transactional_ddl = false;
            std::string body = render_script(with_record, dialect);
            // The client directives are at the top of the whole script already.
            if (!prologue_text.empty() && body.compare(0, prologue_text.size(), prologue_text) == 0)
                body.erase(0, prologue_text.size());
            out += body;
        }
        schema = std::move(plan.result);
    }
    if (group) out += "\nCOMMIT;\n";
    return out;
}

}  // namespace

std::string Runner::upgrade_sql(std::string_view target, const ScriptOptions& options) {
    return make_script(engine_, graph_, Direction::upgrade, target, options);
}

std::string Runner::downgrade_sql(std::string_view target, const ScriptOptions& options) {
    return make_script(engine_, graph_, Direction::downgrade, target, options);
}

}  // namespace strata
