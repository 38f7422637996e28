// CSV export of hits (RFC 4180: fields quoted when needed, quotes doubled,
// CRLF line ends), shared by `vigie-search --format csv` and the HTTP export,
// so that both write the same bytes.
#pragma once

#include <string>

#include "vigie/searcher.h"

namespace vigie {

// The UTF-8 byte-order mark, then the column names
// "id,title,type,date,organisation,url,score,page_url,number,persons,also,
// vote,pour,contre,abstention,largest_amount,amounts,legal_references,cited_numbers\r\n":
// the mark is what makes a spreadsheet (Excel) read the file as UTF-8.
// New columns go at the end (scripts read columns by position).
std::string hit_csv_header();
// `page_url`: the document's page on the server, document_page_url(hit.id,
// base_url); `persons` joined by "; "; `also`: the family's other files
// and the documents merged into the result (docs/families.md) as
// "pdf:ID; html:ID"; then what a deliberation decides (empty cells when
// not known): the vote's outcome key and counts, the largest amount and
// every amount in euros with a dot ("32339.40"; amounts "; "-joined), the
// legal references' keys (legal_reference_key, "; "-joined), the numbers of
// the deliberations cited ("; "-joined).
std::string hit_csv_row(const Hit& hit, std::string_view base_url = {});

// The web page of a document: base_url + "/document/" + percent-encoded id.
// The API's exports give it relative ("/document/…": the server cannot know
// the address its users reach it by behind a proxy); vigie-search
// --base-url URL makes it absolute.
std::string document_page_url(std::string_view id, std::string_view base_url = {});

}  // namespace vigie
