// Store benchmark: loads an N-Triples file into fresh databases (median of three) and
// measures load throughput, peak memory, database size, and point-lookup, prefix-scan
// and dictionary latencies on the loaded store.
//
//   parley_store_bench FILE.nt WORK_DIR
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

#include "ingest/rdf_loader.hpp"
#include "store/quad_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using parley::Quad;
using parley::QuadPattern;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

std::uintmax_t DirectoryBytes(const std::filesystem::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

// Runs `probe` on the first `n` samples and reports mean microseconds and rows per probe.
template <class Probe>
void Measure(const char* name, const std::vector<Quad>& samples, Probe probe, std::size_t n = 100'000) {
  n = std::min(n, samples.size());
  std::size_t rows = 0;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < n; ++i) rows += probe(samples[i]);
  const double micros = Seconds(start) * 1e6 / static_cast<double>(n);
  std::printf("| %-44s | %8.2f µs | %6.1f rows |\n", name, micros, static_cast<double>(rows) / static_cast<double>(n));
}

std::size_t Count(const parley::QuadSource& source, const QuadPattern& pattern) {
  auto cursor = source.Scan(pattern);
  Quad q;
  std::size_t n = 0;
  while (cursor->Next(&q)) ++n;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE.nt WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string file = argv[1];
  const std::filesystem::path work = argv[2];

  std::vector<double> load_seconds;
  std::uint64_t quads = 0;
  for (int run = 0; run < 3; ++run) {
    const auto db_dir = work / ("bench-db-" + std::to_string(run));
    std::filesystem::remove_all(db_dir);
    std::unique_ptr<parley::store::QuadStore> store;
    if (auto s = parley::store::QuadStore::Open(db_dir, &store); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    const auto start = Clock::now();
    auto summary = parley::ingest::LoadRdfFiles(*store, {file}, parley::ingest::RdfLoadOptions{});
    if (!summary.ok()) {
      std::fprintf(stderr, "%s\n", summary.status().ToString().c_str());
      return 1;
    }
    load_seconds.push_back(Seconds(start));
    quads = summary->store.quads_added;
  }
  std::sort(load_seconds.begin(), load_seconds.end());
  const double median = load_seconds[1];
  const auto db_dir = work / "bench-db-0";

  std::printf("| measure | value |\n|---|---:|\n");
  std::printf("| triples loaded | %llu |\n", static_cast<unsigned long long>(quads));
  std::printf("| load, median of 3 (in-process) | %.3f s |\n", median);
  std::printf("| load throughput | %.0fk triples/s |\n", quads / median / 1000.0);
  std::printf("| peak RSS (whole benchmark process) | %.0f MiB |\n", PeakRssMiB());

  std::unique_ptr<parley::store::QuadStore> store;
  if (auto s = parley::store::QuadStore::Open(db_dir, &store); !s.ok()) return 1;
  std::printf("| database size on disk | %.1f MiB |\n\n", static_cast<double>(DirectoryBytes(db_dir)) / (1 << 20));

  // Probe with real quads, drawn at random.
  std::vector<Quad> all;
  if (!parley::DrainCursor(*store->Scan(QuadPattern{}), &all).ok()) return 1;
  std::mt19937_64 rng(7);
  std::vector<Quad> samples(100'000);
  for (Quad& q : samples) q = all[rng() % all.size()];
  std::vector<parley::Term> terms;
  for (std::size_t i = 0; i < 100'000; ++i) terms.push_back(*store->LookupTerm(samples[i].object));

  std::printf("| probe (random real quads, warm, one thread) | mean | rows |\n|---|---:|---:|\n");
  Measure("point lookup: full quad (spog)", samples,
          [&](const Quad& q) { return Count(*store, QuadPattern{q.subject, q.predicate, q.object, q.graph}); });
  Measure("prefix scan: all quads of a subject (spog)", samples,
          [&](const Quad& q) { return Count(*store, QuadPattern{q.subject, {}, {}, {}}); });
  // These return thousands of rows when the object is a class: 5,000 probes are enough.
  Measure("prefix scan: (predicate, object) (posg)", samples,
          [&](const Quad& q) { return Count(*store, QuadPattern{{}, q.predicate, q.object, {}}); }, 5'000);
  Measure("prefix scan: all quads with an object (ospg)", samples,
          [&](const Quad& q) { return Count(*store, QuadPattern{{}, {}, q.object, {}}); }, 5'000);
  std::size_t next_term = 0;
  Measure("dictionary: term -> id", samples, [&](const Quad&) {
    return store->LookupId(terms[next_term++ % terms.size()]).ok() ? std::size_t{1} : std::size_t{0};
  });
  Measure("dictionary: id -> term", samples,
          [&](const Quad& q) { return store->LookupTerm(q.subject).ok() ? std::size_t{1} : std::size_t{0}; });

  store.reset();
  for (int run = 0; run < 3; ++run) std::filesystem::remove_all(work / ("bench-db-" + std::to_string(run)));
  return 0;
}
