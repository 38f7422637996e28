// vigie-index: placeholder until the pipeline lands (issue 3).
#include <cstdio>
int main() {
  std::fprintf(stderr, "vigie-index: not built yet\n");
  return 2;
}
