#include "migrations/schema_edit.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"
#include "migrations/object_edit.hpp"

namespace strata {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

[[noreturn]] void misfit(const Operation& operation, const std::string& why) {
    throw Error(ErrorKind::input, fmt::format("cannot apply '{}': {}; the operation does not match the schema it is "
                                              "applied to (was the database changed outside the migrations?)",
                                              describe(operation), why));
}

Table& table_of(Metadata& schema, const std::string& name, const Operation& operation) {
    Table* t = schema.find(name);
    if (!t) misfit(operation, fmt::format("there is no table {}", name));
    return *t;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

void rename_in(std::vector<std::string>& names, const std::string& from, const std::string& to) {
    for (auto& n : names)
        if (n == from) n = to;
}

template <class T>
typename std::vector<T>::iterator find_named(std::vector<T>& v, const std::string& name) {
    return std::find_if(v.begin(), v.end(), [&](const T& x) { return x.name == name; });
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// What goes with a dropped column: the primary key it is part of, and the indexes
// (also those whose expression keys or predicate mention it, as PostgreSQL drops
// them), unique constraints, foreign keys and checks that involve it.
void drop_dependents(Table& t, const std::string& name) {
    if (contains(t.primary_key.columns, name)) t.primary_key = {};
    auto mentioned = [&](const std::string& sql) { return mentions_identifier(sql, name); };
    std::erase_if(t.indexes, [&](const Index& i) {
        return contains(i.columns, name) || mentioned(i.where) || std::any_of(i.columns.begin(), i.columns.end(), mentioned);
    });
    std::erase_if(t.uniques, [&](const UniqueConstraint& u) { return contains(u.columns, name); });
    std::erase_if(t.foreign_keys, [&](const ForeignKey& f) { return contains(f.columns, name); });
    std::erase_if(t.checks, [&](const CheckConstraint& c) { return mentioned(c.expression); });
}

// A renamed column within its table (already renamed in t.columns): keys, index
// expressions and predicates, constraints, checks.
void rename_within(Table& t, const std::string& from, const std::string& to) {
    rename_in(t.primary_key.columns, from, to);
    for (Index& i : t.indexes) {
        rename_in(i.columns, from, to);
        for (std::string& key : i.columns)
            if (!t.find_column(key)) key = rename_identifier(key, from, to);
        i.where = rename_identifier(i.where, from, to);
    }
    for (UniqueConstraint& u : t.uniques) rename_in(u.columns, from, to);
    for (ForeignKey& f : t.foreign_keys) rename_in(f.columns, from, to);
    for (CheckConstraint& ck : t.checks) ck.expression = rename_identifier(ck.expression, from, to);
}

// A renamed column of `table` in the foreign keys of every table that reference it.
void rename_references(Metadata& schema, const std::string& table, const std::string& from, const std::string& to) {
    for (const Table& other : schema.tables()) {
        Table* mutable_other = schema.find(other.name);
        for (ForeignKey& f : mutable_other->foreign_keys)
            if (f.ref_table == table) rename_in(f.ref_columns, from, to);
    }
}

void drop_index(Table& t, const op::DropIndex& o, const Operation& operation) {
    auto it = find_named(t.indexes, o.index.name);
    if (it != t.indexes.end()) {
        t.indexes.erase(it);
        return;
    }
    // Some databases keep a unique index as a unique constraint (MySQL reflects every
    // unique index that way); both are dropped the same way there. A drop given by name
    // alone (no columns) may be of a unique index too.
    bool may_be_unique = o.index.unique || o.index.columns.empty();
    auto uq = may_be_unique ? find_named(t.uniques, o.index.name) : t.uniques.end();
    if (uq == t.uniques.end()) misfit(operation, fmt::format("table {} has no index {}", o.table, o.index.name));
    t.uniques.erase(uq);
}

// create_view, drop_view and replace_view.
void apply_view(Metadata& schema, const Operation& operation) {
    if (const auto* o = std::get_if<op::CreateView>(&operation)) {
        if (schema.find_view(o->view.name) || schema.find(o->view.name))
            misfit(operation, fmt::format("a view or table {} already exists", o->view.name));
        schema.add_view(o->view);
    } else if (const auto* o = std::get_if<op::DropView>(&operation)) {
        if (!schema.remove_view(o->view.name)) misfit(operation, fmt::format("there is no view {}", o->view.name));
    } else if (const auto* o = std::get_if<op::ReplaceView>(&operation)) {
        View* v = schema.find_view(o->from.name);
        if (!v) misfit(operation, fmt::format("there is no view {}", o->from.name));
        if (o->to.name != o->from.name)
            misfit(operation, fmt::format("replace_view keeps the name: {} is not {}", o->to.name, o->from.name));
        *v = o->to;
    }
}

void apply_one(Metadata& schema, const Operation& operation) {
    std::visit(
        Overloaded{
            [&](const op::CreateTable& o) {
                if (schema.find(o.table.name)) misfit(operation, fmt::format("table {} already exists", o.table.name));
                schema.add(o.table);
            },
            [&](const op::DropTable& o) {
                if (!schema.remove(o.table.name)) misfit(operation, fmt::format("there is no table {}", o.table.name));
                detail::drop_owned_sequences(schema, o.table.name, "");
            },
            [&](const op::RenameTable& o) {
                Table& t = table_of(schema, o.from, operation);
                if (schema.find(o.to)) misfit(operation, fmt::format("table {} already exists", o.to));
                t.name = o.to;
                detail::rename_sequence_owner(schema, o.from, "", o.to, "");
                for (const Table& other : schema.tables()) {
                    Table* mutable_other = schema.find(other.name);
                    for (ForeignKey& fk : mutable_other->foreign_keys)
                        if (fk.ref_table == o.from) fk.ref_table = o.to;
                }
            },
            [&](const op::AddColumn& o) {
                Table& t = table_of(schema, o.table, operation);
                if (t.find_column(o.column.name))
                    misfit(operation, fmt::format("column {}.{} already exists", o.table, o.column.name));
                Column c = o.column;
                c.renamed_from.clear();
                t.columns.push_back(std::move(c));
            },
            [&](const op::DropColumn& o) {
                Table& t = table_of(schema, o.table, operation);
                const std::string& name = o.column.name;
                auto it = std::find_if(t.columns.begin(), t.columns.end(),
                                       [&](const Column& c) { return c.name == name; });
                if (it == t.columns.end()) misfit(operation, fmt::format("there is no column {}.{}", o.table, name));
                t.columns.erase(it);
                detail::drop_owned_sequences(schema, o.table, name);
                drop_dependents(t, name);
            },
            [&](const op::AlterColumn& o) {
                Table& t = table_of(schema, o.table, operation);
                if (o.from.name != o.to.name)
                    misfit(operation, fmt::format("from and to name different columns ({} and {}); use rename_column",
                                                  o.from.name, o.to.name));
                Column* c = t.find_column(o.from.name);
                if (!c) misfit(operation, fmt::format("there is no column {}.{}", o.table, o.from.name));
                *c = o.to;
                c->renamed_from.clear();
            },
            [&](const op::RenameColumn& o) {
                Table& t = table_of(schema, o.table, operation);
                Column* c = t.find_column(o.from);
                if (!c) misfit(operation, fmt::format("there is no column {}.{}", o.table, o.from));
                if (t.find_column(o.to)) misfit(operation, fmt::format("column {}.{} already exists", o.table, o.to));
                c->name = o.to;
                detail::rename_sequence_owner(schema, o.table, o.from, o.table, o.to);
                rename_within(t, o.from, o.to);
                rename_references(schema, o.table, o.from, o.to);
            },
            [&](const op::CreateIndex& o) {
                Table& t = table_of(schema, o.table, operation);
                if (find_named(t.indexes, o.index.name) != t.indexes.end())
                    misfit(operation, fmt::format("index {} already exists on {}", o.index.name, o.table));
                t.indexes.push_back(o.index);
            },
            [&](const op::DropIndex& o) { drop_index(table_of(schema, o.table, operation), o, operation); },
            [&](const op::AddUnique& o) {
                Table& t = table_of(schema, o.table, operation);
                if (find_named(t.uniques, o.unique.name) != t.uniques.end())
                    misfit(operation, fmt::format("unique constraint {} already exists on {}", o.unique.name, o.table));
                t.uniques.push_back(o.unique);
            },
            [&](const op::DropUnique& o) {
                Table& t = table_of(schema, o.table, operation);
                auto it = find_named(t.uniques, o.unique.name);
                if (it != t.uniques.end()) {
                    t.uniques.erase(it);
                    return;
                }
                auto ix = find_named(t.indexes, o.unique.name);
                if (ix == t.indexes.end() || !ix->unique)
                    misfit(operation, fmt::format("table {} has no unique constraint {}", o.table, o.unique.name));
                t.indexes.erase(ix);
            },
            [&](const op::AddForeignKey& o) {
                Table& t = table_of(schema, o.table, operation);
                if (!o.foreign_key.name.empty() && find_named(t.foreign_keys, o.foreign_key.name) != t.foreign_keys.end())
                    misfit(operation, fmt::format("foreign key {} already exists on {}", o.foreign_key.name, o.table));
                t.foreign_keys.push_back(o.foreign_key);
            },
            [&](const op::DropForeignKey& o) {
                Table& t = table_of(schema, o.table, operation);
                auto it = find_named(t.foreign_keys, o.foreign_key.name);
                if (it == t.foreign_keys.end())
                    misfit(operation, fmt::format("table {} has no foreign key {}", o.table, o.foreign_key.name));
                t.foreign_keys.erase(it);
            },
            [&](const op::AddCheck& o) {
                Table& t = table_of(schema, o.table, operation);
                if (find_named(t.checks, o.check.name) != t.checks.end())
                    misfit(operation, fmt::format("check constraint {} already exists on {}", o.check.name, o.table));
                t.checks.push_back(o.check);
            },
            [&](const op::DropCheck& o) {
                Table& t = table_of(schema, o.table, operation);
                auto it = find_named(t.checks, o.check.name);
                if (it == t.checks.end())
                    misfit(operation, fmt::format("table {} has no check constraint {}", o.table, o.check.name));
                t.checks.erase(it);
            },
            // Validity is not modelled: the schema only has to hold the constraint.
            [&](const op::ValidateConstraint& o) {
                Table& t = table_of(schema, o.table, operation);
                if (find_named(t.foreign_keys, o.name) == t.foreign_keys.end() &&
                    find_named(t.checks, o.name) == t.checks.end())
                    misfit(operation, fmt::format("table {} has no foreign key or check constraint {}", o.table, o.name));
            },
            [&](const op::ExecuteSql&) {},
            [&](const op::Call&) {},
            [&](const op::AlterPrimaryKey& o) {
                Table& t = table_of(schema, o.table, operation);
                for (const auto& c : o.to.columns)
                    if (!t.find_column(c))
                        misfit(operation, fmt::format("primary key column {}.{} does not exist", o.table, c));
                t.primary_key = o.to;
            },
            [&](const op::AlterTableComment& o) { table_of(schema, o.table, operation).comment = o.to; },
            [&](const op::CreateView&) { apply_view(schema, operation); },
            [&](const op::DropView&) { apply_view(schema, operation); },
            [&](const op::ReplaceView&) { apply_view(schema, operation); },
            [&](const op::AlterTableOptions& o) { table_of(schema, o.table, operation).options = o.to; },
            [&](const auto& o) { detail::apply_object_op(schema, o, operation, misfit); },  // sequences, domains, ...
        },
        operation);
}

}  // namespace

std::string rename_identifier(const std::string& expression, const std::string& from, const std::string& to) {
    std::string out;
    out.reserve(expression.size());
    std::size_t i = 0;
    const std::size_t n = expression.size();
    while (i < n) {
        char c = expression[i];
        if (c == '\'') {
            // A string literal: copied verbatim, '' being an escaped quote.
            std::size_t j = i + 1;
            while (j < n) {
                if (expression[j] == '\'') {
                    if (j + 1 < n && expression[j + 1] == '\'') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            std::size_t end = std::min(n, j + 1);
            out.append(expression, i, end - i);
            i = end;
        } else if (c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : c;
            std::string name;
            std::size_t j = i + 1;
            while (j < n) {
                if (expression[j] == close) {
                    if (close != ']' && j + 1 < n && expression[j + 1] == close) {
                        name += close;
                        j += 2;
                        continue;
                    }
                    break;
                }
                name += expression[j++];
            }
            std::size_t end = std::min(n, j + 1);
            if (name == from) {
                out += c;
                for (char ch : to) {
                    if (ch == close && close != ']') out += close;
                    out += ch;
                }
                out += close;
            } else {
                out.append(expression, i, end - i);
            }
            i = end;
        } else if (is_word_char(c)) {
            std::size_t j = i;
            while (j < n && is_word_char(expression[j])) ++j;
            std::string word = expression.substr(i, j - i);
            out += word == from ? to : word;
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

bool mentions_identifier(const std::string& sql, const std::string& name) {
    return rename_identifier(sql, name, name + "\x01") != sql;
}

std::vector<const View*> sorted_views(const std::vector<View>& views) {
    std::vector<std::string> names;
    std::vector<std::vector<std::size_t>> reads(views.size());
    for (const View& v : views) names.push_back(v.name);
    for (std::size_t i = 0; i < views.size(); ++i)
        for (std::size_t j = 0; j < views.size(); ++j)
            if (i != j && mentions_identifier(views[i].definition, views[j].name)) reads[i].push_back(j);
    std::vector<const View*> out;
    for (std::size_t i : dependency_order(names, reads)) out.push_back(&views[i]);
    return out;
}

void apply(Metadata& schema, const Operation& operation) {
    // Each case checks everything before it changes anything, so a misfit leaves the
    // schema as it was without the cost of a copy.
    apply_one(schema, operation);
}

void apply(Metadata& schema, const std::vector<Operation>& operations) {
    for (const Operation& o : operations) strata::apply(schema, o);
}

}  // namespace strata
