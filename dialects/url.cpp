#include "dialects/url.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "core/error.hpp"

namespace strata {

namespace {

constexpr const char* kForms =
    "expected sqlite:///relative.db, sqlite:////absolute.db, sqlite://:memory:, "
    "postgresql://user:pass@host:port/db or mysql://user:pass@host:port/db";

[[noreturn]] void bad_url(std::string_view text, const std::string& why) {
    // Never echo a password back: show the text only up to the credentials.
    std::string shown(text);
    auto at = shown.rfind('@');
    auto scheme_end = shown.find("://");
    if (at != std::string::npos && scheme_end != std::string::npos && at > scheme_end)
        shown = shown.substr(0, scheme_end + 3) + "***" + shown.substr(at);
    throw Error(ErrorKind::input, fmt::format("invalid database URL '{}': {}; {}", shown, why, kForms));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view in, std::string_view whole) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%') {
            int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
            int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
            if (hi < 0 || lo < 0) bad_url(whole, "bad percent escape (use %XX with two hex digits)");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

std::string percent_encode(std::string_view in) {
    std::string out;
    for (unsigned char c : in) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string canonical_dialect(std::string_view scheme, std::string_view whole) {
    if (scheme == "sqlite" || scheme == "sqlite3") return "sqlite";
    if (scheme == "postgresql" || scheme == "postgres" || scheme == "pgsql") return "postgresql";
    if (scheme == "mysql" || scheme == "mariadb") return "mysql";
    bad_url(whole, fmt::format("unknown scheme '{}' (strata supports sqlite, postgresql and mysql)", scheme));
}

}  // namespace

Url Url::parse(std::string_view text) {
    Url url;
    auto sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0) bad_url(text, "missing '<scheme>://'");
    std::string_view scheme = text.substr(0, sep);
    if (auto plus = scheme.find('+'); plus != std::string_view::npos) {
        url.driver = std::string(scheme.substr(plus + 1));
        scheme = scheme.substr(0, plus);
    }
    url.dialect = canonical_dialect(scheme, text);
    std::string_view rest = text.substr(sep + 3);

    // Query options apply to every dialect (sqlite: ?timeout=..).
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        while (!query.empty()) {
            auto amp = query.find('&');
            std::string_view pair = query.substr(0, amp);
            if (!pair.empty()) {
                auto eq = pair.find('=');
                if (eq == std::string_view::npos || eq == 0) bad_url(text, fmt::format("query option '{}' is not key=value", pair));
                url.query[percent_decode(pair.substr(0, eq), text)] = percent_decode(pair.substr(eq + 1), text);
            }
            if (amp == std::string_view::npos) break;
            query = query.substr(amp + 1);
        }
    }

    if (url.dialect == "sqlite") {
        // sqlite://            -> in memory
        // sqlite://:memory:    -> in memory
        // sqlite:///rel.db     -> "rel.db"
        // sqlite:////abs.db    -> "/abs.db"
        if (rest.empty() || rest == ":memory:" || rest == "/:memory:") {
            url.database = ":memory:";
        } else if (rest.front() == '/') {
            url.database = percent_decode(rest.substr(1), text);
            if (url.database.empty()) bad_url(text, "empty SQLite file name");
        } else {
            bad_url(text, "a SQLite URL has no host: use three slashes for a relative path");
        }
        return url;
    }

    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) url.database = percent_decode(rest.substr(slash + 1), text);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view cred = authority.substr(0, at);
        authority = authority.substr(at + 1);
        auto colon = cred.find(':');
        url.user = percent_decode(cred.substr(0, colon), text);
        if (colon != std::string_view::npos) url.password = percent_decode(cred.substr(colon + 1), text);
    }
    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {  // [ipv6]:port
        auto close = host.find(']');
        if (close == std::string_view::npos) bad_url(text, "unterminated '[' in host");
        url.host = std::string(host.substr(1, close - 1));
        host = host.substr(close + 1);
        if (!host.empty() && host.front() != ':') bad_url(text, "unexpected text after ']'");
    } else {
        auto colon = host.rfind(':');
        url.host = percent_decode(host.substr(0, colon), text);
        host = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
    }
    if (!host.empty()) {  // ":port"
        std::string_view port = host.substr(1);
        int p = 0;
        auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (port.empty() || ec != std::errc{} || ptr != port.data() + port.size() || p <= 0 || p > 65535)
            bad_url(text, fmt::format("port '{}' is not a number between 1 and 65535", port));
        url.port = p;
    }
    if (url.host.empty() && !url.query.contains("host") && !url.query.contains("socket")) url.host = "localhost";
    if (url.database.empty()) bad_url(text, "missing database name after the host ('.../dbname')");
    return url;
}

std::string Url::str() const {
    std::string scheme = dialect;
    if (dialect == "sqlite") {
        std::string s = "sqlite://";
        s += database == ":memory:" ? ":memory:" : "/" + database;
        return s;
    }
    std::string s = scheme + "://";
    if (!user.empty()) {
        s += percent_encode(user);
        if (!password.empty()) s += ":" + percent_encode(password);
        s += "@";
    }
    s += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port) s += ":" + std::to_string(*port);
    s += "/" + percent_encode(database);
    char sepc = '?';
    for (const auto& [k, v] : query) {
        s += sepc + percent_encode(k) + "=" + percent_encode(v);
        sepc = '&';
    }
    return s;
}

std::string Url::redacted() const {
    Url copy = *this;
    if (!copy.password.empty()) copy.password = "***";
    std::string s = copy.str();
    // percent_encode turned *** into %2A%2A%2A; show it plainly.
    auto pos = s.find("%2A%2A%2A");
    if (pos != std::string::npos) s.replace(pos, 9, "***");
    return s;
}

Url Url::with_database(std::string db) const {
    Url copy = *this;
    copy.database = std::move(db);
    return copy;
}

}  // namespace strata
