#include "store/key_codec.hpp"

#include <gtest/gtest.h>

namespace parley::store {
namespace {

TEST(KeyCodecTest, PrefixSuccessor) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"", ""},
      {"a", "b"},
      {std::string("a\xff", 2), "b"},
      {std::string("\x01\xff\xff", 3), "\x02"},
      {std::string("\xff\xff", 2), ""},
      {std::string("\x00\x00", 2), std::string("\x00\x01", 2)},
  };
  for (const auto& c : cases) EXPECT_EQ(PrefixSuccessor(c.in), c.out);
}

TEST(KeyCodecTest, BigEndianOrderIsNumericOrder) {
  const TermId ids[] = {0, 1, 0xFF, 0x100, 0x1FF, 0xFFFFFFFF, 0x00FFFFFFFFFFFFFF, ~TermId{0}};
  for (std::size_t i = 0; i + 1 < std::size(ids); ++i) {
    EXPECT_LT(EncodeIdString(ids[i]), EncodeIdString(ids[i + 1]));
    EXPECT_EQ(DecodeId(EncodeIdString(ids[i]).data()), ids[i]);
  }
}

TEST(KeyCodecTest, KeysRoundTripInEveryOrder) {
  const Quad q{11, 22, 33, 44};
  for (IndexOrder order : kAllOrders) {
    char buf[kQuadKeyBytes];
    EncodeKey(ToKey(q, order), buf);
    EXPECT_EQ(FromKey(DecodeKey(buf), order), q) << IndexName(order);
  }
  EXPECT_EQ(ToKey(q, IndexOrder::kPosg), (QuadKey{22, 33, 11, 44}));
  EXPECT_EQ(ToKey(q, IndexOrder::kOspg), (QuadKey{33, 11, 22, 44}));
  EXPECT_EQ(ToKey(q, IndexOrder::kGspo), (QuadKey{44, 11, 22, 33}));
}

TEST(KeyCodecTest, ChooseIndexBindsTheLongestPrefix) {
  struct Case {
    bool s, p, o, g;
    IndexOrder order;
    int prefix;
  } cases[] = {
      {false, false, false, false, IndexOrder::kSpog, 0}, {true, false, false, false, IndexOrder::kSpog, 1},
      {false, true, false, false, IndexOrder::kPosg, 1},  {false, false, true, false, IndexOrder::kOspg, 1},
      {false, false, false, true, IndexOrder::kGspo, 1},  {true, true, false, false, IndexOrder::kSpog, 2},
      {false, true, true, false, IndexOrder::kPosg, 2},   {true, false, true, false, IndexOrder::kOspg, 2},
      {true, false, false, true, IndexOrder::kGspo, 2},   {true, true, true, false, IndexOrder::kSpog, 3},
      {true, true, false, true, IndexOrder::kGspo, 3},    {false, true, true, true, IndexOrder::kPosg, 2},
      {true, true, true, true, IndexOrder::kSpog, 4},
  };
  for (const auto& c : cases) {
    QuadPattern pattern;
    if (c.s) pattern.subject = 1;
    if (c.p) pattern.predicate = 2;
    if (c.o) pattern.object = 3;
    if (c.g) pattern.graph = 4;
    IndexChoice choice = ChooseIndex(pattern);
    EXPECT_EQ(choice.order, c.order) << c.s << c.p << c.o << c.g;
    EXPECT_EQ(choice.bound_prefix, c.prefix) << c.s << c.p << c.o << c.g;
  }
}

}  // namespace
}  // namespace parley::store
