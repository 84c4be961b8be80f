#include "orm/detail/row_tuple.hpp"

#include <fmt/format.h>

namespace strata::detail {

void null_row_element(std::size_t position) {
    throw Error(ErrorKind::database,
                fmt::format("Query::rows(): column {} of a row is NULL, which its element type cannot hold; make "
                            "that element a std::optional",
                            position));
}

void bad_row_element(std::size_t position, const Error& cause) {
    throw Error(ErrorKind::database,
                fmt::format("Query::rows(): column {} of a row does not convert to its element "
                            "type: {}",
                            position, cause.what()),
                cause.details());
}

}  // namespace strata::detail
