#include "rdf/search_key.hpp"

#include <cstdint>

#include "rdf/chars.hpp"

namespace parley::rdf {
namespace {

// The base letter of a Latin letter with a diacritic, from U+00C0 to U+017F (Latin-1
// Supplement and Latin Extended-A), or 0. Lower case; ß and æ become two letters below.
char BaseLetter(std::uint32_t cp) {
  static constexpr const char* kFrom00C0 =
      "aaaaaaaceeeeiiiidnooooo*ouuuuyts"   // U+00C0..U+00DF
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty"   // U+00E0..U+00FF
      "aaaaaaccccccccddddeeeeeeeeeegggg"   // U+0100..U+011F
      "gggghhhhiiiiiiiiiijjjjkkklllllll"   // U+0120..U+013F
      "lllnnnnnnnnnoooooooorrrrrrssssss"   // U+0140..U+015F
      "ssttttttuuuuuuuuuuuuwwyyyzzzzzzs";  // U+0160..U+017F
  if (cp < 0xC0 || cp > 0x17F) return 0;
  const char c = kFrom00C0[cp - 0xC0];
  return c == '*' || c == '/' ? 0 : c;
}

// Decodes the UTF-8 sequence at text[*at], advancing *at; invalid bytes read as U+FFFD.
std::uint32_t NextCodePoint(std::string_view text, std::size_t* at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(*at);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || *at + length > text.size()) {
    ++*at;
    return 0xFFFD;
  }
  std::uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(*at + i) & 0xC0) != 0x80) {
      ++*at;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(*at + i) & 0x3F);
  }
  *at += length;
  return cp;
}

}  // namespace

std::string SearchKey(std::string_view text) {
  std::string key;
  bool space = false;  // a separator is pending
  auto letter = [&](const char* s) {
    if (space && !key.empty()) key += ' ';
    space = false;
    key += s;
  };
  for (std::size_t at = 0; at < text.size();) {
    const std::uint32_t cp = NextCodePoint(text, &at);
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      const char c[2] = {static_cast<char>(cp), 0};
      letter(c);
    } else if (cp >= 'A' && cp <= 'Z') {
      const char c[2] = {static_cast<char>(cp - 'A' + 'a'), 0};
      letter(c);
    } else if (cp == 0xDF) {
      letter("ss");
    } else if (cp == 0xC6 || cp == 0xE6) {
      letter("ae");
    } else if (cp == 0x152 || cp == 0x153) {
      letter("oe");
    } else if (char base = BaseLetter(cp)) {
      const char c[2] = {base, 0};
      letter(c);
    } else if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
      // apostrophes join: "ch'ol" and "chol" agree
    } else if (cp < 0x80 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0) {
      space = true;  // ASCII punctuation, spaces, general punctuation (dashes, quotes)
    } else {
      // other scripts stay as they are (Hangul, Cyrillic, ...)
      if (space && !key.empty()) key += ' ';
      space = false;
      AppendUtf8(cp, &key);
    }
  }
  return key;
}

}  // namespace parley::rdf
