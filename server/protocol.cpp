#include "server/protocol.hpp"

#include "rdf/percent_encoding.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace parley::server {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One media range of an Accept header: "text/*;q=0.5".
struct Range {
  std::string type, subtype;
  double q = 1.0;
};

std::vector<Range> ParseAccept(std::string_view accept) {
  std::vector<Range> out;
  std::size_t start = 0;
  while (start <= accept.size()) {
    std::size_t end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view item = Trimmed(accept.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    Range r;
    const std::size_t semicolon = item.find(';');
    const std::string media = Lower(Trimmed(item.substr(0, semicolon)));
    const std::size_t slash = media.find('/');
    if (slash == std::string::npos) continue;
    r.type = media.substr(0, slash);
    r.subtype = media.substr(slash + 1);
    for (std::size_t at = semicolon; at != std::string_view::npos;) {
      const std::size_t next = item.find(';', at + 1);
      std::string_view parameter = Trimmed(item.substr(at + 1, next == std::string_view::npos ? next : next - at - 1));
      if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
        r.q = std::strtod(std::string(parameter.substr(2)).c_str(), nullptr);
      }
      at = next;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Parameters ParseParameters(std::string_view text) {
  Parameters out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string name = PercentDecode(pair.substr(0, equals), true);
    const std::string value = equals == std::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1), true);
    out[name].push_back(value);
  }
  return out;
}

std::string MediaType(std::string_view content_type) {
  return Lower(Trimmed(content_type.substr(0, content_type.find(';'))));
}

std::string Negotiate(std::string_view accept, const std::vector<std::string>& offered) {
  if (offered.empty()) return "";
  if (Trimmed(accept).empty()) return offered.front();
  const std::vector<Range> ranges = ParseAccept(accept);
  std::string best;
  double best_q = 0;
  int best_specificity = -1;
  for (const std::string& media : offered) {
    const std::size_t slash = media.find('/');
    const std::string type = media.substr(0, slash), subtype = media.substr(slash + 1);
    // The most specific range that matches decides this type's q.
    double q = -1;
    int specificity = -1;
    for (const Range& r : ranges) {
      int s = -1;
      if (r.type == type && r.subtype == subtype) s = 2;
      else if (r.type == type && r.subtype == "*") s = 1;
      else if (r.type == "*" && r.subtype == "*") s = 0;
      if (s > specificity) {
        specificity = s;
        q = r.q;
      }
    }
    if (q <= 0) continue;
    if (q > best_q || (q == best_q && specificity > best_specificity)) {
      best = media;
      best_q = q;
      best_specificity = specificity;
    }
  }
  return best;
}

bool IsUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t cp = length == 1 ? c : c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

int StatusFor(const Status& status) {
  const std::string& message = status.message();
  const bool out_of_resources = message.find("timed out") != std::string::npos ||
                                message.find("memory") != std::string::npos ||
                                message.find("cancelled") != std::string::npos;
  if (out_of_resources) return 503;
  if (status.code() == Status::Code::kParseError || status.code() == Status::Code::kInvalidArgument) return 400;
  return 500;
}

}  // namespace parley::server
