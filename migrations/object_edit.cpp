#include "migrations/object_edit.hpp"

#include <fmt/format.h>

namespace strata::detail {

namespace {

// Create / drop / alter of one kind of object, by name.
template <class T>
void create(NamedObjects<T>& list, const T& object, const Operation& operation, Misfit misfit) {
    if (list.find(object.name)) misfit(operation, fmt::format("{} {} already exists", T::kind, object.name));
    list.add(object);
}

template <class T>
void drop(NamedObjects<T>& list, const T& object, const Operation& operation, Misfit misfit) {
    if (!list.remove(object.name)) misfit(operation, fmt::format("there is no {} {}", T::kind, object.name));
}

template <class T>
void alter(NamedObjects<T>& list, const T& from, const T& to, const Operation& operation, Misfit misfit) {
    if (from.name != to.name)
        misfit(operation, fmt::format("from and to name different {}s ({} and {})", T::kind, from.name, to.name));
    T* now = list.find(from.name);
    if (!now) misfit(operation, fmt::format("there is no {} {}", T::kind, from.name));
    *now = to;
}

}  // namespace

void apply_object_op(Metadata& schema, const op::CreateSequence& o, const Operation& operation, Misfit misfit) {
    create(schema.sequences(), o.sequence, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::DropSequence& o, const Operation& operation, Misfit misfit) {
    drop(schema.sequences(), o.sequence, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::AlterSequence& o, const Operation& operation, Misfit misfit) {
    alter(schema.sequences(), o.from, o.to, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::CreateDomain& o, const Operation& operation, Misfit misfit) {
    create(schema.domains(), o.domain, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::DropDomain& o, const Operation& operation, Misfit misfit) {
    drop(schema.domains(), o.domain, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::AlterDomain& o, const Operation& operation, Misfit misfit) {
    alter(schema.domains(), o.from, o.to, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::CreateEnumType& o, const Operation& operation, Misfit misfit) {
    create(schema.enum_types(), o.type, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::DropEnumType& o, const Operation& operation, Misfit misfit) {
    drop(schema.enum_types(), o.type, operation, misfit);
}
void apply_object_op(Metadata& schema, const op::AlterEnumType& o, const Operation& operation, Misfit misfit) {
    alter(schema.enum_types(), o.from, o.to, operation, misfit);
    relabel_enum_columns(schema, o.to);
}

void rename_sequence_owner(Metadata& schema, const std::string& table, const std::string& column,
                           const std::string& new_table, const std::string& new_column) {
    for (const Sequence& s : schema.sequences()) {
        if (s.owned_by_table != table || (!column.empty() && s.owned_by_column != column)) continue;
        Sequence* edit = schema.sequences().find(s.name);
        edit->owned_by_table = new_table;
        if (!column.empty()) edit->owned_by_column = new_column;
    }
}

void drop_owned_sequences(Metadata& schema, const std::string& table, const std::string& column) {
    std::vector<std::string> doomed;
    for (const Sequence& s : schema.sequences())
        if (s.owned_by_table == table && (column.empty() || s.owned_by_column == column)) doomed.push_back(s.name);
    for (const std::string& name : doomed) schema.sequences().remove(name);
}

void relabel_enum_columns(Metadata& schema, const EnumType& type) {
    for (const Table& t : schema.tables()) {
        Table* edit = schema.find(t.name);
        for (Column& c : edit->columns)
            if (c.type.kind == TypeKind::enum_ && c.type.type_name == type.name && !c.type.enum_values.empty())
                c.type.enum_values = type.values;
    }
}

}  // namespace strata::detail
