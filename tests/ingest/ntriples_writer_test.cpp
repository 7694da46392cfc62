#include "ingest/ntriples_writer.hpp"

#include <gtest/gtest.h>

#include "ingest/ntriples_reader.hpp"
#include "store/memory_quad_source.hpp"

namespace parley::ingest {
namespace {

std::string DumpToString(const MemoryQuadSource& source, DumpFormat format) {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&data, &size);
  Status s = Dump(source, source, format, out);
  std::fclose(out);
  std::string text(data, size);
  std::free(data);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return text;
}

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = source_.Intern(Term::Iri("http://e/s"));
    p_ = source_.Intern(Term::Iri("http://e/p"));
    o_ = source_.Intern(Term::Literal("line\nbreak \"quoted\" \\ tab\t", std::string(kXsdString)));
    g_ = source_.Intern(Term::Iri("http://e/g"));
    b_ = source_.Intern(Term::BlankNode("b7"));
    source_.Insert(Quad{s_, p_, o_, kDefaultGraph});
    source_.Insert(Quad{s_, p_, o_, g_});
    source_.Insert(Quad{b_, p_, s_, g_});
  }
  MemoryQuadSource source_;
  TermId s_, p_, o_, g_, b_;
};

TEST_F(WriterTest, NQuadsKeepsEveryGraph) {
  EXPECT_EQ(DumpToString(source_, DumpFormat::kNQuads),
            "<http://e/s> <http://e/p> \"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\" .\n"
            "<http://e/s> <http://e/p> \"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\" <http://e/g> .\n"
            "_:b7 <http://e/p> <http://e/s> <http://e/g> .\n");
}

TEST_F(WriterTest, NTriplesIsTheUnionWithEachTripleOnce) {
  EXPECT_EQ(DumpToString(source_, DumpFormat::kNTriples),
            "<http://e/s> <http://e/p> \"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\" .\n"
            "_:b7 <http://e/p> <http://e/s> .\n");
}

TEST_F(WriterTest, OutputReadsBackToTheSameTerms) {
  const std::string text = DumpToString(source_, DumpFormat::kNQuads);
  std::vector<std::string> objects;
  ASSERT_TRUE(ReadNTriplesText(text, RdfFormat::kNQuads, "dump", [&](const Statement& st) {
                objects.emplace_back(st.object.value);
                return Status::OK();
              }).ok());
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0], "line\nbreak \"quoted\" \\ tab\t");
}

}  // namespace
}  // namespace parley::ingest
