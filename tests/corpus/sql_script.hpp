// Test support: a SQL script file split into statements, as a database's own client would
// run it. Statements end with the current delimiter (";" at first) outside quotes and
// comments; a line `DELIMITER //` changes it (the MySQL client's convention, used here for
// trigger and function bodies on every database).
#pragma once

#include <string>
#include <vector>

namespace strata::testing {

// The statements of `script`, trimmed, without their delimiters; comments outside
// statements dropped. Single- and double-quoted strings, backquoted names and PostgreSQL
// dollar-quoted strings ($$...$$, $tag$...$tag$) may contain the delimiter.
std::vector<std::string> split_sql_script(const std::string& script);

// The contents of a file; throws std::runtime_error naming it when it cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace strata::testing
