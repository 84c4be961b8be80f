#include "orm/detail/snapshot.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

#include "orm/detail/model_mapper.hpp"

namespace strata::detail {

namespace {

// Value::index() of each alternative (the order is part of Value's API).
enum Kind : std::uint8_t {
    kNull = 0, kBool = 1, kInteger = 2, kReal = 3, kText = 4, kBlob = 5, kDate = 6, kTime = 7, kDateTime = 8
};
static_assert(std::is_same_v<std::variant_alternative_t<kBool, Value>, bool>);
static_assert(std::is_same_v<std::variant_alternative_t<kInteger, Value>, std::int64_t>);
static_assert(std::is_same_v<std::variant_alternative_t<kReal, Value>, double>);
static_assert(std::is_same_v<std::variant_alternative_t<kText, Value>, std::string>);
static_assert(std::is_same_v<std::variant_alternative_t<kBlob, Value>, Blob>);
static_assert(std::is_same_v<std::variant_alternative_t<kDate, Value>, Date>);
static_assert(std::is_same_v<std::variant_alternative_t<kTime, Value>, Time>);
static_assert(std::is_same_v<std::variant_alternative_t<kDateTime, Value>, DateTime>);
static_assert(PackedValue::kNull == kNull && PackedValue::kBool == kBool && PackedValue::kInteger == kInteger &&
              PackedValue::kReal == kReal && PackedValue::kText == kText);

constexpr std::size_t kBlocksPerChunk = 256;
// Text area per text or blob column: most names, codes and e-mail addresses fit; longer
// values go to the heap.
constexpr std::size_t kTextBytesPerColumn = 24;

bool byte_field(int v) noexcept { return v >= 0 && v <= 0xff; }

// Time of day in 48 bits: hour, minute, second (8 bits each), microsecond (24 bits).
bool pack_time(const Time& t, std::uint64_t& out) noexcept {
    if (!byte_field(t.hour) || !byte_field(t.minute) || !byte_field(t.second) || t.microsecond < 0 ||
        t.microsecond > 0xffffff)
        return false;
    out = std::uint64_t(t.hour) << 40 | std::uint64_t(t.minute) << 32 | std::uint64_t(t.second) << 24 |
          std::uint64_t(t.microsecond);
    return true;
}

Time unpack_time(std::uint64_t v) noexcept {
    return Time{int(v >> 40 & 0xff), int(v >> 32 & 0xff), int(v >> 24 & 0xff), int(v & 0xffffff)};
}

// The entry for a value that fits in 16 bytes; false for texts, blobs and out-of-range
// fields (the caller stores those elsewhere).
bool pack_inline(const Value& v, PackedValue& e) noexcept {
    e.kind = static_cast<std::uint8_t>(v.index());
    e.place = PackedValue::Place::inline_value;
    e.extra = 0;
    switch (v.index()) {
        case kNull: e.integer = 0; return true;
        case kBool: e.integer = std::get<bool>(v) ? 1 : 0; return true;
        case kInteger: e.integer = std::get<std::int64_t>(v); return true;
        case kReal: e.real = std::get<double>(v); return true;
        case kDate: {
            const Date& d = std::get<Date>(v);
            if (!byte_field(d.month) || !byte_field(d.day)) return false;
            e.integer = static_cast<std::int64_t>(std::uint64_t(std::uint32_t(d.year)) << 32 |
                                                  std::uint64_t(d.month) << 8 | std::uint64_t(d.day));
            return true;
        }
        case kTime: {
            std::uint64_t t;
            if (!pack_time(std::get<Time>(v), t)) return false;
            e.integer = static_cast<std::int64_t>(t);
            return true;
        }
        case kDateTime: {
            const DateTime& dt = std::get<DateTime>(v);
            std::uint64_t t;
            if (!byte_field(dt.date.month) || !byte_field(dt.date.day) || !pack_time(dt.time, t)) return false;
            e.extra = std::uint32_t(dt.date.year);
            e.integer = static_cast<std::int64_t>(std::uint64_t(dt.date.month) << 56 | std::uint64_t(dt.date.day) << 48 | t);
            return true;
        }
        default: return false;
    }
}

Value unpack_inline(const PackedValue& e) {
    const auto u = static_cast<std::uint64_t>(e.integer);
    switch (e.kind) {
        case kBool: return Value(e.integer != 0);
        case kInteger: return Value(e.integer);
        case kReal: return Value(e.real);
        case kDate: return Value(Date{int(std::int32_t(std::uint32_t(u >> 32))), int(u >> 8 & 0xff), int(u & 0xff)});
        case kTime: return Value(unpack_time(u));
        case kDateTime:
            return Value(DateTime{Date{int(std::int32_t(e.extra)), int(u >> 56 & 0xff), int(u >> 48 & 0xff)},
                                  unpack_time(u & 0xffffffffffffULL)});
        default: return Value();
    }
}

}  // namespace

void Snapshot::clear_entry(PackedValue& e) noexcept {
    if (e.place == PackedValue::Place::heap_bytes) delete[] e.bytes;
    else if (e.place == PackedValue::Place::heap_value) delete e.boxed;
    e.kind = kNull;
    e.place = PackedValue::Place::inline_value;
    e.extra = 0;
    e.integer = 0;
}

void Snapshot::place_bytes(PackedValue& e, const char* data, std::size_t size) {
    Header& h = *block_;
    if (size <= std::size_t(h.capacity - h.used)) {
        char* at = text_area() + h.used;
        if (size) std::memcpy(at, data, size);
        h.used = static_cast<std::uint16_t>(h.used + size);
        e.bytes = at;
        e.place = PackedValue::Place::block_bytes;
    } else {
        auto copy = std::make_unique<char[]>(size);
        std::memcpy(copy.get(), data, size);
        e.bytes = copy.release();
        e.place = PackedValue::Place::heap_bytes;
    }
}

Value Snapshot::value(std::size_t c) const { return unpack(entries()[c]); }

Value unpack(const PackedValue& e) {
    switch (e.place) {
        case PackedValue::Place::heap_value: return *e.boxed;
        case PackedValue::Place::inline_value: return unpack_inline(e);
        default: break;
    }
    if (e.kind == kText) return Value(std::in_place_type<std::string>, e.bytes, e.extra);
    return Value(Blob(std::vector<std::uint8_t>(reinterpret_cast<const std::uint8_t*>(e.bytes),
                                                reinterpret_cast<const std::uint8_t*>(e.bytes) + e.extra)));
}

bool Snapshot::is_null(std::size_t c) const noexcept { return entries()[c].kind == kNull; }

void Snapshot::set_slow(std::size_t c, const Value& v) {
    if (const auto* text = std::get_if<std::string>(&v)) return set_bytes(c, kText, *text);
    if (const auto* blob = std::get_if<Blob>(&v))
        return set_bytes(c, kBlob,
                         std::string_view(reinterpret_cast<const char*>(blob->bytes.data()), blob->bytes.size()));
    PackedValue fresh;
    if (!pack_inline(v, fresh)) {
        fresh.boxed = new Value(v);
        fresh.place = PackedValue::Place::heap_value;
        fresh.kind = static_cast<std::uint8_t>(v.index());
    }
    PackedValue& e = entries()[c];
    clear_entry(e);
    e = fresh;
}

void Snapshot::set_bytes(std::size_t c, std::uint8_t kind, std::string_view bytes) {
    PackedValue& e = entries()[c];
    if (e.place == PackedValue::Place::block_bytes && bytes.size() <= e.extra) {
        // Fits where the old value was: a refresh or an update reuses the text area.
        if (!bytes.empty()) std::memmove(const_cast<char*>(e.bytes), bytes.data(), bytes.size());
        e.kind = kind;
        e.extra = static_cast<std::uint32_t>(bytes.size());
        return;
    }
    PackedValue fresh;
    fresh.kind = kind;
    if (bytes.size() > UINT32_MAX) {  // beyond what an entry counts: kept as a Value
        fresh.boxed = kind == kText ? new Value(std::in_place_type<std::string>, bytes)
                                    : new Value(Blob(std::vector<std::uint8_t>(bytes.begin(), bytes.end())));
        fresh.place = PackedValue::Place::heap_value;
    } else {
        place_bytes(fresh, bytes.data(), bytes.size());
        fresh.extra = static_cast<std::uint32_t>(bytes.size());
    }
    clear_entry(e);
    e = fresh;
}

void Snapshot::set_cell_slow(std::size_t c, const Cell& cell, std::size_t canonical) {
    PackedValue& e = entries()[c];
    switch (cell.kind) {
        case Cell::Kind::null: clear_entry(e); return;
        case Cell::Kind::text: set_bytes(c, kText, cell.text); return;
        case Cell::Kind::integer:
            clear_entry(e);
            if (canonical == kBool) {
                e.kind = kBool;
                e.integer = cell.integer != 0;
            } else if (canonical == kReal) {
                e.kind = kReal;
                e.real = static_cast<double>(cell.integer);
            } else {
                e.kind = kInteger;
                e.integer = cell.integer;
            }
            return;
        case Cell::Kind::real:
            clear_entry(e);
            e.kind = kReal;
            e.real = cell.real;
            return;
        case Cell::Kind::other: set(c, Value()); return;
    }
}

IdentityKey Snapshot::key(const std::vector<std::size_t>& columns) const {
    IdentityKey k;
    if (columns.size() == 1) {
        const PackedValue& e = entries()[columns[0]];
        if (e.kind == kInteger) {
            k.integer = e.integer;
            return k;
        }
    }
    k.is_integer = false;
    for (std::size_t c : columns) encode(c, k.bytes);
    return k;
}

void Snapshot::values(std::vector<Value>& out) const {
    out.clear();
    out.reserve(block_->width);
    for (std::size_t c = 0; c < block_->width; ++c) out.push_back(value(c));
}

void Snapshot::encode(std::size_t c, std::string& out) const { encode_value(value(c), out); }

void SnapshotPool::configure(std::size_t width, std::size_t text_columns) {
    clear();
    width_ = std::min<std::size_t>(width, UINT16_MAX);
    std::size_t capacity = std::min<std::size_t>(text_columns * kTextBytesPerColumn, UINT16_MAX - 7);
    text_capacity_ = static_cast<std::uint16_t>((capacity + 7) / 8 * 8);
    configured_ = true;
}

std::size_t SnapshotPool::block_size() const noexcept {
    return sizeof(Snapshot::Header) + width_ * sizeof(PackedValue) + text_capacity_;
}

Snapshot SnapshotPool::make() {
    Snapshot::Header* h;
    if (!free_.empty()) {
        h = free_.back();
        free_.pop_back();
    } else {
        if (chunks_.empty() || used_ == kBlocksPerChunk) {
            chunks_.push_back(static_cast<std::byte*>(::operator new(kBlocksPerChunk * block_size())));
            used_ = 0;
        }
        h = reinterpret_cast<Snapshot::Header*>(chunks_.back() + used_++ * block_size());
    }
    new (h) Snapshot::Header{static_cast<std::uint16_t>(width_), text_capacity_, 0, 0};
    Snapshot s(h);
    std::uninitialized_value_construct_n(s.entries(), width_);
    return s;
}

Snapshot SnapshotPool::make(Value* values) {
    Snapshot s = make();
    try {
        for (std::size_t c = 0; c < width_; ++c) s.set(c, values[c]);
    } catch (...) {
        release(s);
        throw;
    }
    return s;
}

void SnapshotPool::destroy(Snapshot s) noexcept {
    PackedValue* e = s.entries();
    for (std::size_t c = 0; c < width_; ++c) Snapshot::clear_entry(e[c]);
}

void SnapshotPool::release(Snapshot s) noexcept {
    if (!s) return;
    destroy(s);
    // Cannot fail in practice: the free list never holds more than the blocks made.
    try {
        free_.push_back(s.block_);
    } catch (...) {
    }
}


void SnapshotPool::clear() noexcept {
    std::vector<Snapshot::Header*> free = std::move(free_);
    std::sort(free.begin(), free.end());
    const std::size_t size = block_size();
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
        std::size_t n = c + 1 == chunks_.size() ? used_ : kBlocksPerChunk;
        for (std::size_t i = 0; i < n; ++i) {
            auto* h = reinterpret_cast<Snapshot::Header*>(chunks_[c] + i * size);
            if (!std::binary_search(free.begin(), free.end(), h)) destroy(Snapshot(h));
        }
        ::operator delete(chunks_[c]);
    }
    chunks_.clear();
    free_.clear();
    used_ = 0;
}

}  // namespace strata::detail
