// ParamView: the bound parameters of one statement, read by position. Either contiguous
// values (a std::vector<Value>, a std::span) or pointers to values that live elsewhere:
// the session binds a multi-row INSERT straight from the snapshots it keeps anyway, so
// no row is copied into a parameter array first (docs/performance.md, issue 11).
//
// A view: it owns nothing; the values (and the pointer array) must outlive the call it
// is passed to. Cheap to copy. Not thread-safe beyond what the values are.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/value.hpp"

namespace strata {

class ParamView {
public:
    ParamView() noexcept = default;
    ParamView(std::span<const Value> values) noexcept : values_(values.data()), size_(values.size()) {}
    ParamView(const std::vector<Value>& values) noexcept : values_(values.data()), size_(values.size()) {}
    // Parameter i is *refs[i].
    static ParamView refs(std::span<const Value* const> refs) noexcept {
        ParamView v;
        v.refs_ = refs.data();
        v.size_ = refs.size();
        return v;
    }

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const Value& operator[](std::size_t i) const noexcept { return refs_ ? *refs_[i] : values_[i]; }

private:
    const Value* values_ = nullptr;
    const Value* const* refs_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace strata
