// cli/lexicon_cache.hpp
// The English lexicon of a database as the commands get it: the ontology's words read
// from the graph, the entities' names from the copy saved beside the database for this
// state of it (store/derived_data.hpp), or read from the graph and saved for the next
// process. On a large graph reading the names is most of a one-question `parley ask`.
#pragma once

#include <filesystem>
#include <memory>

#include "query/english/lexicon.hpp"

namespace parley::store {
class StoreSnapshot;
}

namespace parley::cli {

Result<std::shared_ptr<const query::english::Lexicon>> LoadLexicon(const std::filesystem::path& db,
                                                                   const store::StoreSnapshot& snapshot);

}  // namespace parley::cli
