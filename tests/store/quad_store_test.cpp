#include "store/quad_store.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store/key_codec.hpp"
#include "tests/test_util.hpp"

namespace parley::store {
namespace {

using parley::testing::TempDbTest;

std::vector<Quad> ScanAll(const QuadSource& source, QuadPattern pattern = {}) {
  std::vector<Quad> out;
  EXPECT_OK(DrainCursor(*source.Scan(pattern), &out));
  std::sort(out.begin(), out.end());
  return out;
}

// The store's quads spelled out as N-Quads-like strings, independent of id assignment.
std::set<std::string> Spelled(const QuadStore& store) {
  std::set<std::string> out;
  for (const Quad& q : ScanAll(store)) {
    std::string line = ToNTriples(*store.LookupTerm(q.subject)) + " " + ToNTriples(*store.LookupTerm(q.predicate)) +
                       " " + ToNTriples(*store.LookupTerm(q.object));
    if (q.graph != kDefaultGraph) line += " " + ToNTriples(*store.LookupTerm(q.graph));
    out.insert(line);
  }
  return out;
}

Status LoadSynthetic(QuadStore& store, int n, const LoadOptions& options, LoadSummary* summary = nullptr) {
  auto loader = store.NewLoader(options);
  if (!loader.ok()) return loader.status();
  for (int i = 0; i < n; ++i) {
    Term s = Term::Iri("http://e/s" + std::to_string(i % 97));
    Term p = Term::Iri("http://e/p" + std::to_string(i % 7));
    Term o = i % 3 == 0 ? Term::Literal("v" + std::to_string(i)) : Term::Iri("http://e/s" + std::to_string(i % 89));
    Term g = Term::Iri("http://e/g" + std::to_string(i % 4));
    PARLEY_RETURN_IF_ERROR((*loader)->Add(s, p, o, i % 5 == 0 ? nullptr : &g));
  }
  PARLEY_RETURN_IF_ERROR((*loader)->Commit());
  if (summary != nullptr) *summary = (*loader)->summary();
  return Status::OK();
}

// Opens the database with RocksDB directly, to damage it the way a bug or a disk would.
struct RawDb {
  explicit RawDb(const std::filesystem::path& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "spog", "posg", "ospg", "gspo", "term2id", "id2term", "history"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    status = rocksdb::DB::Open(rocksdb::DBOptions(), path.string(), families, &handles, &db);
  }
  ~RawDb() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  rocksdb::Status status;
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
};

TEST_F(TempDbTest, EmptyStoreHasNothing) {
  EXPECT_TRUE(ScanAll(*store_).empty());
  auto summary = store_->Summary();
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->quads, 0u);
  auto report = store_->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST_F(TempDbTest, WriteBatchSstAndSpilledRunsStoreTheSameQuads) {
  LoadSummary batch_summary;
  ASSERT_OK(LoadSynthetic(*store_, 3000, LoadOptions{LoadOptions::Method::kWriteBatch}, &batch_summary));
  EXPECT_FALSE(batch_summary.used_sst_ingest);
  const auto expected = Spelled(*store_);
  auto expected_stats = store_->AllStats();

  auto sst_dir = parley::testing::UniqueTestDir("sst");
  std::unique_ptr<QuadStore> sst;
  ASSERT_OK(QuadStore::Open(sst_dir, &sst));
  LoadSummary sst_summary;
  LoadOptions spilling{LoadOptions::Method::kAuto, 100, 256};
  ASSERT_OK(LoadSynthetic(*sst, 3000, spilling, &sst_summary));
  EXPECT_TRUE(sst_summary.used_sst_ingest);
  EXPECT_GE(sst_summary.runs_spilled, 10u);
  EXPECT_EQ(sst_summary.quads_new, batch_summary.quads_new);
  EXPECT_EQ(Spelled(*sst), expected);
  auto report = sst->Check();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  // Same statistics, predicate by predicate (ids match: both loads saw terms in the same order).
  EXPECT_EQ(*sst->AllStats(), *expected_stats);
  sst.reset();
  std::filesystem::remove_all(sst_dir);
}

// A dictionary larger than its memory moves to the scratch database and back without
// changing a single id: the same quads, terms and statistics as a load held in memory,
// into an empty database and into one that already has some of the terms.
TEST_F(TempDbTest, ASpilledDictionaryGivesTheSameIds) {
  auto spilled_dir = parley::testing::UniqueTestDir("spilled-terms");
  std::unique_ptr<QuadStore> spilled;
  ASSERT_OK(QuadStore::Open(spilled_dir, &spilled));
  LoadOptions small_dictionary;
  small_dictionary.term_bytes = 2000;  // a spill every few dozen terms
  for (int round = 0; round < 2; ++round) {
    const int n = round == 0 ? 3000 : 5000;  // the second load repeats and extends the first's terms
    ASSERT_OK(LoadSynthetic(*store_, n, LoadOptions{}));
    LoadSummary summary;
    ASSERT_OK(LoadSynthetic(*spilled, n, small_dictionary, &summary));
    EXPECT_GE(summary.term_spills, 3u);
    EXPECT_TRUE(summary.used_sst_ingest);
    EXPECT_EQ(Spelled(*spilled), Spelled(*store_));
    EXPECT_EQ(*spilled->AllStats(), *store_->AllStats());
    EXPECT_EQ(spilled->Summary()->terms, store_->Summary()->terms);
    auto report = spilled->Check();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
  }
  spilled.reset();
  std::filesystem::remove_all(spilled_dir);
}

TEST_F(TempDbTest, LoadingTwiceAddsNothing) {
  ASSERT_OK(LoadSynthetic(*store_, 500, LoadOptions{LoadOptions::Method::kSstIngest}));
  const auto first = ScanAll(*store_);
  LoadSummary again;
  ASSERT_OK(LoadSynthetic(*store_, 500, LoadOptions{LoadOptions::Method::kSstIngest}, &again));
  EXPECT_EQ(again.quads_new, 0u);
  EXPECT_EQ(again.terms_new, 0u);
  EXPECT_EQ(ScanAll(*store_), first);
  EXPECT_TRUE(store_->Check()->ok());
}

TEST_F(TempDbTest, UncommittedLoadLeavesNothing) {
  {
    auto loader = store_->NewLoader();
    ASSERT_TRUE(loader.ok());
    ASSERT_OK((*loader)->Add(Term::Iri("http://e/s"), Term::Iri("http://e/p"), Term::Literal("o")));
  }  // dropped without Commit, as when a later file fails to parse
  EXPECT_TRUE(ScanAll(*store_).empty());
  EXPECT_FALSE(store_->LookupId(Term::Iri("http://e/s")).ok());
  EXPECT_EQ(store_->Summary()->terms, 0u);
}

// A run that cannot be spilled or read back (here its directory goes away while the
// background thread writes it, as on a disk that fails) fails the commit, which writes
// nothing.
TEST_F(TempDbTest, ALostSpilledRunFailsTheCommitAndWritesNothing) {
  ASSERT_OK(LoadSynthetic(*store_, 10, LoadOptions{}));
  const auto before = Spelled(*store_);
  LoadOptions options;
  options.run_quads = 100;
  auto loader = store_->NewLoader(options);
  ASSERT_TRUE(loader.ok());
  for (int i = 0; i < 350; ++i) {
    ASSERT_OK((*loader)->Add(Term::Iri("http://e/x" + std::to_string(i)), Term::Iri("http://e/p"), Term::Literal("o")));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::error_code ec;  // the thread may add a file meanwhile; earlier runs are gone regardless
    if (entry.path().filename().string().rfind("load-tmp-", 0) == 0) std::filesystem::remove_all(entry.path(), ec);
  }
  const Status status = (*loader)->Commit();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("run"), std::string::npos) << status.message();
  loader->reset();
  EXPECT_EQ(Spelled(*store_), before);
}

// Loads each of `objects` as the object of one subject and predicate.
void LoadObjects(QuadStore& store, const std::vector<Term>& objects) {
  auto loader = store.NewLoader();
  ASSERT_TRUE(loader.ok());
  for (const auto& o : objects) ASSERT_OK((*loader)->Add(Term::Iri("http://e/s"), Term::Iri("http://e/p"), o));
  ASSERT_OK((*loader)->Commit());
}

// The dictionary finds string literals by prefix, plain and language-tagged alike.
TEST_F(TempDbTest, StringLiteralsByPrefix) {
  const std::vector<Term> objects = {Term::Literal("Moon Jae-in"), Term::LangLiteral("Moonlight", "en"),
                                     Term::LangLiteral("Moon", "ko"), Term::LangLiteral("Moo", "ko"),
                                     Term::Literal("Moon 7", "http://e/type"), Term::Iri("http://e/Moon"),
                                     Term::Literal("Mo"), Term::LangLiteral("Moonrise", "fr")};
  LoadObjects(*store_, objects);
  auto snapshot = store_->GetSnapshot();
  std::vector<TermId> ids;
  ASSERT_TRUE(snapshot->StringLiteralsWithPrefix("Moon", 10, &ids));
  std::set<std::string> found;
  for (TermId id : ids) found.insert(ToNTriples(*snapshot->LookupTerm(id)));
  EXPECT_EQ(found, (std::set<std::string>{"\"Moon Jae-in\"", "\"Moonlight\"@en", "\"Moon\"@ko", "\"Moonrise\"@fr"}));
  ids.clear();
  EXPECT_FALSE(snapshot->StringLiteralsWithPrefix("Mo", 3, &ids));  // six match: more than the limit
}

// The terms between two, in the dictionary's order: for dates, those whose text lies
// between, of that datatype only.
TEST_F(TempDbTest, ListsTheTermsBetweenTwo) {
  const std::string date = "http://www.w3.org/2001/XMLSchema#date";
  const std::vector<Term> objects = {Term::Literal("2005-02-28", date), Term::Literal("2005-03-01", date),
                                     Term::Literal("2005-03-31Z", date), Term::Literal("2005-04-01", date),
                                     Term::Literal("2005-03-15"), Term::Literal("2005-03-15T00:00:00", date + "Time")};
  LoadObjects(*store_, objects);
  auto snapshot = store_->GetSnapshot();
  std::vector<TermId> ids;
  ASSERT_TRUE(snapshot->TermsBetween(Term::Literal("2005-03", date), Term::Literal("2005-04", date), 10, &ids));
  std::set<std::string> found;
  for (TermId id : ids) found.insert(snapshot->LookupTerm(id)->value);
  EXPECT_EQ(found, (std::set<std::string>{"2005-03-01", "2005-03-31Z"}));
  ids.clear();
  EXPECT_FALSE(snapshot->TermsBetween(Term::Literal("2005", date), Term::Literal("2006", date), 3, &ids));  // four: over the limit
  // The first of them alone, with its id; none in a range that holds none.
  Term first;
  TermId id = 0;
  ASSERT_TRUE(snapshot->FirstTermBetween(Term::Literal("2005-03", date), Term::Literal("2005-04", date), &first, &id));
  EXPECT_EQ(first, Term::Literal("2005-03-01", date));
  EXPECT_EQ(*snapshot->LookupTerm(id), first);
  EXPECT_FALSE(snapshot->FirstTermBetween(Term::Literal("2006", date), Term::Literal("2007", date), &first, &id));
}

TEST_F(TempDbTest, PersistsAcrossReopen) {
  ASSERT_OK(LoadSynthetic(*store_, 1000, LoadOptions{}));
  const auto before = Spelled(*store_);
  store_.reset();
  ASSERT_OK(QuadStore::Open(dir_, &store_));
  EXPECT_EQ(Spelled(*store_), before);
  // New terms after reopen get fresh ids: nothing is overwritten.
  ASSERT_OK(LoadSynthetic(*store_, 10, LoadOptions{}));
  auto loader = store_->NewLoader();
  ASSERT_OK((*loader)->Add(Term::Iri("http://e/new"), Term::Iri("http://e/p0"), Term::Literal("x")));
  ASSERT_OK((*loader)->Commit());
  loader->reset();
  EXPECT_TRUE(store_->Check()->ok());
  EXPECT_EQ(Spelled(*store_).size(), before.size() + 1);
}

TEST_F(TempDbTest, BlankNodeLabelsAreNeverReused) {
  std::set<std::string> labels;
  for (int i = 0; i < 3; ++i) {
    auto loader = store_->NewLoader();
    for (int j = 0; j < 5; ++j) EXPECT_TRUE(labels.insert((*loader)->NewBlankNodeLabel()).second);
    ASSERT_OK((*loader)->Add(Term::BlankNode((*loader)->NewBlankNodeLabel()), Term::Iri("http://e/p"),
                             Term::Literal("x")));
    ASSERT_OK((*loader)->Commit());
    loader->reset();
    store_.reset();
    ASSERT_OK(QuadStore::Open(dir_, &store_));
  }
}

TEST_F(TempDbTest, ReadOnlyOpenReadsAndRefusesWrites) {
  ASSERT_OK(LoadSynthetic(*store_, 100, LoadOptions{}));
  const auto expected = Spelled(*store_);
  store_.reset();
  std::unique_ptr<QuadStore> reader;
  ASSERT_OK(QuadStore::Open(dir_, StoreOptions{OpenMode::kReadOnly}, &reader));
  EXPECT_EQ(Spelled(*reader), expected);
  EXPECT_FALSE(reader->NewLoader().ok());
  EXPECT_FALSE(reader->Remove(std::vector<Quad>{Quad{1, 2, 3, 0}}).ok());
}

TEST(QuadStoreOpenTest, ReadOnlyOpenOfAMissingDatabaseIsNotFound) {
  std::unique_ptr<QuadStore> store;
  Status s = QuadStore::Open(parley::testing::UniqueTestDir("missing"), StoreOptions{OpenMode::kReadOnly}, &store);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

TEST(QuadStoreOpenTest, RefusesADirectoryThatIsNotADatabase) {
  auto dir = parley::testing::UniqueTestDir("notdb");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "hello";
  std::unique_ptr<QuadStore> store;
  Status s = QuadStore::Open(dir, &store);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("not a Parley database"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_F(TempDbTest, OtherFormatVersionIsAClearError) {
  store_.reset();
  {
    RawDb raw(dir_);
    ASSERT_TRUE(raw.status.ok()) << raw.status.ToString();
    ASSERT_TRUE(raw.db->Put(rocksdb::WriteOptions(), raw.handles[0], "format_version", "99").ok());
  }
  Status s = QuadStore::Open(dir_, &store_);
  EXPECT_EQ(s.code(), Status::Code::kVersionMismatch);
  EXPECT_NE(s.message().find("format version 99"), std::string::npos) << s.message();
}

TEST_F(TempDbTest, CheckFindsAMissingIndexEntryAndStaleStatistics) {
  ASSERT_OK(LoadSynthetic(*store_, 200, LoadOptions{}));
  ASSERT_TRUE(store_->Check()->ok());
  store_.reset();
  {
    RawDb raw(dir_);
    ASSERT_TRUE(raw.status.ok());
    std::unique_ptr<rocksdb::Iterator> it(raw.db->NewIterator(rocksdb::ReadOptions(), raw.handles[2]));  // posg
    it->SeekToFirst();
    ASSERT_TRUE(it->Valid());
    ASSERT_TRUE(raw.db->Delete(rocksdb::WriteOptions(), raw.handles[2], it->key()).ok());
  }
  ASSERT_OK(QuadStore::Open(dir_, &store_));
  auto report = store_->Check();
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems.front().find("posg"), std::string::npos) << report->problems.front();
}

TEST_F(TempDbTest, RemoveKeepsStatisticsExact) {
  const Term s1 = Term::Iri("http://e/s1"), s2 = Term::Iri("http://e/s2"), p = Term::Iri("http://e/p");
  const Term o1 = Term::Literal("1"), o2 = Term::Literal("2"), g = Term::Iri("http://e/g");
  auto loader = store_->NewLoader();
  ASSERT_OK((*loader)->Add(s1, p, o1));
  ASSERT_OK((*loader)->Add(s1, p, o1, &g));  // same triple, second graph
  ASSERT_OK((*loader)->Add(s1, p, o2));
  ASSERT_OK((*loader)->Add(s2, p, o2));
  ASSERT_OK((*loader)->Commit());
  loader->reset();
  const TermId pid = *store_->LookupId(p);
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{4, 2, 2, 3}));  // s1 p o1 twice, one triple

  const Quad s2_p_o2{*store_->LookupId(s2), pid, *store_->LookupId(o2), kDefaultGraph};
  ASSERT_OK(store_->Remove(std::vector<Quad>{s2_p_o2}));
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{3, 1, 2, 2}));
  const Quad s1_p_o1{*store_->LookupId(s1), pid, *store_->LookupId(o1), kDefaultGraph};
  ASSERT_OK(store_->Remove(std::vector<Quad>{s1_p_o1}));
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{2, 1, 2, 2}));  // s1 p o1 still in graph g
  const Quad s1_p_o1_in_g{*store_->LookupId(s1), pid, *store_->LookupId(o1), *store_->LookupId(g)};
  ASSERT_OK(store_->Remove(std::vector<Quad>{s1_p_o1_in_g}));
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{1, 1, 1, 1}));
  // Put back in two graphs at once, in one write: one triple more.
  auto again = store_->NewLoader();
  ASSERT_OK((*again)->Add(s1, p, o1));
  ASSERT_OK((*again)->Add(s1, p, o1, &g));
  ASSERT_OK((*again)->Commit());
  again->reset();
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{3, 1, 2, 2}));
  EXPECT_TRUE(store_->Check()->ok());
}

// Snapshots share the store's decoded terms across writes: the second snapshot's term
// is the first's, at the same address, and terms a later load adds are found too, while
// an older snapshot still knows nothing of them.
TEST_F(TempDbTest, SnapshotsShareDecodedTermsAcrossWrites) {
  const Term s1 = Term::Iri("http://e/s1"), p = Term::Iri("http://e/p"), late = Term::Literal("late");
  auto loader = store_->NewLoader();
  ASSERT_OK((*loader)->Add(s1, p, Term::Literal("early")));
  ASSERT_OK(loader.value()->Commit());
  loader->reset();
  const TermId s1_id = *store_->LookupId(s1);
  auto before = store_->GetSnapshot();
  TermDictionary::PinnedTerms first;
  ASSERT_OK(before->PinTerms({s1_id}, &first));
  ASSERT_NE(first.terms[0], nullptr);
  auto more = store_->NewLoader();
  ASSERT_OK((*more)->Add(s1, p, late));
  ASSERT_OK(more.value()->Commit());
  more->reset();
  auto after = store_->GetSnapshot();
  TermDictionary::PinnedTerms second;
  const TermId late_id = *after->LookupId(late);
  ASSERT_OK(after->PinTerms({s1_id, late_id}, &second));
  EXPECT_EQ(second.terms[0], first.terms[0]) << "decoded once, for both snapshots";
  ASSERT_NE(second.terms[1], nullptr);
  EXPECT_EQ(*second.terms[1], late);
  EXPECT_FALSE(before->LookupId(late).ok()) << "the older snapshot has no id for the later term";
}

// A database written before triples were counted has statistics of three numbers: they
// read as triples unknown (0), pass the check, and stay unknown through later writes,
// while the other counts stay exact.
TEST_F(TempDbTest, StatisticsFromBeforeTriplesWereCountedReadAsUnknown) {
  const Term s1 = Term::Iri("http://e/s1"), p = Term::Iri("http://e/p"), g = Term::Iri("http://e/g");
  auto loader = store_->NewLoader();
  ASSERT_OK((*loader)->Add(s1, p, Term::Literal("1")));
  ASSERT_OK((*loader)->Add(s1, p, Term::Literal("1"), &g));
  ASSERT_OK(loader.value()->Commit());
  loader->reset();
  const TermId pid = *store_->LookupId(p);
  ASSERT_EQ(*store_->Stats(pid), (PredicateStats{2, 1, 1, 1}));
  store_.reset();
  {
    RawDb raw(dir_);
    ASSERT_TRUE(raw.status.ok()) << raw.status.ToString();
    const std::string key = "stats/" + EncodeIdString(pid);
    std::string now;
    ASSERT_TRUE(raw.db->Get(rocksdb::ReadOptions(), raw.handles[0], key, &now).ok());
    ASSERT_EQ(now.size(), 32u);
    // quads, subjects, objects: the old entry
    ASSERT_TRUE(raw.db->Put(rocksdb::WriteOptions(), raw.handles[0], key, now.substr(0, 24)).ok());
  }
  ASSERT_OK(QuadStore::Open(dir_, &store_));
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{2, 1, 1, 0}));
  EXPECT_TRUE(store_->Check()->ok());
  auto more = store_->NewLoader();
  ASSERT_OK((*more)->Add(s1, p, Term::Literal("2")));
  ASSERT_OK(more.value()->Commit());
  more->reset();
  EXPECT_EQ(*store_->Stats(pid), (PredicateStats{3, 1, 2, 0}));
  EXPECT_TRUE(store_->Check()->ok());
}

// A transaction that removes some quads, removes and adds back others, and adds new
// ones leaves the same quads and statistics whether it goes through a write batch or
// through SST files with tombstones.
TEST_F(TempDbTest, RemovalsThroughABatchOrSstFilesAgree) {
  auto run = [](QuadStore& store, LoadOptions::Method method) -> Status {
    PARLEY_RETURN_IF_ERROR(LoadSynthetic(store, 3000, LoadOptions{LoadOptions::Method::kWriteBatch}));
    auto loader = store.NewLoader(LoadOptions{method});
    if (!loader.ok()) return loader.status();
    std::vector<Quad> all;
    PARLEY_RETURN_IF_ERROR(DrainCursor(*store.Scan(QuadPattern{}), &all));
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (i % 3 != 0) PARLEY_RETURN_IF_ERROR((*loader)->Remove(all[i]));  // two in three go
    }
    for (std::size_t i = 0; i < all.size(); i += 5) {  // some of them come back at once
      const Quad& q = all[i];
      const Term s = *store.LookupTerm(q.subject), p = *store.LookupTerm(q.predicate), o = *store.LookupTerm(q.object);
      if (q.graph == kDefaultGraph) {
        PARLEY_RETURN_IF_ERROR((*loader)->Add(s, p, o));
      } else {
        const Term g = *store.LookupTerm(q.graph);
        PARLEY_RETURN_IF_ERROR((*loader)->Add(s, p, o, &g));
      }
    }
    for (int i = 0; i < 50; ++i) {
      const Term s = Term::Iri("http://e/new" + std::to_string(i)), p = Term::Iri("http://e/p1");
      PARLEY_RETURN_IF_ERROR((*loader)->Add(s, p, Term::Literal("n")));
    }
    PARLEY_RETURN_IF_ERROR((*loader)->Commit());
    EXPECT_EQ((*loader)->summary().used_sst_ingest, method == LoadOptions::Method::kSstIngest);
    return Status::OK();
  };
  ASSERT_OK(run(*store_, LoadOptions::Method::kWriteBatch));
  auto sst_dir = parley::testing::UniqueTestDir("sst");
  std::unique_ptr<QuadStore> sst;
  ASSERT_OK(QuadStore::Open(sst_dir, &sst));
  ASSERT_OK(run(*sst, LoadOptions::Method::kSstIngest));
  EXPECT_EQ(Spelled(*sst), Spelled(*store_));
  EXPECT_EQ(*sst->AllStats(), *store_->AllStats());
  for (QuadStore* s : {store_.get(), sst.get()}) {
    auto report = s->Check();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
  }
  // Removing everything through SST files leaves an empty store with no statistics.
  std::vector<Quad> all;
  ASSERT_OK(DrainCursor(*sst->Scan(QuadPattern{}), &all));
  auto loader = sst->NewLoader(LoadOptions{LoadOptions::Method::kSstIngest});
  for (const Quad& q : all) ASSERT_OK((*loader)->Remove(q));
  ASSERT_OK((*loader)->Commit());
  loader->reset();  // a loader must go before its store
  EXPECT_TRUE(ScanAll(*sst).empty());
  EXPECT_TRUE(sst->AllStats()->empty());
  EXPECT_TRUE(sst->Check()->ok());
  sst.reset();
  std::filesystem::remove_all(sst_dir);
}

// Someone else's RocksDB database is refused, and left as it was: no Parley families
// are added beside its data.
TEST(ForeignDatabaseTest, IsRefusedAndLeftAlone) {
  for (bool extra_family : {false, true}) {
    auto dir = parley::testing::UniqueTestDir(extra_family ? "foreign-cf" : "foreign-keys");
    {
      rocksdb::Options options;
      options.create_if_missing = true;
      rocksdb::DB* raw = nullptr;
      ASSERT_TRUE(rocksdb::DB::Open(options, dir.string(), &raw).ok());
      ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), "their-key", "their value").ok());
      if (extra_family) {
        rocksdb::ColumnFamilyHandle* handle = nullptr;
        ASSERT_TRUE(raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "their-family", &handle).ok());
        ASSERT_TRUE(raw->DestroyColumnFamilyHandle(handle).ok());
      }
      delete raw;
    }
    std::unique_ptr<QuadStore> store;
    Status s = QuadStore::Open(dir, &store);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.ToString().find("is not a Parley database"), std::string::npos) << s.ToString();
    std::vector<std::string> families;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &families).ok());
    EXPECT_EQ(families.size(), extra_family ? 2u : 1u);
    std::filesystem::remove_all(dir);
  }
}

// An init killed after RocksDB made some of the families: readers say so, and opening
// for writing (as init does) finishes the database.
TEST(ForeignDatabaseTest, AnInterruptedInitIsFinishedByTheNextWriter) {
  auto dir = parley::testing::UniqueTestDir("partial");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.string(), &raw).ok());
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    ASSERT_TRUE(raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "spog", &handle).ok());
    ASSERT_TRUE(raw->DestroyColumnFamilyHandle(handle).ok());
    delete raw;
  }
  std::unique_ptr<QuadStore> store;
  Status s = QuadStore::Open(dir, StoreOptions{OpenMode::kReadOnly}, &store);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("was never finished"), std::string::npos) << s.ToString();
  ASSERT_OK(QuadStore::Open(dir, &store));
  EXPECT_TRUE(store->Check()->ok());
  store.reset();
  ASSERT_OK(QuadStore::Open(dir, StoreOptions{OpenMode::kReadOnly}, &store));
  store.reset();
  std::filesystem::remove_all(dir);
}

TEST_F(TempDbTest, UnionViewCollapsesGraphs) {
  const Term s = Term::Iri("http://e/s"), p = Term::Iri("http://e/p"), o = Term::Literal("o");
  const Term g1 = Term::Iri("http://e/g1"), g2 = Term::Iri("http://e/g2");
  auto loader = store_->NewLoader();
  ASSERT_OK((*loader)->Add(s, p, o));
  ASSERT_OK((*loader)->Add(s, p, o, &g1));
  ASSERT_OK((*loader)->Add(s, p, o, &g2));
  ASSERT_OK((*loader)->Commit());
  loader->reset();
  EXPECT_EQ(ScanAll(*store_).size(), 3u);
  std::vector<Quad> triples;
  ASSERT_OK(DrainCursor(*store_->ScanUnion(QuadPattern{}), &triples));
  ASSERT_EQ(triples.size(), 1u);
  EXPECT_EQ(triples[0].graph, kDefaultGraph);
  // The default graph is a graph of its own.
  EXPECT_EQ(ScanAll(*store_, QuadPattern{{}, {}, {}, kDefaultGraph}).size(), 1u);
  EXPECT_EQ(store_->Summary()->graphs, 3u);
}



// A copy of a database taken while it is open, so that its last small load is still
// only in the write-ahead log. The database itself is removed once closed.
std::filesystem::path CopyWithLiveLog(const std::string& name) {
  auto dir = parley::testing::UniqueTestDir(name);
  parley::testing::RemovedAtEnd original(dir);
  auto copy = parley::testing::UniqueTestDir(name + "-copy");
  std::unique_ptr<QuadStore> store;
  EXPECT_OK(QuadStore::Open(dir, &store));
  EXPECT_OK(LoadSynthetic(*store, 50, LoadOptions{}));
  std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
  return copy;
}

std::filesystem::path TheLog(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log" && std::filesystem::file_size(entry.path()) > 0) return entry.path();
  }
  return {};
}

// A log whose last record is cut short (a crash or a full disk during a write) opens
// without that write, and says so.
TEST(DamagedLogTest, ACutShortLastWriteIsDroppedAndReported) {
  auto copy = CopyWithLiveLog("log-cut");
  parley::testing::RemovedAtEnd removed(copy);
  auto log = TheLog(copy);
  ASSERT_FALSE(log.empty());
  std::filesystem::resize_file(log, std::filesystem::file_size(log) - 5);
  std::unique_ptr<QuadStore> store;
  ASSERT_OK(QuadStore::Open(copy, &store));
  EXPECT_NE(store->recovery_note().find("cut short"), std::string::npos) << store->recovery_note();
  EXPECT_TRUE(Spelled(*store).empty());
  store.reset();
  ASSERT_OK(QuadStore::Open(copy, &store));  // recovered for good
  EXPECT_EQ(store->recovery_note(), "");
}

TEST(DamagedLogTest, AChangedByteInTheLogFailsTheOpen) {
  auto copy = CopyWithLiveLog("log-flip");
  parley::testing::RemovedAtEnd removed(copy);
  auto log = TheLog(copy);
  ASSERT_FALSE(log.empty());
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(log) / 2));
    f.put('\x5a');
  }
  for (auto mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    std::unique_ptr<QuadStore> store;
    Status s = QuadStore::Open(copy, StoreOptions{mode}, &store);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  }
}

// A closed database keeps nothing only in its log, so losing the log loses nothing.
TEST(DamagedLogTest, AClosedDatabaseDoesNotNeedItsLog) {
  auto dir = parley::testing::UniqueTestDir("log-gone");
  parley::testing::RemovedAtEnd removed(dir);
  std::set<std::string> before;
  {
    std::unique_ptr<QuadStore> store;
    ASSERT_OK(QuadStore::Open(dir, &store));
    ASSERT_OK(LoadSynthetic(*store, 50, LoadOptions{}));
    before = Spelled(*store);
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") std::filesystem::remove(entry.path());
  }
  std::unique_ptr<QuadStore> store;
  ASSERT_OK(QuadStore::Open(dir, &store));
  EXPECT_EQ(Spelled(*store), before);
}

TEST(DamagedDatabaseTest, MissingCurrentFileIsDamageNotANewDatabase) {
  auto dir = parley::testing::UniqueTestDir("no-current");
  parley::testing::RemovedAtEnd removed(dir);
  {
    std::unique_ptr<QuadStore> store;
    ASSERT_OK(QuadStore::Open(dir, &store));
    ASSERT_OK(LoadSynthetic(*store, 50, LoadOptions{}));
  }
  std::filesystem::remove(dir / "CURRENT");
  for (auto mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    std::unique_ptr<QuadStore> store;
    Status s = QuadStore::Open(dir, StoreOptions{mode}, &store);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
    EXPECT_NE(s.message().find("no CURRENT file"), std::string::npos) << s.ToString();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "CURRENT"));  // nothing was created over it
}

TEST(DamagedDatabaseTest, AFileIsNotADatabase) {
  auto dir = parley::testing::UniqueTestDir("plain-file");
  parley::testing::RemovedAtEnd removed(dir);
  std::filesystem::create_directories(dir.parent_path());
  std::ofstream(dir).close();  // 0 bytes
  for (auto mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    std::unique_ptr<QuadStore> store;
    Status s = QuadStore::Open(dir, StoreOptions{mode}, &store);
    EXPECT_NE(s.message().find("is a file, not a directory"), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(std::filesystem::file_size(dir), 0u);
}

// Two processes creating one database: the second is told the first holds it.
TEST(DamagedDatabaseTest, ADatabaseBeingCreatedElsewhereIsBusy) {
  auto dir = parley::testing::UniqueTestDir("create-race");
  parley::testing::RemovedAtEnd removed(dir);
  std::filesystem::create_directories(dir);
  int ready[2];
  int done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // holds LOCK the way RocksDB does while it creates the database
    const int fd = ::open((dir / "LOCK").c_str(), O_RDWR | O_CREAT, 0644);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    ::fcntl(fd, F_SETLK, &lock);
    char c = 1;
    (void)!::write(ready[1], &c, 1);
    (void)!::read(done[0], &c, 1);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  std::unique_ptr<QuadStore> store;
  Status s = QuadStore::Open(dir, &store);
  EXPECT_EQ(s.code(), Status::Code::kBusy) << s.ToString();
  EXPECT_NE(s.message().find("locked"), std::string::npos) << s.ToString();
  (void)!::write(done[1], &c, 1);
  ::waitpid(child, nullptr, 0);
  // Once the other process is gone, the half-made database is simply created.
  ASSERT_OK(QuadStore::Open(dir, &store));
}

}  // namespace
}  // namespace parley::store
