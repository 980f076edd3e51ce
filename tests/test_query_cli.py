"""The neighbors, analogy, similarity and eval commands: output shapes, unknown words, empty input, interactive mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from gensim_tables import gensim_table

from wvtool.evaluation import evaluate, shipped, spearman
from wvtool.query import analogy, neighbors


@pytest.fixture(scope="module")
def table_file(tmp_path_factory):
    """The gensim-trained table written by gensim as word2vec text; returns (path, wvtool Vectors)."""
    kv, vec = gensim_table()
    path = tmp_path_factory.mktemp("vectors") / "g.txt"
    kv.save_word2vec_format(str(path))
    return path, vec


def _words(vec, n=3, start=40):
    return [w for w in vec.words[start : start + 100] if len(w) > 3][:n]


def _json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_neighbors_json_matches_library(run_cli, table_file):
    path, vec = table_file
    words = _words(vec, 2)
    code, out, err = run_cli("neighbors", path, *words, "-k", "4", "--json", "-q")
    assert code == 0, err
    r = json.loads(out)
    assert (r["command"], r["vectors"], r["settings"]["k"], r["measure"]) == ("neighbors", str(path), 4, "cosine")
    assert [x["word"] for x in r["results"]] == words
    for block, w in zip(r["results"], words, strict=True):
        lib = neighbors(vec, w, 4)
        assert [n["word"] for n in block["answers"]] == [x for x, _ in lib]
        # text written with 6 decimals, so scores agree to that precision
        np.testing.assert_allclose([n["score"] for n in block["answers"]], [s for _, s in lib], atol=1e-4)


def test_neighbors_json_entries_have_the_same_keys_for_words_and_expressions(run_cli, table_file):
    path, vec = table_file
    a, b = _words(vec, 2)
    code, out, err = run_cli("neighbors", path, a, a.upper(), "-k", "2", "--json", "-q")
    assert code == 0, err
    plain, upper = json.loads(out)["results"]
    assert list(plain) == list(upper) == ["word", "used", "positive", "negative", "answers"]
    assert (plain["used"], plain["positive"], plain["negative"]) == (None, None, None)
    assert (upper["word"], upper["used"], upper["answers"]) == (a.upper(), a, plain["answers"])
    code, out, err = run_cli("neighbors", path, a, "-", b, "-k", "2", "--json", "-q")
    (expr,) = json.loads(out)["results"]
    assert list(expr) == list(plain) and (expr["used"], expr["positive"], expr["negative"]) == (None, [a], [b])


def test_neighbors_table_has_one_block_per_word(run_cli, table_file):
    path, vec = table_file
    words = _words(vec, 2)
    code, out, _ = run_cli("neighbors", path, *words, "-k", "3", "-q")
    assert code == 0
    for w in words:
        assert f"neighbours of '{w}'" in out
        for x, _ in neighbors(vec, w, 3):
            assert x in out


def test_neighbors_unknown_word_one_line_with_suggestions_and_the_others_answered(run_cli, table_file):
    path, vec = table_file
    good = _words(vec, 1)[0]
    typo = good[:-1] + ("x" if good[-1] != "x" else "y")
    code, out, err = run_cli("neighbors", path, typo, good, "-q")
    assert code == 1 and f"neighbours of '{good}'" in out  # answered, and the status says something was unknown
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wvtool: error:") and repr(typo) in lines[0] and "did you mean" in lines[0]
    code, out, err = run_cli("neighbors", path, typo, good, "-q", "--json")
    r = json.loads(out)
    assert code == 1 and "error" in r["results"][0] and len(r["results"][1]["answers"]) == 10


def test_neighbors_finds_a_word_in_another_case_and_says_so(run_cli, table_file):
    path, vec = table_file
    word = _words(vec, 1)[0]
    code, out, err = run_cli("neighbors", path, word.upper(), "-k", "2")
    assert code == 0 and f"neighbours of '{word}'" in out
    assert f"{word.upper()!r} is not in the vocabulary; showing {word!r}" in err


def test_every_query_command_finds_a_word_in_another_case_and_says_so(run_cli, table_file, tmp_path):
    path, vec = table_file
    a, b, c = _words(vec, 3, start=60)
    A, B, C = a.upper(), b.capitalize(), c.upper()
    notes = [f"wvtool: note: {x!r} is not in the vocabulary; showing {x.lower()!r}" for x in (A, B, C)]
    code, out, err = run_cli("similarity", path, A, b, "--json")
    r = json.loads(out)
    assert code == 0 and notes[0] in err and r["used"] == {A: a} and r["errors"] == []
    assert (r["pairs"][0]["word1"], r["pairs"][0]["word2"]) == (A, b)
    code, out2, _ = run_cli("similarity", path, a, b, "--json", "-q")
    assert r["pairs"][0]["score"] == json.loads(out2)["pairs"][0]["score"]
    code, out, err = run_cli("analogy", path, A, B, C, "-k", "3", "--json")
    r = json.loads(out)
    assert code == 0 and all(n in err for n in notes) and r["used"] == {A: a, B: b, C: c}
    assert r["query"] == {"a": A, "b": B, "c": C}
    assert [x["word"] for x in r["answers"]] == [w for w, _ in analogy(vec, a, b, c, 3)]
    code, out, err = run_cli("neighbors", path, A, "-", B, "-k", "2", "--json")
    r = json.loads(out)["results"][0]
    assert code == 0 and notes[0] in err and notes[1] in err
    assert (r["positive"], r["negative"], r["used"]) == ([a], [b], f"{a} - {b}")
    code, out, err = run_cli("plot", path, "--around", A, "-k", "3", "-o", tmp_path / "p.svg", "--json")
    r = json.loads(out)
    assert code == 0 and notes[0] in err and r["around"] == a and r["used"] == {A: a} and r["n_words"] == 4
    code, out, err = run_cli("plot", path, "--around", A, "-k", "3", "-o", tmp_path / "p.svg", "-q")
    assert code == 0 and err == ""  # --quiet silences the note


def test_similarity_and_analogy_print_one_json_document_for_unknown_words(run_cli, table_file, tmp_path):
    path, vec = table_file
    a, b = _words(vec, 2)
    typo = a + "qz"
    code, out, err = run_cli("similarity", path, typo, b, "--json", "-q")
    r = json.loads(out)
    assert code == 1 and err.count("wvtool: error:") == 1 and f"{typo!r} is not in the vocabulary" in err
    assert [e["word"] for e in r["errors"]] == [typo] and r["errors"][0]["error"] in err
    assert isinstance(r["errors"][0]["suggestions"], list)
    pair = r["pairs"][0]
    assert (pair["word1"], pair["word2"], pair["score"], pair["unknown"]) == (typo, b, None, [typo])
    pairs = tmp_path / "p.tsv"
    pairs.write_text(f"{a}\t{b}\t2\n{typo}\t{b}\t1\n")
    code, out, _ = run_cli("similarity", path, "--pairs", pairs, "--json", "-q")
    from_file = json.loads(out)
    assert code == 0 and from_file["errors"] == [] and from_file["used"] == {}
    assert all(p.keys() == pair.keys() for p in from_file["pairs"])  # one entry shape, two words or a file
    assert r.keys() == from_file.keys()  # and one document: two words are a file of one pair with no score
    assert (r["pairs_file"], r["total"], r["pairs_unknown"], r["pairs_used"], r["spearman"]) == (None, 1, 1, 0, None)
    code, out, _ = run_cli("similarity", path, a, b, "--json", "-q")
    known = json.loads(out)
    assert code == 0 and known.keys() == from_file.keys() and (known["total"], known["pairs_unknown"]) == (1, 0)
    code, out, err = run_cli("similarity", path, typo, typo + "x", "-q")
    assert (code, out) == (1, "") and err.count("wvtool: error:") == 2  # one line per unknown word
    code, out, err = run_cli("analogy", path, a, typo, b, "--json", "-q")
    r = json.loads(out)
    assert code == 1 and r["answers"] == [] and [e["word"] for e in r["errors"]] == [typo]
    assert r["query"] == {"a": a, "b": typo, "c": b} and err.count("wvtool: error:") == 1
    code, out, _ = run_cli("analogy", path, a, typo, b, "--tsv", "-q")
    assert (code, out) == (1, "rank\tword\tscore\n")
    code, out, _ = run_cli("analogy", path, a, b, _words(vec, 3)[2], "--json", "-q")
    ok = json.loads(out)
    assert ok.keys() == r.keys() and ok["errors"] == []


@pytest.mark.parametrize(("query", "message"), [
    ("{a} +", "'{a} +': '+' has no word after it"),
    ("{a} -", "'{a} -': '-' has no word after it"),
    ("+ {a}", "'+ {a}': '+' has no word before it"),
    ("{a} + - {b}", "'{a} + - {b}': '+' has no word after it"),
    ("{a} - {a}", "the query's vector is zero: {a} - {a} cancels out"),
])
def test_neighbors_refuses_a_dangling_operator_and_a_zero_query(run_cli, table_file, query, message):
    path, vec = table_file
    a, b = _words(vec, 2)
    words = query.format(a=a, b=b).split()
    message = message.format(a=a, b=b)
    code, out, err = run_cli("neighbors", path, "-k", "2", "--json", "-q", "--", *words)
    r = json.loads(out)["results"]
    assert code == 1 and r == [{"word": " ".join(words), "error": r[0]["error"], "suggestions": []}]
    assert message in r[0]["error"] and err == f"wvtool: error: {r[0]['error']}\n"
    code, out, err = run_cli("neighbors", path, "-k", "2", "--tsv", "-q", input=f"{' '.join(words)}\n{b}\n")
    assert code == 1 and message in err and len(out.splitlines()) == 3  # the next query is answered


def test_an_empty_word_is_an_unknown_word_alone_and_in_an_expression(run_cli, table_file):
    path, vec = table_file
    a, b = _words(vec, 2)
    for words, label in (([""], ""), ([a, "+", ""], f"{a} + "), (["", b], "")):
        code, out, err = run_cli("neighbors", path, "-k", "2", "--json", "-q", *words)
        assert code == 1 and "Traceback" not in err and err.count("\n") == 1, words
        assert err == f"wvtool: error: '' is not in the vocabulary ({len(vec):,} words); check the spelling and case\n"
        results = json.loads(out)["results"]
        assert results[0]["word"] == label and "answers" not in results[0]
    assert [x["word"] for x in results] == ["", b] and len(results[1]["answers"]) == 2  # the other word is answered


def test_neighbors_still_takes_a_leading_minus(run_cli, table_file):
    path, vec = table_file
    a, b = _words(vec, 2)
    code, out, err = run_cli("neighbors", path, "-k", "3", "--json", "-q", "--", "-", a, "+", b)
    r = json.loads(out)["results"][0]
    assert code == 0, err
    assert (r["positive"], r["negative"]) == ([b], [a])


def test_analogy_repeating_a_word_is_answered_with_a_note(run_cli, table_file):
    path, vec = table_file
    a, b, c = _words(vec, 3, start=60)
    for args, note in (((a, b, a), f"repeats {a!r} (as A and C), so the answers are (close to) the nearest "
                                    f"neighbours of {b!r}"),
                       ((a, a, c), f"repeats {a!r} (as A and B)"),
                       ((a, b, b), f"repeats {b!r} (as B and C)"),
                       ((a, a, a), f"repeats {a!r} (as A, B and C)")):
        code, out, err = run_cli("analogy", path, *args, "-k", "3", "--json")
        assert code == 0 and f"wvtool: note: the analogy {note}" in err
        assert [x["word"] for x in json.loads(out)["answers"]] == [w for w, _ in analogy(vec, *args, 3)]
        assert run_cli("analogy", path, *args, "-k", "3", "-q")[2] == ""  # a note: --quiet silences it
    code, _, err = run_cli("analogy", path, a, b, c, "-k", "3")
    assert code == 0 and "repeats" not in err


def test_interactive_from_pipe_json_lines(run_cli, table_file):
    path, vec = table_file
    w1, w2, w3 = _words(vec, 3)
    code, out, err = run_cli("neighbors", path, "-k", "2", "--json", "-q", input=f"{w1} {w2}\n\n   \nzzqqxx\n{w3}\n")
    assert code == 1 and err.count("wvtool: error:") == 1 and "'zzqqxx'" in err  # as with words given
    docs = _json_lines(out)  # one document per line of input, of the same shape as with words given
    assert all(d["command"] == "neighbors" and d["settings"]["k"] == 2 for d in docs)
    rows = [x for d in docs for x in d["results"]]
    assert [len(d["results"]) for d in docs] == [2, 1, 1]
    assert [r["word"] for r in rows] == [w1, w2, "zzqqxx", w3]
    assert [n["word"] for n in rows[0]["answers"]] == [x for x, _ in neighbors(vec, w1, 2)]
    assert "error" in rows[2] and "answers" not in rows[2] and isinstance(rows[2]["suggestions"], list)
    assert "query>" not in err and "query>" not in out


def test_interactive_from_pipe_tables_keep_going_after_unknown(run_cli, table_file):
    path, vec = table_file
    w1, w2 = _words(vec, 2)
    code, out, err = run_cli("neighbors", path, "-k", "2", "-q", input=f"nosuchwordzz\n{w1}\n{w2}")  # no final newline
    assert code == 1  # every query answered, and the status says one had an unknown word
    assert "'nosuchwordzz' is not in the vocabulary" in err and len(err.strip().splitlines()) == 1
    assert f"neighbours of '{w1}'" in out and f"neighbours of '{w2}'" in out


def test_interactive_tsv_has_one_header_and_the_status_of_words_given(run_cli, table_file):
    path, vec = table_file
    w1, w2 = _words(vec, 2)
    given = run_cli("neighbors", path, w1, "fathrzz", w2, "-k", "2", "--tsv", "-q")
    piped = run_cli("neighbors", path, "-k", "2", "--tsv", "-q", input=f"{w1}\nfathrzz\n{w2}\n")
    assert piped == given and given[0] == 1  # same lines, same stderr line, same exit status
    lines = piped[1].splitlines()
    assert lines[0] == "query\trank\tword\tscore" and len(lines) == 5 and lines.count(lines[0]) == 1
    code, out, _ = run_cli("neighbors", path, "-k", "2", "--tsv", "-q", input=f"{w1}\n{w2}\n")
    assert code == 0 and out.splitlines()[0] == "query\trank\tword\tscore" and len(out.splitlines()) == 5
    assert run_cli("neighbors", path, "--tsv", "-q", input="") == (0, "query\trank\tword\tscore\n", "")


def test_interactive_empty_input(run_cli, table_file):
    path, _ = table_file
    code, out, err = run_cli("neighbors", path, "-q", input="")
    assert (code, out) == (0, "")


def test_vectors_from_standard_input_need_the_words_as_arguments(run_cli, table_file):
    path, vec = table_file
    text = open(path, encoding="utf-8").read()
    assert run_cli("neighbors", "-", input=text) == (
        1, "", "wvtool: error: the vectors come from standard input, which cannot hold the queries too; give the "
               "query words as arguments, or the vectors as a file\n")
    code, out, _ = run_cli("neighbors", "-", "--json", "-q", vec.words[0], input=text)
    assert code == 0 and json.loads(out)["results"][0]["word"] == vec.words[0]


def test_interactive_prompt_on_terminal(table_file, monkeypatch, capfd):
    path, vec = table_file
    import io

    class FakeTTY(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", FakeTTY(_words(vec, 1)[0] + "\n"))
    from wvtool.cli import main

    with pytest.raises(SystemExit) as e:
        main(["neighbors", str(path), "-k", "2", "-q"])
    assert e.value.code in (0, None)
    captured = capfd.readouterr()
    # one prompt per question, one before end of input (the prompt goes where readline writes it)
    assert (captured.err + captured.out).count("query> ") == 2
    assert "neighbours of" in captured.out


@pytest.mark.slow
def test_interactive_through_a_real_pipe(table_file):
    path, vec = table_file
    w1 = _words(vec, 1)[0]
    r = subprocess.run(
        [sys.executable, "-m", "wvtool", "neighbors", str(path), "-k", "3", "--json"],
        input=f"{w1}\nqqqzzz\n", capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 1 and "'qqqzzz' is not in the vocabulary" in r.stderr
    rows = [x for d in _json_lines(r.stdout) for x in d["results"]]
    assert rows[0]["word"] == w1 and len(rows[0]["answers"]) == 3 and "error" in rows[1]


def test_analogy_json_and_methods(run_cli, table_file):
    path, vec = table_file
    a, b, c = _words(vec, 3, start=60)
    for method in ("add", "mul"):
        code, out, err = run_cli("analogy", path, a, b, c, "-k", "4", "--method", method, "--json", "-q")
        assert code == 0, err
        r = json.loads(out)
        assert (r["command"], r["vectors"], r["settings"]["method"]) == ("analogy", str(path), method)
        assert r["query"] == {"a": a, "b": b, "c": c} and r["measure"] == f"3cos{method}"
        assert [x["word"] for x in r["answers"]] == [w for w, _ in analogy(vec, a, b, c, 4, method=method)]
    code, out, _ = run_cli("analogy", path, a, b, c, "-q")
    assert code == 0 and f"{a} : {b} :: {c} : ?" in out
    code, _, err = run_cli("analogy", path, a, b, c, "--method", "avg", "-q")
    assert code == 2 and "--method" in err and "'avg' is not one of add, mul" in err
    code, out, err = run_cli("analogy", path, a, b + "qz", c, "-q")
    assert code == 1 and out == "" and f"'{b}qz' is not in the vocabulary" in err and len(err.strip().splitlines()) == 1


def test_similarity_two_words_and_errors(run_cli, table_file):
    path, vec = table_file
    w1, w2 = _words(vec, 2)
    code, out, _ = run_cli("similarity", path, w1, w2, "--json", "-q")
    assert code == 0
    r = json.loads(out)
    u = vec.unit
    assert r["command"] == "similarity" and r["measure"] == "cosine" and len(r["pairs"]) == 1
    pair = r["pairs"][0]
    assert (pair["word1"], pair["word2"]) == (w1, w2)
    assert pair["score"] == pytest.approx(float(u[vec.index[w1]] @ u[vec.index[w2]]), abs=1e-4)
    code, _, err = run_cli("similarity", path, w1, "-q")
    assert code == 1 and "two words" in err
    code, _, err = run_cli("similarity", path, w1, "qqzzq", "-q")
    assert code == 1 and "'qqzzq' is not in the vocabulary" in err


def test_similarity_pairs_file(run_cli, table_file, tmp_path):
    path, vec = table_file
    ws = _words(vec, 6)
    lines = ["# a comment", f"{ws[0]}\t{ws[1]}\t3.5", f"{ws[2]} {ws[3]} 1", f"{ws[4]}\tunknownzz\t2", f"{ws[5]}\t{ws[0]}\t7"]
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli("similarity", path, "--pairs", pairs, "--json", "-q")
    assert code == 0, err
    r = json.loads(out)
    assert r["total"] == 4 and r["pairs_unknown"] == 1 and r["pairs_used"] == 3
    assert r["pairs"][2]["score"] is None and r["pairs"][2]["unknown"] == ["unknownzz"]
    assert [p["human"] for p in r["pairs"]] == [3.5, 1, 2, 7]
    sims = [p["score"] for p in r["pairs"] if p["score"] is not None]
    assert r["spearman"] == pytest.approx(spearman([3.5, 1, 7], sims))
    code, out, _ = run_cli("similarity", path, "--pairs", pairs, "-q")
    assert code == 0 and "unknown" in out and "Spearman" in out
    # the same pairs in other columns, given with --columns (the hint of the no-pair error names it)
    shifted = tmp_path / "shifted.tsv"
    shifted.write_text("\n".join(f"id{i}\t" + line.replace(" ", "\t") for i, line in enumerate(lines[1:])) + "\n")
    code, out2, err = run_cli("similarity", path, "--pairs", shifted, "--columns", "2,3,4", "--json", "-q")
    assert code == 0, err
    assert json.loads(out2)["pairs"] == r["pairs"] and json.loads(out2)["spearman"] == r["spearman"]
    code, _, err = run_cli("similarity", path, ws[0], ws[1], "--columns", "1,2")
    assert code == 1 and "--columns says which columns of a --pairs file to read" in err


def test_eval_json_equals_library(run_cli, table_file):
    path, vec = table_file
    code, out, err = run_cli("eval", path, "--restrict", "1500", "--json", "-q")
    assert code == 0, err
    r = json.loads(out)
    lib = evaluate(vec, restrict=1500)
    assert r["analogies"]["total"] == lib["analogies"]["total"]
    assert [s["correct"] for s in r["analogies"]["sections"]] == [s["correct"] for s in lib["analogies"]["sections"]]
    assert [p["name"] for p in r["pairs"]] == ["wordsim353.tsv", "simlex999.txt"]
    for ours, theirs in zip(r["pairs"], lib["pairs"], strict=True):
        assert ours["spearman"] == pytest.approx(theirs["spearman"], abs=1e-3)  # the file keeps 6 decimals
        assert ours["oov_percent"] == theirs["oov_percent"]
    assert r["settings"] == {"restrict": 1500, "case_sensitive": False} and r["words"] == len(vec)


def test_eval_table_states_case_and_restriction(run_cli, table_file):
    path, vec = table_file
    code, out, _ = run_cli("eval", path, "-q")
    assert code == 0
    for s in ("capital-common-countries", "semantic", "syntactic", "total", "wordsim353.tsv", "simlex999.txt", "Spearman"):
        assert s in out
    assert f"all {len(vec):,} words" in out and "case ignored" in out
    assert any(line.startswith("vocabulary:") and line.rstrip().endswith("used)") for line in out.splitlines())
    code, out, _ = run_cli("eval", path, "--case-sensitive", "--restrict", "100", "-q")
    assert "case-sensitive" in out and f"first 100 of {len(vec):,} words" in out


def test_eval_own_files_unknown_counted(run_cli, table_file, tmp_path):
    path, vec = table_file
    a, b, c, d = _words(vec, 4)
    q = tmp_path / "q.txt"
    q.write_text(f": mine\n{a} {b} {c} {d}\n{a} {b} {c} nosuchzz\n")
    p = tmp_path / "p.tsv"
    p.write_text(f"{a}\t{b}\t1\n{c}\t{d}\t2\n{a}\tnosuchzz\t3\n")
    code, out, err = run_cli("eval", path, "--analogies", q, "--pairs", p, "--pairs", shipped("simlex999.txt"), "--json", "-q")
    assert code == 0, err
    r = json.loads(out)
    assert r["analogies"]["total"]["seen"] == 1 and r["analogies"]["skipped"] == 1
    assert [x["name"] for x in r["pairs"]] == ["p.tsv", "simlex999.txt"]
    assert r["pairs"][0]["pairs_used"] == 2 and r["pairs"][0]["skipped"] == 1


def test_eval_refuses_a_second_analogy_file_in_one_line(run_cli, table_file, tmp_path):
    path, vec = table_file
    a, b, c, d = _words(vec, 4)
    q = tmp_path / "q.txt"
    q.write_text(f"{a} {b} {c} {d}\n")
    code, out, err = run_cli("eval", path, "--analogies", q, "--analogies", shipped("questions-words.txt"), "-q")
    assert (code, out) == (1, "")
    assert err.strip() == ("wvtool: error: --analogies was given 2 times; eval scores one analogy file per run "
                           "(run it once for each file; --pairs may be given several times)")
    code, out, err = run_cli("eval", path, "--analogies", q, "--json", "-q")
    assert code == 0 and json.loads(out)["analogies"]["total"]["seen"] == 1


def test_eval_missing_file_and_bad_restrict(run_cli, table_file, tmp_path):
    path, _ = table_file
    code, _, err = run_cli("eval", path, "--pairs", tmp_path / "nope.tsv", "-q")
    assert code == 1 and "no such file" in err
    code, _, err = run_cli("neighbors", path, "x", "--restrict", "0", "-q")
    assert code == 1 and "restrict" in err


@pytest.mark.parametrize(("command", "option", "text", "where"), [
    ("eval", "--analogies", "", "b.txt: no analogy question"),
    ("eval", "--analogies", ": only-a-header\n", "b.txt: no analogy question"),
    ("eval", "--analogies", "a b c\nman king woman queen extra\n", "b.txt, line 1: no analogy question"),
    ("eval", "--pairs", "cat\ndog\n", "b.txt, line 1: no word pair"),
    ("eval", "--pairs", "cat dog\n", "b.txt: no pair has a score"),
    ("similarity", "--pairs", "", "b.txt: no word pair"),
    ("similarity", "--pairs", "cat\n", "b.txt, line 1: no word pair"),
])
def test_a_benchmark_file_with_nothing_to_score_is_a_one_line_error(run_cli, table_file, tmp_path, command, option,
                                                                   text, where):
    path, _ = table_file
    f = tmp_path / "b.txt"
    f.write_text(text)
    for mode in ((), ("--json",), ("--tsv",)):
        code, out, err = run_cli(command, path, option, f, "-q", *mode)
        assert (code, out) == (1, "")
        assert err.startswith(f"wvtool: error: {tmp_path / where}") and len(err.strip().splitlines()) == 1


def test_eval_summary_shows_only_the_summary_rows(run_cli, table_file):
    path, _ = table_file
    code, full, _ = run_cli("eval", path, "-q")
    code2, short, _ = run_cli("eval", path, "--summary", "-q")
    assert code == code2 == 0
    assert "capital-common-countries" in full and "capital-common-countries" not in short

    def total_cells(text):
        line = next(line for line in text.splitlines() if "total" in line and "%" in line)
        return [cell.strip() for cell in line.split("│") if cell.strip()]

    assert total_cells(short) == total_cells(full)
    assert "Spearman" in short
    _, full_tsv, _ = run_cli("eval", path, "--tsv", "-q")
    _, short_tsv, _ = run_cli("eval", path, "--summary", "--tsv", "-q")
    parts = [line.split("\t")[1] for line in short_tsv.splitlines()[1:] if line.startswith("questions-words")]
    assert parts == ["semantic", "syntactic", "total"] and "capital-common-countries" in full_tsv
    assert set(short_tsv.splitlines()) <= set(full_tsv.splitlines())  # the same rows, fewer of them


def test_query_commands_read_only_the_first_limit_vectors(run_cli, table_file):
    path, vec = table_file
    inside, outside = vec.words[5], vec.words[300]
    code, out, err = run_cli("neighbors", path, inside, "--limit", "200", "-k", "50", "--json", "-q")
    assert code == 0, err
    words = [n["word"] for n in json.loads(out)["results"][0]["answers"]]
    assert len(words) == 50 and set(words) <= set(vec.words[:200])
    code, _, err = run_cli("similarity", path, inside, outside, "--limit", "200", "-q")
    assert code == 1 and repr(outside) in err and "not in the vocabulary (200 words)" in err
    # without -q a note says the table was cut short (-n 5 is easily typed for -k 5)
    code, out, err = run_cli("neighbors", path, outside, "-n", "5")
    assert code == 1 and "note: only the first 5 words of" in err and "(-n/--limit 5)" in err
    assert "-k sets the number of answers" in err and "not in the vocabulary (5 words)" in err
    code, _, err = run_cli("similarity", path, inside, outside, "--limit", "200")
    assert "only the first 200 words" in err and "-k sets" not in err
    code, _, err = run_cli("neighbors", path, inside, "-k", "2")
    assert code == 0 and "note" not in err  # nothing cut: nothing said


def test_neighbors_of_a_combination_equal_most_similar(run_cli, table_file):
    from wvtool.query import most_similar

    path, vec = table_file
    a, b, c = _words(vec, 3, start=60)
    expected = [w for w, _ in most_similar(vec, [a, c], [b], 4)]
    for args in ([a, "-", b, "+", c], ["--", a, f"-{b}", f"+{c}"]):
        code, out, err = run_cli("neighbors", path, "-k", "4", "--json", "-q", *args)
        assert code == 0, err
        r = json.loads(out)["results"]
        assert len(r) == 1 and r[0]["positive"] == [a, c] and r[0]["negative"] == [b]
        assert [x["word"] for x in r[0]["answers"]] == expected
    code, out, err = run_cli("neighbors", path, "-k", "4", "--json", "-q", input=f"{a} - {b} + {c}\n")
    assert [x["word"] for x in json.loads(out)["results"][0]["answers"]] == expected


def test_a_fasttext_model_answers_unseen_words_and_says_so(run_cli):
    """neighbors and similarity compose a word outside the vocabulary from its n-grams, as gensim does."""
    from pathlib import Path

    import gensim
    from gensim.models.fasttext import load_facebook_vectors

    path = Path(gensim.__file__).parent / "test" / "test_data" / "lee_fasttext.bin"
    ft = load_facebook_vectors(str(path))
    word = "governmentt"
    assert word not in ft.key_to_index
    code, out, err = run_cli("neighbors", path, word, "-k", "3", "--json", "-q")
    r = json.loads(out)["results"][0]
    assert code == 0 and r["composed"] is True
    assert [a["word"] for a in r["answers"]] == [w for w, _ in ft.most_similar(word, topn=3)]
    code, out, err = run_cli("similarity", path, word, "government", "--json", "-q")
    pair = json.loads(out)["pairs"][0]
    assert pair["composed"] == [word] and pair["score"] == pytest.approx(float(ft.similarity(word, "government")), abs=1e-5)
    code, out, _ = run_cli("info", path)
    assert "n-grams of 3 to 6 characters in 1,000 buckets" in out


def test_analogy_epsilon_flag_reaches_3cosmul_and_is_checked(run_cli, table_file):
    path, vec = table_file
    a, b, c = vec.words[10], vec.words[11], vec.words[12]
    code, out, _ = run_cli("analogy", path, a, b, c, "-k", "5", "--method", "mul", "--epsilon", "0.5", "--json", "-q")
    assert code == 0
    answers = json.loads(out)["answers"]
    expected = analogy(vec, a, b, c, 5, method="mul", epsilon=0.5)
    assert [x["word"] for x in answers] == [w for w, _ in expected]
    assert [x["score"] for x in answers] == pytest.approx([s for _, s in expected], rel=1e-6)
    default = analogy(vec, a, b, c, 5, method="mul")  # epsilon 1e-3: other scores
    assert [x["score"] for x in answers] != pytest.approx([s for _, s in default], rel=1e-3)
    code, _, err = run_cli("analogy", path, a, b, c, "--method", "mul", "--epsilon", "-1")
    assert code != 0 and err.strip() == "wvtool: error: --epsilon -1.0 is out of range; use a number greater than 0, at most 1"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_benchmark_files_may_be_pipes(run_cli, table_file, tmp_path):
    """A pair or analogy file given as a pipe (the shell's <(...)) is read once though it is used twice (checked
    before the vectors are loaded, then scored): the same figures as from a regular file."""
    import threading

    path, vec = table_file
    a, b, c, d = _words(vec, 4)
    texts = {"pairs": f"{a}\t{b}\t3\n{b}\t{c}\t1\n{a}\t{d}\t2\n", "analogies": f": s\n{a} {b} {c} {d}\n{b} {a} {d} {c}\n"}

    made = []

    def pipe(name):
        made.append(name)
        fifo = tmp_path / f"{name}{len(made)}.fifo"
        os.mkfifo(fifo)

        def feed():
            with open(fifo, "w") as fh:
                fh.write(texts[name])

        threading.Thread(target=feed, daemon=True).start()
        return fifo

    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text)
    runs = [("eval", path, "--pairs", pipe("pairs"), "--analogies", pipe("analogies")),
            ("eval", path, "--pairs", tmp_path / "pairs.txt", "--analogies", tmp_path / "analogies.txt")]
    docs = []
    for args in runs:
        code, out, err = run_cli(*args, "--json", "-q")
        assert code == 0, err
        docs.append(json.loads(out))
    piped, plain = docs
    assert piped["pairs"][0]["pairs_used"] == 3 and piped["analogies"]["total"]["seen"] == 2
    assert piped["pairs"][0]["spearman"] == plain["pairs"][0]["spearman"]
    assert piped["analogies"]["total"] == plain["analogies"]["total"]
    code, out, err = run_cli("similarity", path, "--pairs", pipe("pairs"), "--json", "-q")
    assert code == 0 and json.loads(out)["pairs_used"] == 3 and json.loads(out)["spearman"] == plain["pairs"][0]["spearman"]


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="no /dev/fd here")
def test_a_benchmark_given_as_a_file_descriptor_is_shown_by_its_whole_path(run_cli, table_file):
    """The shell's <(...) passes /dev/fd/63: the tables and the pair entries' name show that path, not '63'."""
    from wvtool.files import shown_name

    assert shown_name("/dev/fd/63") == "/dev/fd/63" and shown_name("/proc/self/fd/7") == "/proc/self/fd/7"
    assert shown_name("data/wordsim353.tsv") == "wordsim353.tsv" and shown_name("runs/fd/pairs") == "pairs"
    assert shown_name("scores/63") == "63"
    path, vec = table_file
    a, b, c, d = _words(vec, 4)

    def fd_path(text):
        r, w = os.pipe()
        os.write(w, text.encode())
        os.close(w)
        return r, f"/dev/fd/{r}"

    pr, pairs = fd_path(f"{a}\t{b}\t3\n{b}\t{c}\t1\n{a}\t{d}\t2\n")
    ar, analogies = fd_path(f": s\n{a} {b} {c} {d}\n")
    try:
        code, out, err = run_cli("eval", path, "--pairs", pairs, "--analogies", analogies)
    finally:
        os.close(pr)
        os.close(ar)
    assert code == 0, err
    assert f"analogies: {analogies} (3CosAdd)" in out and f"│ {pairs} " in out
    pr, pairs = fd_path(f"{a}\t{b}\t3\n{b}\t{c}\t1\n")
    try:
        code, out, err = run_cli("similarity", path, "--pairs", pairs, "--json", "-q")
    finally:
        os.close(pr)
    assert code == 0, err
    assert json.loads(out)["pairs_file"] == pairs
    pr, pairs = fd_path(f"{a}\t{b}\t3\n{b}\t{c}\t1\n")
    try:
        code, out, err = run_cli("similarity", path, "--pairs", pairs)
    finally:
        os.close(pr)
    assert code == 0, err
    assert f"word pairs in {pairs}" in out


def test_piped_tables_have_no_trailing_spaces_and_titles_stay_whole(run_cli, table_file):
    """rich pads a table's title to the table's width and wraps one that is wider: the title is its own line,
    as long as the title is, so piped output has no trailing spaces."""
    path, vec = table_file
    a, b, c = _words(vec, 3)
    for args in (("neighbors", path, a, "-k", "2"), ("analogy", path, a, b, c, "-k", "1"), ("eval", path, "--summary"),
                 ("info", path)):
        code, out, _ = run_cli(*args, "-q")
        assert code == 0 and out.strip()
        lines = out.splitlines()
        assert all(line == line.rstrip() for line in lines), (args, [line for line in lines if line != line.rstrip()])
    code, out, _ = run_cli("eval", path, "--summary", "-q")
    assert "analogies: questions-words.txt (3CosAdd)" in out.splitlines()


def test_a_query_left_with_no_answer_says_why(run_cli, tmp_path):
    """On a table whose every word is in the query (or within --restrict), the answers are empty: a note says why."""
    f = tmp_path / "three.txt"
    f.write_text("3 3\ncat 1 0 0\ndog 0 1 0\nfish 0 0 1\n")
    code, out, err = run_cli("analogy", f, "cat", "dog", "fish", "--json")
    assert code == 0 and json.loads(out)["answers"] == []
    assert err.strip() == ("wvtool: note: no answers for 'cat : dog :: fish : ?': every word it could answer with (the "
                           "table's 3 words) is a query word, and query words are never answers; use a larger table")
    code, out, err = run_cli("neighbors", f, "cat", "dog", "--restrict", "1")
    assert code == 0 and "cat" in out and "dog" in out
    assert err.strip().splitlines() == [
        "wvtool: note: no answers for 'cat': every word it could answer with (the first 1 of the table's 3 words) is a "
        "query word, and query words are never answers; use a larger table or a larger --restrict"]
    code, out, err = run_cli("neighbors", f, "Cat", "dog", "--restrict", "1")  # the case note stays too
    assert code == 0 and err.strip().splitlines()[:2] == [
        "wvtool: note: 'Cat' is not in the vocabulary; showing 'cat'",
        "wvtool: note: no answers for 'Cat': every word it could answer with (the first 1 of the table's 3 words) is a "
        "query word, and query words are never answers; use a larger table or a larger --restrict"]
    code, out, err = run_cli("neighbors", f, "cat", "-k", "1")  # answered: no note
    assert code == 0 and err == ""
    code, out, err = run_cli("neighbors", f, "--restrict", "1", "--tsv", input="cat\n")
    assert code == 0 and out == "query\trank\tword\tscore\n" and "no answers for 'cat'" in err
    code, _, err = run_cli("analogy", f, "cat", "dog", "fish", "-q")
    assert code == 0 and err == ""
