// What a run records of its set-up in the generation it writes
// (include/vigie/index_setup.h): the roots that have documents in it, the
// config's folder rules, the text of its synonyms and stop words files, its
// search settings. Called by run_index just before the generation's last
// commit, so that the record and the documents go live together.
// Errors: Xapian errors propagate (the caller's write boundary reports them).
#pragma once

#include <xapian.h>

#include <vector>

#include "pipeline/file_crawler.h"
#include "vigie/config.h"

namespace vigie {

// Records the set-up into `db` (effective at its next commit). The roots are
// this run's, plus those recorded before whose documents the index still
// holds (an incremental run given one root of several keeps the others).
void record_run_setup(Xapian::WritableDatabase& db, const Config& config,
                      const std::vector<IndexRoot>& roots);

}  // namespace vigie
