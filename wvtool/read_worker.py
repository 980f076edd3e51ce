"""Tokenizing blocks of a corpus in worker processes, while the reading process decompresses and merges.

Tokenizing is Python code holding the GIL, so threads cannot share it; this
module runs it in separate processes.  They are started as fresh interpreters
(``python -c``, importing this copy of wvtool), never forked from the reading
process and never through :mod:`multiprocessing`: forking a process that runs
threads (Numba's, rich's) can deadlock, and ``multiprocessing``'s ``spawn``
re-imports the caller's ``__main__`` script, so a script without an
``if __name__ == "__main__"`` guard would start training again in each worker.

The protocol is pickles over the workers' standard input and output: first the
tokenizer settings, then one job per block ``(block, name, offset, line,
ends_line, continues, skipping)`` (see :func:`wvtool.corpus.split_block`), answered in order
by ``(words, ids, ends, error)``: the words this worker had not met in its
earlier blocks, in order of first appearance, the block's tokens as int32
indices into all the words it has met (in that order), the line ends, or an
error message (a byte that is not UTF-8, a NUL byte) and nothing else.  The
reading process maps each worker's new words to its own ids block after block,
in the order the blocks were read: a word new to the whole corpus in a block is
new to the worker that had it too (that worker's earlier blocks came before), so
the ids come in the order of first appearance and the corpus is the same as one
process reading alone, bit for bit.  If a worker stops, the reading process
tokenizes the blocks not answered yet itself and reads the rest alone.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path
from queue import SimpleQueue
from typing import NamedTuple

import numpy as np

#: blocks sent to a worker and not yet merged, at most (bounds memory: each block is 2 MB)
IN_FLIGHT = 3


def serve(stdin, stdout) -> None:
    """The worker's loop: read settings, then answer each job until the input ends."""
    from .corpus import _decode, _Ids, check_skip_lines, default_pattern, make_splitter, split_block
    from .errors import CorpusError

    tokens, token_pattern, lowercase, skip_lines = pickle.load(stdin)
    split = make_splitter(tokens, token_pattern)
    plain_fast = split == default_pattern().findall
    skip = check_skip_lines(skip_lines)
    class Ids(_Ids):
        """The worker's words over all its blocks, and those met in the current block for the first time."""

        def __missing__(self, w: str) -> int:
            self.new.append(w)
            return super().__missing__(w)

    ids = Ids()
    while True:
        try:
            block, name, offset, line, ends_line, continues, skipping = pickle.load(stdin)
        except EOFError:
            return
        try:
            text = _decode(block, name, offset, line)
            words, ends = split_block(text, ends_line, continues, skipping, split, plain_fast, skip, lowercase)
            ids.new = []
            local = np.fromiter(map(ids.__getitem__, words), dtype=np.int32, count=len(words))
            answer = (ids.new, local, ends, None)
        except CorpusError as e:
            answer = (None, None, None, e.args[0] if e.args else str(e))
        pickle.dump(answer, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


def worker_command() -> list[str]:
    """The command starting a worker: this Python, importing this copy of wvtool whatever the current directory."""
    package_parent = str(Path(__file__).resolve().parent.parent)
    # the answers go to a copy of standard output; the descriptor itself goes to standard error (discarded), so
    # nothing an imported module might print can get into them
    code = (f"import os, sys; answers = os.fdopen(os.dup(1), 'wb'); os.dup2(2, 1); sys.path.insert(0, {package_parent!r}); "
            "from wvtool.read_worker import serve; serve(sys.stdin.buffer, answers)")
    return [sys.executable, "-c", code]


class _Mark(NamedTuple):
    marker: object


class WorkerFailed(RuntimeError):
    """A worker process stopped without answering (killed, out of memory, a broken installation)."""


class _Worker:
    """One worker process and a thread feeding it jobs (so a full pipe never blocks the reading process)."""

    def __init__(self, settings: tuple):
        self.proc = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.jobs: SimpleQueue = SimpleQueue()
        self.sender = threading.Thread(target=self._send, args=(settings,), daemon=True)
        self.sender.start()

    def _send(self, settings: tuple) -> None:
        stdin = self.proc.stdin
        try:
            pickle.dump(settings, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            while (job := self.jobs.get()) is not None:
                pickle.dump(job, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the worker is gone: reading its answer says so
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def answer(self):
        try:
            return pickle.load(self.proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError) as e:
            try:
                code = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            raise WorkerFailed(f"a tokenizing worker process stopped (exit code {code})") from e

    def stop(self, wait: float) -> None:
        """End the worker's input and give it ``wait`` seconds to finish, then kill it."""
        self.jobs.put(None)
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sender.join(timeout=5)
        self.proc.stdout.close()


class Workers:
    """``n`` worker processes taking blocks in turn; :meth:`put` hands one out and returns the answers that are
    due, in the order the blocks were put (with markers put by :meth:`mark` among them).

    An answer is ``("block", (worker, answer))``, a marker ``("mark", marker)``.  If a worker stops, ``failed``
    says how, and every block not answered yet comes back as ``("local", job)``, for the caller to tokenize.
    """

    def __init__(self, n: int, settings: tuple):
        self.workers: list[_Worker] = []
        self.order: deque = deque()  # (worker index, job) per block put, or a marker
        self.turn = 0
        self.pending = 0
        self.failed: str | None = None
        try:
            for _ in range(n):
                self.workers.append(_Worker(settings))
        except BaseException:
            self.close()
            raise

    def put(self, job: tuple) -> list:
        w = self.turn
        self.turn = (w + 1) % len(self.workers)
        self.workers[w].jobs.put(job)
        self.order.append((w, job))
        self.pending += 1
        out = []
        while self.pending > IN_FLIGHT * len(self.workers):
            out.extend(self._next())
        return out

    def mark(self, marker) -> None:
        """Put ``marker`` among the answers, after those of the blocks put so far."""
        self.order.append(_Mark(marker))

    def drain(self) -> list:
        """Every answer and marker still due."""
        out = []
        while self.order:
            out.extend(self._next())
        return out

    def _next(self) -> list:
        out = []
        while self.order and isinstance(self.order[0], _Mark):  # markers before the next block's answer
            out.append(("mark", self.order.popleft().marker))
        if self.order:
            w, job = self.order.popleft()
            self.pending -= 1
            if self.failed is None:
                try:
                    out.append(("block", (w, self.workers[w].answer())))
                except WorkerFailed as e:
                    self.failed = str(e)
            if self.failed is not None:
                out.append(("local", job))
            while self.order and isinstance(self.order[0], _Mark):
                out.append(("mark", self.order.popleft().marker))
        return out

    def close(self) -> None:
        # a worker with answers nobody will read may be stuck writing one: no waiting then
        wait = 5.0 if not self.order and self.failed is None else 0.0
        for w in self.workers:
            w.stop(wait)
        self.workers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
