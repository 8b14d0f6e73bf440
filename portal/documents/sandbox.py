"""Read documents in long-lived child processes bounded in memory, CPU and wall-clock time.

A parser stuck in C code (lxml, zlib) cannot be interrupted from Python, and a hostile file can
ask for gigabytes, so every read happens in a child the parent can kill. Starting a process per
file would cost more than the read itself, so children are kept and reused; one that times out
or dies is replaced, and each is retired after ``max_jobs_per_worker`` files to bound leaks.

Children come from a fork server (or spawn where that is missing), never a plain fork: the
caller may be a threaded worker, and forking a threaded process can copy a held lock.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import resource
import signal
import threading
import warnings
from pathlib import Path
from typing import Self

from .extraction import Extraction
from .limits import DEFAULT_LIMITS, MIB, Limits

TOOK_TOO_LONG = "took too long to read"
TOO_LARGE = "too large to read"

_OUT_OF_MEMORY_EXIT = 86
# "__main__" too (the default), so a new child does not import the main script all over again.
_PRELOAD = ["__main__", "portal.documents.extraction"]


class ExtractionPool:
    """A bounded set of reader processes, started on first use; safe to share between threads.

    A thread that finds every child busy waits for one; the time it waits does not count
    against its file's time limit.
    """

    def __init__(
        self, size: int | None = None, *, max_jobs_per_worker: int = 500, start_method: str | None = None
    ):
        self.size = max(1, size if size is not None else min(4, os.cpu_count() or 1))
        self.max_jobs_per_worker = max_jobs_per_worker
        if start_method is None:
            start_method = (
                "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            )
        if start_method == "fork":
            raise ValueError("fork is unsafe in threaded callers; use forkserver or spawn")
        self._context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            # Imported once in the server, so each new child starts with the parsers loaded.
            self._context.set_forkserver_preload(_PRELOAD)
        self._lock = threading.Condition()
        self._idle: list[_Worker] = []
        self._live = 0
        self._closed = False
        self.workers_started = 0

    def run(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Extraction:
        """Read one file in a child; a timeout, a memory blow-up or a crash becomes a manual outcome."""
        # A fork-server child keeps the working directory the server started in, not the caller's.
        job = (os.fspath(Path(path).absolute()), limits)
        for attempt in range(2):
            worker = self._acquire()
            reusable = False
            try:
                try:
                    worker.connection.send(job)
                except OSError:
                    # The child died while idle (killed from outside); a fresh one takes the file.
                    if attempt:
                        raise
                    continue
                worker.jobs += 1
                if not worker.connection.poll(limits.timeout_seconds):
                    return Extraction.manual(TOOK_TOO_LONG)
                try:
                    result = worker.connection.recv()
                except Exception:  # noqa: BLE001 - a child dying mid-reply can break the pipe or the pickle
                    return _outcome_of_death(worker)
                reusable = True
                return result
            finally:
                self._release(worker, reusable)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop every idle child now and each busy one when its file is done. Idempotent."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._lock.notify_all()
        for worker in idle:
            worker.stop(graceful=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def live_workers(self) -> int:
        with self._lock:
            return self._live

    def _acquire(self) -> _Worker:
        with self._lock:
            while True:
                if self._closed:
                    raise RuntimeError("the document reader pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._live < self.size:
                    self._live += 1
                    break
                self._lock.wait()
        try:
            worker = _Worker(self._context)
        except BaseException:
            with self._lock:
                self._live -= 1
                self._lock.notify()
            raise
        with self._lock:
            self.workers_started += 1
        return worker

    def _release(self, worker: _Worker, reusable: bool) -> None:
        with self._lock:
            if reusable and not self._closed and worker.jobs < self.max_jobs_per_worker:
                self._idle.append(worker)
                self._lock.notify()
                return
        worker.stop(graceful=reusable)
        with self._lock:
            self._live -= 1
            self._lock.notify()


class _Worker:
    def __init__(self, context) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), name="document-reader", daemon=True)
        self.process.start()
        child_end.close()
        self.jobs = 0

    def stop(self, *, graceful: bool) -> None:
        if graceful:
            try:
                self.connection.send(None)
            except OSError:
                pass
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _outcome_of_death(worker: _Worker) -> Extraction:
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code == -signal.SIGXCPU:
        return Extraction.manual(TOOK_TOO_LONG)
    # Nothing in this process sends SIGKILL to a child still working, so it came from the
    # kernel's out-of-memory killer.
    if code in (_OUT_OF_MEMORY_EXIT, -signal.SIGKILL):
        return Extraction.manual(TOO_LARGE)
    if code is not None and code < 0:
        return Extraction.manual(f"the reader crashed ({signal.Signals(-code).name})")
    return Extraction.manual(f"the reader stopped unexpectedly (exit code {code})")


# --- in the child ------------------------------------------------------------------------------


def _serve(connection) -> None:
    # Ctrl-C reaches the whole process group; the parent decides what stops, not each child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Broken files make parsers warn and log at length; the outcome already says what matters.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    from .extraction import extract_in_this_process

    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, limits = job
        _limit_resources(limits)
        try:
            result = extract_in_this_process(path, limits)
        except MemoryError:
            # The heap may be in any state now; a fresh child is cheaper than trusting it.
            os._exit(_OUT_OF_MEMORY_EXIT)
        except Exception as error:  # noqa: BLE001 - a bug of ours must still end as an outcome
            result = Extraction.manual(f"the reader failed ({type(error).__name__})")
        try:
            connection.send(result)
        except OSError:  # the worker that asked is gone (killed): nobody to answer, so this child ends too
            return


def _limit_resources(limits: Limits) -> None:
    # RLIMIT_CPU counts the process's whole life, so each file gets its budget on top of what
    # the child has already spent.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(usage.ru_utime + usage.ru_stime)
    _set_soft_limit(resource.RLIMIT_CPU, spent + int(limits.cpu_seconds) + 1)
    _set_soft_limit(resource.RLIMIT_AS, limits.memory_mb * MIB)


def _set_soft_limit(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard))


# --- the process-wide pool ---------------------------------------------------------------------

_default_pool: ExtractionPool | None = None
_default_lock = threading.Lock()


def default_pool() -> ExtractionPool:
    """The pool shared by everything in this process, started on first use, stopped at exit."""
    global _default_pool
    with _default_lock:
        if _default_pool is None:
            _default_pool = ExtractionPool()
            atexit.register(_default_pool.close)
        return _default_pool


def shutdown_default_pool() -> None:
    """Stop the shared pool's children; the next read starts a fresh pool."""
    global _default_pool
    with _default_lock:
        pool, _default_pool = _default_pool, None
    if pool is not None:
        pool.close()


def _forget_inherited_pool() -> None:
    # A forked copy of this process must not talk to its parent's children over their pipes.
    global _default_pool, _default_lock
    _default_pool = None
    _default_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_inherited_pool)


def run_extraction(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, *, pool: ExtractionPool | None = None
) -> Extraction:
    """Read ``path`` in a sandboxed child of ``pool`` (the shared one by default). Never raises for a bad file."""
    return (pool or default_pool()).run(path, limits)
