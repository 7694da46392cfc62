#include "ingest/rdf_loader.hpp"

#include "ingest/turtle_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>

namespace parley::ingest {
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
  if (path == "-" || EndsWith(path, ".nq") || EndsWith(path, ".nquads")) return RdfFormat::kNQuads;
  if (EndsWith(path, ".nt") || EndsWith(path, ".ntriples")) return RdfFormat::kNTriples;
  if (EndsWith(path, ".ttl") || EndsWith(path, ".turtle")) return RdfFormat::kTurtle;
  return Status::InvalidArgument("cannot tell the format of " + path + " from its extension; use --format");
}

Result<store::LoadSummary> LoadRdfFiles(store::QuadStore& store, const std::vector<std::string>& paths,
                                        const RdfLoadOptions& options) {
  if (!options.graph.empty() && !IsAbsoluteIri(options.graph)) {
    return Status::InvalidArgument("--graph needs an absolute IRI, not \"" + options.graph + "\"");
  }
  std::vector<RdfFormat> formats;
  for (const auto& path : paths) {
    auto format = options.format ? Result<RdfFormat>(*options.format) : FormatForPath(path);
    if (!format.ok()) return format.status();
    formats.push_back(*format);
  }
  auto loader = store.NewLoader(options.store);
  if (!loader.ok()) return loader.status();
  StatementEncoder encoder(**loader, options);
  auto on_statement = [&](const Statement& st) { return encoder.Add(st); };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    encoder.StartDocument();
    const bool is_stdin = path == "-";
    std::FILE* file = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
    if (file == nullptr) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
    const std::string origin = is_stdin ? "<stdin>" : path;
    Status s = formats[i] == RdfFormat::kTurtle ? ReadTurtle(file, origin, BaseFor(path, options), on_statement)
                                                : ReadNTriples(file, formats[i], origin, on_statement);
    if (!is_stdin) std::fclose(file);
    PARLEY_RETURN_IF_ERROR(s);
  }
  if (options.progress) options.progress((*loader)->summary().quads_added);
  if (options.before_commit) options.before_commit();
  PARLEY_RETURN_IF_ERROR((*loader)->Commit());
  return (*loader)->summary();
}

}  // namespace parley::ingest
