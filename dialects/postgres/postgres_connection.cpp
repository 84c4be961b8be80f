#include "dialects/postgres/postgres_connection.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "dialects/detail/value_text.hpp"

namespace strata {

namespace {

// Type OIDs from pg_type.h; stable across server versions.
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kChar = 18;
constexpr Oid kName = 19;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kText = 25;
constexpr Oid kOid = 26;
constexpr Oid kJson = 114;
constexpr Oid kXml = 142;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kUnknownLiteral = 705;
constexpr Oid kBpchar = 1042;
constexpr Oid kVarchar = 1043;
constexpr Oid kUuid = 2950;
constexpr Oid kJsonb = 3802;
constexpr Oid kDate = 1082;
constexpr Oid kTime = 1083;
constexpr Oid kTimestamp = 1114;
constexpr Oid kTimestampTz = 1184;
constexpr Oid kUnknown = 0;  // "let the server infer the type from context"
// A NULL parameter: fits any declared type; prepared as kUnknown.
constexpr Oid kAnyType = static_cast<Oid>(-1);

struct ResultDeleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// libpq messages span several lines ("ERROR: ...\nDETAIL: ..."); strata messages are one line.
std::string one_line(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string field(const PGresult* res, int code) {
    const char* v = res ? PQresultErrorField(res, code) : nullptr;
    return v ? std::string(v) : std::string();
}

// Value -> the parameter type declared at prepare time. Strings and NULLs stay
// untyped so the server infers numeric, date, json, uuid or enum from the context.
Oid param_type(const Value& v) {
    switch (v.index()) {
        case 0: return kAnyType;
        case 1: return kBool;
        case 2: return kInt8;
        case 3: return kFloat8;
        case 5: return kBytea;
        case 6: return kDate;
        case 7: return kTime;
        case 8: return kTimestamp;
        default: return kUnknown;
    }
}

std::string double_text(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    return fmt::format("{}", d);  // shortest text that reads back to the same double
}

Blob decode_bytea(std::string_view text) {
    Blob blob;
    auto nibble = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw Error(ErrorKind::internal, "PostgreSQL returned bytea text that is not hex; is bytea_output overridden?");
    };
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x')
        throw Error(ErrorKind::internal, "PostgreSQL returned bytea in escape format; strata requires bytea_output=hex");
    blob.bytes.reserve((text.size() - 2) / 2);
    for (std::size_t i = 2; i + 1 < text.size(); i += 2)
        blob.bytes.push_back(static_cast<std::uint8_t>(nibble(text[i]) * 16 + nibble(text[i + 1])));
    return blob;
}

// The forms of a column that need no Value: integers, doubles and the character types
// whose text is the value, read from the text libpq holds (`text` points into the
// PGresult). Kind::other for every type get() converts some other way (bool, bytea,
// dates, numeric, enums, ...). get() builds its Value from this, so both agree: an
// integer or float text that does not parse is text for both.
Cell plain_cell(Oid type, std::string_view text) {
    Cell c;
    switch (type) {
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid: {
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), c.integer);
            c.kind = ec == std::errc{} && p == text.data() + text.size() ? Cell::Kind::integer : Cell::Kind::text;
            break;
        }
        case kFloat4:
        case kFloat8: {
            // from_chars reads PostgreSQL's NaN, Infinity and -Infinity too.
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), c.real);
            c.kind = ec == std::errc{} && p == text.data() + text.size() ? Cell::Kind::real : Cell::Kind::text;
            break;
        }
        case kText:
        case kVarchar:
        case kBpchar:
        case kName:
        case kChar:
        case kUnknownLiteral:
        case kJson:
        case kJsonb:
        case kUuid:
        case kXml:
            c.kind = Cell::Kind::text;
            break;
        default:
            return c;
    }
    if (c.kind == Cell::Kind::text) c.text = text;
    return c;
}

Value convert(Oid type, const char* data, int length) {
    std::string_view text(data, static_cast<std::size_t>(length));
    Cell plain = plain_cell(type, text);
    switch (plain.kind) {
        case Cell::Kind::integer:
            return plain.integer;
        case Cell::Kind::real:
            return plain.real;
        case Cell::Kind::text:
            return std::string(text);
        default:
            break;
    }
    switch (type) {
        case kBool:
            return text == "t";
        case kBytea:
            return decode_bytea(text);
        case kDate:
        case kTime:
        case kTimestamp:
        case kTimestampTz:
            // 'infinity' and BC dates have no Date form; they stay text.
            try {
                if (type == kDate) return parse_date(text);
                if (type == kTime) return parse_time(text);
                return parse_datetime(text);
            } catch (const Error&) {
                return std::string(text);
            }
        default:
            return std::string(text);
    }
}

class PgRow final : public RowView {
public:
    PgRow(const PGresult* res, const std::vector<Oid>& types) : res_(res), types_(types) {}
    void at(int row) noexcept { row_ = row; }

    std::size_t size() const noexcept override { return types_.size(); }
    std::string_view column_name(std::size_t i) const override {
        check(i);
        return PQfname(res_, static_cast<int>(i));
    }
    bool is_null(std::size_t i) const override {
        check(i);
        return PQgetisnull(res_, row_, static_cast<int>(i)) != 0;
    }
    Value get(std::size_t i) const override {
        check(i);
        int col = static_cast<int>(i);
        if (PQgetisnull(res_, row_, col)) return null;
        return convert(types_[i], PQgetvalue(res_, row_, col), PQgetlength(res_, row_, col));
    }
    Cell cell(std::size_t i) const override {
        check(i);
        return unchecked_cell(i);
    }
    // One range check for the whole span instead of one virtual call and check per column.
    void cells(std::size_t first, std::size_t count, Cell* out) const override {
        std::size_t n = types_.size();
        if (count > 0 && (first >= n || count > n - first)) check(std::max(first, n));
        for (std::size_t k = 0; k < count; ++k) out[k] = unchecked_cell(first + k);
    }

private:
    void check(std::size_t i) const {
        if (i >= types_.size())
            throw Error(ErrorKind::usage, fmt::format("column index {} out of range: the row has {} columns", i, types_.size()));
    }
    Cell unchecked_cell(std::size_t i) const {
        int col = static_cast<int>(i);
        if (PQgetisnull(res_, row_, col)) return Cell{.kind = Cell::Kind::null};
        const char* data = PQgetvalue(res_, row_, col);
        return plain_cell(types_[i], std::string_view(data, static_cast<std::size_t>(PQgetlength(res_, row_, col))));
    }
    const PGresult* res_;
    const std::vector<Oid>& types_;
    int row_ = 0;
};

// Command tags after which cached plans may describe the wrong result columns.
bool is_schema_change(std::string_view tag) {
    return tag.starts_with("CREATE ") || tag.starts_with("ALTER ") || tag.starts_with("DROP ") || tag == "DO";
}

}  // namespace

struct PostgresConnection::Impl {
    struct Prepared {
        std::string name;
        std::vector<Oid> types;    // as declared to the server (kUnknown: inferred)
        std::vector<bool> inferred;  // kUnknown because the first value was NULL, not text
    };

    PGconn* conn = nullptr;
    Url url;
    std::string where;  // "host:port" for messages
    std::unordered_map<std::string, std::vector<Prepared>> cache;
    std::size_t cached = 0;
    std::uint64_t next_id = 1;
    bool ddl_in_transaction = false;
    std::vector<std::string> stale;  // statements to DEALLOCATE once the aborted transaction ends

    ~Impl() {
        if (conn) PQfinish(conn);
    }

    // A cached variant usable for these values. Per parameter: NULL fits anything; a
    // value fits its own declared type; a string fits an untyped parameter; a typed
    // value fits an untyped parameter only when the server inferred its type from the
    // context (first bound to NULL): an untyped parameter first bound to a string may
    // have been resolved as text ("SELECT $1"), and a string never reuses a parameter
    // declared as, say, bigint.
    const Prepared* find(const std::string& sql, const std::vector<Oid>& types) const {
        auto it = cache.find(sql);
        if (it == cache.end()) return nullptr;
        for (const Prepared& p : it->second) {
            if (p.types.size() != types.size()) continue;
            bool ok = true;
            for (std::size_t i = 0; i < types.size() && ok; ++i) {
                ok = types[i] == kAnyType || p.types[i] == types[i] ||
                     (p.types[i] == kUnknown && (types[i] == kUnknown || p.inferred[i]));
            }
            if (ok) return &p;
        }
        return nullptr;
    }

    [[noreturn]] void fail(const PGresult* res, std::string_view sql) const {
        std::string state = field(res, PG_DIAG_SQLSTATE);
        std::string primary = one_line(field(res, PG_DIAG_MESSAGE_PRIMARY));
        std::string detail = one_line(field(res, PG_DIAG_MESSAGE_DETAIL));
        std::string constraint = field(res, PG_DIAG_CONSTRAINT_NAME);
        if (primary.empty()) primary = one_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
        if (primary.empty()) primary = one_line(PQerrorMessage(conn));
        ErrorDetails details{.sqlstate = state, .sql = std::string(sql), .constraint = constraint};
        std::string said = detail.empty() ? primary : fmt::format("{} ({})", primary, detail);

        if (state.empty() || state.starts_with("08") || state.starts_with("57P")) {
            if (state == "08P01" && contains(primary, "parameters"))
                throw Error(ErrorKind::usage,
                            fmt::format("wrong number of bound parameters for the statement: {}; bind one value per $n", said),
                            details);
            if (state.empty() && PQstatus(conn) == CONNECTION_OK)
                throw Error(ErrorKind::database, fmt::format("PostgreSQL at {} failed the statement: {}", where, said), details);
            throw Error(ErrorKind::connection,
                        fmt::format("lost the connection to PostgreSQL at {} ({}): {}; is the server still running? "
                                    "Open a new connection and retry",
                                    where, url.redacted(), said),
                        details);
        }
        if (state.starts_with("28"))
            throw Error(ErrorKind::authentication,
                        fmt::format("PostgreSQL at {} refused the credentials ({}): {}; check the user and password", where,
                                    url.redacted(), said),
                        details);
        if (state == "3D000")
            throw Error(ErrorKind::missing_database,
                        fmt::format("PostgreSQL at {}: {}; create the database or fix the name in the URL", where, said), details);
        if (state == "23505" || state == "23503" || state == "23502" || state == "23514" || state == "23P01" ||
            state == "23000" || state == "23001") {
            std::string which = constraint.empty() ? std::string() : fmt::format(" \"{}\"", constraint);
            throw Error(ErrorKind::constraint,
                        fmt::format("constraint{} violated: {}; change the data or the constraint", which, said), details);
        }
        // Only malformed SQL is a syntax error; a missing table or column (42P01, 42703)
        // is well-formed SQL the database cannot run, a database error.
        if (state == "42601" || state == "42000")
            throw Error(ErrorKind::syntax,
                        fmt::format("PostgreSQL rejected the SQL: {} [SQLSTATE {}]; check the statement: {}", said, state,
                                    one_line(sql)),
                        details);
        if (state == "25P02")
            throw Error(ErrorKind::database,
                        fmt::format("the transaction is aborted by an earlier error: {}; roll it back (or to a savepoint) first",
                                    said),
                        details);
        throw Error(ErrorKind::database, fmt::format("PostgreSQL error: {} [SQLSTATE {}]", said, state), details);
    }

    static bool is_copy(ExecStatusType st) {
        return st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH;
    }

    // A COPY in the caller's SQL leaves the session waiting for data: end it (refusing
    // the data, or discarding what the server sends) so the next statement can run.
    void leave_copy(ExecStatusType st) {
        if (st == PGRES_COPY_IN) {
            PQputCopyEnd(conn, "COPY FROM STDIN is not supported through strata");
        } else if (st == PGRES_COPY_OUT) {
            char* buffer = nullptr;
            while (PQgetCopyData(conn, &buffer, 0) > 0) PQfreemem(buffer);
        }
    }

    [[noreturn]] static void copy_unsupported(std::string_view sql) {
        throw Error(ErrorKind::unsupported,
                    "COPY through strata's Connection is not supported; use INSERT with bound parameters, or psql",
                    ErrorDetails{.sql = std::string(sql)});
    }

    // Throws for anything but success. `res` came from a PQexec-style call: after a
    // COPY the remaining results are read here too.
    void check(const PGresult* res, std::string_view sql) {
        if (!res) fail(nullptr, sql);
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
        if (is_copy(st)) {
            leave_copy(st);
            while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
            copy_unsupported(sql);
        }
        fail(res, sql);
    }

    // Releases every cached statement. Housekeeping: not counted as a user statement.
    void forget_statements() {
        if (cache.empty()) return;
        cache.clear();
        cached = 0;
        stale.clear();
        ResultPtr r(PQexec(conn, "DEALLOCATE ALL"));
    }

    // Prepares a new variant of `sql` for these parameter types and caches it.
    const Prepared* prepare(const std::string& sql, const std::vector<Oid>& types) {
        Prepared p{fmt::format("s{}", next_id++), types, std::vector<bool>(types.size())};
        for (std::size_t i = 0; i < types.size(); ++i) {
            p.inferred[i] = types[i] == kAnyType;
            if (p.inferred[i]) p.types[i] = kUnknown;
        }
        ResultPtr r(PQprepare(conn, p.name.c_str(), sql.c_str(), static_cast<int>(types.size()), p.types.data()));
        check(r.get(), sql);
        auto& variants = cache[sql];
        variants.push_back(std::move(p));
        ++cached;
        return &variants.back();
    }

    // A cached statement the server no longer runs as prepared: DDL from another
    // session changed its result columns (0A000 "cached plan must not change result
    // type"), or the server forgot it (26000, e.g. DEALLOCATE sent by hand). The session's
    // own DDL never gets here: after() releases the cache first.
    static bool is_stale_statement(const PGresult* res) {
        if (!res || PQresultStatus(res) != PGRES_FATAL_ERROR) return false;
        std::string state = field(res, PG_DIAG_SQLSTATE);
        return state == "0A000" || state == "26000";
    }

    // Removes one variant from the cache. The server-side statement is released now
    // when the session can run DEALLOCATE, else once the aborted transaction has ended.
    void drop_statement(const std::string& sql, std::string name, bool exists_on_server) {
        auto it = cache.find(sql);
        if (it != cache.end()) {
            auto& variants = it->second;
            auto v = std::find_if(variants.begin(), variants.end(), [&](const Prepared& p) { return p.name == name; });
            if (v != variants.end()) {
                variants.erase(v);
                --cached;
            }
            if (variants.empty()) cache.erase(it);
        }
        if (!exists_on_server) return;
        if (PQtransactionStatus(conn) == PQTRANS_INERROR) {
            stale.push_back(name);
            return;
        }
        ResultPtr r(PQexec(conn, fmt::format("DEALLOCATE {}", name).c_str()));
    }

    // Called after each successful statement with its command tag.
    void after(std::string_view tag) {
        PGTransactionStatusType ts = PQtransactionStatus(conn);
        if (!stale.empty() && ts != PQTRANS_INERROR) {
            for (const std::string& name : stale) ResultPtr r(PQexec(conn, fmt::format("DEALLOCATE {}", name).c_str()));
            stale.clear();
        }
        if (is_schema_change(tag)) {
            forget_statements();
            if (ts != PQTRANS_IDLE) ddl_in_transaction = true;
        } else if (tag.starts_with("ROLLBACK") && ddl_in_transaction) {
            forget_statements();
        }
        if (ts == PQTRANS_IDLE) ddl_in_transaction = false;
    }
};

namespace {

std::string reason_advice(const std::string& msg_lower, ErrorKind& kind, int timeout) {
    if (contains(msg_lower, "invalid connection option") || contains(msg_lower, "invalid sslmode") ||
        contains(msg_lower, "invalid integer value") || contains(msg_lower, "invalid port") ||
        contains(msg_lower, "invalid value for parameter")) {
        kind = ErrorKind::input;
        return "the URL has an option libpq does not accept; fix or remove it";
    }
    if (contains(msg_lower, "database \"") && contains(msg_lower, "does not exist")) {
        kind = ErrorKind::missing_database;
        return "the database does not exist; create it (CREATE DATABASE) or fix the database name in the URL";
    }
    if (contains(msg_lower, "password authentication failed") || contains(msg_lower, "no password supplied") ||
        contains(msg_lower, "authentication failed") || (contains(msg_lower, "role \"") && contains(msg_lower, "does not exist")) ||
        contains(msg_lower, "pg_hba.conf")) {
        kind = ErrorKind::authentication;
        return "authentication failed; check the user name and password in the URL";
    }
    kind = ErrorKind::connection;
    if (contains(msg_lower, "connection refused"))
        return "connection refused; is the server running and is the port right?";
    if (contains(msg_lower, "timeout expired"))
        return fmt::format("no answer within {} s; is the host reachable and the port right?", timeout);
    if (contains(msg_lower, "could not translate host name"))
        return "unknown host name; check the host in the URL";
    if (contains(msg_lower, "no such file or directory"))
        return "no server socket found; is the server running locally, or should the URL name a host?";
    if (contains(msg_lower, "starting up") || contains(msg_lower, "shutting down"))
        return "the server is starting up or shutting down; retry in a moment";
    return "the server could not be reached; check the host, port and network";
}

}  // namespace

PostgresConnection::PostgresConnection(const Url& url, const EngineOptions& options) : impl_(std::make_unique<Impl>()) {
    impl_->url = url;
    impl_->where = fmt::format("{}:{}", url.host.empty() ? std::string("local socket") : url.host, url.port.value_or(5432));

    std::vector<std::pair<std::string, std::string>> params;
    if (!url.host.empty()) params.emplace_back("host", url.host);
    if (url.port) params.emplace_back("port", std::to_string(*url.port));
    if (!url.database.empty()) params.emplace_back("dbname", url.database);
    if (!url.user.empty()) params.emplace_back("user", url.user);
    if (!url.password.empty()) params.emplace_back("password", url.password);
    if (options.connect_timeout_seconds > 0)
        params.emplace_back("connect_timeout", std::to_string(options.connect_timeout_seconds));
    params.emplace_back("fallback_application_name", "strata");
    params.emplace_back("client_encoding", "UTF8");
    // Session settings strata's value conversion relies on come last so they win over
    // any the URL passes in ?options=.
    std::string session = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex";
    for (const auto& [key, value] : url.query) {
        if (key == "options") {
            session = value + " " + session;
            continue;
        }
        auto same = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == key; });
        if (same != params.end()) same->second = value;
        else params.emplace_back(key, value);
    }
    params.emplace_back("options", session);

    std::vector<const char*> keys, values;
    for (const auto& [k, v] : params) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);

    impl_->conn = PQconnectdbParams(keys.data(), values.data(), 0);
    if (!impl_->conn)
        throw Error(ErrorKind::connection, fmt::format("cannot connect to PostgreSQL at {} ({}): out of memory", impl_->where,
                                                       url.redacted()));
    // Server notices ("table does not exist, skipping") would otherwise go straight to
    // stderr from inside libpq, mixed into CLI output; strata reports through errors.
    PQsetNoticeProcessor(impl_->conn, [](void*, const char*) {}, nullptr);
    if (PQstatus(impl_->conn) != CONNECTION_OK) {
        std::string raw = one_line(PQerrorMessage(impl_->conn));
        ErrorKind kind = ErrorKind::connection;
        std::string advice = reason_advice(lower(raw), kind, options.connect_timeout_seconds);
        std::string head = kind == ErrorKind::authentication
                               ? fmt::format("cannot log in to PostgreSQL at {} as \"{}\"", impl_->where, url.user)
                               : fmt::format("cannot connect to PostgreSQL at {}", impl_->where);
        throw Error(kind, fmt::format("{} ({}): {} (libpq: {})", head, url.redacted(), advice, raw));
    }
}

PostgresConnection::~PostgresConnection() = default;

const Dialect& PostgresConnection::dialect() const noexcept { return postgresql_dialect(); }

std::size_t PostgresConnection::cached_statements() const noexcept { return impl_->cached; }

namespace {

// Parameter buffers for one PQexecPrepared call; `values` point into `text` and into
// the caller's Values (Blob bytes), which outlive the call.
struct BoundParams {
    std::vector<std::string> text;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
};

BoundParams bind(ParamView params, std::string_view sql) {
    static const char empty_bytes[1] = {0};
    BoundParams b;
    std::size_t n = params.size();
    b.text.resize(n);
    b.values.assign(n, nullptr);
    b.lengths.assign(n, 0);
    b.formats.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const Value& v = params[i];
        switch (v.index()) {
            case 0:
                continue;  // NULL: a null pointer
            case 1:
                b.text[i].assign(1, std::get<bool>(v) ? 't' : 'f');  // not = "t": g++ 12 warns falsely (-Wrestrict)
                break;
            case 2:
                b.text[i] = std::to_string(std::get<std::int64_t>(v));
                break;
            case 3:
                b.text[i] = double_text(std::get<double>(v));
                break;
            case 4: {
                const auto& s = std::get<std::string>(v);
                if (s.find('\0') != std::string::npos)
                    throw Error(ErrorKind::usage,
                                fmt::format("parameter ${} is a string containing a NUL byte, which PostgreSQL text cannot "
                                            "store; bind it as a Blob",
                                            i + 1),
                                ErrorDetails{.sql = std::string(sql)});
                b.text[i] = s;
                break;
            }
            case 5: {
                const auto& bytes = std::get<Blob>(v).bytes;
                b.values[i] = bytes.empty() ? empty_bytes : reinterpret_cast<const char*>(bytes.data());
                b.lengths[i] = static_cast<int>(bytes.size());
                b.formats[i] = 1;  // binary: raw bytes, no escaping
                continue;
            }
            case 6:
                b.text[i] = to_iso(std::get<Date>(v));
                break;
            case 7:
                b.text[i] = to_iso(std::get<Time>(v));
                break;
            case 8:
                b.text[i] = to_iso(std::get<DateTime>(v));
                break;
        }
        b.values[i] = b.text[i].c_str();
        b.lengths[i] = static_cast<int>(b.text[i].size());
    }
    return b;
}

std::int64_t affected_rows(const PGresult* res) {
    const char* n = PQcmdTuples(const_cast<PGresult*>(res));
    std::int64_t v = 0;
    if (n && *n) std::from_chars(n, n + std::char_traits<char>::length(n), v);
    return v;
}

}  // namespace

std::int64_t PostgresConnection::execute(std::string_view sql, ParamView params) {
    std::int64_t affected = 0;
    run(sql, params, nullptr, &affected);
    return affected;
}

void PostgresConnection::query(std::string_view sql, ParamView params, const RowCallback& on_row) {
    run(sql, params, &on_row, nullptr);
}

void PostgresConnection::run(std::string_view sql, ParamView params, const RowCallback* on_row,
                             std::int64_t* affected) {
    note_statement(sql, params);
    Impl& im = *impl_;
    std::string key(sql);
    std::vector<Oid> types(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) types[i] = param_type(params[i]);

    const Impl::Prepared* prepared = im.find(key, types);
    bool cached = prepared != nullptr;
    if (!cached) {
        note_prepare();
        prepared = im.prepare(key, types);
    }

    BoundParams b = bind(params, sql);
    auto exec = [&] {
        return ResultPtr(PQexecPrepared(im.conn, prepared->name.c_str(), static_cast<int>(params.size()), b.values.data(),
                                        b.lengths.data(), b.formats.data(), 0));
    };
    ResultPtr res = exec();
    if (cached && Impl::is_stale_statement(res.get())) {
        std::string state = field(res.get(), PG_DIAG_SQLSTATE);
        im.drop_statement(key, prepared->name, state != "26000");
        if (PQtransactionStatus(im.conn) != PQTRANS_IDLE) {
            // The failed statement aborted the caller's transaction: whatever ran in it is
            // lost, so running the statement again here would hide that. The cache no
            // longer holds the stale statement, so running the transaction again works.
            std::string said = one_line(field(res.get(), PG_DIAG_MESSAGE_PRIMARY));
            if (state == "26000" || contains(said, "cached plan"))
                throw Error(ErrorKind::database,
                            fmt::format("PostgreSQL aborted the open transaction because a cached prepared statement no "
                                        "longer matches the schema ({}) [SQLSTATE {}], typically after DDL run by another "
                                        "session; roll the transaction back and run it again (the statement is prepared "
                                        "afresh then)",
                                        said, state),
                            ErrorDetails{.sqlstate = state, .sql = std::string(sql)});
            im.check(res.get(), sql);
        }
        // Outside a transaction the failed statement changed nothing: prepare it against
        // the current schema and run it once more.
        note_prepare();
        prepared = im.prepare(key, types);
        res = exec();
    }
    im.check(res.get(), sql);
    if (affected) *affected = affected_rows(res.get());
    if (on_row && PQresultStatus(res.get()) == PGRES_TUPLES_OK) {
        int ncols = PQnfields(res.get());
        std::vector<Oid> col_types(static_cast<std::size_t>(ncols));
        for (int c = 0; c < ncols; ++c) col_types[static_cast<std::size_t>(c)] = PQftype(res.get(), c);
        PgRow row(res.get(), col_types);
        int nrows = PQntuples(res.get());
        for (int r = 0; r < nrows; ++r) {
            row.at(r);
            (*on_row)(row);
        }
    }
    im.after(PQcmdStatus(res.get()));
}

void PostgresConnection::execute_unprepared(std::string_view sql) {
    note_statement(sql);
    Impl& im = *impl_;
    std::string text(sql);
    if (!PQsendQuery(im.conn, text.c_str())) im.fail(nullptr, sql);
    // Several statements may be in `sql`: read every result so the session is ready for
    // the next call, and report the first error.
    ResultPtr first_error;
    bool copy = false;
    std::vector<std::string> tags;
    while (PGresult* raw = PQgetResult(im.conn)) {
        ResultPtr r(raw);
        ExecStatusType st = PQresultStatus(raw);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
            tags.emplace_back(PQcmdStatus(raw));
        } else if (Impl::is_copy(st)) {
            im.leave_copy(st);
            copy = copy || !first_error;
        } else if (!first_error && !copy) {
            first_error = std::move(r);
        }
    }
    for (const std::string& tag : tags) im.after(tag);
    if (copy) Impl::copy_unsupported(sql);
    if (first_error) im.check(first_error.get(), sql);
}

std::int64_t PostgresConnection::last_insert_id() {
    std::int64_t id = 0;
    bool got = false;
    try {
        query("SELECT lastval()", {}, [&](const RowView& row) {
            Value v = row.get(0);
            if (auto* i = std::get_if<std::int64_t>(&v)) {
                id = *i;
                got = true;
            }
        });
    } catch (const Error& e) {
        if (e.sqlstate() != "55000") throw;
        throw Error(ErrorKind::usage,
                    "last_insert_id(): no identity or serial value was generated yet on this PostgreSQL connection; "
                    "use INSERT ... RETURNING to read generated keys",
                    e.details());
    }
    if (!got) throw Error(ErrorKind::internal, "SELECT lastval() returned no integer");
    return id;
}

void PostgresConnection::commit() {
    if (in_transaction_ && PQtransactionStatus(impl_->conn) == PQTRANS_INERROR) {
        rollback();
        throw Error(ErrorKind::database,
                    "COMMIT refused: an earlier statement failed and PostgreSQL aborted the transaction, so nothing in "
                    "it was saved; the transaction was rolled back: run it again without the failing statement (or put "
                    "that statement in a savepoint)");
    }
    Connection::commit();
}

void PostgresConnection::disable_returning() {
    throw Error(ErrorKind::input, "insert_returning = false cannot apply to PostgreSQL: it returns generated keys only "
                                  "through INSERT ... RETURNING; remove the option");
}

bool PostgresConnection::broken() const noexcept { return PQstatus(impl_->conn) == CONNECTION_BAD; }

std::string PostgresConnection::server_version() {
    const char* v = PQparameterStatus(impl_->conn, "server_version");
    std::string s = v ? v : "";
    auto space = s.find(' ');
    if (space != std::string::npos) s.resize(space);
    return s;
}

EngineFacts PostgresConnection::engine_facts() {
    EngineFacts facts;
    facts.dialect = "postgresql";
    const char* parameter = PQparameterStatus(impl_->conn, "server_version");
    facts.parameter_version = parameter ? parameter : "";
    // CockroachDB sends its version as a parameter status of its own at connect.
    if (const char* crdb = PQparameterStatus(impl_->conn, "crdb_version")) {
        facts.version = crdb;
        return facts;
    }
    try {
        query("SELECT version(), pg_is_in_recovery(), current_setting('default_transaction_read_only')", {},
              [&](const RowView& row) {
                  facts.version = detail::value_text(row.get(0));
                  Value recovery = row.get(1);
                  facts.in_recovery = std::holds_alternative<bool>(recovery) && std::get<bool>(recovery);
                  facts.read_only = detail::value_text(row.get(2)) == "on";
              });
    } catch (const Error& e) {
        // A PostgreSQL-speaking engine without one of the functions: the parameter status
        // still names the version. A failure inside a transaction has aborted it: report that.
        if (e.kind() == ErrorKind::connection || in_transaction_) throw;
    }
    return facts;
}

std::unique_ptr<Connection> open_postgresql(const Url& url, const EngineOptions& options) {
    auto conn = std::make_unique<PostgresConnection>(url, options);
    conn->set_echo(options.echo);
    return conn;
}

}  // namespace strata
