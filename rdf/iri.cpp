#include "rdf/iri.hpp"

#include <optional>


namespace parley::rdf {

bool IsAbsoluteIri(std::string_view iri) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (iri.empty() || !alpha(iri[0])) return false;
  for (std::size_t i = 1; i < iri.size(); ++i) {
    char c = iri[i];
    if (c == ':') return true;
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}
namespace {

struct IriParts {
  std::optional<std::string_view> scheme, authority, query, fragment;
  std::string_view path;
};

IriParts Split(std::string_view iri) {
  IriParts parts;
  if (IsAbsoluteIri(iri)) {
    auto colon = iri.find(':');
    parts.scheme = iri.substr(0, colon);
    iri.remove_prefix(colon + 1);
  }
  if (auto hash = iri.find('#'); hash != std::string_view::npos) {
    parts.fragment = iri.substr(hash + 1);
    iri = iri.substr(0, hash);
  }
  if (auto question = iri.find('?'); question != std::string_view::npos) {
    parts.query = iri.substr(question + 1);
    iri = iri.substr(0, question);
  }
  if (iri.substr(0, 2) == "//") {
    iri.remove_prefix(2);
    auto slash = iri.find('/');
    parts.authority = iri.substr(0, slash);
    iri = slash == std::string_view::npos ? std::string_view() : iri.substr(slash);
  }
  parts.path = iri;
  return parts;
}

// RFC 3986 §5.2.4.
std::string RemoveDotSegments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {
      input.remove_prefix(3);
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../" || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      auto last = output.rfind('/');
      output.erase(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      std::size_t start = input[0] == '/' ? 1 : 0;
      auto next = input.find('/', start);
      if (next == std::string_view::npos) next = input.size();
      output.append(input.substr(0, next));
      input.remove_prefix(next);
    }
  }
  return output;
}

std::string Merge(const IriParts& base, std::string_view reference_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(reference_path);
  auto slash = base.path.rfind('/');
  if (slash == std::string_view::npos) return std::string(reference_path);
  return std::string(base.path.substr(0, slash + 1)) + std::string(reference_path);
}

}  // namespace

std::string ResolveIri(std::string_view base, std::string_view reference) {
  const IriParts r = Split(reference);
  const IriParts b = Split(base);
  std::optional<std::string_view> scheme, authority, query;
  std::string path;
  if (r.scheme) {
    scheme = r.scheme;
    authority = r.authority;
    path = RemoveDotSegments(r.path);
    query = r.query;
  } else {
    if (r.authority) {
      authority = r.authority;
      path = RemoveDotSegments(r.path);
      query = r.query;
    } else {
      if (r.path.empty()) {
        path = std::string(b.path);
        query = r.query ? r.query : b.query;
      } else {
        path = RemoveDotSegments(r.path[0] == '/' ? std::string(r.path) : Merge(b, r.path));
        query = r.query;
      }
      authority = b.authority;
    }
    scheme = b.scheme;
  }
  std::string out;
  if (scheme) out.append(*scheme).push_back(':');
  if (authority) out.append("//").append(*authority);
  out.append(path);
  if (query) out.append("?").append(*query);
  if (r.fragment) out.append("#").append(*r.fragment);
  return out;
}

}  // namespace parley::rdf
