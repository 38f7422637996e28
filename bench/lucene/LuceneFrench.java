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
// --bench 1 (bench/bench.py, `make bench`): the documents' title and body are
// stored and their "type" and "date" (YYYY-MM-DD) indexed as filters; the
// queries are bench/queries.txt (KIND<TAB>QUERY in Vigie's language,
// translated as bench/peers.py does for the other peers: titre:, word*, type:,
// annee:A..B, date:A..B); each query fetches the top --k with the classic
// highlighter's best fragment of the body (Vigie's extracts); --warmup N
// untimed passes (default 1), then --runs timed passes; --timing FILE gets the figures as JSON
// (index seconds, p50/p95/p99 median over the passes, by kind).
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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.apache.lucene.document.IntPoint;
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
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.highlight.Highlighter;
import org.apache.lucene.search.highlight.QueryScorer;
import org.apache.lucene.search.highlight.SimpleHTMLFormatter;
import org.apache.lucene.search.highlight.SimpleSpanFragmenter;
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
    boolean bench = "1".equals(a.get("--bench"));
    Field.Store store = bench ? Field.Store.YES : Field.Store.NO;
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
        doc.add(new TextField("title", d.getOrDefault("title", ""), store));
        doc.add(new TextField("body", d.getOrDefault("body", ""), store));
        if (bench) {
          doc.add(new StringField("type", d.getOrDefault("type", ""), Field.Store.NO));
          int date = dateInt(d.getOrDefault("date", ""));
          if (date > 0) doc.add(new IntPoint("date", date));
        }
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
      if (tab > 0 && !line.startsWith("#")) queries.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
    }
    try (Directory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir);
         PrintStream out = a.containsKey("--out") ? new PrintStream(a.get("--out"), "UTF-8")
                                                  : new PrintStream(System.out, false, "UTF-8")) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(bm25);
      // The JVM compiles the hot paths after some thousands of calls: the
      // bench warms it up over --warmup passes (3 from bench.py) first.
      int warmup = Integer.parseInt(a.getOrDefault("--warmup", bench ? "1" : "0"));
      List<double[]> passes = new ArrayList<>();
      Map<String, List<double[]>> byKind = new TreeMap<>();
      int errors = 0, empty = 0;
      for (int pass = 0; pass < runs + warmup; pass++) {
        double[] all = new double[queries.size()];
        Map<String, List<Double>> kinds = new TreeMap<>();
        for (int qi = 0; qi < queries.size(); qi++) {
          String[] q = queries.get(qi);
          long s0 = System.nanoTime();
          TopDocs top = null;
          try {
            Query query = bench ? benchQuery(analyzer, q[0], q[1]) : matchQuery(analyzer, q[1]);
            top = searcher.search(query, k);
            if (bench) highlight(searcher, analyzer, query, top);
          } catch (Exception e) {
            if (pass == warmup) errors++;
          }
          double ms = (System.nanoTime() - s0) / 1e6;
          all[qi] = ms;
          kinds.computeIfAbsent(q[0], x -> new ArrayList<>()).add(ms);
          if (pass == warmup && top != null && top.scoreDocs.length == 0) empty++;
          if (pass > 0 || top == null) continue;
          int rank = 1;
          for (ScoreDoc sd : top.scoreDocs) {
            out.printf("%s\t%d\t%s\t%.4f%n", q[0], rank++, searcher.doc(sd.doc).get("id"), sd.score);
          }
        }
        if (pass < warmup) continue;
        passes.add(all);
        for (Map.Entry<String, List<Double>> e : kinds.entrySet()) {
          byKind.computeIfAbsent(e.getKey(), x -> new ArrayList<>())
              .add(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
        }
      }
      if (!passes.isEmpty()) {
        double[] m = medianStats(passes);
        System.err.printf("lucene: %d queries x %d runs: p50 %.3f ms, p99 %.3f ms%n", queries.size(), runs, m[0], m[2]);
      }
      if (a.containsKey("--timing")) {
        StringBuilder j = new StringBuilder();
        j.append(String.format("{\"engine\":\"lucene\",\"documents\":%d,\"index_s\":%.3f,\"queries\":%d,"
                                   + "\"runs\":%d,\"errors\":%d,\"empty\":%d,\"median\":%s,\"by_kind\":{",
                               count, indexSeconds, queries.size(), runs, errors, empty, statsJson(medianStats(passes))));
        boolean first = true;
        for (Map.Entry<String, List<double[]>> e : byKind.entrySet()) {
          j.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(statsJson(medianStats(e.getValue())));
          first = false;
        }
        Files.write(Paths.get(a.get("--timing")), j.append("}}\n").toString().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  static int dateInt(String date) {
    if (date.length() < 10) return 0;
    try {
      return Integer.parseInt(date.substring(0, 4) + date.substring(5, 7) + date.substring(8, 10));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // Percentile with linear interpolation, as bench/peers.py computes it.
  static double percentile(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    if (s.length == 0) return 0;
    double r = p * (s.length - 1);
    int lo = (int) r;
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (r - lo);
  }

  // p50, p95, p99: each the median over the passes of that pass's percentile.
  static double[] medianStats(List<double[]> passes) {
    double[] out = new double[3];
    double[] ps = {0.5, 0.95, 0.99};
    for (int i = 0; i < 3; i++) {
      double[] per = new double[passes.size()];
      for (int j = 0; j < per.length; j++) per[j] = percentile(passes.get(j), ps[i]);
      out[i] = percentile(per, 0.5);
    }
    return out;
  }

  static String statsJson(double[] m) {
    return String.format("{\"p50\":%.4f,\"p95\":%.4f,\"p99\":%.4f}", m[0], m[1], m[2]);
  }

  // The best fragment of each hit's body, as Elasticsearch's "plain"
  // highlighter (Lucene's classic Highlighter) makes it: the stored text
  // analysed again, fragments of ~150 characters.
  static void highlight(IndexSearcher searcher, Analyzer analyzer, Query query, TopDocs top) throws Exception {
    QueryScorer scorer = new QueryScorer(query, "body");
    Highlighter h = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), scorer);
    h.setTextFragmenter(new SimpleSpanFragmenter(scorer, 150));
    for (ScoreDoc sd : top.scoreDocs) {
      Document d = searcher.doc(sd.doc);
      String body = d.get("body");
      if (body != null) h.getBestFragment(analyzer, "body", body);
    }
  }

  static final Pattern FILTER = Pattern.compile("^(.*?)\\s*(type|annee|date):(\\S+)$");

  // bench/queries.txt's kinds in Lucene, as bench/peers.py translates them
  // for the other peers: the words as a multi_match (below), "titre:" the
  // title field alone, "word*" a prefix of the folded word in both fields,
  // "type:X" and "annee:A..B" / "date:A..B" filters.
  static Query benchQuery(Analyzer analyzer, String kind, String text) throws IOException {
    Matcher m = FILTER.matcher(text);
    String field = null, value = null;
    if (m.matches()) {
      text = m.group(1);
      field = m.group(2);
      value = m.group(3);
    }
    Query main;
    if (kind.equals("title") && text.startsWith("titre:")) {
      main = fieldQuery(analyzer, "title", text.substring("titre:".length()));
    } else if (kind.equals("prefix") && text.endsWith("*")) {
      String prefix = text.substring(0, text.length() - 1).toLowerCase(java.util.Locale.ROOT);
      prefix = java.text.Normalizer.normalize(prefix, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
      List<Query> both = new ArrayList<>();
      for (String f : new String[] {"title", "body"}) both.add(new PrefixQuery(new Term(f, prefix)));
      main = new DisjunctionMaxQuery(both, 0.0f);
    } else {
      main = matchQuery(analyzer, text);
    }
    if (field == null) return main;
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(main, BooleanClause.Occur.MUST);
    if (field.equals("type")) {
      b.add(new TermQuery(new Term("type", value)), BooleanClause.Occur.FILTER);
    } else {
      String[] ab = value.split("\\.\\.", -1);
      String from = ab[0], to = ab.length > 1 && !ab[1].isEmpty() ? ab[1] : ab[0];
      int lo = field.equals("annee") ? Integer.parseInt(from) * 10000 + 101 : dateInt(from);
      int hi = field.equals("annee") ? Integer.parseInt(to) * 10000 + 1231 : dateInt(to);
      b.add(IntPoint.newRangeQuery("date", lo, hi), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  // OR of the analyzed words (and a phrase per "quoted" part) in each field;
  // the better field wins (multi_match best_fields).
  static Query matchQuery(Analyzer analyzer, String text) throws IOException {
    List<Query> perField = new ArrayList<>();
    for (String field : new String[] {"title", "body"}) perField.add(fieldQuery(analyzer, field, text));
    return new DisjunctionMaxQuery(perField, 0.0f);
  }

  static Query fieldQuery(Analyzer analyzer, String field, String text) throws IOException {
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
    return b.build();
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
