#include "query/english/name_table.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <type_traits>

namespace parley::query::english {
namespace {

std::size_t Words(std::string_view phrase) {
  return static_cast<std::size_t>(std::count(phrase.begin(), phrase.end(), ' ')) + 1;
}

constexpr std::string_view kMagic = "parley-names 1\n";

// The saved form: kMagic, the size of each array as a 64-bit count, then the arrays'
// bytes in the same order.
template <class T>
void PutArray(std::string* out, const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <class T>
bool TakeArray(std::string_view* in, std::uint64_t count, std::vector<T>* out) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (count > in->size() / sizeof(T)) return false;
  out->resize(count);
  if (count > 0) std::memcpy(out->data(), in->data(), count * sizeof(T));  // data() may be null when empty
  in->remove_prefix(count * sizeof(T));
  return true;
}

}  // namespace

NameTable::Builder::Span NameTable::Builder::Keep(std::string_view s) {
  Span span{text_.size(), s.size()};
  text_.append(s);
  return span;
}

void NameTable::Builder::SetIri(std::uint64_t id, std::string_view iri) {
  if (!iris_.count(id)) iris_.emplace(id, Keep(iri));
}

void NameTable::Builder::AddLabel(std::uint64_t entity, std::string_view label, std::string_view key) {
  Pending& e = PendingFor(entity);
  if (!e.labelled) {
    e.label = Keep(label);
    e.label_key = Keep(key);
    e.labelled = true;
  }
  if (!key.empty()) names_.emplace_back(entity, Keep(key));
}

void NameTable::Builder::AddAlias(std::uint64_t entity, std::string_view key) {
  PendingFor(entity);
  if (!key.empty()) names_.emplace_back(entity, Keep(key));
}

void NameTable::Builder::AddClass(std::uint64_t entity, std::uint64_t cls) { classes_.emplace_back(entity, cls); }

NameTable::Span NameTable::Append(std::string_view s) {
  Span span{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(s.size())};
  text_.append(s);
  return span;
}

NameTable NameTable::Builder::Build() && {
  NameTable table;
  // Entities in IRI order; `position` maps each entity's id to its place in it.
  std::vector<std::uint64_t> order;
  order.reserve(entities_.size());
  for (const auto& [id, pending] : entities_) order.push_back(id);
  auto iri = [&](std::uint64_t id) { return View(iris_.at(id)); };
  std::sort(order.begin(), order.end(), [&](std::uint64_t a, std::uint64_t b) { return iri(a) < iri(b); });
  std::unordered_map<std::uint64_t, std::uint32_t> position;
  position.reserve(order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) position.emplace(order[i], i);

  // Each named entity's classes, as indexes into one list of distinct class IRIs.
  std::unordered_map<std::uint64_t, std::uint32_t> class_index;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> entity_classes;  // entity position, class
  for (const auto& [entity, cls] : classes_) {
    auto at = position.find(entity);
    if (at == position.end()) continue;
    auto [it, added] = class_index.emplace(cls, static_cast<std::uint32_t>(table.classes_.size()));
    if (added) table.classes_.push_back(table.Append(iri(cls)));
    entity_classes.emplace_back(at->second, it->second);
  }
  std::sort(entity_classes.begin(), entity_classes.end());
  entity_classes.erase(std::unique(entity_classes.begin(), entity_classes.end()), entity_classes.end());

  std::size_t next_class = 0;
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    const Pending& p = entities_.at(order[i]);
    NameTable::Entity e;
    e.iri = table.Append(iri(order[i]));
    e.label = table.Append(View(p.label));
    e.labelled = p.labelled ? 1 : 0;
    e.classes_begin = static_cast<std::uint32_t>(table.class_of_.size());
    for (; next_class < entity_classes.size() && entity_classes[next_class].first == i; ++next_class) {
      table.class_of_.push_back(entity_classes[next_class].second);
    }
    e.classes_end = static_cast<std::uint32_t>(table.class_of_.size());
    table.entities_.push_back(e);
  }

  // Names by key, then entity; a key given twice for one entity is kept once.
  std::vector<std::pair<Span, std::uint32_t>> names;  // key, entity position
  names.reserve(names_.size());
  for (const auto& [entity, key] : names_) names.emplace_back(key, position.at(entity));
  std::sort(names.begin(), names.end(), [&](const auto& a, const auto& b) {
    const std::string_view ka = View(a.first), kb = View(b.first);
    return ka != kb ? ka < kb : a.second < b.second;
  });
  names.erase(std::unique(names.begin(), names.end(),
                          [&](const auto& a, const auto& b) { return a.second == b.second && View(a.first) == View(b.first); }),
              names.end());
  for (const auto& [key, entity] : names) {
    const Pending& p = entities_.at(order[entity]);
    const bool label = p.labelled && View(p.label_key) == View(key);
    table.names_.push_back(Name{table.Append(View(key)), entity, label ? 0u : 1u});
    table.max_words_ = std::max(table.max_words_, Words(View(key)));
  }
  // Within one key, labels before aliases (the sort above kept IRI order in each group).
  std::stable_sort(table.names_.begin(), table.names_.end(), [&](const Name& a, const Name& b) {
    const std::string_view ka = table.View(a.key), kb = table.View(b.key);
    return ka != kb ? ka < kb : a.alias < b.alias;
  });
  return table;
}

const NameTable::Entity* NameTable::Find(std::string_view iri) const {
  auto it = std::lower_bound(entities_.begin(), entities_.end(), iri,
                             [&](const Entity& e, std::string_view v) { return View(e.iri) < v; });
  return it != entities_.end() && View(it->iri) == iri ? &*it : nullptr;
}

std::pair<std::size_t, std::size_t> NameTable::NameRange(std::string_view key) const {
  auto first = std::lower_bound(names_.begin(), names_.end(), key,
                                [&](const Name& n, std::string_view v) { return View(n.key) < v; });
  auto last = std::upper_bound(first, names_.end(), key,
                               [&](std::string_view v, const Name& n) { return v < View(n.key); });
  return {static_cast<std::size_t>(first - names_.begin()), static_cast<std::size_t>(last - names_.begin())};
}

std::vector<std::string> NameTable::Named(std::string_view key) const {
  std::vector<std::string> out;
  auto [first, last] = NameRange(key);
  for (std::size_t i = first; i < last; ++i) out.emplace_back(View(entities_[names_[i].entity].iri));
  return out;
}

std::size_t NameTable::CountNamed(std::string_view key) const {
  auto [first, last] = NameRange(key);
  return last - first;
}

std::optional<std::string_view> NameTable::Label(std::string_view iri) const {
  const Entity* e = Find(iri);
  if (e == nullptr || !e->labelled) return std::nullopt;
  return View(e->label);
}

std::vector<std::string_view> NameTable::Classes(std::string_view iri) const {
  std::vector<std::string_view> out;
  if (const Entity* e = Find(iri)) {
    for (std::uint32_t i = e->classes_begin; i < e->classes_end; ++i) out.push_back(View(classes_[class_of_[i]]));
  }
  return out;
}

std::string NameTable::Serialize() const {
  std::string out(kMagic);
  for (std::uint64_t count : {std::uint64_t{text_.size()}, std::uint64_t{entities_.size()},
                              std::uint64_t{names_.size()}, std::uint64_t{class_of_.size()},
                              std::uint64_t{classes_.size()}, std::uint64_t{max_words_}}) {
    out.append(reinterpret_cast<const char*>(&count), sizeof count);
  }
  out.append(text_);
  PutArray(&out, entities_);
  PutArray(&out, names_);
  PutArray(&out, class_of_);
  PutArray(&out, classes_);
  return out;
}

std::optional<NameTable> NameTable::Parse(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  bytes.remove_prefix(kMagic.size());
  std::uint64_t counts[6];
  if (bytes.size() < sizeof counts) return std::nullopt;
  std::memcpy(counts, bytes.data(), sizeof counts);
  bytes.remove_prefix(sizeof counts);
  NameTable table;
  if (counts[0] > bytes.size()) return std::nullopt;
  table.text_.assign(bytes.substr(0, counts[0]));
  bytes.remove_prefix(counts[0]);
  if (!TakeArray(&bytes, counts[1], &table.entities_) || !TakeArray(&bytes, counts[2], &table.names_) ||
      !TakeArray(&bytes, counts[3], &table.class_of_) || !TakeArray(&bytes, counts[4], &table.classes_) ||
      !bytes.empty()) {
    return std::nullopt;
  }
  table.max_words_ = counts[5];
  if (!table.Valid()) return std::nullopt;
  return table;
}

// Every index points inside its array and every string inside the text, so that no
// lookup in a table read back can reach outside it.
bool NameTable::Valid() const {
  auto inside = [&](Span s) { return s.offset <= text_.size() && s.size <= text_.size() - s.offset; };
  for (const Entity& e : entities_) {
    if (!inside(e.iri) || !inside(e.label) || e.classes_begin > e.classes_end || e.classes_end > class_of_.size()) {
      return false;
    }
  }
  for (const Name& n : names_) {
    if (!inside(n.key) || n.entity >= entities_.size()) return false;
  }
  for (std::uint32_t c : class_of_) {
    if (c >= classes_.size()) return false;
  }
  return std::all_of(classes_.begin(), classes_.end(), inside);
}

}  // namespace parley::query::english
