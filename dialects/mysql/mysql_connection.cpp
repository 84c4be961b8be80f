#include "dialects/mysql/mysql_connection.hpp"

#include <errmsg.h>
#include <fmt/format.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "core/error.hpp"
#include "dialects/detail/value_text.hpp"

namespace strata {

namespace {

// At most this many prepared statements stay open per connection; the server's
// max_prepared_stmt_count is global (16382 by default) and shared by every client.
constexpr std::size_t max_cached_statements = 512;

constexpr const char* session_setup =
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";

constexpr const char* server_label = "MySQL/MariaDB";

// ---- statements -------------------------------------------------------------------------

union ParamSlot {
    long long i;
    double d;
    signed char b;
    MYSQL_TIME t;
};

enum class ColumnKind : unsigned char {
    null,
    signed_int,
    unsigned_int,
    float_,
    double_,
    decimal,
    text,
    blob,
    bit,
    date,
    time,
    datetime,
};

struct ResultColumn {
    ColumnKind kind = ColumnKind::null;
    // What the binding was built for; a change (ALTER TABLE, SELECT ?) rebuilds it.
    enum_field_types type = MYSQL_TYPE_NULL;
    unsigned charset = 0;
    bool is_unsigned = false;
    std::string_view name;
    std::vector<char> buffer;  // variable-length kinds; grows to the longest value seen
    union {
        long long i;
        double d;
        float f;
        MYSQL_TIME t;
    } scalar{};
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
};

bool is_variable(ColumnKind k) {
    return k == ColumnKind::decimal || k == ColumnKind::text || k == ColumnKind::blob || k == ColumnKind::bit;
}

struct Statement {
    MYSQL_STMT* handle = nullptr;
    unsigned long param_count = 0;
    std::vector<MYSQL_BIND> param_binds;
    std::vector<ParamSlot> param_slots;
    std::vector<MYSQL_BIND> result_binds;
    std::vector<ResultColumn> columns;
    bool busy = false;  // its result is being read (a nested call must not reuse it)

    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() {
        if (handle) mysql_stmt_close(handle);
    }
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// ---- error classification ---------------------------------------------------------------

std::string one_line(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return out;
}

// The text between `open` and the next `close` after it ("" when absent).
std::string between(std::string_view text, std::string_view open, std::string_view close) {
    auto b = text.find(open);
    if (b == std::string_view::npos) return {};
    b += open.size();
    auto e = text.find(close, b);
    if (e == std::string_view::npos) return {};
    return std::string(text.substr(b, e - b));
}

constexpr unsigned kConnectionKilled = 1927;  // ER_CONNECTION_KILLED (MariaDB): KILL of this session

bool is_connection_error(unsigned code) {
    return code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR || code == CR_UNKNOWN_HOST ||
           code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST || code == CR_SERVER_LOST_EXTENDED ||
           code == kConnectionKilled;
}

}  // namespace

struct MysqlConnection::Impl {
    MYSQL* db = nullptr;
    std::string where;     // "127.0.0.1:3306" or "localhost (socket /run/mysqld/mysqld.sock)"
    std::string redacted;  // the URL without its password
    std::unordered_map<std::string, std::unique_ptr<Statement>, StringHash, std::equal_to<>> cache;
    std::int64_t last_insert_id = 0;
    Capabilities capabilities = mysql_dialect().capabilities();  // adjusted at connect
    // Set by fail() on a lost connection: the session is gone (auto-reconnect is off, so
    // the driver never silently opens a new one without our transaction).
    mutable bool broken = false;

    ~Impl() {
        cache.clear();  // statements close before their connection
        if (db) mysql_close(db);
    }

    [[noreturn]] void fail(unsigned code, const char* sqlstate, const char* message, std::string_view sql) const {
        std::string msg = one_line(message ? message : "");
        ErrorDetails d;
        d.sqlstate = sqlstate ? sqlstate : "";
        d.server_code = static_cast<int>(code);
        d.sql = std::string(sql);
        ErrorKind kind = ErrorKind::database;
        std::string text;
        switch (code) {
            case ER_DUP_ENTRY:
                kind = ErrorKind::constraint;
                d.constraint = between(msg, "for key '", "'");
                text = fmt::format("unique constraint {} violated: {}; the value already exists", d.constraint, msg);
                break;
            case ER_ROW_IS_REFERENCED_2:
            case ER_NO_REFERENCED_ROW_2:
            case ER_ROW_IS_REFERENCED:
            case ER_NO_REFERENCED_ROW:
                kind = ErrorKind::constraint;
                d.constraint = between(msg, "CONSTRAINT `", "`");
                text = fmt::format("foreign key constraint {} violated: {}", d.constraint, msg);
                break;
            case ER_BAD_NULL_ERROR:
            case ER_NO_DEFAULT_FOR_FIELD:
                kind = ErrorKind::constraint;
                text = fmt::format("NOT NULL constraint violated: {}; give the column a value", msg);
                break;
            case 4025:  // ER_CONSTRAINT_FAILED (MariaDB): "CONSTRAINT `name` failed for `db`.`t`"
                kind = ErrorKind::constraint;
                d.constraint = between(msg, "CONSTRAINT `", "`");
                text = fmt::format("check constraint {} violated: {}", d.constraint, msg);
                break;
            case 3819:  // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8): "Check constraint 'name' is violated."
                kind = ErrorKind::constraint;
                d.constraint = between(msg, "constraint '", "'");
                text = fmt::format("check constraint {} violated: {}", d.constraint, msg);
                break;
            case ER_PARSE_ERROR:
                kind = ErrorKind::syntax;
                text = fmt::format("{} rejected the SQL as a syntax error: {}", server_label, msg);
                break;
            case ER_ACCESS_DENIED_ERROR:
            case ER_DBACCESS_DENIED_ERROR:
            case 1698:  // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
                kind = ErrorKind::authentication;
                text = fmt::format("access denied by {} at {}: {}; check the user, password and grants", server_label,
                                   where, msg);
                break;
            case ER_BAD_DB_ERROR:
                kind = ErrorKind::missing_database;
                text = fmt::format("{}; create the database first or fix the name", msg);
                break;
            default:
                if (is_connection_error(code)) {
                    broken = true;
                    kind = ErrorKind::connection;
                    text = fmt::format("lost the connection to {} at {} ({}): {}; the server went away (restart, "
                                       "wait_timeout or max_allowed_packet), reconnect and retry",
                                       server_label, where, redacted, msg);
                } else {
                    text = fmt::format("{} error {} ({}): {}", server_label, code, d.sqlstate, msg);
                }
                break;
        }
        throw Error(kind, text, std::move(d));
    }

    [[noreturn]] void fail_db(std::string_view sql) const {
        fail(mysql_errno(db), mysql_sqlstate(db), mysql_error(db), sql);
    }
    [[noreturn]] void fail_stmt(MYSQL_STMT* h, std::string_view sql) const {
        fail(mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h), sql);
    }

    void note_insert_id(unsigned long long id) {
        if (id != 0 && id <= static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()))
            last_insert_id = static_cast<std::int64_t>(id);
    }

    // Runs one statement as plain text and discards any results; returns rows affected.
    std::int64_t run_plain(std::string_view sql) {
        if (mysql_real_query(db, sql.data(), sql.size()) != 0) fail_db(sql);
        std::int64_t affected = 0;
        while (true) {
            MYSQL_RES* res = mysql_store_result(db);
            if (res) {
                mysql_free_result(res);
            } else if (mysql_field_count(db) != 0) {
                fail_db(sql);
            } else {
                my_ulonglong n = mysql_affected_rows(db);
                if (n != static_cast<my_ulonglong>(-1)) affected += static_cast<std::int64_t>(n);
                note_insert_id(mysql_insert_id(db));
            }
            int more = mysql_next_result(db);
            if (more == -1) break;
            if (more > 0) fail_db(sql);
        }
        return affected;
    }

    // A new prepared statement, or nullptr when the server cannot prepare this text
    // (error 1295). Throws for every other failure; nothing is cached on failure.
    std::unique_ptr<Statement> prepare(std::string_view sql) {
        auto st = std::make_unique<Statement>();
        st->handle = mysql_stmt_init(db);
        if (!st->handle) fail_db(sql);
        if (mysql_stmt_prepare(st->handle, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
            if (mysql_stmt_errno(st->handle) == ER_UNSUPPORTED_PS) return nullptr;
            fail_stmt(st->handle, sql);
        }
        st->param_count = mysql_stmt_param_count(st->handle);
        st->param_binds.resize(st->param_count);
        st->param_slots.resize(st->param_count);
        return st;
    }

    void evict_idle() {
        for (auto it = cache.begin(); it != cache.end();) {
            if (it->second->busy) ++it;
            else it = cache.erase(it);
        }
    }
};

namespace {

// A statement in use: a cached one marked busy, or a temporary one owned here.
struct Lease {
    Statement* st = nullptr;
    std::unique_ptr<Statement> temporary;
    Lease() = default;
    Lease(Lease&& o) noexcept : st(o.st), temporary(std::move(o.temporary)) { o.st = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease() { release(); }
    void release() noexcept {
        if (st && !temporary) st->busy = false;
        st = nullptr;
        temporary.reset();
    }
};

void bind_params(MysqlConnection::Impl& impl, Statement& st, ParamView params, std::string_view sql) {
    if (params.size() != st.param_count) {
        throw Error(ErrorKind::usage,
                    fmt::format("the statement has {} parameter placeholder(s) but {} value(s) were given", st.param_count,
                                params.size()),
                    ErrorDetails{.sql = std::string(sql)});
    }
    if (st.param_count == 0) return;
    static unsigned char empty_bytes[1] = {0};
    for (std::size_t i = 0; i < params.size(); ++i) {
        MYSQL_BIND& b = st.param_binds[i];
        std::memset(&b, 0, sizeof b);
        ParamSlot& slot = st.param_slots[i];
        const Value& v = params[i];
        switch (v.index()) {
            case 0:
                b.buffer_type = MYSQL_TYPE_NULL;
                break;
            case 1:
                slot.b = std::get<bool>(v) ? 1 : 0;
                b.buffer_type = MYSQL_TYPE_TINY;
                b.buffer = &slot.b;
                break;
            case 2:
                slot.i = std::get<std::int64_t>(v);
                b.buffer_type = MYSQL_TYPE_LONGLONG;
                b.buffer = &slot.i;
                break;
            case 3:
                slot.d = std::get<double>(v);
                b.buffer_type = MYSQL_TYPE_DOUBLE;
                b.buffer = &slot.d;
                break;
            case 4: {
                const std::string& s = std::get<std::string>(v);
                b.buffer_type = MYSQL_TYPE_STRING;
                b.buffer = const_cast<char*>(s.data());
                b.buffer_length = static_cast<unsigned long>(s.size());
                break;
            }
            case 5: {
                const Blob& blob = std::get<Blob>(v);
                b.buffer_type = MYSQL_TYPE_BLOB;
                b.buffer = blob.bytes.empty() ? empty_bytes : const_cast<std::uint8_t*>(blob.bytes.data());
                b.buffer_length = static_cast<unsigned long>(blob.bytes.size());
                break;
            }
            case 6: {
                const Date& d = std::get<Date>(v);
                std::memset(&slot.t, 0, sizeof slot.t);
                slot.t.year = static_cast<unsigned>(d.year);
                slot.t.month = static_cast<unsigned>(d.month);
                slot.t.day = static_cast<unsigned>(d.day);
                slot.t.time_type = MYSQL_TIMESTAMP_DATE;
                b.buffer_type = MYSQL_TYPE_DATE;
                b.buffer = &slot.t;
                break;
            }
            case 7: {
                const Time& t = std::get<Time>(v);
                std::memset(&slot.t, 0, sizeof slot.t);
                slot.t.neg = t.hour < 0;
                slot.t.hour = static_cast<unsigned>(t.hour < 0 ? -t.hour : t.hour);
                slot.t.minute = static_cast<unsigned>(t.minute);
                slot.t.second = static_cast<unsigned>(t.second);
                slot.t.second_part = static_cast<unsigned long>(t.microsecond);
                slot.t.time_type = MYSQL_TIMESTAMP_TIME;
                b.buffer_type = MYSQL_TYPE_TIME;
                b.buffer = &slot.t;
                break;
            }
            case 8: {
                const DateTime& dt = std::get<DateTime>(v);
                std::memset(&slot.t, 0, sizeof slot.t);
                slot.t.year = static_cast<unsigned>(dt.date.year);
                slot.t.month = static_cast<unsigned>(dt.date.month);
                slot.t.day = static_cast<unsigned>(dt.date.day);
                slot.t.hour = static_cast<unsigned>(dt.time.hour);
                slot.t.minute = static_cast<unsigned>(dt.time.minute);
                slot.t.second = static_cast<unsigned>(dt.time.second);
                slot.t.second_part = static_cast<unsigned long>(dt.time.microsecond);
                slot.t.time_type = MYSQL_TIMESTAMP_DATETIME;
                b.buffer_type = MYSQL_TYPE_DATETIME;
                b.buffer = &slot.t;
                break;
            }
        }
    }
    if (mysql_stmt_bind_param(st.handle, st.param_binds.data())) impl.fail_stmt(st.handle, sql);
}

void bind_column(ResultColumn& c, MYSQL_BIND& b, const MYSQL_FIELD& f) {
    c.type = f.type;
    c.charset = f.charsetnr;
    c.is_unsigned = (f.flags & UNSIGNED_FLAG) != 0;
    std::memset(&b, 0, sizeof b);
    b.is_null = &c.is_null;
    b.length = &c.length;
    b.error = &c.error;
    // Dates and times all land in the column's MYSQL_TIME slot.
    auto bind_temporal = [&](ColumnKind kind, enum_field_types type) {
        c.kind = kind;
        b.buffer_type = type;
        b.buffer = &c.scalar.t;
        b.buffer_length = sizeof(MYSQL_TIME);
    };
    switch (f.type) {
        case MYSQL_TYPE_NULL:
            c.kind = ColumnKind::null;
            b.buffer_type = MYSQL_TYPE_NULL;
            return;
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
            c.kind = c.is_unsigned ? ColumnKind::unsigned_int : ColumnKind::signed_int;
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = &c.scalar.i;
            b.is_unsigned = c.is_unsigned;
            return;
        case MYSQL_TYPE_FLOAT:
            c.kind = ColumnKind::float_;
            b.buffer_type = MYSQL_TYPE_FLOAT;
            b.buffer = &c.scalar.f;
            return;
        case MYSQL_TYPE_DOUBLE:
            c.kind = ColumnKind::double_;
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = &c.scalar.d;
            return;
        case MYSQL_TYPE_DATE:
        case MYSQL_TYPE_NEWDATE:
            return bind_temporal(ColumnKind::date, MYSQL_TYPE_DATE);
        case MYSQL_TYPE_TIME:
            return bind_temporal(ColumnKind::time, MYSQL_TYPE_TIME);
        case MYSQL_TYPE_DATETIME:
        case MYSQL_TYPE_TIMESTAMP:
            return bind_temporal(ColumnKind::datetime, MYSQL_TYPE_DATETIME);
        case MYSQL_TYPE_DECIMAL:
        case MYSQL_TYPE_NEWDECIMAL:
            c.kind = ColumnKind::decimal;
            break;
        case MYSQL_TYPE_BIT:
            c.kind = ColumnKind::bit;
            break;
        default:  // character and binary strings, BLOB/TEXT, JSON, ENUM, SET, GEOMETRY
            c.kind = f.charsetnr == 63 ? ColumnKind::blob : ColumnKind::text;
            break;
    }
    // Variable-length values are copied raw (BLOB buffers: no conversion, no terminator).
    // The buffer starts small and grows on truncation; see fetch_truncated().
    std::size_t initial = std::clamp<std::size_t>(f.length, 16, 256);
    if (c.buffer.size() < initial) c.buffer.resize(initial);
    b.buffer_type = MYSQL_TYPE_BLOB;
    b.buffer = c.buffer.data();
    b.buffer_length = static_cast<unsigned long>(c.buffer.size());
}

// Binds result buffers for the columns the last execute reported; rebuilds only when
// the column types changed since the previous execute of this statement.
void bind_results(MysqlConnection::Impl& impl, Statement& st, std::string_view sql) {
    MYSQL_RES* meta = mysql_stmt_result_metadata(st.handle);
    if (!meta) impl.fail_stmt(st.handle, sql);
    unsigned n = mysql_num_fields(meta);
    MYSQL_FIELD* fields = mysql_fetch_fields(meta);
    bool same = st.columns.size() == n;
    for (unsigned i = 0; same && i < n; ++i) {
        const ResultColumn& c = st.columns[i];
        same = c.type == fields[i].type && c.charset == fields[i].charsetnr &&
               c.is_unsigned == ((fields[i].flags & UNSIGNED_FLAG) != 0);
    }
    if (!same) {
        st.columns.clear();
        st.columns.resize(n);
        st.result_binds.assign(n, MYSQL_BIND{});
        for (unsigned i = 0; i < n; ++i) bind_column(st.columns[i], st.result_binds[i], fields[i]);
    }
    for (unsigned i = 0; i < n; ++i) st.columns[i].name = std::string_view(fields[i].name, fields[i].name_length);
    mysql_free_result(meta);
    if (mysql_stmt_bind_result(st.handle, st.result_binds.data())) impl.fail_stmt(st.handle, sql);
}

// After MYSQL_DATA_TRUNCATED: grows the buffers of the values that did not fit, fetches
// them again and rebinds, so later rows of this size need no second fetch.
void fetch_truncated(MysqlConnection::Impl& impl, Statement& st, std::string_view sql) {
    bool rebound = false;
    for (unsigned i = 0; i < st.columns.size(); ++i) {
        ResultColumn& c = st.columns[i];
        if (!is_variable(c.kind) || c.is_null || c.length <= c.buffer.size()) continue;
        c.buffer.resize(std::max<std::size_t>(c.length, c.buffer.size() * 2));
        MYSQL_BIND& b = st.result_binds[i];
        b.buffer = c.buffer.data();
        b.buffer_length = static_cast<unsigned long>(c.buffer.size());
        MYSQL_BIND one = b;
        if (mysql_stmt_fetch_column(st.handle, &one, i, 0)) impl.fail_stmt(st.handle, sql);
        rebound = true;
    }
    if (rebound && mysql_stmt_bind_result(st.handle, st.result_binds.data())) impl.fail_stmt(st.handle, sql);
}

// The forms of a column that need no Value: NULL, integers (BIT included), doubles and
// character strings, whose text points into the column's bound buffer (valid until the
// next fetch). get() builds its Value from this, so both agree. Kind::other for DECIMAL
// (exact digits), binary strings and BLOBs, dates and times, and BIGINT UNSIGNED values
// beyond int64 (get() gives their decimal string).
Cell plain_cell(const ResultColumn& c) {
    Cell cell;
    if (c.is_null || c.kind == ColumnKind::null) {
        cell.kind = Cell::Kind::null;
        return cell;
    }
    switch (c.kind) {
        case ColumnKind::signed_int:
            cell.kind = Cell::Kind::integer;
            cell.integer = static_cast<std::int64_t>(c.scalar.i);
            break;
        case ColumnKind::unsigned_int: {
            auto u = static_cast<unsigned long long>(c.scalar.i);
            if (u > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max())) break;
            cell.kind = Cell::Kind::integer;
            cell.integer = static_cast<std::int64_t>(u);
            break;
        }
        case ColumnKind::float_: {
            // The float's shortest decimal form read as a double: 0.1f reads as 0.1,
            // not 0.100000001490116.
            char buf[32];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, c.scalar.f);
            cell.kind = Cell::Kind::real;
            cell.real = c.scalar.f;
            if (ec == std::errc{}) std::from_chars(buf, end, cell.real);
            break;
        }
        case ColumnKind::double_:
            cell.kind = Cell::Kind::real;
            cell.real = c.scalar.d;
            break;
        case ColumnKind::text:
            cell.kind = Cell::Kind::text;
            cell.text = std::string_view(c.buffer.data(), c.length);
            break;
        case ColumnKind::bit: {
            std::uint64_t v = 0;
            for (unsigned long k = 0; k < c.length; ++k) v = (v << 8) | static_cast<unsigned char>(c.buffer[k]);
            cell.kind = Cell::Kind::integer;
            cell.integer = static_cast<std::int64_t>(v);
            break;
        }
        default:
            break;
    }
    return cell;
}

class MysqlRow final : public RowView {
public:
    explicit MysqlRow(const Statement& st) : st_(st) {}

    std::size_t size() const noexcept override { return st_.columns.size(); }
    std::string_view column_name(std::size_t i) const override { return column(i).name; }
    bool is_null(std::size_t i) const override { return column(i).is_null != 0; }

    Value get(std::size_t i) const override {
        const ResultColumn& c = column(i);
        Cell plain = plain_cell(c);
        switch (plain.kind) {
            case Cell::Kind::null:
                return Null{};
            case Cell::Kind::integer:
                return plain.integer;
            case Cell::Kind::real:
                return plain.real;
            case Cell::Kind::text:
                return std::string(plain.text);
            case Cell::Kind::other:
                break;
        }
        switch (c.kind) {
            case ColumnKind::unsigned_int:  // beyond int64: plain_cell() took the rest
                return std::to_string(static_cast<unsigned long long>(c.scalar.i));
            case ColumnKind::decimal:
                return std::string(c.buffer.data(), c.length);
            case ColumnKind::blob: {
                const auto* p = reinterpret_cast<const std::uint8_t*>(c.buffer.data());
                return Blob(std::vector<std::uint8_t>(p, p + c.length));
            }
            case ColumnKind::date:
                return Date{static_cast<int>(c.scalar.t.year), static_cast<int>(c.scalar.t.month),
                            static_cast<int>(c.scalar.t.day)};
            case ColumnKind::time: {
                int hour = static_cast<int>(c.scalar.t.hour);
                return Time{c.scalar.t.neg ? -hour : hour, static_cast<int>(c.scalar.t.minute),
                            static_cast<int>(c.scalar.t.second), static_cast<int>(c.scalar.t.second_part)};
            }
            case ColumnKind::datetime:
                return DateTime{Date{static_cast<int>(c.scalar.t.year), static_cast<int>(c.scalar.t.month),
                                     static_cast<int>(c.scalar.t.day)},
                                Time{static_cast<int>(c.scalar.t.hour), static_cast<int>(c.scalar.t.minute),
                                     static_cast<int>(c.scalar.t.second), static_cast<int>(c.scalar.t.second_part)}};
            default:
                break;
        }
        return Null{};
    }

    Cell cell(std::size_t i) const override { return plain_cell(column(i)); }
    // One range check for the whole span instead of one virtual call and check per column.
    void cells(std::size_t first, std::size_t count, Cell* out) const override {
        std::size_t n = st_.columns.size();
        if (count > 0 && (first >= n || count > n - first)) (void)column(std::max(first, n));  // throws
        for (std::size_t k = 0; k < count; ++k) out[k] = plain_cell(st_.columns[first + k]);
    }

private:
    const ResultColumn& column(std::size_t i) const {
        if (i >= st_.columns.size())
            throw Error(ErrorKind::usage,
                        fmt::format("column index {} is out of range: the row has {} columns", i, st_.columns.size()));
        return st_.columns[i];
    }

    const Statement& st_;
};

// First keyword of a statement that the server commits implicitly and that is not worth
// preparing: it runs once, and caching it would only hold server resources.
bool is_ddl(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    std::size_t b = i;
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) ++i;
    std::string word;
    for (std::size_t k = b; k < i; ++k) word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[k])));
    return word == "create" || word == "alter" || word == "drop" || word == "rename" || word == "truncate";
}

std::string describe_target(const Url& url, const std::string& host, const std::string& socket, bool tcp) {
    if (!tcp) return fmt::format("{} (socket {})", host, socket.empty() ? "default" : socket);
    return fmt::format("{}:{}", host, url.port.value_or(3306));
}

}  // namespace

// ---- connection -------------------------------------------------------------------------

MysqlConnection::MysqlConnection(const Url& url, const EngineOptions& options) : impl_(std::make_unique<Impl>()) {
    // mysql_library_init is not thread-safe on first use; a function-local static is.
    static const bool library_ready = mysql_library_init(0, nullptr, nullptr) == 0;
    impl_->redacted = url.redacted();
    if (!library_ready)
        throw Error(ErrorKind::internal, "the MySQL client library failed to initialize (mysql_library_init)");

    unsigned timeout = options.connect_timeout_seconds > 0 ? static_cast<unsigned>(options.connect_timeout_seconds) : 0;
    std::string socket;
    std::string host = url.host;
    for (const auto& [key, value] : url.query) {
        if (key == "socket") {
            socket = value;
        } else if (key == "host") {
            if (host.empty()) host = value;
        } else if (key == "connect_timeout") {
            unsigned t = 0;
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), t);
            if (ec != std::errc{} || ptr != value.data() + value.size())
                throw Error(ErrorKind::input, fmt::format("connect_timeout='{}' in {} is not a number of seconds",
                                                          value, impl_->redacted));
            timeout = t;
        } else {
            throw Error(ErrorKind::input,
                        fmt::format("unknown MySQL URL option '{}' in {}; supported options: socket, host, "
                                    "connect_timeout",
                                    key, impl_->redacted));
        }
    }
    if (host.empty()) host = "localhost";
    // "localhost" means the Unix socket to the client library; a URL that names a port
    // means TCP, so force it unless a socket was asked for.
    bool tcp = host != "localhost" || (url.port.has_value() && socket.empty());
    impl_->where = describe_target(url, host, socket, tcp);

    MYSQL* db = mysql_init(nullptr);
    if (!db) throw Error(ErrorKind::internal, "out of memory creating a MySQL connection handle");
    impl_->db = db;
    if (timeout > 0) mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    my_bool report_truncation = 1;
    mysql_options(db, MYSQL_REPORT_DATA_TRUNCATION, &report_truncation);
    mysql_options(db, MYSQL_INIT_COMMAND, session_setup);
    if (tcp && host == "localhost") {
        unsigned protocol = MYSQL_PROTOCOL_TCP;
        mysql_options(db, MYSQL_OPT_PROTOCOL, &protocol);
    }

    const char* user = url.user.empty() ? nullptr : url.user.c_str();
    const char* password = url.password.empty() ? nullptr : url.password.c_str();
    const char* database = url.database.empty() ? nullptr : url.database.c_str();
    if (!mysql_real_connect(db, host.c_str(), user, password, database, tcp ? static_cast<unsigned>(url.port.value_or(0)) : 0,
                            socket.empty() ? nullptr : socket.c_str(), CLIENT_FOUND_ROWS)) {
        unsigned code = mysql_errno(db);
        std::string driver = one_line(mysql_error(db));
        ErrorDetails d;
        d.sqlstate = mysql_sqlstate(db);
        d.server_code = static_cast<int>(code);
        const std::string& where = impl_->where;
        const std::string& r = impl_->redacted;
        switch (code) {
            case ER_ACCESS_DENIED_ERROR:
            case 1698:
                throw Error(ErrorKind::authentication,
                            fmt::format("cannot log in to {} at {} as '{}' ({}): wrong user name or password; check "
                                        "the credentials in the URL (server said: {})",
                                        server_label, where, url.user, r, driver),
                            std::move(d));
            case ER_DBACCESS_DENIED_ERROR:
                throw Error(ErrorKind::authentication,
                            fmt::format("user '{}' may not use database '{}' on {} at {} ({}); grant access or fix the "
                                        "database name (server said: {})",
                                        url.user, url.database, server_label, where, r, driver),
                            std::move(d));
            case ER_BAD_DB_ERROR:
                throw Error(ErrorKind::missing_database,
                            fmt::format("database '{}' does not exist on {} at {} ({}); create it (CREATE DATABASE) "
                                        "or fix the database name in the URL",
                                        url.database, server_label, where, r),
                            std::move(d));
            case CR_UNKNOWN_HOST:
                throw Error(ErrorKind::connection,
                            fmt::format("cannot connect to {} at {} ({}): unknown host '{}'; check the host name in "
                                        "the URL (driver: {})",
                                        server_label, where, r, host, driver),
                            std::move(d));
            default:
                if (is_connection_error(code) || code == CR_SERVER_HANDSHAKE_ERR || code >= 2000) {
                    throw Error(ErrorKind::connection,
                                fmt::format("cannot connect to {} at {} ({}): server not reachable; is the server "
                                            "running and are the host and port right? (driver: {})",
                                            server_label, where, r, driver),
                                std::move(d));
                }
                throw Error(ErrorKind::database,
                            fmt::format("{} at {} ({}) refused the connection: error {}: {}", server_label, where, r,
                                        code, driver),
                            std::move(d));
        }
    }
    const char* info = mysql_get_server_info(db);
    impl_->capabilities.returning = server_has_insert_returning(info ? info : "");
}

MysqlConnection::~MysqlConnection() = default;

const Dialect& MysqlConnection::dialect() const noexcept { return mysql_dialect(); }

const Capabilities& MysqlConnection::server_capabilities() const noexcept { return impl_->capabilities; }

bool server_has_insert_returning(std::string_view server_version) {
    if (server_version.find("MariaDB") == std::string_view::npos) return false;
    // Clients of the MySQL protocol may see MariaDB's replication-compatible "5.5.5-" prefix.
    if (server_version.starts_with("5.5.5-")) server_version.remove_prefix(6);
    int major = 0;
    int minor = 0;
    const char* end = server_version.data() + server_version.size();
    auto [p, ec] = std::from_chars(server_version.data(), end, major);
    if (ec != std::errc{} || p == end || *p != '.') return false;
    if (std::from_chars(p + 1, end, minor).ec != std::errc{}) return false;
    return major > 10 || (major == 10 && minor >= 5);
}

namespace {

// Finds or prepares the statement for `sql`. `prepared` tells whether a prepare
// happened; an empty lease means the server cannot prepare this text.
Lease acquire(MysqlConnection::Impl& impl, std::string_view sql, bool& prepared) {
    Lease lease;
    prepared = false;
    auto it = impl.cache.find(sql);
    if (it != impl.cache.end() && !it->second->busy) {
        lease.st = it->second.get();
        lease.st->busy = true;
        return lease;
    }
    prepared = true;  // counted even when the prepare fails: it was a cache miss
    std::unique_ptr<Statement> st = impl.prepare(sql);
    if (!st) return lease;
    if (it != impl.cache.end()) {  // the cached one is being read by an outer call
        lease.temporary = std::move(st);
        lease.st = lease.temporary.get();
        return lease;
    }
    if (impl.cache.size() >= max_cached_statements) impl.evict_idle();
    Statement* raw = st.get();
    impl.cache.emplace(std::string(sql), std::move(st));
    raw->busy = true;
    lease.st = raw;
    return lease;
}

}  // namespace

std::int64_t MysqlConnection::execute(std::string_view sql, ParamView params) {
    note_statement(sql, params);
    if (params.empty() && is_ddl(sql)) {
        impl_->run_plain(sql);
        return 0;
    }
    for (int attempt = 0;; ++attempt) {
        bool prepared = false;
        Lease lease = [&] {
            try {
                return acquire(*impl_, sql, prepared);
            } catch (...) {
                if (prepared) note_prepare();
                throw;
            }
        }();
        if (prepared) note_prepare();
        if (!lease.st) {
            if (!params.empty())
                throw Error(ErrorKind::unsupported,
                            fmt::format("{} cannot prepare this statement, so it cannot take parameters; run it "
                                        "without parameters",
                                        server_label),
                            ErrorDetails{.sqlstate = "HY000", .server_code = ER_UNSUPPORTED_PS, .sql = std::string(sql)});
            return impl_->run_plain(sql);
        }
        Statement& st = *lease.st;
        bind_params(*impl_, st, params, sql);
        if (mysql_stmt_execute(st.handle) != 0) {
            if (mysql_stmt_errno(st.handle) == CR_NEW_STMT_METADATA && attempt == 0) {
                // The table changed under the statement: prepare it again, once.
                bool cached = !lease.temporary;
                lease.release();
                if (cached) impl_->cache.erase(impl_->cache.find(sql));
                continue;
            }
            impl_->fail_stmt(st.handle, sql);
        }
        std::int64_t affected = 0;
        if (mysql_stmt_field_count(st.handle) > 0) {
            mysql_stmt_free_result(st.handle);
        } else {
            my_ulonglong n = mysql_stmt_affected_rows(st.handle);
            if (n != static_cast<my_ulonglong>(-1)) affected = static_cast<std::int64_t>(n);
            impl_->note_insert_id(mysql_stmt_insert_id(st.handle));
        }
        return affected;
    }
}

void MysqlConnection::query(std::string_view sql, ParamView params, const RowCallback& on_row) {
    note_statement(sql, params);
    for (int attempt = 0;; ++attempt) {
        bool prepared = false;
        Lease lease = [&] {
            try {
                return acquire(*impl_, sql, prepared);
            } catch (...) {
                if (prepared) note_prepare();
                throw;
            }
        }();
        if (prepared) note_prepare();
        if (!lease.st)
            throw Error(ErrorKind::unsupported,
                        fmt::format("{} cannot prepare this statement (error 1295), so its rows cannot be read "
                                    "through query(); run it with execute_unprepared()",
                                    server_label),
                        ErrorDetails{.sqlstate = "HY000", .server_code = ER_UNSUPPORTED_PS, .sql = std::string(sql)});
        Statement& st = *lease.st;
        bind_params(*impl_, st, params, sql);
        if (mysql_stmt_execute(st.handle) != 0) {
            if (mysql_stmt_errno(st.handle) == CR_NEW_STMT_METADATA && attempt == 0) {
                // The table changed under the statement: prepare it again, once.
                bool cached = !lease.temporary;
                lease.release();
                if (cached) impl_->cache.erase(impl_->cache.find(sql));
                continue;
            }
            impl_->fail_stmt(st.handle, sql);
        }
        if (mysql_stmt_field_count(st.handle) == 0) {
            impl_->note_insert_id(mysql_stmt_insert_id(st.handle));
            return;
        }
        bind_results(*impl_, st, sql);
        // Buffer the whole result: the callback may run other statements.
        if (mysql_stmt_store_result(st.handle) != 0) impl_->fail_stmt(st.handle, sql);
        MysqlRow row(st);
        try {
            while (true) {
                int rc = mysql_stmt_fetch(st.handle);
                if (rc == MYSQL_NO_DATA) break;
                if (rc == 1) impl_->fail_stmt(st.handle, sql);
                if (rc == MYSQL_DATA_TRUNCATED) fetch_truncated(*impl_, st, sql);
                on_row(row);
            }
        } catch (...) {
            mysql_stmt_free_result(st.handle);
            throw;
        }
        mysql_stmt_free_result(st.handle);
        return;
    }
}

void MysqlConnection::execute_unprepared(std::string_view sql) {
    note_statement(sql);
    impl_->run_plain(sql);
}

std::int64_t MysqlConnection::last_insert_id() { return impl_->last_insert_id; }

bool MysqlConnection::broken() const noexcept { return impl_->broken; }

std::string MysqlConnection::server_version() {
    const char* v = mysql_get_server_info(impl_->db);
    return v ? v : "";
}

namespace {

// One wsrep_* row (name, value) of information_schema's GLOBAL_STATUS or GLOBAL_VARIABLES.
void read_wsrep(std::string name, const std::string& value, EngineFacts& facts) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "wsrep_on") {
        facts.wsrep_on = value == "ON" || value == "1";
    } else if (name == "wsrep_cluster_size") {
        std::from_chars(value.data(), value.data() + value.size(), facts.wsrep_cluster_size);
    } else if (name == "wsrep_local_state_comment") {
        facts.wsrep_state = value;
    } else if (name == "wsrep_cluster_status") {
        facts.wsrep_status = value;
    } else if (name == "wsrep_osu_method") {
        facts.wsrep_osu_method = value;
    }
}

}  // namespace

EngineFacts MysqlConnection::engine_facts() {
    EngineFacts facts;
    facts.dialect = "mysql";
    facts.version = server_version();  // the handshake's, kept when the server refuses the query
    // A part the server refuses (Vitess and TiDB do not have every variable or table) is
    // left out; a lost connection is not.
    auto optional = [&](const char* sql, const RowCallback& on_row) {
        try {
            query(sql, {}, on_row);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::connection) throw;
        }
    };
    optional("SELECT @@version, @@version_comment, @@read_only", [&](const RowView& row) {
        facts.version = detail::value_text(row.get(0));
        facts.version_comment = detail::value_text(row.get(1));
        facts.read_only = detail::value_text(row.get(2)) == "1";
    });
    // Galera (MariaDB only): the provider's status and whether replication is on at all
    // (a stand-alone MariaDB may have the provider loaded, switched off). One statement:
    // information_schema still has both tables on MariaDB (MySQL 8 dropped them).
    if (facts.version.find("MariaDB") == std::string::npos) return facts;
    auto on_row = [&](const RowView& row) {
        read_wsrep(detail::value_text(row.get(0)), detail::value_text(row.get(1)), facts);
    };
    optional(
        "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN "
        "('WSREP_CLUSTER_SIZE', 'WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_STATUS') UNION ALL "
        "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME IN "
        "('WSREP_ON', 'WSREP_OSU_METHOD')",
        on_row);
    return facts;
}

std::unique_ptr<Connection> open_mysql(const Url& url, const EngineOptions& options) {
    return std::make_unique<MysqlConnection>(url, options);
}

}  // namespace strata
