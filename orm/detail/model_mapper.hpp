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
#include <utility>
#include <vector>

#include "core/value.hpp"
#include "dialects/cell.hpp"
#include "orm/defaulted.hpp"
#include "orm/detail/column_traits.hpp"
#include "orm/detail/member_key.hpp"
#include "orm/detail/packed_value.hpp"
#include "orm/detail/relationship_base.hpp"
#include "orm/schema/table.hpp"

namespace strata::detail {

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {
    using Inner = T;
};

// Conversions of one C++ member type, working on the member itself (void* to an M).
// One static instance per member type, shared by every column of that type, so a
// program with many models instantiates these templates once per type, not per column.
class MemberType {
public:
    virtual ~MemberType() = default;
    virtual Value get(const void* member) const = 0;
    virtual void load(void* member, Value& value) const = 0;
    virtual void set(void* member, const Value& value) const = 0;
    // The fast half of load(): sets the member straight from a driver cell, whose value
    // is then the member's canonical one as Snapshot::set_cell() stores it. Returns false,
    // having touched nothing, when the cell needs the general path (RowView::get() then
    // load()).
    virtual bool load_cell(void* member, const Cell& cell) const = 0;
    virtual bool equals(const void* member, const Value& value) const = 0;
    // Same as equals(member, unpack(e)), without building a Value for the kinds the
    // member type reads directly.
    virtual bool equals_packed(const void* member, const PackedValue& e) const = 0;
    // The member's value as a null, integer, real or text cell (text viewing the member's
    // own string, valid while the member is unchanged), as get() would give it; false for
    // the types that need get().
    virtual bool cell_of(const void* member, Cell& out) const = 0;
    virtual bool is_unset(const void* member) const = 0;
    // True when the member asks for the column's server default: an unset Defaulted<T>,
    // or a std::optional<T> holding std::nullopt.
    virtual bool defers_to_server(const void* member) const = 0;
    virtual void reset(void* member) const noexcept = 0;
    virtual std::size_t canonical_index() const noexcept = 0;
    virtual bool nullable() const noexcept = 0;
    virtual ColumnType default_type() const = 0;
};

template <class M>
class MemberTypeImpl final : public MemberType {
public:
    ColumnType default_type() const override { return ColumnTraits<M>::type(); }
    Value get(const void* member) const override { return ColumnTraits<M>::to_value(ref(member)); }
    void load(void* member, Value& value) const override {
        M& m = ref(member);
        ColumnTraits<M>::from_value(value, m);
        // For the built-in types (float aside: a double narrowed to float is not the
        // double any more) a value already of the member's own alternative converts
        // exactly, so only other alternatives need replacing by the canonical form.
        using Base = typename BaseType<M>::type;
        constexpr bool exact = std::is_integral_v<Base> || std::is_enum_v<Base> || std::is_same_v<Base, double> ||
                               std::is_same_v<Base, std::string> || std::is_same_v<Base, Blob> ||
                               std::is_same_v<Base, std::vector<std::uint8_t>> || std::is_same_v<Base, Date> ||
                               std::is_same_v<Base, Time> || std::is_same_v<Base, DateTime>;
        if constexpr (exact) {
            if (!is_null(value) && value.index() != canonical_) value = ColumnTraits<M>::to_value(m);
        } else {
            if (!traits_equal(m, value)) value = ColumnTraits<M>::to_value(m);
        }
    }
    void set(void* member, const Value& value) const override { ColumnTraits<M>::from_value(value, ref(member)); }
    bool load_cell(void* member, const Cell& cell) const override {
        // Only the cases where the general path's result is known without a Value: the
        // same conversions from_value() makes, leaving the canonical snapshot load() would.
        using Base = typename BaseType<M>::type;
        M& m = ref(member);
        if (cell.kind == Cell::Kind::null) {
            if constexpr (IsOptional<M>::value) {
                m.reset();
                return true;
            }
            return false;
        }
        auto target = [&m]() -> Base& {
            if constexpr (IsOptional<M>::value) return m ? *m : m.emplace();
            else return m;
        };
        if constexpr (std::is_same_v<Base, std::string>) {
            if (cell.kind != Cell::Kind::text) return false;
            // A fresh object's member is empty: constructing the string is cheaper than
            // assigning into it.
            if constexpr (IsOptional<M>::value) {
                if (m) m->assign(cell.text);
                else m.emplace(cell.text);
            } else {
                if (m.empty()) m = std::string(cell.text);
                else m.assign(cell.text);
            }
            return true;
        } else if constexpr (std::is_same_v<Base, bool>) {
            if (cell.kind != Cell::Kind::integer) return false;
            target() = cell.integer != 0;
            return true;
        } else if constexpr (std::is_integral_v<Base>) {
            if (cell.kind != Cell::Kind::integer || !std::in_range<Base>(cell.integer)) return false;
            target() = static_cast<Base>(cell.integer);
            return true;
        } else if constexpr (std::is_same_v<Base, double>) {
            if (cell.kind == Cell::Kind::real) target() = cell.real;
            else if (cell.kind == Cell::Kind::integer) target() = static_cast<double>(cell.integer);
            else return false;
            return true;
        } else {
            return false;
        }
    }
    bool equals_packed(const void* member, const PackedValue& e) const override {
        // The member types load_cell() takes, compared as traits_equal() compares them with
        // the entry's Value; the rest, and entries of another kind, through that Value.
        using Base = typename BaseType<M>::type;
        if constexpr (direct()) {
            const M& m = ref(member);
            if constexpr (IsOptional<M>::value) {
                if (e.kind == PackedValue::kNull || !m) return e.kind == PackedValue::kNull && !m;
            }
            if (e.place != PackedValue::Place::heap_value && e.kind == canonical_) {
                const Base& b = inner(m);
                if constexpr (std::is_same_v<Base, std::string>) return b == std::string_view(e.bytes, e.extra);
                else if constexpr (std::is_same_v<Base, double>) return b == e.real;
                else if constexpr (std::is_same_v<Base, bool>) return b == (e.integer != 0);
                else if constexpr (std::is_unsigned_v<Base> && sizeof(Base) >= 8)
                    return e.integer >= 0 && static_cast<std::uint64_t>(e.integer) == b;
                else return static_cast<std::int64_t>(b) == e.integer;
            }
        }
        return traits_equal(ref(member), unpack(e));
    }
    bool cell_of(const void* member, Cell& out) const override {
        using Base = typename BaseType<M>::type;
        if constexpr (direct()) {
            const M& m = ref(member);
            if constexpr (IsOptional<M>::value) {
                if (!m) {
                    out.kind = Cell::Kind::null;
                    return true;
                }
            }
            const Base& b = inner(m);
            if constexpr (std::is_same_v<Base, std::string>) {
                out.kind = Cell::Kind::text;
                out.text = b;
            } else if constexpr (std::is_same_v<Base, double>) {
                out.kind = Cell::Kind::real;
                out.real = b;
            } else if constexpr (std::is_same_v<Base, bool>) {
                out.kind = Cell::Kind::integer;
                out.integer = b ? 1 : 0;
            } else {
                if constexpr (std::is_unsigned_v<Base> && sizeof(Base) >= sizeof(std::int64_t)) {
                    if (b > static_cast<Base>(INT64_MAX)) return false;  // get() reports it
                }
                out.kind = Cell::Kind::integer;
                out.integer = static_cast<std::int64_t>(b);
            }
            return true;
        }
        return false;
    }
    bool equals(const void* member, const Value& value) const override { return traits_equal(ref(member), value); }
    bool is_unset(const void* member) const override {
        if constexpr (std::is_arithmetic_v<M>) return ref(member) == M{};
        else return holds_nothing(ref(member));
    }
    bool defers_to_server(const void* member) const override { return holds_nothing(ref(member)); }
    void reset(void* member) const noexcept override {
        if constexpr (IsDefaulted<M>::value) ref(member).reset();
        else if constexpr (std::is_nothrow_default_constructible_v<M> && std::is_nothrow_move_assignable_v<M>)
            ref(member) = M{};
    }
    std::size_t canonical_index() const noexcept override { return canonical_; }

private:
    // Defaulted<T> as T (an unset one would give Null).
    template <class X = M>
    static std::size_t compute_canonical() noexcept {
        if constexpr (IsDefaulted<X>::value) {
            return compute_canonical<typename IsDefaulted<X>::Inner>();
        } else if constexpr (IsOptional<X>::value) {
            using Inner = typename IsOptional<X>::Inner;
            if constexpr (std::is_default_constructible_v<Inner>) return ColumnTraits<Inner>::to_value(Inner{}).index();
            else return 0;
        } else if constexpr (std::is_default_constructible_v<X>) {
            return ColumnTraits<X>::to_value(X{}).index();
        } else {
            return 0;
        }
    }

public:
    bool nullable() const noexcept override { return is_nullable<M>(); }

private:
    template <class X>
    struct BaseType {
        using type = X;
    };
    template <class X>
    struct BaseType<std::optional<X>> {
        using type = X;
    };
    // The member types equals_packed() and cell_of() read without a Value (optional or not).
    static constexpr bool direct() {
        using Base = typename BaseType<M>::type;
        return std::is_same_v<Base, std::string> || std::is_same_v<Base, double> || std::is_integral_v<Base>;
    }
    // The value itself: the member, or what an engaged optional holds.
    static const auto& inner(const M& m) {
        if constexpr (IsOptional<M>::value) return *m;
        else return m;
    }
    // std::nullopt, or an unset Defaulted.
    static bool holds_nothing(const M& m) {
        if constexpr (IsOptional<M>::value) return !m.has_value();
        else if constexpr (IsDefaulted<M>::value) return !m.is_set();
        else return false;
    }
    static const M& ref(const void* p) { return *static_cast<const M*>(p); }
    static M& ref(void* p) { return *static_cast<M*>(p); }
    const std::size_t canonical_ = compute_canonical();
};

template <class M>
const MemberType& member_type() {
    static const MemberTypeImpl<M> instance;
    return instance;
}

// The member types of the built-in column mappings (orm/detail/column_traits.hpp) are
// instantiated once, in column_traits.cpp, rather than in every file declaring models.
#define STRATA_DETAIL_BUILTIN_MEMBER_TYPES(X)                                                                    \
    X(bool) X(signed char) X(short) X(int) X(long) X(long long) X(unsigned char) X(unsigned short) X(unsigned) \
    X(unsigned long) X(unsigned long long) X(float) X(double) X(std::string) X(Blob)                          \
    X(std::vector<std::uint8_t>) X(Date) X(Time) X(DateTime)
#define STRATA_DETAIL_EXTERN_MEMBER_TYPE(M)                   \
    extern template class MemberTypeImpl<M>;                  \
    extern template class MemberTypeImpl<std::optional<M>>;   \
    extern template const MemberType& member_type<M>();       \
    extern template const MemberType& member_type<std::optional<M>>();
STRATA_DETAIL_BUILTIN_MEMBER_TYPES(STRATA_DETAIL_EXTERN_MEMBER_TYPE)
#undef STRATA_DETAIL_EXTERN_MEMBER_TYPE

// Reads and writes one mapped member of an object given as void*: the member's type
// and its byte offset in the model.
class ColumnAccessor {
public:
    ColumnAccessor(const MemberType& type, std::size_t offset)
        : type_(&type), offset_(offset), canonical_(type.canonical_index()) {}

    Value get(const void* object) const { return type_->get(at(object)); }
    // Sets the member from `value`, then leaves in `value` the canonical form of the
    // member (what get() returns), so a loaded row can serve as the snapshot.
    // Throws Error(database) when the value cannot be converted.
    void load(void* object, Value& value) const { type_->load(at(object), value); }
    void set(void* object, const Value& value) const { type_->set(at(object), value); }
    // load() from a driver cell without a Value where the member type allows; false
    // when the caller must take the general path (see MemberType::load_cell).
    bool load_cell(void* object, const Cell& cell) const { return type_->load_cell(at(object), cell); }
    // Same as get(object) == value, without building a Value.
    bool equals(const void* object, const Value& value) const { return type_->equals(at(object), value); }
    // Same as equals(object, unpack(e)) (see MemberType::equals_packed).
    bool equals_packed(const void* object, const PackedValue& e) const { return type_->equals_packed(at(object), e); }
    // The member as a cell where its type allows (see MemberType::cell_of).
    bool cell_of(const void* object, Cell& out) const { return type_->cell_of(at(object), out); }
    // For generated keys: the member holds "no key yet" (0, std::nullopt, an unset Defaulted).
    bool is_unset(const void* object) const { return type_->is_unset(at(object)); }
    // Sets the member to its value-initialized state (0, std::nullopt, "", an unset Defaulted).
    void reset(void* object) const noexcept { type_->reset(at(object)); }
    // True when the member asks for the column's server default (an unset Defaulted<T>
    // or std::nullopt): see MemberType::defers_to_server.
    bool defers_to_server(const void* object) const { return type_->defers_to_server(at(object)); }
    // Value::index() of the canonical form of a non-null value of this member.
    std::size_t canonical_index() const noexcept { return canonical_; }
    bool nullable() const noexcept { return type_->nullable(); }
    ColumnType default_type() const { return type_->default_type(); }

private:
    const void* at(const void* object) const noexcept { return static_cast<const char*>(object) + offset_; }
    void* at(void* object) const noexcept { return static_cast<char*>(object) + offset_; }
    const MemberType* type_;
    std::size_t offset_;
    std::size_t canonical_;  // type_->canonical_index(), asked once: flushes compare every column
};

// Reaches the relationship member of an object given as void*: the byte offset of its
// RelatedBase or CollectionBase part in the model.
class RelationshipAccessor {
public:
    RelationshipAccessor(bool collection, std::size_t offset) : collection_(collection), offset_(offset) {}
    bool is_collection() const noexcept { return collection_; }
    std::size_t offset() const noexcept { return offset_; }
    // many-to-one, else nullptr
    RelatedBase* related(void* object) const noexcept {
        return collection_ ? nullptr : reinterpret_cast<RelatedBase*>(static_cast<char*>(object) + offset_);
    }
    // to-many, else nullptr
    CollectionBase* collection(void* object) const noexcept {
        return collection_ ? reinterpret_cast<CollectionBase*>(static_cast<char*>(object) + offset_) : nullptr;
    }

private:
    bool collection_;
    std::size_t offset_;
};

// Byte offset of `part` inside `object`.
inline std::size_t offset_in(const void* object, const void* part) noexcept {
    return static_cast<std::size_t>(static_cast<const char*>(part) - static_cast<const char*>(object));
}

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

// One column option, type-erased so that declaring a column instantiates nothing per
// column beyond a call (apply<O> exists once per option type).
class ColumnOptionRef {
public:
    template <class O>
    ColumnOptionRef(const O& option) : option_(&option), apply_(&apply_as<O>) {}
    void apply(ColumnDecl& decl) const { apply_(decl, option_); }

private:
    template <class O>
    static void apply_as(ColumnDecl& decl, const void* option) {
        apply_column_option(decl, *static_cast<const O*>(option));
    }
    const void* option_;
    void (*apply_)(ColumnDecl&, const void*);
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

// What TableBuilder::relationship() knows from the member's type: the rest of the
// declaration is built by the registry from the options.
struct RelationshipMember {
    bool collection = false;          // Collection<U> (else Related<U>)
    MemberKey member;
    const void* target_tag = nullptr;  // type tag of U
    const char* target_type = "";      // typeid(U).name()
    std::size_t offset = 0;            // of the RelatedBase / CollectionBase part in the model
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
