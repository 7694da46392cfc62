// query/exec/paths.cpp
// Property paths: sequences, alternatives, inverses, closures by breadth-first search,
// and negated property sets.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

bool Evaluator::Pairs(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb) {
  using POp = ast::Path::Op;
  switch (path.op) {
    case POp::kLink: {
      TermId p = table_.Intern(Term::Iri(path.iri));
      return Scan(s, p, o, ctx, [&](const Quad& q) { return cb(q.subject, q.object); });
    }
    case POp::kInverse:
      return Pairs(path.children[0], o, s, ctx, [&](TermId x, TermId y) { return cb(y, x); });
    case POp::kSequence:
      return Sequence(path.children, 0, s, o, ctx, cb);
    case POp::kAlternative:
      for (const auto& child : path.children) {
        if (!Pairs(child, s, o, ctx, cb)) return false;
      }
      return true;
    case POp::kZeroOrOne:
    case POp::kZeroOrMore:
    case POp::kOneOrMore:
      return Closure(path, s, o, ctx, cb);
    case POp::kNegated:
      return Negated(path, s, o, ctx, cb);
  }
  return true;
}

bool Evaluator::Sequence(const std::vector<ast::Path>& parts, std::size_t i, TermId s, TermId o, const GraphCtx& ctx,
                         const PairSink& cb) {
  if (i + 1 == parts.size()) return Pairs(parts[i], s, o, ctx, cb);
  if (s == kUnbound && o != kUnbound) {
    // Work from the bound end: the last part first.
    std::vector<ast::Path> front(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end() - 1);
    return Pairs(parts.back(), kUnbound, o, ctx, [&](TermId mid, TermId y) {
      return Sequence(front, 0, kUnbound, mid, ctx, [&](TermId x, TermId) { return cb(x, y); });
    });
  }
  return Pairs(parts[i], s, kUnbound, ctx, [&](TermId x, TermId mid) {
    return Sequence(parts, i + 1, mid, o, ctx, [&](TermId, TermId y) { return cb(x, y); });
  });
}

std::vector<TermId> Evaluator::Reach(const ast::Path& step, TermId start, bool forward, bool include_start,
                                     bool one_step, const GraphCtx& ctx) {
  std::vector<TermId> out;
  std::unordered_set<TermId> seen;
  if (include_start) {
    out.push_back(start);
    seen.insert(start);
  }
  std::vector<TermId> frontier = {start};
  while (!frontier.empty()) {
    std::vector<TermId> next;
    for (TermId node : frontier) {
      auto visit = [&](TermId x, TermId y) {
        TermId reached = forward ? y : x;
        if (seen.insert(reached).second) {
          out.push_back(reached);
          next.push_back(reached);
        }
        return true;
      };
      bool go_on = forward ? Pairs(step, node, kUnbound, ctx, visit) : Pairs(step, kUnbound, node, ctx, visit);
      if (!go_on) return out;
    }
    if (one_step) break;
    frontier = std::move(next);
  }
  return out;
}

bool Evaluator::Closure(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb) {
  const ast::Path& step = path.children[0];
  const bool zero = path.op != ast::Path::Op::kOneOrMore;
  const bool one_step = path.op == ast::Path::Op::kZeroOrOne;
  if (s != kUnbound) {
    for (TermId y : Reach(step, s, true, zero, one_step, ctx)) {
      if (o != kUnbound && y != o) continue;
      if (!cb(s, y)) return false;
    }
    return true;
  }
  if (o != kUnbound) {
    for (TermId x : Reach(step, o, false, zero, one_step, ctx)) {
      if (!cb(x, o)) return false;
    }
    return true;
  }
  // Both ends free: start from every node of the graph.
  std::set<TermId> nodes;
  Scan(kUnbound, kUnbound, kUnbound, ctx, [&](const Quad& q) {
    nodes.insert(q.subject);
    nodes.insert(q.object);
    return true;
  });
  for (TermId x : nodes) {
    for (TermId y : Reach(step, x, true, zero, one_step, ctx)) {
      if (!cb(x, y)) return false;
    }
    if (!status_.ok()) return false;
  }
  return true;
}

bool Evaluator::Negated(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb) {
  std::set<TermId> forward, backward;
  bool any_forward = false, any_backward = false;
  for (const auto& [inverse, iri] : path.negated) {
    (inverse ? backward : forward).insert(table_.Intern(Term::Iri(iri)));
    (inverse ? any_backward : any_forward) = true;
  }
  if (any_forward || !any_backward) {
    bool go_on = Scan(s, kUnbound, o, ctx,
                      [&](const Quad& q) { return forward.count(q.predicate) ? true : cb(q.subject, q.object); });
    if (!go_on) return false;
  }
  if (any_backward) {
    return Scan(o, kUnbound, s, ctx,
                [&](const Quad& q) { return backward.count(q.predicate) ? true : cb(q.object, q.subject); });
  }
  return true;
}

}  // namespace parley::query::exec
