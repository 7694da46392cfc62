#include "ingest/facts/known_entities.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "ingest/facts/fact_file.hpp"
#include "ingest/facts/kinds.hpp"
#include "rdf/vocabulary.hpp"

namespace parley::ingest::facts {
namespace {

using rdf::EntityIri;
using rdf::Ont;

const std::string kRdfType = rdf::Rdf("type");
const std::string kLabel = rdf::Rdfs("label");

// Decodes `ids` in one batch; unknown ids decode to nullopt.
Result<std::vector<std::optional<Term>>> Decode(const TermDictionary& dictionary, const std::vector<TermId>& ids) {
  std::vector<std::optional<Term>> terms;
  PARLEY_RETURN_IF_ERROR(dictionary.LookupTerms(ids, &terms));
  return terms;
}

std::string IdOf(const std::optional<Term>& term) {
  if (!term || term->kind != TermKind::kIri) return {};
  return std::string(rdf::EntityId(term->value));
}

std::string OntologyLocalName(const std::optional<Term>& term) {
  if (!term || term->kind != TermKind::kIri || term->value.rfind(rdf::kOntologyNs, 0) != 0) return {};
  return term->value.substr(rdf::kOntologyNs.size());
}

}  // namespace

std::string KindOfType(const std::string& type) {
  if (type == "Source") return "";
  for (const RecordKind& kind : KindRegistry::Default().kinds()) {
    if (std::find(kind.types.begin(), kind.types.end(), type) != kind.types.end()) return kind.name;
  }
  return "*";
}

Result<std::optional<TermId>> KnownEntities::Id(const Term& term) const {
  auto id = dictionary_.LookupId(term);
  if (id.ok()) return std::optional<TermId>(*id);
  if (id.status().code() == Status::Code::kNotFound) return std::optional<TermId>();
  return id.status();
}

Result<std::vector<TermId>> KnownEntities::Subjects(const std::string& p, const Term& o) const {
  auto pid = Id(Term::Iri(p));
  if (!pid.ok()) return pid.status();
  auto oid = Id(o);
  if (!oid.ok()) return oid.status();
  std::vector<TermId> out;
  if (!*pid || !*oid) return out;
  std::vector<Quad> quads;
  PARLEY_RETURN_IF_ERROR(DrainCursor(*source_.ScanUnion(QuadPattern{{}, **pid, **oid, {}}), &quads));
  for (const Quad& q : quads) out.push_back(q.subject);
  return out;
}

Result<std::string> KnownEntities::TypeOf(TermId entity) const {
  auto type = Id(Term::Iri(kRdfType));
  if (!type.ok()) return type.status();
  if (!*type) return std::string();
  std::vector<Quad> quads;
  PARLEY_RETURN_IF_ERROR(DrainCursor(*source_.ScanUnion(QuadPattern{entity, **type, {}, {}}), &quads));
  std::vector<TermId> classes;
  for (const Quad& q : quads) classes.push_back(q.object);
  auto terms = Decode(dictionary_, classes);
  if (!terms.ok()) return terms.status();
  for (const auto& t : *terms) {
    if (std::string local = OntologyLocalName(t); !local.empty()) return local;
  }
  return std::string();
}

Result<std::optional<std::string>> KnownEntities::KindOf(const std::string& id) const {
  auto entity = Id(Term::Iri(EntityIri(id)));
  if (!entity.ok()) return entity.status();
  if (!*entity) return std::optional<std::string>();
  Quad q;
  auto cursor = source_.ScanUnion(QuadPattern{**entity, {}, {}, {}});
  if (!cursor->Next(&q)) {
    PARLEY_RETURN_IF_ERROR(cursor->status());
    return std::optional<std::string>();  // only ever an object: nothing states what it is
  }
  auto type = TypeOf(**entity);
  if (!type.ok()) return type.status();
  return std::optional<std::string>(KindOfType(*type));
}

Result<std::vector<std::string>> KnownEntities::Named(const std::string& name) const {
  std::vector<std::string> out;
  for (const std::string& p : {kLabel, Ont("alias")}) {
    auto subjects = Subjects(p, Term::Literal(name));
    if (!subjects.ok()) return subjects.status();
    auto terms = Decode(dictionary_, *subjects);
    if (!terms.ok()) return terms.status();
    for (const auto& t : *terms) {
      std::string id = IdOf(t);
      if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

Result<std::vector<std::string>> KnownEntities::SourcesMentioning(const std::string& id) const {
  auto subjects = Subjects(Ont("mentions"), Term::Iri(EntityIri(id)));
  if (!subjects.ok()) return subjects.status();
  auto terms = Decode(dictionary_, *subjects);
  if (!terms.ok()) return terms.status();
  std::set<std::string> sources;
  for (const auto& t : *terms) {
    if (std::string s = IdOf(t); !s.empty()) sources.insert(s);
  }
  return std::vector<std::string>(sources.begin(), sources.end());
}

Result<std::vector<std::string>> KnownEntities::Happenings(const std::string& type, const std::string& date,
                                                           const std::string& location) const {
  std::string xsd_type;
  if (!ParseDate(date, &xsd_type)) return std::vector<std::string>();
  auto on_date = Subjects(Ont("date"), Term::Literal(date, rdf::Xsd(xsd_type)));
  if (!on_date.ok()) return on_date.status();
  auto at_place = Subjects(Ont("location"), Term::Iri(EntityIri(location)));
  if (!at_place.ok()) return at_place.status();
  std::vector<TermId> both;
  for (TermId s : *on_date) {
    if (std::find(at_place->begin(), at_place->end(), s) != at_place->end()) both.push_back(s);
  }
  std::vector<std::string> out;
  auto terms = Decode(dictionary_, both);
  if (!terms.ok()) return terms.status();
  for (std::size_t i = 0; i < both.size(); ++i) {
    auto t = TypeOf(both[i]);
    if (!t.ok()) return t.status();
    if (*t == type) out.push_back(IdOf((*terms)[i]));
  }
  return out;
}

Result<std::vector<std::string>> KnownEntities::Ids() const {
  auto all = All();
  if (!all.ok()) return all.status();
  std::vector<std::string> ids;
  for (const auto& e : *all) ids.push_back(e.id);
  return ids;
}

Result<std::vector<KnownEntity>> KnownEntities::All() const {
  // Reads whole predicates: the labels, aliases, types and mentions.
  auto read = [&](const std::string& p, std::vector<Quad>* out) -> Status {
    auto pid = Id(Term::Iri(p));
    if (!pid.ok()) return pid.status();
    if (!*pid) return Status::OK();
    return DrainCursor(*source_.ScanUnion(QuadPattern{{}, **pid, {}, {}}), out);
  };
  std::vector<Quad> labels, aliases, types, mentions;
  PARLEY_RETURN_IF_ERROR(read(kLabel, &labels));
  PARLEY_RETURN_IF_ERROR(read(Ont("alias"), &aliases));
  PARLEY_RETURN_IF_ERROR(read(kRdfType, &types));
  PARLEY_RETURN_IF_ERROR(read(Ont("mentions"), &mentions));
  std::vector<TermId> ids;
  for (const auto* quads : {&labels, &aliases, &types, &mentions}) {
    for (const Quad& q : *quads) {
      ids.push_back(q.subject);
      ids.push_back(q.object);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto terms = Decode(dictionary_, ids);
  if (!terms.ok()) return terms.status();
  auto term = [&](TermId id) -> const std::optional<Term>& {
    return (*terms)[static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin())];
  };
  std::map<std::string, KnownEntity> by_id;
  for (const Quad& q : labels) {
    const std::string id = IdOf(term(q.subject));
    const auto& label = term(q.object);
    if (id.empty() || !label || label->kind != TermKind::kLiteral) continue;
    KnownEntity& e = by_id[id];
    if (e.id.empty()) {
      e.id = id;
      e.label = label->value;
    }
  }
  for (const Quad& q : aliases) {
    auto it = by_id.find(IdOf(term(q.subject)));
    const auto& alias = term(q.object);
    if (it == by_id.end() || !alias || alias->kind != TermKind::kLiteral) continue;
    auto& list = it->second.aliases;
    if (std::find(list.begin(), list.end(), alias->value) == list.end()) list.push_back(alias->value);
  }
  for (const Quad& q : types) {
    auto it = by_id.find(IdOf(term(q.subject)));
    if (it == by_id.end() || !it->second.type.empty()) continue;
    it->second.type = OntologyLocalName(term(q.object));
  }
  for (const Quad& q : mentions) {
    auto it = by_id.find(IdOf(term(q.object)));
    const std::string source = IdOf(term(q.subject));
    if (it == by_id.end() || source.empty()) continue;
    auto& list = it->second.sources;
    if (std::find(list.begin(), list.end(), source) == list.end()) list.push_back(source);
  }
  std::vector<KnownEntity> out;
  for (auto& [id, e] : by_id) {
    e.kind = KindOfType(e.type);
    std::sort(e.sources.begin(), e.sources.end());
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace parley::ingest::facts
