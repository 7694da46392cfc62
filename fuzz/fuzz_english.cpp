// libFuzzer target for the English front-end: a question in, an answer or a message
// out, over the ontology and a handful of entities in memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/ntriples_reader.hpp"
#include "ingest/turtle_reader.hpp"
#include "query/english/ask.hpp"
#include "query/english/lexicon.hpp"
#include "store/memory_quad_source.hpp"

namespace {

parley::Term Owned(const parley::TermView& v) {
  parley::Term t{v.kind, std::string(v.value), std::string(v.datatype), std::string(v.language)};
  return t;
}

struct World {
  parley::MemoryQuadSource graph;
  parley::query::english::Lexicon lexicon;
};

const World& TheWorld() {
  static const World* world = [] {
    auto* w = new World();
    auto add = [&](const parley::ingest::Statement& st) {
      w->graph.Insert(parley::Quad{w->graph.Intern(Owned(st.subject)), w->graph.Intern(Owned(st.predicate)),
                                   w->graph.Intern(Owned(st.object)), parley::kDefaultGraph});
      return parley::Status::OK();
    };
    std::string ontology;
    if (std::FILE* f = std::fopen(PARLEY_SOURCE_DATA_DIR "/ontology.ttl", "rb")) {
      char buffer[4096];
      for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) ontology.append(buffer, n);
      std::fclose(f);
    }
    (void)parley::ingest::ReadTurtleText(ontology, "ontology.ttl", "http://parley.example.org/ontology", add);
    (void)parley::ingest::ReadTurtleText(R"(
      @prefix : <http://parley.example.org/ontology#> . @prefix id: <http://parley.example.org/id/> .
      @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
      id:kim a :Person ; rdfs:label "Kim Jong Un" ; :alias "Kim" .
      id:trump a :Person ; rdfs:label "Donald Trump" ; :alias "Trump" .
      id:hanoi a :Summit ; rdfs:label "Hanoi summit" ; :participant id:kim, id:trump ; :date "2019-02-27" .
      id:p1 a :Proposal ; rdfs:label "Sanctions relief" ; :proposedBy id:kim .
    )", "entities.ttl", "http://base/", add);
    auto lexicon = parley::query::english::Lexicon::Load(w->graph, w->graph);
    if (lexicon.ok()) w->lexicon = std::move(*lexicon);
    return w;
  }();
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const World& w = TheWorld();
  const std::string question(reinterpret_cast<const char*>(data), size);
  (void)parley::query::english::AskQuestion(question, w.lexicon, w.graph, w.graph, true);
  return 0;
}
