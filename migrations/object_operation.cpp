#include "migrations/object_operation.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace strata {

bool definition_known(const Sequence& sequence) noexcept { return sequence.increment != 0; }
bool definition_known(const Domain& domain) noexcept {
    return !(domain.type.kind == TypeKind::other && domain.type.native.empty());
}
bool definition_known(const EnumType& type) noexcept { return !type.values.empty(); }

namespace detail {

namespace {

std::string labels(const std::vector<std::string>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", '" : "'") + values[i] + "'";
    return out;
}

// What a sequence's definition after the name reads like: "big_integer start 1000 ...".
std::string sequence_details(const Sequence& s) {
    std::string text = s.describe();
    return text.substr(std::min(text.size(), std::string("sequence ").size() + s.name.size() + 1));
}

std::string domain_details(const Domain& d) {
    std::string text = d.describe();
    return text.substr(std::min(text.size(), std::string("domain ").size() + d.name.size() + 1));
}

}  // namespace

std::string describe_object_op(const op::CreateSequence& o) {
    return fmt::format("create sequence {} ({})", o.sequence.name, sequence_details(o.sequence));
}
std::string describe_object_op(const op::DropSequence& o) { return "drop sequence " + o.sequence.name; }
std::string describe_object_op(const op::AlterSequence& o) {
    return fmt::format("alter sequence {}: {} -> {}", o.to.name, sequence_details(o.from), sequence_details(o.to));
}
std::string describe_object_op(const op::CreateDomain& o) {
    return fmt::format("create domain {} ({})", o.domain.name, domain_details(o.domain));
}
std::string describe_object_op(const op::DropDomain& o) { return "drop domain " + o.domain.name; }
std::string describe_object_op(const op::AlterDomain& o) {
    return fmt::format("alter domain {}: {} -> {}", o.to.name, domain_details(o.from), domain_details(o.to));
}
std::string describe_object_op(const op::CreateEnumType& o) {
    return fmt::format("create enum type {} ({})", o.type.name, labels(o.type.values));
}
std::string describe_object_op(const op::DropEnumType& o) { return "drop enum type " + o.type.name; }
std::string describe_object_op(const op::AlterEnumType& o) {
    return fmt::format("alter enum type {}: ({}) -> ({})", o.to.name, labels(o.from.values), labels(o.to.values));
}

std::optional<Operation> reverse_object_op(const op::CreateSequence& o) { return op::DropSequence{o.sequence}; }
std::optional<Operation> reverse_object_op(const op::DropSequence& o) {
    if (!definition_known(o.sequence)) return std::nullopt;
    return op::CreateSequence{o.sequence};
}
std::optional<Operation> reverse_object_op(const op::AlterSequence& o) { return op::AlterSequence{o.to, o.from}; }
std::optional<Operation> reverse_object_op(const op::CreateDomain& o) { return op::DropDomain{o.domain}; }
std::optional<Operation> reverse_object_op(const op::DropDomain& o) {
    if (!definition_known(o.domain)) return std::nullopt;
    return op::CreateDomain{o.domain};
}
std::optional<Operation> reverse_object_op(const op::AlterDomain& o) { return op::AlterDomain{o.to, o.from}; }
std::optional<Operation> reverse_object_op(const op::CreateEnumType& o) { return op::DropEnumType{o.type}; }
std::optional<Operation> reverse_object_op(const op::DropEnumType& o) {
    if (!definition_known(o.type)) return std::nullopt;
    return op::CreateEnumType{o.type};
}
std::optional<Operation> reverse_object_op(const op::AlterEnumType& o) { return op::AlterEnumType{o.to, o.from}; }

const char* object_op_name(const op::CreateSequence&) noexcept { return "create_sequence"; }
const char* object_op_name(const op::DropSequence&) noexcept { return "drop_sequence"; }
const char* object_op_name(const op::AlterSequence&) noexcept { return "alter_sequence"; }
const char* object_op_name(const op::CreateDomain&) noexcept { return "create_domain"; }
const char* object_op_name(const op::DropDomain&) noexcept { return "drop_domain"; }
const char* object_op_name(const op::AlterDomain&) noexcept { return "alter_domain"; }
const char* object_op_name(const op::CreateEnumType&) noexcept { return "create_enum_type"; }
const char* object_op_name(const op::DropEnumType&) noexcept { return "drop_enum_type"; }
const char* object_op_name(const op::AlterEnumType&) noexcept { return "alter_enum_type"; }

bool only_adds_labels(const EnumType& from, const EnumType& to) noexcept {
    std::size_t at = 0;  // position in to.values after the previous old label
    for (const std::string& v : from.values) {
        auto it = std::find(to.values.begin() + static_cast<std::ptrdiff_t>(at), to.values.end(), v);
        if (it == to.values.end()) return false;
        at = static_cast<std::size_t>(it - to.values.begin()) + 1;
    }
    return true;
}

bool object_op_destructive(const Operation& operation) noexcept {
    if (std::holds_alternative<op::DropSequence>(operation)) return true;
    if (const auto* a = std::get_if<op::AlterEnumType>(&operation)) {
        for (const std::string& v : a->from.values)
            if (std::find(a->to.values.begin(), a->to.values.end(), v) == a->to.values.end()) return true;
    }
    return false;
}

}  // namespace detail

}  // namespace strata
