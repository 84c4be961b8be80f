#include "sql_script.hpp"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace strata::testing {

namespace {

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

// Length of the dollar-quote tag starting at s[i] ("$$" or "$tag$"), 0 when none.
std::size_t dollar_tag(const std::string& s, std::size_t i) {
    std::size_t j = i + 1;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
    return j < s.size() && s[j] == '$' ? j - i + 1 : 0;
}

// A line "DELIMITER x" at s[i] (start of a line): the new delimiter, else "".
std::string delimiter_directive(const std::string& s, std::size_t i, std::size_t& line_end) {
    line_end = s.find('\n', i);
    if (line_end == std::string::npos) line_end = s.size();
    std::string line = trim(s.substr(i, line_end - i));
    if (line.size() < 11) return {};
    std::string head = line.substr(0, 10);
    for (char& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (head != "DELIMITER ") return {};
    return trim(line.substr(10));
}

}  // namespace

std::vector<std::string> split_sql_script(const std::string& s) {
    std::vector<std::string> out;
    std::string delimiter = ";", current;
    auto finish = [&] {
        std::string st = trim(current);
        if (!st.empty()) out.push_back(st);
        current.clear();
    };
    bool line_start = true;
    for (std::size_t i = 0; i < s.size();) {
        if (line_start && trim(current).empty()) {
            std::size_t end;
            std::string d = delimiter_directive(s, i, end);
            if (!d.empty()) {
                delimiter = d;
                i = end;
                continue;
            }
        }
        char c = s[i];
        line_start = c == '\n';
        if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // comment to end of line
            std::size_t e = s.find('\n', i);
            i = e == std::string::npos ? s.size() : e;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            std::size_t j = i + 1;
            while (j < s.size() && !(s[j] == c && (j + 1 >= s.size() || s[j + 1] != c))) j += s[j] == c ? 2 : 1;
            current.append(s, i, j + 1 - i);
            i = j + 1;
            continue;
        }
        if (c == '$') {
            if (std::size_t n = dollar_tag(s, i)) {
                std::size_t close = s.find(s.substr(i, n), i + n);
                std::size_t e = close == std::string::npos ? s.size() : close + n;
                current.append(s, i, e - i);
                i = e;
                continue;
            }
        }
        if (s.compare(i, delimiter.size(), delimiter) == 0) {
            finish();
            i += delimiter.size();
            continue;
        }
        current += c;
        ++i;
    }
    finish();
    return out;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace strata::testing
