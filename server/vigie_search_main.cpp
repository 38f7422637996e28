// vigie-search: the researchers' command line (issue 4). For now it offers
// --analyze, the analyzer's debugging entry point.
#include <cstring>
#include <iostream>
#include <string>

#include "analyze_command.h"

namespace {
void usage(std::ostream& out) {
  out << "usage: vigie-search --analyze TEXT\n"
         "  --analyze TEXT   print the French analyzer's tokens (position, exact, stem, offsets)\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--analyze") == 0) {
    vigie::print_analysis(argv[2], std::cout);
    return 0;
  }
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    usage(std::cout);
    return 0;
  }
  usage(std::cerr);
  return 2;
}
