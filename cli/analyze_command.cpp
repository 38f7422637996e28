#include "analyze_command.h"

#include "vigie/french_analyzer.h"
#include "vigie/term_forms.h"
#include "vigie/text_normalization.h"

namespace vigie {

void print_analysis(std::string_view text, std::ostream& out) {
  FrenchAnalyzer analyzer;
  out << "#pos\texact\tstem\toffsets\toriginal\tflags\tfamilies\n";
  analyzer.analyze(text, [&](const Token& t) {
    out << t.position << '\t' << t.exact << '\t' << t.stem << '\t' << t.begin << '-' << t.end
        << '\t' << make_valid_utf8(text.substr(t.begin, t.end - t.begin)) << '\t';
    std::string flags;
    if (t.alternative) flags += "alt";
    if (!t.unaccented_stem.empty())
      flags += (flags.empty() ? "" : ",") + std::string("unaccented=") + t.unaccented_stem;
    out << (flags.empty() ? "-" : flags) << '\t';
    std::string families;
    for (const auto& key : index_stem_terms(t)) families += (families.empty() ? "" : " ") + key;
    out << families << '\n';
  });
}

}  // namespace vigie
