// CSV export of hits (RFC 4180: fields quoted when needed, quotes doubled,
// CRLF line ends), shared by `vigie-search --format csv` and the HTTP export,
// so that both write the same bytes.
#pragma once

#include <string>

#include "vigie/searcher.h"

namespace vigie {

// The UTF-8 byte-order mark, then "id,title,type,date,organisation,url,score\r\n":
// the mark is what makes a spreadsheet (Excel) read the file as UTF-8.
std::string hit_csv_header();
std::string hit_csv_row(const Hit& hit);

}  // namespace vigie
