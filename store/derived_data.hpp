// store/derived_data.hpp
// Data computed from the quads that is costly to compute again in every process (the
// English lexicon's names of a large graph): kept as files in the database's directory,
// each under the tag of the state it was computed from (StoreSnapshot::StateTag), so
// that it is never read for another state.
//
// A derived file is a cache: losing it, or failing to write it (a read-only directory,
// a full disk), only costs the time of computing it again. Writers replace a file by
// renaming a finished one over it, so a reader sees a whole file or none; a reader
// checks the tag, the length and a checksum before it trusts a byte.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "store/status.hpp"

namespace parley::store {

// The data saved as `name` for the state `tag`; nullopt when there is none for that
// state, or the file is damaged.
std::optional<std::string> ReadDerived(const std::filesystem::path& db, std::string_view name, std::string_view tag);

// Saves `data` as `name` for the state `tag`, replacing what was there.
// IOError when the file cannot be written; the old file, if any, stays whole.
Status WriteDerived(const std::filesystem::path& db, std::string_view name, std::string_view tag,
                    std::string_view data);

}  // namespace parley::store
