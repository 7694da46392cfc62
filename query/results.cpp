#include "query/results.hpp"

#include <nlohmann/json.hpp>

namespace parley::query {
namespace {

nlohmann::json TermJson(const Term& t) {
  nlohmann::json j;
  switch (t.kind) {
    case TermKind::kIri:
      j["type"] = "uri";
      j["value"] = t.value;
      break;
    case TermKind::kBlankNode:
      j["type"] = "bnode";
      j["value"] = t.value;
      break;
    case TermKind::kLiteral:
      j["type"] = "literal";
      j["value"] = t.value;
      if (!t.language.empty()) {
        j["xml:lang"] = t.language;
      } else if (!t.datatype.empty() && t.datatype != kXsdString) {
        j["datatype"] = t.datatype;
      }
      break;
  }
  return j;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Collects text into blocks of about 64 KiB before handing them on, so that a large
// answer costs few writes.
class Buffered {
 public:
  explicit Buffered(TextOutput out) : out_(std::move(out)) {}
  Status Add(std::string_view text) {
    buffer_ += text;
    return buffer_.size() >= kBlock ? Flush() : Status::OK();
  }
  Status Flush() {
    if (buffer_.empty()) return Status::OK();
    Status s = out_(buffer_);
    buffer_.clear();
    return s;
  }

 private:
  static constexpr std::size_t kBlock = 64 << 10;
  TextOutput out_;
  std::string buffer_;
};

class JsonWriter final : public ResultSink {
 public:
  explicit JsonWriter(TextOutput out) : out_(std::move(out)) {}
  Status Begin(QueryForm form, const std::vector<std::string>& vars) override {
    vars_ = vars;
    if (form == QueryForm::kAsk) return Status::OK();
    return out_.Add("{\n  \"head\": {\"vars\": " + nlohmann::json(vars).dump() + "},\n  \"results\": {\"bindings\": [");
  }
  Status Row(const std::vector<std::optional<Term>>& row) override {
    nlohmann::json b = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row[i]) b[vars_[i]] = TermJson(*row[i]);
    }
    const char* separator = rows_++ == 0 ? "\n    " : ",\n    ";
    return out_.Add(separator + b.dump());
  }
  Status Triple(const query::Triple&) override { return Status::InvalidArgument("JSON results hold rows, not triples"); }
  Status Boolean(bool value) override {
    boolean_ = true;
    return out_.Add(std::string("{\n  \"head\": {},\n  \"boolean\": ") + (value ? "true" : "false") + "\n}\n");
  }
  Status End() override {
    if (!boolean_) PARLEY_RETURN_IF_ERROR(out_.Add(rows_ == 0 ? "]}\n}\n" : "\n  ]}\n}\n"));
    return out_.Flush();
  }

 private:
  Buffered out_;
  std::vector<std::string> vars_;
  std::uint64_t rows_ = 0;
  bool boolean_ = false;
};

// CSV and TSV differ in separators, line ends and how terms are written.
class DelimitedWriter final : public ResultSink {
 public:
  DelimitedWriter(TextOutput out, bool csv) : out_(std::move(out)), csv_(csv) {}
  Status Begin(QueryForm form, const std::vector<std::string>& vars) override {
    if (form == QueryForm::kAsk) return Status::OK();
    std::string line;
    for (std::size_t i = 0; i < vars.size(); ++i) {
      if (i) line += csv_ ? "," : "\t";
      line += csv_ ? CsvField(vars[i]) : "?" + vars[i];
    }
    return out_.Add(line + LineEnd());
  }
  Status Row(const std::vector<std::optional<Term>>& row) override {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) line += csv_ ? "," : "\t";
      if (!row[i]) continue;
      if (!csv_) line += ToNTriples(*row[i]);
      else line += CsvField(row[i]->kind == TermKind::kBlankNode ? "_:" + row[i]->value : row[i]->value);
    }
    return out_.Add(line + LineEnd());
  }
  Status Triple(const query::Triple&) override { return Status::InvalidArgument("CSV and TSV results hold rows, not triples"); }
  Status Boolean(bool value) override {
    return out_.Add(std::string(csv_ ? "_askResult" : "?_askResult") + LineEnd() + (value ? "true" : "false") + LineEnd());
  }
  Status End() override { return out_.Flush(); }

 private:
  const char* LineEnd() const { return csv_ ? "\r\n" : "\n"; }
  Buffered out_;
  bool csv_;
};

// Text with the five XML special characters escaped (and the controls XML 1.0 cannot
// hold written as U+FFFD).
std::string XmlEscaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

// SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/).
class XmlWriter final : public ResultSink {
 public:
  explicit XmlWriter(TextOutput out) : out_(std::move(out)) {}
  Status Begin(QueryForm form, const std::vector<std::string>& vars) override {
    vars_ = vars;
    std::string head = "<?xml version=\"1.0\"?>\n<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n  <head>\n";
    if (form != QueryForm::kAsk) {
      for (const auto& v : vars) head += "    <variable name=\"" + XmlEscaped(v) + "\"/>\n";
    }
    head += "  </head>\n";
    if (form != QueryForm::kAsk) head += "  <results>\n";
    return out_.Add(head);
  }
  Status Row(const std::vector<std::optional<Term>>& row) override {
    std::string r = "    <result>\n";
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (!row[i]) continue;
      r += "      <binding name=\"" + XmlEscaped(vars_[i]) + "\">" + TermXml(*row[i]) + "</binding>\n";
    }
    return out_.Add(r + "    </result>\n");
  }
  Status Triple(const query::Triple&) override { return Status::InvalidArgument("XML results hold rows, not triples"); }
  Status Boolean(bool value) override {
    boolean_ = true;
    return out_.Add(std::string("  <boolean>") + (value ? "true" : "false") + "</boolean>\n</sparql>\n");
  }
  Status End() override {
    if (!boolean_) PARLEY_RETURN_IF_ERROR(out_.Add("  </results>\n</sparql>\n"));
    return out_.Flush();
  }

 private:
  static std::string TermXml(const Term& t) {
    switch (t.kind) {
      case TermKind::kIri: return "<uri>" + XmlEscaped(t.value) + "</uri>";
      case TermKind::kBlankNode: return "<bnode>" + XmlEscaped(t.value) + "</bnode>";
      case TermKind::kLiteral:
        if (!t.language.empty()) return "<literal xml:lang=\"" + XmlEscaped(t.language) + "\">" + XmlEscaped(t.value) + "</literal>";
        if (!t.datatype.empty() && t.datatype != kXsdString) {
          return "<literal datatype=\"" + XmlEscaped(t.datatype) + "\">" + XmlEscaped(t.value) + "</literal>";
        }
        return "<literal>" + XmlEscaped(t.value) + "</literal>";
    }
    return "";
  }

  Buffered out_;
  std::vector<std::string> vars_;
  bool boolean_ = false;
};

class NTriplesWriter final : public ResultSink {
 public:
  explicit NTriplesWriter(TextOutput out) : out_(std::move(out)) {}
  Status Begin(QueryForm, const std::vector<std::string>&) override { return Status::OK(); }
  Status Row(const std::vector<std::optional<Term>>&) override {
    return Status::InvalidArgument("N-Triples holds the triples of CONSTRUCT and DESCRIBE, not rows");
  }
  Status Triple(const query::Triple& t) override {
    return out_.Add(ToNTriples(t.subject) + " " + ToNTriples(t.predicate) + " " + ToNTriples(t.object) + " .\n");
  }
  Status Boolean(bool) override { return Status::InvalidArgument("N-Triples cannot hold a yes/no answer"); }
  Status End() override { return out_.Flush(); }

 private:
  Buffered out_;
};

// Runs a writer over a whole result and returns its text.
std::string Write(ResultFormat format, const QueryResult& result) {
  std::string text;
  auto writer = NewResultWriter(format, [&](std::string_view chunk) {
    text += chunk;
    return Status::OK();
  });
  Status s = writer->Begin(result.form, result.vars);
  if (result.form == QueryForm::kAsk) {
    if (s.ok()) s = writer->Boolean(result.boolean);
  } else if (result.form == QueryForm::kSelect) {
    for (std::size_t i = 0; s.ok() && i < result.rows.size(); ++i) s = writer->Row(result.rows[i]);
  } else {
    for (std::size_t i = 0; s.ok() && i < result.triples.size(); ++i) s = writer->Triple(result.triples[i]);
  }
  if (s.ok()) s = writer->End();
  return text;
}

}  // namespace

std::unique_ptr<ResultSink> NewResultWriter(ResultFormat format, TextOutput out) {
  switch (format) {
    case ResultFormat::kJson: return std::make_unique<JsonWriter>(std::move(out));
    case ResultFormat::kCsv: return std::make_unique<DelimitedWriter>(std::move(out), true);
    case ResultFormat::kTsv: return std::make_unique<DelimitedWriter>(std::move(out), false);
    case ResultFormat::kNTriples: return std::make_unique<NTriplesWriter>(std::move(out));
    case ResultFormat::kXml: return std::make_unique<XmlWriter>(std::move(out));
  }
  return nullptr;
}

std::string ResultsJson(const QueryResult& result) { return Write(ResultFormat::kJson, result); }
std::string ResultsCsv(const QueryResult& result) { return Write(ResultFormat::kCsv, result); }
std::string ResultsTsv(const QueryResult& result) { return Write(ResultFormat::kTsv, result); }
std::string TriplesNTriples(const QueryResult& result) { return Write(ResultFormat::kNTriples, result); }
std::string ResultsXml(const QueryResult& result) { return Write(ResultFormat::kXml, result); }

}  // namespace parley::query
