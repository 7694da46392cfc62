// query/validate.hpp
// The rules of SPARQL 1.1 that the grammar alone does not enforce (§18.2.1, §18.2.4.1,
// §19.8): variable scope for BIND and SELECT expressions, grouping, VALUES row widths,
// and blank node labels shared between basic graph patterns.
#pragma once

#include <string_view>

#include "query/ast.hpp"
#include "store/status.hpp"

namespace parley::query {

Status ValidateQuery(const ast::Query& query, std::string_view origin);
Status ValidateUpdate(const ast::Update& update, std::string_view origin);

}  // namespace parley::query
