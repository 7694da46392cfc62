#include "ingest/rdf_loader.hpp"

#include "ingest/facts/duplicates.hpp"
#include "ingest/facts/fact_loader.hpp"
#include "ingest/facts/known_entities.hpp"
#include "ingest/jsonld_reader.hpp"
#include "ingest/rdfxml_reader.hpp"
#include "ingest/turtle_reader.hpp"
#include "rdf/iri.hpp"
#include "rdf/percent_encoding.hpp"
#include "rdf/vocabulary.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>
#include <cstring>
#include <map>
#include <filesystem>
#include <tuple>
#include <unordered_map>

namespace parley::ingest {

using namespace parley::rdf;  // IRIs, characters, vocabulary, positions (rdf/)
namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Turns parsed statements into the store's term encodings, renaming blank nodes so
// that each document's labels are its own.
class StatementEncoder {
 public:
  StatementEncoder(store::Loader& loader, const RdfLoadOptions& options) : loader_(loader), options_(options) {
    if (!options.graph.empty()) default_graph_ = EncodeTerm(Term::Iri(options.graph));
  }

  void StartDocument() { blank_labels_.clear(); }

  Status Add(const Statement& st) {
    Encode(st.subject, &subject_);
    Encode(st.predicate, &predicate_);
    Encode(st.object, &object_);
    std::string_view graph = default_graph_;
    if (st.graph) {
      Encode(*st.graph, &graph_);
      graph = graph_;
    }
    PARLEY_RETURN_IF_ERROR(loader_.Add(subject_, predicate_, object_, graph));
    if (options_.progress && (++count_ & 0x3FFF) == 0) options_.progress(count_);
    return Status::OK();
  }

 private:
  void Encode(const TermView& term, std::string* out) {
    out->clear();
    if (term.kind != TermKind::kBlankNode) {
      EncodeTerm(term, out);
      return;
    }
    auto it = blank_labels_.find(std::string(term.value));
    if (it == blank_labels_.end()) it = blank_labels_.emplace(std::string(term.value), loader_.NewBlankNodeLabel()).first;
    EncodeTerm(TermView{TermKind::kBlankNode, it->second, {}, {}}, out);
  }

  store::Loader& loader_;
  const RdfLoadOptions& options_;
  std::string default_graph_;
  std::unordered_map<std::string, std::string> blank_labels_;
  std::string subject_, predicate_, object_, graph_;
  std::uint64_t count_ = 0;
};

// The base IRI for a document: --base when given, else the file's own file:// IRI.
std::string BaseFor(const std::string& path, const RdfLoadOptions& options) {
  if (!options.base.empty() || path == "-") return options.base;
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? std::string() : "file://" + absolute.string();
}

}  // namespace

Result<RdfFormat> FormatForPath(const std::string& path) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": it is a directory");
  if (path == "-" || EndsWith(path, ".nq") || EndsWith(path, ".nquads")) return RdfFormat::kNQuads;
  if (EndsWith(path, ".nt") || EndsWith(path, ".ntriples")) return RdfFormat::kNTriples;
  if (EndsWith(path, ".ttl") || EndsWith(path, ".turtle")) return RdfFormat::kTurtle;
  if (EndsWith(path, ".trig")) return RdfFormat::kTriG;
  if (EndsWith(path, ".rdf") || EndsWith(path, ".owl") || EndsWith(path, ".xml")) return RdfFormat::kRdfXml;
  if (EndsWith(path, ".jsonld")) return RdfFormat::kJsonLd;
  if (EndsWith(path, ".json")) return RdfFormat::kFactsJson;
  return Status::InvalidArgument("cannot tell the format of " + path + " from its extension; use --format");
}

namespace {

// Errors and warnings in the order of the load's files, then of their lines. A file's
// own position-less messages come first, except the note that more errors follow.
void SortByPosition(const std::vector<std::string>& paths, std::vector<Diagnostic>* all) {
  auto file_index = [&](const Diagnostic& d) {
    return static_cast<std::size_t>(std::find(paths.begin(), paths.end(), d.origin) - paths.begin());
  };
  auto line = [](const Diagnostic& d) {
    const bool last = d.line == 0 && d.message.rfind("more errors follow", 0) == 0;
    return last ? ~std::uint64_t{0} : d.line;
  };
  std::stable_sort(all->begin(), all->end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::make_tuple(file_index(a), line(a), a.column) < std::make_tuple(file_index(b), line(b), b.column);
  });
}

// Reads and validates every fact file of the load, then checks their references
// against each other and the database and looks for records that repeat an entity.
// Every error of every file and phase is reported together, in file and line order.
// The text a fact file's source names, read relative to the fact file; errors at
// /source/text. The file's content hash takes in the text's, so a corrected text
// loads again.
std::optional<facts::SourceText> ReadSourceText(facts::FactFile* file, std::vector<Diagnostic>* errors) {
  if (!file->validated || file->source.text.empty()) return std::nullopt;
  const auto path = std::filesystem::path(file->path).parent_path() / file->source.text;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in || in.bad()) {
    errors->push_back(facts::DiagnosticAt(*file, "/source/text", "cannot read the source's text " + path.string() + ": " +
                                                                     std::strerror(errno)));
    return std::nullopt;
  }
  facts::SourceText text = facts::SplitSourceText(file->source.text, bytes.str());
  for (Diagnostic& d : facts::VerifyQuotes(*file, text)) errors->push_back(std::move(d));
  file->content_hash += "/" + text.sha256;
  return text;
}

Status ReadFactFiles(const store::QuadStore& store, const std::vector<std::string>& paths,
                     const std::vector<RdfFormat>& formats, bool strict, std::vector<facts::FactFile>* out,
                     std::vector<std::optional<facts::SourceText>>* texts, std::vector<Diagnostic>* warnings) {
  std::vector<Diagnostic> errors;
  auto keep = [&](const Status& s, const std::string& path = "") {
    if (s.ok()) return;
    if (!s.diagnostic()) {
      errors.push_back(Diagnostic{path, 0, 0, s.message(), "", 1});
      return;
    }
    errors.push_back(*s.diagnostic());
    errors.insert(errors.end(), s.more_diagnostics().begin(), s.more_diagnostics().end());
  };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (formats[i] != RdfFormat::kFactsJson) continue;
    facts::FactFile file;
    keep(facts::ReadFactFile(paths[i], &file), paths[i]);
    if (file.path.empty()) file.path = paths[i];
    texts->push_back(ReadSourceText(&file, &errors));
    out->push_back(std::move(file));
  }
  std::map<std::string, std::string> seen;  // source id -> path
  for (const auto& file : *out) {
    if (file.source.id.empty()) continue;
    auto [it, fresh] = seen.emplace(file.source.id, file.path);
    if (!fresh) errors.push_back(Diagnostic{file.path, 0, 0, "source \"" + file.source.id + "\" is also loaded from " + it->second, "", 1});
  }
  const auto snapshot = store.GetSnapshot();
  const facts::KnownEntities known(*snapshot, *snapshot);
  keep(facts::CheckReferences(*out, facts::DatabaseIds{[&](const std::string& id) { return known.KindOf(id); },
                                                       [&] { return known.Ids(); }}));
  // Warnings (errors under --strict): suspected duplicates and draft notes.
  auto doubtful = facts::FindDuplicates(*out, known);
  if (!doubtful.ok()) return doubtful.status();
  for (const auto& file : *out) {
    if (!file.has_draft_notes) continue;
    doubtful->push_back(facts::DiagnosticAt(
        file, "/draft", "the draft notes are not loaded; delete \"draft\" once its references are in records"));
  }
  for (Diagnostic& d : *doubtful) {
    d.warning = !strict;
    (strict ? errors : *warnings).push_back(std::move(d));
  }
  if (errors.empty()) {
    SortByPosition(paths, warnings);
    return Status::OK();
  }
  // A failed load reports its warnings too, among the errors, so that one run shows all.
  errors.insert(errors.end(), std::make_move_iterator(warnings->begin()), std::make_move_iterator(warnings->end()));
  warnings->clear();
  SortByPosition(paths, &errors);
  return Status::ParseErrors(std::move(errors));
}

}  // namespace

Status ReadRdfFile(const std::string& path, RdfFormat format, std::string_view base, const StatementCallback& on_statement) {
  if (format == RdfFormat::kFactsJson) return Status::InvalidArgument(path + " is a fact file, not RDF");
  const bool is_stdin = path == "-";
  std::FILE* file = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  const std::string origin = is_stdin ? "<stdin>" : path;
  Status s = format == RdfFormat::kTurtle ? ReadTurtle(file, origin, base, on_statement)
             : format == RdfFormat::kTriG ? ReadTriG(file, origin, base, on_statement)
             : format == RdfFormat::kRdfXml ? ReadRdfXml(file, origin, base, on_statement)
             : format == RdfFormat::kJsonLd ? ReadJsonLd(file, origin, base, on_statement)
                                          : ReadNTriples(file, format, origin, on_statement);
  if (!is_stdin) std::fclose(file);
  return s;
}

Status ReadLocalDocument(const std::string& iri, const TermStatementCallback& on_statement) {
  std::string path = iri;
  if (iri.starts_with("file://")) {
    path = PercentDecode(iri.substr(7), false);
  } else if (IsAbsoluteIri(iri)) {
    return Status::InvalidArgument("Parley reads no network: LOAD takes file: IRIs and local paths, not <" + iri + ">");
  }
  auto format = FormatForPath(path);
  if (!format.ok()) return format.status();
  if (*format == RdfFormat::kFactsJson) {
    return Status::InvalidArgument(path + " is a fact file: load it with `parley load`, which checks its evidence");
  }
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  return ReadRdfFile(path, *format, ec ? std::string() : "file://" + absolute.string(), [&](const Statement& st) {
    const Term graph = st.graph ? ToTerm(*st.graph) : Term{};
    return on_statement(ToTerm(st.subject), ToTerm(st.predicate), ToTerm(st.object), st.graph ? &graph : nullptr);
  });
}

Result<LoadReport> LoadRdfFiles(store::QuadStore& store, const std::vector<std::string>& paths,
                                const RdfLoadOptions& options) {
  if (!options.graph.empty() && !IsAbsoluteIri(options.graph)) {
    return Status::InvalidArgument("--graph needs an absolute IRI, not \"" + options.graph + "\"");
  }
  std::vector<RdfFormat> formats;
  for (const auto& path : paths) {
    auto format = options.format ? Result<RdfFormat>(*options.format) : FormatForPath(path);
    if (!format.ok()) return format.status();
    if (*format == RdfFormat::kFactsJson && path == "-") {
      return Status::InvalidArgument("fact files are read from files, not standard input");
    }
    formats.push_back(*format);
  }
  std::vector<facts::FactFile> fact_files;
  std::vector<std::optional<facts::SourceText>> texts;  // per fact file
  LoadReport report;
  PARLEY_RETURN_IF_ERROR(ReadFactFiles(store, paths, formats, options.strict, &fact_files, &texts, &report.warnings));

  auto loader = store.NewLoader(options.store);
  if (!loader.ok()) return loader.status();
  if (options.replace_graph && !options.graph.empty()) {
    if (auto graph = store.LookupId(Term::Iri(options.graph)); graph.ok()) {
      std::vector<Quad> old;
      PARLEY_RETURN_IF_ERROR(DrainCursor(*store.Scan(QuadPattern{{}, {}, {}, *graph}), &old));
      for (const Quad& q : old) PARLEY_RETURN_IF_ERROR((*loader)->Remove(q));
    }
  }
  const std::string loaded_at = facts::NowAsDateTime();
  StatementEncoder encoder(**loader, options);
  auto on_statement = [&](const Statement& st) { return encoder.Add(st); };
  std::size_t next_fact_file = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    if (formats[i] == RdfFormat::kFactsJson) {
      const auto& text = texts[next_fact_file];
      const auto& file = fact_files[next_fact_file++];
      facts::FactLoadResult result;
      PARLEY_RETURN_IF_ERROR(facts::AddFactFile(file, text ? &*text : nullptr, store, **loader, loaded_at, &result));
      report.notes.push_back("source " + file.source.id + ": " +
                             (result.unchanged ? std::string("unchanged")
                                               : std::to_string(result.facts) + " facts" +
                                                     (result.replaced ? ", replacing its previous version" : "")));
      continue;
    }
    encoder.StartDocument();
    PARLEY_RETURN_IF_ERROR(ReadRdfFile(path, formats[i], BaseFor(path, options), on_statement));
  }
  if (options.progress) options.progress((*loader)->summary().quads_added);
  if (options.before_commit) options.before_commit();
  PARLEY_RETURN_IF_ERROR((*loader)->Commit());
  report.store = (*loader)->summary();
  return report;
}

}  // namespace parley::ingest
