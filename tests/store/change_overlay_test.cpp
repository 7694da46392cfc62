// ChangeOverlay: a base state with additions and removals on top, read like a store.
#include "store/change_overlay.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "store/memory_quad_source.hpp"

namespace parley::store {
namespace {

std::vector<Quad> All(std::unique_ptr<QuadCursor> cursor) {
  std::vector<Quad> out;
  EXPECT_TRUE(DrainCursor(*cursor, &out).ok());
  std::sort(out.begin(), out.end());
  return out;
}

class ChangeOverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = base_.Intern(Term::Iri("http://e/s"));
    p_ = base_.Intern(Term::Iri("http://e/p"));
    o_ = base_.Intern(Term::Iri("http://e/o"));
    g1_ = base_.Intern(Term::Iri("http://e/g1"));
    g2_ = base_.Intern(Term::Iri("http://e/g2"));
    base_.Insert(Quad{s_, p_, o_, g1_});
    base_.Insert(Quad{s_, p_, o_, g2_});
  }
  MemoryQuadSource base_;
  TermId s_ = 0, p_ = 0, o_ = 0, g1_ = 0, g2_ = 0;
};

TEST_F(ChangeOverlayTest, ReadsItsOwnWritesAndNewTerms) {
  ChangeOverlay view(base_, base_);
  auto fresh = view.Intern(Term::Literal("new"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(ChangeOverlay::IsOverlayId(*fresh));
  EXPECT_EQ(*view.Intern(Term::Literal("new")), *fresh);  // the same term, the same id
  EXPECT_EQ(view.LookupTerm(*fresh)->value, "new");
  EXPECT_EQ(*view.LookupId(Term::Iri("http://e/s")), s_);
  EXPECT_TRUE(*view.Insert(Quad{s_, p_, *fresh, kDefaultGraph}));
  EXPECT_FALSE(*view.Insert(Quad{s_, p_, *fresh, kDefaultGraph}));  // already there
  EXPECT_FALSE(*view.Insert(Quad{s_, p_, o_, g1_}));                // in the base
  EXPECT_EQ(All(view.Scan(QuadPattern{s_, p_, {}, {}})),
            (std::vector<Quad>{{s_, p_, o_, g1_}, {s_, p_, o_, g2_}, {s_, p_, *fresh, kDefaultGraph}}));
  EXPECT_EQ(All(view.Scan(QuadPattern{{}, {}, *fresh, {}})), (std::vector<Quad>{{s_, p_, *fresh, kDefaultGraph}}));
  EXPECT_EQ(view.Stats(p_)->quads, 3u);
  // Erasing what was added leaves no trace; erasing a base quad hides it.
  EXPECT_TRUE(*view.Erase(Quad{s_, p_, *fresh, kDefaultGraph}));
  EXPECT_TRUE(view.added().empty());
  EXPECT_TRUE(*view.Erase(Quad{s_, p_, o_, g1_}));
  EXPECT_EQ(view.removed().size(), 1u);
  EXPECT_EQ(All(view.Scan(QuadPattern{})), (std::vector<Quad>{{s_, p_, o_, g2_}}));
  // Putting it back cancels the removal.
  EXPECT_TRUE(*view.Insert(Quad{s_, p_, o_, g1_}));
  EXPECT_TRUE(view.removed().empty());
}

TEST_F(ChangeOverlayTest, TheUnionKeepsATripleWhileAnyGraphHoldsIt) {
  ChangeOverlay view(base_, base_);
  const std::vector<Quad> one = {{s_, p_, o_, kDefaultGraph}};
  EXPECT_EQ(All(view.ScanUnion(QuadPattern{})), one);
  ASSERT_TRUE(view.Erase(Quad{s_, p_, o_, g1_}).ok());
  EXPECT_EQ(All(view.ScanUnion(QuadPattern{})), one);  // g2 still has it
  ASSERT_TRUE(view.Erase(Quad{s_, p_, o_, g2_}).ok());
  EXPECT_TRUE(All(view.ScanUnion(QuadPattern{})).empty());
  ASSERT_TRUE(view.Insert(Quad{s_, p_, o_, kDefaultGraph}).ok());
  EXPECT_EQ(All(view.ScanUnion(QuadPattern{{}, p_, {}, {}})), one);
}

}  // namespace
}  // namespace parley::store
