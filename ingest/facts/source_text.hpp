// ingest/facts/source_text.hpp
// A source's own text, against which every quote citing it is verified. The text is
// split into blocks at blank lines. A block is paragraph N, counted from 1, unless a
// line "## NAME" stands right before it: then it is section NAME, and not counted
// (a byline, a heading, a note). Lines are the text file's own, counted from 1.
//
// A quote must occur in the paragraph, section or line it cites (in the whole text
// when its locator is a page or a timestamp). Runs of whitespace, curly and straight
// quotes and apostrophes, and the dashes (hyphen, en dash, em dash, minus) are compared
// as equal; nothing else is: case and spelling are the source's.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ingest/facts/fact_file.hpp"

namespace parley::ingest::facts {

struct SourceText {
  std::string file;  // as the fact file names it
  std::string sha256;
  std::vector<std::string> paragraphs;  // paragraph N is paragraphs[N - 1]
  std::map<std::string, std::string> sections;
  std::vector<std::string> lines;
};

SourceText SplitSourceText(const std::string& file, const std::string& text);

// The form quotes and texts are compared in (see above).
std::string QuoteForm(const std::string& text);

// An error for each quote of `file` that its text does not hold where it says; each
// names where the quote does occur, when it occurs anywhere.
std::vector<Diagnostic> VerifyQuotes(const FactFile& file, const SourceText& text);

}  // namespace parley::ingest::facts
