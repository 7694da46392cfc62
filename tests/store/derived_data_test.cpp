#include "store/derived_data.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "store/quad_store.hpp"
#include "tests/test_util.hpp"

namespace parley::store {
namespace {

using parley::testing::TempDbTest;

using DerivedDataTest = TempDbTest;

std::string Tag(const QuadStore& store) {
  auto tag = store.GetSnapshot()->StateTag();
  EXPECT_TRUE(tag.ok()) << tag.status().ToString();
  return tag.ok() ? *tag : "";
}

Status AddOne(QuadStore& store, const std::string& subject) {
  auto loader = store.NewLoader();
  if (!loader.ok()) return loader.status();
  PARLEY_RETURN_IF_ERROR((*loader)->Add(Term::Iri("http://e/" + subject), Term::Iri("http://e/p"), Term::Literal("v")));
  return (*loader)->Commit();
}

TEST_F(DerivedDataTest, EveryCommitNamesANewState) {
  const std::string empty = Tag(*store_);
  EXPECT_EQ(Tag(*store_), empty);  // no write, same state
  ASSERT_OK(AddOne(*store_, "a"));
  const std::string one = Tag(*store_);
  EXPECT_NE(one, empty);
  Quad q{*store_->LookupId(Term::Iri("http://e/a")), *store_->LookupId(Term::Iri("http://e/p")),
         *store_->LookupId(Term::Literal("v")), kDefaultGraph};
  ASSERT_OK(store_->Remove(std::span<const Quad>(&q, 1)));
  EXPECT_NE(Tag(*store_), one);
  // The state survives reopening, read-only too.
  const std::string removed = Tag(*store_);
  store_.reset();
  ASSERT_OK(QuadStore::Open(dir_, StoreOptions{OpenMode::kReadOnly}, &store_));
  EXPECT_EQ(Tag(*store_), removed);
}

TEST_F(DerivedDataTest, TwoDatabasesNeverShareAState) {
  auto other_dir = parley::testing::UniqueTestDir("other");
  std::unique_ptr<QuadStore> other;
  ASSERT_OK(QuadStore::Open(other_dir, &other));
  ASSERT_OK(AddOne(*store_, "a"));
  ASSERT_OK(AddOne(*other, "a"));
  EXPECT_NE(Tag(*store_), Tag(*other));
  other.reset();
  std::filesystem::remove_all(other_dir);
}

TEST_F(DerivedDataTest, DataIsReadBackOnlyForItsState) {
  EXPECT_FALSE(ReadDerived(dir_, "names", "s1").has_value());
  const std::string data("bytes\n\0with a zero", 18);
  ASSERT_OK(WriteDerived(dir_, "names", "s1", data));
  EXPECT_EQ(ReadDerived(dir_, "names", "s1"), data);
  EXPECT_FALSE(ReadDerived(dir_, "names", "s2").has_value());
  EXPECT_FALSE(ReadDerived(dir_, "other", "s1").has_value());
  ASSERT_OK(WriteDerived(dir_, "names", "s2", "newer"));
  EXPECT_EQ(ReadDerived(dir_, "names", "s2"), "newer");
  EXPECT_FALSE(ReadDerived(dir_, "names", "s1").has_value());
  // The database still opens and reads with the file beside it.
  store_.reset();
  ASSERT_OK(QuadStore::Open(dir_, &store_));
}

TEST_F(DerivedDataTest, ADamagedFileIsNeverTrusted) {
  const std::string data(5000, 'x');
  ASSERT_OK(WriteDerived(dir_, "names", "s1", data));
  const auto path = dir_ / "derived" / "names";
  std::string whole;
  {
    std::ifstream in(path, std::ios::binary);
    whole.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Cut short anywhere, or one byte changed anywhere: never read back as it was written.
  for (std::size_t size : {std::size_t{0}, std::size_t{10}, whole.size() / 2, whole.size() - 1}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << whole.substr(0, size);
    EXPECT_FALSE(ReadDerived(dir_, "names", "s1").has_value()) << size;
  }
  for (std::size_t at : {std::size_t{3}, std::size_t{20}, whole.size() - 100}) {
    std::string damaged = whole;
    damaged[at] ^= 0x20;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
    EXPECT_FALSE(ReadDerived(dir_, "names", "s1").has_value()) << at;
  }
}

TEST_F(DerivedDataTest, AnUnwritableDirectoryIsAnError) {
  const auto blocked = dir_ / "blocked";
  std::ofstream(blocked) << "a file where a directory should be";
  EXPECT_FALSE(WriteDerived(blocked, "names", "s1", "data").ok());
}

}  // namespace
}  // namespace parley::store
