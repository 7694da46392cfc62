#include "ingest/facts/source_text.hpp"

#include <openssl/evp.h>

#include <sstream>

namespace parley::ingest::facts {
namespace {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

bool Blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// Where `quote` (in quote form) occurs: "paragraph 4", "section byline", or "".
std::string WhereItIs(const SourceText& text, const std::string& quote) {
  for (std::size_t i = 0; i < text.paragraphs.size(); ++i) {
    if (QuoteForm(text.paragraphs[i]).find(quote) != std::string::npos) return "paragraph " + std::to_string(i + 1);
  }
  for (const auto& [name, body] : text.sections) {
    if (QuoteForm(body).find(quote) != std::string::npos) return "section " + name;
  }
  return "";
}

}  // namespace

SourceText SplitSourceText(const std::string& file, const std::string& text) {
  SourceText out;
  out.file = file;
  out.sha256 = Sha256Hex(text);
  std::istringstream in(text);
  std::string block, section;
  auto finish = [&] {
    if (!block.empty()) {
      if (section.empty()) {
        out.paragraphs.push_back(block);
      } else {
        out.sections[section] = block;
      }
    }
    block.clear();
    section.clear();
  };
  for (std::string line; std::getline(in, line);) {
    out.lines.push_back(line);
    if (Blank(line)) {
      if (!block.empty()) finish();
      continue;
    }
    if (line.rfind("## ", 0) == 0 && block.empty()) {
      section = line.substr(3);
      while (!section.empty() && (section.back() == ' ' || section.back() == '\r')) section.pop_back();
      continue;
    }
    block += (block.empty() ? "" : "\n") + line;
  }
  finish();
  return out;
}

std::string QuoteForm(const std::string& text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // Three-byte UTF-8 punctuation: U+2010..U+2015 dashes, U+2018..U+201F quotes, U+2212 minus.
    if (c == 0xE2 && i + 2 < text.size()) {
      const unsigned char b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
      char plain = 0;
      if (b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95) plain = '-';
      if (b1 == 0x80 && (b2 == 0x98 || b2 == 0x99 || b2 == 0x9A || b2 == 0x9B)) plain = '\'';
      if (b1 == 0x80 && (b2 == 0x9C || b2 == 0x9D || b2 == 0x9E || b2 == 0x9F)) plain = '"';
      if (b1 == 0x88 && b2 == 0x92) plain = '-';
      if (plain != 0) {
        if (space && !out.empty()) out += ' ';
        space = false;
        out += plain;
        i += 3;
        continue;
      }
    }
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {  // no-break space
      space = true;
      i += 2;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      ++i;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

std::vector<Diagnostic> VerifyQuotes(const FactFile& file, const SourceText& text) {
  std::vector<Diagnostic> out;
  auto check = [&](const Evidence& e) {
    if (e.quote.empty()) return;
    const std::string quote = QuoteForm(e.quote);
    std::optional<std::string> cited;  // the cited part's text; nullopt: the whole text
    std::string place;                 // "paragraph 3"
    for (const auto& [key, value] : e.locator) {
      if (key == "paragraph") {
        const std::size_t n = std::stoul(value);
        place = "paragraph " + value;
        cited = n <= text.paragraphs.size() ? text.paragraphs[n - 1] : std::string();
        if (n > text.paragraphs.size()) {
          out.push_back(DiagnosticAt(file, e.pointer + "/paragraph",
                                     text.file + " has " + std::to_string(text.paragraphs.size()) + " paragraphs, not " +
                                         value));
          return;
        }
      } else if (key == "section") {
        auto it = text.sections.find(value);
        place = "section " + value;
        if (it == text.sections.end()) {
          out.push_back(DiagnosticAt(file, e.pointer + "/section",
                                     text.file + " has no section \"" + value + "\" (a line \"## " + value +
                                         "\" before its block names it)"));
          return;
        }
        cited = it->second;
      } else if (key == "line") {
        const std::size_t n = std::stoul(value);
        place = "line " + value;
        cited = n <= text.lines.size() ? text.lines[n - 1] : std::string();
      }
    }
    std::string whole;
    if (!cited) {
      for (const auto& p : text.lines) whole += p + "\n";
    }
    if (QuoteForm(cited ? *cited : whole).find(quote) != std::string::npos) return;
    const std::string where = WhereItIs(text, quote);
    std::string message = "the quote \"" + e.quote + "\" is not in " + (place.empty() ? "the text" : place) +
                          " of " + text.file;
    message += where.empty() ? "; it is nowhere in the text (quotes must be verbatim)" : "; it is in " + where;
    out.push_back(DiagnosticAt(file, e.pointer + "/quote", message));
  };
  for (const Record& r : file.records) {
    for (const Evidence& e : r.evidence) check(e);
    for (const FactValue& v : r.values) {
      for (const Evidence& e : v.evidence) check(e);
    }
  }
  return out;
}

}  // namespace parley::ingest::facts
