#include "rdf/text_position.hpp"

namespace parley::rdf {

TextPosition Locate(std::string_view text, std::size_t offset) {
  TextPosition pos;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      line_start = i + 1;
    }
  }
  pos.column = offset - line_start + 1;
  std::size_t end = text.find('\n', line_start);
  pos.line_text = std::string(text.substr(line_start, end == std::string_view::npos ? std::string_view::npos : end - line_start));
  if (!pos.line_text.empty() && pos.line_text.back() == '\r') pos.line_text.pop_back();
  return pos;
}

}  // namespace parley::rdf
