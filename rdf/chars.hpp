// rdf/chars.hpp
// Character classes and UTF-8 helpers shared by the N-Triples and Turtle readers
// (the PN_CHARS productions of RDF 1.1 Turtle and N-Triples).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace parley::rdf {

// Bytes that may stand unescaped in an IRIREF: not #x00-#x20, <>"{}|^`\ .
constexpr std::array<bool, 256> MakeIriTable() {
  std::array<bool, 256> ok{};
  for (int c = 0x21; c < 256; ++c) ok[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("<>\"{}|^`\\")) ok[static_cast<unsigned char>(c)] = false;
  return ok;
}
inline constexpr auto kIriByte = MakeIriTable();

inline bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline std::uint32_t HexValue(char c) {
  if (c <= '9') return static_cast<std::uint32_t>(c - '0');
  if (c <= 'F') return static_cast<std::uint32_t>(c - 'A' + 10);
  return static_cast<std::uint32_t>(c - 'a' + 10);
}

inline void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one UTF-8 sequence at text[*pos]; advances *pos. Returns false if malformed
// (overlong forms, surrogates and values past U+10FFFF included).
inline bool DecodeUtf8(std::string_view text, std::size_t* pos, std::uint32_t* cp) {
  auto b0 = static_cast<unsigned char>(text[*pos]);
  int extra;
  std::uint32_t value;
  if (b0 < 0x80) {
    *cp = b0;
    ++*pos;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    value = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    value = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    value = b0 & 0x07;
  } else {
    return false;
  }
  if (*pos + static_cast<std::size_t>(extra) >= text.size()) return false;  // truncated sequence
  for (int i = 1; i <= extra; ++i) {
    auto b = static_cast<unsigned char>(text[*pos + static_cast<std::size_t>(i)]);
    if ((b & 0xC0) != 0x80) return false;
    value = (value << 6) | (b & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (value < kMin[extra] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
  *pos += static_cast<std::size_t>(extra) + 1;
  *cp = value;
  return true;
}

inline bool InRanges(std::uint32_t cp, std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> ranges) {
  for (auto [lo, hi] : ranges) {
    if (cp >= lo && cp <= hi) return true;
  }
  return false;
}

inline bool IsPnCharsBase(std::uint32_t cp) {
  return InRanges(cp, {{'A', 'Z'}, {'a', 'z'}, {0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0x2FF}, {0x370, 0x37D},
                       {0x37F, 0x1FFF}, {0x200C, 0x200D}, {0x2070, 0x218F}, {0x2C00, 0x2FEF},
                       {0x3001, 0xD7FF}, {0xF900, 0xFDCF}, {0xFDF0, 0xFFFD}, {0x10000, 0xEFFFF}});
}
// As in Turtle, no ':' (the W3C suite's nt-syntax-bad-bnode tests reject it).
inline bool IsPnCharsU(std::uint32_t cp) { return IsPnCharsBase(cp) || cp == '_'; }
inline bool IsPnChars(std::uint32_t cp) {
  return IsPnCharsU(cp) || cp == '-' || (cp >= '0' && cp <= '9') || cp == 0xB7 ||
         InRanges(cp, {{0x300, 0x36F}, {0x203F, 0x2040}});
}

// The character an ECHAR escape (\t \b \n \r \f \" \' \\) stands for; 0 for none.
inline char DecodeEchar(int c) {
  switch (c) {
    case 't': return '\t';
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case '"': return '"';
    case '\'': return '\'';
    case '\\': return '\\';
    default: return 0;
  }
}

}  // namespace parley::rdf
