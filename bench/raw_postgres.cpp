// Raw libpq baseline: named prepared statements with text parameters and text results
// (the usual libpq way), one transaction per phase. Multi-row INSERTs use RETURNING to
// get the generated ids, as the ORM does.
#include <libpq-fe.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>

#include "dialects/engine.hpp"
#include "raw_baseline.hpp"

namespace strata::bench {

namespace {

class Result {
public:
    explicit Result(PGresult* r) : r_(r) {}
    ~Result() { PQclear(r_); }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    PGresult* get() const noexcept { return r_; }

private:
    PGresult* r_;
};

template <class I>
I parse_int(const char* s, int len) {
    I v{};
    std::from_chars(s, s + len, v);
    return v;
}

class RawPostgres final : public RawBaseline {
public:
    RawPostgres(const Url& url, std::string table) : RawBaseline(std::move(table)) {
        std::string port = url.port ? std::to_string(*url.port) : "5432";
        const char* keys[] = {"host", "port", "user", "password", "dbname", nullptr};
        const char* values[] = {url.host.c_str(), port.c_str(), url.user.c_str(), url.password.c_str(),
                                url.database.c_str(), nullptr};
        conn_ = PQconnectdbParams(keys, values, 0);
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            throw std::runtime_error("raw libpq: cannot connect: " + msg);
        }
        exec("SET client_min_messages = warning");
    }
    ~RawPostgres() override { PQfinish(conn_); }

    std::string describe() override {
        int v = PQlibVersion();
        return fmt::format("libpq {}.{}", v / 10000, v % 10000);
    }

    void reset_table(const std::vector<std::string>& create_sql) override {
        drop_table();
        for (const auto& s : create_sql) exec(s);
    }
    void drop_table() override { exec(fmt::format("DROP TABLE IF EXISTS \"{}\"", table_)); }

    void insert(std::vector<BenchRow>& rows, std::size_t batch) override {
        batch = std::max<std::size_t>(batch, 1);
        exec("BEGIN");
        std::vector<std::string> text;      // parameter texts, 5 per row
        std::vector<const char*> values;
        std::vector<std::int64_t> ids;
        for (std::size_t start = 0; start < rows.size();) {
            std::size_t n = std::min(batch, rows.size() - start);
            std::string name = fmt::format("ins{}", n);
            if (!prepared_.count(name)) {
                prepare(name, multi_row_insert(n), static_cast<int>(n * 5));
                prepared_.insert(name);
            }
            text.assign(n * 5, std::string());
            values.assign(n * 5, nullptr);
            for (std::size_t i = 0; i < n; ++i) {
                const BenchRow& r = rows[start + i];
                std::string* t = &text[i * 5];
                t[0] = r.name;
                if (r.email) t[1] = *r.email;
                t[2] = fmt::format("{}", r.age);
                t[3] = fmt::format("{}", r.score);
                t[4].assign(1, r.active ? 't' : 'f');
                for (int k = 0; k < 5; ++k) values[i * 5 + k] = (k == 1 && !r.email) ? nullptr : t[k].c_str();
            }
            Result res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(n * 5), values.data(), nullptr, nullptr, 0));
            check(res.get(), PGRES_TUPLES_OK, "INSERT");
            ids.clear();
            for (int i = 0, m = PQntuples(res.get()); i < m; ++i)
                ids.push_back(parse_int<std::int64_t>(PQgetvalue(res.get(), i, 0), PQgetlength(res.get(), i, 0)));
            if (ids.size() != n) throw std::runtime_error("raw libpq: INSERT returned a wrong number of ids");
            std::sort(ids.begin(), ids.end());
            for (std::size_t i = 0; i < n; ++i) rows[start + i].id = ids[i];
            start += n;
        }
        exec("COMMIT");
    }

    std::vector<BenchRow> select_all() override {
        Result res(PQexecParams(
            conn_,
            fmt::format("SELECT \"id\", \"name\", \"email\", \"age\", \"score\", \"active\" FROM \"{}\"", table_)
                .c_str(),
            0, nullptr, nullptr, nullptr, nullptr, 0));
        check(res.get(), PGRES_TUPLES_OK, "SELECT");
        PGresult* r = res.get();
        std::vector<BenchRow> out;
        for (int i = 0, n = PQntuples(r); i < n; ++i) {
            BenchRow& row = out.emplace_back();
            row.id = parse_int<std::int64_t>(PQgetvalue(r, i, 0), PQgetlength(r, i, 0));
            row.name.assign(PQgetvalue(r, i, 1), static_cast<std::size_t>(PQgetlength(r, i, 1)));
            if (!PQgetisnull(r, i, 2)) row.email.emplace(PQgetvalue(r, i, 2), static_cast<std::size_t>(PQgetlength(r, i, 2)));
            row.age = parse_int<std::int32_t>(PQgetvalue(r, i, 3), PQgetlength(r, i, 3));
            const char* s = PQgetvalue(r, i, 4);
            std::from_chars(s, s + PQgetlength(r, i, 4), row.score);
            row.active = PQgetvalue(r, i, 5)[0] == 't';
        }
        return out;
    }

    void update_scores(const std::vector<BenchRow>& rows) override {
        if (!prepared_.count("upd")) {
            prepare("upd", fmt::format("UPDATE \"{}\" SET \"score\" = $1 WHERE \"id\" = $2", table_), 2);
            prepared_.insert("upd");
        }
        exec("BEGIN");
        std::string score, id;
        for (const auto& r : rows) {
            score = fmt::format("{}", r.score);
            id = fmt::format("{}", r.id);
            const char* values[] = {score.c_str(), id.c_str()};
            Result res(PQexecPrepared(conn_, "upd", 2, values, nullptr, nullptr, 0));
            check(res.get(), PGRES_COMMAND_OK, "UPDATE");
        }
        exec("COMMIT");
    }

    std::pair<std::int64_t, double> count_and_sum() override {
        Result res(PQexec(conn_, fmt::format("SELECT COUNT(*), COALESCE(SUM(\"score\"), 0) FROM \"{}\"", table_)
                                     .c_str()));
        check(res.get(), PGRES_TUPLES_OK, "SELECT COUNT");
        double sum = 0;
        const char* s = PQgetvalue(res.get(), 0, 1);
        std::from_chars(s, s + PQgetlength(res.get(), 0, 1), sum);
        return {parse_int<std::int64_t>(PQgetvalue(res.get(), 0, 0), PQgetlength(res.get(), 0, 0)), sum};
    }

private:
    std::string multi_row_insert(std::size_t n) const {
        std::string sql = fmt::format("INSERT INTO \"{}\" (\"name\", \"email\", \"age\", \"score\", \"active\") VALUES ",
                                      table_);
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t p = i * 5;
            sql += fmt::format("{}(${}, ${}, ${}, ${}, ${})", i ? ", " : "", p + 1, p + 2, p + 3, p + 4, p + 5);
        }
        sql += " RETURNING \"id\"";
        return sql;
    }
    void prepare(const std::string& name, const std::string& sql, int nparams) {
        Result res(PQprepare(conn_, name.c_str(), sql.c_str(), nparams, nullptr));
        check(res.get(), PGRES_COMMAND_OK, "PREPARE");
    }
    void exec(const std::string& sql) {
        Result res(PQexec(conn_, sql.c_str()));
        check(res.get(), PGRES_COMMAND_OK, sql.c_str());
    }
    void check(PGresult* r, ExecStatusType expected, const char* what) {
        if (PQresultStatus(r) != expected)
            throw std::runtime_error(fmt::format("raw libpq: {} failed: {}", what, PQerrorMessage(conn_)));
    }

    PGconn* conn_ = nullptr;
    std::set<std::string> prepared_;
};

}  // namespace

std::unique_ptr<RawBaseline> make_postgres_baseline(const Engine& engine, std::string table) {
    return std::make_unique<RawPostgres>(engine.url(), std::move(table));
}

}  // namespace strata::bench
