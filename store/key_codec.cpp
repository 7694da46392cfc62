#include "store/key_codec.hpp"

namespace parley::store {
namespace {

// Which quad position (0 s, 1 p, 2 o, 3 g) sits at each key position.
constexpr std::array<int, 4> Layout(IndexOrder order) {
  switch (order) {
    case IndexOrder::kSpog: return {0, 1, 2, 3};
    case IndexOrder::kPosg: return {1, 2, 0, 3};
    case IndexOrder::kOspg: return {2, 0, 1, 3};
    case IndexOrder::kGspo: return {3, 0, 1, 2};
  }
  return {0, 1, 2, 3};
}

std::array<TermId, 4> AsArray(const Quad& q) { return {q.subject, q.predicate, q.object, q.graph}; }

}  // namespace

const char* IndexName(IndexOrder order) {
  switch (order) {
    case IndexOrder::kSpog: return "spog";
    case IndexOrder::kPosg: return "posg";
    case IndexOrder::kOspg: return "ospg";
    case IndexOrder::kGspo: return "gspo";
  }
  return "?";
}

QuadKey ToKey(const Quad& quad, IndexOrder order) {
  auto ids = AsArray(quad);
  auto layout = Layout(order);
  return {ids[layout[0]], ids[layout[1]], ids[layout[2]], ids[layout[3]]};
}

Quad FromKey(const QuadKey& key, IndexOrder order) {
  std::array<TermId, 4> ids{};
  auto layout = Layout(order);
  for (int i = 0; i < 4; ++i) ids[layout[i]] = key[i];
  return Quad{ids[0], ids[1], ids[2], ids[3]};
}

void EncodeId(TermId id, char* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(id & 0xFF);
    id >>= 8;
  }
}

TermId DecodeId(const char* in) {
  TermId id = 0;
  for (int i = 0; i < 8; ++i) id = (id << 8) | static_cast<unsigned char>(in[i]);
  return id;
}

std::string EncodeIdString(TermId id) {
  std::string out(kTermIdBytes, '\0');
  EncodeId(id, out.data());
  return out;
}

void EncodeKey(const QuadKey& key, char* out) {
  for (int i = 0; i < 4; ++i) EncodeId(key[i], out + i * kTermIdBytes);
}

QuadKey DecodeKey(const char* in) {
  return {DecodeId(in), DecodeId(in + 8), DecodeId(in + 16), DecodeId(in + 24)};
}

std::string PrefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

QuadPosition PositionAt(IndexOrder order, int place) {
  return static_cast<QuadPosition>(Layout(order)[static_cast<std::size_t>(place)]);
}

IndexChoice ChooseIndex(const QuadPattern& pattern) {
  const std::array<bool, 4> bound = {pattern.subject.has_value(), pattern.predicate.has_value(),
                                     pattern.object.has_value(), pattern.graph.has_value()};
  IndexChoice best;
  best.bound_prefix = -1;
  // Ties go to the earlier order; gspo, listed last, is chosen only when g is bound, so
  // union scans (g unbound) always use an order with g last and see duplicates adjacent.
  for (IndexOrder order : kAllOrders) {
    auto layout = Layout(order);
    int n = 0;
    while (n < 4 && bound[layout[n]]) ++n;
    if (n > best.bound_prefix) best = IndexChoice{order, n};
  }
  return best;
}

}  // namespace parley::store
