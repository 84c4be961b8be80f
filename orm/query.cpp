// Queries: running a QuerySpec compiled by the QueryCompiler; rows become objects through
// the Loader (orm/detail/loader.hpp), eager loads too; bulk writes go to the BulkWriter.
#include "orm/query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "dialects/statement.hpp"
#include "orm/detail/bulk_writer.hpp"
#include "orm/detail/loader.hpp"
#include "orm/detail/query_compiler.hpp"
#include "orm/detail/session_state.hpp"

namespace strata {

namespace detail {

namespace {

// The relationship `key` of model `m`; Error(usage) naming `m` otherwise.
const RelationshipMapping& eager_relationship(const ModelMapper& m, const MemberKey& key) {
    const RelationshipMapping* r = m.relationship(key);
    if (!r)
        throw Error(ErrorKind::usage, fmt::format("Query::eager(): the member is not a declared relationship of {}; "
                                                  "declare it with .relationship(), and give a path in order "
                                                  "(eager(&User::posts, &Post::comments))",
                                                  m.describe()));
    return *r;
}

// The objects `r` holds for `owners` (loaded), each once, in order.
std::vector<void*> related_objects(const RelationshipMapping& r, const std::vector<void*>& owners) {
    std::vector<void*> out;
    std::unordered_set<void*> seen;
    auto take = [&](void* p) {
        if (p && seen.insert(p).second) out.push_back(p);
    };
    for (void* o : owners) {
        if (RelatedBase* rb = r.accessor->related(o)) {
            take(rb->internal().target.get());
            continue;
        }
        CollectionBase* cb = r.accessor->collection(o);
        for (std::size_t k = 0, n = cb->erased_size(); k < n; ++k) take(cb->erased_at(k).get());
    }
    return out;
}

// Loads each eager path for `found`: one query per relationship of a path (paths sharing a
// prefix load it once), never one per object.
void load_eager(Loader& loader, const QuerySpec& spec, const std::vector<ObjectState*>& found) {
    std::vector<void*> roots;
    roots.reserve(found.size());
    for (ObjectState* o : found) roots.push_back(o->object.get());
    for (const std::vector<MemberKey>& path : spec.eager) {
        const ModelMapper* m = spec.model;
        std::vector<void*> owners = roots;
        for (const MemberKey& key : path) {
            const RelationshipMapping& r = eager_relationship(*m, key);
            if (owners.empty()) break;
            loader.load_relationship(r, owners);
            owners = related_objects(r, owners);
            m = r.target;
        }
    }
}

}  // namespace

// ---- queries --------------------------------------------------------------------------------

std::vector<std::shared_ptr<void>> SessionCore::fetch(const QuerySpec& spec) {
    std::vector<std::shared_ptr<void>> out;
    fetch_each(spec, &out, [](void* ctx, const std::shared_ptr<void>& p) {
        static_cast<std::vector<std::shared_ptr<void>>*>(ctx)->push_back(p);
    });
    return out;
}

void SessionCore::fetch_each(const QuerySpec& spec, void* context,
                             void (*sink)(void* context, const std::shared_ptr<void>&)) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    autoflush();
    const ModelMapper& m = *spec.model;
    QueryCompiler compiler(spec);
    sql::SelectStatement st = compiler.base();
    Loader loader(s);
    sql::SelectStatement cols = loader.select_of(m);
    st.columns = std::move(cols.columns);
    compiler.add_order(st);
    st.limit = spec.limit;
    st.offset = spec.offset;
    std::vector<Value> params;
    std::string text = s.dialect().render(st, params);
    ModelState& ms = s.objects.model(m);
    // Each object goes to the sink as soon as its row is hydrated, while it is still in
    // the cache (a second pass over a large result would fetch every object again).
    // With joins an object may come on several rows: only its first counts.
    std::unordered_set<ObjectState*> seen;
    std::vector<ObjectState*> found;  // for eager loading
    const bool joined = !spec.joins.empty(), eager = !spec.eager.empty();
    s.connection().query(text, params, [&](const RowView& row) {
        ObjectState* o = loader.hydrate(m, ms, row, 0);
        if (joined && !seen.insert(o).second) return;
        if (eager) found.push_back(o);
        sink(context, o->object);
    });
    if (eager) load_eager(loader, spec, found);
}

std::int64_t SessionCore::count(const QuerySpec& spec) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    autoflush();
    const ModelMapper& m = *spec.model;
    QueryCompiler compiler(spec);
    sql::SelectStatement st = compiler.base();
    sql::SelectStatement outer;
    if (spec.joins.empty() && !spec.limit && !spec.offset) {
        st.columns.push_back({sql::Expr::call("COUNT", {sql::Expr::star()}), {}});
        outer = std::move(st);
    } else {
        // Objects, not join rows, are counted: the distinct keys of the main model.
        st.distinct = !spec.joins.empty();
        for (std::size_t k : m.primary_key) st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[k].name), {}});
        compiler.add_order(st);
        if (st.distinct) st.order_by.clear();
        st.limit = spec.limit;
        st.offset = spec.offset;
        outer.columns.push_back({sql::Expr::call("COUNT", {sql::Expr::star()}), {}});
        outer.from.alias = "strata_count";
        outer.subquery = std::make_shared<sql::SelectStatement>(std::move(st));
    }
    std::int64_t n = 0;
    Loader(s).run_select(outer, [&](std::vector<Value>& row) { n = value_to_int64(row.at(0), "COUNT"); });
    return n;
}

bool SessionCore::exists(const QuerySpec& spec) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    autoflush();
    const ModelMapper& m = *spec.model;
    sql::SelectStatement st = QueryCompiler(spec).base();
    st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[m.primary_key.empty() ? 0 : m.primary_key[0]].name), {}});
    st.limit = 1;
    st.offset = spec.offset;
    bool any = false;
    Loader(s).run_select(st, [&](std::vector<Value>&) { any = true; });
    return any;
}

std::vector<std::vector<Value>> SessionCore::select_rows(const QuerySpec& spec, const std::vector<Expression>& columns) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    if (columns.empty()) throw Error(ErrorKind::usage, "Query::rows(): give at least one column or expression");
    autoflush();
    std::vector<std::vector<Value>> out;
    Loader(s).run_select(QueryCompiler(spec).rows(columns),
                         [&](std::vector<Value>& row) { out.push_back(std::move(row)); });
    return out;
}

std::int64_t SessionCore::bulk_update(const QuerySpec& spec, const std::vector<Assignment>& set) {
    state_->check_open();
    SessionUse use(*state_);
    autoflush();
    return BulkWriter(*state_).update(spec, set);
}

std::int64_t SessionCore::bulk_delete(const QuerySpec& spec) {
    state_->check_open();
    SessionUse use(*state_);
    autoflush();
    return BulkWriter(*state_).remove(spec);
}

}  // namespace detail

}  // namespace strata
