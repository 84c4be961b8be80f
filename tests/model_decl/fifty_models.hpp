// Fifty declared models (fifty_models.cpp), for the compile-time measurement.
#pragma once

#include "orm/registry.hpp"

namespace fifty {
strata::Registry& registry();
}
