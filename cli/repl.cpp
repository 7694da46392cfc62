#include "cli/repl.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli/ask_command.hpp"
#include "cli/commands.hpp"
#include "cli/database_path.hpp"
#include "cli/export_command.hpp"
#include "cli/find_command.hpp"
#include "cli/lexicon_cache.hpp"
#include "cli/query_command.hpp"
#include "cli/repl_input.hpp"
#include "cli/store_access.hpp"
#include "cli/update_command.hpp"
#include "query/engine.hpp"
#include "query/english/forms.hpp"
#include "query/english/lexicon.hpp"
#include "query/english/source_qualifier.hpp"
#include "store/quad_store.hpp"

namespace parley::cli {
namespace {

const char* const kSparqlKeywords[] = {
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS",
    "GRAPH", "BIND", "VALUES", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "DISTINCT", "REDUCED", "COUNT",
    "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "EXISTS", "NOT EXISTS", "REGEX", "LANG", "LANGMATCHES",
    "DATATYPE", "BOUND", "STR", "CONTAINS", "STRSTARTS", "LCASE", "UCASE", "COALESCE", "IF", "FROM NAMED",
    "INSERT DATA", "DELETE DATA", "DELETE WHERE", "INSERT", "DELETE", "WITH", "USING", "LOAD", "CLEAR", "DROP",
    "CREATE", "COPY", "MOVE", "ADD", "SILENT", "DEFAULT", "ALL"};

const char* const kVocabularyTerms[] = {
    "rdf:type", "rdfs:label", "rdfs:comment", "rdfs:subClassOf", "rdfs:subPropertyOf", "rdfs:domain", "rdfs:range",
    "owl:sameAs", "xsd:string", "xsd:integer", "xsd:decimal", "xsd:double", "xsd:boolean", "xsd:date", "xsd:dateTime",
    "xsd:gYear", "xsd:gYearMonth"};

const char* const kQuestionWords[] = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how",
                                      "did", "does", "do", "is", "are", "was", "were", "has", "have", "list", "show"};

const char* const kHelp = R"(Ask in plain English, write SPARQL, or use a :command.

  who met Kim Jong Un?
  which proposals addressed sovereignty assurances?
  did Trump meet Kim Jong Un?
  SELECT ?m ?date WHERE {            (SPARQL runs once its braces balance;
    ?m a :Summit ; :date ?date }      a blank line ends a query without braces)
  DELETE DATA { ... } ; INSERT DATA { ... }
                                     (SPARQL Update: one atomic write; see docs/update.md)

Commands
  :help                      this text
  :help english              every form of question, with an example
  :why [--full]              the sources, grades, paragraphs and quotes behind the last answers (question or
                             SELECT); --full shows each cited paragraph with the quote marked
  :grades [RELIABILITY] [CREDIBILITY] | off
                             count only facts from sources graded A..F and cited 1..6 or better, e.g.
                             :grades B, :grades B 2 (now: %s); questions may say "according to reliable sources"
  :as-of [WHEN] | off        read the graph as it stood after generation N or at a DATE or DATETIME (UTC),
                             e.g. :as-of 2019-03-01 (now: %s); questions may say "as of 1 March 2019, ..."
  :sparql                    the SPARQL the last question compiled to
  :explain [--analyze] [Q]   the plan of query Q, or of the last query or question
  :format table|json|csv|tsv how results are printed (now: %s)
  :timing on|off             print the time each query takes (now: %s)
  :load FILE...              load fact files (.json) or RDF (.nt .nq .ttl), atomically
  :sources                   the sources and their numbers of facts
  :retract SOURCE            remove one source's facts
  :export [--root NAME]... [--depth N] [--construct Q] [--format json|jsonld|ntriples|nquads|turtle|dot]
          [--with-evidence] [-o FILE]
                             a subgraph, e.g. :export --root "hanoi summit" --format dot -o hanoi.dot
  :stats                     counts and per-predicate statistics
  :find TEXT [--kind KIND]   entities by name, alias or id, e.g. :find kim --kind Person
  :quit                      leave (Ctrl-D too)

Tab completes commands, SPARQL keywords, prefixes, ontology terms and names.
Ctrl-C stops a running query; Ctrl-R searches the history.
)";

// ":help english": every form of question with its examples (query/english/forms.cpp).
std::string EnglishHelp() {
  std::string out =
      "Questions in plain English: every form, with examples. Names may be labels or aliases, in any case;\n"
      "verbs and nouns in any inflection; synonyms of the ontology's words work too.\n\n";
  for (const auto& form : query::english::QuestionForms()) {
    out += "  " + form.name + "\n";
    for (const auto& example : form.examples) out += "      " + example + "\n";
    if (!form.note.empty()) out += "      (" + form.note + ")\n";
  }
  return out +
         "\nAfter an answer, :why shows its evidence and :sparql the SPARQL that ran. A question outside the\n"
         "grammar is read as well as it can be, and Parley says how (\"I read this as: ...\").\n";
}

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string FirstWord(const std::string& s) {
  return Lowercase(s.substr(0, s.find_first_of(" \t\n{(<?")));
}

// Whether `text` (its PREFIX and BASE lines skipped) starts a SPARQL Update operation.
// The word after the keyword decides, so that English ("add ...", "copy ...") is not taken.
bool IsSparqlUpdate(const std::string& text) {
  std::string rest = Trim(text);
  for (std::string word = FirstWord(rest); word == "prefix" || word == "base"; word = FirstWord(rest)) {
    const auto close = rest.find('>');
    if (close == std::string::npos) return false;
    rest = Trim(rest.substr(close + 1));
  }
  const std::string word = FirstWord(rest);
  const std::string after = Lowercase(Trim(rest.substr(word.size())));
  auto next_is = [&](std::initializer_list<const char*> options) {
    for (const char* o : options) {
      if (after.rfind(o, 0) == 0) return true;
    }
    return false;
  };
  if (word == "insert" || word == "delete") return next_is({"data", "where", "{"});
  if (word == "load") return next_is({"<", "silent"});
  if (word == "clear" || word == "drop") return next_is({"graph", "default", "named", "all", "silent"});
  if (word == "create") return next_is({"graph", "silent"});
  if (word == "add" || word == "move" || word == "copy") return next_is({"default", "graph", "silent", "<"});
  return word == "with" && next_is({"<"});
}

bool IsSparql(const std::string& line) {
  if (IsSparqlUpdate(line)) return true;
  static const char* const starts[] = {"select", "ask", "construct", "describe", "prefix", "base"};
  const std::string word = FirstWord(line);
  // "ask who met Kim" is English: SPARQL's ASK is followed by a brace, a FROM or a WHERE.
  if (word == "ask") {
    const std::string rest = Lowercase(Trim(line.substr(3)));
    return rest.empty() || rest[0] == '{' || rest.rfind("where", 0) == 0 || rest.rfind("from", 0) == 0;
  }
  return std::find(std::begin(starts), std::end(starts), word) != std::end(starts);
}

// Whether the SPARQL typed so far needs another line: an open brace, or no brace yet
// (a blank line submits a braceless query such as DESCRIBE <x>).
bool SparqlNeedsMore(const std::string& text) {
  int depth = 0;
  bool saw_brace = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      const bool long_string = text.compare(i, 3, std::string(3, c)) == 0;
      const std::string close = long_string ? std::string(3, c) : std::string(1, c);
      std::size_t j = i + close.size();
      // A short string cannot span lines: an unclosed one ends with its line.
      while (j < text.size() && text.compare(j, close.size(), close) != 0 && (long_string || text[j] != '\n')) {
        j += text[j] == '\\' ? 2 : 1;
      }
      i = j + close.size() - 1;
    } else if (c == '<') {
      const auto gt = text.find_first_of("> \t\n{}\"", i + 1);
      if (gt != std::string::npos && text[gt] == '>') i = gt;  // an IRI, whose '#' is no comment
    } else if (c == '#') {
      const auto eol = text.find('\n', i);
      if (eol == std::string::npos) break;
      i = eol;
    } else if (c == '{') {
      ++depth;
      saw_brace = true;
    } else if (c == '}') {
      --depth;
    }
  }
  if (depth > 0) return true;
  if (saw_brace) return false;
  return text.empty() || text.back() != '\n';  // the blank line has been added
}

// Splits `:cmd rest` into the command and its argument text.
std::pair<std::string, std::string> SplitCommand(const std::string& line) {
  const auto space = line.find_first_of(" \t");
  if (space == std::string::npos) return {Lowercase(line), ""};
  return {Lowercase(line.substr(0, space)), Trim(line.substr(space))};
}

class Session {
 public:
  Session(std::filesystem::path db, std::string endpoint, bool interactive, std::optional<store::AsOf> as_of)
      : db_(std::move(db)), endpoint_(std::move(endpoint)), store_(db_), interactive_(interactive),
        colour_(interactive && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr),
        input_(interactive, UserDataDirectory() / "history"), as_of_(std::move(as_of)) {}

  int Run() {
    RefreshCompletions();
    if (interactive_) {
      std::printf("Parley: ask a question, write SPARQL, or type :help. %s: %s\n", endpoint_.empty() ? "Database" : "Endpoint",
                  endpoint_.empty() ? db_.c_str() : endpoint_.c_str());
    }
    std::string line;
    while (true) {
      const InputEvent event = input_.Read(Prompt("parley> "), &line);
      if (event == InputEvent::kEndOfInput) return kExitOk;
      if (event == InputEvent::kInterrupted) continue;
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;  // '#' comments, for scripts
      if (IsSparql(line) && !ReadRestOfQuery(&line)) continue;
      input_.Remember(line);
      if (!Dispatch(line)) return kExitOk;
      std::fflush(stdout);
      std::fflush(stderr);
    }
  }

 private:
  std::string Prompt(const std::string& text) const {
    if (!interactive_) return "";
    // \001 and \002 tell readline the escape codes take no room.
    return colour_ ? "\001\033[1;36m\002" + text + "\001\033[0m\002" : text;
  }

  void Error(const std::string& message) const {
    if (colour_) {
      std::fprintf(stderr, "\033[31m%s\033[0m\n", message.c_str());
    } else {
      std::fprintf(stderr, "%s\n", message.c_str());
    }
  }

  // Reads continuation lines until the query's braces balance; false when Ctrl-C or end of input abandoned it.
  bool ReadRestOfQuery(std::string* query) {
    std::string more;
    while (SparqlNeedsMore(*query)) {
      const InputEvent event = input_.Read(Prompt("   ...> "), &more);
      if (event != InputEvent::kLine) return event == InputEvent::kEndOfInput && !Trim(*query).empty();
      *query += "\n" + more;
      if (Trim(more).empty()) *query += "\n";
    }
    *query = Trim(*query);
    return true;
  }

  // Runs one entry; false to leave the REPL.
  bool Dispatch(const std::string& line) {
    if (line[0] == ':') return RunCommand(line);
    InterruptFlag().store(false);
    const auto start = std::chrono::steady_clock::now();
    if (IsSparqlUpdate(line)) {
      RunUpdate(line);
    } else if (IsSparql(line)) {
      RunSparql(line);
    } else {
      RunQuestion(line);
    }
    if (timing_) {
      std::fflush(stdout);
      std::fprintf(stderr, "time: %.3f ms\n",
                   std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return true;
  }

  void RunSparql(const std::string& text) {
    last_query_ = text;
    last_was_sparql_ = true;
    QueryArgs args;
    args.text = text;
    args.format = format_;
    args.cancel = &InterruptFlag();
    args.labels_only = true;
    args.minimum = minimum_;
    args.as_of = as_of_;
    if (!endpoint_.empty()) {
      if (args.format == "table") args.format = "tsv";
      RunRemoteQueryCommand(endpoint_, args);
      return;
    }
    if (const store::QuadStore* store = Store()) RunQueryCommand(*store, args);
  }

  void RunUpdate(const std::string& text) {
    if (!endpoint_.empty()) return Error("updates change the local database; this REPL reads " + endpoint_);
    QueryArgs args;
    CLI::App app;
    AddUpdateOptions(&app, &args);  // the defaults `parley update` has
    args.text = text;
    args.cancel = &InterruptFlag();
    if (RunUpdateCommand(db_, args) == kExitOk) GraphChanged();
  }

  void RunQuestion(const std::string& question) {
    AskArgs args;
    args.question = question;
    args.format = format_;
    args.cancel = &InterruptFlag();
    args.minimum = minimum_;
    args.as_of = as_of_;
    query::english::AskResult answered;
    int code = kExitFailure;
    if (!endpoint_.empty()) {
      code = RunRemoteAskCommand(endpoint_, args, &answered, &remote_lexicon_);
    } else {
      const store::QuadStore* store = Store();
      if (store == nullptr) return;
      args.lexicon = CachedLexicon();
      code = RunAskCommand(*store, args, &answered);
    }
    if (code == kExitOk) {
      last_answer_ = std::move(answered);
      last_query_ = last_answer_->sparql;
      last_was_sparql_ = false;
    } else if (!answered.understood && !answered.message.empty()) {
      std::fputs("(:help shows what Parley understands; SPARQL works too)\n", stderr);
    }
  }

  bool RunCommand(const std::string& line) {
    const auto [command, rest] = SplitCommand(line);
    using Handler = std::function<void(const std::string&)>;
    const std::map<std::string, Handler> handlers = {
        {":help", [this](const std::string& r) {
           if (Lowercase(Trim(r)) == "english") {
             std::fputs(EnglishHelp().c_str(), stdout);
           } else {
             std::printf(kHelp, GradesNow().c_str(), AsOfNow().c_str(), format_.c_str(), timing_ ? "on" : "off");
           }
         }},
        {":why", [this](const std::string& r) { ShowWhy(r); }},
        {":sparql", [this](const std::string&) { ShowSparql(); }},
        {":explain", [this](const std::string& r) { Explain(r); }},
        {":format", [this](const std::string& r) { SetFormat(r); }},
        {":timing", [this](const std::string& r) { SetTiming(r); }},
        {":grades", [this](const std::string& r) { SetGrades(r); }},
        {":as-of", [this](const std::string& r) { SetAsOf(r); }},
        {":load", [this](const std::string& r) { Load(r); }},
        {":sources", [this](const std::string&) {
           if (const store::QuadStore* store = Store()) RunSources(*store, as_of_);
         }},
        {":retract", [this](const std::string& r) { Retract(r); }},
        {":export", [this](const std::string& r) { Export(r); }},
        {":find", [this](const std::string& r) { Find(r); }},
        {":stats", [this](const std::string&) {
           if (const store::QuadStore* store = Store()) RunStats(*store);
         }},
    };
    if (command == ":quit" || command == ":q" || command == ":exit") return false;
    static const std::set<std::string> kLocalOnly = {":load", ":sources", ":retract", ":find", ":stats", ":explain", ":as-of"};
    if (!endpoint_.empty() && kLocalOnly.count(command)) {
      Error(command + " works on a local database, not on the endpoint " + endpoint_);
      return true;
    }
    const auto handler = handlers.find(command);
    if (handler == handlers.end()) {
      Error("unknown command " + command + " (:help lists the commands)");
    } else {
      InterruptFlag().store(false);
      handler->second(rest);
    }
    return true;
  }

  // :why, or `:why --full` for the cited paragraphs too.
  void ShowWhy(const std::string& options) {
    const std::string option = Trim(options);
    if (!option.empty() && option != "--full" && option != "full") return Error(":why takes nothing or --full");
    const bool full = !option.empty();
    if (last_was_sparql_) {
      if (!endpoint_.empty()) return Error(":why after SPARQL needs a local database; ask a question instead");
      if (const store::QuadStore* store = Store()) {
        RunQueryEvidence(*store, last_query_, full, minimum_, &InterruptFlag(), as_of_);
      }
      return;
    }
    if (!last_answer_) return Error(":why shows the evidence behind the last answers; ask a question or run a SELECT first");
    if (!last_answer_->counted.empty()) {
      // After a count: what was counted, each with its evidence.
      query::english::AskResult counted = *last_answer_;
      counted.answers = counted.counted;
      counted.message.clear();
      const std::string out = RenderAnswers(counted, format_, full);
      std::fwrite(out.data(), 1, out.size(), stdout);
      return;
    }
    if (last_answer_->answers.empty()) return Error("the last question has no answers to explain");
    const std::string out = RenderAnswers(*last_answer_, format_, full);  // :why follows :format
    std::fwrite(out.data(), 1, out.size(), stdout);
  }

  void ShowSparql() const {
    if (!last_answer_) return Error(":sparql shows the SPARQL of the last question; ask one first");
    std::printf("%s\n", last_answer_->sparql.c_str());
  }

  void Explain(const std::string& rest) {
    std::string text = rest;
    bool analyze = false;
    if (text.rfind("--analyze", 0) == 0) {
      analyze = true;
      text = Trim(text.substr(9));
    }
    if (text.empty()) text = last_query_;
    if (text.empty()) return Error(":explain shows the plan of a query: give one, or run one first");
    QueryArgs args;
    args.text = text;
    args.as_of = as_of_;
    if (const store::QuadStore* store = Store()) RunExplainCommand(*store, args, analyze);
  }

  void SetFormat(const std::string& rest) {
    const std::string format = Lowercase(rest);
    if (format != "table" && format != "json" && format != "csv" && format != "tsv") {
      return Error(":format takes table, json, csv or tsv");
    }
    format_ = format;
  }

  // :grades B, :grades B 2, :grades 2, :grades off; without words, says what is set.
  void SetGrades(const std::string& rest) {
    std::istringstream words(rest);
    rdf::MinimumGrades minimum;
    for (std::string word; words >> word;) {
      if (Lowercase(word) == "off") {
        minimum = {};
      } else if (auto r = rdf::ParseReliability(word)) {
        minimum.reliability = *r;
      } else if (auto c = rdf::ParseCredibility(word)) {
        minimum.credibility = *c;
      } else {
        return Error(":grades takes a reliability A..F, a credibility 1..6, or off");
      }
    }
    if (!Trim(rest).empty()) minimum_ = minimum;
    std::printf("grades: %s\n", GradesNow().c_str());
  }

  // :as-of WHEN reads a past state from now on; :as-of off (or now, latest) the latest
  // again; :as-of alone says which. A date names the state at the end of that day.
  void SetAsOf(const std::string& rest) {
    const std::string when = Trim(rest);
    const std::string word = Lowercase(when);
    if (word == "off" || word == "now" || word == "latest") {
      as_of_.reset();
    } else if (!when.empty()) {
      auto parsed = store::ParseAsOf(when);
      if (!parsed.ok()) return Error(":as-of: " + parsed.status().message());
      const store::QuadStore* store = Store();
      if (store == nullptr) return;
      auto generation = store->ResolveAsOf(*parsed);  // refused now rather than at each question
      if (!generation.ok()) return Error(":as-of: " + generation.status().message());
      as_of_ = *parsed;
    }
    std::printf("as of: %s\n", AsOfNow().c_str());
  }

  std::string AsOfNow() {
    if (!as_of_) return "latest";
    const store::QuadStore* store = Store();
    if (store == nullptr) return as_of_->text;
    auto generation = store->ResolveAsOf(*as_of_);
    return as_of_->text + (generation.ok() ? ", " + DescribeState(*store, *generation) : "");
  }

  std::string GradesNow() const {
    return minimum_.any() ? "only " + query::english::DescribeGrades(minimum_) : "any";
  }

  void SetTiming(const std::string& rest) {
    const std::string value = Lowercase(rest);
    if (value != "on" && value != "off") return Error(":timing takes on or off");
    timing_ = value == "on";
  }

  // Parses `words` as the arguments of a parley subcommand; false (after saying why) when they are wrong.
  bool ParseWords(CLI::App& app, const std::string& words) const {
    try {
      app.parse(words, false);
      return true;
    } catch (const CLI::CallForHelp&) {
      std::printf("%s", app.help().c_str());
    } catch (const CLI::ParseError& e) {
      Error(app.get_name() + ": " + e.what());
    }
    return false;
  }

  void Load(const std::string& rest) {
    LoadArgs args;
    CLI::App app{"Load files in one atomic transaction", ":load"};
    AddLoadOptions(&app, &args);
    if (!ParseWords(app, rest)) return;
    if (RunLoad(db_, args) == kExitOk) GraphChanged();
  }

  void Retract(const std::string& rest) {
    std::string source = rest;
    if (source.rfind("--source", 0) == 0) source = Trim(source.substr(8));
    if (source.empty()) return Error(":retract takes a source id (:sources lists them)");
    if (RunRetract(db_, source) == kExitOk) GraphChanged();
  }

  void Find(const std::string& rest) {
    FindArgs args;
    CLI::App app{"Find entities by name", ":find"};
    AddFindOptions(&app, &args);
    if (!ParseWords(app, rest)) return;
    if (const store::QuadStore* store = Store()) RunFindCommand(*store, args);
  }

  void Export(const std::string& rest) {
    ExportArgs args;
    CLI::App app{"Write a subgraph", ":export"};
    AddExportOptions(&app, &args);
    if (!ParseWords(app, rest)) return;
    if (!endpoint_.empty()) {
      RunRemoteExportCommand(endpoint_, args);
      return;
    }
    args.as_of = as_of_;
    if (const store::QuadStore* store = Store()) RunExportCommand(*store, args);
  }

  // The English front-end's words, read from the graph once and again after :load or
  // :retract (a large graph has many names). Null when the database cannot be read.
  std::shared_ptr<const query::english::Lexicon> CachedLexicon() {
    if (!endpoint_.empty()) return remote_lexicon_;
    const store::QuadStore* store = Store();
    if (store == nullptr) return nullptr;
    if (lexicon_) return lexicon_;
    auto snapshot = store->GetSnapshot();
    auto lexicon = LoadLexicon(db_, *snapshot);
    if (lexicon.ok()) lexicon_ = *lexicon;
    return lexicon_;
  }

  // The open store, reopened when the database changed on disk (then the words are
  // read again); null, with the reason printed, when it cannot be opened.
  const store::QuadStore* Store() {
    const store::QuadStore* store = nullptr;
    bool changed = false;
    if (Status s = store_.Get(&store, &changed); !s.ok()) {
      Fail(s);
      return nullptr;
    }
    if (changed) lexicon_.reset();
    return store;
  }

  // The graph changed: read the words again.
  void GraphChanged() {
    lexicon_.reset();
    RefreshCompletions();
  }

  // Tab's words: commands, SPARQL keywords, prefixes, ontology terms, and every class,
  // property phrase and entity name the English front-end knows.
  void RefreshCompletions() {
    if (!interactive_) return;
    std::vector<std::string> words = {":help", ":why", ":sparql", ":explain", ":format", ":timing", ":grades", ":load",
                                      ":sources", ":find", ":retract", ":export", ":stats", ":quit"};
    for (const char* keyword : kSparqlKeywords) words.emplace_back(keyword);
    for (const char* word : kQuestionWords) words.emplace_back(word);
    for (const char* term : kVocabularyTerms) words.emplace_back(term);
    const auto prefixes = query::BuiltinPrefixes();
    for (const auto& [prefix, ns] : prefixes) words.push_back(prefix + ":");
    std::map<std::string, std::string> names;
    if (auto lexicon = CachedLexicon()) {
      for (const auto& [iri, label] : lexicon->label) {
        words.push_back(label);
        for (const auto& [prefix, ns] : prefixes) {
          // Ontology and vocabulary terms as prefixed names (:Summit, rdfs:label).
          if (iri.rfind(ns, 0) == 0 && iri.find_first_of("/#", ns.size()) == std::string::npos) words.push_back(prefix + ":" + iri.substr(ns.size()));
        }
      }
      const auto& entity_names = lexicon->entity_names;
      entity_names.ForEachName([&](std::string_view phrase, std::string_view iri) {
        words.emplace_back(phrase);
        auto label = entity_names.Label(iri);
        // An alias shared by two entities ("Kim") stays itself.
        if (label && entity_names.CountNamed(phrase) == 1) names[std::string(phrase)] = std::string(*label);
      });
      for (const auto& entry : lexicon->classes) words.push_back(entry.first);
      for (const auto& entry : lexicon->properties) words.push_back(entry.first);
    }
    input_.SetCompletions(std::move(words), std::move(names));
  }

  std::filesystem::path db_;
  std::string endpoint_;  // --endpoint: questions and SPARQL go to another engine
  std::shared_ptr<const query::english::Lexicon> remote_lexicon_;  // the endpoint's, read once
  ReadingStore store_;
  bool interactive_;
  bool colour_;
  LineInput input_;
  std::string format_ = "table";
  bool timing_ = false;
  rdf::MinimumGrades minimum_;  // :grades
  std::optional<store::AsOf> as_of_;  // :as-of, --as-of: a past state to read
  std::optional<query::english::AskResult> last_answer_;
  std::string last_query_;  // the last SPARQL run, typed or compiled from a question
  bool last_was_sparql_ = false;
  std::shared_ptr<const query::english::Lexicon> lexicon_;
};

}  // namespace

int RunRepl(const std::filesystem::path& db, const std::string& endpoint, const std::optional<store::AsOf>& as_of) {
  Session session(db, endpoint, ::isatty(STDIN_FILENO) == 1, as_of);
  return session.Run();
}

}  // namespace parley::cli
