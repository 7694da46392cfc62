#include "ingest/facts/fact_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ingest/json_positions.hpp"
#include "rdf/edit_distance.hpp"
#include "rdf/iri.hpp"
#include "rdf/text_position.hpp"

namespace parley::ingest::facts {

using namespace parley::rdf;  // IRIs, characters, vocabulary, positions (rdf/)

using nlohmann::json;

bool ParseDate(const std::string& date, std::string* xsd_type) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > date.size()) return -1;
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (date[i] < '0' || date[i] > '9') return -1;
      v = v * 10 + (date[i] - '0');
    }
    return v;
  };
  const int year = digits(0, 4);
  if (year < 0) return false;
  if (date.size() == 4) {
    *xsd_type = "gYear";
    return true;
  }
  if (date.size() < 7 || date[4] != '-') return false;
  const int month = digits(5, 2);
  if (month < 1 || month > 12) return false;
  if (date.size() == 7) {
    *xsd_type = "gYearMonth";
    return true;
  }
  if (date.size() != 10 || date[7] != '-') return false;
  const int day = digits(8, 2);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day < 1 || day > last) return false;
  *xsd_type = "date";
  return true;
}

bool ValidId(const std::string& id) {
  if (id.empty() || !std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

namespace {

constexpr std::size_t kMaxErrors = 20;
// Far beyond any fact file (the deepest nests five levels); see NestedBeyond.
constexpr int kMaxJsonNesting = 64;
constexpr std::size_t kMaxFactFileBytes = std::size_t{256} << 20;
constexpr std::size_t kMaxQuote = 300;

std::string HashHex(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64-bit: stable across builds
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
  return out;
}

std::string Suggest(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  // A word cut short ("para") means the shortest word it begins ("paragraph"), not a
  // word of similar length ("page").
  if (word.size() >= 3) {
    for (const auto& k : known) {
      if (k.size() > word.size() && k.compare(0, word.size(), word) == 0 && (best.empty() || k.size() < best.size())) best = k;
    }
    if (!best.empty()) return " (did you mean \"" + best + "\"?)";
  }
  std::size_t best_distance = 3;  // suggest only close words
  for (const auto& k : known) {
    std::size_t d = EditDistance(word, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

std::string JsonTypeName(const json& j) {
  if (j.is_string()) return "a string";
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "a boolean";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

// Collects errors with their positions, up to kMaxErrors.
class Errors {
 public:
  Errors(const std::string& path, const std::string& text, const JsonPositions* positions)
      : path_(path), text_(text), positions_(positions) {}

  void At(const std::string& pointer, const std::string& message, bool at_key = false) {
    if (all_.size() >= kMaxErrors) {
      truncated_ = true;
      return;
    }
    std::optional<std::size_t> offset;
    if (positions_ != nullptr) offset = at_key ? positions_->KeyOffset(pointer) : positions_->ValueOffset(pointer);
    if (!offset) {
      all_.push_back(Diagnostic{path_, 0, 0, (pointer.empty() ? "" : pointer + ": ") + message, "", 1});
      return;
    }
    TextPosition where = Locate(text_, *offset);
    all_.push_back(Diagnostic{path_, where.line, where.column, message, where.line_text, 1});
  }
  bool empty() const { return all_.empty(); }
  Status ToStatus() {
    if (all_.empty()) return Status::OK();
    if (truncated_) {
      all_.push_back(Diagnostic{path_, 0, 0, "more errors follow; fix these first (at most " +
                                                  std::to_string(kMaxErrors) + " are shown)", "", 1});
    }
    return Status::ParseErrors(all_);
  }

 private:
  std::string path_;
  const std::string& text_;
  const JsonPositions* positions_;
  std::vector<Diagnostic> all_;
  bool truncated_ = false;
};

class Validator {
 public:
  Validator(FactFile* file, Errors* errors) : file_(file), errors_(errors) {}

  void Document(const json& doc) {
    if (!doc.is_object()) {
      errors_->At("", "a fact file is a JSON object with a \"source\" block and arrays of records");
      return;
    }
    if (!doc.contains("source")) errors_->At("", "missing the \"source\" block");
    const auto& registry = KindRegistry::Default();
    std::vector<std::string> known = {"source", "draft"};
    for (const auto& kind : registry.kinds()) known.push_back(kind.name);
    for (const auto& [key, value] : doc.items()) {
      const std::string pointer = "/" + PointerToken(key);
      if (key == "source") {
        Source(value);
        continue;
      }
      if (key == "draft") {  // notes `parley draft` wrote for the curator
        file_->has_draft_notes = true;
        continue;
      }
      const RecordKind* kind = registry.Find(key);
      if (kind == nullptr) {
        errors_->At(pointer, "unknown record kind \"" + key + "\"" + Suggest(key, known) + "; expected " + registry.Names(),
                    true);
        continue;
      }
      if (!value.is_array()) {
        errors_->At(pointer, "\"" + key + "\" takes an array of " + kind->singular + " records, not " + JsonTypeName(value));
        continue;
      }
      for (std::size_t i = 0; i < value.size(); ++i) Record_(*kind, value[i], pointer + "/" + std::to_string(i));
    }
  }

 private:
  // A required or optional string member; reports a wrong type.
  std::optional<std::string> StringMember(const json& object, const std::string& pointer, const char* key,
                                          bool required, const std::string& what) {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) errors_->At(pointer, what + " needs \"" + key + "\"");
      return std::nullopt;
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      errors_->At(pointer + "/" + key, "\"" + std::string(key) + "\" must be a non-empty string, not " +
                                           (it->is_string() ? "an empty one" : JsonTypeName(*it)));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  bool CheckKeys(const json& object, const std::string& pointer, const std::vector<std::string>& allowed,
                 const std::string& what) {
    bool ok = true;
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      errors_->At(pointer + "/" + PointerToken(key), "unknown property \"" + key + "\" for " + what + Suggest(key, allowed),
                  true);
      ok = false;
    }
    return ok;
  }

  void Source(const json& source) {
    const std::string pointer = "/source";
    if (!source.is_object()) {
      errors_->At(pointer, "\"source\" must be an object, not " + JsonTypeName(source));
      return;
    }
    CheckKeys(source, pointer, {"id", "title", "author", "published", "kind", "url", "text", "reliability"}, "a source");
    SourceBlock& s = file_->source;
    if (auto id = StringMember(source, pointer, "id", true, "the source")) {
      if (!ValidId(*id)) {
        errors_->At(pointer + "/id", "source id \"" + *id + "\" may hold only letters, digits, '-', '_' and '.'");
      }
      s.id = *id;
      Define(s.id, "", pointer + "/id");
    }
    s.title = StringMember(source, pointer, "title", true, "the source").value_or("");
    s.kind = StringMember(source, pointer, "kind", false, "the source").value_or("");
    if (auto author = StringMember(source, pointer, "author", false, "the source")) {
      s.author = *author;
      file_->references.push_back({*author, pointer + "/author", {"actors"}});
    }
    if (auto published = StringMember(source, pointer, "published", false, "the source")) {
      std::string type;
      if (!ParseDate(*published, &type)) errors_->At(pointer + "/published", BadDate(*published));
      s.published = *published;
    }
    s.text = StringMember(source, pointer, "text", false, "the source").value_or("");
    if (auto grade = StringMember(source, pointer, "reliability", false, "the source")) {
      if (grade->size() != 1 || (*grade)[0] < 'A' || (*grade)[0] > 'F') {
        errors_->At(pointer + "/reliability", "\"reliability\" is a grade from A (completely reliable) to F (cannot be "
                                              "judged), not \"" + *grade + "\"");
      } else {
        s.reliability = *grade;
      }
    }
    if (auto url = StringMember(source, pointer, "url", false, "the source")) {
      if (!IsAbsoluteIri(*url) || url->find_first_of(" <>\"{}|^`\\") != std::string::npos) {
        errors_->At(pointer + "/url", "\"url\" must be an absolute IRI");
      }
      s.url = *url;
    }
  }

  static std::string BadDate(const std::string& text) {
    return "bad date \"" + text + "\": write YYYY, YYYY-MM or YYYY-MM-DD";
  }

  void Define(const std::string& id, const std::string& kind, const std::string& pointer) {
    if (!file_->defined_ids.emplace(id, kind).second) errors_->At(pointer, "id \"" + id + "\" is defined twice in this file");
  }

  void Record_(const RecordKind& kind, const json& j, const std::string& pointer) {
    const std::string what = (std::string("aeiou").find(kind.singular[0]) == std::string::npos ? "a " : "an ") + kind.singular;
    if (!j.is_object()) {
      errors_->At(pointer, "each " + kind.singular + " is an object, not " + JsonTypeName(j));
      return;
    }
    std::vector<std::string> allowed = {"id", "type", "label", "evidence"};
    for (const auto& spec : CommonProperties()) allowed.push_back(spec.key);
    for (const auto& spec : kind.properties) allowed.push_back(spec.key);
    CheckKeys(j, pointer, allowed, what);

    Record r;
    r.kind = &kind;
    r.pointer = pointer;
    if (auto id = StringMember(j, pointer, "id", true, what)) {
      if (!ValidId(*id)) errors_->At(pointer + "/id", "id \"" + *id + "\" may hold only letters, digits, '-', '_' and '.'");
      r.id = *id;
      Define(r.id, kind.name, pointer + "/id");
    }
    r.label = StringMember(j, pointer, "label", true, what).value_or("");
    r.type = kind.types.front();
    if (auto type = StringMember(j, pointer, "type", false, what)) {
      if (std::find(kind.types.begin(), kind.types.end(), *type) == kind.types.end()) {
        std::string list;
        for (const auto& t : kind.types) list += (list.empty() ? "" : ", ") + t;
        errors_->At(pointer + "/type", "unknown type \"" + *type + "\" for " + what + Suggest(*type, kind.types) +
                                           "; expected one of " + list);
      }
      r.type = *type;
    }
    if (!j.contains("evidence")) {
      errors_->At(pointer, what + " needs \"evidence\": where in the source it is stated, e.g. {\"paragraph\": 3}");
    } else {
      r.evidence = EvidenceList(j["evidence"], pointer + "/evidence");
    }
    for (const auto* specs : {&CommonProperties(), &kind.properties}) {
      for (const auto& spec : *specs) {
        if (j.contains(spec.key)) Values(spec, j[spec.key], pointer + "/" + PointerToken(spec.key), &r.values);
      }
    }
    file_->records.push_back(std::move(r));
  }

  std::vector<Evidence> EvidenceList(const json& j, const std::string& pointer) {
    std::vector<Evidence> out;
    if (j.is_object()) {
      out.push_back(OneEvidence(j, pointer));
    } else if (j.is_array() && !j.empty()) {
      for (std::size_t i = 0; i < j.size(); ++i) out.push_back(OneEvidence(j[i], pointer + "/" + std::to_string(i)));
    } else {
      errors_->At(pointer, "\"evidence\" must be an object such as {\"paragraph\": 3} or a non-empty array of them");
    }
    return out;
  }

  Evidence OneEvidence(const json& j, const std::string& pointer) {
    Evidence e;
    e.pointer = pointer;
    if (!j.is_object()) {
      errors_->At(pointer, "evidence must be an object such as {\"paragraph\": 3}, not " + JsonTypeName(j));
      return e;
    }
    static const std::vector<std::string> kNumbered = {"paragraph", "page", "line"};
    static const std::vector<std::string> kNamed = {"section", "timestamp"};
    std::vector<std::string> allowed = {"quote", "confidence", "credibility"};
    allowed.insert(allowed.end(), kNumbered.begin(), kNumbered.end());
    allowed.insert(allowed.end(), kNamed.begin(), kNamed.end());
    CheckKeys(j, pointer, allowed, "evidence");
    for (const auto& [key, value] : j.items()) {
      const std::string at = pointer + "/" + PointerToken(key);
      if (std::find(kNumbered.begin(), kNumbered.end(), key) != kNumbered.end()) {
        if (!value.is_number_unsigned() || value.get<std::uint64_t>() == 0) {
          errors_->At(at, "\"" + key + "\" must be a whole number from 1, not " +
                              (value.is_number() ? value.dump() : JsonTypeName(value)));
        } else {
          e.locator.emplace_back(key, std::to_string(value.get<std::uint64_t>()));
        }
      } else if (std::find(kNamed.begin(), kNamed.end(), key) != kNamed.end()) {
        if (!value.is_string() || value.get<std::string>().empty()) {
          errors_->At(at, "\"" + key + "\" must be a non-empty string");
        } else {
          e.locator.emplace_back(key, value.get<std::string>());
        }
      } else if (key == "quote") {
        if (!value.is_string() || value.get<std::string>().empty()) {
          errors_->At(at, "\"quote\" must be a non-empty string");
        } else if (value.get<std::string>().size() > kMaxQuote) {
          errors_->At(at, "quote is longer than " + std::to_string(kMaxQuote) +
                              " bytes: keep a short phrase that locates the support");
        } else {
          e.quote = value.get<std::string>();
        }
      } else if (key == "confidence") {
        if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1) {
          errors_->At(at, "\"confidence\" must be a number from 0 to 1");
        } else {
          e.confidence = value.dump();
        }
      } else if (key == "credibility") {
        if (!value.is_number_unsigned() || value.get<std::uint64_t>() < 1 || value.get<std::uint64_t>() > 6) {
          errors_->At(at, "\"credibility\" is a grade from 1 (confirmed) to 6 (cannot be judged), not " +
                              (value.is_number() ? value.dump() : JsonTypeName(value)));
        } else {
          e.credibility = std::to_string(value.get<std::uint64_t>());
        }
      }
    }
    std::sort(e.locator.begin(), e.locator.end());
    return e;
  }

  void Values(const PropertySpec& spec, const json& j, const std::string& pointer, std::vector<FactValue>* out) {
    if (spec.many && !j.is_array()) {
      errors_->At(pointer, "\"" + spec.key + "\" takes an array, not " + JsonTypeName(j));
      return;
    }
    if (!spec.many && j.is_array()) {
      errors_->At(pointer, "\"" + spec.key + "\" takes a single value, not an array");
      return;
    }
    if (spec.many) {
      for (std::size_t i = 0; i < j.size(); ++i) OneValue(spec, j[i], pointer + "/" + std::to_string(i), out);
    } else {
      OneValue(spec, j, pointer, out);
    }
  }

  // A value is a string, or {"value": "...", "evidence": ...} to cite it separately.
  void OneValue(const PropertySpec& spec, const json& j, const std::string& pointer, std::vector<FactValue>* out) {
    FactValue v;
    v.spec = &spec;
    v.pointer = pointer;
    const json* text = &j;
    std::string text_pointer = pointer;
    if (j.is_object()) {
      CheckKeys(j, pointer, {"value", "evidence"}, "a value");
      if (!j.contains("value")) {
        errors_->At(pointer, "a value object needs \"value\"");
        return;
      }
      text = &j["value"];
      text_pointer = pointer + "/value";
      if (j.contains("evidence")) v.evidence = EvidenceList(j["evidence"], pointer + "/evidence");
    }
    if (!text->is_string() || text->get<std::string>().empty()) {
      errors_->At(text_pointer, "\"" + spec.key + "\" values must be non-empty strings, not " + JsonTypeName(*text));
      return;
    }
    v.value = text->get<std::string>();
    switch (spec.type) {
      case ValueType::kReference:
        if (!ValidId(v.value)) {
          errors_->At(text_pointer, "\"" + v.value + "\" is not an id (letters, digits, '-', '_' and '.')");
          return;
        }
        file_->references.push_back({v.value, text_pointer, spec.targets});
        break;
      case ValueType::kDate: {
        std::string type;
        if (!ParseDate(v.value, &type)) {
          errors_->At(text_pointer, BadDate(v.value));
          return;
        }
        break;
      }
      case ValueType::kIri:
        if (!IsAbsoluteIri(v.value)) {
          errors_->At(text_pointer, "\"" + spec.key + "\" must be an absolute IRI");
          return;
        }
        break;
      case ValueType::kString:
        break;
    }
    out->push_back(std::move(v));
  }

 private:
  FactFile* file_;
  Errors* errors_;
};

}  // namespace

Status ParseFactFile(std::string path, std::string text, FactFile* out) {
  out->path = std::move(path);
  out->text = std::move(text);
  auto error_at = [&](std::size_t offset, std::string message) {
    TextPosition where = Locate(out->text, offset);
    return Diagnostic{out->path, where.line, where.column, std::move(message), where.line_text, 1};
  };
  if (auto deep = NestedBeyond(out->text, kMaxJsonNesting)) {
    return Status::ParseError(error_at(*deep, "malformed JSON: nested more than " + std::to_string(kMaxJsonNesting) +
                                                  " deep"));
  }
  json doc;
  try {
    doc = json::parse(out->text);
  } catch (const json::parse_error& e) {
    const std::string what = e.what();
    const auto detail_at = what.find("syntax error");
    const std::string detail = detail_at == std::string::npos ? what : what.substr(detail_at);
    return Status::ParseError(error_at(e.byte > 0 ? e.byte - 1 : 0, "malformed JSON: " + detail));
  } catch (const json::exception& e) {
    // A number beyond the range of a double ("number overflow parsing '1e400'"): the
    // exception names the number but not where it is, so find it in the text.
    std::string what = e.what();
    what = what.substr(what.find(']') == std::string::npos ? 0 : what.find(']') + 2);
    std::size_t at = 0;
    const auto quote = what.find('\'');
    if (quote != std::string::npos) {
      const std::string number = what.substr(quote + 1, what.rfind('\'') - quote - 1);
      at = std::min(out->text.find(number), out->text.size());
    }
    return Status::ParseError(error_at(at, "malformed JSON: " + what));
  }
  const JsonPositions positions(out->text);
  if (!positions.duplicate_keys().empty()) {
    std::vector<Diagnostic> all;
    for (const auto& d : positions.duplicate_keys()) {
      const TextPosition first = Locate(out->text, d.first);
      all.push_back(error_at(d.second, "\"" + d.name + "\" is given twice in one object (first at line " +
                                           std::to_string(first.line) + ", column " + std::to_string(first.column) +
                                           ")"));
    }
    return Status::ParseErrors(std::move(all));
  }
  Errors errors(out->path, out->text, &positions);
  Validator validator(out, &errors);
  out->validated = true;  // its records and references are there to check, errors or not
  validator.Document(doc);
  PARLEY_RETURN_IF_ERROR(errors.ToStatus());
  out->content_hash = HashHex(doc.dump());
  return Status::OK();
}

Status ReadFactFile(const std::string& path, FactFile* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(std::string("cannot open: ") + std::strerror(errno));
  // Read in blocks up to a bound: a fact file is written by hand, and a device that
  // never ends (/dev/zero) must meet an error, not exhaust memory.
  std::string text;
  std::vector<char> block(1 << 16);
  while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFactFileBytes) {
      return Status::InvalidArgument("a fact file may hold at most " + std::to_string(kMaxFactFileBytes >> 20) +
                                     " MiB");
    }
  }
  if (in.bad()) return Status::IOError(std::string("cannot read: ") + std::strerror(errno));
  return ParseFactFile(path, std::move(text), out);
}

Diagnostic DiagnosticAt(const FactFile& file, const std::string& pointer, std::string message) {
  const JsonPositions positions(file.text);
  const auto offset = positions.ValueOffset(pointer);
  if (!offset) return Diagnostic{file.path, 0, 0, (pointer.empty() ? "" : pointer + ": ") + message, "", 1};
  const TextPosition where = Locate(file.text, *offset);
  return Diagnostic{file.path, where.line, where.column, std::move(message), where.line_text, 1};
}

Status CheckReferences(const std::vector<FactFile>& files, const DatabaseIds& database) {
  std::map<std::string, std::string> defined;  // over the whole load
  for (const auto& file : files) {
    for (const auto& [id, kind] : file.defined_ids) defined.emplace(id, kind);
  }
  std::optional<std::vector<std::string>> known;  // the load's and the database's ids, once needed
  auto suggestion = [&](const std::string& id) -> Result<std::string> {
    if (!known) {
      auto in_database = database.ids();
      if (!in_database.ok()) return in_database.status();
      known = std::move(*in_database);
      for (const auto& [defined_id, kind] : defined) known->push_back(defined_id);
    }
    return Suggest(id, *known);
  };
  std::vector<Diagnostic> all;
  for (const auto& file : files) {
    if (!file.validated) continue;  // malformed JSON: nothing to check, and no positions to give
    const JsonPositions positions(file.text);
    Errors errors(file.path, file.text, &positions);
    for (const auto& ref : file.references) {
      std::optional<std::string> kind;
      if (auto it = defined.find(ref.id); it != defined.end()) {
        kind = it->second;
      } else {
        auto in_database = database.kind_of(ref.id);
        if (!in_database.ok()) return in_database.status();
        kind = *in_database;
      }
      if (!kind) {
        auto suggest = suggestion(ref.id);
        if (!suggest.ok()) return suggest.status();
        errors.At(ref.pointer, "unknown id \"" + ref.id + "\": no record in this load or the database has it" + *suggest);
        continue;
      }
      const bool any_kind = ref.targets.empty() || *kind == "*";
      if (!any_kind && std::find(ref.targets.begin(), ref.targets.end(), *kind) == ref.targets.end()) {
        std::string expected;
        for (const auto& t : ref.targets) expected += (expected.empty() ? "" : " or ") + (t.empty() ? "sources" : t);
        errors.At(ref.pointer, "\"" + ref.id + "\" is one of the " + (kind->empty() ? "sources" : *kind) +
                                   ", but this property takes " + expected);
      }
    }
    Status s = errors.ToStatus();
    if (!s.ok()) {
      all.push_back(*s.diagnostic());
      all.insert(all.end(), s.more_diagnostics().begin(), s.more_diagnostics().end());
    }
  }
  if (all.empty()) return Status::OK();
  return Status::ParseErrors(std::move(all));
}

}  // namespace parley::ingest::facts
