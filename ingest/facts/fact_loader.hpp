// ingest/facts/fact_loader.hpp
// Turns validated fact files into quads. Each (source, locator) cited by a fact is an
// evidence context: a named graph holding the facts it supports, described in the
// provenance graph (its source, locator, quote, confidence and load time). A source is
// described there too, with a hash of its facts: loading an unchanged file again
// changes nothing, and loading a changed version replaces the source's quads.
#pragma once

#include <string>
#include <vector>

#include "ingest/facts/fact_file.hpp"
#include "ingest/facts/source_text.hpp"
#include "store/quad_store.hpp"

namespace parley::ingest::facts {

struct FactLoadResult {
  bool unchanged = false;   // the store already had this version of the source
  bool replaced = false;    // an earlier version of the source was removed
  std::uint64_t facts = 0;  // quads in evidence contexts
};

// Adds `file` to `loader`'s transaction (and removes its source's previous version).
// `text` is the source's text, whose quotes were verified, or null; `store` is read for
// the previous version; `loaded_at` is an xsd:dateTime.
Status AddFactFile(const FactFile& file, const SourceText* text, const store::QuadStore& store, store::Loader& loader,
                   const std::string& loaded_at, FactLoadResult* result);

struct SourceInfo {
  std::string id, title;
  std::uint64_t facts = 0;  // quads in the source's evidence contexts
  bool verified = false;    // its quotes were checked against its text
  std::string reliability;  // "A".."F"; "" when ungraded
};
Result<std::vector<SourceInfo>> ListSources(const QuadSource& source, const TermDictionary& dictionary);

// Every quad that belongs to source `id`: its contexts' facts and its provenance.
// NotFound when the store has no such source.
Result<std::vector<Quad>> SourceQuads(const QuadSource& source, const TermDictionary& dictionary,
                                      const std::string& id);

// Removes exactly the quads of source `id` in one transaction.
Result<std::uint64_t> RetractSource(store::QuadStore& store, const std::string& id);

// The current time as an xsd:dateTime in UTC.
std::string NowAsDateTime();

}  // namespace parley::ingest::facts
