#include "ingest/ntriples_writer.hpp"

#include <string>
#include <unordered_map>

namespace parley::ingest {
namespace {

// Remembers rendered terms: subjects and predicates repeat from one line to the next.
class RenderCache {
 public:
  explicit RenderCache(const TermDictionary& dictionary) : dictionary_(dictionary) {}
  Status Append(TermId id, std::string* out) {
    auto it = cache_.find(id);
    if (it == cache_.end()) {
      auto term = dictionary_.LookupTerm(id);
      if (!term.ok()) return term.status();
      if (cache_.size() >= kMaxEntries) cache_.clear();
      it = cache_.emplace(id, ToNTriples(*term)).first;
    }
    out->append(it->second);
    return Status::OK();
  }

 private:
  static constexpr std::size_t kMaxEntries = 1 << 20;
  const TermDictionary& dictionary_;
  std::unordered_map<TermId, std::string> cache_;
};

Status Flush(std::string* buffer, std::FILE* out) {
  if (!buffer->empty() && std::fwrite(buffer->data(), 1, buffer->size(), out) != buffer->size()) {
    return Status::IOError("cannot write output");
  }
  buffer->clear();
  return Status::OK();
}

}  // namespace

Status Dump(const QuadSource& source, const TermDictionary& dictionary, DumpFormat format, std::FILE* out) {
  RenderCache cache(dictionary);
  auto cursor = format == DumpFormat::kNTriples ? source.ScanUnion(QuadPattern{}) : source.Scan(QuadPattern{});
  std::string buffer;
  Quad q;
  while (cursor->Next(&q)) {
    PARLEY_RETURN_IF_ERROR(cache.Append(q.subject, &buffer));
    buffer.push_back(' ');
    PARLEY_RETURN_IF_ERROR(cache.Append(q.predicate, &buffer));
    buffer.push_back(' ');
    PARLEY_RETURN_IF_ERROR(cache.Append(q.object, &buffer));
    if (format == DumpFormat::kNQuads && q.graph != kDefaultGraph) {
      buffer.push_back(' ');
      PARLEY_RETURN_IF_ERROR(cache.Append(q.graph, &buffer));
    }
    buffer.append(" .\n");
    if (buffer.size() >= (1 << 20)) PARLEY_RETURN_IF_ERROR(Flush(&buffer, out));
  }
  PARLEY_RETURN_IF_ERROR(cursor->status());
  PARLEY_RETURN_IF_ERROR(Flush(&buffer, out));
  if (std::fflush(out) != 0) return Status::IOError("cannot write output");
  return Status::OK();
}

}  // namespace parley::ingest
