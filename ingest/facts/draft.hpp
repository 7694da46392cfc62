// ingest/facts/draft.hpp
// `parley draft`: a starting fact file for a new source. The text is split as a source
// text is (source_text.hpp); in each paragraph and section, the names of entities the
// graph knows (labels and aliases) are found and offered as ready references with an
// evidence locator whose quote is the words as the text writes them. Capitalised
// phrases that name nothing known are listed as candidate new names.
//
// Names match word by word in rdf::SearchKey form, so case, accents, hyphens and
// possessives ("Pompeo's") do not stop a match; but a capitalised word of a name only
// matches a capitalised word of the text, so the alias "US" does not match "us". Every
// entity named is offered, names inside longer names too ("Pompeo" in "Secretary
// Pompeo's visits"), each once per block, at its first and longest name; where one name
// fits several entities ("Pyongyang": the city, the state) all are offered for the
// curator to choose. A name running on into a capitalised word is not taken ("Kim" in
// "Kim Yong Chol").
#pragma once

#include <string>
#include <vector>

#include "ingest/facts/known_entities.hpp"
#include "ingest/facts/source_text.hpp"

namespace parley::ingest::facts {

struct DraftMention {
  const KnownEntity* entity = nullptr;
  std::string quote;  // the name as the text writes it
};

struct DraftBlock {
  std::string locator, value;  // ("paragraph", "3") or ("section", "byline")
  std::string text;
  std::vector<DraftMention> known;     // in order of first mention, each entity once
  std::vector<std::string> new_names;  // as the text writes them, each once
};

struct SourceDraft {
  std::vector<DraftBlock> blocks;  // the sections first, then the paragraphs in order
};

SourceDraft DraftSource(const SourceText& text, const std::vector<KnownEntity>& entities);

// The draft as a fact file: the source block (`id`, `title`, `text` as given), empty
// record arrays, and a "draft" member with the blocks, which `parley load` does not
// load and warns about until the curator deletes it.
std::string DraftFactFile(const SourceDraft& draft, const std::string& source_id, const std::string& title,
                          const std::string& text_path);

}  // namespace parley::ingest::facts
