#include "ingest/json_positions.hpp"

namespace parley::ingest {

std::string PointerToken(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::size_t> NestedBeyond(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::nullopt;
}

JsonPositions::JsonPositions(std::string_view text) : text_(text) { Value(SkipSpace(0), ""); }

std::optional<std::size_t> JsonPositions::ValueOffset(const std::string& pointer) const {
  auto it = values_.find(pointer);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> JsonPositions::KeyOffset(const std::string& pointer) const {
  auto it = keys_.find(pointer);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::size_t JsonPositions::SkipSpace(std::size_t pos) const {
  while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t' || text_[pos] == '\n' || text_[pos] == '\r')) ++pos;
  return pos;
}

// Returns the position after the closing quote; decodes simple escapes into `decoded`
// (enough for member names, which is all it is used for).
std::size_t JsonPositions::String(std::size_t pos, std::string* decoded) const {
  ++pos;  // opening quote
  while (pos < text_.size() && text_[pos] != '"') {
    if (text_[pos] == '\\' && pos + 1 < text_.size()) {
      if (decoded != nullptr) decoded->push_back(text_[pos + 1] == 'n' ? '\n' : text_[pos + 1]);
      pos += text_[pos + 1] == 'u' ? 6 : 2;
      continue;
    }
    if (decoded != nullptr) decoded->push_back(text_[pos]);
    ++pos;
  }
  return pos + 1;
}

std::size_t JsonPositions::Value(std::size_t pos, const std::string& pointer) {
  values_[pointer] = pos;
  if (pos >= text_.size()) return pos;
  const char c = text_[pos];
  if (c == '{') {
    pos = SkipSpace(pos + 1);
    while (pos < text_.size() && text_[pos] != '}') {
      std::string name;
      const std::size_t key_at = pos;
      pos = SkipSpace(String(pos, &name));
      const std::string child = pointer + "/" + PointerToken(name);
      auto [known, added] = keys_.emplace(child, key_at);
      if (!added) duplicates_.push_back(DuplicateKey{name, known->second, key_at});
      pos = SkipSpace(pos + 1);  // ':'
      pos = SkipSpace(Value(pos, child));
      if (pos < text_.size() && text_[pos] == ',') pos = SkipSpace(pos + 1);
    }
    return pos + 1;
  }
  if (c == '[') {
    pos = SkipSpace(pos + 1);
    for (std::size_t index = 0; pos < text_.size() && text_[pos] != ']'; ++index) {
      pos = SkipSpace(Value(pos, pointer + "/" + std::to_string(index)));
      if (pos < text_.size() && text_[pos] == ',') pos = SkipSpace(pos + 1);
    }
    return pos + 1;
  }
  if (c == '"') return String(pos, nullptr);
  while (pos < text_.size() && text_[pos] != ',' && text_[pos] != '}' && text_[pos] != ']' && text_[pos] != ' ' &&
         text_[pos] != '\n' && text_[pos] != '\t' && text_[pos] != '\r') {
    ++pos;
  }
  return pos;
}

}  // namespace parley::ingest
