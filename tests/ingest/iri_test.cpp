#include "rdf/iri.hpp"

#include <gtest/gtest.h>

namespace parley::ingest {
namespace {

// The normal and abnormal examples of RFC 3986 §5.4.
TEST(IriTest, Rfc3986Examples) {
  const std::string base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g:h", "g:h"},           {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},          {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"}, {";x", "http://a/b/c/;x"},   {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},    {"./", "http://a/b/c/"},       {"..", "http://a/b/"},
      {"../g", "http://a/b/g"},  {"../..", "http://a/"},        {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"}, {"/./g", "http://a/g"},     {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."}, {"..g", "http://a/b/c/..g"},   {"./../g", "http://a/b/g"},
      {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"}, {"http:g", "http:g"},
  };
  for (const auto& [reference, expected] : cases) EXPECT_EQ(rdf::ResolveIri(base, reference), expected) << reference;
}

}  // namespace
}  // namespace parley::ingest
