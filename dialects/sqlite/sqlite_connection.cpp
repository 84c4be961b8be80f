#include "dialects/sqlite/sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <filesystem>
#include <system_error>

#include "core/error.hpp"
#include "dialects/sqlite/sqlite_create_table.hpp"

namespace strata {

namespace {

// One line, at most `max` bytes: SQL quoted inside an error message.
std::string one_line(std::string_view sql, std::size_t max = 160) {
    std::string out;
    bool space = false;
    for (char c : sql) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (out.size() >= max) {
            out += "...";
            break;
        }
    }
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "UNIQUE constraint failed: t.a, t.b" -> table "t", columns {a, b}.
void split_failed_columns(std::string_view list, std::string& table, std::vector<std::string>& columns) {
    while (!list.empty()) {
        std::size_t comma = list.find(", ");
        std::string_view item = list.substr(0, comma);
        std::size_t dot = item.find('.');
        if (dot != std::string_view::npos) {
            table = std::string(item.substr(0, dot));
            columns.emplace_back(item.substr(dot + 1));
        }
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 2);
    }
}

bool only_separators(std::string_view tail) {
    for (const SqliteToken& t : tokenize_sqlite(tail))
        if (!t.is_punct(';')) return false;
    return true;
}

// A row of a running statement, valid during the callback only.
class SqliteRow final : public RowView {
public:
    explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt), size_(static_cast<std::size_t>(sqlite3_column_count(stmt))) {}

    std::size_t size() const noexcept override { return size_; }

    std::string_view column_name(std::size_t i) const override {
        check(i);
        const char* name = sqlite3_column_name(stmt_, static_cast<int>(i));
        return name ? std::string_view(name) : std::string_view();
    }

    bool is_null(std::size_t i) const override {
        check(i);
        return sqlite3_column_type(stmt_, static_cast<int>(i)) == SQLITE_NULL;
    }

    Value get(std::size_t i) const override {
        check(i);
        int col = static_cast<int>(i);
        switch (sqlite3_column_type(stmt_, col)) {
            case SQLITE_INTEGER:
                return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, col));
            case SQLITE_FLOAT:
                return sqlite3_column_double(stmt_, col);
            case SQLITE_TEXT: {
                const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
                int n = sqlite3_column_bytes(stmt_, col);
                return std::string(p ? p : "", static_cast<std::size_t>(n));
            }
            case SQLITE_BLOB: {
                const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
                int n = sqlite3_column_bytes(stmt_, col);
                return Blob(std::vector<std::uint8_t>(p, p + n));
            }
            default:
                return null;
        }
    }

    Cell cell(std::size_t i) const override {
        check(i);
        Cell c;
        read(i, c);
        return c;
    }

    void cells(std::size_t first, std::size_t count, Cell* out) const override {
        if (count == 0) return;
        check(first + count - 1);
        for (std::size_t k = 0; k < count; ++k) read(first + k, out[k]);
    }

private:
    // Sets c.kind and the one field it names (the others keep whatever they held).
    void read(std::size_t i, Cell& c) const {
        // One sqlite3_column_* call per cell: every sqlite3_column_* call repeats the
        // statement's bookkeeping (mutex, bounds, malloc-failure check); the
        // sqlite3_value_* readers do not. The value is "unprotected", which the SQLite
        // documentation calls not thread-safe: a connection here is used by one thread.
        sqlite3_value* v = sqlite3_column_value(stmt_, static_cast<int>(i));
        switch (sqlite3_value_type(v)) {
            case SQLITE_INTEGER:
                c.kind = Cell::Kind::integer;
                c.integer = sqlite3_value_int64(v);
                return;
            case SQLITE_FLOAT:
                c.kind = Cell::Kind::real;
                c.real = sqlite3_value_double(v);
                return;
            case SQLITE_TEXT: {
                const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
                c.kind = Cell::Kind::text;
                c.text = std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_value_bytes(v)));
                return;
            }
            case SQLITE_NULL:
                c.kind = Cell::Kind::null;
                return;
            default:
                c.kind = Cell::Kind::other;  // BLOB: get() builds the Blob
                return;
        }
    }

    void check(std::size_t i) const {
        if (i >= size_)
            throw Error(ErrorKind::usage, fmt::format("column index {} is out of range: the row has {} column(s)", i, size_));
    }

    sqlite3_stmt* stmt_;
    std::size_t size_;
};

}  // namespace

// A statement checked out of the cache for one execution. The destructor resets it and
// clears its bindings (bound text is not copied, so nothing may point at it after the
// call) or, for a statement that was not cached, finalizes it.
class SqliteConnection::Lease {
public:
    Lease(CachedStatement* entry, sqlite3_stmt* stmt) noexcept : entry_(entry), stmt_(stmt) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
        if (entry_) {
            sqlite3_reset(stmt_);
            // Only bindings that point into the caller's values need clearing.
            if (borrows_) sqlite3_clear_bindings(stmt_);
            entry_->running = false;
        } else {
            sqlite3_finalize(stmt_);
        }
    }
    sqlite3_stmt* stmt() const noexcept { return stmt_; }
    // The statement's bindings point into the caller's values.
    void borrows(bool b) noexcept { borrows_ = b; }

private:
    CachedStatement* entry_;
    sqlite3_stmt* stmt_;
    bool borrows_ = true;
};

SqliteConnection::SqliteConnection(const Url& url, const EngineOptions& options) : redacted_url_(url.redacted()) {
    for (const auto& [key, value] : url.query) {
        if (key == "timeout") {
            int ms = -1;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
            if (ec != std::errc{} || p != value.data() + value.size() || ms < 0)
                throw Error(ErrorKind::input, fmt::format("bad SQLite URL option timeout='{}' in {}: expected a "
                                                          "number of milliseconds, e.g. ?timeout=5000",
                                                          value, redacted_url_));
            timeout_ms_ = ms;
        } else {
            throw Error(ErrorKind::input, fmt::format("unknown SQLite URL option '{}' in {}: the only option is "
                                                      "timeout=<milliseconds>",
                                                      key, redacted_url_));
        }
    }

    path_ = url.database.empty() ? ":memory:" : url.database;
    if (path_ != ":memory:") {
        std::filesystem::path parent = std::filesystem::path(path_).parent_path();
        std::error_code ec;
        if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
            throw Error(ErrorKind::connection,
                        fmt::format("cannot open SQLite database {}: directory '{}' does not exist; create it "
                                    "first or fix the path",
                                    redacted_url_, parent.string()),
                        ErrorDetails{.server_code = SQLITE_CANTOPEN});
    }

    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (options.create_if_missing || path_ == ":memory:") flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK && !(flags & SQLITE_OPEN_CREATE)) {
        // Asked after the failed open rather than before it, so a file created meanwhile
        // is not reported missing.
        std::error_code ec;
        if (!std::filesystem::exists(path_, ec) && !ec) {
            sqlite3_close_v2(db_);
            db_ = nullptr;
            throw Error(ErrorKind::connection,
                        fmt::format("cannot open SQLite database {}: database file '{}' does not exist; run `strata "
                                    "upgrade` to create it, or check the URL",
                                    redacted_url_, path_),
                        ErrorDetails{.server_code = rc});
        }
    }
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, timeout_ms_);
        // Reading sqlite_schema makes a file that is not a database fail here, at open,
        // rather than at the first statement.
        rc = sqlite3_exec(db_, "PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_schema", nullptr, nullptr,
                          nullptr);
    }
    if (rc != SQLITE_OK) {
        std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        std::string hint = (rc & 0xff) == SQLITE_NOTADB
                               ? "the file exists but is not an SQLite database; check the path"
                               : "check that the path names a file you may read and write";
        throw Error(ErrorKind::connection,
                    fmt::format("cannot open SQLite database {}: {}; {}", redacted_url_, reason, hint),
                    ErrorDetails{.server_code = rc});
    }
}

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    // close_v2 also rolls back an open transaction; it cannot fail on a handle whose
    // statements are all finalized.
    sqlite3_close_v2(db_);
}

const Dialect& SqliteConnection::dialect() const noexcept { return sqlite_dialect(); }

void SqliteConnection::clear_statement_cache() noexcept {
    last_ = nullptr;
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (it->second.running) {
            ++it;
            continue;
        }
        sqlite3_finalize(it->second.stmt);
        it = cache_.erase(it);
    }
}

SqliteConnection::Lease SqliteConnection::acquire(std::string_view sql) {
    if (last_ && !last_->second.running && std::string_view(last_->first) == sql) {
        last_->second.running = true;
        return Lease(&last_->second, last_->second.stmt);
    }
    auto it = cache_.find(sql);
    if (it != cache_.end() && !it->second.running) {
        last_ = &*it;
        it->second.running = true;
        return Lease(&it->second, it->second.stmt);
    }

    bool cache = it == cache_.end();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    note_prepare();
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), cache ? SQLITE_PREPARE_PERSISTENT : 0,
                                &stmt, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        fail(rc, sql);
    }
    if (!stmt)
        throw Error(ErrorKind::usage, "empty SQL statement: the text holds no statement", ErrorDetails{.sql = std::string(sql)});
    std::string_view rest = tail ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : std::string_view();
    if (!rest.empty() && !only_separators(rest)) {
        sqlite3_finalize(stmt);
        throw Error(ErrorKind::usage,
                    fmt::format("execute()/query() run one statement, but the text holds more ('{}'); send each "
                                "separately or use execute_unprepared() for a script",
                                one_line(rest, 60)),
                    ErrorDetails{.sql = std::string(sql)});
    }
    if (!cache) return Lease(nullptr, stmt);
    if (cache_.size() >= kMaxCachedStatements) clear_statement_cache();
    auto [pos, inserted] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
    last_ = &*pos;
    return Lease(&pos->second, stmt);
}

bool SqliteConnection::bind(sqlite3_stmt* stmt, ParamView params, std::string_view sql) {
    bool borrows = false;
    int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<std::size_t>(expected) != params.size())
        throw Error(ErrorKind::usage,
                    fmt::format("the statement takes {} parameter(s) but {} value(s) were given: {}", expected,
                                params.size(), one_line(sql)),
                    ErrorDetails{.sql = std::string(sql)});
    for (std::size_t i = 0; i < params.size(); ++i) {
        int idx = static_cast<int>(i) + 1;
        const Value& v = params[i];
        int rc = SQLITE_OK;
        switch (v.index()) {
            case 0: rc = sqlite3_bind_null(stmt, idx); break;
            case 1: rc = sqlite3_bind_int(stmt, idx, std::get<bool>(v) ? 1 : 0); break;
            case 2: rc = sqlite3_bind_int64(stmt, idx, std::get<std::int64_t>(v)); break;
            case 3: rc = sqlite3_bind_double(stmt, idx, std::get<double>(v)); break;
            case 4: {
                // Bound without a copy: the Lease clears the bindings before the value can go away.
                const std::string& s = std::get<std::string>(v);
                rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
                borrows = true;
                break;
            }
            case 5: {
                const auto& bytes = std::get<Blob>(v).bytes;
                // An empty blob with a null pointer would bind NULL.
                rc = bytes.empty() ? sqlite3_bind_zeroblob(stmt, idx, 0)
                                   : sqlite3_bind_blob64(stmt, idx, bytes.data(), bytes.size(), SQLITE_STATIC);
                borrows = true;
                break;
            }
            case 6:
            case 7:
            case 8: {
                std::string iso = v.index() == 6   ? to_iso(std::get<Date>(v))
                                  : v.index() == 7 ? to_iso(std::get<Time>(v))
                                                   : to_iso(std::get<DateTime>(v));
                rc = sqlite3_bind_text64(stmt, idx, iso.data(), iso.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
                break;
            }
        }
        if (rc != SQLITE_OK) fail(rc, sql);
    }
    return borrows;
}

std::int64_t SqliteConnection::execute(std::string_view sql, ParamView params) {
    note_statement(sql, params);
    Lease lease = acquire(sql);
    lease.borrows(bind(lease.stmt(), params, sql));
    sqlite3_int64 before = sqlite3_total_changes64(db_);
    int rc;
    while ((rc = sqlite3_step(lease.stmt())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(rc, sql);
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE; a statement that
    // changed nothing (DDL, SELECT) must report 0, not that stale count.
    return sqlite3_total_changes64(db_) == before ? 0 : sqlite3_changes64(db_);
}

void SqliteConnection::query(std::string_view sql, ParamView params, const RowCallback& on_row) {
    note_statement(sql, params);
    Lease lease = acquire(sql);
    lease.borrows(bind(lease.stmt(), params, sql));
    SqliteRow row(lease.stmt());
    int rc;
    while ((rc = sqlite3_step(lease.stmt())) == SQLITE_ROW) on_row(row);
    if (rc != SQLITE_DONE) fail(rc, sql);
}

void SqliteConnection::execute_unprepared(std::string_view sql) {
    note_statement(sql);
    std::string text(sql);  // sqlite3_exec needs a terminated string
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
}

std::int64_t SqliteConnection::last_insert_id() { return sqlite3_last_insert_rowid(db_); }

std::string SqliteConnection::server_version() { return sqlite3_libversion(); }

EngineFacts SqliteConnection::engine_facts() {
    EngineFacts facts;
    facts.dialect = "sqlite";
    facts.version = sqlite3_libversion();
    return facts;
}

void SqliteConnection::begin() {
    if (in_transaction_)
        throw Error(ErrorKind::usage, "a transaction is already open on this connection; use a savepoint for nested work");
    execute_unprepared("BEGIN IMMEDIATE");
    in_transaction_ = true;
}

void SqliteConnection::commit() {
    if (!in_transaction_) throw Error(ErrorKind::usage, "commit() without an open transaction; call begin() first");
    in_transaction_ = false;
    try {
        execute_unprepared("COMMIT");
    } catch (const Error&) {
        // SQLite keeps the transaction open after a failed COMMIT (deferred foreign key
        // violation, SQLITE_BUSY); the contract is that a failed commit rolls back.
        if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void SqliteConnection::rollback() {
    if (!in_transaction_) throw Error(ErrorKind::usage, "rollback() without an open transaction; call begin() first");
    in_transaction_ = false;
    // Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) make SQLite roll back by itself;
    // a ROLLBACK then would fail with "no transaction is active".
    if (sqlite3_get_autocommit(db_)) return;
    execute_unprepared("ROLLBACK");
}

void SqliteConnection::interrupt_after(std::chrono::milliseconds limit) {
    if (limit.count() <= 0) {
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
        return;
    }
    deadline_ = std::chrono::steady_clock::now() + limit;
    // Called every 1000 virtual-machine instructions: a clock read is cheap at that rate.
    sqlite3_progress_handler(
        db_, 1000,
        [](void* self) -> int {
            return std::chrono::steady_clock::now() > static_cast<SqliteConnection*>(self)->deadline_ ? 1 : 0;
        },
        this);
}

std::string SqliteConnection::unique_constraint_name(const std::string& table, const std::vector<std::string>& columns,
                                                     bool primary_key) {
    // Runs directly on the handle (not counted, not echoed): it only explains an error.
    auto rows = [&](const char* sql, int ncols) {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
            sqlite3_finalize(stmt);
            return out;
        }
        sqlite3_bind_text(stmt, 1, table.c_str(), static_cast<int>(table.size()), SQLITE_STATIC);
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < ncols; ++i) {
                const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
                row.emplace_back(p ? p : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(stmt);
        return out;
    };
    auto same = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!sqlite_same_name(a[i], b[i])) return false;
        return true;
    };

    auto sql = rows("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1", 1);
    std::optional<SqliteCreateTable> parsed;
    if (!sql.empty()) parsed = parse_sqlite_create_table(sql[0][0]);
    if (primary_key || (parsed && same(parsed->primary_key, columns))) {
        if (parsed && !parsed->primary_key_name.empty()) return parsed->primary_key_name;
        return naming::primary_key(table);
    }
    if (parsed) {
        for (const auto& u : parsed->uniques)
            if (same(u.columns, columns)) return u.name.empty() ? naming::unique(table, u.columns) : u.name;
    }
    auto index_rows = rows(
        "SELECT il.name, ii.name FROM pragma_index_list(?1) AS il JOIN pragma_index_info(il.name) AS ii "
        "WHERE il.origin = 'c' AND il.\"unique\" = 1 ORDER BY il.name, ii.seqno",
        2);
    for (std::size_t i = 0; i < index_rows.size();) {
        std::vector<std::string> cols;
        std::size_t j = i;
        for (; j < index_rows.size() && index_rows[j][0] == index_rows[i][0]; ++j) cols.push_back(index_rows[j][1]);
        if (same(cols, columns)) return index_rows[i][0];
        i = j;
    }
    return {};
}

void SqliteConnection::fail(int rc, std::string_view sql) {
    // The handle's message belongs to this failure when its code agrees with `rc`.
    int code = sqlite3_extended_errcode(db_);
    std::string msg;
    if ((code & 0xff) == (rc & 0xff)) {
        msg = sqlite3_errmsg(db_);
    } else {
        code = rc;
        msg = sqlite3_errstr(rc);
    }
    ErrorDetails details{.server_code = code, .sql = std::string(sql)};
    std::string stmt = one_line(sql);

    switch (code & 0xff) {
        case SQLITE_CONSTRAINT: {
            std::string_view m = msg;
            std::string what;
            if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
                constexpr std::string_view kPrefix = "UNIQUE constraint failed: ";
                if (starts_with(m, kPrefix)) {
                    std::string_view list = m.substr(kPrefix.size());
                    if (starts_with(list, "index '") && list.size() > 8) {
                        details.constraint = std::string(list.substr(7, list.size() - 8));
                    } else {
                        std::string table;
                        std::vector<std::string> columns;
                        split_failed_columns(list, table, columns);
                        if (!table.empty())
                            details.constraint =
                                unique_constraint_name(table, columns, code == SQLITE_CONSTRAINT_PRIMARYKEY);
                    }
                }
                what = code == SQLITE_CONSTRAINT_PRIMARYKEY ? "primary key" : "unique constraint";
                throw Error(ErrorKind::constraint,
                            fmt::format("{}{} violated ({}): a row with this value already exists; use another "
                                        "value or update the existing row",
                                        what, details.constraint.empty() ? "" : " " + details.constraint, msg),
                            std::move(details));
            }
            if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
                throw Error(ErrorKind::constraint,
                            fmt::format("foreign key constraint violated ({}): the referenced row does not exist, or "
                                        "rows still reference the row being changed; check the key values",
                                        msg),
                            std::move(details));
            if (code == SQLITE_CONSTRAINT_NOTNULL)
                throw Error(ErrorKind::constraint,
                            fmt::format("NOT NULL constraint violated ({}): give the column a value", msg),
                            std::move(details));
            if (code == SQLITE_CONSTRAINT_CHECK) {
                constexpr std::string_view kPrefix = "CHECK constraint failed: ";
                if (starts_with(m, kPrefix)) {
                    // Named checks are reported by name, unnamed ones by their expression.
                    std::string_view rest = m.substr(kPrefix.size());
                    bool identifier = !rest.empty();
                    for (char c : rest)
                        if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              static_cast<unsigned char>(c) >= 0x80))
                            identifier = false;
                    if (identifier) details.constraint = std::string(rest);
                }
                throw Error(ErrorKind::constraint,
                            fmt::format("check constraint violated ({}): the value is not allowed by the constraint",
                                        msg),
                            std::move(details));
            }
            throw Error(ErrorKind::constraint, fmt::format("constraint violated: {}", msg), std::move(details));
        }
        case SQLITE_ERROR:
            if (msg.find("syntax error") != std::string::npos || starts_with(msg, "incomplete input") ||
                starts_with(msg, "unrecognized token"))
                throw Error(ErrorKind::syntax,
                            fmt::format("SQL syntax error ({}) in: {}; fix the statement text", msg, stmt),
                            std::move(details));
            break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw Error(ErrorKind::database,
                        fmt::format("SQLite database {} is locked ({}) after waiting {} ms: another connection holds "
                                    "a lock; finish or roll back its transaction, or raise ?timeout= in the URL",
                                    redacted_url_, msg, timeout_ms_),
                        std::move(details));
        case SQLITE_READONLY:
            throw Error(ErrorKind::database,
                        fmt::format("cannot write to SQLite database {} ({}); check the file's permissions",
                                    redacted_url_, msg),
                        std::move(details));
        case SQLITE_CANTOPEN:
        case SQLITE_NOTADB:
            throw Error(ErrorKind::connection,
                        fmt::format("cannot use SQLite database {} ({}); check the path", redacted_url_, msg),
                        std::move(details));
        case SQLITE_INTERRUPT:
            throw Error(ErrorKind::interrupted, fmt::format("statement interrupted ({}): {}", msg, stmt),
                        std::move(details));
        case SQLITE_RANGE:
            throw Error(ErrorKind::usage, fmt::format("bad parameter or column index ({}) in: {}", msg, stmt),
                        std::move(details));
        case SQLITE_MISUSE:
            throw Error(ErrorKind::internal, fmt::format("SQLite API misuse ({}) in: {}", msg, stmt),
                        std::move(details));
        default:
            break;
    }
    throw Error(ErrorKind::database, fmt::format("SQLite error ({}) in: {}", msg, stmt), std::move(details));
}

std::unique_ptr<Connection> open_sqlite(const Url& url, const EngineOptions& options) {
    return std::make_unique<SqliteConnection>(url, options);
}

}  // namespace strata
