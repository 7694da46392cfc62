// server/page.hpp
// The query page `parley serve` shows at /: plain HTML and JavaScript in the binary,
// nothing fetched from the network. A box takes a question or SPARQL; questions go to
// /ask, SPARQL to /query. Answers are a table whose entities link to a view of the
// entity's facts with their sources, and each answer's "why" opens its evidence.
// `/?q=TEXT` runs TEXT at once, `&why=1` opens every answer's evidence too (links can
// be shared, and the browser test uses them).
#pragma once

#include <string_view>

namespace parley::server {

std::string_view QueryPage();

}  // namespace parley::server
