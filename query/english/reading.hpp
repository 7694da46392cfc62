// query/english/reading.hpp
// The relaxed reader: what the strict grammar (ask.cpp) cannot parse is read here. It
// tokenises and lemmatises the question (tokens.hpp, morphology.hpp), finds the
// entities, classes, property words and dates it mentions (the lexicon's lemmatised
// index, fuzzy names), works out the form of question from its first words, and
// connects the mentions through the schema: the property a word names, checked
// against domains and ranges, or else the smallest pattern of declared properties
// between the kinds of things mentioned. Every word of the question must be accounted
// for; a content word it cannot place makes it refuse, so no answer is about
// something the question did not mention.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/english/lexicon.hpp"
#include "store/quad.hpp"

namespace parley::query::english {

struct Interpretation {
  enum class Form : std::uint8_t {
    kList,      // ?x ?label: the entities that fit
    kCount,     // the same, counted
    kWhen,      // ?x ?label ?value: the dates of ?x
    kWhere,     // ?x ?label ?value ?value_label: the places of ?x
    kYesNo,     // rows when the statement holds
    kDescribe,  // a profile of `entity`
    kWhy,       // the claims about `entity`, by claimant
  };
  Form form = Form::kList;
  std::string sparql;                                // what runs (kList ... kYesNo)
  std::vector<std::array<std::string, 3>> facts;     // its triple patterns, for the evidence of each row
  std::string described;                             // the reading in words: "proposals that address peace treaty"
  std::string entity;                                // kDescribe, kWhy
};

struct ReadResult {
  std::optional<Interpretation> reading;
  std::string message;  // when there is no reading: what was understood, and questions that would parse
};

ReadResult ReadQuestion(std::string_view question, const Lexicon& lexicon, const QuadSource& source,
                        const TermDictionary& dictionary);

// A SPARQL condition: some date of `var` (or the span from its start to its end, or
// the date of the event it was made at) meets the open interval (lo, hi) of ISO
// prefixes; "in 2018" is ("2018", "2018~").
std::string DateOverlap(const std::string& var, const std::string& lo, const std::string& hi);

// True when the relaxed reader reads `question`; quicker than ReadQuestion when it does
// not, as it writes no message (for checking suggested rewordings).
bool Readable(std::string_view question, const Lexicon& lexicon, const QuadSource& source,
              const TermDictionary& dictionary);

}  // namespace parley::query::english
