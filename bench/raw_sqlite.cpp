// Raw sqlite3 baseline: what a careful hand-written program does. One prepared statement
// per shape, bound and stepped per row, inside BEGIN IMMEDIATE ... COMMIT (the same
// transaction mode the strata SQLite connection uses), foreign keys on, the same busy
// timeout and SQLITE_OPEN_NOMUTEX as strata, so that the connection settings do not differ.
#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "dialects/engine.hpp"
#include "raw_baseline.hpp"

namespace strata::bench {

namespace {

class RawSqlite final : public RawBaseline {
public:
    RawSqlite(const std::string& path, std::string table) : RawBaseline(std::move(table)) {
        int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            db_ = nullptr;
            throw std::runtime_error(fmt::format("raw sqlite3: cannot open {}: {}", path, msg));
        }
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA foreign_keys = ON");
    }
    ~RawSqlite() override { sqlite3_close(db_); }

    std::string describe() override { return fmt::format("sqlite3 {}", sqlite3_libversion()); }

    void reset_table(const std::vector<std::string>& create_sql) override {
        drop_table();
        for (const auto& s : create_sql) exec(s);
    }
    void drop_table() override { exec(fmt::format("DROP TABLE IF EXISTS \"{}\"", table_)); }

    void insert(std::vector<BenchRow>& rows, std::size_t batch) override {
        exec("BEGIN IMMEDIATE");
        if (batch <= 1) {
            Stmt st(db_, fmt::format("INSERT INTO \"{}\" (\"name\", \"email\", \"age\", \"score\", \"active\") "
                                     "VALUES (?, ?, ?, ?, ?)",
                                     table_));
            for (auto& r : rows) {
                bind_row(st.s, 1, r);
                st.step_done(db_);
                r.id = sqlite3_last_insert_rowid(db_);
            }
        } else {
            std::vector<std::int64_t> ids;
            std::unique_ptr<Stmt> st;  // one statement per batch size, reused
            std::size_t st_rows = 0;
            for (std::size_t start = 0; start < rows.size();) {
                std::size_t n = std::min(batch, rows.size() - start);
                if (n != st_rows) {
                    st = std::make_unique<Stmt>(db_, multi_row_insert(n));
                    st_rows = n;
                }
                for (std::size_t i = 0; i < n; ++i) bind_row(st->s, static_cast<int>(i * 5 + 1), rows[start + i]);
                ids.clear();
                int rc;
                while ((rc = sqlite3_step(st->s)) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(st->s, 0));
                if (rc != SQLITE_DONE) fail("INSERT");
                sqlite3_reset(st->s);
                std::sort(ids.begin(), ids.end());
                for (std::size_t i = 0; i < n; ++i) rows[start + i].id = ids.at(i);
                start += n;
            }
        }
        exec("COMMIT");
    }

    std::vector<BenchRow> select_all() override {
        Stmt st(db_, fmt::format("SELECT \"id\", \"name\", \"email\", \"age\", \"score\", \"active\" FROM \"{}\"",
                                 table_));
        std::vector<BenchRow> out;
        int rc;
        while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
            BenchRow& r = out.emplace_back();
            r.id = sqlite3_column_int64(st.s, 0);
            r.name.assign(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1)),
                          static_cast<std::size_t>(sqlite3_column_bytes(st.s, 1)));
            if (sqlite3_column_type(st.s, 2) != SQLITE_NULL)
                r.email.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 2)),
                                static_cast<std::size_t>(sqlite3_column_bytes(st.s, 2)));
            r.age = sqlite3_column_int(st.s, 3);
            r.score = sqlite3_column_double(st.s, 4);
            r.active = sqlite3_column_int(st.s, 5) != 0;
        }
        if (rc != SQLITE_DONE) fail("SELECT");
        return out;
    }

    void update_scores(const std::vector<BenchRow>& rows) override {
        exec("BEGIN IMMEDIATE");
        Stmt st(db_, fmt::format("UPDATE \"{}\" SET \"score\" = ? WHERE \"id\" = ?", table_));
        for (const auto& r : rows) {
            sqlite3_bind_double(st.s, 1, r.score);
            sqlite3_bind_int64(st.s, 2, r.id);
            st.step_done(db_);
        }
        exec("COMMIT");
    }

    std::pair<std::int64_t, double> count_and_sum() override {
        Stmt st(db_, fmt::format("SELECT COUNT(*), COALESCE(SUM(\"score\"), 0) FROM \"{}\"", table_));
        if (sqlite3_step(st.s) != SQLITE_ROW) fail("SELECT COUNT");
        return {sqlite3_column_int64(st.s, 0), sqlite3_column_double(st.s, 1)};
    }

private:
    struct Stmt {
        sqlite3_stmt* s = nullptr;
        Stmt(sqlite3* db, const std::string& sql) {
            if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
                throw std::runtime_error(fmt::format("raw sqlite3: prepare failed: {}: {}", sqlite3_errmsg(db), sql));
        }
        ~Stmt() { sqlite3_finalize(s); }
        Stmt(const Stmt&) = delete;
        Stmt& operator=(const Stmt&) = delete;
        void step_done(sqlite3* db) {
            if (sqlite3_step(s) != SQLITE_DONE)
                throw std::runtime_error(fmt::format("raw sqlite3: step failed: {}", sqlite3_errmsg(db)));
            sqlite3_reset(s);
        }
    };

    static void bind_row(sqlite3_stmt* s, int first, const BenchRow& r) {
        sqlite3_bind_text(s, first, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
        if (r.email) sqlite3_bind_text(s, first + 1, r.email->data(), static_cast<int>(r.email->size()), SQLITE_STATIC);
        else sqlite3_bind_null(s, first + 1);
        sqlite3_bind_int(s, first + 2, r.age);
        sqlite3_bind_double(s, first + 3, r.score);
        sqlite3_bind_int(s, first + 4, r.active ? 1 : 0);
    }

    std::string multi_row_insert(std::size_t n) const {
        std::string sql = fmt::format("INSERT INTO \"{}\" (\"name\", \"email\", \"age\", \"score\", \"active\") VALUES ",
                                      table_);
        for (std::size_t i = 0; i < n; ++i) sql += i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
        sql += " RETURNING \"id\"";
        return sql;
    }

    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw std::runtime_error(fmt::format("raw sqlite3: {}: {}", msg, sql));
        }
    }
    [[noreturn]] void fail(const char* what) {
        throw std::runtime_error(fmt::format("raw sqlite3: {} failed: {}", what, sqlite3_errmsg(db_)));
    }

    sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<RawBaseline> make_sqlite_baseline(const Engine& engine, std::string table) {
    return std::make_unique<RawSqlite>(engine.url().database, std::move(table));
}

}  // namespace strata::bench
