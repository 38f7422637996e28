// GET /recherche-avancee — the « Recherche avancée » form, without
// JavaScript: all these words, this exact phrase, any of these words, none
// of these words, in the title, by person, by number, plus type and period
// (which stay the results page's own parameters: type, du, au).
// Submitted (to itself, GET), it writes the equivalent query-language string
// (docs/query-language.md) and redirects (303) to /recherche with that
// string in the search box, so that people learn the language by using it.
//
// Every value is made inert before it is written into the query: quotation
// marks, parentheses and colons become spaces, signs (- + =) and a trailing
// * are dropped from words, and capitalised operators (OU, SAUF, NEAR/3…)
// are written in lower case, where the language reads them as words; so a
// value cannot change the meaning of another field, nor fail to parse.
// Stateless; thread-safe.
#pragma once

#include <string>

#include "http/http_exchange.h"
#include "http/http_query.h"

namespace vigie::web {

// The form's fields, as typed (free text).
struct AdvancedSearch {
  std::string all_words{};   // tous
  std::string phrase{};      // expression
  std::string any_words{};   // un_de
  std::string none_words{};  // aucun
  std::string title{};       // titre
  std::string person{};      // personne
  std::string number{};      // numero

  static AdvancedSearch from(const http::QueryParams& params);
};

// The query-language string the fields stand for ("" when they hold nothing
// searchable), e.g. {all "budget", phrase "salle des fêtes", none "vente"}
// → `budget "salle des fêtes" -vente`.
std::string advanced_query(const AdvancedSearch& fields);

void serve_advanced_search(http::HttpExchange& exchange);

}  // namespace vigie::web
