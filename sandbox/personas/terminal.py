"""A worker run from a terminal: its lines on stderr, a clean stop on SIGTERM or Ctrl+C, and
the demo's worker thread (`sandbox worker` and `sandbox demo`, in `sandbox.cli`)."""

from __future__ import annotations

import atexit
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from flask import Flask
from flask_babel import gettext as _

from sandbox.personas.handlers import import_all
from sandbox.personas.worker import WorkerThread, logger, start_worker_thread


def start_beside_server(app: Flask) -> WorkerThread:
    """A worker in a daemon thread of the server's process (the demo's): personas react while
    the demo runs; at exit it is asked to finish its batch. Also kept in
    `app.extensions["tremplin_worker"]`."""
    import_all()
    log_to_terminal()
    running = start_worker_thread(app)
    app.extensions["tremplin_worker"] = running
    atexit.register(running.stop)
    return running


class _TerminalHandler(logging.Handler):
    """Writes through click at each record, so it follows whatever stderr is at that moment."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:  # noqa: BLE001 - logging must never stop the worker
            self.handleError(record)


def terminal_handler() -> logging.Handler:
    handler = _TerminalHandler(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    return handler


def log_to_terminal() -> logging.Handler:
    """The worker's lines on stderr, from INFO up, and only there: a root handler set up by
    the migrations' logging configuration would print each line a second time."""
    handler = terminal_handler()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


@contextmanager
def logging_to_terminal() -> Iterator[None]:
    """`log_to_terminal` while the block runs (the `sandbox worker` command)."""
    previous_level, previous_propagate = logger.level, logger.propagate
    handler = log_to_terminal()
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        logger.propagate = previous_propagate


@contextmanager
def stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM or Ctrl+C set `stop` (the worker finishes its batch); a second one stops at
    once (the batch is not committed: its claims are handed back later)."""

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        logger.info(_("Stopping after the current batch (send the signal again to stop at "
                      "once)."))

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers; its caller stops it
        return
    previous = {number: signal.signal(number, on_signal)
                for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
