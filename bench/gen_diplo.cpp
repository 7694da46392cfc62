// Writes a deterministic synthetic diplomacy graph as N-Triples: actors, states,
// meetings with 2-6 participants, proposals addressing topics, claims that support and
// contradict each other, and sources. Popular actors and topics recur far more often
// than others (Zipf-like degrees), as in real coverage.
//
//   parley_bench_gen TRIPLES OUTPUT.nt [SEED]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr const char* kEntity = "http://example.org/parley/entity/";
constexpr const char* kOnt = "http://example.org/parley/ontology#";
constexpr const char* kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr const char* kLabel = "http://www.w3.org/2000/01/rdf-schema#label";
constexpr const char* kXsdDate = "http://www.w3.org/2001/XMLSchema#date";

// Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) cdf_[i] = total += 1.0 / std::pow(static_cast<double>(i + 1), s);
    for (double& c : cdf_) c /= total;
  }
  std::size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

class Writer {
 public:
  explicit Writer(std::FILE* out) : out_(out) {}
  void Link(const std::string& s, const char* p, const std::string& o) {
    std::fprintf(out_, "<%s%s> <%s%s> <%s%s> .\n", kEntity, s.c_str(), kOnt, p, kEntity, o.c_str());
    ++count_;
  }
  void Type(const std::string& s, const char* cls) {
    std::fprintf(out_, "<%s%s> <%s> <%s%s> .\n", kEntity, s.c_str(), kRdfType, kOnt, cls);
    ++count_;
  }
  void Label(const std::string& s, const std::string& label) {
    std::fprintf(out_, "<%s%s> <%s> \"%s\"@en .\n", kEntity, s.c_str(), kLabel, label.c_str());
    ++count_;
  }
  void Date(const std::string& s, const char* p, int day) {
    std::fprintf(out_, "<%s%s> <%s%s> \"%04d-%02d-%02d\"^^<%s> .\n", kEntity, s.c_str(), kOnt, p, 1990 + day / 365,
                 1 + (day / 30) % 12, 1 + day % 28, kXsdDate);
    ++count_;
  }
  void Text(const std::string& s, const char* p, const std::string& text) {
    std::fprintf(out_, "<%s%s> <%s%s> \"%s\" .\n", kEntity, s.c_str(), kOnt, p, text.c_str());
    ++count_;
  }
  std::size_t count() const { return count_; }

 private:
  std::FILE* out_;
  std::size_t count_ = 0;
};

const char* kGiven[] = {"Kim", "Moon", "Donald", "Mike", "Sergey", "Wang", "Shinzo", "Nicholas", "Ri", "Choe",
                        "Stephen", "Angela", "Emmanuel", "Narendra", "Yoon", "Fumio", "Antony", "Jake"};
const char* kFamily[] = {"Jong", "Jae-in", "Trump", "Pompeo", "Lavrov", "Yi", "Abe", "Mele", "Yong-ho", "Son-hui",
                         "Biegun", "Merkel", "Macron", "Modi", "Suk-yeol", "Kishida", "Blinken", "Sullivan"};
const char* kTopicWords[] = {"sanctions relief", "denuclearization", "sovereignty assurances", "peace treaty",
                             "missile testing", "family reunions", "economic aid", "verification",
                             "security guarantees", "troop reductions", "humanitarian access", "trade"};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TRIPLES OUTPUT.nt [SEED]\n", argv[0]);
    return 2;
  }
  const std::size_t target = std::strtoull(argv[1], nullptr, 10);
  std::FILE* out = std::fopen(argv[2], "w");
  if (out == nullptr) {
    std::perror(argv[2]);
    return 1;
  }
  std::mt19937_64 rng(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20190228);
  // Entity counts scale with the target so that degrees stay realistic at any size.
  const std::size_t actors = std::max<std::size_t>(50, target / 40), states = 190, topics = 400,
                    sources = std::max<std::size_t>(10, target / 2000);
  const Zipf pick_actor(actors, 1.1), pick_topic(topics, 1.0), pick_state(states, 1.2);
  Writer w(out);

  for (std::size_t i = 0; i < states; ++i) {
    const std::string id = "state" + std::to_string(i);
    w.Type(id, "State");
    w.Label(id, "State " + std::to_string(i));
  }
  for (std::size_t i = 0; i < topics; ++i) {
    const std::string id = "topic" + std::to_string(i);
    w.Type(id, "Topic");
    w.Label(id, std::string(kTopicWords[i % std::size(kTopicWords)]) + " " + std::to_string(i));
    if (i >= std::size(kTopicWords)) w.Link(id, "broader", "topic" + std::to_string(i % std::size(kTopicWords)));
  }
  for (std::size_t i = 0; i < sources; ++i) {
    const std::string id = "source" + std::to_string(i);
    w.Type(id, "Source");
    w.Text(id, "title", "Op-ed number " + std::to_string(i));
    w.Date(id, "published", static_cast<int>(i % 12000));
  }
  for (std::size_t i = 0; i < actors; ++i) {
    const std::string id = "actor" + std::to_string(i);
    const bool person = i % 5 != 0;
    w.Type(id, person ? "Person" : "Organization");
    w.Label(id, std::string(kGiven[i % std::size(kGiven)]) + " " + kFamily[(i / std::size(kGiven)) % std::size(kFamily)] +
                    " " + std::to_string(i));
    if (person) w.Link(id, "represents", "state" + std::to_string(pick_state(rng)));
  }

  std::size_t meeting = 0, proposal = 0, claim = 0;
  while (w.count() < target) {
    // A meeting, its participants, and what came out of it.
    const std::string m = "meeting" + std::to_string(meeting);
    w.Type(m, rng() % 4 == 0 ? "Summit" : "Meeting");
    w.Label(m, "Meeting " + std::to_string(meeting));
    w.Date(m, "date", static_cast<int>(meeting % 12000));
    w.Link(m, "location", "state" + std::to_string(pick_state(rng)));
    if (meeting > 0 && rng() % 2 == 0) w.Link(m, "precededBy", "meeting" + std::to_string(meeting - 1 - rng() % std::min<std::size_t>(meeting, 3)));
    const int participants = 2 + static_cast<int>(rng() % 5);
    for (int k = 0; k < participants; ++k) w.Link(m, "participant", "actor" + std::to_string(pick_actor(rng)));

    for (int k = 0; k < 2; ++k) {
      const std::string p = "proposal" + std::to_string(proposal++);
      w.Type(p, "Proposal");
      w.Label(p, "Proposal " + std::to_string(proposal));
      w.Link(p, "proposedBy", "actor" + std::to_string(pick_actor(rng)));
      w.Link(p, "madeAt", m);
      const int addressed = 1 + static_cast<int>(rng() % 3);
      for (int t = 0; t < addressed; ++t) w.Link(p, "addresses", "topic" + std::to_string(pick_topic(rng)));
      w.Link(p, "involves", "state" + std::to_string(pick_state(rng)));
    }
    for (int k = 0; k < 3; ++k) {
      const std::string c = "claim" + std::to_string(claim);
      w.Type(c, "Claim");
      w.Link(c, "claimedBy", "actor" + std::to_string(pick_actor(rng)));
      w.Link(c, "about", rng() % 2 ? m : "topic" + std::to_string(pick_topic(rng)));
      w.Link(c, "source", "source" + std::to_string(rng() % sources));
      w.Text(c, "quote", "The talks on item " + std::to_string(claim) + " went \\\"well\\\"");
      if (claim > 0) {
        w.Link(c, rng() % 3 == 0 ? "contradicts" : "supports", "claim" + std::to_string(rng() % claim));
      }
      ++claim;
    }
    ++meeting;
  }
  std::fclose(out);
  std::fprintf(stderr, "wrote %zu triples to %s\n", w.count(), argv[2]);
  return 0;
}
