#include "orm/registry.hpp"

#include "orm/detail/relationship_members.hpp"

#include <cxxabi.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "core/error.hpp"
#include "orm/create_all.hpp"
#include "orm/model.hpp"

namespace strata {

// ---- options defined out of line ----------------------------------------------------------

DefaultOption default_value(std::string value) { return {ServerDefault::literal(std::move(value))}; }
DefaultOption default_value(const char* value) { return {ServerDefault::literal(value)}; }
DefaultOption default_value(bool value) { return {ServerDefault::literal(value ? "true" : "false")}; }
DefaultOption default_value(double value) { return {ServerDefault::literal(fmt::format("{}", value))}; }
DefaultOption default_expression(std::string sql) { return {ServerDefault::expression(std::move(sql))}; }
DefaultOption::~DefaultOption() = default;

TypeOption type(ColumnType t) { return {std::move(t)}; }
TypeOption::~TypeOption() = default;

ForeignKeyOption foreign_key(std::string target) {
    ForeignKeyOption o;
    o.decl.target = std::move(target);
    return o;
}
ForeignKeyOption::~ForeignKeyOption() = default;
ForeignKeyOption ForeignKeyOption::on_delete(FkAction action) const {
    ForeignKeyOption o = *this;
    o.decl.on_delete = action;
    return o;
}
ForeignKeyOption ForeignKeyOption::on_update(FkAction action) const {
    ForeignKeyOption o = *this;
    o.decl.on_update = action;
    return o;
}
ForeignKeyOption ForeignKeyOption::name(std::string n) const {
    ForeignKeyOption o = *this;
    o.decl.name = std::move(n);
    return o;
}

CheckOption check(std::string_view expression, std::string_view name) {
    return {std::string(expression), std::string(name)};
}
CheckOption::~CheckOption() = default;
CommentOption comment(std::string_view text) { return {std::string(text)}; }
CommentOption::~CommentOption() = default;
RenamedFromOption renamed_from(std::string_view old_name) { return {std::string(old_name)}; }
RenamedFromOption::~RenamedFromOption() = default;
DialectOption option(std::string_view key, std::string_view value) { return {std::string(key), std::string(value)}; }
DialectOption::~DialectOption() = default;
SecondaryOption secondary(std::string_view table, std::string_view owner_column, std::string_view target_column) {
    return {std::string(table), std::string(owner_column), std::string(target_column)};
}
SecondaryOption::~SecondaryOption() = default;

namespace detail {

// std::to_string spells every integer type as the widest type of its signedness does.
DefaultOption default_integer(long long value) { return {ServerDefault::literal(std::to_string(value))}; }
DefaultOption default_integer(unsigned long long value) { return {ServerDefault::literal(std::to_string(value))}; }

ForeignKeyOption foreign_key_to(MemberKey member) {
    ForeignKeyOption o;
    o.decl.member = member;
    return o;
}

ModelSample::ModelSample(std::shared_ptr<void> object) noexcept : object_(std::move(object)) {}
ModelSample::ModelSample(const ModelSample& other) noexcept = default;
ModelSample& ModelSample::operator=(const ModelSample& other) noexcept = default;
ModelSample::~ModelSample() = default;

int ModelMapper::column_index(const MemberKey& member) const noexcept {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].member == member) return static_cast<int>(i);
    return -1;
}

int ModelMapper::column_index(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        if (table.columns[i].name == name) return static_cast<int>(i);
    return -1;
}

const RelationshipMapping* ModelMapper::relationship(const MemberKey& member) const noexcept {
    for (const auto& r : relationships)
        if (r->member == member) return r.get();
    return nullptr;
}

std::string ModelMapper::describe() const { return fmt::format("model {} (table {})", type_name, table.name); }

std::string RelationshipMapping::describe() const {
    return fmt::format("relationship {}.{}", owner ? owner->type_name : std::string("?"), name);
}

}  // namespace detail

namespace {

std::string demangle(const char* name) {
    int status = 0;
    char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    if (status != 0 || !out) return name;
    std::string result(out);
    std::free(out);
    return result;
}

[[noreturn]] void bad_model(const detail::ModelMapper& m, const std::string& what) {
    throw Error(ErrorKind::input, fmt::format("{}: {}", m.describe(), what));
}

[[noreturn]] void bad_column(const detail::ModelMapper& m, const std::string& column, const std::string& what) {
    throw Error(ErrorKind::input, fmt::format("{}, column \"{}\": {}", m.describe(), column, what));
}

[[noreturn]] void bad_relationship(const detail::RelationshipMapping& r, const std::string& what) {
    throw Error(ErrorKind::input, fmt::format("{} (table {}): {}", r.describe(), r.owner->table.name, what));
}

std::vector<std::size_t> column_indexes(const detail::ModelMapper& m, const std::vector<std::string>& names) {
    std::vector<std::size_t> out;
    for (const auto& n : names) {
        int i = m.column_index(n);
        if (i < 0) bad_model(m, fmt::format("column \"{}\" is referenced but not mapped", n));
        out.push_back(static_cast<std::size_t>(i));
    }
    return out;
}

}  // namespace

struct Registry::State {
    std::vector<std::unique_ptr<detail::ModelMapper>> models;
    std::unordered_map<const void*, detail::ModelMapper*> by_tag;
    std::vector<Table> extra_tables;
    Metadata objects;  // sequences, domains and enum types only
    std::vector<View> views;
    Metadata metadata;
    bool finalized = false;
    std::uint64_t version = 0;

    bool table_declared(const std::string& name) const {
        for (const auto& m : models)
            if (m->table.name == name) return true;
        for (const auto& t : extra_tables)
            if (t.name == name) return true;
        return false;
    }
    void changed() {
        finalized = false;
        ++version;
    }
};

Registry::Registry() : state_(std::make_unique<State>()) {}
Registry::~Registry() = default;

Registry& models() {
    static Registry registry;
    return registry;
}

std::uint64_t Registry::version() const noexcept { return state_->version; }
std::size_t Registry::model_count() const noexcept { return state_->models.size(); }
const detail::ModelMapper& Registry::model_at(std::size_t index) const { return *state_->models.at(index); }

const detail::ModelMapper* Registry::find_model(const void* tag) const noexcept {
    auto it = state_->by_tag.find(tag);
    return it == state_->by_tag.end() ? nullptr : it->second;
}

const detail::ModelMapper& Registry::mapper(const void* tag, const char* type_name) {
    finalize();
    const detail::ModelMapper* m = find_model(tag);
    if (!m) {
        std::string name = demangle(type_name);
        throw Error(ErrorKind::usage, fmt::format("type {} is not a declared model of this registry; declare it "
                                                  "with strata::table<{}>(\"table_name\").column(...)",
                                                  name, name));
    }
    return *m;
}

detail::ModelMapper& Registry::declare_model(const void* tag, const char* type_name, std::string_view table_name,
                                             std::shared_ptr<void> (*create)()) {
    std::string table(table_name);
    std::string cpp_name = demangle(type_name);
    if (table.empty())
        throw Error(ErrorKind::input, fmt::format("model {}: the table name is empty; give table<{}>() a name",
                                                  cpp_name, cpp_name));
    if (auto it = state_->by_tag.find(tag); it != state_->by_tag.end())
        throw Error(ErrorKind::input,
                    fmt::format("model {} is declared twice (tables \"{}\" and \"{}\"); declare each model once",
                                cpp_name, it->second->table.name, table));
    if (state_->table_declared(table))
        throw Error(ErrorKind::input, fmt::format("model {}: table \"{}\" is already declared by another model or "
                                                  "table; choose another table name",
                                                  cpp_name, table));
    auto m = std::make_unique<detail::ModelMapper>();
    m->tag = tag;
    m->type_name = std::move(cpp_name);
    m->index = state_->models.size();
    m->table.name = std::move(table);
    m->create = create;
    detail::ModelMapper& ref = *m;
    state_->by_tag.emplace(tag, m.get());
    state_->models.push_back(std::move(m));
    state_->changed();
    return ref;
}

void Registry::declare_column(detail::ModelMapper& m, std::string_view name, detail::MemberKey member,
                              detail::ColumnAccessor accessor, std::initializer_list<detail::ColumnOptionRef> options) {
    detail::ColumnDecl decl;
    decl.column.name = std::string(name);
    decl.column.type = accessor.default_type();
    decl.column.nullable = accessor.nullable();
    for (const detail::ColumnOptionRef& o : options) o.apply(decl);
    Column& c = decl.column;
    if (c.name.empty()) bad_model(m, "a column has an empty name; give every column a name");
    if (m.column_index(c.name) >= 0) bad_column(m, c.name, "declared twice; each column name may appear once");
    if (int other = m.column_index(member); other >= 0)
        bad_column(m, c.name,
                   fmt::format("its member is already mapped to column \"{}\"; map each member once",
                               m.table.columns[static_cast<std::size_t>(other)].name));
    if (decl.nullable) {
        if (*decl.nullable && !accessor.nullable())
            bad_column(m, c.name,
                       "declared nullable, but its member type cannot hold NULL; make the member std::optional<...>");
        c.nullable = *decl.nullable;
    }
    if (decl.primary_key) {
        if (accessor.nullable() && decl.nullable.value_or(false))
            bad_column(m, c.name, "a primary key column cannot be nullable");
        c.nullable = false;
        m.table.primary_key.columns.push_back(c.name);
        m.primary_key.push_back(m.columns.size());
    }
    if (decl.unique) m.table.uniques.push_back({"", {c.name}});
    if (decl.index) m.table.indexes.push_back({"", {c.name}, false});
    int n = 0;
    for (CheckConstraint& ck : decl.checks) {
        if (ck.name.empty())
            ck.name = naming::check(m.table.name, n++ == 0 ? c.name : fmt::format("{}_{}", c.name, n));
        m.table.checks.push_back(std::move(ck));
    }
    if (decl.foreign_key) m.foreign_keys.emplace_back(m.columns.size(), std::move(*decl.foreign_key));
    m.autoincrement_requests.push_back(decl.autoincrement);
    m.table.columns.push_back(std::move(c));
    m.columns.push_back({std::make_unique<detail::ColumnAccessor>(accessor), member});
    state_->changed();
}

void Registry::declare_relationship(detail::ModelMapper& m, detail::RelationshipDecl decl,
                                    detail::RelationshipAccessor accessor) {
    if (decl.name.empty()) bad_model(m, "a relationship has an empty name; give it the member's name");
    for (const auto& r : m.relationships) {
        if (r->name == decl.name)
            bad_model(m, fmt::format("relationship \"{}\" is declared twice; declare each once", decl.name));
        if (r->member == decl.member)
            bad_model(m, fmt::format("relationship \"{}\": its member is already declared as relationship \"{}\"",
                                     decl.name, r->name));
    }
    if (!decl.collection && decl.kind == detail::RelationshipKind::many_to_many)
        bad_model(m, fmt::format("relationship \"{}\": secondary(...) makes a many-to-many relationship, which "
                                 "needs a strata::Collection<> member, not Related<>",
                                 decl.name));
    auto r = std::make_unique<detail::RelationshipMapping>();
    static_cast<detail::RelationshipDecl&>(*r) = std::move(decl);
    r->accessor = std::make_unique<detail::RelationshipAccessor>(accessor);
    r->owner = &m;
    detail::record_relationship_member(m.tag, accessor);
    m.relationships.push_back(std::move(r));
    state_->changed();
}

void Registry::declare_relationship(detail::ModelMapper& m, std::string_view name,
                                    const detail::RelationshipMember& member,
                                    std::initializer_list<detail::RelationshipOptionRef> options) {
    detail::RelationshipDecl decl;
    decl.name = std::string(name);
    decl.kind = member.collection ? detail::RelationshipKind::one_to_many : detail::RelationshipKind::many_to_one;
    decl.collection = member.collection;
    decl.member = member.member;
    decl.target_tag = member.target_tag;
    decl.target_type = member.target_type;
    for (const detail::RelationshipOptionRef& o : options) o.apply(decl);
    declare_relationship(m, std::move(decl), detail::RelationshipAccessor(member.collection, member.offset));
}

void Registry::declare_table_option(detail::ModelMapper& m, const std::function<void(Table&)>& edit) {
    edit(m.table);
    state_->changed();
}

void Registry::add_table(Table table) {
    if (table.name.empty()) throw Error(ErrorKind::input, "add_table(): the table has no name; give it a name");
    if (state_->table_declared(table.name))
        throw Error(ErrorKind::input,
                    fmt::format("add_table(): table \"{}\" is already declared; declare each table once", table.name));
    state_->extra_tables.push_back(std::move(table));
    state_->changed();
}

void Registry::add_sequence(Sequence sequence) {
    state_->objects.add(std::move(sequence));
    state_->changed();
}

void Registry::add_domain(Domain domain) {
    state_->objects.add(std::move(domain));
    state_->changed();
}

void Registry::add_enum_type(EnumType type) {
    state_->objects.add(std::move(type));
    state_->changed();
}

void Registry::add_view(View view) {
    if (view.name.empty()) throw Error(ErrorKind::input, "add_view(): the view has no name; give it a name");
    if (trimmed_definition(view.definition).empty())
        throw Error(ErrorKind::input,
                    fmt::format("add_view(): view \"{}\" has no definition; give it the SELECT it stands for",
                                view.name));
    for (const View& v : state_->views)
        if (v.name == view.name)
            throw Error(ErrorKind::input,
                        fmt::format("add_view(): view \"{}\" is already declared; declare each view once", view.name));
    state_->views.push_back(std::move(view));
    state_->changed();
}

const Metadata& Registry::metadata() {
    finalize();
    return state_->metadata;
}

void Registry::create_all(Engine& engine) { strata::create_all(metadata(), engine); }
void Registry::create_all(Engine& engine, const CreateOptions& options) {
    strata::create_all(metadata(), engine, options);
}
void Registry::drop_all(Engine& engine) { strata::drop_all(metadata(), engine); }

namespace {

// The model and column a member foreign key points at.
std::pair<const detail::ModelMapper*, std::size_t> find_member_column(
    const std::vector<std::unique_ptr<detail::ModelMapper>>& models,
    const std::unordered_map<const void*, detail::ModelMapper*>& by_tag, const detail::MemberKey& key) {
    if (auto it = by_tag.find(key.owner); it != by_tag.end()) {
        int i = it->second->column_index(key);
        if (i >= 0) return {it->second, static_cast<std::size_t>(i)};
    }
    // A member inherited from a base struct: the model that maps it, if exactly one does.
    const detail::ModelMapper* found = nullptr;
    std::size_t column = 0;
    for (const auto& m : models) {
        int i = m->column_index(key);
        if (i < 0) continue;
        if (found) return {nullptr, 1};
        found = m.get();
        column = static_cast<std::size_t>(i);
    }
    return {found, column};
}

}  // namespace

namespace {

using Models = std::vector<std::unique_ptr<detail::ModelMapper>>;
using ByTag = std::unordered_map<const void*, detail::ModelMapper*>;

// Which column (if any) of `m` is generated: a single-column integer key unless the model
// said no_autoincrement.
void resolve_autoincrement(detail::ModelMapper& m) {
    m.generated_key.reset();
    for (std::size_t i = 0; i < m.table.columns.size(); ++i) {
        Column& c = m.table.columns[i];
        const std::optional<bool>& req = m.autoincrement_requests[i];
        bool single_int_key = m.primary_key.size() == 1 && m.primary_key[0] == i && is_integer_kind(c.type.kind);
        if (req.value_or(false) && !single_int_key)
            bad_column(m, c.name, "autoincrement needs a single-column integer primary key");
        c.autoincrement = single_int_key && req.value_or(true);
        if (c.autoincrement) m.generated_key = i;
    }
}

// The table and column a foreign key given as "table.column" / "table" refers to.
std::pair<std::string, std::string> named_reference(const Models& models, const std::vector<Table>& extra_tables,
                                                    const detail::ModelMapper& m, const std::string& col,
                                                    const std::string& target) {
    auto dot = target.rfind('.');
    std::string ref_table = dot == std::string::npos ? target : target.substr(0, dot);
    std::string ref_column = dot == std::string::npos ? std::string() : target.substr(dot + 1);
    if (ref_table.empty())
        bad_column(m, col, fmt::format("foreign_key(\"{}\") names no table; use \"table.column\"", target));
    const Table* rt = nullptr;
    for (const auto& om : models)
        if (om->table.name == ref_table) rt = &om->table;
    for (const auto& et : extra_tables)
        if (et.name == ref_table) rt = &et;
    if (!rt)
        bad_column(m, col, fmt::format("foreign key references table \"{}\", which is not declared; declare it or "
                                       "fix the name",
                                       ref_table));
    if (ref_column.empty()) {
        if (rt->primary_key.columns.size() != 1)
            bad_column(m, col, fmt::format("foreign_key(\"{}\"): that table has no single-column primary key; name "
                                           "the column as \"{}.column\"",
                                           ref_table, ref_table));
        ref_column = rt->primary_key.columns[0];
    }
    if (!rt->find_column(ref_column))
        bad_column(m, col, fmt::format("foreign key references column \"{}.{}\", which does not exist", ref_table,
                                       ref_column));
    return {ref_table, ref_column};
}

ForeignKey resolve_foreign_key(const Models& models, const ByTag& by_tag, const std::vector<Table>& extra_tables,
                               const detail::ModelMapper& m, std::size_t column, const detail::ForeignKeyDecl& decl) {
    const std::string& col = m.table.columns[column].name;
    std::string ref_table, ref_column;
    if (!decl.member.empty()) {
        auto [target, index] = find_member_column(models, by_tag, decl.member);
        if (!target && index == 1)
            bad_column(m, col, "foreign_key(&Model::member) names a member several models map; declare the target "
                               "as foreign_key(\"table.column\")");
        if (!target)
            bad_column(m, col, "foreign_key(&Model::member) names a member that no declared model maps; declare "
                               "that model with strata::table<...>() and map the member");
        ref_table = target->table.name;
        ref_column = target->table.columns[index].name;
    } else {
        std::tie(ref_table, ref_column) = named_reference(models, extra_tables, m, col, decl.target);
    }
    ForeignKey fk;
    fk.name = decl.name;
    fk.columns = {col};
    fk.ref_table = ref_table;
    fk.ref_columns = {ref_column};
    fk.on_delete = decl.on_delete;
    fk.on_update = decl.on_update;
    return fk;
}

// The association table a many-to-many relationship names but nobody declared.
Table association_table(const detail::RelationshipMapping& r, const detail::ModelMapper& owner,
                        const detail::ModelMapper& target) {
    if (r.secondary_owner_column.empty() || r.secondary_target_column.empty())
        bad_relationship(r, fmt::format("association table \"{}\" is not declared; declare it with "
                                        "Registry::add_table, or name its columns: secondary(\"{}\", \"owner_id\", "
                                        "\"target_id\")",
                                        r.secondary, r.secondary));
    Table assoc;
    assoc.name = r.secondary;
    auto add_side = [&](const detail::ModelMapper& side, const std::string& column) {
        if (side.primary_key.size() != 1)
            bad_relationship(r, fmt::format("{} needs a single-column primary key for an automatic association "
                                            "table; declare \"{}\" with add_table",
                                            side.describe(), r.secondary));
        const Column& pk = side.table.columns[side.primary_key[0]];
        Column c;
        c.name = column;
        c.type = pk.type;
        c.nullable = false;
        assoc.columns.push_back(c);
        ForeignKey fk;
        fk.columns = {column};
        fk.ref_table = side.table.name;
        fk.ref_columns = {pk.name};
        fk.on_delete = FkAction::cascade;
        assoc.foreign_keys.push_back(std::move(fk));
    };
    add_side(owner, r.secondary_owner_column);
    add_side(target, r.secondary_target_column);
    assoc.primary_key.columns = {r.secondary_owner_column, r.secondary_target_column};
    return assoc;
}

const detail::ModelMapper& related_model(const ByTag& by_tag, const detail::RelationshipMapping& r) {
    auto tit = by_tag.find(r.target_tag);
    if (tit == by_tag.end())
        bad_relationship(r, fmt::format("the related model {} is not declared; declare it with strata::table<...>()",
                                        demangle(r.target_type)));
    return *tit->second;
}

// The one foreign key of `holder`'s table to `referenced`'s (through column `via` when
// given); `hint` ends the message when there is none.
const ForeignKey& single_foreign_key(const detail::RelationshipMapping& r, const detail::ModelMapper& holder,
                                     const detail::ModelMapper& referenced, const char* hint) {
    int via = r.via.empty() ? -1 : holder.column_index(r.via);
    if (!r.via.empty() && via < 0)
        bad_relationship(r, fmt::format("via(...) names a member that is not a mapped column of {}",
                                        holder.describe()));
    std::vector<const ForeignKey*> fks;
    for (const ForeignKey& fk : holder.resolved->foreign_keys) {
        if (fk.ref_table != referenced.table.name) continue;
        if (via >= 0 &&
            std::find(fk.columns.begin(), fk.columns.end(), holder.table.columns[via].name) == fk.columns.end())
            continue;
        fks.push_back(&fk);
    }
    if (fks.empty())
        bad_relationship(r, fmt::format("table {} has no foreign key to {}; declare one on {} with "
                                        "strata::foreign_key(...){}",
                                        holder.table.name, referenced.table.name,
                                        &holder == r.owner ? "the column" : "its column", hint));
    if (fks.size() > 1)
        bad_relationship(r, fmt::format("table {} has several foreign keys to {}; pick one with "
                                        "strata::via(&{}::column)",
                                        holder.table.name, referenced.table.name, holder.type_name));
    return *fks[0];
}

void resolve_many_to_many(detail::RelationshipMapping& r, const Metadata& md) {
    const detail::ModelMapper& m = *r.owner;
    const detail::ModelMapper& u = *r.target;
    if (r.cascade_delete)
        bad_relationship(r, "cascade_delete / delete_orphan are not supported on many-to-many relationships "
                            "(association rows are always maintained)");
    const Table* assoc = md.find(r.secondary);
    auto pick = [&](const std::string& ref_table, const std::string& named,
                    const ForeignKey* exclude) -> const ForeignKey* {
        std::vector<const ForeignKey*> found;
        for (const ForeignKey& fk : assoc->foreign_keys) {
            if (fk.ref_table != ref_table || &fk == exclude) continue;
            if (!named.empty() && (fk.columns.size() != 1 || fk.columns[0] != named)) continue;
            found.push_back(&fk);
        }
        if (found.size() != 1)
            bad_relationship(r, fmt::format("association table \"{}\" needs exactly one foreign key to \"{}\"{}; "
                                            "found {}",
                                            r.secondary, ref_table,
                                            named.empty() ? std::string(" (name the columns in secondary(...))")
                                                          : " on column \"" + named + "\"",
                                            found.size()));
        return found[0];
    };
    const ForeignKey* to_owner = pick(m.table.name, r.secondary_owner_column, nullptr);
    const ForeignKey* to_target =
        pick(u.table.name, r.secondary_target_column, m.table.name == u.table.name ? to_owner : nullptr);
    r.owner_columns = column_indexes(m, to_owner->ref_columns);
    r.secondary_owner_columns = to_owner->columns;
    r.target_columns = column_indexes(u, to_target->ref_columns);
    r.secondary_target_columns = to_target->columns;
}

// Target model and the columns on both sides of one relationship.
void resolve_relationship(detail::RelationshipMapping& r, const ByTag& by_tag, const Metadata& md) {
    const detail::ModelMapper& m = *r.owner;
    const detail::ModelMapper& u = related_model(by_tag, r);
    r.target = &u;
    r.owner_columns.clear();
    r.target_columns.clear();
    r.secondary_owner_columns.clear();
    r.secondary_target_columns.clear();
    if (r.kind == detail::RelationshipKind::many_to_one) {
        if (r.cascade_delete)
            bad_relationship(r, "cascade_delete / delete_orphan apply to collections (one-to-many), not to a "
                                "many-to-one Related<>");
        const ForeignKey& fk = single_foreign_key(r, m, u, "");
        r.owner_columns = column_indexes(m, fk.columns);
        r.target_columns = column_indexes(u, fk.ref_columns);
        r.targets_primary_key = r.target_columns == u.primary_key;
    } else if (r.kind == detail::RelationshipKind::one_to_many) {
        const ForeignKey& fk = single_foreign_key(r, u, m, ", or use secondary(...) for many-to-many");
        r.owner_columns = column_indexes(m, fk.ref_columns);
        r.target_columns = column_indexes(u, fk.columns);
    } else {
        resolve_many_to_many(r, md);
    }
}

// Pairs each relationship with its back_populates mirror (one side may leave it implied).
void link_back_populates(const Models& models) {
    for (auto& mp : models) {
        for (auto& rp : mp->relationships) {
            detail::RelationshipMapping& r = *rp;
            if (r.back_populates.empty()) continue;
            const detail::RelationshipMapping* other = r.target->relationship(r.back_populates);
            if (!other)
                bad_relationship(r, fmt::format("back_populates(...) names a member that is not a relationship of "
                                                "{}; declare it there with .relationship()",
                                                r.target->describe()));
            using K = detail::RelationshipKind;
            bool ok = (r.kind == K::many_to_one && other->kind == K::one_to_many) ||
                      (r.kind == K::one_to_many && other->kind == K::many_to_one) ||
                      (r.kind == K::many_to_many && other->kind == K::many_to_many);
            // The other side may leave back_populates out (it is then implied, like
            // SQLAlchemy's backref), but may not name a third relationship.
            const bool other_agrees = other->back_populates.empty() || other->back_populates == r.member;
            if (!ok || other->target != mp.get() || !other_agrees)
                bad_relationship(r, fmt::format("back_populates(...) names {}, which is not its mirror (a "
                                                "many-to-one pairs with a one-to-many between the same two models, "
                                                "many-to-many with many-to-many)",
                                                other->describe()));
            r.back = other;
            auto* o = const_cast<detail::RelationshipMapping*>(other);
            if (!o->back) o->back = &r;
        }
    }
}

}  // namespace

void Registry::finalize() {
    State& s = *state_;
    if (s.finalized) return;

    // Tables of every model: declared columns plus resolved foreign keys and autoincrement.
    std::vector<Table> tables;
    for (auto& mp : s.models) {
        detail::ModelMapper& m = *mp;
        if (m.columns.empty()) bad_model(m, "declares no columns; map at least one member with .column()");
        resolve_autoincrement(m);
        Table t = m.table;
        for (const auto& [column, decl] : m.foreign_keys)
            t.foreign_keys.push_back(resolve_foreign_key(s.models, s.by_tag, s.extra_tables, m, column, decl));
        tables.push_back(std::move(t));
    }
    for (const Table& t : s.extra_tables) tables.push_back(t);
    for (auto& mp : s.models) {
        for (auto& r : mp->relationships) {
            r->target = nullptr;
            r->back = nullptr;
            if (r->kind != detail::RelationshipKind::many_to_many) continue;
            bool declared = std::any_of(tables.begin(), tables.end(), [&](const Table& t) { return t.name == r->secondary; });
            if (!declared) tables.push_back(association_table(*r, *mp, related_model(s.by_tag, *r)));
        }
    }

    Metadata md;
    for (const EnumType& e : s.objects.enum_types()) md.add(e);
    for (const Domain& d : s.objects.domains()) md.add(d);
    for (const Sequence& q : s.objects.sequences()) md.add(q);
    for (Table& t : tables) md.add(std::move(t));
    for (const View& v : s.views) md.add_view(v);
    md.validate();
    for (auto& mp : s.models) mp->resolved = md.find(mp->table.name);
    for (auto& mp : s.models)
        for (auto& rp : mp->relationships) resolve_relationship(*rp, s.by_tag, md);
    link_back_populates(s.models);

    // Flush order: parents before children.
    auto sorted = md.sorted();
    std::unordered_map<std::string, std::size_t> rank;
    for (std::size_t i = 0; i < sorted.tables.size(); ++i) rank[sorted.tables[i]->name] = i;
    for (auto& mp : s.models) mp->flush_rank = rank[mp->table.name];

    s.metadata = std::move(md);
    for (auto& mp : s.models) mp->resolved = s.metadata.find(mp->table.name);
    s.finalized = true;
}

}  // namespace strata
