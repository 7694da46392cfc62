// libFuzzer targets for SPARQL: the parser and validator alone (FUZZ_PARSE_ONLY), or
// parse and evaluate over a small in-memory graph with a time budget.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "query/engine.hpp"
#include "query/parse.hpp"
#include "store/memory_quad_source.hpp"

namespace {

// A few people, meetings and literals of each kind, enough for joins, paths and filters.
const parley::MemoryQuadSource& Graph() {
  static const parley::MemoryQuadSource* graph = [] {
    auto* g = new parley::MemoryQuadSource();
    const std::string e = "http://e/";
    auto iri = [&](const std::string& s) { return g->Intern(parley::Term::Iri(e + s)); };
    for (int i = 0; i < 20; ++i) {
      const std::string n = std::to_string(i);
      g->Insert(parley::Quad{iri("p" + n), iri("knows"), iri("p" + std::to_string((i + 1) % 20)), parley::kDefaultGraph});
      g->Insert(parley::Quad{iri("p" + n), iri("name"), g->Intern(parley::Term::LangLiteral("Name " + n, "en")),
                             parley::kDefaultGraph});
      g->Insert(parley::Quad{iri("p" + n), iri("age"),
                             g->Intern(parley::Term::Literal(n, "http://www.w3.org/2001/XMLSchema#integer")), iri("g" + n)});
    }
    return g;
  }();
  return *graph;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
#ifdef FUZZ_PARSE_ONLY
  (void)parley::query::ParseQuery(text, "<fuzz>", parley::query::ParseOptions{});
#else
  parley::query::QueryOptions options;
  options.prefixes = parley::query::BuiltinPrefixes();
  options.timeout = std::chrono::milliseconds(200);
  (void)parley::query::RunQuery(text, "<fuzz>", Graph(), Graph(), options);
#endif
  return 0;
}
