// query/english/answer_json.hpp
// A question's answer as JSON, the one form `parley ask --format json` and the
// server's /ask both write: the SPARQL it ran, each answer with its IRI and, when
// collected, its evidence (source, title, locator, quote, grades, and with `full` the
// cited passage), the message for no answers, and the grades that counted.
#pragma once

#include <string>

#include "query/english/ask.hpp"

namespace parley::query::english {

std::string AnswerJson(const AskResult& result, bool full);

}  // namespace parley::query::english
