#include "cli/lexicon_cache.hpp"

#include "store/derived_data.hpp"
#include "store/quad_store.hpp"

namespace parley::cli {

namespace {
constexpr std::string_view kNamesFile = "english-names";
}

Result<std::shared_ptr<const query::english::Lexicon>> LoadLexicon(const std::filesystem::path& db,
                                                                   const store::StoreSnapshot& snapshot) {
  using query::english::Lexicon;
  using query::english::NameTable;
  auto tag = snapshot.StateTag();
  if (!tag.ok()) return tag.status();
  std::optional<NameTable> names;
  // One file holds the names of the latest state; a past state's are read afresh.
  const bool keep = !snapshot.past();
  if (auto saved = keep ? store::ReadDerived(db, kNamesFile, *tag) : std::nullopt) names = NameTable::Parse(*saved);
  if (!names) {
    auto read = Lexicon::ReadNames(snapshot, snapshot);
    if (!read.ok()) return read.status();
    // Not saving only costs the next process the time of reading them again.
    if (keep) (void)store::WriteDerived(db, kNamesFile, *tag, read->Serialize());
    names = std::move(*read);
  }
  auto lexicon = Lexicon::Load(snapshot, snapshot, std::move(*names));
  if (!lexicon.ok()) return lexicon.status();
  return std::make_shared<const Lexicon>(std::move(*lexicon));
}

}  // namespace parley::cli
