// `vigie-search --analyze TEXT`: prints what the French analyzer makes of a
// text, one token per line, for debugging queries and indexing.
#pragma once

#include <ostream>
#include <string_view>

namespace vigie {

// Format (tab-separated): position, exact form (the term indexed, with
// positions), stem, byte offsets "begin-end", the original text of the
// token, flags: "alt" (alternative form at the same position),
// "unaccented=<stem>", and the stem families whose synonym-table entry lists
// the exact form ("Zmunicipal XZmunicipalit": term_forms.h).
void print_analysis(std::string_view text, std::ostream& out);

}  // namespace vigie
