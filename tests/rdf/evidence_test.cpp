#include "rdf/evidence.hpp"

#include <gtest/gtest.h>

#include "rdf/vocabulary.hpp"
#include "store/memory_quad_source.hpp"

namespace parley::rdf {
namespace {

// One fact, in the graph of an evidence context that names its source, paragraph and
// quote, the way fact files store it.
struct EvidenceGraph {
  EvidenceGraph() {
    const TermId context = source.Intern(Term::Iri(std::string(kContextNs) + "c1"));
    const TermId doc = source.Intern(Term::Iri(EntityIri("op-ed")));
    fact = {Term::Iri(EntityIri("trump")), Term::Iri(Ont("met")), Term::Iri(EntityIri("kim"))};
    source.Insert(Quad{source.Intern(fact[0]), source.Intern(fact[1]), source.Intern(fact[2]), context});
    source.Insert(Quad{context, source.Intern(Term::Iri(Ont("source"))), doc, kDefaultGraph});
    source.Insert(Quad{context, source.Intern(Term::Iri(Ont("paragraph"))), source.Intern(Term::Literal("4")), kDefaultGraph});
    source.Insert(Quad{context, source.Intern(Term::Iri(Ont("quote"))), source.Intern(Term::Literal("We met.")), kDefaultGraph});
    source.Insert(Quad{doc, source.Intern(Term::Iri(Ont("title"))), source.Intern(Term::Literal("An op-ed")), kDefaultGraph});
  }
  MemoryQuadSource source;
  std::array<Term, 3> fact;
};

TEST(EvidenceTest, AFactLeadsToItsSourceParagraphAndQuote) {
  EvidenceGraph g;
  auto evidence = EvidenceFor(g.source, g.source, {g.fact, {g.fact[2], g.fact[1], g.fact[0]}});
  ASSERT_TRUE(evidence.ok()) << evidence.status().ToString();
  ASSERT_EQ(evidence->size(), 1u);  // the reversed fact is not stored and adds nothing
  EXPECT_EQ((*evidence)[0].source_id, "op-ed");
  EXPECT_EQ((*evidence)[0].source_title, "An op-ed");
  EXPECT_EQ((*evidence)[0].locator, "paragraph 4");
  EXPECT_EQ((*evidence)[0].quote, "We met.");
}

// A store whose scans fail partway (as a damaged or vanished database does): the
// error is the answer, not an empty list of evidence.
class FailingScans final : public QuadSource, public TermDictionary {
 public:
  explicit FailingScans(const MemoryQuadSource& inner) : inner_(inner) {}
  std::unique_ptr<QuadCursor> Scan(const QuadPattern&) const override { return std::make_unique<Broken>(); }
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern&) const override { return std::make_unique<Broken>(); }
  Result<PredicateStats> Stats(TermId predicate) const override { return inner_.Stats(predicate); }
  Result<TermId> LookupId(const Term& term) const override { return inner_.LookupId(term); }
  Result<Term> LookupTerm(TermId id) const override { return inner_.LookupTerm(id); }

 private:
  struct Broken final : QuadCursor {
    bool Next(Quad*) override { return false; }
    Status status() const override { return Status::IOError("the disk went away"); }
  };
  const MemoryQuadSource& inner_;
};

TEST(EvidenceTest, AFailedScanIsAnError) {
  EvidenceGraph g;
  FailingScans failing(g.source);
  auto evidence = EvidenceFor(failing, failing, {g.fact});
  ASSERT_FALSE(evidence.ok());
  EXPECT_NE(evidence.status().ToString().find("the disk went away"), std::string::npos);
}

}  // namespace
}  // namespace parley::rdf
