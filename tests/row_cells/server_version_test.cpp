// Which server versions get INSERT ... RETURNING on a MySQL-protocol connection.
#include <catch2/catch.hpp>

#include "dialects/mysql/mysql_connection.hpp"

using strata::server_has_insert_returning;

TEST_CASE("row_cells: MariaDB 10.5 and later report INSERT ... RETURNING", "[row_cells]") {
    CHECK(server_has_insert_returning("10.5.0-MariaDB"));
    CHECK(server_has_insert_returning("10.11.19-MariaDB-0+deb12u1"));
    CHECK(server_has_insert_returning("11.4.2-MariaDB"));
    CHECK(server_has_insert_returning("5.5.5-10.6.4-MariaDB-1:10.6.4+maria~focal"));
}

TEST_CASE("row_cells: MySQL and older MariaDB report no INSERT ... RETURNING", "[row_cells]") {
    CHECK_FALSE(server_has_insert_returning("10.4.32-MariaDB"));
    CHECK_FALSE(server_has_insert_returning("5.5.5-10.3.39-MariaDB-0+deb10u1"));
    CHECK_FALSE(server_has_insert_returning("8.0.36"));
    CHECK_FALSE(server_has_insert_returning("8.4.0-commercial"));
    CHECK_FALSE(server_has_insert_returning("10.11.5"));  // not MariaDB
    CHECK_FALSE(server_has_insert_returning(""));
    CHECK_FALSE(server_has_insert_returning("MariaDB"));
    CHECK_FALSE(server_has_insert_returning("x.y-MariaDB"));
}
