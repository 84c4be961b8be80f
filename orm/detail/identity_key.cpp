#include "orm/detail/identity_key.hpp"

#include <variant>

namespace strata::detail {

namespace {

void append_raw(std::string& out, const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }

template <class T>
void append_pod(std::string& out, const T& x) {
    append_raw(out, &x, sizeof x);
}

void append_sized(std::string& out, const void* p, std::size_t n) {
    append_pod(out, static_cast<std::uint64_t>(n));
    append_raw(out, p, n);
}

struct Encoder {
    std::string& out;
    void operator()(const Null&) const {}
    void operator()(bool b) const { out.push_back(b ? 1 : 0); }
    void operator()(std::int64_t i) const { append_pod(out, i); }
    void operator()(double d) const { append_pod(out, d); }
    void operator()(const std::string& s) const { append_sized(out, s.data(), s.size()); }
    void operator()(const Blob& b) const { append_sized(out, b.bytes.data(), b.bytes.size()); }
    void operator()(const Date& d) const {
        int parts[3] = {d.year, d.month, d.day};
        append_pod(out, parts);
    }
    void operator()(const Time& t) const {
        int parts[4] = {t.hour, t.minute, t.second, t.microsecond};
        append_pod(out, parts);
    }
    void operator()(const DateTime& t) const {
        (*this)(t.date);
        (*this)(t.time);
    }
};

}  // namespace

void encode_value(const Value& v, std::string& out) {
    out.push_back(static_cast<char>(v.index()));
    std::visit(Encoder{out}, v);
}

IdentityKey make_identity_key(const Value* values, const std::vector<std::size_t>& columns) {
    IdentityKey k;
    if (columns.size() == 1) {
        if (const auto* i = std::get_if<std::int64_t>(&values[columns[0]])) {
            k.integer = *i;
            return k;
        }
    }
    k.is_integer = false;
    for (std::size_t c : columns) encode_value(values[c], k.bytes);
    return k;
}

IdentityKey make_identity_key(const Value* key_values, std::size_t count) {
    IdentityKey k;
    if (count == 1) {
        if (const auto* i = std::get_if<std::int64_t>(&key_values[0])) {
            k.integer = *i;
            return k;
        }
    }
    k.is_integer = false;
    for (std::size_t i = 0; i < count; ++i) encode_value(key_values[i], k.bytes);
    return k;
}

IdentityKey make_identity_key(const std::vector<Value>& key_values) {
    return make_identity_key(key_values.data(), key_values.size());
}

}  // namespace strata::detail
