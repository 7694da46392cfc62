#include "ingest/facts/fact_loader.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "rdf/vocabulary.hpp"

namespace parley::ingest::facts {

using namespace parley::rdf;  // IRIs, characters, vocabulary, positions (rdf/)
namespace {

std::string Slug(const std::string& text) {
  std::string out;
  for (char c : text) out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_');
  return out;
}

std::string ShortHash(const std::string& text) {
  std::uint32_t h = 2166136261u;  // FNV-1a, 32-bit: only needs to tell quotes apart
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
  return out;
}

// The context IRI names the source and locator readably; a quote, confidence or
// credibility of its own makes it a context of its own.
std::string ContextIri(const std::string& source_id, const Evidence& e) {
  std::string slug;
  for (const auto& [key, value] : e.locator) slug += (slug.empty() ? "" : "-") + key + "-" + Slug(value);
  if (slug.empty()) slug = "whole";
  if (!e.quote.empty() || !e.confidence.empty() || !e.credibility.empty()) {
    slug += "-" + ShortHash(e.quote + '\x1f' + e.confidence + (e.credibility.empty() ? "" : '\x1f' + e.credibility));
  }
  return std::string(kContextNs) + source_id + "/" + slug;
}

Term DateLiteral(const std::string& date) {
  std::string type;
  ParseDate(date, &type);
  return Term::Literal(date, Xsd(type));
}

class FactWriter {
 public:
  FactWriter(const FactFile& file, const SourceText* text, store::Loader& loader, const std::string& loaded_at)
      : file_(file), text_(text), loader_(loader), loaded_at_(loaded_at), provenance_(Term::Iri(std::string(kProvenanceGraph))),
        source_(Term::Iri(EntityIri(file.source.id))) {}

  Status Write(std::uint64_t* facts) {
    PARLEY_RETURN_IF_ERROR(Source());
    for (const Record& r : file_.records) PARLEY_RETURN_IF_ERROR(RecordFacts(r));
    // A source mentions every entity its facts are about or point to.
    for (const std::string& id : mentioned_) {
      PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("mentions"), Term::Iri(EntityIri(id))));
    }
    *facts = facts_;
    return Status::OK();
  }

 private:
  Status Provenance(const Term& s, const std::string& p, const Term& o) {
    return loader_.Add(s, Term::Iri(p), o, &provenance_);
  }

  Status Source() {
    const SourceBlock& s = file_.source;
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Rdf("type"), Term::Iri(Ont("Source"))));
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Rdfs("label"), Term::Literal(s.title)));
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("title"), Term::Literal(s.title)));
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("contentHash"), Term::Literal(file_.content_hash)));
    if (!s.author.empty()) PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("author"), Term::Iri(EntityIri(s.author))));
    if (!s.published.empty()) PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("published"), DateLiteral(s.published)));
    if (!s.kind.empty()) PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("sourceKind"), Term::Literal(s.kind)));
    if (!s.url.empty()) PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("url"), Term::Iri(s.url)));
    if (!s.reliability.empty()) PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("reliability"), Term::Literal(s.reliability)));
    const Term verified = Term::Literal(text_ != nullptr ? "true" : "false", Xsd("boolean"));
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("quotesVerified"), verified));
    return text_ == nullptr ? Status::OK() : Text();
  }

  // The source's text, paragraph by paragraph and section by section, each a node that
  // names its source (so that replacing or retracting the source takes it along).
  Status Text() {
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("textFile"), Term::Literal(text_->file)));
    PARLEY_RETURN_IF_ERROR(Provenance(source_, Ont("textSha256"), Term::Literal(text_->sha256)));
    auto part = [&](const std::string& slug, const std::string& key, const Term& name, const std::string& body) -> Status {
      const Term node = Term::Iri(PassageIri(slug));
      PARLEY_RETURN_IF_ERROR(Provenance(node, Rdf("type"), Term::Iri(Ont("SourcePassage"))));
      PARLEY_RETURN_IF_ERROR(Provenance(node, Ont("source"), source_));
      PARLEY_RETURN_IF_ERROR(Provenance(node, Ont(key), name));
      return Provenance(node, Ont("text"), Term::Literal(body));
    };
    for (std::size_t i = 0; i < text_->paragraphs.size(); ++i) {
      const std::string n = std::to_string(i + 1);
      PARLEY_RETURN_IF_ERROR(part("paragraph-" + n, "paragraph", Term::Literal(n, Xsd("integer")), text_->paragraphs[i]));
    }
    for (const auto& [name, body] : text_->sections) {
      PARLEY_RETURN_IF_ERROR(part("section-" + Slug(name), "section", Term::Literal(name), body));
    }
    return Status::OK();
  }

  // The IRI of the text's passage `slug` ("paragraph-3", "section-byline").
  std::string PassageIri(const std::string& slug) const {
    return std::string(kContextNs) + file_.source.id + "/text/" + slug;
  }

  // The context graph for `e`, described in the provenance graph the first time; a
  // context that cites a paragraph or section of a stored text links to its passage.
  Result<Term> Context(const Evidence& e) {
    std::string iri = ContextIri(file_.source.id, e);
    Term context = Term::Iri(iri);
    if (!described_.insert(iri).second) return context;
    PARLEY_RETURN_IF_ERROR(Provenance(context, Rdf("type"), Term::Iri(Ont("EvidenceContext"))));
    PARLEY_RETURN_IF_ERROR(Provenance(context, Ont("source"), source_));
    for (const auto& [key, value] : e.locator) {
      const bool numbered = key == "paragraph" || key == "page" || key == "line";
      PARLEY_RETURN_IF_ERROR(
          Provenance(context, Ont(key), numbered ? Term::Literal(value, Xsd("integer")) : Term::Literal(value)));
    }
    if (!e.quote.empty()) PARLEY_RETURN_IF_ERROR(Provenance(context, Ont("quote"), Term::Literal(e.quote)));
    if (!e.confidence.empty()) {
      PARLEY_RETURN_IF_ERROR(Provenance(context, Ont("confidence"), Term::Literal(e.confidence, Xsd("decimal"))));
    }
    if (!e.credibility.empty()) {
      PARLEY_RETURN_IF_ERROR(Provenance(context, Ont("credibility"), Term::Literal(e.credibility, Xsd("integer"))));
    }
    if (text_ != nullptr) {
      for (const auto& [key, value] : e.locator) {
        const bool stored = key == "paragraph" ? std::stoul(value) <= text_->paragraphs.size()
                                               : key == "section" && text_->sections.count(value) > 0;
        if (stored) PARLEY_RETURN_IF_ERROR(Provenance(context, Ont("passage"), Term::Iri(PassageIri(key + "-" + Slug(value)))));
      }
    }
    PARLEY_RETURN_IF_ERROR(Provenance(context, Ont("loadedAt"), Term::Literal(loaded_at_, Xsd("dateTime"))));
    return context;
  }

  // One fact, in the graph of each piece of evidence for it.
  Status Fact(const Term& s, const std::string& p, const Term& o, const std::vector<Evidence>& evidence) {
    for (const Evidence& e : evidence) {
      auto context = Context(e);
      if (!context.ok()) return context.status();
      PARLEY_RETURN_IF_ERROR(loader_.Add(s, Term::Iri(p), o, &*context));
      ++facts_;
    }
    return Status::OK();
  }

  Status RecordFacts(const Record& r) {
    const Term subject = Term::Iri(EntityIri(r.id));
    mentioned_.insert(r.id);
    PARLEY_RETURN_IF_ERROR(Fact(subject, Rdf("type"), Term::Iri(Ont(r.type)), r.evidence));
    PARLEY_RETURN_IF_ERROR(Fact(subject, Rdfs("label"), Term::Literal(r.label), r.evidence));
    for (const FactValue& v : r.values) {
      Term object;
      switch (v.spec->type) {
        case ValueType::kReference:
          object = Term::Iri(EntityIri(v.value));
          mentioned_.insert(v.value);
          break;
        case ValueType::kString: object = Term::Literal(v.value); break;
        case ValueType::kDate: object = DateLiteral(v.value); break;
        case ValueType::kIri: object = Term::Iri(v.value); break;
      }
      PARLEY_RETURN_IF_ERROR(Fact(subject, Ont(v.spec->predicate), object, v.evidence.empty() ? r.evidence : v.evidence));
    }
    return Status::OK();
  }

  const FactFile& file_;
  const SourceText* text_;  // null: the source has no text, and its quotes are unverified
  store::Loader& loader_;
  const std::string& loaded_at_;
  const Term provenance_, source_;
  std::set<std::string> described_;
  std::set<std::string> mentioned_;
  std::uint64_t facts_ = 0;
};

Result<std::vector<Quad>> Collect(const QuadSource& source, const QuadPattern& pattern) {
  std::vector<Quad> out;
  PARLEY_RETURN_IF_ERROR(DrainCursor(*source.Scan(pattern), &out));
  return out;
}

// Ids of the terms Parley's provenance uses; NotFound when the store has none yet.
struct ProvenanceIds {
  TermId graph, source_predicate, type, source_class, title, hash;
};
Result<ProvenanceIds> LookupProvenanceIds(const TermDictionary& dictionary) {
  ProvenanceIds ids{};
  const std::pair<TermId*, Term> wanted[] = {
      {&ids.graph, Term::Iri(std::string(kProvenanceGraph))}, {&ids.source_predicate, Term::Iri(Ont("source"))},
      {&ids.type, Term::Iri(Rdf("type"))},                     {&ids.source_class, Term::Iri(Ont("Source"))},
      {&ids.title, Term::Iri(Ont("title"))},                   {&ids.hash, Term::Iri(Ont("contentHash"))},
  };
  for (const auto& [slot, term] : wanted) {
    auto id = dictionary.LookupId(term);
    if (!id.ok()) return id.status();
    *slot = *id;
  }
  return ids;
}

Result<std::string> LiteralValue(const TermDictionary& dictionary, TermId id) {
  auto term = dictionary.LookupTerm(id);
  if (!term.ok()) return term.status();
  return term->value;
}

}  // namespace

std::string NowAsDateTime() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Result<std::vector<Quad>> SourceQuads(const QuadSource& source, const TermDictionary& dictionary, const std::string& id) {
  auto ids = LookupProvenanceIds(dictionary);
  auto source_id = dictionary.LookupId(Term::Iri(EntityIri(id)));
  if (!ids.ok() || !source_id.ok()) return Status::NotFound("no source \"" + id + "\" in the database");
  auto is_source = Collect(source, QuadPattern{*source_id, ids->type, ids->source_class, ids->graph});
  if (!is_source.ok()) return is_source.status();
  if (is_source->empty()) return Status::NotFound("no source \"" + id + "\" in the database");

  auto out = Collect(source, QuadPattern{*source_id, {}, {}, ids->graph});
  if (!out.ok()) return out.status();
  auto contexts = Collect(source, QuadPattern{{}, ids->source_predicate, *source_id, ids->graph});
  if (!contexts.ok()) return contexts.status();
  for (const Quad& c : *contexts) {
    for (const QuadPattern& pattern : {QuadPattern{{}, {}, {}, c.subject}, QuadPattern{c.subject, {}, {}, ids->graph}}) {
      auto quads = Collect(source, pattern);
      if (!quads.ok()) return quads.status();
      out->insert(out->end(), quads->begin(), quads->end());
    }
  }
  return out;
}

Result<std::vector<SourceInfo>> ListSources(const QuadSource& source, const TermDictionary& dictionary) {
  std::vector<SourceInfo> out;
  auto ids = LookupProvenanceIds(dictionary);
  if (!ids.ok()) return out;  // no fact file loaded yet
  auto sources = Collect(source, QuadPattern{{}, ids->type, ids->source_class, ids->graph});
  if (!sources.ok()) return sources.status();
  for (const Quad& s : *sources) {
    SourceInfo info;
    auto iri = LiteralValue(dictionary, s.subject);
    if (!iri.ok()) return iri.status();
    info.id = std::string(EntityId(*iri));
    auto titles = Collect(source, QuadPattern{s.subject, ids->title, {}, ids->graph});
    if (!titles.ok()) return titles.status();
    if (!titles->empty()) {
      auto title = LiteralValue(dictionary, titles->front().object);
      if (!title.ok()) return title.status();
      info.title = *title;
    }
    // The source's value of provenance property `local`, "" when it has none.
    auto value_of = [&](const char* local) -> Result<std::string> {
      auto p = dictionary.LookupId(Term::Iri(Ont(local)));
      if (!p.ok()) return std::string();
      auto values = Collect(source, QuadPattern{s.subject, *p, {}, ids->graph});
      if (!values.ok()) return values.status();
      if (values->empty()) return std::string();
      return LiteralValue(dictionary, values->front().object);
    };
    auto verified = value_of("quotesVerified");
    if (!verified.ok()) return verified.status();
    info.verified = *verified == "true";
    auto reliability = value_of("reliability");
    if (!reliability.ok()) return reliability.status();
    info.reliability = *reliability;
    auto contexts = Collect(source, QuadPattern{{}, ids->source_predicate, s.subject, ids->graph});
    if (!contexts.ok()) return contexts.status();
    for (const Quad& c : *contexts) {
      auto cursor = source.Scan(QuadPattern{{}, {}, {}, c.subject});
      Quad q;
      while (cursor->Next(&q)) ++info.facts;
      PARLEY_RETURN_IF_ERROR(cursor->status());
    }
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(), [](const SourceInfo& a, const SourceInfo& b) { return a.id < b.id; });
  return out;
}

Status AddFactFile(const FactFile& file, const SourceText* text, const store::QuadStore& store, store::Loader& loader,
                   const std::string& loaded_at, FactLoadResult* result) {
  *result = FactLoadResult{};
  auto previous = SourceQuads(store, store, file.source.id);
  if (previous.ok()) {
    auto ids = LookupProvenanceIds(store);
    auto source_id = store.LookupId(Term::Iri(EntityIri(file.source.id)));
    for (const Quad& q : *previous) {
      if (ids.ok() && source_id.ok() && q.subject == *source_id && q.predicate == ids->hash) {
        auto hash = LiteralValue(store, q.object);
        if (hash.ok() && *hash == file.content_hash) {
          result->unchanged = true;
          return Status::OK();
        }
      }
    }
    for (const Quad& q : *previous) PARLEY_RETURN_IF_ERROR(loader.Remove(q));
    result->replaced = true;
  } else if (previous.status().code() != Status::Code::kNotFound) {
    return previous.status();
  }
  return FactWriter(file, text, loader, loaded_at).Write(&result->facts);
}

Result<std::uint64_t> RetractSource(store::QuadStore& store, const std::string& id) {
  auto loader = store.NewLoader();
  if (!loader.ok()) return loader.status();
  auto quads = SourceQuads(store, store, id);
  if (!quads.ok()) return quads.status();
  for (const Quad& q : *quads) PARLEY_RETURN_IF_ERROR((*loader)->Remove(q));
  PARLEY_RETURN_IF_ERROR((*loader)->Commit());
  return (*loader)->summary().quads_removed;
}

}  // namespace parley::ingest::facts
