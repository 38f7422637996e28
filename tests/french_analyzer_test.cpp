// FrenchAnalyzer: table-driven. Each row is an input and the tokens expected,
// written as their exact (folded) forms; "+form" is an alternative sharing the
// previous token's position.
#include "vigie/french_analyzer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "index/schema.h"
#include "test_support.h"
#include "vigie/term_forms.h"
#include "vigie/text_normalization.h"

namespace {

std::string render(const std::vector<vigie::Token>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    if (t.alternative) out += '+';
    out += t.exact;
  }
  return out;
}

struct Row {
  std::string input;
  std::string expected;
};

// clang-format off
const Row kSegmentation[] = {
    // ICU segmentation, punctuation, French quotes and every Unicode space
    {"Le conseil municipal", "le conseil municipal"},
    {"« Bonjour » ; dit-il !", "bonjour dit"},
    {"mot\u00A0;\u00A0mot", "mot mot"},
    {"question\u202F?", "question"},
    {"«\u202Fnumérique responsable\u202F»", "numerique responsable"},
    {"a\u2003b\u2009c\u3000d", "a b c d"},
    {"fin.Début", "fin +fin.debut debut"},
    {"", ""},
    {"   \t\n ", ""},
    {"— … ! ? ( ) [ ] / * •", ""},
    {"ligne1\nligne2\r\nligne3", "ligne1 ligne2 ligne3"},
    // elisions with ' ’ ʼ, any case
    {"l’intelligence", "intelligence"},
    {"l'intelligence", "intelligence"},
    {"l\u02BCintelligence", "intelligence"},
    {"L'État", "etat"},
    {"L’ÉTAT", "etat"},
    {"qu’il", "il"},
    {"QU'ELLE", "elle"},
    {"jusqu’à", "a"},
    {"JUSQU’OÙ", "ou"},
    {"lorsqu’on", "on"},
    {"puisqu'il", "il"},
    {"quoiqu’elle", "elle"},
    {"d’IA", "ia"},
    {"D'ailleurs", "ailleurs"},
    {"j’ai", "ai"},
    {"m’a", "a"},
    {"n’est", "est"},
    {"s’engage", "engage"},
    {"t’es", "es"},
    {"c’était", "etait"},
    // every apostrophe real documents write: ‘ ´ ` ′ ‛ ‵ ＇ ʹ ʻ ʽ
    {"l‘avis", "avis"},
    {"l´avis", "avis"},
    {"l`avis", "avis"},
    {"l′avis", "avis"},
    {"l‛avis", "avis"},
    {"l‵avis", "avis"},
    {"l＇avis", "avis"},
    {"l\u02B9avis", "avis"},
    {"l\u02BBavis", "avis"},
    {"l\u02BDavis", "avis"},
    {"QU´ELLE", "elle"},
    {"d´Aubrac", "aubrac"},
    {"aujourd´hui", "aujourd'hui"},
    {"presqu´île", "presqu'ile"},
    {"l´Vice-président", "vice +vicepresident president"},
    // lexicalised words stay whole
    {"aujourd’hui", "aujourd'hui"},
    {"aujourd'hui", "aujourd'hui"},
    {"presqu’île", "presqu'ile"},
    {"prud’homme", "prud'homme"},
    {"quelqu’un", "quelqu'un"},
    // case, accents, ligatures
    {"délibération", "deliberation"},
    {"DÉLIBÉRATION", "deliberation"},
    {"Délibération", "deliberation"},
    {"cœur", "coeur"},
    {"Œuvre", "oeuvre"},
    {"ŒUVRE", "oeuvre"},
    {"ex æquo", "ex aequo"},
    {"Noël naïf où", "noel naif ou"},
    {"e\u0301lu", "elu"},  // decomposed é
    {"Straße", "strasse"},
    // hyphenated words
    {"Vice-président", "vice +vicepresident president"},
    {"Saint-Nazaire", "saint +saintnazaire nazaire"},
    {"peut-être", "peut +peutetre etre"},
    {"c’est-à-dire", "est +estadire a dire"},
    {"Loire-Atlantique", "loire +loireatlantique atlantique"},
    {"Saint-Julien-sur-Lisière", "saint +saintjuliensurlisiere julien sur lisiere"},
    {"porte\u2011parole", "porte +porteparole parole"},
    {"a - b", "a b"},
    // inverted subjects of questions: the verb only
    {"faut-il", "faut"},
    {"Y a-t-il", "y a"},
    {"a-t-elle voté", "a vote"},
    {"puis-je", "puis"},
    {"peut-on", "peut"},
    {"qu’est-ce que", "est que"},
    {"sont-ils", "sont"},
    {"dit-il", "dit"},
    {"rendez-vous", "rendez +rendezvous vous"},
    {"pouvez-vous", "pouvez +pouvezvous vous"},
    {"Jean-Pierre", "jean +jeanpierre pierre"},
    // acronyms
    {"O.R.A.C.", "orac"},
    {"ORAC", "orac"},
    {"orac", "orac"},
    {"IA", "ia"},
    {"CNR", "cnr"},
    {"EPCI", "epci"},
    {"E.P.C.I.", "epci"},
    // numbers and identifiers
    {"2023", "2023"},
    {"n°2008/45", "2008/45"},
    {"n° 2010/80", "2010/80"},
    {"N°2010/80", "2010/80"},
    {"2010/80", "2010/80"},
    {"DE-2014/34", "de +de2014/34 2014/34"},
    {"DE-2012/68 – Tarifs", "de +de2012/68 2012/68 tarifs"},
    {"délibération-2014/34/2", "deliberation +deliberation2014/34/2 2014/34/2"},
    {"32 339,40 €", "32 339,40 +32339,40"},
    {"32\u202F339,40\u00A0€", "32 339,40 +32339,40"},
    {"1 250 000,00 €", "1 250 +1250 000,00"},
    {"en 2023 150 élèves", "en 2023 150 eleves"},  // 4 digits: not a thousands group,
    {"22/03/2023", "22/03/2023"},
    {"12,5 %", "12,5"},
    {"1er", "1er"},
    {"3e", "3e"},
    {"XXIe", "xxie"},
    // articles of codes, however written: one token
    {"article L.2121-29", "article l2121-29"},
    {"article L. 2121-29 du CGCT", "article l2121-29 du cgct"},
    {"L 2121-29", "l2121-29"},
    {"L\u00A02121-29", "l2121-29"},
    {"L2121-29", "l2121-29"},
    {"l.2121-29", "l2121-29"},
    {"L. 2121\u201129", "l2121-29"},
    {"L. 2121–29", "l2121-29"},
    {"R. 2321-1", "r2321-1"},
    {"D.1617-19", "d1617-19"},
    {"L. 1617-19-1", "l1617-19-1"},
    {"articles L. 2122-22 et L. 2122-23", "articles l2122-22 et l2122-23"},
    {"L. 101-1", "l101-1"},
    // ... and what is no article: one or two digits, no hyphen, another letter
    {"groupe D 12-15 ans", "groupe d 12 15 ans"},
    {"L 2121", "l 2121"},
    {"L2121", "l2121"},
    {"A. 2121-29", "a 2121 29"},
    // numero signs, however written: the number only
    {"N° 12", "12"},
    {"n˚ 12", "12"},
    {"Nº 12", "12"},
    {"nº12", "12"},
    {"Nª 12", "12"},
    {"nº2010/80", "2010/80"},
    {"No 12", "12"},
    {"NO. 12", "12"},
    {"numéro 12", "12"},
    {"Numero 2010/80", "2010/80"},
    {"le numéro de téléphone", "le numero de telephone"},
    {"no comment", "no comment"},
    // emails and URLs
    {"ccolucci@interconnectes.com", "ccolucci +ccolucci@interconnectes.com interconnectes com"},
    {"voir https://www.interconnectes.com/forum.", "voir https +https://www.interconnectes.com/forum www interconnectes com forum"},
    {"www.vigie.fr", "www +www.vigie.fr vigie fr"},
    // dropped characters
    {"\uF0D8 2007-1 Halte", "2007 1 halte"},
    {"soft\u00ADhyphen", "softhyphen"},
    {"zéro\u200Blargeur", "zero largeur"},
    {"contrôle\x01\x02" "caractères", "controle caracteres"},
    {"\uFEFFdébut", "debut"},
    // inclusive writing with a middle dot
    {"élu·es", "elu +elu·es es"},
};
// clang-format on

}  // namespace

TEST_CASE("analyzer segments, strips elisions, folds and joins as the table says") {
  vigie::FrenchAnalyzer analyzer;
  CHECK(std::size(kSegmentation) >= 80);
  for (const auto& row : kSegmentation) {
    CAPTURE(row.input);
    CHECK(render(analyzer.analyze(row.input)) == row.expected);
  }
}

TEST_CASE("offsets point at the original words, elision excluded") {
  vigie::FrenchAnalyzer analyzer;
  const std::string text = "L’Intelligence du Vice-président";
  auto tokens = analyzer.analyze(text);
  REQUIRE(tokens.size() == 5);
  CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Intelligence");
  CHECK(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin) == "Vice");
  CHECK(text.substr(tokens[3].begin, tokens[3].end - tokens[3].begin) == "Vice-président");
  CHECK(text.substr(tokens[4].begin, tokens[4].end - tokens[4].begin) == "président");
  CHECK(tokens[2].position == 2);
  CHECK(tokens[3].position == 2);
  CHECK(tokens[4].position == 3);
}

TEST_CASE("positions continue from first_position") {
  vigie::FrenchAnalyzer analyzer;
  auto tokens = analyzer.analyze("deux mots", 100);
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].position == 100);
  CHECK(tokens[1].position == 101);
}

namespace {
bool share_a_stem(vigie::FrenchAnalyzer& analyzer, const std::string& a, const std::string& b) {
  auto ta = analyzer.analyze(a);
  auto tb = analyzer.analyze(b);
  REQUIRE(ta.size() == 1);
  REQUIRE(tb.size() == 1);
  return ta[0].stem == tb[0].stem;
}

// Does a query typed as `typed` match a document containing `indexed`?
bool query_meets(vigie::FrenchAnalyzer& analyzer, const std::string& typed,
                 const std::string& indexed) {
  auto tq = analyzer.analyze(typed);
  auto td = analyzer.analyze(indexed);
  REQUIRE(tq.size() == 1);
  REQUIRE(td.size() == 1);
  if (tq[0].exact == td[0].exact) return true;
  auto wanted = vigie::query_stem_terms(tq[0]);
  auto present = vigie::index_stem_terms(td[0]);
  for (const auto& w : wanted)
    if (std::find(present.begin(), present.end(), w) != present.end()) return true;
  return false;
}
}  // namespace

TEST_CASE("inflections meet on the same stem") {
  vigie::FrenchAnalyzer analyzer;
  const std::pair<const char*, const char*> pairs[] = {
      {"collectivité", "collectivités"},
      {"numérique", "numériques"},
      {"délibère", "délibéré"},
      {"délibération", "délibérations"},
      {"conseil", "conseils"},
      {"municipal", "municipaux"},
      {"élue", "élues"},
      {"commune", "communes"},
      {"territoire", "territoires"},
      {"intelligent", "intelligente"},
      {"public", "publics"},
      {"budget", "budgets"},
  };
  for (const auto& pair : pairs) {
    // named copies: clang cannot capture structured bindings in CAPTURE's lambda
    const char* a = pair.first;
    const char* b = pair.second;
    CAPTURE(a);
    CAPTURE(b);
    CHECK(share_a_stem(analyzer, a, b));
  }
}

TEST_CASE("a phrase's word takes its other numbers and genders, not its derived words") {
  // Folded exact forms, as the index and the stem families hold them.
  struct Case {
    const char* a;
    const char* b;
    bool same;
  };
  const Case cases[] = {
      {"zone", "zones", true},
      {"eolien", "eoliennes", true},
      {"eolien", "eolienne", true},
      {"adjoint", "adjointes", true},
      {"municipal", "municipaux", true},
      {"municipale", "municipaux", true},
      {"tuyau", "tuyaux", true},
      {"bureau", "bureaux", true},
      {"nouvel", "nouvelles", true},
      {"net", "nette", true},
      {"creee", "crees", true},
      {"premier", "premieres", true},
      {"prix", "prix", true},
      {"technique", "techniquement", false},
      {"habitation", "habitants", false},
      {"commune", "communication", false},
      {"public", "publique", false},  // irregular: its own form
      {"os", "o", false},             // three letters at least remain
      {"bus", "bu", false},
  };
  for (const auto& c : cases) {
    const std::string a = c.a;
    const std::string b = c.b;
    CAPTURE(a);
    CAPTURE(b);
    CHECK(vigie::same_inflection(a, b) == c.same);
    CHECK(vigie::same_inflection(b, a) == c.same);
  }
}

TEST_CASE("a word typed without accents finds the accented word") {
  vigie::FrenchAnalyzer analyzer;
  // (typed, indexed): Snowball stems the two spellings differently for many
  // of these (municipalite→municipalit, municipalité→municipal).
  const std::pair<const char*, const char*> pairs[] = {
      {"municipalite", "municipalité"},
      {"communique", "communiqué"},
      {"interet", "intérêt"},
      {"elus", "élus"},
      {"generaux", "généraux"},
      {"reflechir", "réfléchir"},
      {"deliberation", "délibération"},
      {"deliberations", "délibération"},
      {"collectivite", "collectivité"},
      {"collectivites", "collectivités"},
      {"numerique", "numérique"},
      {"electricite", "électricité"},
      {"ecole", "école"},
      {"ecoles", "écoles"},
      {"societe", "société"},
      {"securite", "sécurité"},
      {"developpement", "développement"},
      {"egalite", "égalité"},
      {"region", "région"},
      {"regional", "régional"},
      {"arrete", "arrêté"},
      {"proces", "procès"},
      {"seance", "séance"},
      {"depenses", "dépenses"},
      {"annee", "année"},
      {"prefecture", "préfecture"},
      {"eleves", "élèves"},
      {"president", "président"},
      {"presidente", "présidente"},
      {"referendum", "référendum"},
      {"velo", "vélo"},
      {"cooperation", "coopération"},
      {"telecommunications", "télécommunications"},
      {"activites", "activités"},
      {"strategie", "stratégie"},
      {"energetique", "énergétique"},
  };
  CHECK(std::size(pairs) >= 25);
  for (const auto& pair : pairs) {
    const char* typed = pair.first;
    const char* indexed = pair.second;
    CAPTURE(typed);
    CAPTURE(indexed);
    CHECK(query_meets(analyzer, typed, indexed));
    // and typing the accented word still works on a text written without accents
    CHECK(query_meets(analyzer, indexed, indexed));
  }
}

TEST_CASE("accented queries do not collide with unrelated words") {
  vigie::FrenchAnalyzer analyzer;
  // Folding before stemming would make these meet; stemming the accented
  // form keeps them apart.
  CHECK_FALSE(query_meets(analyzer, "communiqué", "commune"));
  CHECK_FALSE(query_meets(analyzer, "communiqués", "communes"));
  CHECK_FALSE(query_meets(analyzer, "numérique", "numéro"));
}

TEST_CASE("invalid UTF-8 never crashes and is never emitted") {
  vigie::FrenchAnalyzer analyzer;
  const std::string inputs[] = {
      std::string("caf\xC3", 4),  // truncated sequence
      std::string("\xC0\xAF"
                  "abc"),                 // overlong
      std::string("a\xED\xA0\x80z"),      // surrogate
      std::string("\xFF\xFE\xFD"),        // never valid
      std::string("mot\x80mot"),          // stray continuation
      std::string("d\xE9lib\xE9ration"),  // Latin-1 bytes passed as UTF-8
      std::string("\0nul\0", 5),
  };
  for (const auto& input : inputs) {
    auto tokens = analyzer.analyze(input);
    for (const auto& t : tokens) {
      CHECK(vigie::is_valid_utf8(t.exact));
      CHECK(vigie::is_valid_utf8(t.stem));
      CHECK(t.end <= input.size());
      CHECK(t.begin < t.end);
    }
  }
  CHECK(render(analyzer.analyze(std::string("mot\x80suivant"))) == "mot suivant");
}

TEST_CASE("terms are capped in length, even for a 100,000-character word") {
  vigie::FrenchAnalyzer analyzer;
  std::string word(100000, 'a');
  auto tokens = analyzer.analyze(word + " fin");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].exact.size() < vigie::schema::kMaxTermBytes);
  CHECK(tokens[0].stem.size() < vigie::schema::kMaxTermBytes);
  CHECK(tokens[1].exact == "fin");
  std::string accented;
  for (int i = 0; i < 50000; ++i) accented += "é";
  auto more = analyzer.analyze(accented);
  REQUIRE(more.size() == 1);
  CHECK(more[0].exact.size() < vigie::schema::kMaxTermBytes);
  CHECK(vigie::is_valid_utf8(more[0].exact));
}

TEST_CASE("10 MB of real French text is analysed in one pass") {
  vigie::FrenchAnalyzer analyzer;
  std::string sample =
      "Le Conseil municipal, après en avoir délibéré, décide à l’unanimité d’approuver "
      "la convention avec la CAF pour la halte-garderie (32 339,40 €, n° 2010/80). ";
  std::string big;
  while (big.size() < 10u << 20) big += sample;
  std::size_t count = 0;
  std::uint32_t last_position = 0;
  analyzer.analyze(big, [&](const vigie::Token& t) {
    ++count;
    last_position = t.position;
  });
  const std::size_t per_sample = analyzer.analyze(sample).size();
  CHECK(count == per_sample * (big.size() / sample.size()));
  CHECK(last_position > 1000000);
}

TEST_CASE("stopword-free analysis: stopwords are tokens (filtered at query time only)") {
  vigie::FrenchAnalyzer analyzer;
  CHECK(render(analyzer.analyze("le la les de du et")) == "le la les de du et");
}

TEST_CASE("a token's form number names its forms until the analyzer forgets them") {
  vigie::FrenchAnalyzer analyzer;
  const auto tokens = analyzer.analyze("Conseil conseil Conseil délibération conseil");
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].form == tokens[2].form);
  CHECK(tokens[1].form == tokens[4].form);
  CHECK(tokens[0].form != tokens[3].form);
  for (const auto& a : tokens)
    for (const auto& b : tokens)
      if (a.form == b.form)
        CHECK((a.exact == b.exact && a.stem == b.stem && a.unaccented_stem == b.unaccented_stem));
  // Past its memory bound (100,000 forms) the analyzer starts again: a new
  // generation, whose numbers name other forms.
  const std::uint32_t generation = analyzer.forms_generation();
  std::string many;
  for (int i = 0; i < 120000; ++i) {
    many += 'q';
    for (int n = i;; n /= 26) {  // i in base 26, letters only: 120,000 distinct words
      many += static_cast<char>('a' + n % 26);
      if (n < 26) break;
    }
    many += ' ';
  }
  analyzer.analyze(many, [](const vigie::Token&) {});
  CHECK(analyzer.forms_generation() != generation);
}

TEST_CASE(
    "collapse_spaces collapses and trims every Unicode space; collapsed_fnv1a hashes what it "
    "gives") {
  CHECK(vigie::collapse_spaces("  Le\tconseil \n\r municipal  ") == "Le conseil municipal");
  CHECK(vigie::collapse_spaces("du\u00A0budget\u202F;\u2003fin\u200B") == "du budget ; fin");
  CHECK(vigie::collapse_spaces(" \u3000 ").empty());
  CHECK(vigie::collapse_spaces("a\xFF"
                               "b") ==
        "a\uFFFD"
        "b");
  const std::vector<std::string> texts{"",
                                       " ",
                                       "  Le\tconseil \n\r municipal  ",
                                       "du\u00A0budget\u202F;\u2003fin\u200B",
                                       "a\xFF"
                                       "b \xC3",
                                       "Délibération n° 2023-14 : œuvre",
                                       std::string(1000, ' ') + "x"};
  std::set<std::uint64_t> hashes;
  for (const auto& text : texts) {
    CAPTURE(text);
    CHECK(vigie::collapsed_fnv1a(text) == vigie::fnv1a(vigie::collapse_spaces(text)));
    hashes.insert(vigie::collapsed_fnv1a(text));
  }
  CHECK(hashes.size() == 6);  // "" and " " collapse alike
  for (const std::string text : {"", " ", " \t\n\r\v\f", "\u00A0\u2003\u3000\u200B\u2028", " x ",
                                 "\xFF", "\u00A0\xC3", " \u00A0é"})
    CHECK(vigie::is_blank(text) == vigie::collapse_spaces(text).empty());
  CHECK(vigie::is_blank("\u00A0\u2003\u200B\n"));
  CHECK_FALSE(vigie::is_blank("\u00A0\xFF"));
  // Pinned: indexes keep these hashes (file fingerprints, duplicate texts).
  CHECK(vigie::fnv1a("") == 1469598103934665603ull);
  CHECK(vigie::fnv1a("a") == 4953267810257967366ull);
}
