// Questions in plain English on the default dataset: every sample question, three or
// more paraphrases of each (other verbs, voice, word order, aliases), the messages for
// what cannot be answered, and the SPARQL each question compiles to.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "ingest/rdf_loader.hpp"
#include "rdf/vocabulary.hpp"
#include "query/engine.hpp"
#include "query/english/ask.hpp"
#include "query/english/forms.hpp"
#include "query/english/source_qualifier.hpp"
#include "tests/test_util.hpp"

namespace parley::query::english {
namespace {

using Set = std::set<std::string>;

class EnglishTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("parley-english-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_OK(store::QuadStore::Open(dir_, &store_));
    LoadDataset({});
  }
  static void LoadDataset(std::vector<std::string> extra) {
    const std::filesystem::path data = PARLEY_SOURCE_DIR "/data";
    std::vector<std::string> files = {(data / "ontology.ttl").string()};
    for (const auto& entry : std::filesystem::directory_iterator(data / "facts")) files.push_back(entry.path().string());
    files.insert(files.end(), extra.begin(), extra.end());
    ingest::RdfLoadOptions options;
    options.graph = std::string(rdf::kOntologyGraph);
    options.replace_graph = true;
    auto report = ingest::LoadRdfFiles(*store_, files, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  static void TearDownTestSuite() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static AskResult Ask(const std::string& question, bool why = false) {
    auto snapshot = store_->GetSnapshot();
    auto lexicon = Lexicon::Load(*snapshot, *snapshot);
    EXPECT_TRUE(lexicon.ok()) << lexicon.status().ToString();
    auto r = AskQuestion(question, *lexicon, *snapshot, *snapshot, why);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : AskResult{};
  }
  static Set Answers(const std::string& question) {
    AskResult r = Ask(question);
    EXPECT_TRUE(r.understood) << question << "\n" << r.message;
    Set out;
    for (const auto& a : r.answers) out.insert(a.values[0]);
    return out;
  }

  static std::filesystem::path dir_;
  static std::unique_ptr<store::QuadStore> store_;
};
std::filesystem::path EnglishTest::dir_;
std::unique_ptr<store::QuadStore> EnglishTest::store_;

struct Case {
  std::string question;
  std::vector<std::string> paraphrases;
  Set expected;
};

const Set kSovereigntyProposals = {"Establish diplomatic relations with North Korea", "Establish new U.S.-DPRK relations",
                                   "Offer some sanctions relief to the people of North Korea",
                                   "Open negotiations to replace the armistice with a peace treaty"};
const Set kHanoiOutcomes = {"Both sides wish to continue talking", "No agreement was reached",
                            "The planned signing ceremony was cancelled", "The summit ended early without an agreement",
                            "The talks were cut short"};
const Set kChinaProposals = {"A peace treaty negotiation among the two Koreas, the U.S., China and Russia",
                             "Negotiations among the two Koreas, the U.S., China and Russia",
                             "Six-party talks with South Korea, Japan, China, Russia and the U.S."};
const Set kMeleOnHanoi = {
    "Neither the Singapore nor the Hanoi summit had the careful preparation summits normally need",
    "No breakthrough came in Hanoi, but both sides wish to keep talking despite differing explanations",
    "That no agreement was reached in Hanoi is disappointing but not surprising",
    "The India-Pakistan escalation may have pushed North Korea's nuclear programme down the Administration's priorities",
    "The North Korean account of why the Hanoi talks broke down is the more accurate one",
    "The domestic situation may have prompted Trump to cut short the Hanoi talks",
    "There was and remains a way forward for negotiations",
    "Trump's insistence on an all-or-nothing deal ignored North Korea's need for sovereignty assurances"};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"which proposals addressed sovereignty assurances",
       {"Which proposals dealt with sovereignty assurances?", "what proposals concern assurances of sovereignty",
        "which proposals tackled the sovereignty assurances", "What offers addressed respect for North Korea's sovereignty?"},
       kSovereigntyProposals},
      {"who met Kim Jong Un",
       {"who met with Chairman Kim", "which people met Premier Kim", "Who talked with Kim Jong-un?"},
       {"Donald Trump", "Mike Pompeo", "Moon Jae-in"}},
      {"what did Nicholas Mele claim about the Hanoi summit",
       {"What did Mele claim about the second summit?", "what did Nicholas Mele say about the Hanoi meeting",
        "which claims did Nicholas Mele make about the Hanoi summit"},
       kMeleOnHanoi},
      {"which claims contradict Trump's account",
       {"Which claims dispute Trump's account?", "what claims contradicted the US account",
        "which accounts conflict with the American account"},
       {"North Korea asked only for partial sanctions relief, in exchange for dismantling its nuclear-material "
        "production at Yongbyon, and offered a written pledge to halt nuclear and missile tests"}},
      {"when did the Singapore summit take place",
       {"When did the first summit take place?", "when was the Singapore summit held", "when did the Singapore meeting happen"},
       {"2018-06-12"}},
      {"how many meetings preceded the Hanoi summit",
       {"How many meetings came before the Hanoi summit?", "how many meetings led up to the second summit",
        "how many meetings preceded the second Trump-Kim summit"},
       {"6"}},
      {"who proposed sanctions relief",
       {"Who suggested sanctions relief?", "who called for sanctions relief", "which actors proposed lifting sanctions"},
       {"Donald Trump", "Kim Jong Un", "Nicholas Mele", "North Korea"}},
      {"which sources mention Stephen Biegun",
       {"Which sources cite Stephen Biegun?", "which documents mention Biegun", "what sources refer to Special Envoy Biegun"},
       {"Nicholas Mele: some context on why the second Trump-Kim summit broke down",
        "Public record: Stephen Biegun's working-level talks in Pyongyang, 6-8 February 2019"}},
      {"which proposals involve China",
       {"Which proposals would involve China?", "which proposals involved the PRC",
        "what proposals include the People's Republic of China"},
       kChinaProposals},
      {"what is the outcome of the Hanoi summit",
       {"What was the outcome of the Hanoi summit?", "what is the result of the second summit",
        "what were the outcomes of the Hanoi talks"},
       kHanoiOutcomes},
  };
  return cases;
}

TEST_F(EnglishTest, EverySampleQuestionIsAnswered) {
  // The sample file and this table must stay in step.
  std::set<std::string> sample;
  std::ifstream file(std::string(PARLEY_SOURCE_DIR) + "/../shared/questions/sample.txt");
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line[0] != '#') sample.insert(line);
  }
  for (const auto& c : Cases()) {
    EXPECT_EQ(Answers(c.question), c.expected) << c.question;
    sample.erase(c.question);
  }
  EXPECT_TRUE(sample.empty()) << "sample questions without a test: " << *sample.begin();
}

TEST_F(EnglishTest, ParaphrasesGiveTheSameAnswers) {
  for (const auto& c : Cases()) {
    EXPECT_GE(c.paraphrases.size(), 3u) << c.question;
    for (const auto& p : c.paraphrases) EXPECT_EQ(Answers(p), c.expected) << p;
  }
}

TEST_F(EnglishTest, WhereAndWhen) {
  // The place, and the places that contain it.
  EXPECT_EQ(Answers("where did the Hanoi summit take place"), (Set{"Hanoi, Vietnam"}));
  EXPECT_EQ(Answers("Where was the Singapore summit?"), (Set{"Sentosa Island, Singapore"}));
  EXPECT_EQ(Answers("when did the Hanoi summit begin"), (Set{"2019-02-27"}));
}

TEST_F(EnglishTest, ClassByName) {
  EXPECT_EQ(Answers("which claims by Nicholas Mele are about the Hanoi summit"), kMeleOnHanoi);
  EXPECT_EQ(Answers("which proposals by China"), Set{});
  EXPECT_EQ(Answers("which proposals by the DPRK involve China"),
            (Set{"Six-party talks with South Korea, Japan, China, Russia and the U.S."}));
}

// What people type at a prompt: bare noun phrases and possessives read as questions.
TEST_F(EnglishTest, NounPhrasesAndPossessives) {
  const Set mele_claims = Answers("which claims were made by Nicholas Mele");
  ASSERT_GT(mele_claims.size(), 5u);
  EXPECT_EQ(Answers("claims by Mele"), mele_claims);
  EXPECT_EQ(Answers("Mele's claims"), mele_claims);
  EXPECT_EQ(Answers("Nicholas Mele's claims about the Hanoi summit"), kMeleOnHanoi);
  EXPECT_EQ(Answers("the DPRK's proposals"), Answers("which proposals by the DPRK"));
  EXPECT_EQ(Answers("summits"), Answers("which summits"));
  // A name that itself ends in 's (an alias) is still the name.
  EXPECT_EQ(Answers("who made Trump's account"), Set{"Donald Trump"});
  AskResult r = Ask("Mele's zorbles");
  EXPECT_FALSE(r.understood);
  EXPECT_NE(r.message.find("zorbles"), std::string::npos) << r.message;  // the message is about the original words
}

TEST_F(EnglishTest, PassiveVoice) {
  EXPECT_EQ(Answers("which topics were addressed by the all-or-nothing deal"),
            (Set{"denuclearization", "sanctions relief"}));
  EXPECT_EQ(Answers("which proposals were proposed by China"), Set{});
  EXPECT_EQ(Answers("which proposals were suggested by the DPRK").count("Six-party talks with South Korea, Japan, China, Russia and the U.S."), 1u);
}

TEST_F(EnglishTest, CaseSpacesAndPunctuationDoNotMatter) {
  EXPECT_EQ(Answers("  WHICH   proposals involve   China ."), kChinaProposals);
  EXPECT_EQ(Answers("Which Proposals Involve CHINA?"), kChinaProposals);
  EXPECT_EQ(Answers("which\vproposals\rinvolve\fChina\t"), kChinaProposals);
}

// Reading costs grow faster than a question's length: a text far longer than any
// question is refused at once, whatever it holds.
TEST_F(EnglishTest, TextsFarLongerThanAQuestionAreRefusedAtOnce) {
  std::string coordinated = "who met Kim Jong Un", possessive = "which claims are", word(2'000'000, 'x');
  for (int i = 0; i < 10000; ++i) coordinated += " and Kim Jong Un";
  for (int i = 0; i < 5000; ++i) possessive += " Trump's";
  possessive += " claims";
  for (const std::string& text : {coordinated, possessive, word}) {
    const auto start = std::chrono::steady_clock::now();
    AskResult r = Ask(text);
    EXPECT_FALSE(r.understood);
    EXPECT_NE(r.message.find("too long for a question"), std::string::npos) << r.message;
    // At once: in a second or so, or a few under AddressSanitizer on a busy machine.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(parley::testing::kSanitized ? 8 : 2));
  }
  // Sixty words still make a question.
  std::string sixty = "who met Kim Jong Un";
  while (std::count(sixty.begin(), sixty.end(), ' ') < 56) sixty += " or Trump";
  EXPECT_TRUE(Ask(sixty).understood) << Ask(sixty).message;
}

TEST_F(EnglishTest, YesNoQuestions) {
  AskResult r = Ask("Did Trump meet Kim Jong Un?");
  EXPECT_TRUE(r.understood && r.is_boolean && r.boolean);
  r = Ask("is the Hanoi summit a meeting");
  EXPECT_TRUE(r.understood && r.is_boolean && r.boolean);
  r = Ask("is the Hanoi summit a proposal?");
  EXPECT_TRUE(r.understood && r.is_boolean && !r.boolean);
}

TEST_F(EnglishTest, Modifiers) {
  EXPECT_EQ(Answers("which proposals addressed sovereignty assurances according to Nicholas Mele"),
            (Set{"Establish diplomatic relations with North Korea", "Offer some sanctions relief to the people of North Korea",
                 "Open negotiations to replace the armistice with a peace treaty"}));
  EXPECT_EQ(Answers("which meetings did Kim Jong Un attend before 2018-06"),
            (Set{"Panmunjom summit of April 2018", "Pompeo's visit to Pyongyang in April 2018",
                 "Pompeo's visit to Pyongyang in May 2018"}));
  EXPECT_EQ(Answers("which meetings did Kim Jong Un attend after the Singapore summit"),
            (Set{"Hanoi summit", "Pompeo's visit to Pyongyang in October 2018", "Pyongyang summit of September 2018"}));
  EXPECT_TRUE(Answers("which meetings took place in Pyongyang city").count("Pyongyang summit of September 2018"));
  // and / or between clauses
  EXPECT_TRUE(Answers("which proposals addressed sanctions relief and involve China").empty());
  EXPECT_EQ(Answers("which proposals addressed sanctions relief or involve China").size(), 7u);  // 4 + 3, none in both
}

TEST_F(EnglishTest, MisspeltWordsAreCorrectedWhenTheQuestionThenReads) {
  AskResult r = Ask("which proposals adressed sovereignty assurances");
  EXPECT_TRUE(r.understood) << r.message;
  EXPECT_EQ(r.spelling, "Reading \"adressed\" as \"addressed\".");
  EXPECT_EQ(r.answers.size(), Ask("which proposals addressed sovereignty assurances").answers.size());
  EXPECT_FALSE(r.answers.empty());
  r = Ask("whcih proposals involve China");
  EXPECT_TRUE(r.understood) << r.message;
  EXPECT_EQ(r.spelling, "Reading \"whcih\" as \"which\".");
  r = Ask("whne was the singapore sumit");
  EXPECT_TRUE(r.understood) << r.message;
  EXPECT_EQ(r.spelling, "Reading \"whne\" as \"when\", \"sumit\" as \"summit\".");
  // A question that reads as typed is never respelt.
  r = Ask("which proposals involve China");
  EXPECT_TRUE(r.spelling.empty());
}

TEST_F(EnglishTest, UnknownWordsGetASuggestion) {
  // "adresxsedq" is three edits from "addressed", too far to correct unasked.
  AskResult r = Ask("which proposals adresxsedq sovereignty assurances");
  EXPECT_FALSE(r.understood);
  EXPECT_EQ(r.message.substr(0, r.message.find('\n')), "I don't know \"adresxsedq\". Did you mean \"addressed\"?");
  EXPECT_NE(r.message.find("which proposals adresxsedq sovereignty assurances\n                ^"), std::string::npos)
      << r.message;
}

TEST_F(EnglishTest, AmbiguousNamesListTheCandidates) {
  AskResult r = Ask("who met Pyongyang");
  EXPECT_FALSE(r.understood);
  // Each candidate with its kind, its id and the sources that mention it.
  EXPECT_EQ(r.message.rfind("\"pyongyang\" could mean Pyongyang (city, id pyongyang, in biegun-pyongyang-talks-2019, ", 0), 0u)
      << r.message;
  EXPECT_NE(r.message.find(" or North Korea (state, id dprk, in "), std::string::npos) << r.message;
}

TEST_F(EnglishTest, NoAnswersAreSaidPlainly) {
  AskResult r = Ask("Which proposals involve India?");
  EXPECT_TRUE(r.understood);
  EXPECT_TRUE(r.answers.empty());
  EXPECT_EQ(r.message, "No proposals involve India.");
  r = Ask("which proposals addressed North Korea");
  EXPECT_TRUE(r.understood);
  EXPECT_EQ(r.message, "No proposals addressed North Korea.");
}

TEST_F(EnglishTest, SentencesOutsideTheGrammarSayWhereThey) {
  // Nothing addresses sanctions relief and involves Japan, so no looser reading answers.
  AskResult r = Ask("which proposals addressed sanctions relief Japan");
  EXPECT_FALSE(r.understood);
  EXPECT_EQ(r.message,
            "I understood \"which proposals addressed sanctions relief\" but could not go on from there.\n"
            "which proposals addressed sanctions relief japan\n"
            "                                           ^");
  // Where one does, it answers, and says that it read the question loosely.
  r = Ask("which proposals addressed sanctions relief sovereignty");
  EXPECT_TRUE(r.understood);
  ASSERT_EQ(r.answers.size(), 1u) << r.message;
  EXPECT_EQ(r.answers[0].values[0], "Offer some sanctions relief to the people of North Korea");
  EXPECT_NE(r.reading.find("a looser reading"), std::string::npos) << r.reading;
  r = Ask("proposals which");
  EXPECT_FALSE(r.understood);
}

TEST_F(EnglishTest, TheSparqlGivesTheSameRows) {
  AskResult r = Ask("which proposals involve China");
  ASSERT_TRUE(r.understood);
  QueryOptions options;
  options.prefixes = BuiltinPrefixes();
  auto snapshot = store_->GetSnapshot();
  auto direct = RunQuery(r.sparql, "<sparql>", *snapshot, *snapshot, options);
  ASSERT_TRUE(direct.ok()) << direct.status().ToString();
  Set labels;
  for (const auto& row : direct->rows) labels.insert(row[1]->value);
  EXPECT_EQ(labels, kChinaProposals);
}

TEST_F(EnglishTest, WhyCitesSourcesParagraphsAndQuotes) {
  AskResult r = Ask("which proposals addressed sovereignty assurances", true);
  ASSERT_EQ(r.answers.size(), 4u);
  bool found = false;
  for (const auto& a : r.answers) {
    if (a.values[0] != "Offer some sanctions relief to the people of North Korea") continue;
    for (const auto& e : a.evidence) {
      if (e.source_id == "mele-2019-hanoi-summit" && e.locator == "paragraph 3" &&
          e.quote == "offering some sanctions relief to the people of North Korea") {
        found = true;
      }
    }
  }
  EXPECT_TRUE(found);
}

// Words longer than WordNet's buffers or than any name are refused quickly, never crash.
TEST_F(EnglishTest, VeryLongWordsAreRefused) {
  for (const std::string& q : {"which proposals involve " + std::string(300, 'x'), "who met " + std::string(500, 'k')}) {
    AskResult r = Ask(q);
    EXPECT_FALSE(r.understood);
    EXPECT_NE(r.message.find("I don't know"), std::string::npos) << r.message.substr(0, 200);
  }
}

// Every example that ":help english" shows is understood and answered.
TEST_F(EnglishTest, EveryHelpExampleIsAnswered) {
  for (const auto& form : QuestionForms()) {
    for (const auto& example : form.examples) {
      AskResult r = Ask(example);
      EXPECT_TRUE(r.understood) << form.name << ": " << example << "\n" << r.message;
      EXPECT_TRUE(r.is_boolean || !r.answers.empty()) << form.name << ": " << example << "\n" << r.message;
    }
  }
}

TEST_F(EnglishTest, NewFactsBringNewWords) {
  EXPECT_FALSE(Ask("which proposals involve Mongolia").understood);
  const auto file = parley::testing::UniqueTestDir("mongolia").string() + ".json";
  std::ofstream(file) << R"({"source": {"id": "note-mongolia", "title": "A note"},
    "actors": [{"id": "mongolia", "type": "State", "label": "Mongolia", "aliases": ["Ulaanbaatar"], "evidence": {"paragraph": 1}}],
    "proposals": [{"id": "ub-dialogue", "label": "The Ulaanbaatar Dialogue", "involves": ["mongolia", "dprk"], "evidence": {"paragraph": 2}}]})";
  ingest::RdfLoadOptions options;
  ASSERT_TRUE(ingest::LoadRdfFiles(*store_, {file}, options).ok());
  EXPECT_EQ(Answers("which proposals involve Ulaanbaatar"), (Set{"The Ulaanbaatar Dialogue"}));
  std::filesystem::remove(file);
}

// The phrasings of "only well-graded sources", where they may stand, and what is left.
TEST(SourceQualifierTest, PhrasingsOfReliableSourcesAndTheQuestionLeft) {
  struct Expected {
    std::string question, rest;
    char reliability;
    int credibility;
  };
  const std::vector<Expected> cases = {
      {"who proposed a peace treaty according to reliable sources", "who proposed a peace treaty", 'B', 0},
      {"According to reliable sources, who proposed a peace treaty?", "who proposed a peace treaty?", 'B', 0},
      {"Who, according to reliable sources, met Kim Jong Un?", "Who met Kim Jong Un?", 'B', 0},
      {"which proposals addressed sanctions relief, according to usually reliable sources",
       "which proposals addressed sanctions relief", 'B', 0},
      {"who met Kim Jong Un according to completely reliable sources", "who met Kim Jong Un", 'A', 0},
      {"who met Kim Jong Un, based on trustworthy sources only?", "who met Kim Jong Un?", 'B', 0},
      {"from fairly reliable sources: who met Kim?", "who met Kim?", 'C', 0},
      {"who met Kim Jong Un in sources graded C or better", "who met Kim Jong Un", 'C', 0},
      {"who met Kim Jong Un according to A-rated sources", "who met Kim Jong Un", 'A', 0},
      {"who met Kim Jong Un according to confirmed reports", "who met Kim Jong Un", 0, 1},
      {"who met Kim Jong Un, citing information with credibility 3 or better", "who met Kim Jong Un", 0, 3},
      {"Using only the most credible sources, which proposals addressed sovereignty assurances?",
       "which proposals addressed sovereignty assurances?", 'B', 0},
  };
  for (const auto& c : cases) {
    auto q = FindSourceQualifier(c.question);
    ASSERT_TRUE(q.has_value()) << c.question;
    EXPECT_EQ(q->question, c.rest) << c.question;
    EXPECT_EQ(q->minimum.reliability, c.reliability) << c.question;
    EXPECT_EQ(q->minimum.credibility, c.credibility) << c.question;
  }
  // Not a qualifier: no such phrase, or words inside the question that belong to it.
  for (const std::string question : {"who proposed a peace treaty", "which sources are reliable",
                                     "what did reliable sources in Seoul say about the talks with Kim"}) {
    EXPECT_FALSE(FindSourceQualifier(question).has_value()) << question;
  }
}

// Graded answers, worked out from the sources' grades (data/facts): the op-ed and the
// two press conferences are C, the public-record compilations B, the signed texts A.
TEST_F(EnglishTest, ReliableSourcesLeaveOutWhatOnlyWeakerSourcesSay) {
  EXPECT_EQ(Answers("who proposed a peace treaty"),
            (Set{"Donald Trump", "Kim Jong Un", "Nicholas Mele", "Ro Khanna", "U.S. Congress"}));
  const Set reliable = {"Donald Trump", "Kim Jong Un", "Ro Khanna", "U.S. Congress"};  // not the op-ed's author
  for (const std::string question :
       {"who proposed a peace treaty according to reliable sources", "According to reliable sources, who proposed a peace treaty?",
        "Who, according to trustworthy sources, proposed a peace treaty?", "who proposed a peace treaty in sources graded B or better"}) {
    EXPECT_EQ(Answers(question), reliable) << question;
    EXPECT_EQ(Ask(question).minimum.reliability, 'B') << question;
  }
  EXPECT_EQ(Answers("which proposals addressed sovereignty assurances according to reliable sources"),
            (Set{"Establish new U.S.-DPRK relations"}));
  // The evidence shown is only the graded sources', with the grade.
  auto r = Ask("who met Kim Jong Un according to completely reliable sources", true);
  ASSERT_FALSE(r.answers.empty());
  for (const auto& a : r.answers) {
    for (const auto& e : a.evidence) EXPECT_EQ(e.reliability, "A") << a.values[0] << ": " << e.source_id;
  }
  // The caller's minimum and the question's combine to the stricter.
  auto snapshot = store_->GetSnapshot();
  auto lexicon = Lexicon::Load(*snapshot, *snapshot);
  ASSERT_TRUE(lexicon.ok());
  auto strict = AskQuestion("who proposed a peace treaty according to fairly reliable sources", *lexicon, *snapshot,
                            *snapshot, false, nullptr, rdf::MinimumGrades{'A', 0});
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(strict->minimum.reliability, 'A');
}

}  // namespace
}  // namespace parley::query::english
