#!/usr/bin/env python3
"""Build ``sample_corpora/wiki.txt.gz``, the demo corpus of wvtool, from Wikipedia text.

Input: ``wiki-raw-50m.txt.gz`` (WikiExtractor output of an English Wikipedia
dump of about May 2015; see ``README.md`` beside this file for its source and
licence).  The script

1. reads the input's articles in order (each between a ``<doc ...>`` line and
   a ``</doc>`` line),
2. leaves out disambiguation pages (title ending in ``(disambiguation)``),
   lists (title starting with ``List of``) and articles with fewer than
   ``MIN_ARTICLE_TOKENS`` tokens,
3. keeps every other article whole and verbatim, its ``<doc>``/``</doc>``
   lines included (wvtool's default ``skip_lines`` leaves them out when
   training, which the demo shows), to the end of the input (the committed
   file: all of ``wiki-raw-50m.txt.gz``), or until ``--tokens N`` tokens are
   reached,
4. writes the gzip file reproducibly (level 9, mtime 0, no file name) and
   prints the counts and the sha256.

``--tokens`` and ``--stride`` make a smaller corpus (the committed file uses
the defaults: every article, no limit).  Tokens are counted as runs of Unicode letters and digits (``[^\\W_]+``) outside
the ``<doc>`` lines.  Usage::

    python3 sample_corpora/build_wiki.py [--input PATH] [--output PATH]

Needs Python 3.10+ only.  The same input gives a byte-identical output.
"""

import argparse
import gzip
import hashlib
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_INPUT = os.path.join(HERE, "..", "..", "shared", "corpora", "wiki-raw-50m.txt.gz")
OUTPUT = os.path.join(HERE, "wiki.txt.gz")

#: stop once this many tokens are kept (None: read the whole input, as the committed file does)
TARGET_TOKENS = None
MIN_ARTICLE_TOKENS = 100
#: every STRIDE-th article of the input is considered (1: all)
STRIDE = 1

TOKEN_RE = re.compile(r"[^\W_]+")
TITLE_RE = re.compile(r'<doc [^>]*title="([^"]*)"')


def articles(path):
    """Yield (title, lines) for each article of a WikiExtractor file, lines with their newlines."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        title, lines = None, []
        for line in f:
            if line.startswith("<doc "):
                m = TITLE_RE.match(line)
                title, lines = (m.group(1) if m else ""), [line]
            elif line.startswith("</doc>"):
                if title is not None:
                    lines.append(line)
                    yield title, lines
                title, lines = None, []
            elif title is not None:
                lines.append(line)


def wanted(title: str, n_tokens: int) -> bool:
    return not title.endswith("(disambiguation)") and not title.startswith("List of") and n_tokens >= MIN_ARTICLE_TOKENS


def build(src, dst, target=TARGET_TOKENS, stride=STRIDE):
    kept = skipped = tokens = lines = 0
    text = io.StringIO()
    for i, (title, body) in enumerate(articles(src)):
        if i % stride:
            continue
        n = sum(len(TOKEN_RE.findall(line)) for line in body[1:-1])
        if not wanted(title, n):
            skipped += 1
            continue
        text.write("".join(body))
        kept += 1
        tokens += n
        lines += len(body)
        if target is not None and tokens >= target:
            break
    data = text.getvalue().encode("utf-8")
    with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    digest = hashlib.sha256(open(dst, "rb").read()).hexdigest()
    print(f"articles kept: {kept:,} (skipped {skipped:,}); lines: {lines:,}; tokens: {tokens:,}")
    print(f"uncompressed: {len(data):,} bytes; {dst}: {os.path.getsize(dst):,} bytes; sha256 {digest}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=DEFAULT_INPUT, help="wiki-raw-50m.txt.gz (default: ../shared/corpora/)")
    ap.add_argument("--output", default=OUTPUT, help="output .txt.gz (default: sample_corpora/wiki.txt.gz)")
    ap.add_argument("--tokens", type=int, default=TARGET_TOKENS, help="stop at this many tokens (default: no limit)")
    ap.add_argument("--stride", type=int, default=STRIDE, help=f"consider every N-th article (default {STRIDE})")
    args = ap.parse_args(argv)
    if not os.path.exists(args.input):
        sys.exit(f"{args.input}: no such file; give the path of wiki-raw-50m.txt.gz with --input")
    build(args.input, args.output, args.tokens, args.stride)


if __name__ == "__main__":
    main()
