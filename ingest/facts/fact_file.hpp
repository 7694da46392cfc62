// ingest/facts/fact_file.hpp
// Curated fact files (JSON): a source block and arrays of records by kind, each record
// citing its evidence. ReadFactFile parses and validates a whole file before anything
// is written, and reports every error it finds (up to a cap) as
// `file:line:col: error: message`. See docs/fact-files.md for the format.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ingest/facts/kinds.hpp"
#include "store/status.hpp"

namespace parley::ingest::facts {

// Where in a source a fact is stated.
struct Evidence {
  std::vector<std::pair<std::string, std::string>> locator;  // sorted by key: ("paragraph", "3")
  std::string quote;                                          // "" when none
  std::string confidence;                                     // decimal lexical form; "" when none
  std::string credibility;                                    // "1".."6" (Admiralty code); "" when none
  std::string pointer;                                        // JSON pointer of the evidence object
};

struct FactValue {
  const PropertySpec* spec = nullptr;
  std::string value;               // an id, a string, a date or an IRI, by spec->type
  std::vector<Evidence> evidence;  // empty: the record's evidence
  std::string pointer;             // JSON pointer, for messages
};

struct Record {
  const RecordKind* kind = nullptr;
  std::string id, type, label;
  std::vector<FactValue> values;
  std::vector<Evidence> evidence;
  std::string pointer;
};

struct SourceBlock {
  std::string id, title, author, published, kind, url;  // author is an id; "" when absent
  std::string text;  // the source's text file, relative to the fact file; "" when none
  std::string reliability;  // "A".."F" (Admiralty code); "" when ungraded
};

// A reference to an id, kept until the whole load can be checked.
struct Reference {
  std::string id, pointer;
  std::vector<std::string> targets;  // as PropertySpec::targets
};

struct FactFile {
  std::string path;
  std::string text;  // the file's bytes, kept to place error messages
  SourceBlock source;
  std::vector<Record> records;
  std::string content_hash;  // changes whenever the facts change (not for formatting)
  std::vector<Reference> references;
  std::map<std::string, std::string> defined_ids;  // id -> record kind ("" for the source)
  bool validated = false;  // the JSON parsed and its records were read (perhaps with errors)
  bool has_draft_notes = false;  // a "draft" member from `parley draft`: not loaded
};

// Reads and validates `path`. References to ids outside the file are checked later by
// CheckReferences, which sees the whole load and the database.
Status ReadFactFile(const std::string& path, FactFile* out);
Status ParseFactFile(std::string path, std::string text, FactFile* out);

// Whether `id` may name a record or source: letters, digits, '-', '_' and '.', from a
// letter or digit.
bool ValidId(const std::string& id);

// What the reference check asks of the database.
struct DatabaseIds {
  // The record kind of the database's entity `id` ("" a source, "*" a type no kind
  // has), or nullopt when the database has no such entity.
  std::function<Result<std::optional<std::string>>(const std::string& id)> kind_of;
  // Every id of the database, for suggestions; asked only when an id is unknown.
  std::function<Result<std::vector<std::string>>()> ids;
};

// Checks every reference in `files`: it must name a record or source of one of the
// files or of the database, of a kind the property takes. An unknown id gets the
// nearest id of the load or the database as a suggestion.
Status CheckReferences(const std::vector<FactFile>& files, const DatabaseIds& database);

// A message about the value at JSON `pointer` of `file`, placed at its line and column.
Diagnostic DiagnosticAt(const FactFile& file, const std::string& pointer, std::string message);

// Whether `date` is YYYY, YYYY-MM or YYYY-MM-DD and a real date; sets its XSD type
// (gYear, gYearMonth, date).
bool ParseDate(const std::string& date, std::string* xsd_type);

}  // namespace parley::ingest::facts
