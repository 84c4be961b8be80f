#include "migrations/lint/read_only.hpp"

#include <fmt/format.h>

#include <charconv>

namespace strata::lint {

namespace {

constexpr const char* kSavepoint = "strata_preflight";

}  // namespace

ReadOnly::ReadOnly(Connection& conn, const ServerVersion& version, std::chrono::milliseconds timeout)
    : conn_(conn), version_(version), timeout_(timeout), nested_(conn.in_transaction()) {
    if (nested_) {
        conn_.savepoint(kSavepoint);
        return;
    }
    const std::vector<std::string> begin = conn_.dialect().read_only_begin(timeout_);
    for (std::size_t i = 0; i < begin.size(); ++i) {
        try {
            conn_.execute_unprepared(begin[i]);
        } catch (...) {
            if (i > 0) end();
            throw;
        }
    }
}

ReadOnly::~ReadOnly() { end(); }

ResultSet ReadOnly::select(const std::string& sql) {
    conn_.interrupt_after(timeout_);
    try {
        ResultSet out = conn_.query(conn_.dialect().time_limited(sql, timeout_, version_));
        conn_.interrupt_after(std::chrono::milliseconds(0));
        return out;
    } catch (...) {
        conn_.interrupt_after(std::chrono::milliseconds(0));
        throw;
    }
}

// A rollback that fails leaves nothing written: only reads ran.
void ReadOnly::end() noexcept {
    try {
        if (nested_) {
            conn_.rollback_to_savepoint(kSavepoint);
            conn_.release_savepoint(kSavepoint);
        } else {
            conn_.execute_unprepared("ROLLBACK");
        }
    } catch (...) {
    }
}

namespace {

// "7", "(1, 'a')"; duplicates add how many rows hold the values: "'x' x3".
std::string sample_text(const std::vector<Value>& row, bool duplicates) {
    const std::size_t shown = duplicates && !row.empty() ? row.size() - 1 : row.size();
    std::string values;
    for (std::size_t i = 0; i < shown; ++i) values += (i ? ", " : "") + to_display(row[i]);
    if (shown > 1) values = "(" + values + ")";
    if (duplicates && !row.empty()) values += fmt::format(" x{}", to_display(row.back()));
    return values;
}

}  // namespace

std::optional<long long> as_number(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<long long>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        long long n = 0;
        if (std::from_chars(s->data(), s->data() + s->size(), n).ec == std::errc()) return n;
    }
    return std::nullopt;
}

Answer ask(Connection& conn, const ServerVersion& version, const PreflightOptions& options, const RowCheck& question) {
    ReadOnly reading(conn, version, options.timeout);
    const RowCheckSql sql = conn.dialect().render_row_check(question, options.samples);
    const ResultSet counted = reading.select(sql.count);
    Answer answer;
    if (!counted.empty() && !counted.rows[0].empty()) answer.count = as_number(counted.rows[0][0]).value_or(0);
    if (answer.count == 0) return answer;
    const bool duplicates = question.kind == RowCheck::Kind::duplicates;
    for (const auto& row : reading.select(sql.samples).rows) answer.samples.push_back(sample_text(row, duplicates));
    return answer;
}

}  // namespace strata::lint
