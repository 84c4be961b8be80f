// RowCheck: a question about the rows already in a table, asked before a step that
// depends on them runs (`strata lint --preflight`, docs/lint.md "Preflight"). Plain
// data; Dialect::render_row_check turns it into SQL.
#pragma once

#include <string>
#include <vector>

namespace strata {

struct RowCheck {
    enum class Kind {
        nulls,         // rows where any of `columns` is NULL
        duplicates,    // groups of equal `columns` (rows with a NULL in them never collide)
        orphans,       // rows whose `columns` (none NULL) match no `ref_columns` row of `ref_table`
        violations,    // rows where `expression` is false (NULL passes, as in a CHECK)
        longer_than,   // rows where columns[0] holds more than `max_length` characters
        out_of_range,  // rows where columns[0] < `low` or > `high` (numeric literals)
        rows_present,  // any row
    };
    Kind kind = Kind::rows_present;
    std::string table;
    std::vector<std::string> columns;
    std::string ref_table;
    std::vector<std::string> ref_columns;
    std::string expression;  // violations: SQL text as the check declares it
    long long max_length = 0;
    std::string low, high;
    // What a sample row shows: the primary key, else the checked columns. For
    // duplicates the sample is always the duplicated values and their count.
    std::vector<std::string> key;
};

// The SQL of one RowCheck, without parameters.
struct RowCheckSql {
    std::string count;    // one row, one integer: offending rows (duplicates: duplicated groups)
    std::string samples;  // at most `limit` offending rows, each the key columns
                          // (duplicates: the values, then how many rows hold them)
};

}  // namespace strata
