// Umbrella header of the ORM: models, registry, session, queries (subqueries, bulk
// assignments), relationships, server-defaulted members (strata::Defaulted), units of work
// retried on transaction conflicts (strata::run_transaction).
//
//   #include "orm/orm.hpp"
//
// See docs/models.md (declaring models) and docs/orm.md (sessions and queries).
#pragma once

#include "dialects/engine.hpp"
#include "orm/assignment.hpp"
#include "orm/create_all.hpp"
#include "orm/defaulted.hpp"
#include "orm/expression.hpp"
#include "orm/model.hpp"
#include "orm/query.hpp"
#include "orm/registry.hpp"
#include "orm/relationship.hpp"
#include "orm/session.hpp"
#include "orm/subquery.hpp"
#include "orm/transaction.hpp"
#include "orm/transaction_retry.hpp"
