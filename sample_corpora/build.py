#!/usr/bin/env python3
"""Rebuild ``sample_corpora/books.txt.gz``, the demo corpus of wvtool.

The corpus is made only of public-domain English texts that Debian ships in
ordinary packages (see ``README.md`` beside this file for the works, the
licences and the counts).  This script

1. downloads the exact Debian package versions listed in ``PACKAGES`` with
   ``apt-get download`` (or uses ``.deb`` files already in ``--debs DIR``),
2. reads the texts straight out of the ``.deb`` archives in pure Python
   (``ar`` + ``tar``; no ``dpkg``, R or SWORD library needed):

   * R lazy-load data (``Rdata.rdx``/``Rdata.rdb``) of the CRAN packages
     ``janeaustenr`` and ``tokenizers``,
   * SWORD ``zText``/``zCom`` modules (zlib-compressed OSIS XML),
   * a dictd database (``.index`` + dictzip ``.dict.dz``),

3. strips licence boilerplate, markup, footnotes, headings and verse
   references, and writes one paragraph per line (plain UTF-8, mixed case and
   punctuation kept; wvtool's tokenizer lowercases and drops punctuation),
4. writes ``books.txt.gz`` reproducibly (gzip with mtime 0 and no file name,
   so the same input gives a byte-identical file) and prints the counts.

Usage::

    python3 sample_corpora/build.py                 # download + rebuild
    python3 sample_corpora/build.py --debs DIR      # use .deb files in DIR
    python3 sample_corpora/build.py --stats-only    # count the existing .gz

Needs Python 3.10+ and, to download, a Debian/Ubuntu ``apt-get`` whose package
lists are up to date (``apt-get update``).  Other package versions than the
pinned ones are accepted with a warning; the output may then differ slightly.
"""

import argparse
import gzip
import hashlib
import html
import io
import lzma
import os
import re
import struct
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "books.txt.gz")

# Debian package -> pinned version (the versions in Debian 12 "bookworm").
# r-cran-tokenizers is built per architecture; its data file is the same in
# every one, so any architecture's .deb gives the same corpus.
PACKAGES = {
    "r-cran-janeaustenr": "1.0.0-1",
    "r-cran-tokenizers": "0.3.0-1",
    "dict-devil": "1.0-13.1",
    "sword-text-web": "426.0-1",
    "sword-comm-mhcc": "2.0-1",
    "sword-comm-tdavid": "2.1-1",
}

TOKEN_RE = re.compile(r"[^\W_]+")
WORD_RE = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Getting the packages and reading files out of them
# --------------------------------------------------------------------------


def fetch_debs(debdir):
    """Return {package: path of its .deb}, downloading what is missing."""
    paths = {}
    for name, version in PACKAGES.items():
        found = sorted(f for f in os.listdir(debdir) if f.startswith(name + "_") and f.endswith(".deb"))
        if not found:
            log(f"downloading {name}={version}")
            cmd = ["apt-get", "download", f"{name}={version}"]
            if subprocess.call(cmd, cwd=debdir) != 0:
                log("  pinned version not available, trying the current one")
                subprocess.check_call(["apt-get", "download", name], cwd=debdir)
            found = sorted(f for f in os.listdir(debdir) if f.startswith(name + "_") and f.endswith(".deb"))
        path = os.path.join(debdir, found[-1])
        got = found[-1].split("_")[1].replace("%3a", ":")
        if got.split(":")[-1] != version.split(":")[-1]:
            log(f"WARNING: {name} is version {got}, not the pinned {version}")
        paths[name] = path
    return paths


def deb_files(path):
    """Return {path inside the package: bytes} for the regular files of a .deb.

    A .deb is an ``ar`` archive holding ``data.tar.{xz,gz,zst,...}``.
    """
    with open(path, "rb") as f:
        blob = f.read()
    if blob[:8] != b"!<arch>\n":
        raise ValueError(f"{path} is not a .deb (ar) archive")
    pos = 8
    data = None
    while pos + 60 <= len(blob):
        header = blob[pos : pos + 60]
        name = header[:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        body = blob[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            data = (name, body)
    if data is None:
        raise ValueError(f"no data.tar member in {path}")
    name, body = data
    if name.endswith(".xz"):
        body = lzma.decompress(body)
    elif name.endswith(".gz"):
        body = gzip.decompress(body)
    elif not name.endswith(".tar"):
        raise ValueError(f"unsupported compression {name} in {path} (try dpkg-deb)")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        for member in tar:
            if member.isfile():
                key = member.name[2:] if member.name.startswith("./") else member.name
                files["/" + key.lstrip("/")] = tar.extractfile(member).read()
    return files


# --------------------------------------------------------------------------
# Text clean-up shared by all sources
# --------------------------------------------------------------------------

CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


# Typographic quotes/dashes of the newer e-texts -> the ASCII conventions of
# the older ones, so a word is spelt the same way in every source.
ASCII_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2014": "--",
        "\u2013": "-",
        "\u00a0": " ",
    }
)


def clean(text):
    """Normalise one paragraph to a single line of plain text."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(ASCII_PUNCT)
    text = CONTROL_RE.sub(" ", text)
    return " ".join(text.split())


def plain_paragraphs(text):
    """Split plain text on blank lines; join each paragraph's lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n\s*\n", text):
        para = clean(block)
        if para:
            yield para


HEADING_RE = re.compile(r"^(chapter|volume|book|part)\s+([0-9]+|[ivxlc]+|the\s+\w+)\b[.:]?$", re.IGNORECASE)


def is_heading(para):
    """Chapter/volume headings and short all-capitals title lines."""
    if HEADING_RE.match(para):
        return True
    words = para.split()
    return len(words) <= 8 and not re.search(r"[a-z]", para)


# --------------------------------------------------------------------------
# R lazy-load data (janeaustenr, tokenizers)
# --------------------------------------------------------------------------


class RUnserializer:
    """Minimal reader of R's XDR serialization format (version 2 and 3).

    Supports what data packages of character vectors need: vectors, pairlists
    (attributes), symbols, references and environments.
    """

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.refs = []

    def _int(self):
        (value,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return value

    def _length(self):
        n = self._int()
        if n == -1:
            n = (self._int() << 32) + self._int()
        return n

    def read(self):
        if self.data[:2] != b"X\n":
            raise ValueError("not an XDR-serialized R object")
        self.pos = 2
        version = self._int()
        self._int()  # R version that wrote it
        self._int()  # minimal R version to read it
        if version == 3:
            n = self._int()  # length of the native encoding name
            self.pos += n
        return self._item()

    def _item(self):
        flags = self._int()
        kind = flags & 0xFF
        has_attr = flags & (1 << 9)
        has_tag = flags & (1 << 10)
        if kind in (241, 242, 247, 251, 252, 253, 254):  # special singletons
            return None
        if kind == 255:  # REFSXP
            index = flags >> 8 or self._int()
            return self.refs[index - 1]
        if kind == 1:  # SYMSXP
            sym = ("symbol", self._item())
            self.refs.append(sym)
            return sym
        if kind in (2, 3, 5, 6, 17):  # pairlist-like: attr, tag, car, cdr
            items = []
            while True:
                if has_attr:
                    self._item()
                tag = self._item() if has_tag else None
                items.append((tag, self._item()))
                flags = self._int()
                kind = flags & 0xFF
                has_attr = flags & (1 << 9)
                has_tag = flags & (1 << 10)
                if kind == 254:
                    return {"pairlist": items}
                if kind not in (2, 3, 5, 6, 17):
                    self.pos -= 4
                    self._item()
                    return {"pairlist": items}
        if kind == 9:  # CHARSXP
            n = self._int()
            if n == -1:
                return None
            raw = self.data[self.pos : self.pos + n]
            self.pos += n
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("latin-1")
        if kind == 4:  # ENVSXP
            env = {"environment": True}
            self.refs.append(env)
            self._int()  # locked
            for _ in range(4):  # enclosure, frame, hash table, attributes
                self._item()
            return env
        if kind in (10, 13):  # logical, integer
            n = self._length()
            value = list(struct.unpack_from(f">{n}i", self.data, self.pos))
            self.pos += 4 * n
        elif kind == 14:  # double
            n = self._length()
            value = list(struct.unpack_from(f">{n}d", self.data, self.pos))
            self.pos += 8 * n
        elif kind in (16, 19, 20):  # character vector, list, expression
            value = [self._item() for _ in range(self._length())]
        else:
            raise ValueError(f"unsupported R object type {kind}")
        attributes = self._item() if has_attr else None
        names = None
        if attributes:
            for tag, val in attributes["pairlist"]:
                if tag == ("symbol", "names"):
                    names = val["value"]
        return {"value": value, "names": names}


def r_lazyload(files, prefix):
    """Return {object name: value} from an R package's data/Rdata.rd[bx]."""
    index = RUnserializer(gzip.decompress(files[prefix + ".rdx"])).read()
    parts = dict(zip(index["names"], index["value"], strict=True))
    variables = parts["variables"]
    rdb = files[prefix + ".rdb"]
    objects = {}
    for name, where in zip(variables["names"], variables["value"], strict=True):
        offset, size = where["value"]
        chunk = rdb[offset : offset + size]
        # 4-byte big-endian uncompressed length, then the zlib stream
        # (R's default compression for lazy-load data).
        raw = zlib.decompress(chunk[4:])
        objects[name] = RUnserializer(raw).read()["value"]
    return objects


def austen(files):
    prefix = "/usr/lib/R/site-library/janeaustenr/data/Rdata"
    novels = r_lazyload(files, prefix)
    # Publication order.
    order = ["sensesensibility", "prideprejudice", "mansfieldpark", "emma", "northangerabbey", "persuasion"]
    for key in order:
        text = "\n".join(line or "" for line in novels[key])
        text = text.replace("_", "")  # _italics_ markers of the e-texts
        for para in plain_paragraphs(text):
            if not is_heading(para) and not BYLINE_RE.match(para):
                yield para


BYLINE_RE = re.compile(r"^(?:by\s+)?(?:jane austen)?\s*\(?[0-9]{4}\)?$|^by(?:\s+jane austen)?$", re.IGNORECASE)


def moby_dick(files):
    prefix = "/usr/lib/R/site-library/tokenizers/data/Rdata"
    (text,) = r_lazyload(files, prefix)["mobydick"]
    # The package keeps the e-text with its Project Gutenberg header and
    # licence; keep only the book: from "ETYMOLOGY." to the Epilogue's end.
    start = text.index("ETYMOLOGY.")
    end = text.index("End of Project Gutenberg")
    text = text[start:end].replace("_", "")
    for para in plain_paragraphs(text):
        if not is_heading(para):
            yield para


# --------------------------------------------------------------------------
# The Devil's Dictionary (dictd database)
# --------------------------------------------------------------------------

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64number(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def devils_dictionary(files):
    index = files["/usr/share/dictd/devil.index"].decode("utf-8")
    body = gzip.decompress(files["/usr/share/dictd/devil.dict.dz"])
    entries = []
    for line in index.splitlines():
        word, offset, size = line.split("\t")
        if word.startswith("00database"):  # header/licence entries
            continue
        entries.append((b64number(offset), b64number(size)))
    for offset, size in sorted(set(entries)):
        text = body[offset : offset + size].decode("utf-8", "replace")
        # Each entry starts "HEADWORD, n.  Definition..."; quoted verse
        # follows in its own indented paragraphs.
        yield from plain_paragraphs(text.replace("_", ""))


# --------------------------------------------------------------------------
# SWORD modules (World English Bible and two commentaries)
# --------------------------------------------------------------------------


def sword_entries(files, datapath, index_size):
    """Yield the OSIS text of each distinct entry of a zText/zCom module.

    ``<t>.?zs`` lists compressed blocks (offset, size, uncompressed size),
    ``<t>.?zv`` has one record per verse (block, offset, size) and ``<t>.?zz``
    the zlib blocks.  Commentaries link verse ranges to one entry, so
    repeated (block, offset) records are skipped.
    """
    for testament in ("ot", "nt"):
        names = [p for p in files if p.startswith(datapath + testament + ".")]
        if not names:
            continue
        letter = names[0][-3]  # b(ook) or c(hapter) blocks
        stem = datapath + testament + "." + letter
        blocks_idx, verse_idx, data = (files[stem + "zs"], files[stem + "zv"], files[stem + "zz"])
        if not data:
            continue
        if len(verse_idx) % index_size:
            raise ValueError(f"{stem}: index size {index_size} does not divide {len(verse_idx)}")
        cache = {}
        seen = set()
        for k in range(len(verse_idx) // index_size):
            if index_size == 10:
                block, offset, size = struct.unpack_from("<IIH", verse_idx, k * 10)
            else:
                block, offset, size = struct.unpack_from("<III", verse_idx, k * 12)
            if size == 0 or (block, offset) in seen:
                continue
            seen.add((block, offset))
            if block not in cache:
                start, csize, _ = struct.unpack_from("<III", blocks_idx, block * 12)
                cache = {block: zlib.decompress(data[start : start + csize])}
            yield cache[block][offset : offset + size].decode("utf-8")


# Elements dropped with their content: footnotes, cross references, section
# headings, chapter outlines (tables), verse references, "Verses 3-5" labels.
OSIS_DROP_RE = re.compile(
    r"<note\b[^>]*>.*?</note>"
    r"|<title\b(?![^>]*type=\"psalm\")[^>]*>.*?</title>"
    r"|<table\b[^>]*>.*?</table>"
    r"|<reference\b[^>]*>.*?</reference>"
    r"|<hi type=\"bold\">\s*(?:Verses?|Ver\.|V\.)\s*[0-9][^<]*</hi>"
    r"|<catchWord>.*?</catchWord>",
    re.DOTALL,
)
# Elements that end a paragraph.
OSIS_BREAK_RE = re.compile(
    r"<(?:div|chapter|lg|lb|p|/p|item|/item|list|/list|speaker|/speaker"
    r"|title|/title)\b[^>]*>"
)
TAG_RE = re.compile(r"<[^>]*>")
VERSE_REF_RE = re.compile(r"\b(?:ver|vers|verses?|ch|chap)\.?\s*#\s*(?:\(\s*[0-9][0-9:,;\s-]*\))?", re.IGNORECASE)
REFERENCE_LINE_RE = re.compile(r"^[1-3]?\s?[A-Z][a-z]+\.?\s+[0-9]+[0-9:,;*\s-]*$")


def osis_paragraphs(entries):
    text = " ".join(entries)
    text = OSIS_DROP_RE.sub(" ", text)
    text = OSIS_BREAK_RE.sub("\n\n", text)
    text = TAG_RE.sub("", text)
    text = html.unescape(text)
    for para in plain_paragraphs(text):
        # Leftover verse-reference debris such as "ver. #(18)" or "(1-2)".
        para = VERSE_REF_RE.sub(" ", para)
        para = clean(re.sub(r"\(\s*[0-9][0-9:,;\s-]*\)", " ", para))
        para = re.sub(r"\s+([,.;:])", r"\1", para)
        if REFERENCE_LINE_RE.match(para) or is_heading(para):
            continue
        yield para


FRONT_MATTER_RE = re.compile(r"<div sID=\"(\w+)\" type=\"front\"/>.*?<div eID=\"\1\" type=\"front\"/>", re.DOTALL)


def world_english_bible(files):
    path = "/usr/share/sword/modules/texts/ztext/engWEB2015eb/"
    text = " ".join(sword_entries(files, path, 10))
    # The translators' preface (about copyright and translation choices).
    text = FRONT_MATTER_RE.sub(" ", text)
    for para in osis_paragraphs([text]):
        # The glossary's closing licence note.
        if "Public Domain" not in para:
            yield para


def matthew_henry(files):
    path = "/usr/share/sword/modules/comments/zcom/mhcc/"
    return osis_paragraphs(sword_entries(files, path, 10))


# Sections of The Treasury of David written by Spurgeon himself; the
# "Explanatory Notes and Quaint Sayings" (quotations from many older authors),
# "Hints to the Village Preacher" (sermon outlines) and book lists are left
# out to keep the corpus near 3 million tokens.
TDAVID_SECTIONS = ("PSALM", "TITLE", "DIVISION", "EXPOSITION")
TITLE_RE = re.compile(r"(<title\b[^>]*>.*?</title>)", re.DOTALL)


def treasury_of_david(files):
    path = "/usr/share/sword/modules/comments/zcom/tdavid/"
    text = " ".join(sword_entries(files, path, 12))
    kept = []
    wanted = True  # Spurgeon's preface, before the first heading
    for piece in TITLE_RE.split(text):
        if TITLE_RE.fullmatch(piece):
            heading = TAG_RE.sub("", piece).strip().upper()
            if heading:
                wanted = heading.startswith(TDAVID_SECTIONS)
        elif wanted:
            kept.append(piece)
    return osis_paragraphs(kept)


# (package, title shown in the log, extractor) in the corpus's order.
SOURCES = [
    ("r-cran-janeaustenr", "Jane Austen, six novels", austen),
    ("r-cran-tokenizers", "Herman Melville, Moby-Dick", moby_dick),
    ("dict-devil", "Ambrose Bierce, The Devil's Dictionary", devils_dictionary),
    ("sword-text-web", "World English Bible", world_english_bible),
    ("sword-comm-mhcc", "Matthew Henry, Concise Commentary", matthew_henry),
    ("sword-comm-tdavid", "C. H. Spurgeon, The Treasury of David (exposition)", treasury_of_david),
]


# --------------------------------------------------------------------------
# Checks, output and counts
# --------------------------------------------------------------------------

MAX_WORDS = 1000  # longer paragraphs are split at sentence ends


def split_long(para):
    words = para.split()
    if len(words) <= MAX_WORDS:
        yield para
        return
    sentences = re.split(r"(?<=[.!?;:])\s+", para)
    chunk = []
    for sentence in sentences:
        n = len(sentence.split())
        if chunk and sum(len(s.split()) for s in chunk) + n > MAX_WORDS // 2:
            yield " ".join(chunk)
            chunk = []
        chunk.append(sentence)
    if chunk:
        yield " ".join(chunk)


FORBIDDEN = [
    (re.compile(r"\b(?:gutenberg|e-?books?|e-?texts?)\b", re.I), "e-text licence/boilerplate"),
    (
        re.compile(
            r"</?(?:w|note|div|p|title|hi|reference|chapter|milestone|lg|l|lb"
            r"|q|table|row|cell|item|list|font|a|b|i|br|img|span)\b[^>]*>",
            re.I,
        ),
        "markup tag",
    ),
    (re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]+|#x[0-9a-f]+);", re.I), "HTML entity"),
    (CONTROL_RE, "control character"),
    (re.compile("\ufffd"), "undecodable byte"),
]


def check(lines):
    problems = 0
    for number, line in enumerate(lines, 1):
        for pattern, what in FORBIDDEN:
            m = pattern.search(line)
            if m:
                problems += 1
                if problems <= 20:
                    log(f"  line {number}: {what} {m.group(0)!r} in {line[:120]!r}")
    if problems:
        raise SystemExit(f"{problems} problem(s) found; corpus not written")


def count(lines):
    tokens = sum(len(TOKEN_RE.findall(line.lower())) for line in lines)
    return tokens


def stats(lines):
    data = ("\n".join(lines) + "\n").encode("utf-8")
    vocab = {}
    for line in lines:
        for tok in TOKEN_RE.findall(line.lower()):
            vocab[tok] = vocab.get(tok, 0) + 1
    return {
        "lines": len(lines),
        "bytes": len(data),
        "tokens": sum(vocab.values()),
        "types": len(vocab),
        "types_min5": sum(1 for c in vocab.values() if c >= 5),
        "max_line_words": max(len(line.split()) for line in lines),
    }


def write_gzip(path, lines):
    data = ("\n".join(lines) + "\n").encode("utf-8")
    buf = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of names and dates.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    return hashlib.sha256(buf.getvalue()).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--debs", help="directory for the .deb files (default: a temporary one)")
    ap.add_argument("--output", default=OUTPUT, help="output file (default: %(default)s)")
    ap.add_argument("--stats-only", action="store_true", help="only print the counts of the existing output file")
    args = ap.parse_args(argv)

    if args.stats_only:
        with gzip.open(args.output, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
        for key, value in stats(lines).items():
            print(f"{key:<15} {value}")
        return

    tmp = None
    debdir = args.debs
    if debdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="wvtool-corpus-")
        debdir = tmp.name
    os.makedirs(debdir, exist_ok=True)
    debs = fetch_debs(debdir)

    lines = []
    for package, title, extract in SOURCES:
        files = deb_files(debs[package])
        part = [p for para in extract(files) for p in split_long(para) if len(WORD_RE.findall(p)) >= 2]
        log(f"{title:<50} {len(part):6d} paragraphs {count(part):8d} tokens  ({os.path.basename(debs[package])})")
        lines.extend(part)

    check(lines)
    digest = write_gzip(args.output, lines)
    for key, value in stats(lines).items():
        print(f"{key:<15} {value}")
    print(f"{'gzip_bytes':<15} {os.path.getsize(args.output)}")
    print(f"{'gzip_sha256':<15} {digest}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
