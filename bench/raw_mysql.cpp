// Raw libmysqlclient baseline: server-side prepared statements (binary protocol, as the
// strata MySQL connection uses) with MYSQL_BIND arrays, one transaction per phase.
// Multi-row INSERTs take the ids from mysql_stmt_insert_id(): the first id of the
// statement, the others following it one by one (InnoDB guarantees consecutive values for
// a multi-row INSERT of known size unless innodb_autoinc_lock_mode = 2; checked here).
#include <mysql.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "dialects/engine.hpp"
#include "raw_baseline.hpp"

namespace strata::bench {

namespace {

using Flag = decltype(MYSQL_BIND::is_null_value);

class Stmt {
public:
    Stmt(MYSQL* db, const std::string& sql) : s_(mysql_stmt_init(db)) {
        if (!s_) throw std::runtime_error("raw libmysqlclient: out of memory");
        if (mysql_stmt_prepare(s_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) fail("prepare");
    }
    ~Stmt() { mysql_stmt_close(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    MYSQL_STMT* get() const noexcept { return s_; }
    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(fmt::format("raw libmysqlclient: {} failed: {}", what, mysql_stmt_error(s_)));
    }

private:
    MYSQL_STMT* s_;
};

class RawMysql final : public RawBaseline {
public:
    RawMysql(const Url& url, std::string table) : RawBaseline(std::move(table)), db_(mysql_init(nullptr)) {
        if (!db_) throw std::runtime_error("raw libmysqlclient: out of memory");
        unsigned port = url.port ? static_cast<unsigned>(*url.port) : 3306;
        if (!mysql_real_connect(db_, url.host.c_str(), url.user.c_str(), url.password.c_str(), url.database.c_str(),
                                port, nullptr, 0)) {
            std::string msg = mysql_error(db_);
            mysql_close(db_);
            db_ = nullptr;
            throw std::runtime_error("raw libmysqlclient: cannot connect: " + msg);
        }
        exec("SET NAMES utf8mb4");
        if (mysql_query(db_, "SELECT @@innodb_autoinc_lock_mode") == 0) {
            if (MYSQL_RES* res = mysql_store_result(db_)) {
                if (MYSQL_ROW row = mysql_fetch_row(res); row && row[0]) consecutive_ids_ = std::strcmp(row[0], "2") != 0;
                mysql_free_result(res);
            }
        }
    }
    ~RawMysql() override { mysql_close(db_); }

    std::string describe() override { return fmt::format("libmysqlclient {}", mysql_get_client_info()); }

    void reset_table(const std::vector<std::string>& create_sql) override {
        drop_table();
        for (const auto& s : create_sql) exec(s);
    }
    void drop_table() override { exec(fmt::format("DROP TABLE IF EXISTS `{}`", table_)); }

    void insert(std::vector<BenchRow>& rows, std::size_t batch) override {
        if (!consecutive_ids_) batch = 1;
        batch = std::max<std::size_t>(batch, 1);
        exec("START TRANSACTION");
        std::unique_ptr<Stmt> st;
        std::size_t st_rows = 0;
        std::vector<MYSQL_BIND> binds;
        std::vector<unsigned long> lengths;
        std::vector<Flag> nulls;
        std::vector<signed char> actives;
        for (std::size_t start = 0; start < rows.size();) {
            std::size_t n = std::min(batch, rows.size() - start);
            if (n != st_rows) {
                st = std::make_unique<Stmt>(db_, multi_row_insert(n));
                st_rows = n;
                binds.assign(n * 5, MYSQL_BIND{});
                lengths.assign(n * 2, 0);
                nulls.assign(n, 0);
                actives.assign(n, 0);
            }
            for (std::size_t i = 0; i < n; ++i) {
                BenchRow& r = rows[start + i];
                MYSQL_BIND* b = &binds[i * 5];
                b[0].buffer_type = MYSQL_TYPE_STRING;
                b[0].buffer = r.name.data();
                lengths[i * 2] = static_cast<unsigned long>(r.name.size());
                b[0].length = &lengths[i * 2];
                b[1].buffer_type = MYSQL_TYPE_STRING;
                nulls[i] = !r.email;
                b[1].is_null = &nulls[i];
                b[1].buffer = r.email ? r.email->data() : nullptr;
                lengths[i * 2 + 1] = r.email ? static_cast<unsigned long>(r.email->size()) : 0;
                b[1].length = &lengths[i * 2 + 1];
                b[2].buffer_type = MYSQL_TYPE_LONG;
                b[2].buffer = &r.age;
                b[3].buffer_type = MYSQL_TYPE_DOUBLE;
                b[3].buffer = &r.score;
                actives[i] = r.active ? 1 : 0;
                b[4].buffer_type = MYSQL_TYPE_TINY;
                b[4].buffer = &actives[i];
            }
            if (mysql_stmt_bind_param(st->get(), binds.data()) != 0) st->fail("bind");
            if (mysql_stmt_execute(st->get()) != 0) st->fail("INSERT");
            auto first = static_cast<std::int64_t>(mysql_stmt_insert_id(st->get()));
            for (std::size_t i = 0; i < n; ++i) rows[start + i].id = first + static_cast<std::int64_t>(i);
            start += n;
        }
        exec("COMMIT");
    }

    std::vector<BenchRow> select_all() override {
        Stmt st(db_, fmt::format("SELECT `id`, `name`, `email`, `age`, `score`, `active` FROM `{}`", table_));
        if (mysql_stmt_execute(st.get()) != 0) st.fail("SELECT");
        std::int64_t id = 0;
        char name[512], email[1024];
        unsigned long name_len = 0, email_len = 0;
        Flag email_null = 0;
        std::int32_t age = 0;
        double score = 0;
        signed char active = 0;
        MYSQL_BIND b[6] = {};
        b[0].buffer_type = MYSQL_TYPE_LONGLONG;
        b[0].buffer = &id;
        b[1].buffer_type = MYSQL_TYPE_STRING;
        b[1].buffer = name;
        b[1].buffer_length = sizeof name;
        b[1].length = &name_len;
        b[2].buffer_type = MYSQL_TYPE_STRING;
        b[2].buffer = email;
        b[2].buffer_length = sizeof email;
        b[2].length = &email_len;
        b[2].is_null = &email_null;
        b[3].buffer_type = MYSQL_TYPE_LONG;
        b[3].buffer = &age;
        b[4].buffer_type = MYSQL_TYPE_DOUBLE;
        b[4].buffer = &score;
        b[5].buffer_type = MYSQL_TYPE_TINY;
        b[5].buffer = &active;
        if (mysql_stmt_bind_result(st.get(), b) != 0) st.fail("bind result");
        // Buffered on the client, as the strata connection does.
        if (mysql_stmt_store_result(st.get()) != 0) st.fail("store result");
        std::vector<BenchRow> out;
        int rc;
        while ((rc = mysql_stmt_fetch(st.get())) == 0) {
            BenchRow& r = out.emplace_back();
            r.id = id;
            r.name.assign(name, name_len);
            if (!email_null) r.email.emplace(email, email_len);
            r.age = age;
            r.score = score;
            r.active = active != 0;
        }
        if (rc != MYSQL_NO_DATA) st.fail(rc == MYSQL_DATA_TRUNCATED ? "fetch (value longer than the buffer)" : "fetch");
        return out;
    }

    void update_scores(const std::vector<BenchRow>& rows) override {
        exec("START TRANSACTION");
        Stmt st(db_, fmt::format("UPDATE `{}` SET `score` = ? WHERE `id` = ?", table_));
        double score = 0;
        std::int64_t id = 0;
        MYSQL_BIND b[2] = {};
        b[0].buffer_type = MYSQL_TYPE_DOUBLE;
        b[0].buffer = &score;
        b[1].buffer_type = MYSQL_TYPE_LONGLONG;
        b[1].buffer = &id;
        if (mysql_stmt_bind_param(st.get(), b) != 0) st.fail("bind");
        for (const auto& r : rows) {
            score = r.score;
            id = r.id;
            if (mysql_stmt_execute(st.get()) != 0) st.fail("UPDATE");
        }
        exec("COMMIT");
    }

    std::pair<std::int64_t, double> count_and_sum() override {
        exec(fmt::format("SELECT COUNT(*), COALESCE(SUM(`score`), 0) FROM `{}`", table_), true);
        MYSQL_RES* res = mysql_store_result(db_);
        if (!res) throw std::runtime_error(fmt::format("raw libmysqlclient: {}", mysql_error(db_)));
        MYSQL_ROW row = mysql_fetch_row(res);
        std::pair<std::int64_t, double> out{std::stoll(row[0]), std::stod(row[1])};
        mysql_free_result(res);
        return out;
    }

private:
    std::string multi_row_insert(std::size_t n) const {
        std::string sql =
            fmt::format("INSERT INTO `{}` (`name`, `email`, `age`, `score`, `active`) VALUES ", table_);
        for (std::size_t i = 0; i < n; ++i) sql += i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
        return sql;
    }
    void exec(const std::string& sql, bool keep_result = false) {
        if (mysql_real_query(db_, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
            throw std::runtime_error(fmt::format("raw libmysqlclient: {}: {}", mysql_error(db_), sql));
        if (!keep_result)
            if (MYSQL_RES* res = mysql_store_result(db_)) mysql_free_result(res);
    }

    MYSQL* db_;
    bool consecutive_ids_ = true;
};

}  // namespace

std::unique_ptr<RawBaseline> make_mysql_baseline(const Engine& engine, std::string table) {
    return std::make_unique<RawMysql>(engine.url(), std::move(table));
}

}  // namespace strata::bench
