// Randomised model test: random inserts and removals go to the RocksDB store and to the
// in-memory model; after each round every bound/unbound pattern must scan the same.
#include <algorithm>
#include <optional>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "store/memory_quad_source.hpp"
#include "store/quad_store.hpp"
#include "tests/test_util.hpp"

namespace parley::store {
namespace {

std::vector<Quad> Sorted(QuadCursor& cursor) {
  std::vector<Quad> out;
  EXPECT_OK(DrainCursor(cursor, &out));
  std::sort(out.begin(), out.end());
  return out;
}

struct ModelParams {
  TermId first_term_id;
  std::uint32_t seed;
};
void PrintTo(const ModelParams& p, std::ostream* os) { *os << "first id " << p.first_term_id << ", seed " << p.seed; }

class ModelTest : public ::testing::TestWithParam<ModelParams> {
 protected:
  void SetUp() override {
    dir_ = parley::testing::UniqueTestDir("model");
    ASSERT_OK(QuadStore::Open(dir_, StoreOptions{OpenMode::kReadWrite, GetParam().first_term_id}, &store_));
    rng_.seed(GetParam().seed);
    for (int i = 0; i < 40; ++i) subjects_.push_back(Term::Iri("http://e/s" + std::to_string(i)));
    for (int i = 0; i < 6; ++i) subjects_.push_back(Term::BlankNode("n" + std::to_string(i)));
    for (int i = 0; i < 8; ++i) predicates_.push_back(Term::Iri("http://e/p" + std::to_string(i)));
    objects_ = subjects_;
    for (int i = 0; i < 50; ++i) objects_.push_back(Term::Literal("v" + std::to_string(i)));
    objects_.push_back(Term::LangLiteral("hello", "en"));
    objects_.push_back(Term::Literal("7", "http://www.w3.org/2001/XMLSchema#integer"));
    for (int i = 0; i < 5; ++i) graphs_.push_back(Term::Iri("http://e/g" + std::to_string(i)));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng_)];
  }

  TermId IdOf(const Term& term) {
    auto id = store_->LookupId(term);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  void InsertRound() {
    LoadOptions options;
    switch (rng_() % 3) {
      case 0: options.method = LoadOptions::Method::kWriteBatch; break;
      case 1: options.method = LoadOptions::Method::kSstIngest; break;
      default: options.method = LoadOptions::Method::kAuto; options.write_batch_limit = 20; options.run_quads = 37;
    }
    auto loader = store_->NewLoader(options);
    ASSERT_TRUE(loader.ok()) << loader.status().ToString();
    std::vector<std::array<Term, 4>> added;
    const int n = 1 + static_cast<int>(rng_() % 120);
    for (int i = 0; i < n; ++i) {
      std::array<Term, 4> q{Pick(subjects_), Pick(predicates_), Pick(objects_), Term{}};
      const bool in_default = rng_() % 3 == 0;
      if (!in_default) q[3] = Pick(graphs_);
      ASSERT_OK((*loader)->Add(q[0], q[1], q[2], in_default ? nullptr : &q[3]));
      if (in_default) q[3] = Term::BlankNode("");  // marker: the default graph
      added.push_back(q);
    }
    ASSERT_OK((*loader)->Commit());
    loader->reset();
    for (const auto& q : added) {
      const bool in_default = q[3].kind == TermKind::kBlankNode;
      model_.Insert(Quad{IdOf(q[0]), IdOf(q[1]), IdOf(q[2]), in_default ? kDefaultGraph : IdOf(q[3])});
    }
  }

  // One transaction that removes some quads and adds others, re-adding some removed ones.
  void MixedRound() {
    std::vector<Quad> all = Sorted(*model_.Scan(QuadPattern{}));
    auto loader = store_->NewLoader(LoadOptions{LoadOptions::Method::kAuto});
    ASSERT_TRUE(loader.ok());
    std::vector<Quad> removed, readded;
    for (const Quad& q : all) {
      if (rng_() % 3 != 0) continue;
      ASSERT_OK((*loader)->Remove(q));
      removed.push_back(q);
      if (rng_() % 2 == 0) {
        auto s = store_->LookupTerm(q.subject), p = store_->LookupTerm(q.predicate), o = store_->LookupTerm(q.object);
        std::optional<Term> g;
        if (q.graph != kDefaultGraph) g = *store_->LookupTerm(q.graph);
        ASSERT_OK((*loader)->Add(*s, *p, *o, g ? &*g : nullptr));
        readded.push_back(q);
      }
    }
    ASSERT_OK((*loader)->Commit());
    loader->reset();
    for (const Quad& q : removed) model_.Remove(q);
    for (const Quad& q : readded) model_.Insert(q);
  }

  // Adds quads whose subjects and objects are new terms, to both store and model.
  void FreshTermsRound(int round) {
    auto loader = store_->NewLoader();
    ASSERT_TRUE(loader.ok());
    std::vector<std::pair<Term, Term>> added;
    for (int i = 0; i < 10; ++i) {
      const std::string n = std::to_string(round) + "-" + std::to_string(i);
      added.emplace_back(Term::Iri("http://e/fresh" + n), Term::Literal("fresh " + n));
      ASSERT_OK((*loader)->Add(added.back().first, predicates_[0], added.back().second));
    }
    ASSERT_OK((*loader)->Commit());
    loader->reset();
    for (const auto& [s, o] : added) model_.Insert(Quad{IdOf(s), IdOf(predicates_[0]), IdOf(o), kDefaultGraph});
  }

  void RemoveRound() {
    std::vector<Quad> all = Sorted(*model_.Scan(QuadPattern{}));
    std::vector<Quad> doomed;
    for (const Quad& q : all) {
      if (rng_() % 4 == 0) doomed.push_back(q);
    }
    doomed.push_back(Quad{1, 2, 3, 4});  // absent: ignored
    ASSERT_OK(store_->Remove(doomed));
    for (const Quad& q : doomed) model_.Remove(q);
  }

  // All 16 bound/unbound combinations, bound to values taken from real quads (and one
  // absent id), plus the union view of the eight graph-free patterns.
  void VerifyAgainstModel(const QuadSource& source) {
    std::vector<Quad> all = Sorted(*model_.Scan(QuadPattern{}));
    std::vector<Quad> probes = all;
    std::shuffle(probes.begin(), probes.end(), rng_);
    probes.resize(std::min<std::size_t>(probes.size(), 6));
    probes.push_back(Quad{999'999, 999'998, 999'997, 999'996});
    for (const Quad& probe : probes) {
      for (int mask = 0; mask < 16; ++mask) {
        QuadPattern pattern;
        if (mask & 1) pattern.subject = probe.subject;
        if (mask & 2) pattern.predicate = probe.predicate;
        if (mask & 4) pattern.object = probe.object;
        if (mask & 8) pattern.graph = probe.graph;
        ASSERT_EQ(Sorted(*source.Scan(pattern)), Sorted(*model_.Scan(pattern))) << "mask " << mask;
        if (!pattern.graph) {
          ASSERT_EQ(Sorted(*source.ScanUnion(pattern)), Sorted(*model_.ScanUnion(pattern))) << "union mask " << mask;
        }
      }
    }
    for (const Term& p : predicates_) {
      auto id = store_->LookupId(p);
      if (!id.ok()) continue;
      auto got = source.Stats(*id);
      ASSERT_TRUE(got.ok());
      EXPECT_EQ(*got, *model_.Stats(*id)) << p.value;
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<QuadStore> store_;
  MemoryQuadSource model_;
  std::mt19937 rng_;
  std::vector<Term> subjects_, predicates_, objects_, graphs_;
};

TEST_P(ModelTest, RandomInsertsAndRemovesAgreeWithTheModel) {
  for (int round = 0; round < 40; ++round) {
    if (round % 5 == 4) {
      MixedRound();
    } else if (round % 3 == 2) {
      RemoveRound();
    } else {
      InsertRound();
    }
    VerifyAgainstModel(*store_);
    if (HasFatalFailure()) return;
  }
  auto report = store_->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();

  // A snapshot keeps its view while the store changes under it.
  auto snapshot = store_->GetSnapshot();
  std::vector<Quad> before = Sorted(*snapshot->Scan(QuadPattern{}));
  RemoveRound();
  InsertRound();
  EXPECT_EQ(Sorted(*snapshot->Scan(QuadPattern{})), before);
  snapshot.reset();

  // And everything survives a reopen.
  store_.reset();
  ASSERT_OK(QuadStore::Open(dir_, &store_));
  VerifyAgainstModel(*store_);
}

TEST_P(ModelTest, IdsEndingInFFScanCorrectly) {
  // Load until some quad uses an id whose last byte is 0xFF, whose prefix successor
  // must carry into the byte before it.
  auto has_ff = [](TermId id) { return (id & 0xFF) == 0xFF; };
  std::optional<Quad> witness;
  for (int round = 0; round < 60 && !witness; ++round) {
    InsertRound();
    FreshTermsRound(round);  // moves the id counter on, whatever the first id
    for (const Quad& q : Sorted(*model_.Scan(QuadPattern{}))) {
      if (has_ff(q.subject) || has_ff(q.predicate) || has_ff(q.object) || has_ff(q.graph)) witness = q;
    }
  }
  ASSERT_TRUE(witness.has_value());
  for (int mask = 0; mask < 16; ++mask) {
    QuadPattern pattern;
    if (mask & 1) pattern.subject = witness->subject;
    if (mask & 2) pattern.predicate = witness->predicate;
    if (mask & 4) pattern.object = witness->object;
    if (mask & 8) pattern.graph = witness->graph;
    EXPECT_EQ(Sorted(*store_->Scan(pattern)), Sorted(*model_.Scan(pattern))) << "mask " << mask;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ModelTest,
                         ::testing::Values(ModelParams{0xF0, 1}, ModelParams{0x1E0, 2},
                                           ModelParams{0x00FFFFFFFFFFFFA0, 3}, ModelParams{1, 4}),
                         [](const auto& info) { return "FirstId" + std::to_string(info.param.first_term_id); });

}  // namespace
}  // namespace parley::store
