// query/english/ask.cpp: answering a question. The strict grammar (grammar.cpp,
// compile.cpp) reads it first, the relaxed reader (reading.cpp) what the grammar cannot;
// then the answers, their evidence, and the messages for what is not understood.
#include "query/english/ask.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "query/english/source_qualifier.hpp"
#include "rdf/evidence.hpp"
#include "rdf/edit_distance.hpp"
#include "query/english/ambiguity.hpp"
#include "query/english/answer.hpp"
#include "query/english/loose.hpp"
#include "query/english/question.hpp"
#include "query/english/reading.hpp"
#include "query/english/spelling.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";

// ---------------------------------------------------------------- messages

const std::set<std::string>& GrammarWords() {
  static const std::set<std::string> words = {
      "which", "what", "who", "whom", "when", "where", "how", "many", "did", "does", "do", "was", "were", "is", "are",
      "has", "have", "had", "will", "that", "the", "a", "an", "and", "or", "of", "according", "to", "about", "before",
      "after", "in"};
  return words;
}

// The first word of `text` that is in neither the grammar nor the lexicon.
std::optional<std::pair<std::size_t, std::string>> UnknownWord(const std::string& text, const Lexicon& lex) {
  std::set<std::string> known = GrammarWords();
  for (const auto& phrase : lex.Vocabulary()) {
    std::size_t start = 0;
    while (start <= phrase.size()) {
      std::size_t end = phrase.find(' ', start);
      if (end == std::string::npos) end = phrase.size();
      known.insert(phrase.substr(start, end - start));
      start = end + 1;
    }
  }
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    while (!word.empty() && (word.back() == '?' || word.back() == '.' || word.back() == ',')) word.pop_back();
    std::string bare = word;
    if (bare.size() > 2 && bare.compare(bare.size() - 2, 2, "'s") == 0) bare.resize(bare.size() - 2);
    if (!word.empty() && !known.count(word) && !known.count(bare) &&
        !std::all_of(word.begin(), word.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; })) {
      return std::make_pair(start, word);
    }
    start = end + 1;
  }
  return std::nullopt;
}


// The closest word that makes the question readable when put in place of `word` at
// `at`, or "" when none does: a near word that still fails would only mislead.
std::string Suggestion(const std::string& text, std::size_t at, const std::string& word, const Lexicon& lex,
                       const QuadSource& source, const TermDictionary& dictionary) {
  if (word.size() > 64) return "";  // no word of the lexicon is near so long a word
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::set<std::string> candidates = GrammarWords();
  for (const auto& phrase : lex.Vocabulary()) {
    candidates.insert(phrase);
    std::size_t space = phrase.find(' ');
    if (space != std::string::npos) candidates.insert(phrase.substr(0, space));
  }
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& c : candidates) {
    const std::size_t d = rdf::EditDistance(word, c);
    if (d <= limit) near.emplace_back(d, c);
  }
  std::sort(near.begin(), near.end());
  for (std::size_t i = 0; i < near.size() && i < 24; ++i) {
    const std::string fixed = text.substr(0, at) + near[i].second + text.substr(at + word.size());
    if (ParseQuestion(fixed, lex).parsed || Readable(fixed, lex, source, dictionary)) return near[i].second;
  }
  return "";
}

std::string Label(const Lexicon& lex, const std::string& iri) {
  auto label = lex.LabelOf(iri);
  return label ? std::string(*label) : iri;
}

// The relaxed reader's example questions, from its refusal, to end another message.
std::string ExamplesIn(const std::string& refusal) {
  const auto at = refusal.find("\nQuestions like these work");
  return at == std::string::npos ? "" : refusal.substr(at);
}

std::string Caret(const std::string& text, std::size_t at) { return text + "\n" + std::string(at, ' ') + "^"; }

}  // namespace

// The subjects with both `a` and `b` as values of `property` (the meetings two actors attended).
std::vector<Term> SharedSubjects(const std::string& property, const std::string& a, const std::string& b,
                                 const QuadSource& source, const TermDictionary& dictionary) {
  const std::string text = "SELECT DISTINCT ?s WHERE { ?s <" + property + "> <" + a + "> , <" + b + "> }";
  QueryOptions options;
  auto rows = RunQuery(text, "<evidence>", source, dictionary, options);
  std::vector<Term> out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    if (row[0]) out.push_back(*row[0]);
  }
  return out;
}

// How many words, from `from` on (or back from it), make the longest phrase `known` accepts.
template <class Known>
std::size_t LongestPhrase(const std::vector<std::string>& words, std::size_t from, bool backwards, Known known) {
  std::size_t best = 0;
  std::string phrase;
  for (std::size_t n = 1; n <= words.size() && (backwards ? n <= from : from + n <= words.size()); ++n) {
    phrase = backwards ? words[from - n] + (phrase.empty() ? "" : " " + phrase)
                       : phrase + (phrase.empty() ? "" : " ") + words[from + n - 1];
    if (known(phrase)) best = n;
  }
  return best;
}

// What people type at a prompt that the grammar reads once reworded: a possessive
// ("mele's claims" as "claims by mele") and a bare noun phrase ("claims by mele" as
// "which claims by mele").
std::vector<std::string> Rephrasings(const std::string& text, const Lexicon& lexicon) {
  std::vector<std::string> candidates;
  std::vector<std::string> words;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = std::min(text.find(' ', start), text.size());
    words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::string reworded = text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() < 3 || w.compare(w.size() - 2, 2, "'s") != 0) continue;
    std::vector<std::string> left(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    left.back().resize(left.back().size() - 2);
    const std::size_t name = LongestPhrase(left, left.size(), true, [&](const std::string& phrase) {
      return lexicon.entity_names.CountNamed(phrase) != 0;
    });
    const std::size_t noun = LongestPhrase(words, i + 1, false, [&](const std::string& phrase) {
      return lexicon.classes.count(phrase) != 0;
    });
    if (name == 0 || noun == 0) continue;
    auto join = [](auto first, auto last) {
      std::string out;
      for (auto it = first; it != last; ++it) out += (out.empty() ? "" : " ") + *it;
      return out;
    };
    const auto name_begin = left.end() - static_cast<std::ptrdiff_t>(name);
    const auto noun_begin = words.begin() + static_cast<std::ptrdiff_t>(i) + 1;
    const auto noun_end = noun_begin + static_cast<std::ptrdiff_t>(noun);
    std::string before = join(left.begin(), name_begin), after = join(noun_end, words.end());
    reworded = (before.empty() ? "" : before + " ") + join(noun_begin, noun_end) + " by " + join(name_begin, left.end()) +
               (after.empty() ? "" : " " + after);
    candidates.push_back(reworded);
    break;
  }
  candidates.push_back("which " + text);
  if (reworded != text) candidates.push_back("which " + reworded);
  return candidates;
}

namespace {

// Longer than any question people ask (the bank's longest has 17 words); reading costs
// grow faster than the length, so a longer text is refused at once.
constexpr std::size_t kMaxQuestionWords = 60;
constexpr std::size_t kMaxQuestionBytes = 600;

// The facts behind each answer of the compiled `sparql` through all its variables, not
// just the selected ones: "who proposed a peace treaty" rests on a proposal that the
// answer proposed and that addresses the treaty. The query is run again selecting every
// variable; labels are left out (they name the answer, they do not support it).
Result<std::map<std::string, std::vector<std::array<Term, 3>>>> FactsThroughEveryVariable(
    const std::string& sparql, const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options) {
  std::map<std::string, std::vector<std::array<Term, 3>>> out;
  const std::size_t where = sparql.find(" WHERE ");
  if (sparql.rfind("SELECT ", 0) != 0 || where == std::string::npos) return out;
  std::string projection = "?answer";
  std::set<std::string> seen = {"answer"};
  static const std::regex variable("\\?([A-Za-z_][A-Za-z_0-9]*)");
  const std::string body = sparql.substr(where);
  for (std::sregex_iterator it(body.begin(), body.end(), variable), end; it != end; ++it) {
    if (seen.insert((*it)[1]).second) projection += " ?" + (*it)[1].str();
  }
  auto rows = RunSelectWithFacts("SELECT " + projection + body, "<evidence>", source, dictionary, options);
  if (!rows.ok()) return rows.status();
  const std::string label = "http://www.w3.org/2000/01/rdf-schema#label";
  for (const auto& r : *rows) {
    if (r.row.empty() || !r.row[0]) continue;
    auto& facts = out[r.row[0]->value];
    for (const auto& f : r.facts) {
      if (f[1].value != label) facts.push_back(f);
    }
  }
  return out;
}

// `text` normalised: more words or bytes than any question.
bool TooLong(const std::string& text) {
  const std::size_t words = text.empty() ? 0 : static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ')) + 1;
  return words > kMaxQuestionWords || text.size() > kMaxQuestionBytes;
}

Result<AskResult> Ask(const std::string& raw, const Lexicon& lexicon, const QuadSource& source,
                      const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel) {
  AskResult result;
  std::string text = Lexicon::Normalize(raw);
  if (TooLong(text)) {
    result.message = "That is too long for a question: ask in at most " + std::to_string(kMaxQuestionWords) +
                     " words (" + std::to_string(kMaxQuestionBytes) + " characters), or in SPARQL.";
    return result;
  }
  ParseOutcome parse = ParseQuestion(text, lexicon);
  if (!parse.parsed) {
    // A rewording that parses replaces the question; otherwise the messages are about
    // the words as typed.
    for (const std::string& rephrased : Rephrasings(text, lexicon)) {
      ParseOutcome attempt = ParseQuestion(rephrased, lexicon);
      if (attempt.parsed) {
        text = rephrased;
        parse = std::move(attempt);
        break;
      }
    }
  }
  const bool parsed = parse.parsed;
  const Question& question = parse.question;
  std::string relaxed_message;
  // The yes/no questions the grammar reads are read again by the relaxed reader, which
  // answers with the facts behind a yes and says what the graph lacks for a no.
  // So are counts (so that :why shows what was counted), dates and places, and time
  // modifiers, which the relaxed reader reads by dates as well as by :precededBy.
  const bool timed = std::any_of(question.modifiers.begin(), question.modifiers.end(), [](const Modifier& m) {
    return m.kind == Modifier::Kind::kBefore || m.kind == Modifier::Kind::kAfter;
  });
  if (!parsed || timed || question.form == Question::Form::kAskRelation || question.form == Question::Form::kHowMany ||
      question.form == Question::Form::kWhen || question.form == Question::Form::kWhere) {
    ReadResult relaxed = ReadQuestion(raw, lexicon, source, dictionary);
    if (relaxed.reading) return AnswerReading(*relaxed.reading, lexicon, source, dictionary, why, cancel);
    relaxed_message = relaxed.message;
    if (!parsed && !relaxed.message.empty() && !UnknownWord(text, lexicon)) {
      result.message = relaxed.message;
      return result;
    }
  }
  if (!parsed) {
    if (auto unknown = UnknownWord(text, lexicon)) {
      result.message = "I don't know \"" + unknown->second + "\".";
      std::string suggestion = Suggestion(text, unknown->first, unknown->second, lexicon, source, dictionary);
      if (!suggestion.empty()) result.message += " Did you mean \"" + suggestion + "\"?";
      result.message += "\n" + Caret(text, unknown->first);
      result.message += ExamplesIn(relaxed_message);
      return result;
    }
    const std::size_t at = std::min(parse.furthest, text.size());
    result.message = at == 0 ? "I could not make sense of the question from its start."
                             : "I understood \"" + text.substr(0, at) + "\" but could not go on from there.";
    result.message += "\n" + Caret(text, at == 0 ? 0 : std::min(at + 1, text.size()));
    return result;
  }
  const Compiled compiled = CompileQuestion(question, lexicon, source, dictionary);
  result.sparql = compiled.sparql;
  if (!compiled.error.empty()) {
    ReadResult relaxed = ReadQuestion(raw, lexicon, source, dictionary);
    if (relaxed.reading) return AnswerReading(*relaxed.reading, lexicon, source, dictionary, why, cancel);
    result.message = compiled.error;
    return result;
  }
  result.understood = true;
  QueryResult no_rows;
  if (compiled.no_connection) {
    // The words fit together, but nothing of this kind relates so to that entity.
    result.sparql = "# no pattern can match: the verb does not connect these kinds of things";
    no_rows.vars = {"answer"};
  }
  QueryOptions options;
  options.prefixes = BuiltinPrefixes();
  options.cancel = cancel;
  auto answer = compiled.no_connection ? Result<QueryResult>(no_rows)
                                         : RunQuery(result.sparql, "<question>", source, dictionary, options);
  if (!answer.ok()) return answer.status();
  if (answer->form == QueryForm::kAsk) {
    result.is_boolean = true;
    result.boolean = answer->boolean;
    std::string statement = raw;
    while (!statement.empty() && (statement.back() == '?' || statement.back() == ' ')) statement.pop_back();
    const std::size_t space = statement.find(' ');
    statement = space == std::string::npos ? statement : statement.substr(space + 1);
    result.message = answer->boolean ? "Yes: " + Label(lexicon, question.clauses[0].entity[0]) + " is a " +
                                           question.cls_text + "."
                                     : "The graph has no record that " + statement + ".";
    return result;
  }
  // Entities by label; literals by value.
  // A second column named "label" holds the label of the entity in the first.
  const bool entity_rows = answer->vars.size() > 1 && answer->vars[1] == "label";
  std::map<std::string, std::vector<std::array<Term, 3>>> chains;  // answer -> facts through hidden variables
  if (why && !compiled.no_connection) {
    auto found = FactsThroughEveryVariable(result.sparql, source, dictionary, options);
    if (!found.ok()) return found.status();
    chains = std::move(*found);
  }
  result.columns = {answer->vars[0]};
  for (const auto& row : answer->rows) {
    Answer a;
    const auto& v = row[0];
    if (!v) continue;
    if (v->kind == TermKind::kIri) a.iri = v->value;
    if (entity_rows && row.size() > 1 && row[1]) {
      a.values.push_back(row[1]->value);
    } else {
      a.values.push_back(v->value);
    }
    if (why) {
      // The facts the answer rests on: each triple pattern with the answer put in.
      std::vector<std::array<Term, 3>> facts;
      for (const auto& c : question.clauses) {
        if (c.entity.empty()) continue;
        for (const auto& w : c.verbs) {
          facts.push_back({*v, Term::Iri(w.property), Term::Iri(c.entity[0])});
          facts.push_back({Term::Iri(c.entity[0]), Term::Iri(w.property), *v});
          if (w.reading == Reading::kCo && v->kind == TermKind::kIri) {
            // "X met Y": the evidence is each meeting's participation of both.
            for (const auto& shared : SharedSubjects(w.property, v->value, c.entity[0], source, dictionary)) {
              facts.push_back({shared, Term::Iri(w.property), *v});
              facts.push_back({shared, Term::Iri(w.property), Term::Iri(c.entity[0])});
            }
          }
        }
      }
      if (!question.cls.empty()) facts.push_back({*v, Term::Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Term::Iri(question.cls)});
      for (const auto& m : question.modifiers) {
        if (m.kind == Modifier::Kind::kAbout && !m.entity.empty()) facts.push_back({*v, Term::Iri(kOnt + "about"), Term::Iri(m.entity[0])});
      }
      if (auto chain = chains.find(v->value); chain != chains.end()) {
        facts.insert(facts.end(), chain->second.begin(), chain->second.end());
      }
      auto evidence = rdf::EvidenceFor(source, dictionary, facts);
      if (!evidence.ok()) return evidence.status();
      a.evidence.insert(a.evidence.end(), evidence->begin(), evidence->end());
    }
    result.answers.push_back(std::move(a));
  }
  if (result.answers.empty()) {
    // The strict reading found nothing; the relaxed one may read the words otherwise
    // ("where is Hanoi" follows :locatedIn, "who disagrees with Trump" bridges claims).
    ReadResult relaxed = ReadQuestion(raw, lexicon, source, dictionary);
    if (relaxed.reading) {
      auto second = AnswerReading(*relaxed.reading, lexicon, source, dictionary, why, cancel);
      if (!second.ok()) return second.status();
      if (!second->answers.empty()) return second;
    }
  }
  if (result.answers.empty()) {
    // "No proposals addressed climate change.", in the question's own capitalisation
    // when normalising changed nothing but case and spacing.
    std::string display;
    for (char c : raw) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      if (space && (display.empty() || display.back() == ' ')) continue;
      display.push_back(space ? ' ' : c);
    }
    while (!display.empty() && display.back() == ' ') display.pop_back();
    const bool same_shape = display.size() == text.size() && Lexicon::Normalize(display) == text;
    const std::string& source_text = same_shape ? display : text;
    std::string rest = question.rest_offset > 0 ? source_text.substr(question.rest_offset) : "";
    while (!rest.empty() && (rest.back() == '?' || rest.back() == '.')) rest.pop_back();
    if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    std::string plural = question.cls_text;
    if (question.form == Question::Form::kWho) {
      result.message = "Nobody " + source_text.substr(source_text.find(' ') + 1);
      while (!result.message.empty() && (result.message.back() == '?' || result.message.back() == '.')) result.message.pop_back();
      result.message += ".";
    } else if (!plural.empty()) {
      result.message = "No " + plural + (rest.empty() ? "" : " " + rest) + ".";
    } else {
      result.message = "No answer in the graph.";
    }
    result.message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(result.message[0])));
  }
  return result;
}

}  // namespace

// A standard-library exception from a case the code missed becomes an error for this
// question, never the end of the process or of the REPL.
namespace {

// The stricter of two minimum grades, each part on its own.
rdf::MinimumGrades Stricter(rdf::MinimumGrades a, rdf::MinimumGrades b) {
  rdf::MinimumGrades out;
  out.reliability = a.reliability == 0 ? b.reliability : b.reliability == 0 ? a.reliability : std::min(a.reliability, b.reliability);
  out.credibility = a.credibility == 0 ? b.credibility : b.credibility == 0 ? a.credibility : std::min(a.credibility, b.credibility);
  return out;
}

// An answer, a count or a yes or no: nothing left to try.
bool Answered(const AskResult& r) { return r.understood && (r.is_boolean || !r.answers.empty()); }

// "Did Xi Jinping attend the Singapore summit?": the graph has no one of that name. A
// yes/no question about one such name is answered for everyone instead ("who attended
// the Singapore summit"), so the user sees what the graph does hold.
Result<AskResult> AboutUnknownNames(const std::string& raw, const std::vector<UnknownName>& unknown,
                                    const Lexicon& lexicon, const QuadSource& source, const TermDictionary& dictionary,
                                    bool why, const std::atomic<bool>* cancel) {
  AskResult result;  // not understood, unless the others are answered
  result.message = NoSuchNames(unknown);
  static const std::set<std::string> auxiliaries = {"did", "does", "do", "was", "were", "is", "are", "has", "have", "had"};
  std::string lead = Lexicon::Normalize(raw.substr(0, std::min(unknown[0].offset, raw.size())));
  while (!lead.empty() && lead.back() == ' ') lead.pop_back();
  if (unknown.size() != 1 || !auxiliaries.count(lead)) return result;
  std::string rest = raw.substr(std::min(unknown[0].end, raw.size()));
  while (!rest.empty() && (rest.back() == '?' || rest.back() == '.' || rest.back() == ' ')) rest.pop_back();
  // "was Mike Pence at ...": "who was at ..."; "did Xi attend ...": "who attend ...";
  // "is Zebedee Quill a person" has no others to ask about.
  const bool be = lead == "was" || lead == "were" || lead == "is" || lead == "are";
  if (be && rest.rfind(" at ", 0) != 0 && rest.rfind(" in ", 0) != 0) return result;
  const std::string instead = "who" + (be ? " " + lead : std::string()) + rest;
  auto others = Ask(instead, lexicon, source, dictionary, why, cancel);
  if (!others.ok()) return others.status();
  if (!Answered(*others) || others->is_boolean) return result;
  others->message = result.message + " Answering \"" + instead + "?\" instead:";
  others->understood = true;
  return others;
}

// The looser readings of `question` (loose.hpp), the first with answers.
Result<std::optional<AskResult>> AskLoosely(const std::string& question, const Lexicon& lexicon, const QuadSource& source,
                                            const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel) {
  for (const Interpretation& reading : LooseReadings(question, lexicon)) {
    auto loose = AnswerReading(reading, lexicon, source, dictionary, why, cancel);
    if (!loose.ok()) return loose.status();
    const bool none = loose->answers.empty() || (loose->columns == std::vector<std::string>{"count"} && loose->counted.empty());
    if (!none) return std::optional<AskResult>(std::move(*loose));
  }
  return std::optional<AskResult>();
}

// Answers `raw` as typed; when that cannot be understood, with its misspelt words
// corrected; then, for names the graph does not have, says so; last, when nothing
// read or nothing was found, a looser reading that links the entities it names.
Result<AskResult> AskWithFallbacks(const std::string& raw, const Lexicon& lexicon, const QuadSource& source,
                                   const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel) {
  auto as_typed = Ask(raw, lexicon, source, dictionary, why, cancel);
  // A text too long to be a question is refused at once, with nothing else tried.
  if (!as_typed.ok() || Answered(*as_typed) || TooLong(Lexicon::Normalize(raw))) return as_typed;
  AskResult best = std::move(*as_typed);
  std::string question = raw;
  // An unknown name is not a misspelt word: "Xi" is not "Ri".
  if (!best.understood) {
    const auto unknown = UnknownNames(raw, lexicon);
    if (!unknown.empty()) return AboutUnknownNames(raw, unknown, lexicon, source, dictionary, why, cancel);
  }
  auto reads = [&](const std::string& candidate) {
    const std::string text = Lexicon::Normalize(candidate);
    if (ParseQuestion(text, lexicon).parsed) return true;
    for (const std::string& rephrased : Rephrasings(text, lexicon)) {
      if (ParseQuestion(rephrased, lexicon).parsed) return true;
    }
    return Readable(candidate, lexicon, source, dictionary);
  };
  if (auto respelled = Respell(raw, lexicon, reads)) {
    // A question read with no answers may have a misspelt word read as something else
    // ("where did the Pulwama atack happen"): the corrected one replaces it if it answers.
    auto corrected = Ask(respelled->question, lexicon, source, dictionary, why, cancel);
    if (!corrected.ok()) return corrected;
    if (corrected->understood && (!best.understood || Answered(*corrected))) {
      best = std::move(*corrected);
      best.spelling = DescribeFixes(respelled->fixes);
      question = respelled->question;
      if (Answered(best)) return best;
    }
  }
  // Looser only where the reading was a guess: a refusal (but never a question of which
  // entity a name means), or the relaxed reader's reading with no answers. The grammar's
  // readings are exact, and their empty answers are answers ("No proposals by China").
  const bool guessed = best.understood ? best.answers.empty() && !best.reading.empty() : !AsksWhichOne(best.message);
  if (!guessed) return best;
  auto loose = AskLoosely(question, lexicon, source, dictionary, why, cancel);
  if (!loose.ok()) return loose.status();
  if (!*loose) return best;
  (*loose)->spelling = best.spelling;
  return std::move(**loose);
}

// Answers on the graded view of `source` when the question or the caller asks for
// grades.
Result<AskResult> AskGraded(const std::string& raw, const Lexicon& lexicon, const QuadSource& source,
                            const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel,
                            rdf::MinimumGrades minimum) {
  std::string question = raw;
  if (auto qualifier = FindSourceQualifier(raw)) {
    question = qualifier->question;
    minimum = Stricter(minimum, qualifier->minimum);
  }
  if (!minimum.any()) return AskWithFallbacks(question, lexicon, source, dictionary, why, cancel);
  auto graded = rdf::GradedSource::Make(source, dictionary, minimum);
  if (!graded.ok()) return graded.status();
  auto result = AskWithFallbacks(question, lexicon, **graded, dictionary, why, cancel);
  if (result.ok()) result->minimum = minimum;
  return result;
}

}  // namespace

Result<AskResult> AskQuestion(const std::string& raw, const Lexicon& lexicon, const QuadSource& source,
                              const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel,
                              rdf::MinimumGrades minimum) {
  try {
    return AskGraded(raw, lexicon, source, dictionary, why, cancel, minimum);
  } catch (const std::bad_alloc&) {
    return Status::InvalidArgument("the question ran out of memory");
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("the question could not be answered: ") + e.what());
  }
}

}  // namespace parley::query::english
