#include "cmd/output.hpp"

#include <ostream>

#include "cmd/exit_codes.hpp"

namespace strata::cli {

namespace {

void write_line(std::ostream& os, std::string_view text) {
    os << text;
    if (text.empty() || text.back() != '\n') os << '\n';
    os.flush();
}

}  // namespace

Output::Output(Format format, std::ostream& out, std::ostream& err) : format_(format), out_(out), err_(err) {}

void Output::print(std::string_view text) {
    if (!json()) write_line(out_, text);
}

void Output::progress(std::string_view text) { write_line(json() ? err_ : out_, text); }

void Output::warn(std::string_view text) {
    err_ << "warning: ";
    write_line(err_, text);
}

void Output::aside(std::string_view text) {
    if (!json()) write_line(err_, text);
}

int Output::finish(int exit_code) {
    if (json()) {
        nlohmann::ordered_json doc = nlohmann::ordered_json::object();
        doc["ok"] = true;
        if (!command_.empty()) doc["command"] = command_;
        for (auto& [key, value] : data_.items()) doc[key] = value;
        doc["exit_code"] = exit_code;
        out_ << doc.dump(2) << '\n';
        out_.flush();
    }
    return exit_code;
}

int Output::fail(const Error& error, int exit_code) {
    int code = exit_code >= 0 ? exit_code : exit_code_for(error.kind());
    if (json()) {
        nlohmann::ordered_json doc = nlohmann::ordered_json::object();
        doc["ok"] = false;
        if (!command_.empty()) doc["command"] = command_;
        // Facts gathered before the failure (e.g. revisions applied before the one that
        // failed) stay in the document.
        for (auto& [key, value] : data_.items()) doc[key] = value;
        doc["error"] = error_json(error);
        doc["exit_code"] = code;
        out_ << doc.dump(2) << '\n';
        out_.flush();
        return code;
    }
    std::string message = error.what();
    err_ << "error: ";
    write_line(err_, message);
    if (!error.sql().empty() && message.find(error.sql()) == std::string::npos) {
        err_ << "  statement: ";
        write_line(err_, error.sql());
    }
    return code;
}

nlohmann::ordered_json error_json(const Error& error) {
    // A stable shape for machines: every field present, null when unknown.
    auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s); };
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    e["kind"] = to_string(error.kind());
    e["message"] = error.what();
    e["file"] = or_null(error.file());
    e["line"] = error.line() > 0 ? nlohmann::ordered_json(error.line()) : nlohmann::ordered_json();
    e["sqlstate"] = or_null(error.sqlstate());
    e["server_code"] = error.server_code() != 0 ? nlohmann::ordered_json(error.server_code()) : nlohmann::ordered_json();
    e["sql"] = or_null(error.sql());
    e["constraint"] = or_null(error.constraint());
    return e;
}

}  // namespace strata::cli
