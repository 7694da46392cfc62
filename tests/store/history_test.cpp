// The history of commits: every past state rebuilt exactly (GetSnapshotAsOf), by
// generation and by time; compacting it; databases written before it was kept.
#include <cstdlib>
#include <set>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store/as_of.hpp"
#include "store/quad_store.hpp"
#include "tests/test_util.hpp"

namespace parley::store {
namespace {

using parley::testing::TempDbTest;

Term Iri(const std::string& local) { return Term::Iri("http://e/" + local); }

// What a view holds, spelled out, so that states compare whatever the ids.
std::set<std::string> Spelled(const QuadSource& source, const TermDictionary& terms) {
  std::vector<Quad> quads;
  EXPECT_OK(DrainCursor(*source.Scan({}), &quads));
  std::set<std::string> out;
  for (const Quad& q : quads) {
    std::string line = ToNTriples(*terms.LookupTerm(q.subject)) + " " + ToNTriples(*terms.LookupTerm(q.predicate)) +
                       " " + ToNTriples(*terms.LookupTerm(q.object));
    if (q.graph != kDefaultGraph) line += " " + ToNTriples(*terms.LookupTerm(q.graph));
    out.insert(line);
  }
  return out;
}

// Sets PARLEY_COMMIT_TIME for one scope.
struct CommitTime {
  explicit CommitTime(const char* moment) { ::setenv("PARLEY_COMMIT_TIME", moment, 1); }
  ~CommitTime() { ::unsetenv("PARLEY_COMMIT_TIME"); }
};

class HistoryTest : public TempDbTest {
 protected:
  // One transaction: removals of existing quads, then additions (a graph of `g`).
  void Commit(const std::vector<std::string>& add, const std::vector<std::string>& remove,
              LoadOptions::Method method = LoadOptions::Method::kAuto) {
    LoadOptions options;
    options.method = method;
    auto loader = store_->NewLoader(options);
    ASSERT_OK(loader.status());
    for (const std::string& name : remove) {
      auto s = store_->LookupId(Iri(name)), p = store_->LookupId(Iri("p")), g = store_->LookupId(Iri("g"));
      ASSERT_OK(s.status());
      ASSERT_OK((*loader)->Remove(Quad{*s, *p, *s, *g}));
    }
    for (const std::string& name : add) {
      const Term g = Iri("g");
      ASSERT_OK((*loader)->Add(Iri(name), Iri("p"), Iri(name), &g));
    }
    ASSERT_OK((*loader)->Commit());
    states_.push_back(Spelled(*store_, *store_));
  }

  std::set<std::string> At(const std::string& as_of) {
    auto parsed = ParseAsOf(as_of);
    EXPECT_OK(parsed.status());
    auto snapshot = store_->GetSnapshotAsOf(*parsed);
    EXPECT_OK(snapshot.status());
    if (!snapshot.ok()) return {};
    return Spelled(**snapshot, **snapshot);
  }

  std::vector<std::set<std::string>> states_ = {{}};  // after each generation; 0 is empty
};

TEST_F(HistoryTest, EveryGenerationIsRebuiltExactly) {
  Commit({"a", "b", "c"}, {});
  Commit({"d"}, {"a"});
  Commit({"a", "e"}, {"b", "d"});                            // a comes back
  Commit({"c", "f"}, {"c"});                                 // c removed and put back: no change
  Commit({"x1", "x2"}, {"e"}, LoadOptions::Method::kSstIngest);  // the SST path records history too
  Commit({}, {"a", "c", "f", "x1", "x2"});
  for (std::size_t g = 0; g < states_.size(); ++g) {
    SCOPED_TRACE("generation " + std::to_string(g));
    EXPECT_EQ(At(std::to_string(g)), states_[g]);
  }
  auto past = store_->GetSnapshotAsOf(*ParseAsOf("2"));
  ASSERT_OK(past.status());
  EXPECT_TRUE((*past)->past());
  EXPECT_EQ((*past)->generation(), 2u);
  // Statistics follow the past: generation 2 has three quads with p.
  auto stats = (*past)->Stats(*store_->LookupId(Iri("p")));
  ASSERT_OK(stats.status());
  EXPECT_EQ(stats->quads, 3u);
  auto present = store_->GetSnapshotAsOf(*ParseAsOf(std::to_string(states_.size() - 1)));
  ASSERT_OK(present.status());
  EXPECT_FALSE((*present)->past());
}

TEST_F(HistoryTest, AGenerationNotYetReachedIsAnError) {
  Commit({"a"}, {});
  auto future = store_->GetSnapshotAsOf(*ParseAsOf("2019"));
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.status().message().find("no generation 2019: the latest is 1"), std::string::npos);
  EXPECT_NE(future.status().message().find("2019-12-31"), std::string::npos);
}

TEST_F(HistoryTest, DatesNameTheLastCommitAtOrBeforeThem) {
  {
    CommitTime t("2019-02-10T09:00:00Z");
    Commit({"a"}, {});
  }
  {
    CommitTime t("2019-03-01T15:30:00Z");
    Commit({"b"}, {"a"});
  }
  {
    // A clock set back: the commit is logged at the previous commit's time.
    CommitTime t("2018-01-01");
    Commit({"c"}, {});
  }
  EXPECT_EQ(At("2019-02-09"), states_[0]);
  EXPECT_EQ(At("2019-02-10"), states_[1]);  // the end of that day
  EXPECT_EQ(At("2019-02"), states_[1]);
  EXPECT_EQ(At("2019-03-01T15:29:59Z"), states_[1]);
  EXPECT_EQ(At("2019-03-01T16:29:59+01:00"), states_[1]);
  EXPECT_EQ(At("2019-03-01T15:30"), states_[3]);
  EXPECT_EQ(At("2019-03-01"), states_[3]);
  auto log = store_->Log();
  ASSERT_OK(log.status());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ(FormatMoment((*log)[2].unix_ms), "2019-03-01T15:30:00Z");
}

TEST_F(HistoryTest, CompactingDropsTheOlderPastAndKeepsTheRest) {
  {
    CommitTime t("2019-01-01T00:00:00Z");
    Commit({"a", "b"}, {});
  }
  {
    CommitTime t("2019-02-01T00:00:00Z");
    Commit({"c"}, {"a"});
  }
  {
    CommitTime t("2019-03-01T00:00:00Z");
    Commit({"d"}, {"b"});
  }
  auto from = store_->CompactHistory(*ParseMoment("2019-02-15", MomentEdge::kStart));
  ASSERT_OK(from.status());
  EXPECT_EQ(*from, 2u);
  EXPECT_EQ(At("2"), states_[2]);
  EXPECT_EQ(At("3"), states_[3]);
  auto older = store_->GetSnapshotAsOf(*ParseAsOf("1"));
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.status().message().find("before generation 2 is not kept"), std::string::npos);
  EXPECT_EQ(store_->Log()->size(), 3u);  // the log keeps every line
  auto again = store_->CompactHistory(*ParseMoment("2019-01-15", MomentEdge::kStart));
  ASSERT_OK(again.status());
  EXPECT_EQ(*again, 2u);  // never moves back
}

TEST_F(HistoryTest, ADatabaseFromBeforeHistoryGetsItFromNowOn) {
  Commit({"a"}, {});
  Commit({"b"}, {});
  store_.reset();
  {
    // Make it a database of the release before history: no history family.
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir_.string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir_.string(), families, &handles, &db).ok());
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "history") ASSERT_TRUE(db->DropColumnFamily(handles[i]).ok());
    }
    for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    delete db;
  }
  {
    StoreOptions read_only;
    read_only.mode = OpenMode::kReadOnly;
    std::unique_ptr<QuadStore> old;
    ASSERT_OK(QuadStore::Open(dir_, read_only, &old));
    EXPECT_EQ(Spelled(*old, *old), states_[2]);
    EXPECT_FALSE(old->GetSnapshotAsOf(*ParseAsOf("1")).ok());
  }
  ASSERT_OK(QuadStore::Open(dir_, &store_));
  EXPECT_EQ(*store_->HistoryFrom(), 2u);
  Commit({"c"}, {"a"});
  EXPECT_EQ(At("2"), states_[2]);
  auto older = store_->GetSnapshotAsOf(*ParseAsOf("1"));
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.status().message().find("not kept"), std::string::npos);
  EXPECT_TRUE(store_->Check()->ok());
}

TEST(AsOfTest, ReadsGenerationsDatesAndDateTimes) {
  EXPECT_EQ(*ParseAsOf("12")->generation, 12u);
  EXPECT_EQ(*ParseMoment("1970-01-01", MomentEdge::kStart), 0);
  EXPECT_EQ(*ParseMoment("1970-01-01", MomentEdge::kEnd), 86'400'000 - 1);
  EXPECT_EQ(*ParseMoment("1970", MomentEdge::kEnd), 365LL * 86'400'000 - 1);
  EXPECT_EQ(*ParseMoment("2020-02", MomentEdge::kEnd) - *ParseMoment("2020-02", MomentEdge::kStart), 29LL * 86'400'000 - 1);
  EXPECT_EQ(*ParseMoment("1970-01-01T01:00:00+01:00", MomentEdge::kStart), 0);
  EXPECT_EQ(*ParseMoment("1970-01-01 00:00:01.5Z", MomentEdge::kStart), 1500);
  EXPECT_EQ(*ParseMoment("1970-01-01T00:01", MomentEdge::kEnd), 119'999);
  EXPECT_EQ(FormatMoment(*ParseMoment("2019-03-01T12:30:05Z", MomentEdge::kStart)), "2019-03-01T12:30:05Z");
  for (const char* bad : {"", "yesterday", "2019-13-01", "2019-02-29", "2019-03-01T25:00", "2019-03-01T12", "19-03-01",
                          "2019-03-01T12:00:00+5", "2019-03-01x"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseAsOf(bad).ok());
  }
  EXPECT_NE(ParseAsOf("2019-02-29").status().message().find("no such day"), std::string::npos);
}

}  // namespace
}  // namespace parley::store
