#include "server/protocol.hpp"

#include <gtest/gtest.h>

namespace parley::server {
namespace {

TEST(ProtocolTest, PercentDecodingAndParameters) {
  EXPECT_EQ(PercentDecode("SELECT%20%3Fs%20WHERE+%7B%7D", true), "SELECT ?s WHERE {}");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("100%", true), "100%");    // a malformed escape stays
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");
  EXPECT_EQ(PercentDecode("%C3%A9", true), "\xC3\xA9");
  const Parameters p = ParseParameters("query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa&default-graph-uri=http%3A%2F%2Fb&x&=y");
  EXPECT_EQ(p.at("query"), std::vector<std::string>{"ASK{}"});
  EXPECT_EQ(p.at("default-graph-uri"), (std::vector<std::string>{"http://a", "http://b"}));
  EXPECT_EQ(p.at("x"), std::vector<std::string>{""});
  EXPECT_EQ(PercentDecode(PercentEncode("who met Kim? & why/not"), true), "who met Kim? & why/not");
  EXPECT_EQ(MediaType("Application/SPARQL-Query ; charset=UTF-8"), "application/sparql-query");
}

TEST(ProtocolTest, ContentNegotiationByQualityThenSpecificityThenOrder) {
  const std::vector<std::string> offered = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                            "text/tab-separated-values"};
  EXPECT_EQ(Negotiate("", offered), "application/sparql-results+json");
  EXPECT_EQ(Negotiate("*/*", offered), "application/sparql-results+json");
  EXPECT_EQ(Negotiate("text/csv", offered), "text/csv");
  EXPECT_EQ(Negotiate("application/sparql-results+xml, application/sparql-results+json;q=0.9", offered),
            "application/sparql-results+xml");
  EXPECT_EQ(Negotiate("application/sparql-results+json;q=0.5, text/*;q=0.8", offered), "text/csv");
  EXPECT_EQ(Negotiate("text/*, text/tab-separated-values;q=1", offered), "text/tab-separated-values");  // more specific
  EXPECT_EQ(Negotiate("text/csv;q=0, */*;q=0.1", offered), "application/sparql-results+json");
  EXPECT_EQ(Negotiate("image/png", offered), "");
  EXPECT_EQ(Negotiate("text/csv;q=0", offered), "");
}

TEST(ProtocolTest, StatusCodesForFailedQueries) {
  EXPECT_EQ(StatusFor(Status::InvalidArgument("query:1:1: error: expected a query")), 400);
  EXPECT_EQ(StatusFor(Status::IOError("query timed out after 30000 ms")), 503);
  EXPECT_EQ(StatusFor(Status::IOError("query stopped: memory limit reached")), 503);
  EXPECT_EQ(StatusFor(Status::Corruption("bad key")), 500);
}

}  // namespace
}  // namespace parley::server
