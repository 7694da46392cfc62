// query/english/forms.hpp
// The forms of question the English front-end understands, each with examples over the
// default dataset. The REPL's ":help english" prints them and a test asks every one, so
// the help never shows a question that does not work.
#pragma once

#include <string>
#include <vector>

namespace parley::query::english {

struct QuestionForm {
  std::string name;
  std::vector<std::string> examples;
  std::string note;  // printed after the examples, in parentheses
};

const std::vector<QuestionForm>& QuestionForms();

}  // namespace parley::query::english
