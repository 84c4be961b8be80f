// Why keys first instead of UPDATE ... WHERE <criteria>: the session must know which
// rows changed to keep its objects consistent, criteria on joined models have no
// portable UPDATE spelling, and MySQL refuses a subquery on the table being updated. The
// SELECT and the writes run in the same transaction.
#include "orm/detail/bulk_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "dialects/statement.hpp"
#include "orm/detail/loader.hpp"
#include "orm/detail/persistence.hpp"
#include "orm/detail/query_compiler.hpp"
#include "orm/detail/relationship_sync.hpp"

namespace strata::detail {

std::vector<std::vector<Value>> BulkWriter::matching_keys(const QuerySpec& spec, const char* what) {
    const ModelMapper& m = *spec.model;
    if (!spec.group_by.empty() || spec.having)
        throw Error(ErrorKind::usage, fmt::format("Query::{}(): a grouped query selects groups, not rows of {}; use "
                                                  "filter() (with a subquery for conditions on groups)",
                                                  what, m.describe()));
    QueryCompiler compiler(spec);
    sql::SelectStatement st = compiler.base();
    // Joins may repeat a row: its key is wanted once.
    st.distinct = st.distinct || !spec.joins.empty();
    for (std::size_t k : m.primary_key)
        st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[k].name), {}});
    if (!st.distinct) compiler.add_order(st);
    st.limit = spec.limit;
    st.offset = spec.offset;
    std::vector<std::vector<Value>> keys;
    std::shared_ptr<void> scratch = m.create();
    Loader(s_).run_select(st, [&](std::vector<Value>& row) {
        // The driver's form of a key (an integer for a bool key, text for a date) becomes
        // the member's canonical one, as the identity map stores it.
        for (std::size_t i = 0; i < row.size(); ++i) {
            try {
                m.columns[m.primary_key[i]].accessor->load(scratch.get(), row[i]);
            } catch (const Error& e) {
                rethrow_with_column(e, m, m.primary_key[i]);
            }
        }
        keys.push_back(std::move(row));
    });
    return keys;
}

template <class MakeStatement>
std::int64_t BulkWriter::per_chunk(const ModelMapper& m, const std::vector<std::vector<Value>>& keys,
                                   MakeStatement make) {
    if (keys.empty()) return 0;
    s_.ensure_transaction();
    const std::vector<std::string> key_columns = column_names(m, m.primary_key);
    const std::size_t per = rows_per_statement(s_.connection().capabilities(), key_columns.size() + 1);
    std::int64_t affected = 0;
    std::vector<Value> params;
    for (std::size_t from = 0; from < keys.size(); from += per) {
        params.clear();
        // Unqualified: MySQL's UPDATE accepts table.column, but the key lists need none.
        std::string text = make(key_condition("", key_columns, keys, from, std::min(keys.size(), from + per)), params);
        affected += s_.connection().execute(text, params);
    }
    return affected;
}

ObjectState* BulkWriter::loaded(const ModelMapper& m, const std::vector<Value>& key) {
    ObjectState* st = s_.objects.model(m).identity.find(make_identity_key(key));
    return st && st->status != Status::pending ? st : nullptr;
}

std::int64_t BulkWriter::update(const QuerySpec& spec, const std::vector<Assignment>& set) {
    const ModelMapper& m = *spec.model;
    if (set.empty())
        throw Error(ErrorKind::usage, "Query::update(): give at least one strata::set(&Model::member, value)");
    std::vector<std::size_t> columns;
    for (const Assignment& a : set) {
        int c = m.column_index(a.member);
        if (c < 0)
            throw Error(ErrorKind::usage, fmt::format("Query::update(): a member to set is not a mapped column of {}, "
                                                      "the queried model (joined models are not updated)",
                                                      m.describe()));
        if (std::find(m.primary_key.begin(), m.primary_key.end(), static_cast<std::size_t>(c)) != m.primary_key.end())
            throw Error(ErrorKind::usage, fmt::format("Query::update(): {}.{} is part of the primary key; changing "
                                                      "keys is not supported",
                                                      m.table.name, m.table.columns[static_cast<std::size_t>(c)].name));
        columns.push_back(static_cast<std::size_t>(c));
    }
    std::vector<std::vector<Value>> keys = matching_keys(spec, "update");
    std::int64_t affected = per_chunk(m, keys, [&](sql::Expr where, std::vector<Value>& params) {
        sql::UpdateStatement u;
        u.table = m.table.name;
        for (std::size_t i = 0; i < set.size(); ++i)
            u.set.push_back({m.table.columns[columns[i]].name, sql::Expr::param(set[i].value)});
        u.where = std::move(where);
        return s_.dialect().render(u, params);
    });
    Persistence persistence(s_);
    for (const std::vector<Value>& key : keys) {
        ObjectState* st = loaded(m, key);
        if (!st) continue;
        std::vector<Value> values;
        for (std::size_t i = 0; i < set.size(); ++i) {
            values.push_back(set[i].value);
            try {
                m.columns[columns[i]].accessor->load(st->object.get(), values.back());
            } catch (const Error& e) {
                rethrow_with_column(e, m, columns[i]);
            }
        }
        persistence.record_update(*st, columns, values);
    }
    return affected;
}

std::int64_t BulkWriter::remove(const QuerySpec& spec) {
    const ModelMapper& m = *spec.model;
    std::vector<std::vector<Value>> keys = matching_keys(spec, "delete_all");
    std::int64_t affected = per_chunk(m, keys, [&](sql::Expr where, std::vector<Value>& params) {
        sql::DeleteStatement d;
        d.table = m.table.name;
        d.where = std::move(where);
        return s_.dialect().render(d, params);
    });
    Persistence persistence(s_);
    ModelState& ms = s_.objects.model(m);
    std::unordered_set<const void*> gone;
    for (const std::vector<Value>& key : keys) {
        ObjectState* st = loaded(m, key);
        if (!st) continue;
        if (st->status == Status::deleted) ms.deleted.erase(std::find(ms.deleted.begin(), ms.deleted.end(), st));
        gone.insert(st->object.get());
        persistence.record_deleted(m, *st);
    }
    RelationshipSync(s_).detach_everywhere(gone);
    return affected;
}

}  // namespace strata::detail
