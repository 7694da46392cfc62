// query/exec/op_path.cpp
// A triple pattern whose predicate is a property path (§18.4), joined to each input row:
// sequences, alternatives, inverses, closures by breadth-first search from the bound end,
// and negated property sets. Paths stay inside one graph; with GRAPH ?g unbound, each
// named graph is walked in turn.
#include <set>
#include <unordered_set>

#include "query/exec/operator.hpp"

namespace parley::query::exec {

namespace {

using PairSink = std::function<bool(TermId, TermId)>;

// Walks a path in one graph. Every callback returns false to stop the walk.
class Walker {
 public:
  Walker(ExecContext& ctx, GraphRef graph) : ctx_(ctx), graph_(graph) {}

  // Calls `take(x, y)` for each pair the path connects (s or o kUnbound = any).
  bool Pairs(const ast::Path& path, TermId s, TermId o, const PairSink& take) {
    using POp = ast::Path::Op;
    switch (path.op) {
      case POp::kLink: {
        const TermId p = ctx_.table().Intern(Term::Iri(path.iri));
        return ctx_.Scan(s, p, o, graph_, [&](const Quad& q) { return take(q.subject, q.object); });
      }
      case POp::kInverse:
        return Pairs(path.children[0], o, s, [&](TermId x, TermId y) { return take(y, x); });
      case POp::kSequence:
        return Sequence(path.children, 0, s, o, take);
      case POp::kAlternative:
        for (const auto& child : path.children) {
          if (!Pairs(child, s, o, take)) return false;
        }
        return true;
      case POp::kZeroOrOne:
      case POp::kZeroOrMore:
      case POp::kOneOrMore:
        return Closure(path, s, o, take);
      case POp::kNegated:
        return Negated(path, s, o, take);
    }
    return true;
  }

 private:
  bool Sequence(const std::vector<ast::Path>& parts, std::size_t i, TermId s, TermId o, const PairSink& take) {
    if (i + 1 == parts.size()) return Pairs(parts[i], s, o, take);
    if (s == kUnbound && o != kUnbound) {
      // Work from the bound end: the last part first.
      std::vector<ast::Path> front(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end() - 1);
      return Pairs(parts.back(), kUnbound, o, [&](TermId mid, TermId y) {
        return Sequence(front, 0, kUnbound, mid, [&](TermId x, TermId) { return take(x, y); });
      });
    }
    return Pairs(parts[i], s, kUnbound, [&](TermId x, TermId mid) {
      return Sequence(parts, i + 1, mid, o, [&](TermId, TermId y) { return take(x, y); });
    });
  }

  // The nodes reachable from `start` over `step` (forward, or backward), each once.
  std::vector<TermId> Reach(const ast::Path& step, TermId start, bool forward, bool include_start, bool one_step) {
    std::vector<TermId> out;
    std::unordered_set<TermId> seen;
    if (include_start) {
      out.push_back(start);
      seen.insert(start);
    }
    std::vector<TermId> frontier = {start};
    while (!frontier.empty() && ctx_.Check()) {
      std::vector<TermId> next;
      auto visit = [&](TermId x, TermId y) {
        const TermId reached = forward ? y : x;
        if (seen.insert(reached).second) {
          out.push_back(reached);
          next.push_back(reached);
        }
        return true;
      };
      for (TermId node : frontier) {
        const bool go_on = forward ? Pairs(step, node, kUnbound, visit) : Pairs(step, kUnbound, node, visit);
        if (!go_on) return out;
      }
      if (one_step) break;
      frontier = std::move(next);
    }
    return out;
  }

  bool Closure(const ast::Path& path, TermId s, TermId o, const PairSink& take) {
    const ast::Path& step = path.children[0];
    const bool zero = path.op != ast::Path::Op::kOneOrMore;
    const bool one_step = path.op == ast::Path::Op::kZeroOrOne;
    if (s != kUnbound) {
      for (TermId y : Reach(step, s, true, zero, one_step)) {
        if (o != kUnbound && y != o) continue;
        if (!take(s, y)) return false;
      }
      return ctx_.ok();
    }
    if (o != kUnbound) {
      for (TermId x : Reach(step, o, false, zero, one_step)) {
        if (!take(x, o)) return false;
      }
      return ctx_.ok();
    }
    // Both ends free: from every node of the graph.
    std::set<TermId> nodes;
    ctx_.Scan(kUnbound, kUnbound, kUnbound, graph_, [&](const Quad& q) {
      nodes.insert(q.subject);
      nodes.insert(q.object);
      return true;
    });
    for (TermId x : nodes) {
      for (TermId y : Reach(step, x, true, zero, one_step)) {
        if (!take(x, y)) return false;
      }
      if (!ctx_.ok()) return false;
    }
    return true;
  }

  bool Negated(const ast::Path& path, TermId s, TermId o, const PairSink& take) {
    std::set<TermId> forward, backward;
    bool any_forward = false, any_backward = false;
    for (const auto& [inverse, iri] : path.negated) {
      (inverse ? backward : forward).insert(ctx_.table().Intern(Term::Iri(iri)));
      (inverse ? any_backward : any_forward) = true;
    }
    if (any_forward || !any_backward) {
      const bool go_on = ctx_.Scan(s, kUnbound, o, graph_, [&](const Quad& q) {
        return forward.count(q.predicate) ? true : take(q.subject, q.object);
      });
      if (!go_on) return false;
    }
    if (any_backward) {
      return ctx_.Scan(o, kUnbound, s, graph_, [&](const Quad& q) {
        return backward.count(q.predicate) ? true : take(q.object, q.subject);
      });
    }
    return true;
  }

  ExecContext& ctx_;
  GraphRef graph_;
};

}  // namespace

PathOp::PathOp(ExecContext& ctx, OperatorPtr input, const ast::TriplePattern& pattern, PatternSlots slots)
    : PerRowOp(ctx, std::move(input)), path_(pattern.path), t_(slots) {}

// Finds all the pairs of one input row; a row's pairs are few next to a block of rows
// of the output, except for a closure with both ends free, which is rare.
void PathOp::Start() {
  const std::size_t row = row_;
  pairs_.clear();
  next_pair_ = 0;
  const TermId s = t_.s < 0 ? t_.cs : in_.at(static_cast<std::size_t>(t_.s), row);
  const TermId o = t_.o < 0 ? t_.co : in_.at(static_cast<std::size_t>(t_.o), row);
  // ?x path ?x: both ends are one variable.
  const bool same = t_.s >= 0 && t_.s == t_.o;
  auto walk = [&](GraphRef graph, TermId g) {
    Walker(ctx_, graph).Pairs(path_, s, same ? s : o, [&](TermId x, TermId y) {
      if (!same || x == y) pairs_.push_back({x, y, g});
      return ctx_.ok();
    });
  };
  if (t_.g < 0) {
    walk(t_.graph, t_.graph.kind == GraphRef::Kind::kNamed ? t_.graph.id : kDefaultGraph);
  } else if (const TermId g = in_.at(static_cast<std::size_t>(t_.g), row); g != kUnbound) {
    walk(GraphRef::Named(g), g);
  } else {
    for (TermId named : ctx_.NamedGraphs()) walk(GraphRef::Named(named), named);
  }
  active_ = !pairs_.empty();
}

void PathOp::Continue(Block* out) {
  for (; next_pair_ < pairs_.size() && !out->full(); ++next_pair_) {
    const Pair& pair = pairs_[next_pair_];
    out->AppendRow(in_, row_);
    const std::size_t at = out->rows - 1;
    for (const auto& [slot, value] : {std::pair{t_.s, pair.x}, std::pair{t_.o, pair.y}, std::pair{t_.g, pair.graph}}) {
      if (slot >= 0) out->columns[static_cast<std::size_t>(slot)][at] = value;
    }
  }
  active_ = next_pair_ < pairs_.size();
}

}  // namespace parley::query::exec
