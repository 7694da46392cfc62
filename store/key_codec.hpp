// store/key_codec.hpp
// Index orders and their keys: four big-endian 8-byte ids, so that byte order under
// RocksDB's default comparator equals numeric order of the ids, position by position.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/quad.hpp"

namespace parley::store {

enum class IndexOrder : std::uint8_t { kSpog, kPosg, kOspg, kGspo };
inline constexpr std::array<IndexOrder, 4> kAllOrders = {IndexOrder::kSpog, IndexOrder::kPosg,
                                                          IndexOrder::kOspg, IndexOrder::kGspo};
inline constexpr std::size_t kQuadKeyBytes = 4 * kTermIdBytes;

// A quad's ids laid out in one index's order; compares like the encoded key.
using QuadKey = std::array<TermId, 4>;

const char* IndexName(IndexOrder order);
QuadKey ToKey(const Quad& quad, IndexOrder order);
Quad FromKey(const QuadKey& key, IndexOrder order);

void EncodeId(TermId id, char* out);
TermId DecodeId(const char* in);
std::string EncodeIdString(TermId id);
void EncodeKey(const QuadKey& key, char* out);  // writes kQuadKeyBytes bytes
QuadKey DecodeKey(const char* in);

// The smallest string greater than every string starting with `prefix`; "" means
// "no upper bound" (the prefix was empty or all 0xFF).
std::string PrefixSuccessor(std::string prefix);

// Which index serves a pattern, and how many leading key positions it binds.
// Bound positions outside that prefix are checked on each entry.
struct IndexChoice {
  IndexOrder order = IndexOrder::kSpog;
  int bound_prefix = 0;
};
IndexChoice ChooseIndex(const QuadPattern& pattern);
// The quad position at place `place` (0 to 3) of `order`'s keys.
QuadPosition PositionAt(IndexOrder order, int place);

}  // namespace parley::store
