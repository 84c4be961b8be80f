// Declaring models: plain structs mapped to tables with member pointers. No code
// generator, no macros.
//
//   struct User {
//       std::int64_t id = 0;
//       std::string name;
//       std::optional<std::string> email;   // std::optional<T>: nullable
//   };
//
//   strata::table<User>("users")
//       .column("id", &User::id, strata::primary_key)
//       .column("name", &User::name, strata::type(strata::types::string(100)))
//       .column("email", &User::email, strata::unique);
//
// strata::table<T>() declares into strata::models(); Registry::table<T>() into a
// registry of your own. Views are declared next to the models, by name and SELECT text:
// strata::view("active_users", "SELECT id, name FROM users WHERE active") (below). Each call adds to the registry at once (see orm/registry.hpp
// for when cross-model references are checked).
//
// Column types: the C++ type gives the default portable type (orm/detail/column_traits.hpp:
// bool -> boolean, std::int64_t -> big_integer, std::string -> string(255), ...);
// strata::type(...) overrides it. Nullability follows std::optional unless overridden
// with strata::nullable / strata::not_null.
//
// A single-column integer primary key is autoincrement (identity / serial /
// AUTO_INCREMENT) unless strata::no_autoincrement is given; the session treats the
// value 0 (or std::nullopt) of such a key as "generate one".
//
// Compile-time errors (static_assert, "strata: ..."): a member pointer of a struct other
// than the model (or one of its bases); a member type with no column mapping; a
// Related/Collection member passed to column(); an unknown option.
// Run-time errors (Error(input) naming the model and column): duplicate table, model,
// column or member; a foreign key to a missing table, column or undeclared model.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "orm/detail/column_traits.hpp"
#include "orm/detail/member_key.hpp"
#include "orm/detail/model_mapper.hpp"
#include "orm/index_decl.hpp"
#include "orm/registry.hpp"
#include "orm/relationship.hpp"

namespace strata {

// ---- column options ---------------------------------------------------------------------

struct PrimaryKeyOption {};
inline constexpr PrimaryKeyOption primary_key{};

// A single-column unique constraint (uq_<table>_<column>).
struct UniqueOption {};
inline constexpr UniqueOption unique{};

// A single-column index (ix_<table>_<column>). Named `indexed` rather than `index`,
// which POSIX <strings.h> declares globally (ambiguous after `using namespace strata`).
struct IndexOption {};
inline constexpr IndexOption indexed{};

struct AutoincrementOption {
    bool on = true;
};
inline constexpr AutoincrementOption autoincrement{true};
inline constexpr AutoincrementOption no_autoincrement{false};

struct NullableOption {
    bool on = true;
};
inline constexpr NullableOption nullable{true};
inline constexpr NullableOption not_null{false};

// The options holding strings or types have their destructors out of line (registry.cpp),
// and the functions making them too: a model declaration creates many of them, and
// inlined they made up most of the code of a declaring function.
struct TypeOption {
    ColumnType type;
    ~TypeOption();
};
// The portable type of the column, e.g. type(types::string(100)), type(types::numeric(10, 2)).
TypeOption type(ColumnType t);

struct DefaultOption {
    ServerDefault value;
    ~DefaultOption();
};
// A server-side DEFAULT with a literal value (strings unquoted; booleans, integers,
// floating point numbers as such).
DefaultOption default_value(std::string value);
DefaultOption default_value(const char* value);
DefaultOption default_value(bool value);
DefaultOption default_value(double value);
namespace detail {
DefaultOption default_integer(long long value);
DefaultOption default_integer(unsigned long long value);
}  // namespace detail
template <class I>
    requires std::integral<I> && (!std::same_as<I, bool>)
DefaultOption default_value(I value) {
    // std::to_string of any integer type spells it as the widest type of its signedness does.
    if constexpr (std::is_signed_v<I>) return detail::default_integer(static_cast<long long>(value));
    else return detail::default_integer(static_cast<unsigned long long>(value));
}
// A server-side DEFAULT expression, e.g. default_expression("CURRENT_TIMESTAMP").
DefaultOption default_expression(std::string sql);

struct ForeignKeyOption {
    detail::ForeignKeyDecl decl;
    ~ForeignKeyOption();
    ForeignKeyOption on_delete(FkAction action) const;
    ForeignKeyOption on_update(FkAction action) const;
    ForeignKeyOption name(std::string n) const;
};
namespace detail {
ForeignKeyOption foreign_key_to(MemberKey member);
}  // namespace detail
// A foreign key to "table.column", or to "table" (its single-column primary key).
ForeignKeyOption foreign_key(std::string target);
// A foreign key to a column of another model: foreign_key(&Department::id).
template <class C, class M>
ForeignKeyOption foreign_key(M C::*member) {
    return detail::foreign_key_to(detail::member_key(member));
}

struct CheckOption {
    std::string expression;
    std::string name;
    ~CheckOption();
};
// A CHECK constraint on the table; `expression` is SQL (ck_<table>_<column> unless named).
CheckOption check(std::string_view expression, std::string_view name = {});

struct CommentOption {
    std::string text;
    ~CommentOption();
};
CommentOption comment(std::string_view text);

// The column's previous name: the differ turns the change into a rename, not drop+add.
struct RenamedFromOption {
    std::string name;
    ~RenamedFromOption();
};
RenamedFromOption renamed_from(std::string_view old_name);

// A dialect-only option of the column, kept in Column::options under "<dialect>.<name>";
// other databases ignore it. MySQL/MariaDB: option("mysql.collation", "utf8mb4_bin"),
// option("mysql.charset", "latin1"), option("mysql.on_update", "CURRENT_TIMESTAMP")
// (docs/migrations.md, "MySQL/MariaDB character sets, collations and table options").
struct DialectOption {
    std::string key;
    std::string value;
    ~DialectOption();
};
DialectOption option(std::string_view key, std::string_view value);

// ---- relationship options ---------------------------------------------------------------

struct BackPopulatesOption {
    detail::MemberKey member;
};
// The relationship member on the other model that mirrors this one.
template <class C, class R>
BackPopulatesOption back_populates(R C::*member) {
    return {detail::member_key(member)};
}

struct ViaOption {
    detail::MemberKey member;
};
// The foreign key column to use when the two tables have several:
// many-to-one: a column of this model; one-to-many: a column of the related model.
template <class C, class M>
ViaOption via(M C::*member) {
    return {detail::member_key(member)};
}

struct SecondaryOption {
    std::string table;
    std::string owner_column;
    std::string target_column;
    ~SecondaryOption();
};
// Many-to-many through association table `table`. When that table is not declared,
// it is created with the two columns named here (NOT NULL, composite primary key,
// foreign keys with ON DELETE CASCADE). When declared (Registry::add_table), its
// foreign keys to the two tables are used and the names may be omitted.
SecondaryOption secondary(std::string_view table, std::string_view owner_column = {},
                          std::string_view target_column = {});

struct CascadeOption {
    bool save_update = true;
    bool del = false;
    bool delete_orphan = false;
};
// Deleting the owner deletes the related objects (one-to-many).
inline constexpr CascadeOption cascade_delete{true, true, false};
// Also deletes a related object removed from the collection (one-to-many).
inline constexpr CascadeOption delete_orphan{true, true, true};
// Related objects are not added to the session with their owner.
inline constexpr CascadeOption no_save_update{false, false, false};

namespace detail {

inline void apply_column_option(ColumnDecl& d, const PrimaryKeyOption&) { d.primary_key = true; }
inline void apply_column_option(ColumnDecl& d, const UniqueOption&) { d.unique = true; }
inline void apply_column_option(ColumnDecl& d, const IndexOption&) { d.index = true; }
inline void apply_column_option(ColumnDecl& d, const AutoincrementOption& o) { d.autoincrement = o.on; }
inline void apply_column_option(ColumnDecl& d, const NullableOption& o) { d.nullable = o.on; }
inline void apply_column_option(ColumnDecl& d, const TypeOption& o) {
    d.column.type = o.type;
    d.has_type = true;
}
inline void apply_column_option(ColumnDecl& d, const DefaultOption& o) { d.column.server_default = o.value; }
inline void apply_column_option(ColumnDecl& d, const ForeignKeyOption& o) { d.foreign_key = o.decl; }
inline void apply_column_option(ColumnDecl& d, const CheckOption& o) { d.checks.push_back({o.name, o.expression}); }
inline void apply_column_option(ColumnDecl& d, const CommentOption& o) { d.column.comment = o.text; }
inline void apply_column_option(ColumnDecl& d, const RenamedFromOption& o) { d.column.renamed_from = o.name; }
inline void apply_column_option(ColumnDecl& d, const DialectOption& o) { d.column.options.values[o.key] = o.value; }

template <class O>
concept ColumnOptionType = requires(ColumnDecl& d, const O& o) { apply_column_option(d, o); };

inline void apply_relationship_option(RelationshipDecl& d, const BackPopulatesOption& o) {
    d.back_populates = o.member;
}
inline void apply_relationship_option(RelationshipDecl& d, const ViaOption& o) { d.via = o.member; }
inline void apply_relationship_option(RelationshipDecl& d, const SecondaryOption& o) {
    d.kind = RelationshipKind::many_to_many;
    d.secondary = o.table;
    d.secondary_owner_column = o.owner_column;
    d.secondary_target_column = o.target_column;
}
// Cascade options add up, in any order (cascade_delete, delete_orphan == delete_orphan);
// no_save_update only turns the save-update cascade off.
inline void apply_relationship_option(RelationshipDecl& d, const CascadeOption& o) {
    if (!o.save_update) d.cascade_save_update = false;
    d.cascade_delete = d.cascade_delete || o.del;
    d.delete_orphan = d.delete_orphan || o.delete_orphan;
}

template <class O>
concept RelationshipOptionType = requires(RelationshipDecl& d, const O& o) { apply_relationship_option(d, o); };

// One relationship option, type-erased like ColumnOptionRef.
class RelationshipOptionRef {
public:
    template <class O>
    RelationshipOptionRef(const O& option) : option_(&option), apply_(&apply_as<O>) {}
    void apply(RelationshipDecl& decl) const { apply_(decl, option_); }

private:
    template <class O>
    static void apply_as(RelationshipDecl& decl, const void* option) {
        apply_relationship_option(decl, *static_cast<const O*>(option));
    }
    const void* option_;
    void (*apply_)(RelationshipDecl&, const void*);
};

template <class T>
std::shared_ptr<void> create_object() {
    return std::make_shared<T>();
}

// The object a TableBuilder measures member offsets on, shared by the builder's copies.
// Its copy and destruction are out of line (registry.cpp), so that the builders of a
// declaring function share them.
class ModelSample {
public:
    explicit ModelSample(std::shared_ptr<void> object) noexcept;
    ModelSample(const ModelSample& other) noexcept;
    ModelSample& operator=(const ModelSample& other) noexcept;
    ~ModelSample();
    void* get() const noexcept { return object_.get(); }

private:
    std::shared_ptr<void> object_;
};

}  // namespace detail

// ---- the builder --------------------------------------------------------------------------

namespace detail {

// The work of TableBuilder::column() / relationship(), instantiated once per member type
// and option types rather than once per column (those two only find the member).
template <class M, class... Options>
[[gnu::noinline]] void add_column(Registry& registry, ModelMapper& model, std::string_view name, MemberKey member,
                                  std::size_t offset, const Options&... options) {
    registry.declare_column(model, name, member, ColumnAccessor(member_type<M>(), offset),
                            {ColumnOptionRef(options)...});
}
template <class... Options>
[[gnu::noinline]] void add_relationship(Registry& registry, ModelMapper& model, std::string_view name,
                                        const RelationshipMember& member, const Options&... options) {
    registry.declare_relationship(model, name, member, {RelationshipOptionRef(options)...});
}

}  // namespace detail

// Declares the columns, relationships and table-level constraints of model T. A cheap
// handle: every call adds to the registry immediately. Copyable.
template <class T>
class TableBuilder {
public:
    // `sample`: a T the builder measures member offsets on.
    TableBuilder(Registry& registry, detail::ModelMapper& model, std::shared_ptr<void> sample)
        : registry_(&registry), model_(&model), sample_(std::move(sample)) {}
    TableBuilder(Registry& registry, detail::ModelMapper& model, detail::ModelSample sample)
        : registry_(&registry), model_(&model), sample_(std::move(sample)) {}

    // Maps `member` to column `name`. Options: primary_key, unique, indexed, nullable,
    // not_null, type(...), default_value(...), default_expression(...),
    // foreign_key(...), check(...), comment(...), renamed_from(...), autoincrement,
    // no_autoincrement. Throws Error(input) for a duplicate column name or member.
    template <class C, class M, class... Options>
    [[gnu::noinline]] TableBuilder& column(std::string_view name, M C::*member, const Options&... options) {
        static_assert(std::is_base_of_v<C, T>,
                      "strata: column(): the member pointer belongs to another struct than the model being "
                      "declared (table<T>: use &T::member)");
        static_assert(!detail::RelationshipTarget<M>::is_related && !detail::RelationshipTarget<M>::is_collection,
                      "strata: column(): Related<T> and Collection<T> members are declared with relationship()");
        static_assert(Mappable<M>,
                      "strata: column(): no column mapping for this member type; use bool, integers, float, "
                      "double, std::string, strata::Blob, std::vector<std::uint8_t>, strata::Date/Time/DateTime, "
                      "an enum, or std::optional of one, or specialize strata::ColumnTraits<T>");
        static_assert((detail::ColumnOptionType<Options> && ...),
                      "strata: column(): unknown option; see the column options in orm/model.hpp");
        if constexpr (std::is_base_of_v<C, T> && Mappable<M> && (detail::ColumnOptionType<Options> && ...)) {
            // Kept small on purpose (and out of the declaring function): this body is
            // compiled once per column.
            T* sample = static_cast<T*>(sample_.get());
            detail::add_column<M, Options...>(*registry_, *model_, name, detail::member_key(member),
                                              detail::offset_in(sample, &(sample->*member)), options...);
        }
        return *this;
    }

    // Declares a relationship member. Related<U>: many-to-one through a foreign key of
    // this table to U's table. Collection<U>: one-to-many through a foreign key of U's
    // table to this one, or many-to-many with secondary(...). Options: back_populates,
    // via, secondary, cascade_delete, delete_orphan, no_save_update. The foreign key
    // itself is declared on the column (foreign_key(...)); the relationship finds it.
    template <class C, class R, class... Options>
    [[gnu::noinline]] TableBuilder& relationship(std::string_view name, R C::*member, const Options&... options) {
        using Target = detail::RelationshipTarget<R>;
        static_assert(std::is_base_of_v<C, T>,
                      "strata: relationship(): the member pointer belongs to another struct than the model being "
                      "declared");
        static_assert(Target::is_related || Target::is_collection,
                      "strata: relationship(): the member must be a strata::Related<T> or strata::Collection<T>");
        static_assert((detail::RelationshipOptionType<Options> && ...),
                      "strata: relationship(): unknown option; see the relationship options in orm/model.hpp");
        if constexpr (std::is_base_of_v<C, T> && (Target::is_related || Target::is_collection) &&
                      (detail::RelationshipOptionType<Options> && ...)) {
            // Kept small on purpose, like column().
            using U = typename Target::type;
            T* sample = static_cast<T*>(sample_.get());
            R& part = sample->*member;
            std::size_t offset;
            if constexpr (Target::is_related) offset = detail::offset_in(sample, static_cast<detail::RelatedBase*>(&part));
            else offset = detail::offset_in(sample, static_cast<detail::CollectionBase*>(&part));
            detail::add_relationship<Options...>(*registry_, *model_, name,
                                                 {Target::is_collection, detail::member_key(member),
                                                  detail::type_tag<U>(), typeid(U).name(), offset},
                                                 options...);
        }
        return *this;
    }

    // A (possibly multi-column, possibly unique) index; name "" gives ix_<table>_<cols>.
    TableBuilder& index(std::vector<std::string> columns, std::string name = {}, bool unique_index = false) {
        registry_->declare_table_option(*model_, [&](Table& t) {
            t.indexes.push_back({std::move(name), std::move(columns), unique_index});
        });
        return *this;
    }
    // An index with a method, operator classes, key ordering or a WHERE predicate, or on
    // expressions: index(strata::index_on({"payload"}).using_("gin")) (orm/index_decl.hpp).
    TableBuilder& index(const IndexDecl& decl) {
        registry_->declare_table_option(*model_, [&](Table& t) { t.indexes.push_back(decl.index()); });
        return *this;
    }
    // A multi-column unique constraint; name "" gives uq_<table>_<cols>.
    TableBuilder& unique(std::vector<std::string> columns, std::string name = {}) {
        registry_->declare_table_option(*model_,
                                        [&](Table& t) { t.uniques.push_back({std::move(name), std::move(columns)}); });
        return *this;
    }
    // A table-level CHECK; name "" gives ck_<table>_<n>.
    TableBuilder& check(std::string expression, std::string name = {}) {
        registry_->declare_table_option(*model_, [&](Table& t) {
            if (name.empty()) name = naming::check(t.name, std::to_string(t.checks.size() + 1));
            t.checks.push_back({std::move(name), std::move(expression)});
        });
        return *this;
    }
    TableBuilder& comment(std::string text) {
        registry_->declare_table_option(*model_, [&](Table& t) { t.comment = std::move(text); });
        return *this;
    }
    // The table's previous name (a rename hint for the differ).
    TableBuilder& renamed_from(std::string old_name) {
        registry_->declare_table_option(*model_, [&](Table& t) { t.renamed_from = std::move(old_name); });
        return *this;
    }
    // A dialect-only option, e.g. option("mysql.engine", "InnoDB").
    TableBuilder& option(std::string key, std::string value) {
        registry_->declare_table_option(*model_,
                                        [&](Table& t) { t.options.values[std::move(key)] = std::move(value); });
        return *this;
    }

    const Table& declared_table() const noexcept { return model_->table; }
    Registry& registry() const noexcept { return *registry_; }

private:
    Registry* registry_;
    detail::ModelMapper* model_;
    detail::ModelSample sample_;
};

template <class T>
TableBuilder<T> Registry::table(std::string_view name) {
    static_assert(std::is_class_v<T>, "strata: table<T>(): a model is a struct or class");
    static_assert(std::is_default_constructible_v<T>,
                  "strata: table<T>(): a model must be default-constructible (rows are loaded into T{})");
    detail::ModelMapper& m = declare_model(detail::type_tag<T>(), typeid(T).name(), name, &detail::create_object<T>);
    return TableBuilder<T>(*this, m, detail::ModelSample(m.create()));
}

// Declares model T as table `name` in strata::models().
template <class T>
TableBuilder<T> table(std::string_view name) {
    return models().table<T>(name);
}

// Declares a view over the declared tables in strata::models() (Registry::add_view):
//   strata::view("thread_activity", "SELECT t.id, t.title, count(p.id) AS posts FROM ...");
inline void view(std::string name, std::string definition) {
    models().add_view(View{std::move(name), std::move(definition), {}, false});
}
// The same for a PostgreSQL materialized view (other databases refuse to create one).
inline void materialized_view(std::string name, std::string definition) {
    models().add_view(View{std::move(name), std::move(definition), {}, true});
}

}  // namespace strata
