#include "rdf/graded_source.hpp"

#include <cctype>
#include <functional>
#include <map>

#include "rdf/vocabulary.hpp"

namespace parley::rdf {
namespace {

// The quads of a base cursor that `keep` accepts.
class FilteredCursor : public QuadCursor {
 public:
  template <class Keep>
  FilteredCursor(std::unique_ptr<QuadCursor> base, Keep keep) : base_(std::move(base)), keep_(std::move(keep)) {}
  bool Next(Quad* out) override {
    while (base_->Next(out)) {
      if (keep_(*out, &error_)) return true;
      if (!error_.ok()) return false;
    }
    return false;
  }
  Status status() const override { return error_.ok() ? base_->status() : error_; }

 private:
  std::unique_ptr<QuadCursor> base_;
  std::function<bool(const Quad&, Status*)> keep_;
  Status error_;
};

// The id of `term`, or nullopt when the store has never seen it.
Result<std::optional<TermId>> IdOf(const TermDictionary& dictionary, const Term& term) {
  auto id = dictionary.LookupId(term);
  if (id.ok()) return std::optional<TermId>(*id);
  if (id.status().code() == Status::Code::kNotFound) return std::optional<TermId>();
  return id.status();
}

// The lexical value of the first object of (subject, predicate) in `graph`; "" if none.
Result<std::string> ValueOf(const QuadSource& base, const TermDictionary& dictionary, TermId subject,
                            std::optional<TermId> predicate, TermId graph) {
  if (!predicate) return std::string();
  auto cursor = base.Scan(QuadPattern{subject, *predicate, {}, graph});
  Quad q;
  if (!cursor->Next(&q)) {
    PARLEY_RETURN_IF_ERROR(cursor->status());
    return std::string();
  }
  auto term = dictionary.LookupTerm(q.object);
  if (!term.ok()) return term.status();
  return term->value;
}

}  // namespace

std::optional<char> ParseReliability(const std::string& text) {
  if (text.size() != 1) return std::nullopt;
  const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (c < 'A' || c > 'F') return std::nullopt;
  return c;
}

std::optional<int> ParseCredibility(const std::string& text) {
  if (text.size() != 1 || text[0] < '1' || text[0] > '6') return std::nullopt;
  return text[0] - '0';
}

Result<std::unique_ptr<GradedSource>> GradedSource::Make(const QuadSource& base, const TermDictionary& dictionary,
                                                         MinimumGrades minimum) {
  std::unordered_set<TermId> hidden;
  auto provenance = IdOf(dictionary, Term::Iri(std::string(kProvenanceGraph)));
  auto source_p = IdOf(dictionary, Term::Iri(Ont("source")));
  auto type_p = IdOf(dictionary, Term::Iri(Rdf("type")));
  auto context_class = IdOf(dictionary, Term::Iri(Ont("EvidenceContext")));
  auto reliability_p = IdOf(dictionary, Term::Iri(Ont("reliability")));
  auto credibility_p = IdOf(dictionary, Term::Iri(Ont("credibility")));
  for (const auto* id : {&provenance, &source_p, &type_p, &context_class, &reliability_p, &credibility_p}) {
    if (!id->ok()) return id->status();
  }
  const bool has_contexts = **provenance && **source_p && **type_p && **context_class;
  if (!minimum.any() || !has_contexts) return std::unique_ptr<GradedSource>(new GradedSource(base, {}, {}));
  std::unordered_set<TermId> naming;
  for (const std::string& iri : {Rdfs("label"), Ont("alias"), Rdf("type")}) {
    auto id = IdOf(dictionary, Term::Iri(iri));
    if (!id.ok()) return id.status();
    if (*id) naming.insert(**id);
  }

  std::map<TermId, std::string> reliability_of;  // source -> grade
  auto contexts = base.Scan(QuadPattern{{}, **type_p, **context_class, **provenance});
  Quad c;
  while (contexts->Next(&c)) {
    bool below = false;
    if (minimum.reliability != 0) {
      auto source = base.Scan(QuadPattern{c.subject, **source_p, {}, **provenance});
      Quad s;
      std::string grade;
      if (source->Next(&s)) {
        auto it = reliability_of.find(s.object);
        if (it == reliability_of.end()) {
          auto value = ValueOf(base, dictionary, s.object, *reliability_p, **provenance);
          if (!value.ok()) return value.status();
          it = reliability_of.emplace(s.object, *value).first;
        }
        grade = it->second;
      }
      PARLEY_RETURN_IF_ERROR(source->status());
      below = grade.empty() || grade[0] > minimum.reliability;
    }
    if (!below && minimum.credibility != 0) {
      auto value = ValueOf(base, dictionary, c.subject, *credibility_p, **provenance);
      if (!value.ok()) return value.status();
      below = value->empty() || std::stoi(*value) > minimum.credibility;
    }
    if (below) hidden.insert(c.subject);
  }
  PARLEY_RETURN_IF_ERROR(contexts->status());
  return std::unique_ptr<GradedSource>(new GradedSource(base, std::move(hidden), std::move(naming)));
}

bool GradedSource::Visible(const Quad& q, Status* error) const {
  if (naming_.count(q.predicate)) return true;
  auto graphs = base_.Scan(QuadPattern{q.subject, q.predicate, q.object, {}});
  Quad g;
  while (graphs->Next(&g)) {
    if (!hidden_.count(g.graph)) return true;
  }
  *error = graphs->status();
  return false;
}

std::unique_ptr<QuadCursor> GradedSource::Scan(const QuadPattern& pattern) const {
  if (hidden_.empty()) return base_.Scan(pattern);
  return std::make_unique<FilteredCursor>(base_.Scan(pattern), [this](const Quad& q, Status*) {
    return !hidden_.count(q.graph) || naming_.count(q.predicate);
  });
}

std::unique_ptr<QuadCursor> GradedSource::ScanUnion(const QuadPattern& pattern) const {
  if (hidden_.empty()) return base_.ScanUnion(pattern);
  return std::make_unique<FilteredCursor>(base_.ScanUnion(pattern),
                                          [this](const Quad& q, Status* error) { return Visible(q, error); });
}

}  // namespace parley::rdf
