#include "migrations/lint/check_question.hpp"

#include <fmt/format.h>

namespace strata::lint {

namespace {

bool numeric_kind(TypeKind kind) {
    return is_integer_kind(kind) || kind == TypeKind::numeric || kind == TypeKind::float_ ||
           kind == TypeKind::double_;
}

// The inclusive bounds of an integer type as the database stores it (PostgreSQL keeps a
// tiny integer as SMALLINT: the rendered type read back says which).
std::pair<std::string, std::string> integer_bounds(const ColumnType& stored) {
    const bool u = stored.is_unsigned;
    switch (integer_rank(stored.kind)) {
        case 1: return u ? std::pair{"0", "255"} : std::pair{"-128", "127"};
        case 2: return u ? std::pair{"0", "65535"} : std::pair{"-32768", "32767"};
        case 3: return u ? std::pair{"0", "16777215"} : std::pair{"-8388608", "8388607"};
        case 4: return u ? std::pair{"0", "4294967295"} : std::pair{"-2147483648", "2147483647"};
        default: return u ? std::pair{"0", "18446744073709551615"}
                          : std::pair{"-9223372036854775808", "9223372036854775807"};
    }
}

// NUMERIC(p, s) holds magnitudes up to p - s nines, then s nines after the point.
std::pair<std::string, std::string> numeric_bounds(int precision, int scale) {
    std::string high = precision > scale ? std::string(static_cast<std::size_t>(precision - scale), '9') : "0";
    if (scale > 0) high += "." + std::string(static_cast<std::size_t>(scale), '9');
    return {"-" + high, high};
}

CheckQuestion values_fit(RowCheck base, const Step& step, const Table& live, const Dialect& dialect) {
    const auto* alter = std::get_if<op::AlterColumn>(&step.operation);
    const Column* column = live.find_column(base.columns.at(0));
    if (!alter || !column) return {std::nullopt, "the step is not a column type change strata can read"};
    const ColumnType& from = column->type;
    const ColumnType& to = alter->to.type;
    if (to.kind == TypeKind::string && to.length && (from.kind == TypeKind::string || from.kind == TypeKind::text)) {
        base.kind = RowCheck::Kind::longer_than;
        base.max_length = *to.length;
        return {base, {}};
    }
    if (to.kind == TypeKind::enum_ && !to.enum_values.empty()) {
        std::string labels;
        for (const std::string& v : to.enum_values) labels += (labels.empty() ? "" : ", ") + dialect.literal(Value(v));
        base.kind = RowCheck::Kind::violations;
        base.expression = fmt::format("{} IN ({})", dialect.quote(base.columns[0]), labels);
        return {base, {}};
    }
    if (numeric_kind(from.kind) && is_integer_kind(to.kind)) {
        ColumnType stored = dialect.parse_type(dialect.render_type(to));
        if (!is_integer_kind(stored.kind)) stored = to;
        stored.is_unsigned = stored.is_unsigned || to.is_unsigned;
        std::tie(base.low, base.high) = integer_bounds(stored);
        base.kind = RowCheck::Kind::out_of_range;
        return {base, {}};
    }
    if (numeric_kind(from.kind) && to.kind == TypeKind::numeric && to.precision) {
        std::tie(base.low, base.high) = numeric_bounds(*to.precision, to.scale.value_or(0));
        base.kind = RowCheck::Kind::out_of_range;
        return {base, {}};
    }
    return {std::nullopt, fmt::format("strata cannot test in SQL which {} values fit {}", from.describe(),
                                      to.describe())};
}

}  // namespace

CheckQuestion check_question(const DataCheck& check, const Step& step, const Table& live, const Dialect& dialect) {
    RowCheck q;
    q.table = check.table;
    q.columns = check.columns;
    q.ref_table = check.ref_table;
    q.ref_columns = check.ref_columns;
    q.key = live.primary_key.columns;
    switch (check.kind) {
        case DataCheck::Kind::nulls: q.kind = RowCheck::Kind::nulls; break;
        case DataCheck::Kind::duplicates: q.kind = RowCheck::Kind::duplicates; break;
        case DataCheck::Kind::orphans: q.kind = RowCheck::Kind::orphans; break;
        case DataCheck::Kind::rows_present: q.kind = RowCheck::Kind::rows_present; break;
        case DataCheck::Kind::violations:
            q.kind = RowCheck::Kind::violations;
            q.expression = check.expression;
            break;
        case DataCheck::Kind::values_fit:
            if (check.columns.empty()) return {std::nullopt, "the check names no column"};
            return values_fit(q, step, live, dialect);
    }
    return {q, {}};
}

}  // namespace strata::lint
