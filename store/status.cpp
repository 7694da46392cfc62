#include "store/status.hpp"

#include <algorithm>

namespace parley {
namespace {

// Lines longer than this are shown as a window around the error column.
constexpr std::size_t kMaxShownLine = 160;

}  // namespace

std::string Diagnostic::Render() const {
  std::string out = origin;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  std::string said = message;
  for (char& c : said) {
    if (c == '\0') c = '?';
  }
  const std::string severity = warning ? "warning: " : "error: ";
  out += out.empty() ? severity + said : ": " + severity + said;
  if (source_line.empty() || column == 0) return out;

  // Show at most kMaxShownLine bytes, keeping the column in view.
  std::size_t col = static_cast<std::size_t>(column - 1);
  std::size_t start = 0;
  if (source_line.size() > kMaxShownLine && col > kMaxShownLine / 2) {
    start = std::min(col - kMaxShownLine / 2, source_line.size() - std::min(source_line.size(), kMaxShownLine));
  }
  std::string shown = source_line.substr(start, kMaxShownLine);
  // A NUL or another control byte would cut the line short or garble the terminal:
  // shown as '?', one byte for one, so that the caret stays under its column.
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '?';
  }
  std::string caret(col >= start ? col - start : 0, ' ');
  // Tabs stay tabs so that the caret lines up under the same glyph.
  for (std::size_t i = 0; i < caret.size() && i < shown.size(); ++i) {
    if (shown[i] == '\t') caret[i] = '\t';
  }
  caret += '^';
  if (span > 1) caret += std::string(std::min<std::size_t>(span - 1, kMaxShownLine), '~');
  out += "\n" + shown + "\n" + caret;
  return out;
}

Status Status::ParseError(Diagnostic d) {
  Status s(Code::kParseError, d.message);
  s.diagnostic_ = std::move(d);
  return s;
}

Status Status::ParseErrors(std::vector<Diagnostic> all) {
  Status s = ParseError(all.front());
  s.more_.assign(std::make_move_iterator(all.begin() + 1), std::make_move_iterator(all.end()));
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (!diagnostic_) return message_;
  std::string out = diagnostic_->Render();
  for (const auto& d : more_) out += "\n" + d.Render();
  return out;
}

}  // namespace parley
