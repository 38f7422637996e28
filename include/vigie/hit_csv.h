// CSV export of hits (RFC 4180: fields quoted when needed, quotes doubled,
// CRLF line ends), shared by `vigie-search --format csv` and the HTTP export.
#pragma once

#include <string>

#include "vigie/searcher.h"

namespace vigie {

// "id,title,type,date,organisation,url,score\r\n"
std::string hit_csv_header();
std::string hit_csv_row(const Hit& hit);

}  // namespace vigie
