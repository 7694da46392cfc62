#include "query/english/reading.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "query/engine.hpp"
#include "query/english/ambiguity.hpp"
#include "query/english/morphology.hpp"
#include "query/english/mentions.hpp"
#include "query/english/tokens.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";
const std::string kLabel = "<http://www.w3.org/2000/01/rdf-schema#label>";
const std::string kType = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
const std::string kDateProperties = "(<" + kOnt + "date>|<" + kOnt + "startDate>|<" + kOnt + "endDate>|<" + kOnt +
                                    "published>)";

std::string Iri(const std::string& iri) { return "<" + iri + ">"; }

// ---------------------------------------------------------------- nodes and links

// One end of a triple pattern: a variable with an optional class, or entities (more
// than one: any of them, from an "or" or a name given by one word).
struct Node {
  std::string var;                    // "?x", or empty for entities
  std::string cls;                    // the variable's class, "" for any
  std::vector<std::string> entities;  // the IRIs
  std::string text;                   // as typed
  bool IsVar() const { return !var.empty(); }
};

struct Link {
  std::string property;
  bool head_is_subject = true;
  std::string bridge_class;  // non-empty: the far end is a fresh variable of this class...
  std::string bridge_property;  // ...joined to the target by this property
  bool bridge_target_is_subject = false;
  int score = 0;
  std::string head_bridge_class;     // non-empty: the head's end is a fresh variable of this class...
  std::string head_bridge_property;  // ...joined to the head by this property
  bool head_bridge_head_is_subject = false;
};

class Reader {
 public:
  // `checking_examples`: this reader only checks that an example question reads.
  Reader(const Lexicon& lex, const QuadSource& source, const TermDictionary& dictionary, bool checking_examples = false)
      : lex_(lex), source_(source), dictionary_(dictionary), checking_examples_(checking_examples) {}

  ReadResult Read(std::string_view question) {
    tokens_ = Tokenize(question);
    mentions_ = FindMentions(lex_, tokens_);
    if (mentions_.empty()) return Refuse("The question is empty.");
    Rewrite();
    if (!Frame()) return Refuse(refusal_.empty() ? Understood() : refusal_);
    if (!refusal_.empty()) return Refuse(refusal_);
    if (reading_.form == Interpretation::Form::kDescribe || reading_.form == Interpretation::Form::kWhy) {
      return ReadResult{reading_, ""};
    }
    Clauses();
    if (juxtaposed_) return Refuse("");  // the grammar's message says where the words stop making sense
    if (!refusal_.empty()) return Refuse(refusal_);
    if (links_ == 0 && filters_.empty() && focus_.cls.empty() && reading_.form != Interpretation::Form::kWhen &&
        reading_.form != Interpretation::Form::kWhere) {
      return Refuse(Understood());
    }
    Compile();
    return ReadResult{reading_, ""};
  }

 private:
  // ------------------------------------------------------------ rewordings

  // "Mele's proposals" reads as "proposals by Mele"; "the city of Pyongyang" as the
  // city itself.
  void Rewrite() {
    for (std::size_t i = 0; i + 2 < mentions_.size(); ++i) {
      Mention& name = mentions_[i];
      if (name.Has(Sense::Kind::kEntity) && mentions_[i + 1].Is({"'s"}) && mentions_[i + 2].Has(Sense::Kind::kClass) &&
          !mentions_[i + 2].Has(Sense::Kind::kEntity)) {
        Mention by;
        by.kind = Mention::Kind::kWord;
        by.word = "by";
        by.text = "by";
        Mention cls = mentions_[i + 2];
        mentions_[i + 2] = name;
        mentions_[i] = cls;
        mentions_[i + 1] = by;
      }
    }
    for (std::size_t i = 0; i + 2 < mentions_.size(); ++i) {
      if (!mentions_[i].Has(Sense::Kind::kClass) || !mentions_[i + 1].Is({"of"}) || !EntityAt(i + 2)) continue;
      const std::string cls = mentions_[i].Of(Sense::Kind::kClass)[0].iri;
      const Node n = EntityNode(mentions_[i + 2], cls);
      if (n.entities.empty()) continue;
      Mention m = mentions_[i + 2];
      m.senses.clear();
      for (const auto& e : n.entities) m.senses.push_back(Sense{Sense::Kind::kEntity, e});
      mentions_.erase(mentions_.begin() + static_cast<std::ptrdiff_t>(i), mentions_.begin() + static_cast<std::ptrdiff_t>(i) + 3);
      mentions_.insert(mentions_.begin() + static_cast<std::ptrdiff_t>(i), m);
    }
  }

  // ------------------------------------------------------------ the form of question

  const Mention* At(std::size_t i) const { return i < mentions_.size() ? &mentions_[i] : nullptr; }
  bool WordAt(std::size_t i, std::initializer_list<const char*> words) const {
    const Mention* m = At(i);
    return m != nullptr && m->Is(words);
  }
  // The mention at i begins with `lemma`, whatever it was read as ("explain" is also a verb of claims).
  bool LemmaAt(std::size_t i, const char* lemma) const { return At(i) && tokens_[At(i)->first].lemma == lemma; }
  bool EntityAt(std::size_t i) const { return At(i) && At(i)->Has(Sense::Kind::kEntity); }
  bool ClassAt(std::size_t i) const { return At(i) && At(i)->Has(Sense::Kind::kClass); }

  // Skips "please", "can you", "tell me", "i want to know", articles.
  std::size_t SkipPoliteness(std::size_t i) const {
    for (bool moved = true; moved;) {
      moved = false;
      if (WordAt(i, {"please", "so", "ok", "okay", "hey", "now", "and"})) { ++i; moved = true; }
      if (WordAt(i, {"can", "could", "would", "will"}) && WordAt(i + 1, {"you"})) { i += 2; moved = true; }
      if (WordAt(i, {"i", "we"}) && WordAt(i + 1, {"want", "need", "would", "like", "wish"})) {
        i += 2;
        while (WordAt(i, {"like", "to", "know", "see", "find", "out", "learn"})) ++i;
        moved = true;
      }
      if (WordAt(i, {"do", "can"}) && WordAt(i + 1, {"you", "we"}) && WordAt(i + 2, {"know", "tell", "show"})) {
        i += 2;
        moved = true;
      }
      // "tell me which ...", "let me know who ...", "show me when ...": the question follows.
      std::size_t j = i;
      if (WordAt(j, {"tell", "show", "let"}) && WordAt(j + 1, {"me", "us"})) {
        j += 2;
        if (WordAt(j, {"know"})) ++j;
        if (WordAt(j, {"which", "what", "who", "whom", "when", "where", "why", "how", "whether", "if"})) {
          i = WordAt(j, {"whether", "if"}) ? j + 1 : j;
          moved = true;
        }
      }
      if (WordAt(i, {"know", "see", "learn", "find"}) && WordAt(i + 1, {"which", "what", "who", "when", "where", "why", "how"})) {
        ++i;
        moved = true;
      }
    }
    return i;
  }

  bool OnlyEntityFrom(std::size_t i, std::size_t* entity_at) const {
    while (WordAt(i, {"the", "a", "an"})) ++i;
    if (!EntityAt(i)) return false;
    *entity_at = i;
    std::size_t j = i + 1;
    while (WordAt(j, {"do", "be", "?", "like", "mean", "now", "all", "exactly"})) ++j;
    return j >= mentions_.size();
  }

  bool Describe(std::size_t entity_at) {
    reading_.form = Interpretation::Form::kDescribe;
    const Node n = EntityNode(mentions_[entity_at], "");
    if (n.entities.size() != 1) {
      refusal_ = Ambiguous(n);
      return true;
    }
    reading_.entity = n.entities[0];
    reading_.described = "what the graph holds about " + Label(n.entities[0]);
    return true;
  }

  bool Why(std::size_t i) {
    // "why did the Hanoi summit fail", "why did the talks break down", "why did Trump walk away"
    // An event named, else an event meant by its kind ("the deal"), else any name.
    for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t j = i; j < mentions_.size(); ++j) {
      if (EntityAt(j) && pass != 1) {
        const Node n = EntityNode(mentions_[j], pass == 0 ? kOnt + "Event" : "");
        if (n.entities.empty()) continue;
        reading_.form = Interpretation::Form::kWhy;
        reading_.entity = PreferKind(n.entities, kOnt + "Event");
        reading_.described = "the claims about " + Label(reading_.entity) + ", by who makes them";
        return true;
      }
      if (ClassAt(j) && pass == 1) {
        // "the talks", "the summit": the one event of that kind the claims discuss most.
        const std::string cls = mentions_[j].Of(Sense::Kind::kClass)[0].iri;
        const std::string e = MostDiscussed(cls);
        if (e.empty()) continue;
        reading_.form = Interpretation::Form::kWhy;
        reading_.entity = e;
        reading_.described = "the claims about " + Label(e) + " (the " + mentions_[j].text +
                             " the claims discuss most), by who makes them";
        return true;
      }
    }
    }
    return false;
  }

  bool Frame() {
    std::size_t i = SkipPoliteness(0);
    const std::size_t start = i;
    std::size_t entity_at = 0;
    // "tell me about X", "describe X", "what is known about X", "who is X", "X?"
    if (WordAt(i, {"tell", "describe", "show", "give", "what", "who", "information", "info", "detail"}) || LemmaAt(i, "explain")) {
      std::size_t j = i + 1;
      while (WordAt(j, {"me", "us", "more", "everything", "all", "anything", "information", "info", "detail",
                        "do", "you", "we", "know", "be", "known", "the", "graph", "database", "say", "hold",
                        "have", "record", "there", "on", "about", "of", "regarding", "concerning", "on"})) {
        ++j;
      }
      if (OnlyEntityFrom(j, &entity_at) && (j > i + 1 || WordAt(i, {"describe"}) || LemmaAt(i, "explain"))) {
        return Describe(entity_at);
      }
    }
    if (OnlyEntityFrom(i, &entity_at)) return Describe(entity_at);
    // "what did Michael Cohen do"
    if (WordAt(i, {"what"}) && WordAt(i + 1, {"do", "have"}) && EntityAt(i + 2) && WordAt(i + 3, {"do"}) &&
        i + 4 >= mentions_.size()) {
      return Describe(i + 2);
    }
    if (WordAt(i, {"why"}) || (LemmaAt(i, "explain") && WordAt(i + 1, {"why"})) ||
        (WordAt(i, {"what"}) && WordAt(i + 1, {"be"}) && WordAt(i + 2, {"the"}) && At(i + 3) &&
         (tokens_[At(i + 3)->first].lemma == "reason" || tokens_[At(i + 3)->first].lemma == "explanation" ||
          tokens_[At(i + 3)->first].lemma == "cause"))) {
      if (Why(i + 1)) return true;
      refusal_ = "I understood a \"why\" question but not what about: name the event or actor, as in \"why did the "
                 "Hanoi summit fail?\"";
      return false;
    }
    focus_.var = "?x";
    // "in which city was ...", "at what place ..." ask where; "on what date", "in what
    // year" ask when.
    if (WordAt(i, {"in", "at", "on"}) && WordAt(i + 1, {"which", "what"}) && At(i + 2)) {
      const std::string& w = tokens_[At(i + 2)->first].lemma;
      const bool place = ClassAt(i + 2) && Under(At(i + 2)->Of(Sense::Kind::kClass)[0].iri, kOnt + "Place");
      if (place || w == "place" || w == "location") {
        reading_.form = Interpretation::Form::kWhere;
        event_focus_ = true;
        clause_start_ = i + 3;
        return true;
      }
      if (w == "date" || w == "year" || w == "month" || w == "day" || w == "time") {
        reading_.form = Interpretation::Form::kWhen;
        event_focus_ = true;
        clause_start_ = i + 3;
        return true;
      }
    }
    if (WordAt(i, {"how"}) && WordAt(i + 1, {"many", "much", "often"})) {
      reading_.form = Interpretation::Form::kCount;
      count_events_ = WordAt(i + 1, {"often"});
      i += 2;
      if (WordAt(i, {"time"})) {
        ++i;
        count_events_ = true;
      }
    } else if (WordAt(i, {"number", "count", "total"})) {
      reading_.form = Interpretation::Form::kCount;
      ++i;
      while (WordAt(i, {"of", "the", "all"})) ++i;
    } else if (WordAt(i, {"when"})) {
      reading_.form = Interpretation::Form::kWhen;
      ++i;
      event_focus_ = true;
    } else if (WordAt(i, {"where"})) {
      reading_.form = Interpretation::Form::kWhere;
      ++i;
      event_focus_ = true;
    } else if (WordAt(i, {"who", "whom"})) {
      focus_.cls = kOnt + "Actor";
      focus_.text = "who";
      ++i;
    } else if (WordAt(i, {"which", "what", "whose"})) {
      ++i;
      // "what are all the proposals that ...": the proposals are the focus.
      std::size_t j = i;
      if (WordAt(j, {"be"})) {
        ++j;
        while (WordAt(j, {"the", "all", "every", "any", "some"})) ++j;
        if (ClassAt(j)) i = j;
      }
    } else if (WordAt(i, {"do", "be", "have", "can"})) {
      // "are there proposals about X" lists them; "did Trump meet Moon" is yes or no.
      if (WordAt(i + 1, {"there"})) {
        i += 2;
        while (WordAt(i, {"any", "some"})) ++i;
      } else {
        reading_.form = Interpretation::Form::kYesNo;
        ++i;
        yes_no_ = true;
      }
    } else if (WordAt(i, {"list", "show", "give", "find", "name", "display", "get", "tell", "enumerate", "search",
                          "look", "identify", "return", "fetch"})) {
      ++i;
      while (WordAt(i, {"me", "us", "all", "the", "every", "any", "for", "up", "out", "of", "a", "list", "names"})) ++i;
    }
    while (WordAt(i, {"the", "all", "any", "every", "a", "an", "of", "kind", "type", "sort"})) ++i;
    // "who met ...": after "who" a word that is also a verb ("met", "visited") is the verb.
    const bool verb_after_who = focus_.text == "who" && At(i) &&
                                (At(i)->Has(Sense::Kind::kProperty) || At(i)->Has(Sense::Kind::kEventClass));
    if (ClassAt(i) && !yes_no_ && !verb_after_who) {
      const Sense s = mentions_[i].Of(Sense::Kind::kClass)[0];
      focus_.cls = s.iri;
      focus_.text = mentions_[i].text;
      ++i;
    }
    // "which of the proposals", "what kind of meetings"
    clause_start_ = i;
    if (i == start && !ClassAt(start) && !yes_no_ && reading_.form == Interpretation::Form::kList) {
      return false;  // no question word and no class: nothing to ask for
    }
    return true;
  }

  // ------------------------------------------------------------ clauses

  // Reads the mentions after the frame, left to right. Each name is linked to the
  // current head (the focus, or the last class mentioned) by the pending property
  // word or preposition, or by the schema when there is neither.
  void Clauses() {
    std::vector<Node> subjects;   // names read before their verb ("did Mele make")
    std::vector<Sense> property;  // the pending verb or noun
    std::string prep;             // the pending preposition
    std::vector<Sense> last_property;
    std::string last_prep;
    bool after_aux = false, passive = false, or_pending = false, both = false;
    bool property_used = true, consumed_subjects = false;
    Node* head = &focus_;
    std::vector<Node> extra_heads;
    extra_heads.reserve(mentions_.size());
    if (yes_no_) {
      head = nullptr;
    }
    bool after_target = false;  // the last mention was a name or class linked as a target
    for (std::size_t i = clause_start_; i < mentions_.size(); ++i) {
      const Mention& m = mentions_[i];
      const bool is_name = m.kind == Mention::Kind::kSense &&
                           (m.Has(Sense::Kind::kEntity) || m.Has(Sense::Kind::kClass)) &&
                           !m.Has(Sense::Kind::kProperty) && !m.Has(Sense::Kind::kEventClass);
      if (is_name && after_target) {
        // "addressed sanctions relief sovereignty": two names with nothing to join them.
        juxtaposed_ = true;
        return;
      }
      after_target = false;
      if (m.Is({"which", "what", "who", "whom", "when", "where"}) && i + 1 == mentions_.size()) {
        juxtaposed_ = true;
        return;
      }
      if (m.kind == Mention::Kind::kDate) {
        TimeFilter(head ? *head : focus_, prep.empty() ? "in" : prep, m.date, i);
        prep.clear();
        continue;
      }
      if (m.kind == Mention::Kind::kWord) {
        const std::string& w = m.word;
        if (w == "do" || w == "have") {
          after_aux = true;
        } else if (w == "be") {
          passive = true;
          after_aux = true;
        } else if (w == "or") {
          or_pending = true;
        } else if (w == "and" || w == "," || w == "both" || w == "either" || w == "neither" || w == "nor") {
          both = both || w == "both";
        } else if (w == "each" && WordAt(i + 1, {"other"})) {
          // "claims that contradict each other": the head and another of its kind.
          Node other{"?o" + std::to_string(++vars_), head ? head->cls : "", {}, "each other"};
          LinkNodes(head ? *head : focus_, property.empty() ? last_property : property, "", other, false);
          ++i;
          property.clear();
        } else if (w == "according" && WordAt(i + 1, {"to"})) {
          prep = "by";
          ++i;
        } else if (IsPreposition(w)) {
          prep = w;
          if (w == "between" || w == "from") range_pending_ = true;
        } else if (w == "than" || w == "not" || w == "no" || w == "never") {
          refusal_ = "I cannot yet answer questions with \"" + m.text + "\" in them.";
          return;
        } else if (!FunctionWord(w) && !Ignorable(w)) {
          unknown_.push_back(&m);
        }
        continue;
      }
      // A phrase of the lexicon. Which of its senses applies depends on where it stands.
      const bool entity = m.Has(Sense::Kind::kEntity);
      const bool cls = m.Has(Sense::Kind::kClass);
      const bool verb = m.Has(Sense::Kind::kProperty) || m.Has(Sense::Kind::kEventClass);
      // A verb reading wins when a subject is waiting for its verb, or the phrase follows
      // the head directly ("proposals that address").
      const bool after_article = i > 0 && WordAt(i - 1, {"the", "a", "an"});
      const bool want_verb = verb && (!subjects.empty() || (!entity && !cls) ||
                                      (!after_article && !entity && property.empty() && prep.empty()));
      if (want_verb) {
        property.clear();
        for (const Sense& s : m.senses) {
          if (s.kind == Sense::Kind::kProperty || s.kind == Sense::Kind::kEventClass) property.push_back(s);
        }
        // "what happened after ...": the things that happen are events.
        if (focus_.cls.empty() && head == &focus_ && subjects.empty() && !yes_no_ && !property.empty()) {
          std::set<std::string> domains;
          for (const Sense& s : property) domains.insert(s.kind == Sense::Kind::kProperty ? Domain(s.iri) : "");
          if (domains.size() == 1 && !domains.begin()->empty() && lex_.datatype.count(property[0].iri) &&
              property[0].reading != Reading::kNoun) {
            focus_.cls = *domains.begin();
          }
        }
        // "was proposed (by X, at Y)": an active verb in the passive reads the other way;
        // the ontology's own passive phrases ("was proposed by") already do.
        if (passive) {
          for (Sense& s : property) {
            if (!s.passive) s.reading = Flip(s.reading);
          }
        }
        // "when did the Singapore summit take place", "where was it held": the name is the focus.
        if (event_focus_ && subjects.size() == 1 && !subjects[0].IsVar() && DateOrPlace(property)) {
          event_focus_entity_ = PreferKind(subjects[0].entities, kOnt + "Event");
          // "when did it begin": the start date alone.
          std::set<std::string> dated;  // "end" is also a noun of the end date, and "ended with" an outcome
          for (const Sense& s : property) {
            if (s.kind == Sense::Kind::kProperty && lex_.datatype.count(s.iri) &&
                (s.iri == kOnt + "date" || s.iri == kOnt + "startDate" || s.iri == kOnt + "endDate")) {
              dated.insert(s.iri);
            }
          }
          if (dated.size() == 1 && *dated.begin() != kOnt + "date") {
            when_property_ = Iri(*dated.begin());
          }
          subjects.clear();
          property.clear();
          continue;
        }
        // "did Mele make", "where did Trump and Kim meet": the waiting names are subjects.
        if (!subjects.empty()) {
          const bool object_follows = NextIsTarget(i + 1);
          for (Node& s : subjects) {
            if (EventClassIn(property)) {
              EventLink(head ? *head : focus_, property, s, true);
            } else if (head == nullptr) {
              extra_heads.push_back(s);  // yes/no: the first name is the statement's subject
              head = &extra_heads.back();
            } else {
              LinkNodes(*head, property, prep, s, true);
            }
          }
          property_used = !object_follows;
          consumed_subjects = true;
          if (head != nullptr && head != &focus_ && !object_follows) property.clear();
          subjects.clear();
        }
        last_property = property;
        if (!property.empty() && !consumed_subjects) property_used = false;
        consumed_subjects = false;
        passive = false;
        continue;
      }
      if (entity || cls) {
        Node target = entity ? EntityNode(m, "") : Node{"?c" + std::to_string(++vars_),
                                                       m.Of(Sense::Kind::kClass)[0].iri, {}, m.text};
        if (or_pending && last_target_ != nullptr && target.entities.size() >= 1 && !last_target_->IsVar()) {
          // "China or Russia": the same link, to either.
          last_target_->entities.insert(last_target_->entities.end(), target.entities.begin(), target.entities.end());
          last_target_->text += " or " + target.text;
          Relink();
          or_pending = false;
          continue;
        }
        or_pending = false;
        if (head == nullptr) {
          // yes/no: the first name is the statement's subject.
          extra_heads.push_back(target);
          head = &extra_heads.back();
          yes_subject_ = DescribeTarget(target);
          continue;
        }
        const bool verb_follows = At(i + 1) && At(i + 1)->kind == Mention::Kind::kSense &&
                                  (At(i + 1)->Has(Sense::Kind::kProperty) || At(i + 1)->Has(Sense::Kind::kEventClass)) &&
                                  !At(i + 1)->Has(Sense::Kind::kEntity);
        if (property.empty() && prep.empty() && ((after_aux && last_property.empty()) || verb_follows)) {
          subjects.push_back(target);  // "did Mele make", "the proposals Mele made"
          continue;
        }
        if (property.empty() && prep.empty() && !last_property.empty()) {
          property = last_property;  // "attended the Singapore summit and the Hanoi summit"
        }
        if (property.empty() && prep.empty() && !last_prep.empty()) prep = last_prep;
        after_target = true;
        if (!TemporalLink(*head, prep, target)) {
          if (EventClassIn(property)) {
            EventLink(*head, property, target, false);
          } else {
            LinkNodes(*head, property, prep, target, false);
          }
        }
        if (!property.empty()) last_property = property;
        last_prep = prep;
        property.clear();
        property_used = true;
        prep.clear();
        if (target.IsVar()) {
          extra_heads.push_back(target);
          head = &extra_heads.back();
        }
        continue;
      }
    }
    // Names still waiting for a verb: "when was the Hanoi summit", "where is Hanoi"
    // ask about the name; otherwise the schema links them.
    if (event_focus_ && subjects.size() == 1 && !subjects[0].IsVar() && links_ == 0) {
      event_focus_entity_ = PreferKind(subjects[0].entities, kOnt + "Event");
      subjects.clear();
    }
    for (Node& s : subjects) {
      if (head != nullptr) LinkNodes(*head, property.empty() ? last_property : property, prep, s, true);
    }
    // A verb with nothing after it: "which claims are contradicted", "which sources were published".
    if (!property_used && !property.empty() && head != nullptr && subjects.empty() && !yes_no_) {
      Existence(*head, property);
    }
    if (yes_no_ && head != nullptr && links_ == 0 && !property.empty()) {
      // "did Cohen testify": took part in a testimony.
      if (EventClassIn(property)) {
        Existence(*head, property);
      } else {
        // "did the Hanoi summit end?", "did Japan propose anything": the subject has a value
        // of the property, at the end the verb gives it.
        for (const Sense& s : property) {
          if (s.kind != Sense::Kind::kProperty) continue;
          const std::string v = Fresh("?v");
          if (s.reading == Reading::kInverse) {
            AddPattern(v, Iri(s.iri), Term(*head));
          } else {
            AddPattern(Term(*head), Iri(s.iri), v);
          }
          described_.push_back((s.reading == Reading::kInverse ? "is the " + Label(s.iri) + " of something"
                                                                : "has a " + Label(s.iri)));
          ++links_;
          break;
        }
      }
    }
    for (const DatedHead& d : dates_) filters_.push_back("FILTER(" + DateOverlap(DatedEnd(d.head), d.lo, d.hi) + ")");
    if (!unknown_.empty()) {
      std::string words;
      for (const Mention* u : unknown_) words += (words.empty() ? "\"" : ", \"") + u->text + "\"";
      refusal_ = "I don't know " + words + ". " + Understood();
    }
  }

  // Some sense is a date or a place ("signed" is :date, and taking part, too).
  bool DateOrPlace(const std::vector<Sense>& senses) const {
    return std::any_of(senses.begin(), senses.end(), [&](const Sense& s) {
      return s.kind == Sense::Kind::kProperty &&
             (lex_.datatype.count(s.iri) || s.iri == kOnt + "location" || s.iri == kOnt + "locatedIn");
    });
  }

  // The class at the head's end of the first property sense: its domain for a forward
  // reading, its range for an inverse one.
  std::string VerbEndClass(const std::vector<Sense>& senses) const {
    for (const Sense& s : senses) {
      if (s.kind != Sense::Kind::kProperty) continue;
      if (s.reading == Reading::kForward) return Domain(s.iri);
      if (s.reading == Reading::kInverse) return Range(s.iri);
    }
    return "";
  }

  // "which claims are contradicted": the head is at one end of the property.
  void Existence(Node& head, const std::vector<Sense>& senses) {
    if (EventClassIn(senses)) {
      // "who testified": took part in a testimony.
      std::string cls;
      for (const Sense& s : senses) {
        if (s.kind == Sense::Kind::kEventClass) cls = s.iri;
      }
      const std::string m = Fresh("?m");
      if (event_var_.empty()) event_var_ = m;  // what a date in the question dates
      patterns_.push_back(m + " a " + Iri(cls) + " . " + m + " <" + kOnt + "participant> " + Term(head));
      AddFact(m, "<" + kOnt + "participant>", Term(head));
      described_.push_back("took part in a " + Label(cls));
      ++links_;
      return;
    }
    for (const Sense& s : senses) {
      if (s.kind != Sense::Kind::kProperty) continue;
      const bool head_subject = s.reading == Reading::kForward;
      if (lex_.datatype.count(s.iri)) {
        if (Fit(head, Domain(s.iri)) == 0) continue;
        AddPattern(Term(head), Iri(s.iri), Fresh("?v"));
      } else {
        if (Fit(head, head_subject ? Domain(s.iri) : Range(s.iri)) == 0) continue;
        const std::string v = Fresh("?v");
        if (head_subject) {
          patterns_.push_back(Term(head) + " " + Path(s.iri) + " " + v);
          AddFact(Term(head), Iri(s.iri), v);
        } else {
          patterns_.push_back(v + " " + Path(s.iri) + " " + Term(head));
          AddFact(v, Iri(s.iri), Term(head));
        }
      }
      ++links_;
      described_.push_back((head_subject ? "that have a " : "that are the object of a ") + Label(s.iri));
      return;
    }
  }

  static bool IsPreposition(const std::string& w) {
    static const std::set<std::string> words = {"about", "on", "in", "at", "by", "with", "for", "from", "of",
                                                "regarding", "concerning", "during", "before", "after", "since",
                                                "until", "till", "between", "into", "over", "to", "toward",
                                                "towards", "among", "against", "under", "via", "throughout",
                                                "re", "relate", "related", "relating", "involving"};
    return words.count(w) > 0;
  }
  static Reading Flip(Reading r) {
    return r == Reading::kForward ? Reading::kInverse : r == Reading::kInverse ? Reading::kForward : r;
  }
  bool NextIsTarget(std::size_t i) const {
    while (WordAt(i, {"the", "a", "an", "to", "with", "in", "at", "on", "about", "for", "by", "of"})) ++i;
    return EntityAt(i) || ClassAt(i);
  }
  static bool EventClassIn(const std::vector<Sense>& senses) {
    return std::any_of(senses.begin(), senses.end(), [](const Sense& s) { return s.kind == Sense::Kind::kEventClass; });
  }

  // ------------------------------------------------------------ names

  Node EntityNode(const Mention& m, const std::string& expected) const {
    Node n;
    n.text = m.text;
    for (const Sense& s : m.senses) {
      if (s.kind == Sense::Kind::kEntity && (expected.empty() || lex_.IsA(s.iri, expected))) n.entities.push_back(s.iri);
    }
    std::sort(n.entities.begin(), n.entities.end());
    n.entities.erase(std::unique(n.entities.begin(), n.entities.end()), n.entities.end());
    return n;
  }

  std::string PreferKind(const std::vector<std::string>& entities, const std::string& cls) const {
    for (const auto& e : entities) {
      if (lex_.IsA(e, cls)) return e;
    }
    return entities[0];
  }

  std::string MostDiscussed(std::string cls) const {
    // "the talks" may be any meeting: the widest class below Event.
    auto up = lex_.superclasses.find(cls);
    if (up != lex_.superclasses.end()) {
      for (const auto& above : up->second) {
        if (above != kOnt + "Event" && Under(above, kOnt + "Event") && up->second.size() > 1 &&
            lex_.superclasses.at(above).size() == 2) {
          cls = above;
        }
      }
    }
    auto rows = Run("SELECT ?e (COUNT(?c) AS ?n) WHERE { ?e a " + Iri(cls) + " . ?c a <" + kOnt + "Claim> ; <" + kOnt +
                    "about> ?e } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1");
    if (!rows.ok() || rows->rows.empty() || !rows->rows[0][0]) return "";
    return rows->rows[0][0]->value;
  }

  // ------------------------------------------------------------ the schema

  std::string Domain(const std::string& p) const {
    auto it = lex_.domain.find(p);
    return it == lex_.domain.end() ? "" : it->second;
  }
  std::string Range(const std::string& p) const {
    auto it = lex_.range.find(p);
    return it == lex_.range.end() ? "" : it->second;
  }
  bool Under(const std::string& cls, const std::string& above) const {
    auto it = lex_.superclasses.find(cls);
    return it != lex_.superclasses.end() && it->second.count(above) > 0;
  }
  // 2: the node is of the expected class; 1: nothing is expected or the classes overlap
  // (a variable of a wider class); 0: it cannot be.
  int Fit(const Node& n, const std::string& expected) const {
    if (expected.empty()) return 1;
    if (n.IsVar()) {
      if (n.cls.empty()) return 1;
      if (Under(n.cls, expected)) return 2;
      return Under(expected, n.cls) ? 1 : 0;
    }
    int best = 0;
    for (const auto& e : n.entities) best = std::max(best, lex_.IsA(e, expected) ? 2 : 0);
    return best;
  }
  std::vector<std::string> ObjectProperties() const {
    std::set<std::string> out;
    for (const auto& [p, d] : lex_.domain) out.insert(p);
    for (const auto& [p, r] : lex_.range) out.insert(p);
    std::vector<std::string> list;
    for (const auto& p : out) {
      if (!lex_.datatype.count(p) && p.rfind(kOnt, 0) == 0 && p != kOnt + "source" && p != kOnt + "mentions") {
        list.push_back(p);
      }
    }
    return list;
  }
  // The properties a preposition suggests, most likely first.
  std::vector<std::string> PrepositionProperties(const std::string& prep) const {
    if (prep == "about" || prep == "on" || prep == "regarding" || prep == "concerning" || prep == "over" ||
        prep == "for" || prep == "re" || prep == "relate" || prep == "related" || prep == "relating" || prep == "toward" || prep == "towards") {
      return {kOnt + "addresses", kOnt + "about"};
    }
    if (prep == "by" || prep == "from") return {kOnt + "proposedBy", kOnt + "claimedBy", kOnt + "author", kOnt + "participant"};
    if (prep == "in" || prep == "at") return {kOnt + "location", kOnt + "madeAt", kOnt + "participant"};
    if (prep == "with" || prep == "between" || prep == "among" || prep == "involving") {
      return {kOnt + "participant", kOnt + "involves"};
    }
    if (prep == "of") return {kOnt + "claimedBy", kOnt + "proposedBy", kOnt + "participant"};
    return {};
  }

  // The best ways `head` can be joined to `target` by property `p`, directly or through
  // one thing in between ("who proposed sanctions relief": an actor who proposed a
  // proposal that addresses it).
  void Candidates(const Node& head, const Node& target, const std::string& p, int base, int direction,
                  std::vector<Link>* out) const {
    if (lex_.datatype.count(p)) return;
    const std::string dom = Domain(p), ran = Range(p);
    for (bool head_subject : {true, false}) {
      const Node& s = head_subject ? head : target;
      const Node& o = head_subject ? target : head;
      int score = base + (direction == 0 ? 0 : (head_subject == (direction > 0) ? 2 : -2));
      score += dom.empty() ? 0 : 1;
      score += ran.empty() ? 0 : 1;
      const int fs = Fit(s, dom), fo = Fit(o, ran);
      if (fs > 0 && fo > 0) {
        Link direct;
        direct.property = p;
        direct.head_is_subject = head_subject;
        direct.score = score + fs + fo;
        out->push_back(direct);
        continue;
      }
      // An end that does not fit is bridged through a thing of the class the property
      // expects: "who disagrees with Trump" is an actor who claimed a claim that
      // contradicts a claim Trump claimed.
      const int head_fit = head_subject ? fs : fo, target_fit = head_subject ? fo : fs;
      const std::string head_needs = head_subject ? dom : ran, target_needs = head_subject ? ran : dom;
      std::vector<std::pair<std::string, bool>> head_bridges{{"", false}}, target_bridges{{"", false}};
      if (head_fit == 0) head_bridges = Bridges(head, head_needs);
      if (target_fit == 0) target_bridges = Bridges(target, target_needs);
      for (const auto& [hq, h_subject] : head_bridges) {
        for (const auto& [tq, t_subject] : target_bridges) {
          Link l;
          l.property = p;
          l.head_is_subject = head_subject;
          l.bridge_class = tq.empty() ? "" : target_needs;
          l.bridge_property = tq;
          l.bridge_target_is_subject = t_subject;
          l.score = score - 3 * ((hq.empty() ? 0 : 1) + (tq.empty() ? 0 : 1));
          if (!hq.empty()) {
            l.head_bridge_class = head_needs;
            l.head_bridge_property = hq;
            l.head_bridge_head_is_subject = h_subject;
          }
          out->push_back(l);
        }
      }
    }
  }

  // The properties that join `node` to a thing of class `cls`, each with whether the
  // node is their subject. Declared at both ends first; one declared end will do.
  std::vector<std::pair<std::string, bool>> Bridges(const Node& node, const std::string& cls) const {
    std::vector<std::pair<std::string, bool>> strict, loose;
    if (cls.empty()) return strict;
    const Node middle{"?b", cls, {}, ""};
    for (const std::string& q : BridgeProperties()) {
      for (bool node_subject : {true, false}) {
        const int a = Fit(node_subject ? node : middle, Domain(q));
        const int b = Fit(node_subject ? middle : node, Range(q));
        if (a == 2 && b == 2) strict.emplace_back(q, node_subject);
        // :mentions points to anything a source discusses; no other open-ended property
        // (a URL) is a way between two things.
        if (a == 2 && b == 1 && Range(q).empty() && q == kOnt + "mentions") {
          loose.emplace_back(q, node_subject);
        }
      }
    }
    return strict.empty() ? loose : strict;
  }
  std::vector<std::string> BridgeProperties() const {
    std::vector<std::string> out = ObjectProperties();
    out.push_back(kOnt + "mentions");
    return out;
  }

  // Joins head and target: by the verb's properties when there are any, else by the
  // preposition's, else by every declared property between their kinds. Ties are
  // all kept (read as "or").
  void LinkNodes(Node& head, const std::vector<Sense>& property, const std::string& prep, Node& target,
                 bool target_is_subject) {
    std::vector<Link> links;
    for (const Sense& s : property) {
      if (s.kind != Sense::Kind::kProperty) continue;
      if (s.reading == Reading::kCo) {
        // "did Trump and Kim meet in Hanoi": where the meeting was, not a third participant.
        if ((prep == "in" || prep == "at") && !event_var_.empty()) {
          Node meeting{event_var_, kOnt + "Meeting", {}, "meeting"};
          if (PlaceLink(meeting, target)) return;
        }
        if (target.entities.size() > 1 && !AllSameKind(target)) {
          refusal_ = Ambiguous(target);  // "who met Pyongyang": the city or the state?
          return;
        }
        CoLink(head, s.iri, target);
        return;
      }
      // "the role of Pompeo", "what role does Pompeo have": the head is the value.
      // "what did the Hanoi summit produce": the head is the value the name has.
      const bool value_of_subject = s.reading == Reading::kForward && target_is_subject && head.cls.empty();
      if ((s.reading == Reading::kNoun || value_of_subject) && lex_.datatype.count(s.iri) && head.IsVar() &&
          !target.IsVar() && Fit(target, Domain(s.iri)) > 0) {
        AddPattern(Term(target), Iri(s.iri), head.var);
        described_.push_back(Label(s.iri) + " of " + DescribeTarget(target));
        ++links_;
        return;
      }
      // Which end of the property the head is, by the verb's reading: the subject of
      // "X verbs Y" is the property's subject for a forward verb, its object for an inverse one.
      const bool head_is_verb_subject = !target_is_subject;
      int direction = 0;
      if (s.reading == Reading::kForward) direction = head_is_verb_subject ? 1 : -1;
      if (s.reading == Reading::kInverse) direction = head_is_verb_subject ? -1 : 1;
      if (s.reading == Reading::kNoun) direction = -1;  // "the participants of X": X is the subject
      Candidates(head, target, s.iri, s.synonym ? 8 : 10, direction, &links);
    }
    // "what was proposed at the Hanoi summit": when the verb reaches the name only through
    // a thing in between, a preposition that joins them directly says more ("at": made at).
    const bool verb_bridged = !links.empty() && std::all_of(links.begin(), links.end(), [](const Link& l) {
      return !l.bridge_class.empty() || !l.head_bridge_class.empty();
    });
    if (verb_bridged && !prep.empty()) {
      // The head as the verb has it: "proposed" makes it a proposal.
      Node as_verb_has_it = head;
      if (as_verb_has_it.cls.empty()) as_verb_has_it.cls = VerbEndClass(property);
      std::vector<Link> direct;
      for (const std::string& p : PrepositionProperties(prep)) Candidates(as_verb_has_it, target, p, 6, 0, &direct);
      direct.erase(std::remove_if(direct.begin(), direct.end(), [](const Link& l) {
                     return !l.bridge_class.empty() || !l.head_bridge_class.empty();
                   }), direct.end());
      if (!direct.empty()) {
        links = direct;
        Existence(head, property);  // the verb still says what the head is
        head.cls = as_verb_has_it.cls;
      }
    }
    if (links.empty() && (prep == "in" || prep == "at") && PlaceLink(head, target)) return;
    // "who met Kim in Pyongyang", "was Trump in Hanoi": an actor is in a place by taking
    // part in something held there.
    if ((prep == "in" || prep == "at") && Fit(head, kOnt + "Actor") == 2 && IsPlace(target)) {
      if (event_var_.empty()) {
        event_var_ = Fresh("?m");
        patterns_.push_back(event_var_ + " <" + kOnt + "participant> " + Term(head));
        AddFact(event_var_, "<" + kOnt + "participant>", Term(head));
      }
      Node event{event_var_, kOnt + "Event", {}, "event"};
      if (PlaceLink(event, target)) return;
    }
    if (links.empty()) {
      for (const std::string& p : PrepositionProperties(prep)) Candidates(head, target, p, 6, 0, &links);
    }
    // A verb of a value ("produced" an outcome) with a thing as object: what came out of it.
    if (links.empty() && !property.empty()) Candidates(head, target, kOnt + "madeAt", 6, 0, &links);
    // No word fits the kinds: the smallest declared pattern between them. A verb that
    // names a relation which cannot hold between these kinds is not overruled.
    const bool relation_named = std::any_of(property.begin(), property.end(), [&](const Sense& s) {
      return s.kind == Sense::Kind::kProperty && !lex_.datatype.count(s.iri);
    });
    if (links.empty() && !relation_named) {
      for (const std::string& p : ObjectProperties()) Candidates(head, target, p, 3, 0, &links);
    }
    if (links.empty()) {
      refusal_ = "I understood " + Describe(head) + " and " + DescribeTarget(target) +
                 ", but nothing in the graph's schema connects them" +
                 (property.empty() ? "" : " by that verb") + ".";
      return;
    }
    int best = 0;
    for (const Link& l : links) best = std::max(best, l.score);
    std::vector<Link> chosen;
    for (const Link& l : links) {
      if (l.score == best) chosen.push_back(l);
    }
    // "held in Vietnam": the location, or a place inside it.
    if (chosen.size() == 1 && chosen[0].property == kOnt + "location" && chosen[0].head_is_subject &&
        chosen[0].bridge_class.empty() && chosen[0].head_bridge_class.empty() && PlaceLink(head, target)) {
      return;
    }
    NarrowEntities(&target, chosen);
    if (target.entities.size() > 1 && !target.IsVar() && !AllSameKind(target)) {
      refusal_ = Ambiguous(target);
      return;
    }
    last_patterns_mark_ = patterns_.size();
    last_facts_mark_ = reading_.facts.size();
    last_described_mark_ = described_.size();
    // "what did the DPRK propose ... at the Hanoi summit": the head is now known to be a proposal.
    if (head.IsVar() && head.cls.empty() && chosen.size() == 1 && chosen[0].head_bridge_class.empty()) {
      head.cls = chosen[0].head_is_subject ? Domain(chosen[0].property) : Range(chosen[0].property);
    }
    EmitLinks(head, target, chosen);
    // "did Kim attend the Hanoi summit in February 2019": the summit is what is dated.
    if (!target.IsVar() && target.entities.size() == 1 && lex_.IsA(target.entities[0], kOnt + "Event")) {
      dated_target_ = Iri(target.entities[0]);
    }
    last_link_ = {head, target, chosen};
    last_target_ = &last_link_.target;
  }

  // Keeps the entities a name can mean that fit the chosen links ("Singapore" the
  // summit, not the country, for "meetings before Singapore").
  void NarrowEntities(Node* target, const std::vector<Link>& links) const {
    if (target->IsVar() || target->entities.size() < 2) return;
    std::vector<std::string> kept;
    for (const auto& e : target->entities) {
      Node one{"", "", {e}, target->text};
      for (const Link& l : links) {
        const std::string& p = l.bridge_property.empty() ? l.property : l.bridge_property;
        const bool target_subject = l.bridge_property.empty() ? !l.head_is_subject : l.bridge_target_is_subject;
        if (Fit(one, target_subject ? Domain(p) : Range(p)) == 2 ||
            (Domain(p).empty() && Range(p).empty())) {
          kept.push_back(e);
          break;
        }
      }
    }
    if (!kept.empty()) target->entities = kept;
  }

  bool AllSameKind(const Node& n) const {
    // A name given by one word of several topics ("peace") means any of them.
    return std::all_of(n.entities.begin(), n.entities.end(), [&](const std::string& e) {
      return lex_.IsA(e, kOnt + "Topic");
    });
  }

  std::string Term(const Node& n) {
    if (n.IsVar()) return n.var;
    if (n.entities.size() == 1) return Iri(n.entities[0]);
    // Any of several: a variable bound by VALUES.
    std::string v = Fresh("?e");
    std::string values = "VALUES " + v + " {";
    for (const auto& e : n.entities) values += " " + Iri(e);
    patterns_.push_back(values + " }");
    return v;
  }

  std::string Path(const std::string& p) const {
    if (lex_.symmetric.count(p)) return "(" + Iri(p) + "|^" + Iri(p) + ")";
    return Iri(p) + (lex_.transitive.count(p) ? "+" : "");
  }

  void EmitLinks(Node& head, Node& target, const std::vector<Link>& links) {
    const std::string head_term = Term(head), t = Term(target);
    std::vector<std::string> alternatives;
    for (const Link& l : links) {
      std::string pattern;
      std::string h = head_term;
      if (!l.head_bridge_class.empty()) {
        // The head's end of the property is a thing joined to the head.
        const std::string hb = Fresh("?h");
        pattern = (l.head_bridge_head_is_subject ? head_term + " " + Path(l.head_bridge_property) + " " + hb
                                                 : hb + " " + Path(l.head_bridge_property) + " " + head_term) + " . ";
        AddFact(l.head_bridge_head_is_subject ? head_term : hb, Iri(l.head_bridge_property),
                l.head_bridge_head_is_subject ? hb : head_term);
        h = hb;
      }
      if (l.bridge_class.empty()) {
        pattern += l.head_is_subject ? h + " " + Path(l.property) + " " + t : t + " " + Path(l.property) + " " + h;
        AddFact(l.head_is_subject ? h : t, Iri(l.property), l.head_is_subject ? t : h);
      } else {
        const std::string b = Fresh("?b");
        if (!Under(l.bridge_class, kOnt + "Actor") && !Under(l.bridge_class, kOnt + "Place")) bridge_var_ = b;
        pattern += (l.head_is_subject ? h + " " + Path(l.property) + " " + b : b + " " + Path(l.property) + " " + h) +
                  " . " +
                  (l.bridge_target_is_subject ? t + " " + Path(l.bridge_property) + " " + b
                                              : b + " " + Path(l.bridge_property) + " " + t);
        AddFact(l.head_is_subject ? h : b, Iri(l.property), l.head_is_subject ? b : h);
        AddFact(l.bridge_target_is_subject ? t : b, Iri(l.bridge_property), l.bridge_target_is_subject ? b : t);
      }
      alternatives.push_back(pattern);
    }
    if (target.IsVar() && !target.cls.empty()) patterns_.push_back(t + " a " + Iri(target.cls));
    if (head.IsVar() && target.IsVar()) patterns_.push_back("FILTER(" + head_term + " != " + t + ")");
    patterns_.push_back(Union(alternatives));
    ++links_;
    const Link& l = links[0];
    described_.push_back(Phrase(l) + " " + DescribeTarget(target));
  }

  static std::string Union(const std::vector<std::string>& alternatives) {
    if (alternatives.size() == 1) return alternatives[0];
    std::string out;
    for (const auto& a : alternatives) out += (out.empty() ? "{ " : " UNION { ") + a + " }";
    return out;
  }

  // "X met Y": a meeting with both among its participants.
  void CoLink(Node& head, const std::string& p, Node& target) {
    const std::string t = Term(target);
    const std::string m = event_var_.empty() ? Fresh("?m") : event_var_;
    if (event_var_.empty()) event_var_ = m;
    // When the question asks about the meeting ("where did Trump and Kim meet"), every
    // name is a participant; otherwise the head is the other one.
    if (!(&head == &focus_ && EventIsFocus())) {
      const std::string h = Term(head);
      patterns_.push_back(m + " " + Iri(p) + " " + h);
      AddFact(m, Iri(p), h);
      if (h != t) patterns_.push_back("FILTER(" + h + " != " + t + ")");
    }
    patterns_.push_back(m + " " + Iri(p) + " " + t);
    AddFact(m, Iri(p), t);
    // Meeting is what "met" is about: a joint statement both signed is not a meeting.
    if (!co_class_added_ && lex_.superclasses.count(kOnt + "Meeting")) {
      patterns_.push_back(m + " a <" + kOnt + "Meeting>");
      co_class_added_ = true;
    }
    ++links_;
    described_.push_back("met " + DescribeTarget(target));
  }

  bool EventIsFocus() const { return count_events_ || event_focus_; }

  // "Pompeo visited Pyongyang", "who testified before Congress": an event of the verb's
  // class that the subject took part in, joined to the other name by the schema.
  void EventLink(Node& head, const std::vector<Sense>& senses, Node& other, bool other_is_subject) {
    std::string cls;
    for (const Sense& s : senses) {
      if (s.kind == Sense::Kind::kEventClass) cls = s.iri;
    }
    if (event_var_.empty()) {
      event_var_ = Fresh("?m");
      patterns_.push_back(event_var_ + " a " + Iri(cls));
    }
    Node event{event_var_, cls, {}, Label(cls)};
    const std::string participant = kOnt + "participant";
    // The subject of the verb takes part; the other name is where, or who else.
    auto take_part = [&](Node& who) {
      const std::string s = Term(who);
      patterns_.push_back(event_var_ + " " + Iri(participant) + " " + s);
      AddFact(event_var_, Iri(participant), s);
      described_.push_back("a " + Label(cls) + " by " + DescribeTarget(who));
    };
    const bool head_is_answer = !(&head == &focus_ && EventIsFocus());
    if (other_is_subject) {
      take_part(other);
      // "which countries did Pompeo visit": the answer is where the event was.
      if (head_is_answer && (Fit(head, kOnt + "Place") == 2 || Fit(head, kOnt + "State") == 2)) {
        const std::string v = Fresh("?p");
        patterns_.push_back(event_var_ + " <" + kOnt + "location> " + v + " . " + v + " <" + kOnt + "locatedIn>* " +
                            Term(head));
        AddFact(event_var_, "<" + kOnt + "location>", v);
        head_in_event_ = true;
      }
    } else {
      if (head_is_answer && !head_in_event_) take_part(head);
      head_in_event_ = true;
      if (!PlaceLink(event, other)) {
        LinkNodes(event, {}, "with", other, false);
        if (head_is_answer) patterns_.push_back("FILTER(" + Term(head) + " != " + Term(other) + ")");
      }
    }
    ++links_;
  }

  bool IsPlace(const Node& n) const {
    return !n.IsVar() && std::any_of(n.entities.begin(), n.entities.end(), [&](const std::string& e) {
      return lex_.IsA(e, kOnt + "Place");
    });
  }

  // "meetings in North Korea": the location, or a place inside it.
  bool PlaceLink(const Node& head, Node& target) {
    if (target.IsVar() || Fit(head, kOnt + "Event") == 0) return false;
    Node places = target;
    bool any = false;
    for (const auto& e : target.entities) any = any || lex_.IsA(e, kOnt + "Place") || lex_.IsA(e, kOnt + "State");
    if (!any) return false;
    std::vector<std::string> kept;
    for (const auto& e : target.entities) {
      if (lex_.IsA(e, kOnt + "Place") || lex_.IsA(e, kOnt + "State")) kept.push_back(e);
    }
    places.entities = kept;
    const std::string h = head.IsVar() ? head.var : Iri(head.entities[0]);
    const std::string t = Term(places);
    const std::string v = Fresh("?p");
    patterns_.push_back(h + " <" + kOnt + "location> " + v + " . " + v + " <" + kOnt + "locatedIn>* " + t);
    AddFact(h, "<" + kOnt + "location>", v);
    AddFact(v, "<" + kOnt + "locatedIn>", t);
    ++links_;
    described_.push_back("held in " + DescribeTarget(places));
    return true;
  }

  // "before the Singapore summit", "during the Hanoi summit", "after 2018".
  bool TemporalLink(Node& head, const std::string& prep, const Node& target) {
    if (prep != "before" && prep != "after" && prep != "during" && prep != "since" && prep != "until" &&
        prep != "till") {
      return false;
    }
    if (target.IsVar() || target.entities.empty()) return false;
    const std::string e = PreferKind(target.entities, kOnt + "Event");
    if (!lex_.IsA(e, kOnt + "Event")) return false;
    auto rows = Run("SELECT (MIN(STR(?t)) AS ?from) (MAX(STR(?t)) AS ?to) WHERE { " + Iri(e) + " " +
                    kDateProperties + " ?t }");
    DateRange range;
    if (rows.ok() && !rows->rows.empty() && rows->rows[0][0]) range = DateRange{rows->rows[0][0]->value, rows->rows[0][1]->value};
    const std::string h = DatedEnd(head);
    const std::string E = Iri(e);
    const std::string preceded = "<" + kOnt + "precededBy>+";
    std::string by_date;
    if (!range.from.empty()) {
      // Before: dated, and every date before the event starts; after: every date after it ends.
      const std::string t = "?t" + std::to_string(++vars_);
      const std::string dated = "EXISTS { " + h + " " + kDateProperties + " ?any" + t.substr(1) + " } && ";
      if (prep == "before" || prep == "until" || prep == "till") {
        by_date = dated + "NOT EXISTS { " + h + " " + kDateProperties + " " + t + " FILTER(STR(" + t + ") >= \"" + range.from + "\") }";
      } else if (prep == "after" || prep == "since") {
        by_date = dated + "NOT EXISTS { " + h + " " + kDateProperties + " " + t + " FILTER(STR(" + t + ") <= \"" + range.to + "~\") }";
      } else {
        by_date = DateOverlap(h, range.from, range.to + "~");
      }
    }
    std::string by_order;
    if (prep == "before" || prep == "until" || prep == "till") by_order = "EXISTS { " + E + " " + preceded + " " + h + " }";
    if (prep == "after" || prep == "since") by_order = "EXISTS { " + h + " " + preceded + " " + E + " }";
    if (prep == "during") by_order = "EXISTS { " + h + " <" + kOnt + "madeAt> " + E + " }";
    std::string condition = by_date.empty() ? by_order : by_order.empty() ? by_date : "(" + by_date + ") || " + by_order;
    if (condition.empty()) return false;
    filters_.push_back("FILTER((" + condition + ") && " + h + " != " + E + ")");
    described_.push_back(prep + " " + Label(e));
    ++links_;
    return true;
  }

  void TimeFilter(const Node& head, const std::string& prep, const DateRange& date, std::size_t i) {
    DateRange r = date;
    std::string words = prep + " " + date.from;
    if (range_pending_) {
      // "between 2018 and 2019", "from June 2018 to February 2019"
      std::size_t j = i + 1;
      if (WordAt(j, {"and", "to", "until", "till", "through"})) ++j;
      if (At(j) && At(j)->kind == Mention::Kind::kDate) {
        r.to = At(j)->date.to;
        words = "between " + date.from + " and " + r.to;
        skip_dates_.insert(j);
      }
      range_pending_ = false;
    }
    if (skip_dates_.count(i)) return;
    std::string lo = r.from, hi = r.to + "~";
    if (prep == "before") { lo = ""; hi = date.from; }
    if (prep == "until" || prep == "till" || prep == "by") lo = "";
    if (prep == "after") { lo = date.to + "~"; hi = "~~"; }
    if (prep == "since") hi = "~~";
    // Applied when the clauses are read: the event the date is of may come later
    // ("did Cohen testify in February 2019").
    dates_.push_back(DatedHead{head, lo, hi});
    described_.push_back(words);
  }

  // What a date in the question dates: the head, unless the head is a name or an actor
  // and the question has an event ("did Moon meet Kim in 2018": the meeting).
  std::string DatedEnd(const Node& head) const {
    const bool undated = !head.IsVar() || Under(head.cls, kOnt + "Actor") || Under(head.cls, kOnt + "Place");
    if (undated && !event_var_.empty() && head.var != event_var_) return event_var_;
    // "did Congress call for a peace treaty in 2019": the proposal in between.
    if (undated && !bridge_var_.empty()) return bridge_var_;
    if (undated && !dated_target_.empty()) return dated_target_;
    return head.IsVar() ? head.var : (head.entities.empty() ? "?x" : Iri(head.entities[0]));
  }

  // ------------------------------------------------------------ compiling

  std::string Fresh(const std::string& prefix) {
    const std::string v = prefix + std::to_string(++vars_);
    hidden_.push_back(v);
    return v;
  }
  void AddPattern(const std::string& s, const std::string& p, const std::string& o) {
    patterns_.push_back(s + " " + p + " " + o);
    AddFact(s, p, o);
  }
  void AddFact(const std::string& s, const std::string& p, const std::string& o) {
    reading_.facts.push_back({s, p, o});
  }
  void Relink() {
    // Rebuild the last link with the widened target ("China or Russia").
    patterns_.resize(last_patterns_mark_);
    reading_.facts.resize(last_facts_mark_);
    described_.resize(last_described_mark_);
    --links_;
    EmitLinks(last_link_.head, last_link_.target, last_link_.links);
  }

  void Compile() {
    const std::string x = focus_.var;
    std::string where;
    if (!focus_.cls.empty() && !yes_no_) {
      where += x + " a " + Iri(focus_.cls) + " . ";
      AddFact(x, kType, Iri(focus_.cls));
    }
    for (const auto& p : patterns_) where += p + " . ";
    for (const auto& f : filters_) where += f + " ";
    std::string vars;
    for (const auto& v : hidden_) vars += " " + v;
    reading_.described = DescribeReading();
    if (yes_no_) {
      reading_.sparql = "SELECT DISTINCT" + (vars.empty() ? std::string(" *") : vars) + " WHERE { " + where + "} LIMIT 20";
      return;
    }
    // When and where ask about the focus, or about the event the verb names
    // ("when did Pompeo visit Pyongyang": the visits).
    std::string subject = x;
    if ((reading_.form == Interpretation::Form::kWhen || reading_.form == Interpretation::Form::kWhere || count_events_) &&
        !event_var_.empty()) {
      subject = event_var_;
    }
    if ((reading_.form == Interpretation::Form::kWhen || reading_.form == Interpretation::Form::kWhere) && !event_focus_entity_.empty() &&
        links_ == 0) {
      where = "VALUES " + x + " { " + Iri(event_focus_entity_) + " } ";
      subject = x;
    }
    if (count_events_ && !event_var_.empty()) subject = event_var_;

    if (subject != x) {
      vars.clear();
      for (const auto& v : hidden_) {
        if (v != subject) vars += " " + v;
      }
    }
    const std::string label = "OPTIONAL { " + subject + " " + kLabel + " ?label } ";
    if (reading_.form == Interpretation::Form::kWhen) {
      reading_.sparql = "SELECT DISTINCT " + subject + " ?label ?value" + vars + " WHERE { " + where + subject + " " +
                        (when_property_.empty() ? kDateProperties : when_property_) + " ?value . " + label +
                        "} ORDER BY ?value ?label";
      return;
    }
    if (reading_.form == Interpretation::Form::kWhere) {
      reading_.sparql = "SELECT DISTINCT " + subject + " ?label ?value ?value_label" + vars + " WHERE { " + where +
                        "{ " + subject + " <" + kOnt + "location> ?value BIND(0 AS ?depth) } UNION { " + subject + " <" + kOnt +
                        "location>/<" + kOnt + "locatedIn>+ ?value BIND(1 AS ?depth) } UNION { " + subject + " <" + kOnt +
                        "locatedIn> ?value BIND(1 AS ?depth) } UNION { " + subject + " <" + kOnt + "locatedIn>/<" + kOnt +
                        "locatedIn>+ ?value BIND(2 AS ?depth) } OPTIONAL { ?value " + kLabel + " ?value_label } " + label +
                        "} ORDER BY ?label ?depth ?value_label";
      return;
    }
    reading_.sparql = "SELECT DISTINCT " + subject + " ?label" + vars + " WHERE { " + where + label + "} ORDER BY ?label " + subject;
  }

  // ------------------------------------------------------------ words for the user

  std::string Label(const std::string& iri) const {
    if (auto label = lex_.LabelOf(iri)) return std::string(*label);
    const auto hash = iri.find_last_of("#/");
    return hash == std::string::npos ? iri : iri.substr(hash + 1);
  }
  std::string Plural(const std::string& cls) const {
    auto it = lex_.plural.find(cls);
    return it == lex_.plural.end() ? Label(cls) : it->second;
  }
  std::string Describe(const Node& n) const {
    if (n.IsVar()) return n.cls.empty() ? "what" : Plural(n.cls);
    return DescribeTarget(n);
  }
  std::string DescribeTarget(const Node& n) const {
    if (n.IsVar()) return "a " + (n.cls.empty() ? std::string("thing") : Label(n.cls));
    std::string out;
    for (std::size_t i = 0; i < n.entities.size(); ++i) {
      out += (i == 0 ? "" : i + 1 == n.entities.size() ? " or " : ", ") + Label(n.entities[i]);
    }
    return out;
  }
  std::string Phrase(const Link& l) const {
    const std::string& p = l.property;
    std::string word;
    if (l.head_is_subject) {
      word = Label(p);
    } else {
      auto it = lex_.inverse_label.find(p);
      word = it != lex_.inverse_label.end() ? it->second : "the " + Label(p) + " of which is";
    }
    if (!l.bridge_class.empty()) word += " a " + Label(l.bridge_class) + " that " + Label(l.bridge_property);
    return word;
  }
  std::string DescribeReading() const {
    std::string head;
    switch (reading_.form) {
      case Interpretation::Form::kCount: head = "the number of "; break;
      case Interpretation::Form::kWhen: head = "the dates of "; break;
      case Interpretation::Form::kWhere: head = "the places of "; break;
      default: break;
    }
    std::string subject = focus_.cls.empty() ? "things" : Plural(focus_.cls);
    if (count_events_ || ((reading_.form == Interpretation::Form::kWhen || reading_.form == Interpretation::Form::kWhere) &&
                          !event_var_.empty())) {
      subject = "the events";
    }
    if (yes_no_) subject = "whether the graph records that " + yes_subject_;
    if (focus_.text == "who") subject = "who (actors)";
    if (!event_focus_entity_.empty() && links_ == 0) subject = Label(event_focus_entity_);
    std::string out = head + subject;
    for (std::size_t i = 0; i < described_.size(); ++i) out += (i == 0 ? " " : ", ") + described_[i];
    return out;
  }
  std::string Understood() const {
    std::vector<std::string> parts;
    for (const auto& m : mentions_) {
      if (m.kind == Mention::Kind::kSense) {
        const Sense& s = m.senses[0];
        const char* kind = s.kind == Sense::Kind::kEntity ? "a name" : s.kind == Sense::Kind::kClass ? "a kind of thing" : "a relation";
        parts.push_back("\"" + m.text + "\" (" + kind + (s.kind == Sense::Kind::kEntity ? ": " + Label(s.iri) : "") + ")");
      } else if (m.kind == Mention::Kind::kDate) {
        parts.push_back("\"" + m.text + "\" (a date)");
      }
    }
    std::string out = parts.empty() ? "I found nothing in the question that the graph knows."
                                    : "I recognised ";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
    if (!parts.empty()) out += ", but could not put them together.";
    return out + Examples();
  }
  // Up to three questions built from the names and kinds this one mentions, each one
  // checked to be readable, so that the advice never leads to another refusal.
  std::string Examples() const {
    if (checking_examples_) return "";
    std::vector<std::string> names, classes;
    for (const auto& m : mentions_) {
      if (m.kind != Mention::Kind::kSense) continue;
      if (m.Has(Sense::Kind::kEntity)) names.push_back(m.Of(Sense::Kind::kEntity)[0].iri);
      if (m.Has(Sense::Kind::kClass)) classes.push_back(m.Of(Sense::Kind::kClass)[0].iri);
    }
    std::vector<std::string> candidates;
    // "which CLASS VERB NAME" for each property declared between the two kinds, in the
    // ontology's own shortest forward verb.
    for (const auto& c : classes) {
      for (const auto& n : names) {
        const Node head{"?x", c, {}, ""}, name{"", "", {n}, ""};
        std::set<std::string> asked;  // one phrasing per property
        for (const auto& [phrase, word] : lex_.properties) {
          if (asked.count(word.property)) continue;
          if (word.reading != Reading::kForward || Fit(head, Domain(word.property)) != 2 ||
              Fit(name, Range(word.property)) != 2 || phrase.find(' ') != std::string::npos) {
            continue;
          }
          asked.insert(word.property);
          candidates.push_back("which " + Plural(c) + " " + phrase + " " + Label(n) + "?");
        }
      }
    }
    for (const auto& n : names) candidates.push_back((lex_.IsA(n, kOnt + "Actor") ? "who is " : "what is ") + Label(n) + "?");
    for (const auto& c : classes) candidates.push_back("list the " + Plural(c));
    std::string out;
    int found = 0;
    for (const auto& q : candidates) {
      if (found == 3) break;
      Reader check(lex_, source_, dictionary_, true);
      if (!check.Read(q).reading) continue;
      out += (found++ == 0 ? "\nQuestions like these work: \"" : ", \"") + q + "\"";
    }
    return found == 0 ? "" : out + ".";
  }
  std::string Ambiguous(const Node& n) const {
    return AmbiguityMessage(n.text, n.entities, lex_, source_, dictionary_);
  }
  ReadResult Refuse(const std::string& message) const { return ReadResult{std::nullopt, message}; }

  Result<QueryResult> Run(const std::string& sparql) const {
    QueryOptions options;
    options.prefixes = BuiltinPrefixes();
    return RunQuery(sparql, "<question>", source_, dictionary_, options);
  }

  struct DatedHead {
    Node head;
    std::string lo, hi;
  };

  struct LastLink {
    Node head, target;
    std::vector<Link> links;
  };

  const Lexicon& lex_;
  const QuadSource& source_;
  const TermDictionary& dictionary_;
  const bool checking_examples_;
  std::vector<Token> tokens_;
  std::vector<Mention> mentions_;
  Interpretation reading_;
  Node focus_;
  std::size_t clause_start_ = 0;
  bool head_in_event_ = false, co_class_added_ = false, juxtaposed_ = false;
  std::string when_property_;
  std::string yes_subject_;
  bool yes_no_ = false, count_events_ = false, event_focus_ = false, range_pending_ = false;
  std::string event_var_, event_focus_entity_;
  std::string bridge_var_;  // the last thing in between a link, when it can have a date
  std::string dated_target_;  // the last event named as a link's far end
  std::vector<std::string> patterns_, filters_, hidden_, described_;
  std::vector<const Mention*> unknown_;
  std::set<std::size_t> skip_dates_;
  std::vector<DatedHead> dates_;
  LastLink last_link_;
  Node* last_target_ = nullptr;
  std::size_t last_patterns_mark_ = 0, last_facts_mark_ = 0, last_described_mark_ = 0;
  int links_ = 0, vars_ = 0;
  std::string refusal_;
};

}  // namespace

// Some date of h, or the span from its start to its end, meets the open interval
// (lo, hi) of ISO prefixes: "in 2018" is ("2018", "2018~"), since '~' sorts after
// every digit and '-'. A thing made at an event has the event's dates too.
std::string DateOverlap(const std::string& h, const std::string& lo, const std::string& hi) {
  return "EXISTS { " + h + " " + kDateProperties + " ?td FILTER(STR(?td) < \"" + hi + "\" && CONCAT(STR(?td), \"~\") > \"" +
         lo + "\") } || EXISTS { " + h + " <" + kOnt + "startDate> ?ts ; <" + kOnt + "endDate> ?te FILTER(STR(?ts) < \"" +
         hi + "\" && CONCAT(STR(?te), \"~\") > \"" + lo + "\") } || EXISTS { " + h + " <" + kOnt +
         "madeAt> ?tm . ?tm " + kDateProperties + " ?tmd FILTER(STR(?tmd) < \"" + hi + "\" && CONCAT(STR(?tmd), \"~\") > \"" +
         lo + "\") }";
}

ReadResult ReadQuestion(std::string_view question, const Lexicon& lexicon, const QuadSource& source,
                        const TermDictionary& dictionary) {
  return Reader(lexicon, source, dictionary).Read(question);
}

bool Readable(std::string_view question, const Lexicon& lexicon, const QuadSource& source,
              const TermDictionary& dictionary) {
  return Reader(lexicon, source, dictionary, true).Read(question).reading.has_value();
}

}  // namespace parley::query::english
