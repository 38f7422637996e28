// Lucene 8 set up as Elasticsearch's built-in "french" analyzer (standard
// tokenizer, elision, lower case, French stop words, light French stemmer) plus
// accent folding, BM25(1.2, 0.75): the peer issue 21 measures Vigie against.
//
//   java -cp CLASSES:LUCENE_JARS LuceneFrench --docs docs.jsonl --queries q.tsv
//        [--index DIR] [--k 100] [--runs N] [--out run.tsv]
//
// docs.jsonl: one {"id", "title", "body", ...} object a line (string values;
// other values are skipped). q.tsv: "query id<TAB>text" a line. Output (stdout
// or --out): "query id<TAB>rank<TAB>doc id<TAB>score" a line, top k. Timing on
// stderr: index wall time and per-query latency p50/p99 over --runs passes, so
// the scale bench (issue 19) can reuse it at 100k/1M documents.
//
// The query is Elasticsearch's multi_match (best_fields) of a match query:
// the words through the same analyzer, OR of terms, in title and in body, the
// better field's score (dis_max). Text between double quotes becomes a phrase.
// Compile and run with bench/lucene/run.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public final class LuceneFrench {
  // Elasticsearch's french analyzer elision articles (case-insensitive).
  static final CharArraySet ARTICLES = new CharArraySet(
      Arrays.asList("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"), true);

  static final class EsFrench extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String field) {
      Tokenizer source = new StandardTokenizer();
      TokenStream s = new ElisionFilter(source, ARTICLES);
      s = new LowerCaseFilter(s);
      s = new StopFilter(s, FrenchAnalyzer.getDefaultStopSet());
      s = new FrenchLightStemFilter(s);
      s = new ASCIIFoldingFilter(s);
      return new TokenStreamComponents(source, s);
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i], argv[i + 1]);
    if (!a.containsKey("--docs") || !a.containsKey("--queries")) {
      System.err.println("usage: LuceneFrench --docs F.jsonl --queries Q.tsv [--index DIR] [--k N] [--runs N] [--out F]");
      System.exit(2);
    }
    int k = Integer.parseInt(a.getOrDefault("--k", "100"));
    int runs = Integer.parseInt(a.getOrDefault("--runs", "1"));
    Path indexDir = Paths.get(a.getOrDefault("--index", Files.createTempDirectory("lucene-french").toString()));
    Analyzer analyzer = new EsFrench();
    BM25Similarity bm25 = new BM25Similarity(1.2f, 0.75f);

    long t0 = System.nanoTime();
    int count = 0;
    try (Directory dir = FSDirectory.open(indexDir);
         IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer).setSimilarity(bm25)
                                                  .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                                                  .setRAMBufferSizeMB(256));
         BufferedReader r = Files.newBufferedReader(Paths.get(a.get("--docs")), StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null;) {
        if (line.isBlank()) continue;
        Map<String, String> d = Json.flatStrings(line);
        Document doc = new Document();
        doc.add(new StringField("id", d.getOrDefault("id", ""), Field.Store.YES));
        doc.add(new TextField("title", d.getOrDefault("title", ""), Field.Store.NO));
        doc.add(new TextField("body", d.getOrDefault("body", ""), Field.Store.NO));
        w.addDocument(doc);
        count++;
      }
      w.forceMerge(1);
    }
    double indexSeconds = (System.nanoTime() - t0) / 1e9;
    System.err.printf("lucene: indexed %d documents in %.2f s%n", count, indexSeconds);

    List<String[]> queries = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(a.get("--queries")), StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab > 0) queries.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
    }
    try (Directory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir);
         PrintStream out = a.containsKey("--out") ? new PrintStream(a.get("--out"), "UTF-8")
                                                  : new PrintStream(System.out, false, "UTF-8")) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(bm25);
      long[] nanos = new long[queries.size() * runs];
      int n = 0;
      for (int pass = 0; pass < runs; pass++) {
        for (String[] q : queries) {
          long s0 = System.nanoTime();
          Query query = matchQuery(analyzer, q[1]);
          TopDocs top = searcher.search(query, k);
          nanos[n++] = System.nanoTime() - s0;
          if (pass > 0) continue;
          int rank = 1;
          for (ScoreDoc sd : top.scoreDocs) {
            out.printf("%s\t%d\t%s\t%.4f%n", q[0], rank++, searcher.doc(sd.doc).get("id"), sd.score);
          }
        }
      }
      Arrays.sort(nanos);
      if (n > 0) {
        System.err.printf("lucene: %d queries x %d runs: p50 %.3f ms, p99 %.3f ms%n", queries.size(), runs,
                          nanos[n / 2] / 1e6, nanos[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
      }
    }
  }

  // OR of the analyzed words (and a phrase per "quoted" part) in each field;
  // the better field wins (multi_match best_fields).
  static Query matchQuery(Analyzer analyzer, String text) throws IOException {
    List<Query> perField = new ArrayList<>();
    for (String field : new String[] {"title", "body"}) {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      String[] parts = text.split("\"", -1);
      for (int i = 0; i < parts.length; i++) {
        List<String[]> terms = analyze(analyzer, field, parts[i]);
        if (i % 2 == 1 && terms.size() > 1) {
          PhraseQuery.Builder p = new PhraseQuery.Builder();
          int pos = -1;
          for (String[] t : terms) {
            pos += Integer.parseInt(t[1]);
            p.add(new Term(field, t[0]), pos);
          }
          b.add(p.build(), BooleanClause.Occur.SHOULD);
        } else {
          for (String[] t : terms) b.add(new TermQuery(new Term(field, t[0])), BooleanClause.Occur.SHOULD);
        }
      }
      perField.add(b.build());
    }
    return new DisjunctionMaxQuery(perField, 0.0f);
  }

  static List<String[]> analyze(Analyzer analyzer, String field, String text) throws IOException {
    List<String[]> terms = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) terms.add(new String[] {term.toString(), Integer.toString(inc.getPositionIncrement())});
      ts.end();
    }
    return terms;
  }

  // The smallest JSON reader for one flat object a line: string values by key,
  // other values (arrays, numbers) skipped.
  static final class Json {
    static Map<String, String> flatStrings(String s) {
      Map<String, String> m = new HashMap<>();
      int[] i = {0};
      skipWs(s, i);
      expect(s, i, '{');
      while (true) {
        skipWs(s, i);
        if (s.charAt(i[0]) == '}') break;
        String key = string(s, i);
        skipWs(s, i);
        expect(s, i, ':');
        skipWs(s, i);
        if (s.charAt(i[0]) == '"') {
          m.put(key, string(s, i));
        } else {
          skipValue(s, i);
        }
        skipWs(s, i);
        if (s.charAt(i[0]) == ',') i[0]++;
      }
      return m;
    }

    static void skipWs(String s, int[] i) {
      while (i[0] < s.length() && Character.isWhitespace(s.charAt(i[0]))) i[0]++;
    }

    static void expect(String s, int[] i, char c) {
      if (s.charAt(i[0]) != c) throw new IllegalArgumentException("expected " + c + " at " + i[0]);
      i[0]++;
    }

    static String string(String s, int[] i) {
      expect(s, i, '"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i[0]++);
        if (c == '"') return b.toString();
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i[0]++);
        switch (e) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          case 'r': b.append('\r'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'u': b.append((char) Integer.parseInt(s.substring(i[0], i[0] + 4), 16)); i[0] += 4; break;
          default: b.append(e);
        }
      }
    }

    // Arrays and objects (with strings inside), numbers, true/false/null.
    static void skipValue(String s, int[] i) {
      int depth = 0;
      while (i[0] < s.length()) {
        char c = s.charAt(i[0]);
        if (c == '"') {
          string(s, i);
          if (depth == 0) return;
          continue;
        }
        if (c == '[' || c == '{') depth++;
        if (c == ']' || c == '}') {
          if (depth == 0) return;
          depth--;
          i[0]++;
          if (depth == 0) return;
          continue;
        }
        if (depth == 0 && c == ',') return;
        i[0]++;
      }
    }
  }
}
