#!/usr/bin/env python3
"""Counts bad titles and the type of every document of a corpus (issue 18, item 6).

Indexes CORPUS (default ../shared/corpus) with the real vigie-index into a scratch
index, lists every document through vigie-search (empty query, jsonl, every hit, no
collapse of identical texts), and counts:

  long       titles over 150 characters (code points)
  lower      titles whose first letter is lower case (« au 1er … »)
  fragment   titles that open on a sentence fragment, i.e. whose first word, once any
             leading digits, numbering and punctuation are skipped, is
               - lower case (an ordinal glued to its number, « 15ème tranche », is not,
                 unless it is the whole title), or
               - a French preposition, conjunction or relative pronoun (à, au, de, et,
                 que, dont…), words that cannot open a title, or
               - a verb of a deliberation's operative clause (décide, approuve,
                 autorise, indique, précise…), which opens a clause, not a title;
             or whose first character is a symbol that is not a letter, a digit nor
             an opening quote/parenthesis (a private-use bullet, « - », « • »), or
             « Ø » before a space (the Wingdings arrow of the Chémeré HTML).
  bad        titles that are long, lower or fragment (each counted once)
  types      the count of documents per type

Usage: bench/title_quality.py [--build build/dev] [--corpus DIR] [--config FILE]
                              [--list] [--titles] [--json]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_CHARS = 150

# Words that cannot open a French title: they need something before them (« À » can:
# « À la une »).
FUNCTION_WORDS = {
    "au", "aux", "de", "du", "des", "d", "en", "par", "pour", "sur", "dans", "avec",
    "sans", "sous", "chez", "vers", "entre", "et", "ou", "mais", "donc", "or", "ni", "car",
    "que", "qu", "qui", "dont", "où", "si", "lorsque", "puisque", "quand", "comme", "afin",
    "ainsi", "puis", "soit", "lequel", "laquelle", "lesquels", "lesquelles", "auquel", "duquel",
}
# Operative verbs of a deliberation (« Le conseil municipal, … DÉCIDE … »): a title
# opening on one is the middle of a sentence. Nouns with the same spelling (vote,
# demande, charge) are left out on purpose.
CLAUSE_VERBS = {
    "décide", "approuve", "autorise", "indique", "précise", "accepte", "rappelle", "propose",
    "informe", "expose", "considérant", "considère", "émet", "donne", "sollicite", "confirme",
    "mandate",
}


def first_word(title):
    """The first word of the title after numbering and punctuation.

    Letters glued to a number are skipped as its prefix (« DE-2011/5 – ») or suffix: an
    ordinal (« 15ème tranche… ») opens a title well, but a title that is only one
    (« 15ème ») was cut at a line end, and counts as opening on a lower-case word."""
    i = 0
    while True:
        while i < len(title) and not title[i].isalpha():
            i += 1
        j = i
        while j < len(title) and title[j].isalpha():
            j += 1
        if j + 1 < len(title) and title[j] in "-/" and title[j + 1].isdigit():
            i = j
            continue
        if i > 0 and title[i - 1].isdigit():
            rest = title[j:]
            if any(c.isalpha() for c in rest):
                return "Ordinal"
        return title[i:j]


def opens_on_symbol(title):
    """A bullet, a dash, a private-use glyph, or « Ø » used as an arrow (Wingdings)."""
    title = title.lstrip()
    c = title[:1]
    if title.startswith("Ø "):
        return True
    if not c or c.isalnum() or c in "«\"'(“‘[":
        return False
    return True


def classify(title):
    flags = set()
    if len(title) > MAX_CHARS:
        flags.add("long")
    word = first_word(title)
    if word and word[0].islower():
        flags.add("lower")
    folded = word.lower()
    if (word and word[0].islower()) or folded in FUNCTION_WORDS or folded in CLAUSE_VERBS \
            or opens_on_symbol(title):
        flags.add("fragment")
    return flags


def list_documents(build, corpus, config, work):
    db = os.path.join(work, "index")
    subprocess.run([os.path.join(build, "indexer", "vigie-index"), "--config", config, "--db", db,
                    "--full", "--quiet", corpus], check=True, stdout=subprocess.DEVNULL)
    # Identical texts are collapsed into one hit (the CLI has no option to list them all):
    # the figures count distinct texts.
    out = subprocess.run([os.path.join(build, "cli", "vigie-search"), "--config", config, "--db",
                          db, "--format", "jsonl", "--limit", "0", ""],
                         check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "dev"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    parser.add_argument("--config", default=os.path.join(ROOT, "config", "vigie.json"))
    parser.add_argument("--list", action="store_true", help="print every bad title")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--titles", action="store_true", help="print every id, type and title")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vigie-titles-") as work:
        docs = list_documents(args.build, os.path.abspath(args.corpus), args.config, work)
    counts = {"documents": len(docs), "long": 0, "lower": 0, "fragment": 0, "bad": 0}
    types = {}
    bad = []
    for doc in docs:
        title = unicodedata.normalize("NFC", doc.get("title", ""))
        flags = classify(title)
        for flag in flags:
            counts[flag] += 1
        if flags:
            counts["bad"] += 1
            bad.append((sorted(flags), doc.get("id", ""), title))
        types[doc.get("type", "")] = types.get(doc.get("type", ""), 0) + 1
    counts["types"] = dict(sorted(types.items()))
    if args.json:
        json.dump(counts, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for key in ("documents", "long", "lower", "fragment", "bad"):
            print(f"{key:10} {counts[key]}")
        for key, n in counts["types"].items():
            print(f"type {key:14} {n}")
    if args.titles:
        for doc in docs:
            print(f"{doc.get('type', ''):14} {doc.get('id', '')}\n    {doc.get('title', '')}")
    if args.list:
        for flags, doc_id, title in bad:
            print(f"{','.join(flags):22} {doc_id}\n    {title[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
