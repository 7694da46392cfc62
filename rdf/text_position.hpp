// rdf/text_position.hpp
// Line and column of a byte offset in a text, with the line itself: how every parser's
// error points at `file:line:col` and shows the line with a caret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parley::rdf {

struct TextPosition {
  std::uint64_t line = 1, column = 1;  // 1-based; column counts bytes
  std::string line_text;
};
TextPosition Locate(std::string_view text, std::size_t offset);

}  // namespace parley::rdf
