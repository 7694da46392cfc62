#include "store/range_cache.hpp"

#include <gtest/gtest.h>

#include "store/quad_store.hpp"
#include "tests/test_util.hpp"

namespace parley::store {
namespace {

using parley::testing::TempDbTest;

class VectorCursor final : public QuadCursor {
 public:
  explicit VectorCursor(std::vector<Quad> quads, Status end = Status::OK()) : quads_(std::move(quads)), end_(end) {}
  bool Next(Quad* out) override {
    if (at_ == quads_.size()) return false;
    *out = quads_[at_++];
    return true;
  }
  Status status() const override { return at_ == quads_.size() ? end_ : Status::OK(); }

 private:
  std::vector<Quad> quads_;
  Status end_;
  std::size_t at_ = 0;
};

std::vector<Quad> Numbered(std::size_t n) {
  std::vector<Quad> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(Quad{i + 1, 7, i + 100, kDefaultGraph});
  return out;
}

std::vector<Quad> Drain(QuadCursor& cursor) {
  std::vector<Quad> out;
  EXPECT_OK(DrainCursor(cursor, &out));
  return out;
}

const QuadPattern kByPredicate{std::nullopt, TermId{7}, std::nullopt, std::nullopt};

TEST(RangeCacheTest, KeepsARangeReadToItsEnd) {
  RangeCache cache;
  auto recording = cache.Recording(std::make_unique<VectorCursor>(Numbered(5)), kByPredicate, false);
  EXPECT_EQ(cache.Find(kByPredicate, false), nullptr);  // not before the end
  EXPECT_EQ(Drain(*recording), Numbered(5));
  ASSERT_NE(cache.Find(kByPredicate, false), nullptr);
  EXPECT_EQ(Drain(*RangeCache::Replay(cache.Find(kByPredicate, false))), Numbered(5));
  // The union view of the same pattern is another range.
  EXPECT_EQ(cache.Find(kByPredicate, true), nullptr);
}

TEST(RangeCacheTest, AnAbandonedOrFailedScanIsNotKept) {
  RangeCache cache;
  {
    auto recording = cache.Recording(std::make_unique<VectorCursor>(Numbered(5)), kByPredicate, false);
    Quad q;
    ASSERT_TRUE(recording->Next(&q));
  }  // a LIMIT stopped reading here
  EXPECT_EQ(cache.Find(kByPredicate, false), nullptr);
  auto failing = cache.Recording(std::make_unique<VectorCursor>(Numbered(3), Status::IOError("disk")), kByPredicate,
                                 false);
  std::vector<Quad> out;
  EXPECT_FALSE(DrainCursor(*failing, &out).ok());
  EXPECT_EQ(cache.Find(kByPredicate, false), nullptr);
}

TEST(RangeCacheTest, ARangeOverTheLimitIsNotKept) {
  RangeCache cache(RangeCache::Limits{1000, 4000});
  auto at_limit = cache.Recording(std::make_unique<VectorCursor>(Numbered(1000)), kByPredicate, true);
  EXPECT_EQ(Drain(*at_limit).size(), 1000u);
  EXPECT_NE(cache.Find(kByPredicate, true), nullptr);
  auto recording = cache.Recording(std::make_unique<VectorCursor>(Numbered(1001)), kByPredicate, false);
  EXPECT_EQ(Drain(*recording).size(), 1001u);
  EXPECT_EQ(cache.Find(kByPredicate, false), nullptr);

  // The next scan of that range is not recorded at all: the cursor comes back as it is.
  auto again = std::make_unique<VectorCursor>(Numbered(3));
  const QuadCursor* inner = again.get();
  EXPECT_EQ(cache.Recording(std::move(again), kByPredicate, false).get(), inner);
  // Other ranges still are: another predicate, and a graph's view of this one.
  const QuadPattern other{std::nullopt, TermId{8}, std::nullopt, std::nullopt};
  const QuadPattern in_graph{std::nullopt, TermId{7}, std::nullopt, TermId{3}};
  for (auto [pattern, union_view] : {std::pair{other, false}, std::pair{in_graph, false}}) {
    auto small = cache.Recording(std::make_unique<VectorCursor>(Numbered(3)), pattern, union_view);
    EXPECT_EQ(Drain(*small), Numbered(3));
    EXPECT_NE(cache.Find(pattern, union_view), nullptr);
  }
}

// Many ranges, as a join's probes leave them: each one found under its own key (the
// table grows many times over), the same subject under another flag or graph kept
// apart, and everything dropped at once when the cache is full.
TEST(RangeCacheTest, ManyRangesAreEachFoundUnderTheirOwnKey) {
  RangeCache cache(RangeCache::Limits{1 << 20, 1 << 20});
  constexpr TermId kRanges = 20000;
  auto by_subject = [](TermId s) { return QuadPattern{s, TermId{7}, std::nullopt, std::nullopt}; };
  for (TermId s = 1; s <= kRanges; ++s) {
    cache.Keep(by_subject(s), false, {Quad{s, 7, s * 3, kDefaultGraph}});
  }
  for (TermId s = 1; s <= kRanges; ++s) {
    auto range = cache.Find(by_subject(s), false);
    ASSERT_NE(range, nullptr) << s;
    ASSERT_EQ(range->size(), 1u);
    EXPECT_EQ((*range)[0].object, s * 3);
    EXPECT_EQ(cache.Find(by_subject(s), true), nullptr);  // the union view is another range
  }
  EXPECT_EQ(cache.Find(QuadPattern{TermId{1}, TermId{7}, std::nullopt, TermId{5}}, false), nullptr);
  EXPECT_EQ(cache.Find(by_subject(kRanges + 1), false), nullptr);
  // A probe's lookup: a small range is copied, a large one shared.
  std::vector<Quad> small;
  QuadRange shared;
  ASSERT_TRUE(cache.FindOrCopy(by_subject(5), false, &small, &shared));
  EXPECT_EQ(small, (std::vector<Quad>{Quad{5, 7, 15, kDefaultGraph}}));
  EXPECT_EQ(shared, nullptr);
  cache.Keep(kByPredicate, true, Numbered(RangeCache::kSmallRange + 1));
  small.clear();
  ASSERT_TRUE(cache.FindOrCopy(kByPredicate, true, &small, &shared));
  EXPECT_TRUE(small.empty());
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(*shared, Numbered(RangeCache::kSmallRange + 1));
  EXPECT_FALSE(cache.FindOrCopy(by_subject(kRanges + 1), false, &small, &shared));
  // Keeping a range twice keeps the first.
  cache.Keep(by_subject(1), false, Numbered(3));
  EXPECT_EQ(cache.Find(by_subject(1), false)->size(), 1u);
  // A range that does not fit any more empties the cache first; ranges in use live on.
  auto held = cache.Find(by_subject(2), false);
  const std::size_t most = cache.limits().cached_quads;
  cache.Keep(kByPredicate, false, Numbered(most - 10));
  EXPECT_EQ(cache.Find(by_subject(2), false), nullptr);
  EXPECT_EQ(held->size(), 1u);
  EXPECT_EQ(cache.Find(kByPredicate, false)->size(), most - 10);
}

// Small ranges lie one after another in chunks: ranges of every small size, empty ones
// too, over several chunks, each come back whole under its key, before and after the
// cache is emptied. Prefetch is a hint at any time, even before the cache has a table.
TEST(RangeCacheTest, SmallRangesOverManyChunksComeBackWhole) {
  RangeCache cache(RangeCache::Limits{1 << 20, 1 << 20});
  auto by_subject = [](TermId s) { return QuadPattern{s, TermId{9}, std::nullopt, std::nullopt}; };
  cache.Prefetch(by_subject(1), false);
  auto range_of = [](TermId s) {
    std::vector<Quad> quads;
    for (TermId i = 0; i < s % (RangeCache::kSmallRange + 1); ++i) quads.push_back(Quad{s, 9, 1000 + i, kDefaultGraph});
    return quads;
  };
  constexpr TermId kRanges = 30000;  // about 240,000 quads: several chunks
  for (TermId s = 1; s <= kRanges; ++s) cache.Keep(by_subject(s), false, range_of(s));
  for (TermId s = 1; s <= kRanges; ++s) {
    cache.Prefetch(by_subject(s + 8), false);
    std::vector<Quad> small;
    QuadRange shared;
    ASSERT_TRUE(cache.FindOrCopy(by_subject(s), false, &small, &shared)) << s;
    EXPECT_EQ(shared, nullptr);
    ASSERT_EQ(small, range_of(s)) << s;
    ASSERT_EQ(*cache.Find(by_subject(s), false), range_of(s)) << s;
  }
  cache.Keep(QuadPattern{}, false, Numbered(cache.limits().cached_quads - 10));  // empties the cache
  EXPECT_EQ(cache.Find(by_subject(5), false), nullptr);
  cache.Keep(by_subject(5), false, range_of(5));
  cache.Prefetch(by_subject(5), false);
  EXPECT_EQ(*cache.Find(by_subject(5), false), range_of(5));
}

// Many ranges looked up at once (a join's block of rows): each probe says where its
// quads are, in the order asked, repeats included: ranges of up to kCopyRange quads
// copied one after another, larger ones shared, empty ones kept but empty, and ranges
// not kept (another key, the union view) found nowhere. An empty cache finds none.
TEST(RangeCacheTest, ManyRangesLookedUpAtOnceComeBackInTheirOrder) {
  RangeCache cache(RangeCache::Limits{1 << 20, 1 << 20});
  auto by_subject = [](TermId s) { return QuadPattern{s, TermId{9}, std::nullopt, std::nullopt}; };
  auto range_of = [](TermId s) {  // s % 100 quads: empty, small, copied and shared ranges
    std::vector<Quad> quads;
    for (TermId i = 0; i < s % 100; ++i) quads.push_back(Quad{s, 9, 1000 + i, kDefaultGraph});
    return quads;
  };
  std::vector<RangeProbe> probes;
  for (TermId s : {TermId{1}, TermId{2}, TermId{99}, TermId{3}, TermId{1}}) probes.push_back({by_subject(s), false});
  std::vector<Quad> copied;
  std::vector<QuadRange> shared;
  std::vector<KeptRangeAt> found;
  cache.FindMany(probes, &copied, &shared, &found);
  ASSERT_EQ(found.size(), probes.size());
  for (const KeptRangeAt& at : found) EXPECT_FALSE(at.kept());

  constexpr TermId kRanges = 5000;
  for (TermId s = 1; s <= kRanges; s += 2) cache.Keep(by_subject(s), false, range_of(s));  // odd subjects only
  probes.clear();
  std::vector<TermId> asked;
  for (TermId s = kRanges + 2; s-- > 1;) {  // every subject, and one never kept
    asked.push_back(s);
    probes.push_back({by_subject(s), false});
    if (s % 7 == 0) {  // the same range twice, and its union view
      asked.push_back(s);
      probes.push_back({by_subject(s), false});
      asked.push_back(0);
      probes.push_back({by_subject(s), true});
    }
  }
  copied.push_back(Quad{});  // what was there before is cleared
  cache.FindMany(probes, &copied, &shared, &found);
  ASSERT_EQ(found.size(), probes.size());
  std::size_t copies = 0;
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const TermId s = asked[i];
    if (s == 0 || s % 2 == 0 || s > kRanges) {
      EXPECT_FALSE(found[i].kept()) << i;
      continue;
    }
    ASSERT_TRUE(found[i].kept()) << s;
    const std::vector<Quad> want = range_of(s);
    ASSERT_EQ(found[i].size, want.size()) << s;
    if (want.size() <= RangeCache::kCopyRange) {
      ASSERT_EQ(found[i].range, KeptRangeAt::kCopied) << s;
      EXPECT_EQ(found[i].begin, copies) << s;  // one after another
      EXPECT_EQ(std::vector<Quad>(copied.begin() + found[i].begin, copied.begin() + found[i].begin + found[i].size), want)
          << s;
      copies += want.size();
    } else {
      ASSERT_LT(found[i].range, shared.size()) << s;
      EXPECT_EQ(*shared[found[i].range], want) << s;
    }
  }
  EXPECT_EQ(copied.size(), copies);
}

// Through a snapshot: repeated, abandoned and union scans all give what the store
// holds, and a later snapshot sees a later load.
TEST_F(TempDbTest, SnapshotScansFromItsRangeCacheGiveTheStoresQuads) {
  const Term p = Term::Iri("http://e/p"), g = Term::Iri("http://e/g");
  auto load = [&](int from, int to) {
    auto loader = store_->NewLoader();
    ASSERT_TRUE(loader.ok());
    for (int i = from; i < to; ++i) {
      const Term s = Term::Iri("http://e/s" + std::to_string(i)), o = Term::Literal(std::to_string(i));
      ASSERT_OK((*loader)->Add(s, p, o));
      ASSERT_OK((*loader)->Add(s, p, o, &g));
    }
    ASSERT_OK((*loader)->Commit());
  };
  load(0, 50);
  const QuadPattern by_p{std::nullopt, *store_->LookupId(p), std::nullopt, std::nullopt};
  auto before = store_->GetSnapshot();
  {
    auto first = before->Scan(by_p);
    Quad q;
    ASSERT_TRUE(first->Next(&q));  // abandoned after one quad
  }
  EXPECT_EQ(Drain(*before->Scan(by_p)).size(), 100u);
  EXPECT_EQ(Drain(*before->Scan(by_p)).size(), 100u);  // replayed
  EXPECT_EQ(Drain(*before->ScanUnion(by_p)).size(), 50u);
  EXPECT_EQ(Drain(*before->ScanUnion(by_p)).size(), 50u);
  std::vector<Quad> direct;
  ASSERT_OK(DrainCursor(*store_->Scan(by_p), &direct));
  EXPECT_EQ(Drain(*before->Scan(by_p)), direct);  // in the index's order, too

  load(50, 60);
  EXPECT_EQ(Drain(*before->Scan(by_p)).size(), 100u);  // a snapshot never changes
  EXPECT_EQ(Drain(*store_->GetSnapshot()->Scan(by_p)).size(), 120u);
}

// The planner's estimate of a large range: near its size from the index's bytes, exact
// once the range was read, and none for a whole index.
TEST_F(TempDbTest, SnapshotEstimatesARangeFromItsBytes) {
  const Term p = Term::Iri("http://e/p"), hub = Term::Iri("http://e/hub"), other = Term::Iri("http://e/other");
  {
    auto loader = store_->NewLoader();
    ASSERT_TRUE(loader.ok());
    for (int i = 0; i < 60000; ++i) {
      const Term s = Term::Iri("http://e/s" + std::to_string(i));
      ASSERT_OK((*loader)->Add(s, p, i % 3 == 0 ? hub : other));
      ASSERT_OK((*loader)->Add(s, Term::Iri("http://e/q"), Term::Literal(std::to_string(i))));
    }
    ASSERT_OK((*loader)->Commit());
  }
  store_.reset();  // reopened, so that the quads are in table files, as after any load
  ASSERT_OK(QuadStore::Open(dir_, &store_));
  auto snapshot = store_->GetSnapshot();
  const QuadPattern to_hub{std::nullopt, *store_->LookupId(p), *store_->LookupId(hub), std::nullopt};
  const QuadPattern to_other{std::nullopt, *store_->LookupId(p), *store_->LookupId(other), std::nullopt};
  auto few = snapshot->EstimateMatches(to_hub, false), many = snapshot->EstimateMatches(to_other, false);
  ASSERT_TRUE(few && many);
  EXPECT_GT(*few, 20000u / 3) << *few;
  EXPECT_LT(*few, 20000u * 3) << *few;
  EXPECT_GT(*many, *few);
  EXPECT_EQ(snapshot->EstimateMatches(QuadPattern{}, false), std::nullopt);
  EXPECT_EQ(Drain(*snapshot->Scan(to_hub)).size(), 20000u);
  EXPECT_EQ(snapshot->EstimateMatches(to_hub, false), 20000u);
}

}  // namespace
}  // namespace parley::store
