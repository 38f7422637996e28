// Reference rules (indexer/metadata/decision_references.h) and the key
// functions the indexer and the query parser share (vigie/decisions.h):
// articles of codes in all their spellings, lois and décrets with number and
// date, cited deliberations with what this text does to them.
#include "metadata/decision_references.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using Kind = vigie::LegalReference::Kind;

std::vector<std::string> articles(const std::string& text) {
  vigie::metadata::FoldedText folded(text);
  std::vector<std::string> out;
  for (const auto& ref : vigie::metadata::read_legal_references(folded, 100))
    if (ref.kind == Kind::Article) out.push_back(ref.code + ":" + ref.article);
  return out;
}

std::vector<std::string> acts(const std::string& text) {
  vigie::metadata::FoldedText folded(text);
  std::vector<std::string> out;
  for (const auto& ref : vigie::metadata::read_legal_references(folded, 100)) {
    if (ref.kind == Kind::Article) continue;
    const char* kind = ref.kind == Kind::Loi ? "loi" : ref.kind == Kind::Decret ? "decret" : "ord";
    out.push_back(std::string(kind) + " " + ref.number + " " + ref.date.iso());
  }
  return out;
}

std::vector<std::string> cited(const std::string& text, const std::string& own_number = "",
                               vigie::Date own_date = {}) {
  vigie::metadata::FoldedText folded(text);
  std::vector<std::string> out;
  for (const auto& ref :
       vigie::metadata::read_cited_deliberations(folded, {own_number}, own_date, 100))
    out.push_back(ref.number + "@" + ref.date.iso() + (ref.verb.empty() ? "" : " " + ref.verb));
  return out;
}

using List = std::vector<std::string>;

}  // namespace

TEST_CASE("articles: every spelling gives one key, with the code named") {
  struct Case {
    const char* text;
    List expected;
  };
  const Case cases[] = {
      {"en application de l’article L. 2121-29 du CGCT", {"cgct:L2121-29"}},
      {"vu l'article L2121-29 du Code général des collectivités territoriales", {"cgct:L2121-29"}},
      {"article L.2121-29 du C.G.C.T.", {"cgct:L2121-29"}},
      {"l’article L 2121-29 du code général des collectivités territoriales", {"cgct:L2121-29"}},
      {"articles L. 2122-22 et L. 2122-23 du CGCT", {"cgct:L2122-22", "cgct:L2122-23"}},
      {"articles R 1617-1 à R1617-18 du Code général des collectivités territoriales",
       {"cgct:R1617-1", "cgct:R1617-18"}},
      {"Vu le Code général des collectivités territoriales, art. R.2342-4,", {"cgct:R2342-4"}},
      {"le Code général des collectivités territoriales impose, par ses articles D 2224-1 à "
       "D2224-5, un rapport",
       {"cgct:D2224-1", "cgct:D2224-5"}},
      {"Vu le code général des collectivités territoriales, et notamment les articles L. 5211-17 "
       "et L5211-18 et L. 5211-20,",
       {"cgct:L5211-17", "cgct:L5211-18", "cgct:L5211-20"}},
      {"l’article L. 2122-22 4° du Code général des collectivités territoriales",
       {"cgct:L2122-22"}},
      {"articles L2123-23, 24 et 24-1 du C.G.C.T.",
       {"cgct:L2123-23", "cgct:L2123-24", "cgct:L2123-24-1"}},
      {"Vu le Code de l’urbanisme et notamment ses articles L. 332-6-1-2° d), L. 332-11-1 et "
       "L. 332-11-2 ;",
       {"urbanisme:L332-6-1", "urbanisme:L332-11-1", "urbanisme:L332-11-2"}},
      {"l’article L 332.15 du code de l’urbanisme", {"urbanisme:L332-15"}},
      {"au titre de l’article L 761-1 du Code de justice administrative",
       {"justice-administrative:L761-1"}},
      {"l’article L.O. 1112-1 du CGCT", {"cgct:L1112-1"}},
      // No code named: the search side matches any code.
      {"conformément à l’article L 5211-17, chaque commune", {":L5211-17"}},
      {"Conformément à L2121-29, le conseil règle", {":L2121-29"}},
      // Said once with its code, once without: one reference.
      {"l’article L. 2122-22 du CGCT ... la délégation de l’article L2122-22", {"cgct:L2122-22"}},
      // Not articles: budget lines, articles without a dash, a number alone.
      {"D 2313-141 | 1 500,00 € | R 1323-163", {}},
      {"article 74 du code des marchés publics", {}},
      {"l’article R 133 du Code électoral", {}},
      {"Lot n° 20, D 1035, G 2226", {}},
      {"l'article L 2123 du C.G.C.T.", {}},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.text));
    CHECK(articles(c.text) == c.expected);
  }
}

TEST_CASE("lois, décrets, ordonnances: number and date") {
  CHECK(acts("vu la loi n° 2004-809 du 13 août 2004 relative aux libertés") ==
        List{"loi 2004-809 2004-08-13"});
  CHECK(acts("le décret n°2006-1386 du 15 novembre 2006") == List{"decret 2006-1386 2006-11-15"});
  CHECK(acts("l’article 30 du décret n°85-643 modifié du 26 juin 1985") ==
        List{"decret 85-643 1985-06-26"});
  CHECK(acts("Vu l’ordonnance n° 2015-899 du 23 juillet 2015") == List{"ord 2015-899 2015-07-23"});
  CHECK(acts("la loi n°78.788 du 28 juillet 1978 modifiée") == List{"loi 78-788 1978-07-28"});
  // Two décrets, one date for both: not each one's date.
  CHECK(acts("les décrets n°2003-1012 et 2003-1013 des 17 et 23 octobre 2003") ==
        List{"decret 2003-1012 ", "decret 2003-1013 "});
  CHECK(acts("comme la loi nous y autorise") == List{});
  CHECK(acts("la loi du 5 juillet 2000") == List{});
  CHECK(acts("une ordonnance du tribunal du 12 mai 2010") == List{});
}

TEST_CASE("cited deliberations: number, date, verb; not another body's, not itself") {
  CHECK(cited("rapporte la délibération n°2004/64 du 26 mai 2004") ==
        List{"2004/64@2004-05-26 rapporte"});
  CHECK(cited("Monsieur le Maire propose ainsi de rapporter la délibération n°2004/64 du 26 mai "
              "2004 et de la remplacer") == List{"2004/64@2004-05-26 rapporte"});
  CHECK(cited("Conformément aux délibérations n°2008/45 en date du 22 mars 2008 et n°2009/155 "
              "en date du 24 novembre 2009 sur la délégation") ==
        List{"2008/45@2008-03-22", "2009/155@2009-11-24"});
  CHECK(cited("Le conseil retire sa délibération du 26 mai 2004.") == List{"@2004-05-26 retire"});
  CHECK(cited("modifie la délibération n° 2010-80") == List{"2010/80@ modifie"});
  CHECK(cited("abroge la délibération du 3 février 2009") == List{"@2009-02-03 abroge"});
  CHECK(cited("un dégrèvement de 50% (délibération du 06/09/1995).") == List{"@1995-09-06"});
  CHECK(cited("la délibération d’affectation du résultat 2003 en date du 24 mars 2004") ==
        List{"@2004-03-24"});
  CHECK(cited("Cette délibération a été modifiée par délibération n°2011/108 en date du 13 "
              "septembre 2011") == List{"2011/108@2011-09-13"});
  CHECK(cited("la délibération du 4 novembre 1998 est abrogée") == List{"@1998-11-04 abroge"});
  // Other bodies.
  CHECK(cited("Vu la délibération du Conseil communautaire en date du 17 juin 2004,") == List{});
  CHECK(cited("Par délibération en date du 27 mai 2010, le Conseil communautaire a approuvé") ==
        List{});
  CHECK(cited("Vu la délibération n°2011-07 du comité du SYDELA en date du 25 mai 2011") == List{});
  CHECK(cited("La commune de VUE vient de nous transmettre sa délibération n°2007/09-02 en date "
              "du 18 septembre 2007") == List{});
  // Itself: its own number, or its own date without a number.
  CHECK(cited("Délibération n°2010/80 du 22 juin 2010", "2010/80") == List{});
  CHECK(cited("en exécution d'une délibération en date du 22 septembre 2004,", "",
              vigie::Date{2004, 9, 22}) == List{});
  // A deliberation named without number or date cites nothing one could find.
  CHECK(cited("la présente délibération sera affichée") == List{});
  CHECK(cited("Extrait du registre des délibérations") == List{});
}

TEST_CASE("keys shared with the query parser: every variant finds the others") {
  for (const char* written : {"L. 2121-29", "L2121-29", "l.2121-29", "article L 2121-29",
                              "L 2121-29", "Article L.2121-29", "art. L2121-29", "L2121.29"}) {
    INFO(written);
    CHECK(vigie::article_key(written) == "L2121-29");
  }
  CHECK(vigie::article_key("R.2321-1") == "R2321-1");
  CHECK(vigie::article_key("D 1617-19-1") == "D1617-19-1");
  CHECK(vigie::article_key("L.O. 1112-1") == "L1112-1");
  CHECK_FALSE(vigie::article_key("L 2121"));
  CHECK_FALSE(vigie::article_key("2121-29"));
  CHECK_FALSE(vigie::article_key("X2121-29"));
  CHECK_FALSE(vigie::article_key(""));

  CHECK(vigie::act_number_key("2004-809") == "2004-809");
  CHECK(vigie::act_number_key("n° 2004-809") == "2004-809");
  CHECK(vigie::act_number_key("n°2004-809") == "2004-809");
  CHECK(vigie::act_number_key("N° 85-643") == "85-643");
  CHECK(vigie::act_number_key("78.788") == "78-788");
  CHECK_FALSE(vigie::act_number_key("2004"));
  CHECK_FALSE(vigie::act_number_key("loi"));
  CHECK_FALSE(vigie::act_number_key(""));

  CHECK(vigie::code_key("Code général des collectivités territoriales") == "cgct");
  CHECK(vigie::code_key("CGCT") == "cgct");
  CHECK(vigie::code_key("C.G.C.T.") == "cgct");
  CHECK(vigie::code_key("code  de l’urbanisme") == "urbanisme");
  CHECK(vigie::code_key("Code de l'Environnement") == "environnement");
  CHECK(vigie::code_key("nouveau code des marchés publics") == "marches-publics");
  CHECK(vigie::code_key("Code de justice administrative") == "justice-administrative");
  CHECK(vigie::code_key("code rural et de la pêche maritime") == "rural");
  CHECK(vigie::code_key("code de la route") == "route");
  CHECK(vigie::code_key("Code de la bonne conduite") == "");
  CHECK(vigie::code_key("") == "");
}

TEST_CASE("cited deliberations: a département's assembly is another body") {
  CHECK(cited("Vu la délibération de l’assemblée départementale, en date du 2 avril 2015,") ==
        List{});
  CHECK(cited("Vu la délibération de l'Assemblée départementale du 14 avril 2014") == List{});
  CHECK(cited("Vu la délibération du conseil municipal, en date du 28 mars 2014,") ==
        List{"@2014-03-28"});
}
