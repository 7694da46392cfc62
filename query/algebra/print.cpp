// query/algebra/print.cpp
// The algebra in the notation of the spec's examples (SSE, as Jena and the W3C test
// suites print it): one operator a line, its operands indented below it.
#include <cctype>
#include <sstream>

#include "query/algebra/algebra.hpp"

namespace parley::query::algebra {
namespace {

using ExprOp = ast::Expr::Op;

std::string TermText(const ast::PatternTerm& t) {
  if (t.is_var) return t.var.starts_with("_:") ? t.var : "?" + t.var;
  return ToNTriples(t.term);
}

}  // namespace

std::string PrintPath(const ast::Path& p) {
  using P = ast::Path::Op;
  auto joined = [&](const char* sep) {
    std::string out = "(";
    for (std::size_t i = 0; i < p.children.size(); ++i) out += (i ? sep : "") + PrintPath(p.children[i]);
    return out + ")";
  };
  switch (p.op) {
    case P::kLink: return "<" + p.iri + ">";
    case P::kInverse: return "^" + PrintPath(p.children[0]);
    case P::kSequence: return joined("/");
    case P::kAlternative: return joined("|");
    case P::kZeroOrMore: return PrintPath(p.children[0]) + "*";
    case P::kOneOrMore: return PrintPath(p.children[0]) + "+";
    case P::kZeroOrOne: return PrintPath(p.children[0]) + "?";
    case P::kNegated: {
      std::string out = "!(";
      for (std::size_t i = 0; i < p.negated.size(); ++i) {
        out += (i ? "|" : "") + std::string(p.negated[i].first ? "^" : "") + "<" + p.negated[i].second + ">";
      }
      return out + ")";
    }
  }
  return "?";
}

namespace {

std::string TripleText(const ast::TriplePattern& t) {
  const std::string predicate = t.predicate_is_var ? "?" + t.predicate_var : PrintPath(t.path);
  return "(triple " + TermText(t.subject) + " " + predicate + " " + TermText(t.object) + ")";
}

const char* OpName(ExprOp op) {
  switch (op) {
    case ExprOp::kOr: return "||";
    case ExprOp::kAnd: return "&&";
    case ExprOp::kNot: return "!";
    case ExprOp::kEq: return "=";
    case ExprOp::kNe: return "!=";
    case ExprOp::kLt: return "<";
    case ExprOp::kGt: return ">";
    case ExprOp::kLe: return "<=";
    case ExprOp::kGe: return ">=";
    case ExprOp::kIn: return "in";
    case ExprOp::kNotIn: return "notin";
    case ExprOp::kAdd: return "+";
    case ExprOp::kSub: return "-";
    case ExprOp::kMul: return "*";
    case ExprOp::kDiv: return "/";
    case ExprOp::kNeg: return "-";
    case ExprOp::kPlus: return "+";
    case ExprOp::kExists: return "exists";
    case ExprOp::kNotExists: return "notexists";
    default: return "";
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void Line(std::ostringstream& out, int depth, const std::string& text) {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << text << "\n";
}

std::string ExprList(const std::vector<ast::Expr>& exprs) {
  if (exprs.size() == 1) return PrintExpr(exprs[0]);
  std::string out = "(exprlist";
  for (const auto& e : exprs) out += " " + PrintExpr(e);
  return out + ")";
}

void PrintNode(const Node& n, int depth, std::ostringstream& out) {
  auto children = [&] {
    for (const auto& c : n.children) PrintNode(*c, depth + 1, out);
  };
  switch (n.op) {
    case Op::kBgp:
      Line(out, depth, "(bgp");
      for (const auto& t : n.triples) Line(out, depth + 1, TripleText(t));
      break;
    case Op::kPath:
      Line(out, depth, "(path " + TripleText(n.triples[0]).substr(8, std::string::npos));
      return;
    case Op::kTable: {
      if (n.IsUnit()) {
        Line(out, depth, "(table unit)");
        return;
      }
      std::string vars = "(vars";
      for (const auto& v : n.table.vars) vars += " ?" + v;
      Line(out, depth, "(table " + vars + ")");
      for (const auto& row : n.table.rows) {
        std::string text = "(row";
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (row[i]) text += " [?" + n.table.vars[i] + " " + ToNTriples(*row[i]) + "]";
        }
        Line(out, depth + 1, text + ")");
      }
      break;
    }
    case Op::kJoin: Line(out, depth, "(join"); children(); break;
    case Op::kLeftJoin:
      Line(out, depth, "(leftjoin");
      children();
      if (!n.exprs.empty()) Line(out, depth + 1, ExprList(n.exprs));
      break;
    case Op::kFilter: Line(out, depth, "(filter " + ExprList(n.exprs)); children(); break;
    case Op::kUnion: Line(out, depth, "(union"); children(); break;
    case Op::kMinus: Line(out, depth, "(minus"); children(); break;
    case Op::kGraph: Line(out, depth, "(graph " + TermText(n.graph)); children(); break;
    case Op::kExtend: Line(out, depth, "(extend ((?" + n.var + " " + PrintExpr(n.exprs[0]) + "))"); children(); break;
    case Op::kGroup: {
      std::string keys = "(";
      for (std::size_t i = 0; i < n.keys.size(); ++i) keys += (i ? " ?" : "?") + n.keys[i];
      std::string aggs = "(";
      for (std::size_t i = 0; i < n.aggregates.size(); ++i) {
        aggs += (i ? " " : "") + std::string("(?") + n.aggregates[i].var + " " + PrintExpr(n.aggregates[i].call) + ")";
      }
      Line(out, depth, "(group " + keys + ") " + aggs + ")");
      children();
      break;
    }
    case Op::kOrderBy: {
      std::string keys = "(";
      for (std::size_t i = 0; i < n.order.size(); ++i) {
        const std::string e = PrintExpr(n.order[i].expr);
        keys += (i ? " " : "") + (n.order[i].descending ? "(desc " + e + ")" : e);
      }
      Line(out, depth, "(order " + keys + ")");
      children();
      break;
    }
    case Op::kProject: {
      std::string vars = "(";
      for (std::size_t i = 0; i < n.vars.size(); ++i) vars += (i ? " ?" : "?") + n.vars[i];
      Line(out, depth, "(project " + vars + ")");
      children();
      break;
    }
    case Op::kDistinct: Line(out, depth, "(distinct"); children(); break;
    case Op::kReduced: Line(out, depth, "(reduced"); children(); break;
    case Op::kSlice:
      Line(out, depth, "(slice " + std::to_string(n.offset) + " " + (n.limit ? std::to_string(*n.limit) : "_"));
      children();
      break;
  }
  out.seekp(-1, std::ios_base::cur);
  out << ")\n";
}

}  // namespace

std::string PrintExpr(const ast::Expr& e) {
  switch (e.op) {
    case ExprOp::kTerm: return TermText(e.term);
    case ExprOp::kCall:
    case ExprOp::kAggregate: {
      std::string name = e.name.find(':') != std::string::npos ? "<" + e.name + ">" : Lower(e.name);
      std::string out = "(" + name + (e.distinct ? " distinct" : "");
      if (e.op == ExprOp::kAggregate && e.args.empty()) out += " *";
      for (const auto& a : e.args) out += " " + PrintExpr(a);
      return out + ")";
    }
    case ExprOp::kExists:
    case ExprOp::kNotExists: {
      std::string pattern = Print(*TranslateGroup(*e.pattern));
      while (!pattern.empty() && pattern.back() == '\n') pattern.pop_back();
      for (std::size_t at = pattern.find('\n'); at != std::string::npos; at = pattern.find('\n', at + 1)) {
        pattern.replace(at, 1, " ");
      }
      return std::string("(") + OpName(e.op) + " " + pattern + ")";
    }
    default: {
      std::string out = std::string("(") + OpName(e.op);
      for (const auto& a : e.args) out += " " + PrintExpr(a);
      return out + ")";
    }
  }
}

std::string Print(const Node& node) {
  std::ostringstream out;
  PrintNode(node, 0, out);
  return out.str();
}

}  // namespace parley::query::algebra
