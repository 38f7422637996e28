// vigie-search: placeholder until --analyze lands.
#include <cstdio>
int main() {
  std::fprintf(stderr, "vigie-search: not built yet\n");
  return 2;
}
