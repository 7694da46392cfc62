// query/english/question.hpp
// The strict controlled-English front-end, in two steps: the X3 grammar
// (grammar.cpp) parses a question into a Question, and the compiler (compile.cpp)
// turns a Question into SPARQL. Internal to query/english; nothing here includes X3.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "query/english/lexicon.hpp"
#include "store/quad.hpp"

namespace parley::query::english {


struct Clause {
  std::vector<PropertyWord> verbs;   // the candidates the verb phrase names
  std::string verb_text;
  std::vector<std::string> entity;   // candidates for the name (more than one: ambiguous)
  std::string entity_text;
  bool x_first = true;               // "?x VERB E" (else "E VERB ?x")
  bool joined_by_or = false;
};

struct Modifier {
  enum class Kind : std::uint8_t { kAccordingTo, kAbout, kBefore, kAfter, kIn, kBy };
  Kind kind;
  std::vector<std::string> entity;
  std::string entity_text, date;
};

struct Question {
  enum class Form : std::uint8_t { kWhich, kWho, kHowMany, kWhen, kWhere, kWhatObject, kValue, kAskRelation, kAskType };
  Form form = Form::kWhich;
  std::string cls;                   // class IRI (which, how many, ask type)
  std::string cls_text;
  std::vector<Clause> clauses;
  std::vector<Modifier> modifiers;
  std::size_t rest_offset = 0;       // where the words after the class noun start (for "No ...")
};

// What the actions fill in while the grammar matches. Every top-level alternative
// starts with Reset(), so a failed alternative leaves nothing behind.

struct ParseOutcome {
  bool parsed = false;      // all of the text is a question
  Question question;
  std::size_t furthest = 0;  // how far the text was understood, for messages
};

// Parses normalised `text` (Lexicon::Normalize) with the grammar.
ParseOutcome ParseQuestion(const std::string& text, const Lexicon& lexicon);

struct Compiled {
  std::string sparql;
  std::string error;           // why the question cannot be compiled ("" when it can)
  bool no_connection = false;  // the words fit together, but nothing can match
};

Compiled CompileQuestion(const Question& question, const Lexicon& lexicon, const QuadSource& source,
                         const TermDictionary& dictionary);

}  // namespace parley::query::english
