#!/usr/bin/env python3
"""The peers of `make bench`: SQLite FTS5, PostgreSQL full text, Xapian Omega.

  peers.py load-check DATA                        documents the loaders see
  peers.py fts5-index DATA DB                     build an FTS5 database
  peers.py fts5-query DB QUERIES RUNS             query latency, JSON on stdout
  peers.py pg-index DATA SOCKDIR PORT             load + GIN index, JSON on stdout
  peers.py pg-query SOCKDIR PORT QUERIES RUNS
  peers.py xapian-query DB QUERIES RUNS           an omindex database, QueryParser
  peers.py lucene-docs DATA OUT.jsonl             the documents for bench/lucene (one JSON object a line)

Documents: Markdown with front matter (the generated corpora; title, date,
type, organisation), plus, for the real corpus, the deliberations of the
session JSON files, and HTML with its tags stripped. PDFs are left to Omega
(Vigie and omindex extract them; these two peers have no extractor).

Queries (bench/queries.txt, KIND<TAB>QUERY in Vigie's language) are translated
kind by kind into each engine's nearest equivalent; every query fetches the
top 10 with a highlighted extract (FTS5 snippet(), ts_headline, MSet::snippet).
Words are ANDed in FTS5 and PostgreSQL (their usual web mode), ORed with
BM25 in Xapian (its QueryParser default, closest to Vigie's relaxed mode).
Latency is measured in this process around the engine call (Python's own
overhead, a few µs per call, is included: it slightly favours Vigie).
"""
import html
import json
import os
import re
import sys
import time
import unicodedata

FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
TAG = re.compile(r"<[^>]*>")


def documents(root):
    """Yields (id, title, body, date 'YYYY-MM-DD' or '', type, organisation)."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if name.endswith(".md") and name != "README.md":
                text = open(path, encoding="utf-8", errors="replace").read()
                meta, body = {}, text
                m = FRONT.match(text)
                if m:
                    body = text[m.end():]
                    for line in m.group(1).splitlines():
                        k, _, v = line.partition(":")
                        meta[k.strip()] = v.strip().strip('"')
                title = meta.get("title") or body.strip().split("\n", 1)[0][:120]
                yield rel, title, body, meta.get("date", ""), meta.get("type", ""), meta.get("organisation", "")
            elif name.endswith(".json"):
                try:
                    session = json.load(open(path, encoding="utf-8"))
                except ValueError:
                    continue
                for i, d in enumerate(session.get("deliberations", []) if isinstance(session, dict) else []):
                    yield (f"{rel}#{i}", d.get("titre", ""), d.get("text", ""), session.get("date", ""),
                           "délibération", "Commune de Chémeré")
            elif name.endswith((".html", ".htm")):
                raw = open(path, "rb").read().decode("utf-8", "replace")
                body = html.unescape(TAG.sub(" ", re.sub(r"(?is)<(script|style).*?</\1>", " ", raw)))
                yield rel, name, body, "", "procès-verbal", "Commune de Chémeré"


def unaccent(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def read_queries(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#") and "\t" in line:
            kind, q = line.split("\t", 1)
            out.append((kind, q))
    return out


def split_filter(q):
    """'budget annee:2010..2012' -> ('budget', 'annee', '2010..2012')."""
    m = re.match(r"^(.*?)\s*(\w+):(\S+)$", q)
    if m and m.group(2) in ("type", "annee", "date"):
        return m.group(1), m.group(2), m.group(3)
    return q, None, None


def date_range(field, value):
    a, _, b = value.partition("..")
    if field == "annee":
        return f"{a}-01-01", f"{b or a}-12-31"
    return a, b


def words_of(q):
    return [w for w in re.findall(r"\w+", q.replace("’", " ").replace("'", " ")) if len(w) > 1]


def percentile(v, p):
    v = sorted(v)
    if not v:
        return 0.0
    r = p * (len(v) - 1)
    lo = int(r)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (r - lo)


def latency_report(engine, queries, run_one, runs, extra=None):
    for kind, q in queries:  # warm-up pass
        run_one(kind, q)
    passes, kinds, errors, empty = [], {}, 0, 0
    for _ in range(runs):
        all_ms, per = [], {}
        for kind, q in queries:
            t = time.perf_counter()
            try:
                n = run_one(kind, q)
                if n == 0:
                    empty += 1
            except Exception as e:  # a translation the engine rejects counts as an error
                errors += 1
                if os.environ.get("BENCH_DEBUG"):
                    print(f"{engine}: {q!r}: {e}", file=sys.stderr)
            ms = (time.perf_counter() - t) * 1000
            all_ms.append(ms)
            per.setdefault(kind, []).append(ms)
        passes.append(all_ms)
        for k, v in per.items():
            kinds.setdefault(k, []).append(v)

    def med(ps):
        return {s: percentile([percentile(v, p) for v in ps], 0.5)
                for s, p in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}

    out = {"engine": engine, "queries": len(queries), "runs": runs, "errors": errors // runs,
           "empty": empty // runs, "median": med(passes), "by_kind": {k: med(v) for k, v in kinds.items()}}
    out.update(extra or {})
    print(json.dumps(out))


# ------------------------------------------------------------------ SQLite FTS5
def fts5_index(data, db):
    import sqlite3
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=MEMORY")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, date UNINDEXED, type, "
                "organisation, tokenize='unicode61 remove_diacritics 2')")
    n = 0
    with con:
        for doc in documents(data):
            con.execute("INSERT INTO docs VALUES (?,?,?,?,?,?)", doc)
            n += 1
    con.execute("INSERT INTO docs(docs) VALUES('optimize')")
    con.close()
    print(json.dumps({"documents": n}))


def fts5_translate(kind, q):
    text, field, value = split_filter(q)
    where, args = "", []
    if kind == "phrase":
        m = '"' + " ".join(words_of(text)) + '"'
    elif kind == "prefix":
        m = words_of(text)[0] + "*"
    elif kind == "title":
        m = "title : " + " ".join(f'"{w}"' for w in words_of(text.split(":", 1)[1]))
    else:
        m = " ".join(f'"{w}"' for w in words_of(text))
    if field == "type":
        m = f"({m}) AND type : ({' '.join(chr(34) + w + chr(34) for w in words_of(value))})"
    elif field in ("annee", "date"):
        a, b = date_range(field, value)
        where, args = " AND date BETWEEN ? AND ?", [a, b]
    return m, where, args


def fts5_query(db, queries_path, runs):
    import sqlite3
    con = sqlite3.connect(db)
    queries = read_queries(queries_path)

    def one(kind, q):
        m, where, args = fts5_translate(kind, q)
        rows = con.execute(
            "SELECT id, title, date, snippet(docs, 2, '<mark>', '</mark>', '…', 40) FROM docs "
            "WHERE docs MATCH ?" + where + " ORDER BY bm25(docs, 0, 3, 1) LIMIT 10", [m] + args).fetchall()
        return len(rows)

    latency_report("sqlite-fts5", queries, one, runs, {"documents": con.execute(
        "SELECT count(*) FROM docs").fetchone()[0]})


# ------------------------------------------------------------------ PostgreSQL
PG_SETUP = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TABLE IF EXISTS docs;
DROP TEXT SEARCH CONFIGURATION IF EXISTS fr;
CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TABLE docs (id text, title text, body text, date date, type text, organisation text,
  tsv tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector('fr', coalesce(title, '')), 'A') || setweight(to_tsvector('fr', body), 'B')) STORED);
"""


def pg_connect(sockdir, port):
    import psycopg2
    return psycopg2.connect(host=sockdir, port=int(port), user="postgres", dbname="postgres")


def proc_cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_hwm_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def pg_index(data, sockdir, port):
    import io
    con = pg_connect(sockdir, port)
    con.autocommit = True
    cur = con.cursor()
    cur.execute(PG_SETUP)
    cur.execute("SELECT pg_backend_pid()")
    backend = cur.fetchone()[0]
    cpu0, t0, c0 = proc_cpu(backend), time.perf_counter(), time.process_time()
    buf, n = io.StringIO(), 0
    for doc in documents(data):
        row = list(doc)
        row[3] = row[3] if re.match(r"^\d{4}-\d\d-\d\d$", row[3] or "") else None
        buf.write("\t".join("\\N" if v is None else v.replace("\\", "\\\\").replace("\t", " ")
                            .replace("\n", "\\n").replace("\r", " ") for v in row) + "\n")
        n += 1
    buf.seek(0)
    cur.copy_expert("COPY docs (id, title, body, date, type, organisation) FROM STDIN", buf)
    cur.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
    cur.execute("CREATE INDEX docs_date ON docs (date)")
    cur.execute("VACUUM ANALYZE docs")
    cur.execute("CHECKPOINT")
    wall = time.perf_counter() - t0
    cpu = proc_cpu(backend) - cpu0 + time.process_time() - c0
    cur.execute("SELECT pg_total_relation_size('docs')")
    size = cur.fetchone()[0]
    rss_kb = proc_hwm_kb(backend)
    print(json.dumps({"documents": n, "wall_s": wall, "cpu_s": cpu, "index_bytes": size,
                      "peak_rss_kb": rss_kb, "note": "CPU = client + backend; RSS = backend"}))


def pg_translate(kind, q):
    text, field, value = split_filter(q)
    if kind == "phrase":
        tsq, arg = "phraseto_tsquery('fr', %s)", " ".join(words_of(text))
    elif kind == "prefix":
        tsq, arg = "to_tsquery('fr', %s)", unaccent(words_of(text)[0]) + ":*"
    elif kind == "title":
        tsq, arg = "to_tsquery('fr', %s)", " & ".join(w + ":A" for w in words_of(text.split(":", 1)[1]))
    else:
        tsq, arg = "plainto_tsquery('fr', %s)", " ".join(words_of(text))
    where, args = "", []
    if field == "type":
        where, args = " AND type = %s", [value]
    elif field in ("annee", "date"):
        a, b = date_range(field, value)
        where, args = " AND date BETWEEN %s AND %s", [a, b]
    return tsq, arg, where, args


def pg_query(sockdir, port, queries_path, runs):
    con = pg_connect(sockdir, port)
    con.autocommit = True
    cur = con.cursor()
    queries = read_queries(queries_path)

    def one(kind, q):
        tsq, arg, where, args = pg_translate(kind, q)
        cur.execute(
            "WITH q AS (SELECT " + tsq + " AS q), top AS (SELECT id, title, date, body, "
            "ts_rank(tsv, q.q) AS rank FROM docs, q WHERE tsv @@ q.q" + where +
            " ORDER BY rank DESC LIMIT 10) SELECT id, title, date, ts_headline('fr', body, q.q, "
            "'StartSel=<mark>, StopSel=</mark>, MaxWords=45, MinWords=20') FROM top, q ORDER BY rank DESC",
            [arg] + args)
        return len(cur.fetchall())

    cur.execute("SELECT count(*) FROM docs")
    latency_report("postgresql", queries, one, runs, {"documents": cur.fetchone()[0]})


# ------------------------------------------------------------------ Xapian Omega
def xapian_query(db_path, queries_path, runs):
    import xapian
    db = xapian.Database(db_path)
    qp = xapian.QueryParser()
    stem = xapian.Stem("french")
    qp.set_stemmer(stem)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    qp.add_prefix("title", "S")
    flags = (xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_WILDCARD)
    enquire = xapian.Enquire(db)
    queries = read_queries(queries_path)

    def one(kind, q):
        text, field, value = split_filter(q)
        if kind == "title":
            text = "title:" + text.split(":", 1)[1]
        query = qp.parse_query(text.replace("’", "'"), flags)
        if field in ("annee", "date"):  # omindex knows only file dates (set to the document date)
            a, b = date_range(field, value)
            years = [xapian.Query("Y" + str(y)) for y in range(int(a[:4]), int(b[:4]) + 1)]
            query = xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query(xapian.Query.OP_OR, years))
        enquire.set_query(query)
        mset = enquire.get_mset(0, 10)
        for m in mset:
            data = m.document.get_data().decode("utf-8", "replace")
            sample = data.split("sample=", 1)[1].split("\n", 1)[0] if "sample=" in data else ""
            mset.snippet(sample, 300, stem)
        return mset.size()

    latency_report("xapian-omega", queries, one, runs, {"documents": db.get_doccount()})


def lucene_docs(data, out):
    """One {"id", "title", "body", "date", "type"} a line, streamed (1M
    documents: 1.7 GB), written under a temporary name then renamed."""
    n = 0
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        for doc_id, title, body, date, kind, _ in documents(data):
            f.write(json.dumps({"id": doc_id, "title": title, "body": body, "date": date, "type": kind},
                               ensure_ascii=False) + "\n")
            n += 1
    os.replace(out + ".tmp", out)
    print(json.dumps({"documents": n}))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "load-check":
        n = b = 0
        for d in documents(args[0]):
            n += 1
            b += len(d[2].encode())
        print(json.dumps({"documents": n, "body_bytes": b}))
    elif cmd == "fts5-index":
        fts5_index(*args)
    elif cmd == "fts5-query":
        fts5_query(args[0], args[1], int(args[2]))
    elif cmd == "pg-index":
        pg_index(*args)
    elif cmd == "pg-query":
        pg_query(args[0], args[1], args[2], int(args[3]))
    elif cmd == "lucene-docs":
        lucene_docs(*args)
    elif cmd == "xapian-query":
        xapian_query(args[0], args[1], int(args[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
