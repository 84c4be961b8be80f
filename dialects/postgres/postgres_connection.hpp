// PostgresConnection: one libpq session with a PostgreSQL server (15 and later).
//
// Opened from a parsed Url: host, port, database, user and password, and every
// ?key=value query option passed to libpq unchanged (sslmode, application_name, ...).
// EngineOptions::connect_timeout_seconds becomes libpq's connect_timeout. The session
// runs with TimeZone=UTC and DateStyle=ISO, so timestamptz values come back in UTC.
//
// Statements run outside any client-side transaction framework: begin()/commit()/
// rollback() and savepoints are plain SQL (the Connection base), so explicit BEGIN and
// COMMIT sent by callers behave as in psql.
//
// Parameters: $1..$n. Each SQL text is prepared once (named s1, s2, ...) and reused.
// Parameter types are declared at prepare time from the first values bound where the
// value's type is unambiguous (int64 -> bigint, double -> double precision, bool ->
// boolean, Blob -> bytea, Date/Time/DateTime -> date/time/timestamp); strings and NULLs
// are left for the server to infer from context, so a string may be bound to a
// numeric, date, json, uuid or enum column. A later call whose values do not fit the
// cached variant (NULL fits anything) prepares a second variant of the same text. COPY
// is refused (Error(unsupported)) and the session left ready. After DDL (and after a
// rollback of a transaction that ran DDL) cached statements are released, because
// PostgreSQL refuses to run a prepared SELECT whose result columns changed. DDL run by
// another session shows up as a cached statement failing with SQLSTATE 0A000 ("cached
// plan must not change result type") or 26000 (statement gone): the statement is dropped
// from the cache and, outside a transaction, prepared again and run once more; inside a
// transaction, which PostgreSQL has then aborted, Error(database) says to roll back and
// run the transaction again.
//
// Results map by column type: int2/int4/int8/oid -> int64, float4/float8 -> double,
// bool -> bool, bytea -> Blob, date -> Date, time -> Time, timestamp/timestamptz ->
// DateTime (UTC), everything else (numeric exactly, text, json, uuid, enums, ...) ->
// string. Dates outside what Date can hold ('infinity', BC) come back as strings.
// RowView::cell() and cells() read without a Value, pointing into the PGresult: NULL,
// int2/int4/int8/oid as integer, float4/float8 as real, text/varchar/char/name/json/
// jsonb/uuid/xml (and untyped literals) as text; every other type is Kind::other (use
// get()).
//
// Errors are classified by SQLSTATE (08* connection, 28* authentication, 3D000
// missing database, 42* syntax, 23* constraint with the constraint's name) and carry
// the SQLSTATE and the failing SQL. Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "dialects/url.hpp"

namespace strata {

class PostgresConnection final : public Connection {
public:
    // Connects; throws Error(connection / authentication / missing_database / input)
    // with the redacted URL in the message.
    PostgresConnection(const Url& url, const EngineOptions& options);
    ~PostgresConnection() override;

    const Dialect& dialect() const noexcept override;

    std::int64_t execute(std::string_view sql, ParamView params = {}) override;
    using Connection::execute;
    void query(std::string_view sql, ParamView params, const RowCallback& on_row) override;
    using Connection::query;
    void execute_unprepared(std::string_view sql) override;

    // The value most recently produced by nextval() in this session (identity and
    // serial columns use sequences), i.e. SELECT lastval(). Throws Error(usage) when
    // no sequence was used yet in this session; prefer INSERT ... RETURNING.
    std::int64_t last_insert_id() override;

    // "15.18": the server_version parameter up to the first space.
    std::string server_version() override;
    // Error(input): PostgreSQL returns generated keys only through INSERT ... RETURNING.
    void disable_returning() override;
    // COMMIT, refused with Error(database) when an earlier statement aborted the
    // transaction (PostgreSQL would turn the COMMIT into a ROLLBACK and report success):
    // the transaction is rolled back and nothing in it was saved.
    void commit() override;
    // True when libpq reports the connection bad (the server closed it).
    bool broken() const noexcept override;

    // Number of prepared statements currently cached (for tests).
    std::size_t cached_statements() const noexcept;

protected:
    // version(), pg_is_in_recovery() and default_transaction_read_only in one round trip,
    // plus the server_version parameter status. CockroachDB announces itself in the
    // crdb_version parameter status: no round trip then. Only a lost connection throws.
    EngineFacts engine_facts() override;

private:
    // Prepares (or reuses) and runs one statement; on_row and affected may be null.
    void run(std::string_view sql, ParamView params, const RowCallback* on_row, std::int64_t* affected);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace strata
