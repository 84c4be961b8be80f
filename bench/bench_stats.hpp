// Small helpers shared by the strata benchmarks: a stopwatch and the summary of repeated
// timings.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace strata::bench {

class Stopwatch {
public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_;
};

// Seconds of several runs of one measurement.
struct Timings {
    std::vector<double> runs;
    void add(double s) { runs.push_back(s); }
    bool empty() const noexcept { return runs.empty(); }
    double median() const {
        if (runs.empty()) return 0;
        std::vector<double> v = runs;
        std::sort(v.begin(), v.end());
        std::size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    double best() const { return runs.empty() ? 0 : *std::min_element(runs.begin(), runs.end()); }
};

}  // namespace strata::bench
