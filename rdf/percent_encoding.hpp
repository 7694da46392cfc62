// rdf/percent_encoding.hpp
// %XX encoding of URLs and form bodies (application/x-www-form-urlencoded), shared by
// the server, which reads them, and the endpoint client, which writes them.
#pragma once

#include <string>
#include <string_view>

namespace parley::rdf {

// Every byte but the unreserved ones (letters, digits, - _ . ~) as %XX.
std::string PercentEncode(std::string_view text);
// %XX decoding; with `form`, '+' is a space. Malformed escapes stay as they are.
std::string PercentDecode(std::string_view text, bool form);

}  // namespace parley::rdf
