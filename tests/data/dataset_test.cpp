// The default dataset (data/): what the op-ed and the public record state, checked
// fact by fact on a store loaded the way `parley init` loads it.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "ingest/facts/fact_loader.hpp"
#include "ingest/rdf_loader.hpp"
#include "rdf/vocabulary.hpp"
#include "tests/test_util.hpp"

namespace parley {
namespace {

using rdf::EntityIri;
using rdf::Ont;
using Set = std::set<std::string>;

class DatasetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("parley-dataset-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_OK(store::QuadStore::Open(dir_, &store_));
    const std::filesystem::path data = PARLEY_SOURCE_DIR "/data";
    std::vector<std::string> files = {(data / "ontology.ttl").string()};
    for (const auto& entry : std::filesystem::directory_iterator(data / "facts")) files.push_back(entry.path().string());
    ingest::RdfLoadOptions options;
    options.graph = std::string(rdf::kOntologyGraph);
    auto report = ingest::LoadRdfFiles(*store_, files, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  static void TearDownTestSuite() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static TermId Id(const Term& term) {
    auto id = store_->LookupId(term);
    EXPECT_TRUE(id.ok()) << ToNTriples(term);
    return id.ok() ? *id : 0;
  }
  // An entity's id, or a literal's value.
  static std::string Name(TermId id) {
    auto term = *store_->LookupTerm(id);
    if (term.kind == TermKind::kIri) {
      auto entity = rdf::EntityId(term.value);
      return entity.empty() ? term.value : std::string(entity);
    }
    return term.value;
  }
  static std::vector<Quad> Scan(const QuadPattern& pattern) {
    std::vector<Quad> out;
    EXPECT_OK(DrainCursor(*store_->ScanUnion(pattern), &out));
    return out;
  }
  // Objects of (entity, property), over all graphs.
  static Set Objects(const std::string& entity, const std::string& property) {
    Set out;
    for (const Quad& q : Scan(QuadPattern{Id(Term::Iri(EntityIri(entity))), Id(Term::Iri(Ont(property))), {}, {}})) {
      out.insert(Name(q.object));
    }
    return out;
  }
  static Set Subjects(const std::string& property, const std::string& entity) {
    Set out;
    for (const Quad& q : Scan(QuadPattern{{}, Id(Term::Iri(Ont(property))), Id(Term::Iri(EntityIri(entity))), {}})) {
      out.insert(Name(q.subject));
    }
    return out;
  }
  // "source locator" for each evidence context holding the fact.
  static Set Evidence(const std::string& s, const std::string& p, const Term& o) {
    Set out;
    const TermId source_p = Id(Term::Iri(Ont("source"))), provenance = Id(Term::Iri(std::string(rdf::kProvenanceGraph)));
    std::vector<Quad> quads;
    EXPECT_OK(DrainCursor(*store_->Scan(QuadPattern{Id(Term::Iri(EntityIri(s))), Id(Term::Iri(Ont(p))), Id(o), {}}), &quads));
    for (const Quad& q : quads) {
      std::string where;
      std::vector<Quad> about;
      EXPECT_OK(DrainCursor(*store_->Scan(QuadPattern{q.graph, {}, {}, provenance}), &about));
      for (const Quad& a : about) {
        const std::string predicate = store_->LookupTerm(a.predicate)->value;
        if (a.predicate == source_p) where = Name(a.object) + where;
        for (const char* locator : {"paragraph", "section", "page"}) {
          if (predicate == Ont(locator)) where += std::string(" ") + locator + " " + Name(a.object);
        }
      }
      out.insert(where);
    }
    return out;
  }
  static bool Contains(const Set& set, const Set& subset) {
    return std::includes(set.begin(), set.end(), subset.begin(), subset.end());
  }

  static std::filesystem::path dir_;
  static std::unique_ptr<store::QuadStore> store_;
};

std::filesystem::path DatasetTest::dir_;
std::unique_ptr<store::QuadStore> DatasetTest::store_;

TEST_F(DatasetTest, ParticipantsOfEachMeeting) {
  EXPECT_EQ(Objects("hanoi-summit", "participant"), (Set{"donald-trump", "kim-jong-un"}));
  EXPECT_EQ(Objects("singapore-summit", "participant"), (Set{"donald-trump", "kim-jong-un"}));
  EXPECT_EQ(Objects("six-party-talks", "participant"),
            (Set{"dprk", "south-korea", "united-states", "china", "japan", "russia"}));
  EXPECT_EQ(Objects("north-south-dialogue", "participant"), (Set{"dprk", "south-korea"}));
  EXPECT_EQ(Objects("pompeo-visits-to-pyongyang", "participant"), (Set{"mike-pompeo"}));
  EXPECT_TRUE(Contains(Objects("biegun-working-level-talks", "participant"), {"stephen-biegun", "dprk"}));
  EXPECT_EQ(Objects("pyongyang-summit-2018", "participant"), (Set{"moon-jae-in", "kim-jong-un"}));
  // Who met Kim Jong Un: everyone sharing a meeting with him.
  Set met;
  for (const auto& meeting : Subjects("participant", "kim-jong-un")) {
    for (const auto& actor : Objects(meeting, "participant")) met.insert(actor);
  }
  met.erase("kim-jong-un");
  EXPECT_TRUE(Contains(met, {"donald-trump", "moon-jae-in", "mike-pompeo"}));
}

TEST_F(DatasetTest, ProposalsTheirProposersTopicsAndStates) {
  EXPECT_EQ(Subjects("proposedBy", "nicholas-mele"),
            (Set{"mele-diplomatic-relations", "mele-peace-treaty-negotiations", "mele-sanctions-relief",
                 "mele-five-party-negotiations", "mele-five-party-peace-treaty", "mele-working-level-over-summitry",
                 "mele-multilateral-disarmament-talks"}));
  // The op-ed's steps that address the DPRK's need for sovereignty assurances.
  EXPECT_TRUE(Contains(Subjects("addresses", "sovereignty-assurances"),
                       {"mele-diplomatic-relations", "mele-peace-treaty-negotiations", "mele-sanctions-relief"}));
  EXPECT_EQ(Subjects("involves", "china"),
            (Set{"mele-five-party-negotiations", "mele-five-party-peace-treaty", "dprk-six-party-talks-suggestion"}));
  EXPECT_EQ(Objects("dprk-six-party-talks-suggestion", "proposedBy"), (Set{"dprk"}));
  EXPECT_EQ(Objects("trump-all-or-nothing-deal", "proposedBy"), (Set{"donald-trump"}));
  EXPECT_EQ(Objects("congress-peace-treaty-call", "proposedBy"), (Set{"us-congress"}));
  // Who proposed sanctions relief.
  Set proposers;
  for (const auto& proposal : Subjects("addresses", "sanctions-relief")) {
    for (const auto& actor : Objects(proposal, "proposedBy")) proposers.insert(actor);
  }
  EXPECT_TRUE(Contains(proposers, {"nicholas-mele", "dprk"}));
}

TEST_F(DatasetTest, ClaimsTheirAuthorsAndHowTheyRelate) {
  for (const auto& claim : Subjects("claimedBy", "nicholas-mele")) {
    EXPECT_EQ(claim.rfind("mele-", 0), 0u) << claim;
  }
  EXPECT_EQ(Subjects("claimedBy", "nicholas-mele").size(), 14u);
  EXPECT_TRUE(Contains(Subjects("about", "hanoi-summit"),
                       {"mele-failure-not-surprising", "mele-north-korean-account-more-accurate",
                        "mele-domestic-pressure-cut-talks-short", "mele-india-pakistan-lowered-priority",
                        "mele-summits-unprepared", "mele-both-sides-want-talks"}));
  // The two accounts of Hanoi: separate claims, by separate actors, that contradict.
  EXPECT_EQ(Objects("us-hanoi-account", "claimedBy"), (Set{"donald-trump"}));
  EXPECT_TRUE(Contains(Objects("dprk-hanoi-account", "claimedBy"), {"ri-yong-ho"}));
  EXPECT_EQ(Objects("dprk-hanoi-account", "contradicts"), (Set{"us-hanoi-account"}));
  EXPECT_EQ(Subjects("contradicts", "us-hanoi-account"), (Set{"dprk-hanoi-account"}));
  // The op-ed's view of them supports the North Korean account.
  EXPECT_EQ(Objects("mele-north-korean-account-more-accurate", "supports"), (Set{"dprk-hanoi-account"}));
}

TEST_F(DatasetTest, NamesPeopleUse) {
  EXPECT_TRUE(Contains(Objects("kim-jong-un", "alias"), {"Chairman Kim", "Premier Kim"}));
  EXPECT_TRUE(Contains(Objects("hanoi-summit", "alias"), {"second summit"}));
  EXPECT_TRUE(Contains(Objects("dprk", "alias"), {"DPRK", "Pyongyang"}));
  EXPECT_TRUE(Contains(Objects("us-hanoi-account", "alias"), {"Trump's account"}));
  Set labels;
  for (const Quad& q : Scan(QuadPattern{Id(Term::Iri(EntityIri("dprk"))), Id(Term::Iri(rdf::Rdfs("label"))), {}, {}})) {
    labels.insert(Name(q.object));
  }
  EXPECT_EQ(labels, (Set{"North Korea"}));
}

TEST_F(DatasetTest, DatesPlacesAndOutcomes) {
  EXPECT_EQ(Objects("singapore-summit", "date"), (Set{"2018-06-12"}));
  EXPECT_EQ(Objects("hanoi-summit", "startDate"), (Set{"2019-02-27"}));
  EXPECT_EQ(Objects("hanoi-summit", "endDate"), (Set{"2019-02-28"}));
  EXPECT_EQ(Objects("hanoi-summit", "location"), (Set{"hanoi"}));
  EXPECT_TRUE(Contains(Objects("hanoi-summit", "outcome"), {"No agreement was reached"}));
  EXPECT_EQ(Objects("korean-war-armistice", "date"), (Set{"1953-07-27"}));
  auto date = store_->LookupTerm(Scan(QuadPattern{Id(Term::Iri(EntityIri("singapore-summit"))),
                                                  Id(Term::Iri(Ont("date"))), {}, {}})[0].object);
  EXPECT_EQ(date->datatype, rdf::Xsd("date"));
  // Everything that led up to Hanoi, following precededBy.
  Set before, frontier = {"hanoi-summit"};
  while (!frontier.empty()) {
    Set next;
    for (const auto& m : frontier) {
      for (const auto& p : Objects(m, "precededBy")) {
        if (before.insert(p).second) next.insert(p);
      }
    }
    frontier = next;
  }
  EXPECT_TRUE(Contains(before, {"singapore-summit", "biegun-working-level-talks", "pompeo-visit-2018-04",
                                "pompeo-visit-2018-10"}));
}

TEST_F(DatasetTest, EveryFactCitesItsParagraph) {
  EXPECT_EQ(Evidence("mele-sanctions-relief", "addresses", Term::Iri(EntityIri("sovereignty-assurances"))),
            (Set{"mele-2019-hanoi-summit paragraph 3"}));
  EXPECT_EQ(Evidence("dprk-hanoi-account", "contradicts", Term::Iri(EntityIri("us-hanoi-account"))),
            (Set{"ri-yong-ho-press-conference-2019 section press conference"}));
  // The same fact from two sources is kept twice, and both are citable.
  EXPECT_EQ(Evidence("hanoi-summit", "participant", Term::Iri(EntityIri("donald-trump"))),
            (Set{"mele-2019-hanoi-summit paragraph 1", "hanoi-summit-record-2019 section summit"}));
  // All six paragraphs of the op-ed support facts.
  const TermId paragraph = Id(Term::Iri(Ont("paragraph")));
  Set paragraphs;
  for (const Quad& q : Scan(QuadPattern{{}, paragraph, {}, {}})) paragraphs.insert(Name(q.object));
  EXPECT_EQ(paragraphs, (Set{"1", "2", "3", "4", "5", "6"}));
}

TEST_F(DatasetTest, SourcesAndWhatTheyMention) {
  auto sources = ingest::facts::ListSources(*store_, *store_);
  ASSERT_TRUE(sources.ok());
  EXPECT_EQ(sources->size(), 13u);
  EXPECT_EQ(Subjects("mentions", "stephen-biegun"), (Set{"mele-2019-hanoi-summit", "biegun-pyongyang-talks-2019"}));
  EXPECT_EQ(Objects("mele-2019-hanoi-summit", "author"), (Set{"nicholas-mele"}));
  auto check = store_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok());
}

}  // namespace
}  // namespace parley
