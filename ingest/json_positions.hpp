// ingest/json_positions.hpp
// Where each value of a JSON text starts, by JSON pointer. nlohmann/json 3.11 keeps no
// source positions, so fact-file validation looks them up here to report
// `file:line:col` instead of a bare pointer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley::ingest {

class JsonPositions {
 public:
  // Indexes `text`, which must be valid JSON (parse it first).
  explicit JsonPositions(std::string_view text);
  // Byte offset of the value at `pointer` ("" is the whole document).
  std::optional<std::size_t> ValueOffset(const std::string& pointer) const;
  // Byte offset of the member name whose value is at `pointer`.
  std::optional<std::size_t> KeyOffset(const std::string& pointer) const;

  // A member name given twice in one object (nlohmann keeps the last silently).
  struct DuplicateKey {
    std::string name;
    std::size_t first = 0, second = 0;  // byte offsets of the two names
  };
  const std::vector<DuplicateKey>& duplicate_keys() const { return duplicates_; }

 private:
  std::size_t Value(std::size_t pos, const std::string& pointer);
  std::size_t SkipSpace(std::size_t pos) const;
  std::size_t String(std::size_t pos, std::string* decoded) const;
  std::string_view text_;
  std::unordered_map<std::string, std::size_t> values_, keys_;
  std::vector<DuplicateKey> duplicates_;
};

// The byte offset of the first '{' or '[' of `text` that opens more than `max_depth`
// levels (strings skipped), if any. Checked before parsing: nesting is read by
// recursion, and hostile input must meet an error, not the end of the stack.
std::optional<std::size_t> NestedBeyond(std::string_view text, int max_depth);

// Escapes a member name for use in a JSON pointer (RFC 6901: ~ as ~0, / as ~1).
std::string PointerToken(std::string_view name);

}  // namespace parley::ingest
