#include "migrations/object_diff.hpp"

#include <set>
#include <string>
#include <vector>

namespace strata::detail {

namespace {

template <class T>
std::vector<std::string> names(const NamedObjects<T>& list) {
    std::vector<std::string> out;
    for (const T* x : list.sorted()) out.push_back(x->name);
    return out;
}

Sequence without_owner(Sequence s) {
    s.owned_by_table.clear();
    s.owned_by_column.clear();
    return s;
}

bool same_owner(const Sequence& a, const Sequence& b) {
    return a.owned_by_table == b.owned_by_table && a.owned_by_column == b.owned_by_column;
}

bool owner_exists(const Metadata& schema, const Sequence& s) {
    const Table* t = schema.find(s.owned_by_table);
    return t && t->find_column(s.owned_by_column);
}

// The names of `wanted`, domains of `schema`, each after the domain it is based on.
std::vector<std::string> domain_order(const Metadata& schema, const std::vector<std::string>& wanted) {
    std::set<std::string> keep(wanted.begin(), wanted.end());
    std::vector<std::string> out;
    for (const Domain* d : schema.sorted_domains())
        if (keep.count(d->name)) out.push_back(d->name);
    return out;
}

}  // namespace

void alter_enum_types(const Metadata& current, const Metadata& desired, const Emit& emit) {
    for (const std::string& name : names(desired.enum_types())) {
        const EnumType* now = current.enum_types().find(name);
        const EnumType& want = *desired.enum_types().find(name);
        if (now && !(*now == want)) emit(op::AlterEnumType{*now, want});
    }
}

void release_sequences(const Metadata& current, const Metadata& desired, const Emit& emit) {
    for (const std::string& name : names(current.sequences())) {
        const Sequence now = *current.sequences().find(name);
        const Sequence* want = desired.sequences().find(name);
        if (now.owned() && (!want || !same_owner(now, *want))) emit(op::AlterSequence{now, without_owner(now)});
    }
}

void create_objects(const Metadata& current, const Metadata& desired, const Emit& emit) {
    for (const std::string& name : names(desired.enum_types()))
        if (!current.enum_types().find(name)) emit(op::CreateEnumType{*desired.enum_types().find(name)});

    std::vector<std::string> domains;
    for (const std::string& name : names(desired.domains())) {
        const Domain* now = current.domains().find(name);
        const Domain& want = *desired.domains().find(name);
        if (!now) domains.push_back(name);
        else if (!(*now == want)) emit(op::AlterDomain{*now, want});
    }
    for (const std::string& name : domain_order(desired, domains))
        emit(op::CreateDomain{*desired.domains().find(name)});

    for (const std::string& name : names(desired.sequences())) {
        const Sequence& want = *desired.sequences().find(name);
        const Sequence* now = current.sequences().find(name);
        if (!now) {
            emit(op::CreateSequence{want.owned() && owner_exists(current, want) ? want : without_owner(want)});
            continue;
        }
        Sequence target = want;  // the owner changes in own_sequences, once the column exists
        target.owned_by_table = now->owned_by_table;
        target.owned_by_column = now->owned_by_column;
        if (!(target == *now)) emit(op::AlterSequence{*now, target});
    }
}

void own_sequences(const Metadata& current, const Metadata& desired, const Emit& emit) {
    for (const std::string& name : names(desired.sequences())) {
        const Sequence& want = *desired.sequences().find(name);
        const Sequence* now = current.sequences().find(name);
        if (!now || same_owner(*now, want)) continue;
        Sequence owned = *now;
        owned.owned_by_table = want.owned_by_table;
        owned.owned_by_column = want.owned_by_column;
        emit(op::AlterSequence{*now, owned});
    }
}

void drop_objects(const Metadata& current, const Metadata& desired, const Emit& emit) {
    for (const std::string& name : names(current.sequences()))
        if (!desired.sequences().find(name)) emit(op::DropSequence{*current.sequences().find(name)});

    std::vector<std::string> domains;
    for (const std::string& name : names(current.domains()))
        if (!desired.domains().find(name)) domains.push_back(name);
    std::vector<std::string> order = domain_order(current, domains);
    for (auto it = order.rbegin(); it != order.rend(); ++it) emit(op::DropDomain{*current.domains().find(*it)});

    for (const std::string& name : names(current.enum_types()))
        if (!desired.enum_types().find(name)) emit(op::DropEnumType{*current.enum_types().find(name)});
}

}  // namespace strata::detail
