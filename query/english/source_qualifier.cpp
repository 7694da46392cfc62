#include "query/english/source_qualifier.hpp"

#include <regex>

namespace parley::query::english {
namespace {

constexpr std::size_t kLongestQuestion = 2000;

// Words that introduce the qualifier.
constexpr const char* kIntroduction =
    "(?:according to|as reported by|as stated by|as told by|based on|backed by|supported by|citing|per|using|"
    "counting|from|in|by|with)";

// The reliability "<degree> reliable" means.
char ReliabilityOf(const std::string& degree) {
  if (degree == "completely" || degree == "fully" || degree == "wholly" || degree == "entirely" || degree == "highly" ||
      degree == "very") {
    return 'A';
  }
  if (degree == "fairly") return 'C';
  return 'B';  // "usually reliable", and plain "reliable", "trustworthy", ...
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What is left of `question` once [begin, end) is cut out: no stray commas or spaces.
std::string Without(const std::string& question, std::size_t begin, std::size_t end) {
  std::string rest = question.substr(0, begin) + " " + question.substr(end);
  rest = std::regex_replace(rest, std::regex("\\s*,\\s*([?.!]?\\s*)$"), "$1");
  rest = std::regex_replace(rest, std::regex("^\\s*[,:;]\\s*"), "");
  rest = std::regex_replace(rest, std::regex("\\s+([?.!,])"), "$1");
  rest = std::regex_replace(rest, std::regex("\\s{2,}"), " ");
  const auto first = rest.find_first_not_of(' ');
  const auto last = rest.find_last_not_of(' ');
  return first == std::string::npos ? "" : rest.substr(first, last - first + 1);
}

}  // namespace

std::optional<SourceQualifier> FindSourceQualifier(const std::string& question) {
  // Far longer than any question (which the caller refuses); the patterns need not
  // search it.
  if (question.size() > kLongestQuestion) return std::nullopt;
  using std::regex;
  const std::string intro = std::string(kIntroduction) + "\\s+(?:only\\s+)?(?:the\\s+)?(?:most\\s+)?";
  // 1 degree, 2 adjective
  static const regex reliable(intro + "(?:(completely|fully|wholly|entirely|usually|fairly|highly|very)\\s+)?"
                                  "(reliable|trustworthy|credible|trusted|dependable|reputable)\\s+"
                                  "(?:sources?|reporting|reports|evidence|information)(?:\\s+only)?",
                              regex::icase);
  // 1 grade
  static const regex graded(intro + "(?:sources?|evidence|information|reports)\\s+(?:graded|rated|of grade|with grade)\\s+"
                                "([a-f])(?:\\s+(?:or better|or higher|or above|and above|and better))?",
                            regex::icase);
  static const regex letter(intro + "([a-f])[- ](?:graded|rated|grade)\\s+(?:sources?|evidence|information)",
                            regex::icase);
  // 1 "confirmed" or "probably true"; credibility
  static const regex credible(intro + "(confirmed|probably true|corroborated)\\s+(?:information|reports|evidence|facts|claims)",
                              regex::icase);
  // 1 digit
  static const regex credibility(intro + "(?:citations?|information|evidence)\\s+(?:of|with)?\\s*credibility\\s+"
                                     "([1-6])(?:\\s+(?:or better|or higher|or above|and better))?",
                                 regex::icase);
  std::smatch m;
  SourceQualifier q;
  if (std::regex_search(question, m, reliable)) {
    q.minimum.reliability = ReliabilityOf(Lower(m[1]));
  } else if (std::regex_search(question, m, graded) || std::regex_search(question, m, letter)) {
    q.minimum.reliability = static_cast<char>(std::toupper(static_cast<unsigned char>(m.str(1)[0])));
  } else if (std::regex_search(question, m, credible)) {
    q.minimum.credibility = Lower(m[1]) == "probably true" ? 2 : 1;
  } else if (std::regex_search(question, m, credibility)) {
    q.minimum.credibility = m.str(1)[0] - '0';
  } else {
    return std::nullopt;
  }
  // Only at the start, at the end, or set off by commas: elsewhere the words are the
  // question's own.
  std::size_t begin = static_cast<std::size_t>(m.position(0)), end = begin + static_cast<std::size_t>(m.length(0));
  const std::string before = question.substr(0, begin), after = question.substr(end);
  const bool at_start = before.find_first_not_of(" \t") == std::string::npos;
  const bool at_end = after.find_first_not_of(" \t?.!") == std::string::npos;
  const auto comma_before = before.find_last_not_of(" \t"), comma_after = after.find_first_not_of(" \t");
  const bool set_off = comma_before != std::string::npos && before[comma_before] == ',' &&
                       comma_after != std::string::npos && after[comma_after] == ',';
  if (!at_start && !at_end && !set_off) return std::nullopt;
  if (set_off && !at_start && !at_end) {
    begin = comma_before;
    end += comma_after + 1;
  }
  q.phrase = m.str(0);
  q.question = Without(question, begin, end);
  if (q.question.empty()) return std::nullopt;
  return q;
}

std::string DescribeGrades(const rdf::MinimumGrades& minimum) {
  std::string out;
  if (minimum.reliability != 0) out = std::string("sources graded ") + minimum.reliability + " or better";
  if (minimum.credibility != 0) {
    out += (out.empty() ? "" : ", ") + std::string("citations graded ") + std::to_string(minimum.credibility) + " or better";
  }
  return out;
}

}  // namespace parley::query::english
