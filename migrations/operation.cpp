#include "migrations/operation.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "migrations/object_operation.hpp"

namespace strata {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i];
    }
    return out;
}

std::string describe_default(const std::optional<ServerDefault>& d) {
    return d ? d->describe() : "none";
}

std::string quoted_comment(const std::string& c) {
    if (c.empty()) return "none";
    std::string out = "'";
    for (char ch : c) {
        if (ch == '\'') out += '\'';
        out += ch;
    }
    return out + "'";
}

// The first line of a SQL text, shortened, for one-line descriptions.
std::string sql_summary(const std::string& sql) {
    std::string line;
    for (char c : sql) {
        if (c == '\n' || c == '\r') {
            if (!line.empty()) break;
            continue;
        }
        line += c;
    }
    if (line.size() > 60) line = line.substr(0, 57) + "...";
    return line;
}

// "mysql.collation 'utf8mb4_bin' -> none", one per key whose value differs.
std::vector<std::string> option_changes(const DialectOptions& from, const DialectOptions& to) {
    auto shown = [](const DialectOptions& o, const std::string& key) {
        auto it = o.values.find(key);
        return it == o.values.end() ? std::string("none") : "'" + it->second + "'";
    };
    std::vector<std::string> changes;
    std::set<std::string> keys;
    for (const auto& [key, value] : from.values) keys.insert(key);
    for (const auto& [key, value] : to.values) keys.insert(key);
    for (const std::string& key : keys)
        if (shown(from, key) != shown(to, key))
            changes.push_back(fmt::format("{} {} -> {}", key, shown(from, key), shown(to, key)));
    return changes;
}

std::string describe_alter(const op::AlterColumn& a) {
    std::vector<std::string> changes;
    if (!(a.from.type == a.to.type))
        changes.push_back(fmt::format("type {} -> {}", a.from.type.describe(), a.to.type.describe()));
    if (a.from.nullable != a.to.nullable)
        changes.push_back(a.to.nullable ? "NOT NULL -> NULL" : "NULL -> NOT NULL");
    if (a.from.server_default != a.to.server_default)
        changes.push_back(fmt::format("default {} -> {}", describe_default(a.from.server_default),
                                      describe_default(a.to.server_default)));
    if (a.from.autoincrement != a.to.autoincrement)
        changes.push_back(a.to.autoincrement ? "autoincrement on" : "autoincrement off");
    if (a.from.comment != a.to.comment)
        changes.push_back(fmt::format("comment {} -> {}", quoted_comment(a.from.comment), quoted_comment(a.to.comment)));
    for (std::string& c : option_changes(a.from.options, a.to.options)) changes.push_back(std::move(c));
    // E.g. a MySQL column that follows its table's new default collation.
    if (changes.empty()) changes.push_back("same definition, rewritten under the table's options");
    return fmt::format("alter column {}.{}: {}", a.table, a.to.name, join(changes));
}

std::string describe_pk(const PrimaryKey& pk) {
    if (pk.columns.empty()) return "none";
    return fmt::format("{} ({})", pk.name, join(pk.columns));
}

// Decimal digits needed to print every value of an integer kind (without sign).
int integer_digits(TypeKind k) {
    switch (k) {
        case TypeKind::tiny_integer: return 3;
        case TypeKind::small_integer: return 5;
        case TypeKind::medium_integer: return 8;
        case TypeKind::integer: return 10;
        case TypeKind::big_integer: return 19;
        default: return 0;
    }
}

// Longest text form of a value of `type` (sign, point and fraction included), or -1
// when it is unbounded. Used to decide whether a conversion to string(n) keeps every
// value.
int max_text_length(const ColumnType& type) {
    switch (type.kind) {
        case TypeKind::tiny_integer:
        case TypeKind::small_integer:
        case TypeKind::medium_integer:
        case TypeKind::integer:
        case TypeKind::big_integer: return integer_digits(type.kind) + (type.is_unsigned ? 0 : 1);
        case TypeKind::boolean: return 5;  // "false"
        case TypeKind::numeric:
            if (!type.precision) return -1;
            return *type.precision + 2;  // sign and decimal point
        case TypeKind::date: return 10;
        case TypeKind::time: return 15;       // hh:mm:ss.ffffff
        case TypeKind::datetime: return 32;   // date, time, offset
        case TypeKind::uuid: return 36;
        case TypeKind::string: return type.length ? *type.length : -1;
        case TypeKind::enum_: {
            int longest = 0;
            for (const auto& v : type.enum_values) longest = std::max(longest, static_cast<int>(v.size()));
            return longest;
        }
        default: return -1;
    }
}

// Whether every value of integer type `from` fits integer type `to` (ranks are 8, 16,
// 24, 32 and 64 bits; unsigned shifts the range up).
bool integer_fits(const ColumnType& from, const ColumnType& to) {
    static constexpr int bits[] = {0, 8, 16, 24, 32, 64};
    auto range = [](const ColumnType& t) {
        const int b = bits[integer_rank(t.kind)];
        const long double span = std::ldexp(1.0L, b);
        return t.is_unsigned ? std::pair{0.0L, span - 1} : std::pair{-span / 2, span / 2 - 1};
    };
    auto [from_min, from_max] = range(from);
    auto [to_min, to_max] = range(to);
    return to_min <= from_min && from_max <= to_max;
}

// A bounded size (string length, text/blob bytes, fractional digits) that shrinks;
// unset means unbounded.
bool shrinks(const std::optional<int>& from, const std::optional<int>& to) {
    if (!to) return false;
    return !from || *to < *from;
}

}  // namespace

bool is_narrowing(const ColumnType& from, const ColumnType& to) noexcept {
    if (from == to) return false;
    if (is_integer_kind(from.kind) && is_integer_kind(to.kind)) return !integer_fits(from, to);
    if (from.kind == to.kind) {
        switch (from.kind) {
            case TypeKind::text:
            case TypeKind::blob:
                return shrinks(from.length, to.length);
            case TypeKind::time:
                return from.precision.value_or(6) > to.precision.value_or(6);
            case TypeKind::string:
                // No length means unbounded.
                if (!to.length) return false;
                if (!from.length) return true;
                return *to.length < *from.length;
            case TypeKind::numeric: {
                if (!to.precision) return false;
                if (!from.precision) return true;
                int from_scale = from.scale.value_or(0);
                int to_scale = to.scale.value_or(0);
                int from_int = *from.precision - from_scale;
                int to_int = *to.precision - to_scale;
                return to_scale < from_scale || to_int < from_int;
            }
            case TypeKind::datetime:
                return (from.timezone && !to.timezone) || from.precision.value_or(6) > to.precision.value_or(6);
            case TypeKind::enum_:
                for (const auto& v : from.enum_values)
                    if (std::find(to.enum_values.begin(), to.enum_values.end(), v) == to.enum_values.end()) return true;
                return false;
            default:
                // Same kind with different native spellings (kind other): unknown, so assume the worst.
                return true;
        }
    }
    // Conversion to unbounded text keeps the text form of every value except bytes; a
    // bounded one (MySQL size classes, in bytes) keeps what fits at 4 bytes a character.
    if (to.kind == TypeKind::text) {
        if (from.kind == TypeKind::blob) return true;
        if (!to.length) return false;
        int needed = max_text_length(from);
        return needed < 0 || static_cast<long long>(needed) * 4 > *to.length;
    }
    if (to.kind == TypeKind::string) {
        if (from.kind == TypeKind::blob || from.kind == TypeKind::json || from.kind == TypeKind::text) return true;
        int needed = max_text_length(from);
        if (needed < 0) return true;
        return !to.length ? false : *to.length < needed;
    }
    if (is_integer_kind(to.kind)) return from.kind != TypeKind::boolean;
    switch (to.kind) {
        case TypeKind::double_:
            // A double holds every 32-bit integer and float exactly, a float every 24-bit one.
            return !((is_integer_kind(from.kind) && from.kind != TypeKind::big_integer) ||
                     from.kind == TypeKind::float_ || from.kind == TypeKind::boolean);
        case TypeKind::float_:
            return !(integer_rank(from.kind) == 1 || integer_rank(from.kind) == 2 ||
                     (from.kind == TypeKind::medium_integer && !from.is_unsigned) || from.kind == TypeKind::boolean);
        case TypeKind::numeric: {
            if (!is_integer_kind(from.kind) && from.kind != TypeKind::boolean) return true;
            if (!to.precision) return false;
            int digits = from.kind == TypeKind::boolean ? 1 : integer_digits(from.kind);
            return *to.precision - to.scale.value_or(0) < digits;
        }
        case TypeKind::datetime:
            // A date becomes midnight of that day.
            return from.kind != TypeKind::date;
        case TypeKind::json:
        case TypeKind::uuid:
        case TypeKind::boolean:
        case TypeKind::date:
        case TypeKind::time:
        case TypeKind::blob:
        case TypeKind::enum_:
        case TypeKind::other:
        default:
            return true;
    }
}

std::string describe(const Operation& operation) {
    return std::visit(
        Overloaded{
            [](const op::CreateTable& o) {
                return fmt::format("create table {} ({} column{})", o.table.name, o.table.columns.size(),
                                   o.table.columns.size() == 1 ? "" : "s");
            },
            [](const op::DropTable& o) { return fmt::format("drop table {}", o.table.name); },
            [](const op::RenameTable& o) { return fmt::format("rename table {} to {}", o.from, o.to); },
            [](const op::AddColumn& o) {
                std::string out = fmt::format("add column {}.{}", o.table, o.column.describe());
                if (o.backfill) out += fmt::format(" (existing rows: '{}')", *o.backfill);
                return out;
            },
            [](const op::DropColumn& o) { return fmt::format("drop column {}.{}", o.table, o.column.name); },
            [](const op::AlterColumn& o) { return describe_alter(o); },
            [](const op::RenameColumn& o) {
                return fmt::format("rename column {}.{} to {}", o.table, o.from, o.to);
            },
            [](const op::CreateIndex& o) {
                std::string keys;
                for (std::size_t i = 0; i < o.index.columns.size(); ++i) keys += (i ? ", " : "") + o.index.describe_key(i);
                std::string out = fmt::format("create {}index {} on {}", o.index.unique ? "unique " : "", o.index.name, o.table);
                if (!is_default_index_method(o.index.method)) out += " using " + o.index.method;
                out += " (" + keys + ")";
                if (!o.index.where.empty()) out += " where " + o.index.where;
                if (o.concurrently) out += " concurrently";
                return out;
            },
            [](const op::DropIndex& o) {
                return fmt::format("drop index {} on {}{}", o.index.name, o.table,
                                   o.concurrently ? " concurrently" : "");
            },
            [](const op::AddUnique& o) {
                return fmt::format("add unique constraint {} on {} ({})", o.unique.name, o.table,
                                   join(o.unique.columns));
            },
            [](const op::DropUnique& o) {
                return fmt::format("drop unique constraint {} on {}", o.unique.name, o.table);
            },
            [](const op::AddForeignKey& o) {
                const ForeignKey& fk = o.foreign_key;
                std::string out = fmt::format("add foreign key {} on {} ({}) -> {} ({})", fk.name, o.table,
                                              join(fk.columns), fk.ref_table, join(fk.ref_columns));
                if (fk.on_delete != FkAction::no_action) out += fmt::format(" ON DELETE {}", to_sql(fk.on_delete));
                if (fk.on_update != FkAction::no_action) out += fmt::format(" ON UPDATE {}", to_sql(fk.on_update));
                if (o.not_valid) out += " not valid";
                return out;
            },
            [](const op::DropForeignKey& o) {
                return fmt::format("drop foreign key {} on {}", o.foreign_key.name, o.table);
            },
            [](const op::AddCheck& o) {
                return fmt::format("add check constraint {} on {} ({}){}", o.check.name, o.table, o.check.expression,
                                   o.not_valid ? " not valid" : "");
            },
            [](const op::DropCheck& o) {
                return fmt::format("drop check constraint {} on {}", o.check.name, o.table);
            },
            [](const op::ValidateConstraint& o) { return fmt::format("validate constraint {} on {}", o.name, o.table); },
            [](const op::ExecuteSql& o) {
                if (!o.sql.empty()) return fmt::format("execute SQL: {}", sql_summary(o.sql));
                std::vector<std::string> names;
                for (const auto& [dialect, text] : o.per_dialect) names.push_back(dialect);
                return fmt::format("execute SQL for {}", join(names));
            },
            [](const op::Call& o) { return fmt::format("call data fix {}", o.function); },
            [](const op::AlterPrimaryKey& o) {
                return fmt::format("alter primary key of {}: {} -> {}", o.table, describe_pk(o.from),
                                   describe_pk(o.to));
            },
            [](const op::AlterTableComment& o) {
                return fmt::format("alter comment of table {}: {} -> {}", o.table, quoted_comment(o.from),
                                   quoted_comment(o.to));
            },
            [](const op::CreateView& o) { return "create " + o.view.describe(); },
            [](const op::DropView& o) { return "drop " + o.view.describe(); },
            [](const op::ReplaceView& o) {
                if (o.from.materialized != o.to.materialized)
                    return fmt::format("replace {} by a {}", o.from.describe(),
                                       o.to.materialized ? "materialized view" : "view");
                return "replace " + o.to.describe();
            },
            [](const op::AlterTableOptions& o) {
                auto changes = option_changes(o.from, o.to);
                return fmt::format("alter options of table {}: {}", o.table,
                                   changes.empty() ? std::string("no change") : join(changes));
            },
            [](const auto& o) { return detail::describe_object_op(o); },  // sequences, domains, enum types
        },
        operation);
}

bool column_definition_known(const Column& column) noexcept {
    return !(column.type.kind == TypeKind::other && column.type.native.empty());
}

std::optional<Operation> reverse(const Operation& operation) {
    // A drop written with the name alone cannot be undone: its reverse would create an
    // object without columns (or a check without an expression), which no database takes.
    return std::visit(
        Overloaded{
            [](const op::CreateTable& o) -> std::optional<Operation> { return op::DropTable{o.table}; },
            [](const op::DropTable& o) -> std::optional<Operation> {
                if (o.table.columns.empty()) return std::nullopt;
                for (const Column& c : o.table.columns)
                    if (!column_definition_known(c)) return std::nullopt;
                return op::CreateTable{o.table};
            },
            [](const op::RenameTable& o) -> std::optional<Operation> { return op::RenameTable{o.to, o.from}; },
            [](const op::AddColumn& o) -> std::optional<Operation> { return op::DropColumn{o.table, o.column}; },
            [](const op::DropColumn& o) -> std::optional<Operation> {
                if (!column_definition_known(o.column)) return std::nullopt;
                return op::AddColumn{o.table, o.column, std::nullopt};
            },
            [](const op::AlterColumn& o) -> std::optional<Operation> {
                return op::AlterColumn{o.table, o.to, o.from};
            },
            [](const op::RenameColumn& o) -> std::optional<Operation> {
                return op::RenameColumn{o.table, o.to, o.from};
            },
            [](const op::CreateIndex& o) -> std::optional<Operation> {
                return op::DropIndex{o.table, o.index, o.concurrently};
            },
            [](const op::DropIndex& o) -> std::optional<Operation> {
                if (o.index.columns.empty()) return std::nullopt;
                return op::CreateIndex{o.table, o.index, o.concurrently};
            },
            [](const op::AddUnique& o) -> std::optional<Operation> { return op::DropUnique{o.table, o.unique}; },
            [](const op::DropUnique& o) -> std::optional<Operation> {
                if (o.unique.columns.empty()) return std::nullopt;
                return op::AddUnique{o.table, o.unique};
            },
            [](const op::AddForeignKey& o) -> std::optional<Operation> {
                return op::DropForeignKey{o.table, o.foreign_key};
            },
            [](const op::DropForeignKey& o) -> std::optional<Operation> {
                if (o.foreign_key.columns.empty()) return std::nullopt;
                return op::AddForeignKey{o.table, o.foreign_key, false};
            },
            [](const op::AddCheck& o) -> std::optional<Operation> { return op::DropCheck{o.table, o.check}; },
            [](const op::DropCheck& o) -> std::optional<Operation> {
                if (o.check.expression.empty()) return std::nullopt;
                return op::AddCheck{o.table, o.check, false};
            },
            // Validating a constraint that is already valid does nothing, so the step is
            // its own reverse: a downgrade passes it, and the add's reverse drops the
            // constraint.
            [](const op::ValidateConstraint& o) -> std::optional<Operation> { return o; },
            [](const op::ExecuteSql& o) -> std::optional<Operation> {
                if (o.reverse_sql.empty() && o.reverse_per_dialect.empty()) return std::nullopt;
                return op::ExecuteSql{o.reverse_sql, o.reverse_per_dialect, o.sql, o.per_dialect};
            },
            [](const op::Call& o) -> std::optional<Operation> {
                if (o.reverse_function.empty()) return std::nullopt;
                return op::Call{o.reverse_function, o.function};
            },
            [](const op::AlterPrimaryKey& o) -> std::optional<Operation> {
                return op::AlterPrimaryKey{o.table, o.to, o.from};
            },
            [](const op::AlterTableComment& o) -> std::optional<Operation> {
                return op::AlterTableComment{o.table, o.to, o.from};
            },
            [](const op::CreateView& o) -> std::optional<Operation> { return op::DropView{o.view}; },
            [](const op::DropView& o) -> std::optional<Operation> {
                if (o.view.definition.empty()) return std::nullopt;
                return op::CreateView{o.view};
            },
            [](const op::ReplaceView& o) -> std::optional<Operation> { return op::ReplaceView{o.to, o.from}; },
            [](const op::AlterTableOptions& o) -> std::optional<Operation> {
                return op::AlterTableOptions{o.table, o.to, o.from};
            },
            [](const auto& o) -> std::optional<Operation> { return detail::reverse_object_op(o); },
        },
        operation);
}

std::vector<Operation> reverse(const std::vector<Operation>& operations) {
    std::vector<Operation> out;
    out.reserve(operations.size());
    for (auto it = operations.rbegin(); it != operations.rend(); ++it) {
        auto r = reverse(*it);
        if (!r)
            throw Error(ErrorKind::refused,
                        fmt::format("cannot reverse '{}': it has no reverse (give the sql step a reverse_sql, the "
                                    "call a reverse_function, or a drop the full definition of what it drops)",
                                    describe(*it)));
        out.push_back(std::move(*r));
    }
    return out;
}

bool is_destructive(const Operation& operation) {
    if (std::holds_alternative<op::DropTable>(operation) || std::holds_alternative<op::DropColumn>(operation))
        return true;
    if (const auto* a = std::get_if<op::AlterColumn>(&operation)) return is_narrowing(a->from.type, a->to.type);
    return detail::object_op_destructive(operation);
}

const char* op_name(const Operation& operation) noexcept {
    return std::visit(Overloaded{
                          [](const op::CreateTable&) { return "create_table"; },
                          [](const op::DropTable&) { return "drop_table"; },
                          [](const op::RenameTable&) { return "rename_table"; },
                          [](const op::AddColumn&) { return "add_column"; },
                          [](const op::DropColumn&) { return "drop_column"; },
                          [](const op::AlterColumn&) { return "alter_column"; },
                          [](const op::RenameColumn&) { return "rename_column"; },
                          [](const op::CreateIndex&) { return "create_index"; },
                          [](const op::DropIndex&) { return "drop_index"; },
                          [](const op::AddUnique&) { return "add_unique"; },
                          [](const op::DropUnique&) { return "drop_unique"; },
                          [](const op::AddForeignKey&) { return "add_foreign_key"; },
                          [](const op::DropForeignKey&) { return "drop_foreign_key"; },
                          [](const op::AddCheck&) { return "add_check"; },
                          [](const op::DropCheck&) { return "drop_check"; },
                          [](const op::ValidateConstraint&) { return "validate_constraint"; },
                          [](const op::ExecuteSql&) { return "sql"; },
                          [](const op::Call&) { return "call"; },
                          [](const op::AlterPrimaryKey&) { return "alter_primary_key"; },
                          [](const op::AlterTableComment&) { return "alter_table_comment"; },
                          [](const op::CreateView&) { return "create_view"; },
                          [](const op::DropView&) { return "drop_view"; },
                          [](const op::ReplaceView&) { return "replace_view"; },
                          [](const op::AlterTableOptions&) { return "alter_table_options"; },
                          [](const auto& o) { return detail::object_op_name(o); },
                      },
                      operation);
}

}  // namespace strata
