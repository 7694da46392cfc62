// store/as_of.hpp
// Naming a past state of the store: by generation (the state after that many commits)
// or by a moment of transaction time (the state after the last commit at or before it).
// Moments are written as ISO 8601 dates or date-times; one without a zone is UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/status.hpp"

namespace parley::store {

// Which end of the period a moment names: "2019-03" starts at 1 March 00:00:00.000
// and ends at 31 March 23:59:59.999; a date-time's period is its last written unit.
enum class MomentEdge : std::uint8_t { kStart, kEnd };

// "2019", "2019-03", "2019-03-01", "2019-03-01T12:30", "2019-03-01T12:30:05Z",
// "2019-03-01 12:30:05.250+02:00" as Unix milliseconds. InvalidArgument says what is
// wrong with anything else.
Result<std::int64_t> ParseMoment(std::string_view text, MomentEdge edge);

// Unix milliseconds as "2019-03-01T12:30:05Z" (UTC, whole seconds).
std::string FormatMoment(std::int64_t unix_ms);

struct AsOf {
  std::optional<std::uint64_t> generation;  // the state after this commit, or
  std::optional<std::int64_t> unix_ms;      // after the last commit at or before this moment
  std::string text;                         // as the user wrote it, for messages
};

// A generation ("12": digits alone) or a moment as ParseMoment reads it, taken at the
// end of its period: "2019-03-01" is the state at the close of that day.
Result<AsOf> ParseAsOf(std::string_view text);

}  // namespace parley::store
