#include "orm/schema/view.hpp"

#include <set>

namespace strata {

std::string View::describe() const { return (materialized ? "materialized view " : "view ") + name; }

std::vector<std::size_t> dependency_order(const std::vector<std::string>& names,
                                          const std::vector<std::vector<std::size_t>>& reads) {
    const std::size_t n = names.size();
    std::vector<std::size_t> waiting(n, 0);
    std::vector<std::vector<std::size_t>> readers(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t r : std::set<std::size_t>(reads[i].begin(), reads[i].end()))
            if (r != i && r < n) {
                ++waiting[i];
                readers[r].push_back(i);
            }
    auto by_name = [&](std::size_t a, std::size_t b) { return names[a] != names[b] ? names[a] < names[b] : a < b; };
    std::set<std::size_t, decltype(by_name)> ready(by_name), left(by_name);
    for (std::size_t i = 0; i < n; ++i) (waiting[i] == 0 ? ready : left).insert(i);
    std::vector<std::size_t> out;
    while (out.size() < n) {
        if (ready.empty()) {
            ready.insert(*left.begin());
            left.erase(left.begin());
        }
        std::size_t next = *ready.begin();
        ready.erase(ready.begin());
        out.push_back(next);
        for (std::size_t reader : readers[next])
            if (left.count(reader) && --waiting[reader] == 0) {
                left.erase(reader);
                ready.insert(reader);
            }
    }
    return out;
}

std::string trimmed_definition(std::string_view sql) {
    auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
    while (!sql.empty() && (space(sql.back()) || sql.back() == ';')) sql.remove_suffix(1);
    while (!sql.empty() && space(sql.front())) sql.remove_prefix(1);
    return std::string(sql);
}

}  // namespace strata
