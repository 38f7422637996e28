#!/usr/bin/python3
"""Plain Xapian BM25 with the French stemmer, the peer "Xapian as it comes"
of issue 21: TermGenerator with Stem("french") over title then body, and
QueryParser with STEM_SOME, the Snowball French stop list and the default
operator (OR) and weighting (BM25, k1 1, b 0.5 as Xapian ships it).

  xapian_peer.py --docs docs.jsonl --queries q.tsv [--k 100] [--runs N] [--out run.tsv]

Same files as bench/lucene/run: q.tsv "query id<TAB>text", output
"query id<TAB>rank<TAB>doc id<TAB>score". Needs python3-xapian (Debian's, so
/usr/bin/python3). The stop list is Snowball's, read from Lucene's jar when
it is there (the same list the Lucene peer uses), else none.
"""

import argparse
import glob
import json
import shutil
import sys
import tempfile
import time
import zipfile

import xapian


def snowball_french_stop():
    for jar in glob.glob("/usr/share/java/lucene-analyzers-common-[0-9]*.jar"):
        with zipfile.ZipFile(jar) as z:
            text = z.read("org/apache/lucene/analysis/snowball/french_stop.txt").decode("utf-8")
        return [line.split("|")[0].strip() for line in text.splitlines() if line.split("|")[0].strip()]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args()

    stem = xapian.Stem("french")
    stopper = xapian.SimpleStopper()
    for w in snowball_french_stop():
        stopper.add(w)
    path = tempfile.mkdtemp(prefix="vigie-xapian-peer-")
    try:
        t0 = time.perf_counter()
        db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        tg = xapian.TermGenerator()
        tg.set_stemmer(stem)
        tg.set_stopper(stopper)
        count = 0
        with open(args.docs, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                doc = xapian.Document()
                tg.set_document(doc)
                tg.index_text(d.get("title", ""))
                tg.increase_termpos()
                tg.index_text(d.get("body", ""))
                doc.set_data(d["id"])
                doc.add_boolean_term("Q" + d["id"])
                db.add_document(doc)
                count += 1
        db.commit()
        print(f"xapian: indexed {count} documents in {time.perf_counter() - t0:.2f} s", file=sys.stderr)

        qp = xapian.QueryParser()
        qp.set_stemmer(stem)
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_stopper(stopper)
        qp.set_database(db)
        enquire = xapian.Enquire(db)
        queries = []
        with open(args.queries, encoding="utf-8") as f:
            for line in f:
                if "\t" in line:
                    qid, text = line.rstrip("\n").split("\t", 1)
                    queries.append((qid, text))
        out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
        times = []
        for run in range(args.runs):
            for qid, text in queries:
                t = time.perf_counter()
                enquire.set_query(qp.parse_query(text, xapian.QueryParser.FLAG_DEFAULT))
                mset = enquire.get_mset(0, args.k)
                times.append(time.perf_counter() - t)
                if run == 0:
                    for rank, m in enumerate(mset, 1):
                        out.write(f"{qid}\t{rank}\t{m.document.get_data().decode('utf-8')}\t{m.weight:.4f}\n")
        if out is not sys.stdout:
            out.close()
        times.sort()
        if times:
            print(f"xapian: {len(queries)} queries x {args.runs} runs: p50 {times[len(times) // 2] * 1e3:.3f} ms, "
                  f"p99 {times[min(len(times) - 1, int(len(times) * 0.99))] * 1e3:.3f} ms", file=sys.stderr)
    finally:
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
