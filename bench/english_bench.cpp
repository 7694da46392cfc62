// English latency: opens a database, reads the English lexicon once (as the REPL
// keeps it), then asks every question of a file several times and reports the time per
// question. Questions come one a line; in a .tsv file, the first column (the question
// bank's format); lines starting with '#' are skipped.
//
//   parley_english_bench DB QUESTIONS [REPEAT]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "query/english/ask.hpp"
#include "store/quad_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DB QUESTIONS [REPEAT]\n", argv[0]);
    return 2;
  }
  const int repeat = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  std::vector<std::string> questions;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    questions.push_back(line.substr(0, line.find('\t')));
  }
  std::unique_ptr<parley::store::QuadStore> store;
  parley::store::StoreOptions options{parley::store::OpenMode::kReadOnly};
  if (auto s = parley::store::QuadStore::Open(argv[1], options, &store); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  auto snapshot = store->GetSnapshot();
  const auto start = Clock::now();
  auto lexicon = parley::query::english::Lexicon::Load(*snapshot, *snapshot);
  const double lexicon_ms = Millis(Clock::now() - start);
  if (!lexicon.ok()) {
    std::fprintf(stderr, "%s\n", lexicon.status().ToString().c_str());
    return 1;
  }
  // Per question: the median of its runs.
  std::vector<double> medians;
  std::size_t understood = 0;
  for (const auto& q : questions) {
    std::vector<double> runs;
    for (int r = 0; r < repeat; ++r) {
      const auto t = Clock::now();
      auto answer = parley::query::english::AskQuestion(q, *lexicon, *snapshot, *snapshot, false);
      runs.push_back(Millis(Clock::now() - t));
      if (r == 0 && answer.ok() && answer->understood) ++understood;
    }
    medians.push_back(Percentile(runs, 0.5));
  }
  if (medians.empty()) return 1;
  double total = 0;
  for (double m : medians) total += m;
  std::printf("| %s | %zu (%zu understood) | %.0f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n", argv[2],
              questions.size(), understood, lexicon_ms, total / static_cast<double>(medians.size()),
              Percentile(medians, 0.5), Percentile(medians, 0.95), *std::max_element(medians.begin(), medians.end()));
  return 0;
}
