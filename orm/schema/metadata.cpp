#include "orm/schema/metadata.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i];
    }
    return out;
}

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorKind::input, message);
}

// `expressions`: a key with a parenthesis that names no column is an index expression
// ("lower(email)"), which the database checks.
void require_columns(const Table& table, const std::vector<std::string>& columns, const std::string& what,
                     bool expressions = false) {
    if (columns.empty()) {
        invalid(fmt::format("table \"{}\": {} lists no columns; name at least one column", table.name, what));
    }
    for (const std::string& c : columns) {
        if (expressions && c.find('(') != std::string::npos) continue;
        if (!table.find_column(c)) {
            invalid(fmt::format("table \"{}\": {} uses column \"{}\", which the table does not have; "
                                "declare the column or fix the name",
                                table.name, what, c));
        }
    }
}

}  // namespace

Table& Metadata::add(Table table) {
    if (table.name.empty()) {
        invalid("a table without a name cannot be added to Metadata; give it a name");
    }
    if (find(table.name)) {
        invalid(fmt::format("table \"{}\" is declared twice in this Metadata; "
                            "remove one declaration or rename it",
                            table.name));
    }
    std::set<std::string> seen;
    for (const Column& c : table.columns) {
        if (c.name.empty()) {
            invalid(fmt::format("table \"{}\" has a column without a name; give every column a name", table.name));
        }
        if (!seen.insert(c.name).second) {
            invalid(fmt::format("table \"{}\" declares column \"{}\" twice; remove one or rename it", table.name,
                                c.name));
        }
    }
    apply_naming_convention(table);
    positions_.insert_or_assign(table.name, tables_.size());
    tables_.push_back(std::move(table));
    return tables_.back();
}

Domain& Metadata::add(Domain domain) {
    apply_naming_convention(domain);
    return domains_.add(std::move(domain));
}

std::size_t Metadata::position_of(const std::string& name) const noexcept {
    auto it = positions_.find(name);
    if (it != positions_.end() && it->second < tables_.size() && tables_[it->second].name == name) {
        return it->second;
    }
    for (std::size_t i = 0; i < tables_.size(); ++i) {
        if (tables_[i].name == name) return i;
    }
    return tables_.size();
}

const Table* Metadata::find(const std::string& name) const noexcept {
    std::size_t at = position_of(name);
    return at == tables_.size() ? nullptr : &tables_[at];
}

Table* Metadata::find(const std::string& name) noexcept {
    std::size_t at = position_of(name);
    return at == tables_.size() ? nullptr : &tables_[at];
}

bool Metadata::remove(const std::string& name) {
    const std::size_t at = position_of(name);
    if (at == tables_.size()) return false;
    tables_.erase(tables_.begin() + static_cast<std::ptrdiff_t>(at));
    positions_.clear();
    for (std::size_t i = 0; i < tables_.size(); ++i) positions_.insert_or_assign(tables_[i].name, i);
    return true;
}

void Metadata::validate_objects() const {
    for (const Sequence& s : sequences_) {
        auto bad = [&](const std::string& why) { invalid(fmt::format("sequence \"{}\": {}", s.name, why)); };
        if (s.type != TypeKind::small_integer && s.type != TypeKind::integer && s.type != TypeKind::big_integer)
            bad(fmt::format("type {} is not small_integer, integer or big_integer", to_string(s.type)));
        if (s.increment == 0) bad("an increment of 0 would never advance; use a non-zero increment");
        if (s.cache < 1) bad("the cache must be at least 1");
        if (s.min_value && s.max_value && *s.min_value >= *s.max_value)
            bad(fmt::format("min_value {} is not below max_value {}", *s.min_value, *s.max_value));
        if (s.owned_by_table.empty() != s.owned_by_column.empty())
            bad("owned by needs both a table and a column (or neither)");
        if (s.owned()) {
            const Table* t = find(s.owned_by_table);
            if (!t || !t->find_column(s.owned_by_column))
                bad(fmt::format("it is owned by {}.{}, which is not a column of this Metadata; declare it or fix the "
                                "owner",
                                s.owned_by_table, s.owned_by_column));
        }
    }
    for (const EnumType& e : enum_types_) {
        std::set<std::string> seen;
        for (const std::string& v : e.values)
            if (!seen.insert(v).second)
                invalid(fmt::format("enum type \"{}\" lists the value '{}' twice; list each value once", e.name, v));
    }
    for (const Domain& d : domains_) {
        const ColumnType& base = d.type;
        const bool known = (base.kind == TypeKind::enum_ && enum_types_.find(base.type_name)) ||
                           (base.kind == TypeKind::other && domains_.find(base.type_name) && base.type_name != d.name);
        if (base.kind == TypeKind::enum_ ? !known : (!base.type_name.empty() && !known))
            invalid(fmt::format("domain \"{}\" is based on {}, which is not an enum type or other domain of this "
                                "Metadata; declare it and base the domain on its column_type()",
                                d.name, base.type_name.empty() ? std::string("an enum without a name") : base.type_name));
    }
    for (const Table& table : tables_) {
        for (const Column& c : table.columns) {
            const ColumnType& type = c.type;
            if (type.type_name.empty()) continue;
            auto where = [&] { return fmt::format("column \"{}\".\"{}\"", table.name, c.name); };
            if (type.kind == TypeKind::enum_) {
                const EnumType* e = enum_types_.find(type.type_name);
                if (!e)
                    invalid(fmt::format("{} uses the enum type \"{}\", which is not in this Metadata; declare it "
                                        "(Registry::add_enum_type) or fix the name",
                                        where(), type.type_name));
                if (!type.enum_values.empty() && type.enum_values != e->values)
                    invalid(fmt::format("{} lists other values than its enum type \"{}\"; declare the column with "
                                        "that type's column_type()",
                                        where(), type.type_name));
            } else if (type.kind == TypeKind::other) {
                if (!domains_.find(type.type_name))
                    invalid(fmt::format("{} uses the domain \"{}\", which is not in this Metadata; declare it "
                                        "(Registry::add_domain) or fix the name",
                                        where(), type.type_name));
            } else {
                invalid(fmt::format("{} names the type \"{}\" but is of kind {}; only enum columns (enum types) and "
                                    "columns of kind other (domains) name a type",
                                    where(), type.type_name, to_string(type.kind)));
            }
        }
    }
}

void Metadata::validate() const {
    validate_objects();
    for (const Table& table : tables_) {
        if (!table.primary_key.columns.empty()) {
            require_columns(table, table.primary_key.columns, fmt::format("primary key \"{}\"", table.primary_key.name));
        }
        for (const Index& i : table.indexes) {
            require_columns(table, i.columns, fmt::format("index \"{}\"", i.name), true);
            if (i.key_options.size() > i.columns.size())
                invalid(fmt::format("table \"{}\": index \"{}\" has options for {} keys but only {} keys; give "
                                    "one entry per key",
                                    table.name, i.name, i.key_options.size(), i.columns.size()));
        }
        for (const UniqueConstraint& u : table.uniques) {
            require_columns(table, u.columns, fmt::format("unique constraint \"{}\"", u.name));
        }

        // Constraint and index names must be unique within a table, or a later diff
        // (which matches by name) could not tell them apart.
        std::set<std::string> names;
        auto claim = [&](const std::string& name, const char* what) {
            if (name.empty()) return;
            if (!names.insert(name).second) {
                invalid(fmt::format("table \"{}\": the name \"{}\" is used by more than one index or "
                                    "constraint ({}); give each a distinct name",
                                    table.name, name, what));
            }
        };
        claim(table.primary_key.name, "primary key");
        for (const Index& i : table.indexes) claim(i.name, "index");
        for (const UniqueConstraint& u : table.uniques) claim(u.name, "unique constraint");
        for (const ForeignKey& f : table.foreign_keys) claim(f.name, "foreign key");
        for (const CheckConstraint& c : table.checks) claim(c.name, "check constraint");

        for (const ForeignKey& fk : table.foreign_keys) {
            std::string what = fmt::format("foreign key \"{}\"", fk.name);
            require_columns(table, fk.columns, what);
            const Table* ref = find(fk.ref_table);
            if (!ref) {
                invalid(fmt::format("table \"{}\": {} references table \"{}\", which is not in this Metadata; "
                                    "declare that table or fix the reference",
                                    table.name, what, fk.ref_table));
            }
            if (fk.ref_columns.size() != fk.columns.size()) {
                invalid(fmt::format("table \"{}\": {} has {} column(s) ({}) but references {} ({}); "
                                    "list the same number on both sides",
                                    table.name, what, fk.columns.size(), join(fk.columns), fk.ref_columns.size(),
                                    join(fk.ref_columns)));
            }
            for (const std::string& rc : fk.ref_columns) {
                if (!ref->find_column(rc)) {
                    invalid(fmt::format("table \"{}\": {} references column \"{}\" of table \"{}\", "
                                        "which that table does not have; fix the referenced column",
                                        table.name, what, rc, fk.ref_table));
                }
            }
        }
    }
}

namespace {

// Strongly connected components of the subgraph induced by `alive`, computed with
// an explicit stack (Tarjan's algorithm without recursion, so that a 10,000-table
// foreign-key chain cannot overflow the call stack). Returns the component id of
// every node (unspecified for dead nodes).
std::vector<std::size_t> components(const std::vector<std::vector<std::size_t>>& children,
                                    const std::vector<bool>& alive) {
    const std::size_t n = children.size();
    constexpr std::size_t unvisited = static_cast<std::size_t>(-1);
    std::vector<std::size_t> index(n, unvisited), low(n, 0), comp(n, unvisited);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    std::vector<std::pair<std::size_t, std::size_t>> work;  // (node, next child position)
    std::size_t counter = 0, comp_count = 0;

    for (std::size_t root = 0; root < n; ++root) {
        if (!alive[root] || index[root] != unvisited) continue;
        work.emplace_back(root, 0);
        index[root] = low[root] = counter++;
        stack.push_back(root);
        on_stack[root] = true;
        while (!work.empty()) {
            auto& [v, pos] = work.back();
            if (pos < children[v].size()) {
                std::size_t w = children[v][pos++];
                if (!alive[w]) continue;
                if (index[w] == unvisited) {
                    index[w] = low[w] = counter++;
                    stack.push_back(w);
                    on_stack[w] = true;
                    work.emplace_back(w, 0);
                } else if (on_stack[w]) {
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            std::size_t done = v;
            work.pop_back();
            if (!work.empty()) {
                std::size_t parent = work.back().first;
                low[parent] = std::min(low[parent], low[done]);
            }
            if (low[done] == index[done]) {
                std::size_t w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[w] = false;
                    comp[w] = comp_count;
                } while (w != done);
                ++comp_count;
            }
        }
    }
    return comp;
}

}  // namespace

// Kahn's algorithm with the ready set ordered by table name, so the result depends
// only on the schema, never on declaration or hash order. When every remaining table
// waits on another, the remaining graph holds a cycle: we pick the first table (by
// name) of a source component of the remaining graph - a component that no other
// remaining table points into, so all its pending references are genuinely cyclic -
// and report its pending references as cycle edges.
Metadata::SortedTables Metadata::sorted() const {
    const std::size_t n = tables_.size();
    std::unordered_map<std::string, std::size_t> id;
    id.reserve(n);
    for (std::size_t i = 0; i < n; ++i) id.emplace(tables_[i].name, i);

    std::vector<std::vector<std::size_t>> parents(n), children(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::set<std::size_t> distinct;
        for (const ForeignKey& fk : tables_[i].foreign_keys) {
            auto it = id.find(fk.ref_table);
            if (it == id.end() || it->second == i) continue;  // outside this Metadata, or self
            distinct.insert(it->second);
        }
        parents[i].assign(distinct.begin(), distinct.end());
        for (std::size_t p : parents[i]) children[p].push_back(i);
    }

    std::vector<std::size_t> by_name(n);
    for (std::size_t i = 0; i < n; ++i) by_name[i] = i;
    std::sort(by_name.begin(), by_name.end(),
              [&](std::size_t a, std::size_t b) { return tables_[a].name < tables_[b].name; });

    auto name_less = [&](std::size_t a, std::size_t b) { return tables_[a].name < tables_[b].name; };
    std::set<std::size_t, decltype(name_less)> ready(name_less);
    std::vector<std::size_t> pending(n);
    std::vector<bool> emitted(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        pending[i] = parents[i].size();
        if (pending[i] == 0) ready.insert(i);
    }

    SortedTables result;
    result.tables.reserve(n);
    std::size_t done = 0;
    while (done < n) {
        if (ready.empty()) {
            std::vector<bool> alive(n);
            for (std::size_t i = 0; i < n; ++i) alive[i] = !emitted[i];
            std::vector<std::size_t> comp = components(children, alive);
            std::vector<bool> has_incoming(n, false);  // indexed by component id
            for (std::size_t i = 0; i < n; ++i) {
                if (emitted[i]) continue;
                for (std::size_t p : parents[i]) {
                    if (!emitted[p] && comp[p] != comp[i]) has_incoming[comp[i]] = true;
                }
            }
            std::size_t pick = n;
            for (std::size_t i : by_name) {
                if (!emitted[i] && !has_incoming[comp[i]]) {
                    pick = i;
                    break;
                }
            }
            const Table& t = tables_[pick];
            for (const ForeignKey& fk : t.foreign_keys) {
                auto it = id.find(fk.ref_table);
                if (it == id.end() || it->second == pick || emitted[it->second]) continue;
                result.cycle_edges.emplace_back(&t, &fk);
            }
            pending[pick] = 0;
            ready.insert(pick);
        }
        std::size_t next = *ready.begin();
        ready.erase(ready.begin());
        emitted[next] = true;
        ++done;
        result.tables.push_back(&tables_[next]);
        for (std::size_t c : children[next]) {
            if (emitted[c]) continue;
            if (--pending[c] == 0) ready.insert(c);
        }
    }
    return result;
}

std::vector<const Domain*> Metadata::sorted_domains() const {
    std::vector<const Domain*> out;
    std::vector<const Domain*> pending = domains_.sorted();
    std::set<std::string> placed;
    while (!pending.empty()) {
        bool progress = false;
        for (auto it = pending.begin(); it != pending.end();) {
            const ColumnType& base = (*it)->type;
            const bool waits = base.kind == TypeKind::other && !base.type_name.empty() &&
                               base.type_name != (*it)->name && domains_.find(base.type_name) &&
                               !placed.count(base.type_name);
            if (waits) {
                ++it;
                continue;
            }
            placed.insert((*it)->name);
            out.push_back(*it);
            it = pending.erase(it);
            progress = true;
        }
        if (!progress) {  // a cycle, which no database holds: name order
            placed.insert(pending.front()->name);
            out.push_back(pending.front());
            pending.erase(pending.begin());
        }
    }
    return out;
}

View& Metadata::add_view(View view) {
    if (view.name.empty()) invalid("a view without a name cannot be added to Metadata; give it a name");
    if (find_view(view.name) || find(view.name))
        invalid(fmt::format("view \"{}\" has the name of another view or table in this Metadata; rename one of them",
                            view.name));
    if (trimmed_definition(view.definition).empty())
        invalid(fmt::format("view \"{}\" has no definition; give it the SELECT it stands for", view.name));
    views_.push_back(std::move(view));
    return views_.back();
}

const View* Metadata::find_view(const std::string& name) const noexcept {
    for (const View& v : views_)
        if (v.name == name) return &v;
    return nullptr;
}

View* Metadata::find_view(const std::string& name) noexcept {
    for (View& v : views_)
        if (v.name == name) return &v;
    return nullptr;
}

bool Metadata::remove_view(const std::string& name) {
    return std::erase_if(views_, [&](const View& v) { return v.name == name; }) > 0;
}

bool operator==(const Metadata& a, const Metadata& b) {
    if (!(a.sequences_ == b.sequences_) || !(a.domains_ == b.domains_) || !(a.enum_types_ == b.enum_types_))
        return false;
    if (a.tables_.size() != b.tables_.size() || a.views_.size() != b.views_.size()) return false;
    for (const Table& t : a.tables_) {
        const Table* other = b.find(t.name);
        if (!other || !(*other == t)) return false;
    }
    for (const View& v : a.views_) {
        const View* other = b.find_view(v.name);
        if (!other || !(*other == v)) return false;
    }
    return true;
}

std::string Metadata::describe() const {
    std::vector<const Table*> order;
    order.reserve(tables_.size());
    for (const Table& t : tables_) order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const Table* l, const Table* r) { return l->name < r->name; });
    std::string out = enum_types_.describe() + domains_.describe() + sequences_.describe();
    for (const Table* t : order) out += t->describe();
    std::vector<const View*> views;
    for (const View& v : views_) views.push_back(&v);
    std::sort(views.begin(), views.end(), [](const View* l, const View* r) { return l->name < r->name; });
    for (const View* v : views) out += v->describe() + " AS " + v->definition + "\n";
    return out;
}

}  // namespace strata
