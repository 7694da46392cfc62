// query/exec/accumulator.cpp
#include "query/exec/accumulator.hpp"

#include "query/exec/values.hpp"

namespace parley::query::exec {

void Accumulate(const ast::Expr& e, std::optional<Term> v, Accumulator* acc) {
  if (e.distinct && v && !acc->seen.insert(EncodeTerm(*v)).second) return;
  const std::string& name = e.name;
  if (name == "COUNT") {
    acc->count += v.has_value();
  } else if (name == "SUM" || name == "AVG") {
    if (acc->error) return;
    if (!v) {
      acc->error = true;
      return;
    }
    acc->value = Arithmetic('+', acc->value.value_or(IntegerTerm(0)), *v);
    acc->error = !acc->value;
    ++acc->count;
  } else if (name == "MIN" || name == "MAX") {
    if (v) AccumulateBest(name == "MIN", *v, acc);
  } else if (name == "SAMPLE") {
    if (!acc->value && v) acc->value = std::move(v);
  } else if (name == "GROUP_CONCAT") {
    if (acc->error) return;
    if (!v || v->kind != TermKind::kLiteral) {
      acc->error = true;
      return;
    }
    if (!acc->first) acc->concat += e.separator;
    acc->concat += v->value;
    acc->first = false;
  }
}

void AccumulateBest(bool min, const Term& value, Accumulator* acc) {
  const SortKey key = SortKeyOf(&value);
  if (acc->value) {
    const int c = OrderCompare(&value, key, &*acc->value, acc->key);
    if (min ? c >= 0 : c <= 0) return;
  }
  acc->value = value;  // into the storage the last best had
  acc->key = key;
}

std::optional<Term> FinishAggregate(const ast::Expr& e, const Accumulator& acc) {
  const std::string& name = e.name;
  if (name == "COUNT") {
    return IntegerTerm(e.args.empty() && e.distinct ? static_cast<long long>(acc.seen_rows.size()) : acc.count);
  }
  if (name == "SUM") return acc.error ? std::nullopt : std::optional<Term>(acc.value.value_or(IntegerTerm(0)));
  if (name == "AVG") {
    if (acc.error) return std::nullopt;
    if (acc.count == 0) return IntegerTerm(0);
    return Arithmetic('/', *acc.value, IntegerTerm(acc.count));
  }
  if (name == "GROUP_CONCAT") return acc.error ? std::nullopt : std::optional<Term>(Term::Literal(acc.concat));
  return acc.value;  // MIN, MAX, SAMPLE
}

}  // namespace parley::query::exec
