// Type-erased description of one declared model: its table, one accessor per column
// (no per-row lookups: the session walks these vectors by index), its relationships.
// Built by TableBuilder (orm/model.hpp) into a Registry; read by the session and the
// query compiler. Owned by the Registry; addresses are stable for its lifetime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/value.hpp"
#include "orm/detail/column_traits.hpp"
#include "orm/detail/member_key.hpp"
#include "orm/detail/relationship_base.hpp"
#include "orm/schema/table.hpp"

namespace strata::detail {

// Reads and writes one mapped member of an object given as void*.
class ColumnAccessor {
public:
    virtual ~ColumnAccessor() = default;
    virtual Value get(const void* object) const = 0;
    // Sets the member from `value`, then leaves in `value` the canonical form of the
    // member (what get() returns), so a loaded row can serve as the snapshot.
    // Throws Error(database) when the value cannot be converted.
    virtual void load(void* object, Value& value) const = 0;
    virtual void set(void* object, const Value& value) const = 0;
    // Same as get(object) == value, without building a Value.
    virtual bool equals(const void* object, const Value& value) const = 0;
    // For generated keys: the member holds "no key yet" (0, or std::nullopt).
    virtual bool is_unset(const void* object) const = 0;
    // Sets the member to its value-initialized state (0, std::nullopt, "").
    virtual void reset(void* object) const noexcept = 0;
    // Value::index() of the canonical form of a non-null value of this member.
    virtual std::size_t canonical_index() const noexcept = 0;
    virtual bool nullable() const noexcept = 0;
};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {
    using Inner = T;
};

template <class T, class C, class M>
class MemberAccessor final : public ColumnAccessor {
public:
    explicit MemberAccessor(M C::*member) : member_(member) {}

    Value get(const void* object) const override { return ColumnTraits<M>::to_value(ref(object)); }
    void load(void* object, Value& value) const override {
        M& m = ref(object);
        ColumnTraits<M>::from_value(value, m);
        if (!traits_equal(m, value)) value = ColumnTraits<M>::to_value(m);
    }
    void set(void* object, const Value& value) const override { ColumnTraits<M>::from_value(value, ref(object)); }
    bool equals(const void* object, const Value& value) const override { return traits_equal(ref(object), value); }
    bool is_unset(const void* object) const override {
        const M& m = ref(object);
        if constexpr (IsOptional<M>::value) return !m.has_value();
        else if constexpr (std::is_arithmetic_v<M>) return m == M{};
        else return false;
    }
    void reset(void* object) const noexcept override {
        if constexpr (std::is_nothrow_default_constructible_v<M> && std::is_nothrow_move_assignable_v<M>) ref(object) = M{};
    }
    std::size_t canonical_index() const noexcept override {
        if constexpr (IsOptional<M>::value) {
            using Inner = typename IsOptional<M>::Inner;
            if constexpr (std::is_default_constructible_v<Inner>) return ColumnTraits<Inner>::to_value(Inner{}).index();
            else return 0;
        } else if constexpr (std::is_default_constructible_v<M>) {
            return ColumnTraits<M>::to_value(M{}).index();
        } else {
            return 0;
        }
    }
    bool nullable() const noexcept override { return is_nullable<M>(); }

private:
    static_assert(std::is_base_of_v<C, T>);
    const M& ref(const void* object) const { return static_cast<const T*>(object)->*member_; }
    M& ref(void* object) const { return static_cast<T*>(object)->*member_; }
    M C::*member_;
};

// Reaches the relationship member of an object given as void*.
class RelationshipAccessor {
public:
    virtual ~RelationshipAccessor() = default;
    virtual RelatedBase* related(void* object) const noexcept = 0;       // many-to-one, else nullptr
    virtual CollectionBase* collection(void* object) const noexcept = 0;  // to-many, else nullptr
};

template <class T, class C, class R>
class RelationshipMemberAccessor final : public RelationshipAccessor {
public:
    explicit RelationshipMemberAccessor(R C::*member) : member_(member) {}
    RelatedBase* related(void* object) const noexcept override {
        if constexpr (std::is_base_of_v<RelatedBase, R>) return &(static_cast<T*>(object)->*member_);
        else return nullptr;
    }
    CollectionBase* collection(void* object) const noexcept override {
        if constexpr (std::is_base_of_v<CollectionBase, R>) return &(static_cast<T*>(object)->*member_);
        else return nullptr;
    }

private:
    R C::*member_;
};

// A foreign key given on a column: to "table.column" / "table" (its primary key), or to
// a member of another model (resolved when the registry is finalized).
struct ForeignKeyDecl {
    std::string target;
    MemberKey member;
    FkAction on_delete = FkAction::no_action;
    FkAction on_update = FkAction::no_action;
    std::string name;
};

// Everything the column options of TableBuilder::column() set.
struct ColumnDecl {
    Column column;
    bool has_type = false;
    bool primary_key = false;
    bool unique = false;
    bool index = false;
    std::optional<bool> autoincrement;
    std::optional<bool> nullable;
    std::optional<ForeignKeyDecl> foreign_key;
    std::vector<CheckConstraint> checks;
};

enum class RelationshipKind { many_to_one, one_to_many, many_to_many };

struct RelationshipDecl {
    std::string name;
    RelationshipKind kind = RelationshipKind::many_to_one;
    bool collection = false;            // the member is a Collection<> (else Related<>)
    MemberKey member;
    const void* target_tag = nullptr;   // type tag of the related model
    const char* target_type = "";       // its C++ name, for messages
    MemberKey back_populates;           // member of the related model
    MemberKey via;                      // foreign key column member (owner's for many-to-one, target's for one-to-many)
    std::string secondary;              // many-to-many association table
    std::string secondary_owner_column;   // its column referencing the owner ("" = find the foreign key)
    std::string secondary_target_column;  // its column referencing the target
    bool cascade_save_update = true;
    bool cascade_delete = false;
    bool delete_orphan = false;
};

class ModelMapper;

struct RelationshipMapping : RelationshipDecl {
    std::unique_ptr<RelationshipAccessor> accessor;
    const ModelMapper* owner = nullptr;
    // Resolved when the registry is finalized:
    const ModelMapper* target = nullptr;
    // many_to_one: foreign key columns on the owner / referenced columns on the target.
    // one_to_many: referenced columns on the owner / foreign key columns on the target.
    // many_to_many: owner and target columns referenced by the association table.
    std::vector<std::size_t> owner_columns;
    std::vector<std::size_t> target_columns;
    // many_to_many: the association table's columns matching owner_columns / target_columns.
    std::vector<std::string> secondary_owner_columns;
    std::vector<std::string> secondary_target_columns;
    const RelationshipMapping* back = nullptr;  // the back_populates side, if declared
    // True when target_columns (many_to_one) are the target's primary key, so a lazy
    // load can consult the identity map first.
    bool targets_primary_key = false;

    std::string describe() const;  // "User.addresses (users -> addresses)"
};

struct ColumnMapping {
    std::unique_ptr<ColumnAccessor> accessor;
    MemberKey member;
};

class ModelMapper {
public:
    const void* tag = nullptr;
    std::string type_name;  // demangled C++ name, for messages
    std::size_t index = 0;  // position in the registry
    Table table;            // as declared (foreign keys and names are added in `resolved`)
    const Table* resolved = nullptr;  // the finalized table inside the registry's Metadata
    std::vector<ColumnMapping> columns;  // parallel to table.columns
    std::vector<std::size_t> primary_key;  // indexes into columns, key order
    std::optional<std::size_t> generated_key;  // the autoincrement column
    std::shared_ptr<void> (*create)() = nullptr;
    std::vector<std::unique_ptr<RelationshipMapping>> relationships;
    std::vector<std::pair<std::size_t, ForeignKeyDecl>> foreign_keys;  // resolved at finalize
    std::vector<std::optional<bool>> autoincrement_requests;  // per column: autoincrement option given
    std::size_t flush_rank = 0;  // parents before children (set at finalize)

    // Index of the column mapped to `member`, or -1.
    int column_index(const MemberKey& member) const noexcept;
    int column_index(std::string_view name) const noexcept;
    const RelationshipMapping* relationship(const MemberKey& member) const noexcept;
    // "model User (table users)".
    std::string describe() const;
};

}  // namespace strata::detail
