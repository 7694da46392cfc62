// ingest/facts/duplicates.hpp
// Warnings for records that probably repeat an entity the database (or another file of
// the load) already has under another id: the same label or alias, or, for meetings and
// events, the same type, date and place. Two ids for one summit split its facts and
// make questions about it ambiguous, so the curator hears of it before loading.
#pragma once

#include <vector>

#include "ingest/facts/fact_file.hpp"
#include "ingest/facts/known_entities.hpp"

namespace parley::ingest::facts {

// One warning per suspected duplicate, at the record's label, alias or date.
Result<std::vector<Diagnostic>> FindDuplicates(const std::vector<FactFile>& files, const KnownEntities& database);

}  // namespace parley::ingest::facts
