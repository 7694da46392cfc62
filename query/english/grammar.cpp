// query/english/grammar.cpp: the controlled-English grammar (Spirit X3). Its lexicon
// parsers match the longest phrase of the lexicon at the cursor; semantic actions fill
// in a Builder, whose Question the compiler (compile.cpp) turns into SPARQL.
#include <algorithm>
#include <functional>

#include "query/english/question.hpp"
#include "query/grammar/config.hpp"

namespace parley::query::english {
namespace {

namespace x3 = boost::spirit::x3;
using grammar::Kw;

struct Builder {
  const Lexicon* lexicon = nullptr;
  std::string::const_iterator begin;
  std::size_t furthest = 0;          // the furthest the input was understood, for messages
  Question q;
  // The last matches, consumed by the actions that follow them.
  std::vector<std::string> entity, cls;
  std::string entity_text, cls_text, verb_text;
  std::vector<PropertyWord> verbs;
  std::string date;
  std::size_t class_end = 0;        // offset just after the last class noun matched
  bool class_end_pending = false;
  bool next_or = false;
  void Reset() { q = Question{}; next_or = false; }
};
struct builder_tag;

template <class Ctx>
Builder& B(const Ctx& ctx) {
  return x3::get<builder_tag>(ctx).get();
}


// ---------------------------------------------------------------- lexicon parsers

enum class Table : std::uint8_t { kEntity, kClass, kVerb, kNoun };

// Matches the longest phrase (whole words) of one lexicon table at the cursor.
struct LexiconParser : x3::parser<LexiconParser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  Table table;
  explicit LexiconParser(Table t) : table(t) {}

  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr&) const {
    x3::skip_over(first, last, ctx);
    Builder& b = B(ctx);
    const Lexicon& lex = *b.lexicon;
    // Word ends (exclusive) from the cursor, up to the longest phrase in the lexicon.
    std::vector<It> ends;
    It it = first;
    while (it != last && ends.size() < lex.max_words) {
      if (*it == '?' || *it == ',' || *it == '.') break;
      while (it != last && *it != ' ' && *it != '?' && *it != ',') ++it;
      // A full stop ends a word only at the end of the question ("U.S." is a word).
      ends.push_back(it);
      if (it == last || *it != ' ') break;
      ++it;
    }
    for (auto e = ends.rbegin(); e != ends.rend(); ++e) {
      std::string phrase(first, *e);
      while (!phrase.empty() && phrase.back() == '.') phrase.pop_back();
      if (Match(b, phrase)) {
        It end = *e;
        if (phrase.size() < static_cast<std::size_t>(end - first)) end = first + static_cast<std::ptrdiff_t>(phrase.size());
        first = end;
        b.furthest = std::max(b.furthest, static_cast<std::size_t>(first - b.begin));
        if (b.class_end_pending) {
          b.class_end = static_cast<std::size_t>(first - b.begin);
          b.class_end_pending = false;
        }
        return true;
      }
    }
    return false;
  }

  static std::vector<std::string> All(const std::multimap<std::string, std::string>& table, const std::string& phrase) {
    std::vector<std::string> out;
    for (auto [i, e] = table.equal_range(phrase); i != e; ++i) out.push_back(i->second);
    return out;
  }

  bool Match(Builder& b, const std::string& phrase) const {
    const Lexicon& lex = *b.lexicon;
    switch (table) {
      case Table::kEntity: {
        b.entity = lex.EntitiesNamed(phrase);
        if (b.entity.empty()) return false;
        b.entity_text = phrase;
        return true;
      }
      case Table::kClass: {
        b.cls = All(lex.classes, phrase);
        if (b.cls.empty()) return false;
        b.cls_text = phrase;
        b.class_end_pending = true;
        return true;
      }
      case Table::kVerb:
      case Table::kNoun: {
        std::vector<PropertyWord> found;
        for (auto [i, e] = lex.properties.equal_range(phrase); i != e; ++i) {
          const bool noun = i->second.reading == Reading::kNoun;
          if (noun == (table == Table::kNoun)) found.push_back(i->second);
        }
        if (found.empty()) return false;
        b.verbs = found;
        b.verb_text = phrase;
        return true;
      }
    }
    return false;
  }
};

// YYYY, YYYY-MM or YYYY-MM-DD.
struct DateParser : x3::parser<DateParser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr&) const {
    x3::skip_over(first, last, ctx);
    It it = first;
    std::string text;
    while (it != last && ((*it >= '0' && *it <= '9') || *it == '-')) text.push_back(*it++);
    if (text.size() != 4 && text.size() != 7 && text.size() != 10) return false;
    B(ctx).date = text;
    first = it;
    return true;
  }
};

const LexiconParser entity_word(Table::kEntity), class_word(Table::kClass), verb_word(Table::kVerb),
    noun_word(Table::kNoun);
const DateParser date_word;

template <class F>
auto Act(F f) {
  return [f](auto& ctx) { f(B(ctx), ctx); };
}

// ---------------------------------------------------------------- the grammar

const auto article = -(Kw("the") | Kw("a") | Kw("an"));
const auto aux = Kw("did") | Kw("does") | Kw("do") | Kw("was") | Kw("were") | Kw("is") | Kw("are") | Kw("has") |
                 Kw("have") | Kw("had") | Kw("will");
const auto relative = Kw("that") | Kw("which") | Kw("who") | Kw("whom");
const auto entity_ref = article >> entity_word;

// The clause the builder's last verb and entity make.
Clause LastClause(const Builder& b, bool x_first) {
  Clause c;
  c.verbs = b.verbs;
  c.verb_text = b.verb_text;
  c.entity = b.entity;
  c.entity_text = b.entity_text;
  c.x_first = x_first;
  return c;
}

auto PushClause(bool x_first) {
  return Act([x_first](Builder& b, auto&) {
    Clause c = LastClause(b, x_first);
    c.joined_by_or = b.next_or;
    b.next_or = false;
    b.q.clauses.push_back(std::move(c));
  });
}

const auto be_form = Kw("is") | Kw("are") | Kw("was") | Kw("were") | Kw("been") | Kw("be");
// "addressed sovereignty assurances", "that involve China", "were addressed by Mele",
// and passives the lexicon spells without the auxiliary: "were" + "proposed by".
const auto clause_x_first = (-relative >> verb_word >> entity_ref)[PushClause(true)] |
                            (-relative >> be_form >> verb_word >> entity_ref)[PushClause(true)];
// "did Nicholas Mele make" (the answer is the object)
const auto clause_x_second = (-relative >> aux >> entity_ref >> verb_word)[PushClause(false)];
const auto clause = clause_x_second | clause_x_first;
const auto clauses =
    clause >> *((Kw("and") | Kw("or")[Act([](Builder& b, auto&) { b.next_or = true; })]) >> clause);

auto PushModifier(Modifier::Kind kind) {
  return Act([kind](Builder& b, auto&) {
    b.q.modifiers.push_back(Modifier{kind, b.entity, b.entity_text, b.date});
    b.date.clear();
  });
}
const auto when_target = date_word[Act([](Builder& b, auto&) { b.entity.clear(); })] | entity_ref;
const auto modifier = (Kw("according") >> Kw("to") >> entity_ref)[PushModifier(Modifier::Kind::kAccordingTo)] |
                      (Kw("about") >> entity_ref)[PushModifier(Modifier::Kind::kAbout)] |
                      (Kw("before") >> when_target)[PushModifier(Modifier::Kind::kBefore)] |
                      (Kw("after") >> when_target)[PushModifier(Modifier::Kind::kAfter)] |
                      (Kw("in") >> entity_ref)[PushModifier(Modifier::Kind::kIn)];
const auto modifiers = *(-x3::lit(',') >> modifier);

auto Start(Question::Form form) {
  return Act([form](Builder& b, auto&) {
    b.Reset();
    b.q.form = form;
  });
}
const auto set_class = Act([](Builder& b, auto&) {
  b.q.cls = b.cls.front();
  b.q.cls_text = b.cls_text;
  b.q.rest_offset = b.class_end;
});
// A clause made of the question's own subject and verb: "when did X take place".
const auto subject_clause = Act([](Builder& b, auto&) { b.q.clauses.push_back(LastClause(b, false)); });
const auto be = Kw("is") | Kw("are") | Kw("was") | Kw("were");

const auto question =
    (x3::eps[Start(Question::Form::kHowMany)] >> Kw("how") >> Kw("many") >> class_word[set_class] >> clauses >>
     modifiers) |
    (x3::eps[Start(Question::Form::kWhen)] >> Kw("when") >> aux >> entity_ref >> verb_word[subject_clause] >> modifiers) |
    (x3::eps[Start(Question::Form::kWhere)] >> Kw("where") >> aux >> entity_ref >> verb_word[subject_clause]) |
    (x3::eps[Start(Question::Form::kWhere)] >> Kw("where") >> be >> entity_ref[subject_clause]) |
    (x3::eps[Start(Question::Form::kWho)] >> (Kw("who") | Kw("whom")) >> clauses >> modifiers) |
    (x3::eps[Start(Question::Form::kWhich)] >> (Kw("which") | Kw("what")) >> class_word[set_class] >>
     -(Kw("by") >> entity_ref)[PushModifier(Modifier::Kind::kBy)] >> -clauses >> modifiers) |
    (x3::eps[Start(Question::Form::kWhatObject)] >> Kw("what") >> aux >> entity_ref >> verb_word[subject_clause] >>
     modifiers) |
    (x3::eps[Start(Question::Form::kValue)] >> Kw("what") >> be >> article >> noun_word >> Kw("of") >>
     entity_ref[subject_clause]) |
    (x3::eps[Start(Question::Form::kAskType)] >> be >> entity_ref[Act([](Builder& b, auto&) {
       Clause c;
       c.entity = b.entity;
       c.entity_text = b.entity_text;
       b.q.clauses.push_back(std::move(c));
     })] >> article >> class_word[set_class]) |
    (x3::eps[Start(Question::Form::kAskRelation)] >> aux >> entity_ref[Act([](Builder& b, auto&) {
       Clause c;  // the subject; the verb and object complete it below
       c.entity = b.entity;
       c.entity_text = b.entity_text;
       b.q.clauses.push_back(std::move(c));
     })] >> verb_word >> entity_ref[PushClause(true)]);

const auto full_question = question >> -x3::lit('?') >> -x3::lit('.') >> -x3::lit('?') >> x3::eoi;


}  // namespace

ParseOutcome ParseQuestion(const std::string& text, const Lexicon& lexicon) {
  Builder builder;
  builder.lexicon = &lexicon;
  builder.begin = text.begin();
  auto first = text.cbegin();
  ParseOutcome out;
  try {
    out.parsed = x3::phrase_parse(first, text.cend(), x3::with<builder_tag>(std::ref(builder))[full_question],
                                  grammar::kAsciiSpace);
  } catch (const std::exception&) {
    out.parsed = false;
  }
  out.question = std::move(builder.q);
  out.furthest = builder.furthest;
  return out;
}

}  // namespace parley::query::english
