// query/grammar/grammar.hpp
// The SPARQL 1.1 Query grammar's rules that cross translation units. Each family of
// rules is defined and instantiated in its own .cpp (terms, expressions, patterns,
// queries), so editing one family does not recompile the others' templates.
#pragma once

#include "query/grammar/config.hpp"

namespace parley::query::grammar {

// Whether `name` (any case) is one of SPARQL's built-in functions.
bool IsBuiltin(std::string name);

#define PARLEY_DECLARE_RULE(name)                     \
  struct name##_class;                                \
  using name##_type = x3::rule<name##_class>;         \
  BOOST_SPIRIT_DECLARE(name##_type)

// terms.cpp: each pushes one term onto the builder's term stack.
PARLEY_DECLARE_RULE(var_term)
PARLEY_DECLARE_RULE(iri_term)
PARLEY_DECLARE_RULE(var_or_iri)
PARLEY_DECLARE_RULE(var_or_term)
PARLEY_DECLARE_RULE(rdf_literal)
PARLEY_DECLARE_RULE(numeric_unsigned)
PARLEY_DECLARE_RULE(boolean_literal)
PARLEY_DECLARE_RULE(data_block_value)
// prologue declarations (BASE, PREFIX), also terms.cpp
PARLEY_DECLARE_RULE(prologue)

// expression.cpp: each pushes one expression.
PARLEY_DECLARE_RULE(expression)
PARLEY_DECLARE_RULE(bracketted_expression)
PARLEY_DECLARE_RULE(builtin_call)
PARLEY_DECLARE_RULE(function_call)

// pattern.cpp
PARLEY_DECLARE_RULE(group_graph_pattern)  // pushes a finished group
PARLEY_DECLARE_RULE(triples_template)     // triples into the open group
PARLEY_DECLARE_RULE(data_block)           // fills the builder's values block

// query.cpp
PARLEY_DECLARE_RULE(sub_select)           // adds a sub-select to the open group
PARLEY_DECLARE_RULE(query_unit)

// update.cpp
PARLEY_DECLARE_RULE(update_unit)

#undef PARLEY_DECLARE_RULE

}  // namespace parley::query::grammar
