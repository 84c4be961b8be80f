// A diff's operations as text, for test expectations and failure messages.
#pragma once

#include <string>
#include <vector>

#include "migrations/differ.hpp"

namespace strata::testing {

// describe() of each operation, in order.
inline std::vector<std::string> described(const DiffResult& r) {
    std::vector<std::string> out;
    for (const Operation& op : r.operations) out.push_back(describe(op));
    return out;
}

// One indented line per operation.
inline std::string listing(const DiffResult& r) {
    std::string out;
    for (const auto& d : described(r)) out += "  " + d + "\n";
    return out;
}

}  // namespace strata::testing
