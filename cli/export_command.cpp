#include "cli/export_command.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/lexicon_cache.hpp"
#include "cli/store_access.hpp"
#include "endpoint/remote_source.hpp"
#include "ingest/graph_export.hpp"
#include "ingest/turtle_writer.hpp"
#include "rdf/vocabulary.hpp"
#include "query/engine.hpp"
#include "query/english/lexicon.hpp"
#include "store/memory_quad_source.hpp"
#include "store/quad_store.hpp"

namespace parley::cli {
namespace {

// A root by IRI (<...>, http..., or id:local) or by label or alias, ignoring case.
Result<Term> ResolveRoot(const std::string& name, const query::english::Lexicon& lexicon) {
  if (name.size() > 2 && name.front() == '<' && name.back() == '>') return Term::Iri(name.substr(1, name.size() - 2));
  if (name.find("://") != std::string::npos) return Term::Iri(name);
  if (name.rfind("id:", 0) == 0) return Term::Iri(rdf::EntityIri(name.substr(3)));
  const std::string key = query::english::Lexicon::Normalize(name);
  const std::vector<std::string> found = lexicon.EntitiesNamed(key);
  if (found.empty()) return Status::NotFound("no entity is called \"" + name + "\" (give a label, an alias or an IRI)");
  if (found.size() > 1) {
    std::string list;
    for (const auto& f : found) {
      auto label = lexicon.LabelOf(f);
      list += (list.empty() ? "" : ", ") + (label ? std::string(*label) + " <" + f + ">" : "<" + f + ">");
    }
    return Status::InvalidArgument("\"" + name + "\" could mean " + list + "; give the IRI");
  }
  return Term::Iri(found[0]);
}

std::string Quads(const std::vector<ingest::TripleTerms>& triples, const QuadSource& source,
                  const TermDictionary& dictionary) {
  std::string out;
  for (const auto& t : triples) {
    auto s = dictionary.LookupId(t[0]), p = dictionary.LookupId(t[1]), o = dictionary.LookupId(t[2]);
    if (!s.ok() || !p.ok() || !o.ok()) continue;
    auto cursor = source.Scan(QuadPattern{*s, *p, *o, {}});
    Quad q;
    while (cursor->Next(&q)) {
      std::string line = ToNTriples(t[0]) + " " + ToNTriples(t[1]) + " " + ToNTriples(t[2]);
      if (q.graph != kDefaultGraph) line += " " + ToNTriples(*dictionary.LookupTerm(q.graph));
      out += line + " .\n";
    }
  }
  return out;
}

std::string Turtle(const std::vector<ingest::TripleTerms>& triples) {
  MemoryQuadSource graph;
  for (const auto& t : triples) graph.Insert(Quad{graph.Intern(t[0]), graph.Intern(t[1]), graph.Intern(t[2]), kDefaultGraph});
  ingest::PrefixMap prefixes = ingest::StandardPrefixes();
  prefixes.emplace_back("", std::string(rdf::kOntologyNs));
  prefixes.emplace_back("id", std::string(rdf::kEntityNs));
  auto text = ingest::TurtleText(graph, graph, prefixes);
  return text.ok() ? *text : "";
}

using LexiconSource = std::function<Result<std::shared_ptr<const query::english::Lexicon>>()>;

// The export from `source`; `lexicon` is asked only for --root names.
int Export(const QuadSource& source, const TermDictionary& dictionary, const LexiconSource& lexicon_of,
           const ExportArgs& args) {
  static const std::vector<std::string> kFormats = {"json", "jsonld", "ntriples", "nquads", "turtle", "dot"};
  if (std::find(kFormats.begin(), kFormats.end(), args.format) == kFormats.end()) {
    std::fprintf(stderr, "parley export: --format takes json, jsonld, ntriples, nquads, turtle or dot\n");
    return kExitUsage;
  }
  if (args.roots.empty() == args.construct.empty()) {
    std::fprintf(stderr, "parley export: give --root NAME (one or more) or --construct QUERY\n");
    return kExitUsage;
  }
  std::vector<ingest::TripleTerms> triples;
  if (!args.construct.empty()) {
    query::QueryOptions options;
    options.prefixes = query::BuiltinPrefixes();
    if (args.timeout_seconds > 0) options.timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout_seconds * 1000));
    auto result = query::RunQuery(args.construct, "<construct>", source, dictionary, options);
    if (!result.ok()) return Fail(result.status());
    if (result->form != query::QueryForm::kConstruct && result->form != query::QueryForm::kDescribe) {
      std::fprintf(stderr, "parley export: --construct takes a CONSTRUCT or DESCRIBE query\n");
      return kExitUsage;
    }
    for (const auto& t : result->triples) triples.push_back({t.subject, t.predicate, t.object});
  } else {
    auto lexicon = lexicon_of();
    if (!lexicon.ok()) return Fail(lexicon.status());
    std::vector<Term> roots;
    for (const auto& name : args.roots) {
      auto root = ResolveRoot(name, **lexicon);
      if (!root.ok()) return Fail(root.status());
      roots.push_back(*root);
    }
    auto found = ingest::Neighbourhood(source, dictionary, roots, std::max(0, args.depth));
    if (!found.ok()) return Fail(found.status());
    triples = std::move(*found);
  }

  std::string out;
  if (args.format == "json") {
    auto json = ingest::ExportJson(triples, source, dictionary, args.with_evidence);
    if (!json.ok()) return Fail(json.status());
    out = std::move(*json);
  } else if (args.format == "jsonld") out = ingest::ExportJsonLd(triples);
  else if (args.format == "dot") out = ingest::ExportDot(triples, source, dictionary);
  else if (args.format == "turtle") out = Turtle(triples);
  else if (args.format == "nquads") out = Quads(triples, source, dictionary);
  else {
    for (const auto& t : triples) out += ToNTriples(t[0]) + " " + ToNTriples(t[1]) + " " + ToNTriples(t[2]) + " .\n";
  }
  if (args.output.empty()) {
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(args.output, ec)) {
      std::fprintf(stderr, "parley export: cannot write %s: it is a directory\n", args.output.c_str());
      return kExitFailure;
    }
    std::ofstream file(args.output, std::ios::binary);
    const int open_errno = errno;
    file << out;
    file.flush();
    if (!file) {
      std::fprintf(stderr, "parley export: cannot write %s: %s\n", args.output.c_str(),
                   std::strerror(errno != 0 ? errno : open_errno));
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace

int RunExportCommand(const store::QuadStore& store, const ExportArgs& args) {
  auto state = SnapshotAt(store, args.as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  return Export(*snapshot, *snapshot, [&] { return LoadLexicon(store.path(), *snapshot); }, args);
}

int RunRemoteExportCommand(const std::string& endpoint, const ExportArgs& args) {
  auto client = endpoint::SparqlClient::ForUrl(endpoint);
  if (!client.ok()) {
    std::fprintf(stderr, "parley export: %s\n", client.status().message().c_str());
    return kExitUsage;
  }
  const endpoint::RemoteQuadSource remote(std::move(*client));
  return Export(remote, remote, [&]() -> Result<std::shared_ptr<const query::english::Lexicon>> {
    auto lexicon = query::english::Lexicon::Load(remote, remote);
    if (!lexicon.ok()) return lexicon.status();
    return std::make_shared<const query::english::Lexicon>(std::move(*lexicon));
  }, args);
}

void AddExportOptions(CLI::App* app, ExportArgs* args) {
  app->add_option("--root", args->roots, "An entity by label, alias or IRI (repeatable)")->type_name("NAME");
  app->add_option("--depth", args->depth, "Steps from the roots, in both directions (default 1)")
      ->type_name("N")->check(CLI::Validator(
          [](std::string& n) { return !n.empty() && n.find_first_not_of("0123456789") == std::string::npos ? "" : "a whole number, 0 or more"; },
          "N >= 0"));
  app->add_option("--construct", args->construct, "A CONSTRUCT query giving the subgraph")->type_name("QUERY");
  AddTimeoutOption(app, &args->timeout_seconds, "With --construct: stop the query after SECONDS");
  app->add_option("--format", args->format, "json (default), jsonld, ntriples, nquads, turtle or dot");
  app->add_flag("--with-evidence", args->with_evidence, "JSON: each edge with its sources, locators and quotes");
  app->add_option("-o,--output", args->output, "Write to FILE instead of standard output")->type_name("FILE");
}

}  // namespace parley::cli
