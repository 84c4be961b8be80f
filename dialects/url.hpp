// Database URLs (design.md §5), as in SQLAlchemy:
//   sqlite:///relative.db   sqlite:////abs/path.db   sqlite://:memory:   sqlite://
//   postgresql://user:pass@host:port/db?sslmode=disable
//   mysql://user:pass@host:port/db   (also mariadb://)
// "+driver" suffixes (postgresql+psycopg2) are accepted and ignored. User and
// password are percent-decoded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

struct Url {
    std::string dialect;   // "sqlite", "postgresql" or "mysql"
    std::string driver;    // the ignored "+driver" part, kept for messages
    std::string user;
    std::string password;
    std::string host;
    std::optional<int> port;
    std::string database;  // SQLite: the file path, or ":memory:"
    std::map<std::string, std::string> query;  // ?key=value options, percent-decoded

    // Parses `text`; throws Error(input) with a message that shows the accepted forms.
    static Url parse(std::string_view text);
    // The URL with the password replaced by "***" (for logs and errors).
    std::string redacted() const;
    // A copy pointing at another database on the same server.
    Url with_database(std::string db) const;
    std::string str() const;  // canonical form, password included
};

}  // namespace strata
