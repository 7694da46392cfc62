#include "ingest/facts/duplicates.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "rdf/search_key.hpp"

namespace parley::ingest::facts {
namespace {

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

const FactValue* ValueOf(const Record& r, const std::string& key) {
  for (const FactValue& v : r.values) {
    if (v.spec->key == key) return &v;
  }
  return nullptr;
}

// "kim-jong-un (from mele-2019-hanoi-summit, singapore-joint-statement-2018)"
Result<std::string> Described(const KnownEntities& database, const std::string& id) {
  auto sources = database.SourcesMentioning(id);
  if (!sources.ok()) return sources.status();
  return sources->empty() ? id : id + " (from " + Joined(*sources) + ")";
}

bool SameKind(const std::optional<std::string>& database_kind, const Record& r) {
  return database_kind && (*database_kind == "*" || *database_kind == r.kind->name);
}

}  // namespace

Result<std::vector<Diagnostic>> FindDuplicates(const std::vector<FactFile>& files, const KnownEntities& database) {
  std::set<std::string> loading;  // ids the load defines: their database versions are being replaced or extended
  for (const auto& file : files) {
    for (const auto& [id, kind] : file.defined_ids) loading.insert(id);
  }
  std::vector<Diagnostic> out;
  std::map<std::string, std::pair<std::string, std::string>> names_in_load;  // search key and kind -> (id, name)
  for (const FactFile& file : files) {
    if (!file.validated) continue;
    for (const Record& r : file.records) {
      std::vector<std::pair<std::string, std::string>> names = {{r.label, r.pointer + "/label"}};
      for (const FactValue& v : r.values) {
        if (v.spec->key == "aliases") names.emplace_back(v.value, v.pointer);
      }
      for (const auto& [name, pointer] : names) {
        auto named = database.Named(name);
        if (!named.ok()) return named.status();
        for (const std::string& id : *named) {
          if (id == r.id || loading.count(id)) continue;
          // A place and a state may share a name ("Pyongyang" the city, and the
          // government as it is called): only the same kind of entity is a duplicate.
          auto kind = database.KindOf(id);
          if (!kind.ok()) return kind.status();
          if (!SameKind(*kind, r)) continue;
          auto described = Described(database, id);
          if (!described.ok()) return described.status();
          out.push_back(DiagnosticAt(file, pointer,
                                     "\"" + name + "\" already names " + *described + "; if " + r.id +
                                         " is the same entity, cite that id instead of defining a new one"));
        }
        const std::string key = rdf::SearchKey(name) + '\x1f' + r.kind->name;
        auto [it, fresh] = names_in_load.emplace(key, std::make_pair(r.id, name));
        if (!fresh && it->second.first != r.id) {
          out.push_back(DiagnosticAt(file, pointer, "\"" + name + "\" also names " + it->second.first +
                                                        " in this load; two ids for one entity split its facts"));
        }
      }
      const FactValue* date = ValueOf(r, "date");
      if (date == nullptr) date = ValueOf(r, "startDate");
      const FactValue* place = ValueOf(r, "location");
      if (date == nullptr || place == nullptr) continue;
      auto same = database.Happenings(r.type, date->value, place->value);
      if (!same.ok()) return same.status();
      for (const std::string& id : *same) {
        if (id == r.id || loading.count(id)) continue;
        auto described = Described(database, id);
        if (!described.ok()) return described.status();
        out.push_back(DiagnosticAt(file, date->pointer,
                                   "the database already has a " + r.type + " on " + date->value + " at " +
                                       place->value + ": " + *described + "; if " + r.id +
                                       " is the same one, cite that id instead"));
      }
    }
  }
  for (Diagnostic& d : out) d.warning = true;
  return out;
}

}  // namespace parley::ingest::facts
