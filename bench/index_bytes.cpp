// index_bytes: where the bytes of a Vigie generation go — what each value
// slot holds, and about what the postings and the termlists of each term
// prefix take (bench/README.md, change 21).
//
//   index_bytes GENERATION_DIR
//
// Value slots: the exact bytes (Xapian's value streams, summed). Postings
// and termlists: estimated from their content as glass encodes it (a
// posting: the docid gap and the wdf as variable-length integers; a
// termlist entry: the bytes not shared with the previous term, its length
// and its wdf; a posting list's chunk key every ~2 KB), before the B-trees'
// own overhead and glass's zlib of termlists — a guide to what to cut, not
// the file sizes (which `ls -l` gives).
#include <xapian.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

int varint_bytes(unsigned long long v) {
  int n = 1;
  for (; v >= 128; v >>= 7) ++n;
  return n;
}

// "Q", "S", "XT"…, or "(words)" for the unprefixed exact words.
std::string prefix_of(const std::string& term) {
  if (term.empty() || term[0] < 'A' || term[0] > 'Z') return "(words)";
  if (term[0] == 'X' && term.size() > 1) return term.substr(0, 2);
  return term.substr(0, 1);
}

struct Bytes {
  unsigned long long terms = 0, postings = 0, postlist = 0, termlist = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: index_bytes GENERATION_DIR\n");
    return 2;
  }
  try {
    const Xapian::Database db(argv[1]);
    std::map<std::string, Bytes> by_prefix;
    constexpr unsigned kChunkBytes = 2000;
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
      const std::string term = *t;
      Bytes& b = by_prefix[prefix_of(term)];
      ++b.terms;
      unsigned long long bytes = term.size() + 17, chunk = 0;  // key and header
      Xapian::docid previous = 0;
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p, ++b.postings) {
        const unsigned n = varint_bytes(*p - previous) + varint_bytes(p.get_wdf());
        previous = *p;
        bytes += n;
        if ((chunk += n) > kChunkBytes) {
          chunk = 0;
          bytes += term.size() + 15;
        }
      }
      b.postlist += bytes;
    }
    for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
      std::string previous;
      for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t) {
        const std::string term = *t;
        std::size_t shared = 0;
        while (shared < previous.size() && shared < term.size() && previous[shared] == term[shared])
          ++shared;
        by_prefix[prefix_of(term)].termlist +=
            2 + (term.size() - shared) + varint_bytes(t.get_wdf());
        previous = term;
      }
    }
    std::printf("%-8s %10s %12s %14s %14s\n", "prefix", "terms", "postings", "postlist ~B",
                "termlist ~B");
    Bytes total;
    for (const auto& [prefix, b] : by_prefix) {
      std::printf("%-8s %10llu %12llu %14llu %14llu\n", prefix.c_str(), b.terms, b.postings,
                  b.postlist, b.termlist);
      total.postlist += b.postlist;
      total.termlist += b.termlist;
    }
    std::printf("%-8s %10s %12s %14llu %14llu\n", "total", "", "", total.postlist, total.termlist);
    unsigned long long values = 0;
    for (Xapian::valueno slot = 0; slot < 32; ++slot) {
      unsigned long long count = 0, bytes = 0;
      for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v, ++count)
        bytes += (*v).size();
      if (count) std::printf("slot %2u  %10llu values %14llu B\n", slot, count, bytes);
      values += bytes;
    }
    std::printf("values   %14llu B\n", values);
    unsigned long long keys = 0, metadata = 0;
    for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k, ++keys)
      metadata += (*k).size() + db.get_metadata(*k).size();
    std::printf("metadata %10llu keys %14llu B\ndocuments %u\n", keys, metadata, db.get_doccount());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "index_bytes: %s\n", e.get_description().c_str());
    return 1;
  }
  return 0;
}
