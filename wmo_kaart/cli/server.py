"""The production server: gunicorn with several workers on the same app factory (`--dev`: Flask's own)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from ..config import from_env


# time, method, path without query, status, bytes, seconds: what operations need, nothing about a person
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)s'


def workers(args) -> int:
    """Return the number of workers: --workers, else WMO_KAART_WORKERS, else 2."""
    if args.workers:
        return max(1, args.workers)
    raw = os.environ.get("WMO_KAART_WORKERS", "")
    return max(1, int(raw)) if raw.isdigit() else 2


def release_freed_memory() -> None:
    """Give the memory freed after loading (the parsed file, the warm-up's pages) back to the system: glibc
    keeps freed blocks in its arenas, so a worker's resident size stays at its peak otherwise."""
    import gc

    gc.collect()
    _malloc_trim()


@functools.cache
def _glibc():
    """Return the C library when it is glibc (malloc_trim, mallopt), else None: nothing to tune that way."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def _malloc_trim() -> None:
    if _glibc() is not None:
        _glibc().malloc_trim(0)


def few_malloc_arenas(arenas: int = 2) -> None:
    """Limit glibc to `arenas` malloc arenas (M_ARENA_MAX) before the workers start their threads: by default
    each thread may get its own arena of up to 64 MB, which a threaded worker then holds on to."""
    if _glibc() is not None:
        _glibc().mallopt(-8, arenas)  # -8: M_ARENA_MAX


def prepare_fork(server) -> None:
    """Make the app built in gunicorn's master ready to be shared by its forked workers: warm it, close every
    database connection (a socket shared by two processes mixes their conversations; each worker opens its
    own on first use), and freeze the heap so the garbage collector never writes to the shared pages; what
    loading freed goes back to the system. The workers then share the live data's pages (copy on write)
    instead of each reading the file again."""
    import gc

    from ..web import warm

    warm(server)
    dispose_connections(close=True)
    release_freed_memory()
    gc.freeze()


def dispose_connections(close: bool) -> None:
    """Drop the pooled connections of every SQLAlchemy engine in this process: `close` in the master before the
    fork; without closing (the parent's sockets are not ours) in a worker after it."""
    import gc

    from sqlalchemy.engine import Engine

    for engine in [o for o in gc.get_objects() if isinstance(o, Engine)]:
        engine.dispose(close=close)


_TRIMMED = [0.0]  # when this worker last gave freed memory back (monotonic seconds)
TRIM_EVERY = 1.0  # seconds


def post_request(_worker, _req, _environ, _resp) -> None:
    """gunicorn's hook after each answer: at most once a second, give the memory that building answers freed
    back to the system (`release_freed_memory` without its collection; a few microseconds when there is
    nothing to give, about a millisecond after a large answer), so a worker's resident size follows what it
    holds instead of its peak."""
    import time

    now = time.monotonic()
    if now - _TRIMMED[0] >= TRIM_EVERY:
        _TRIMMED[0] = now
        _malloc_trim()


def post_fork(_arbiter, _worker) -> None:
    """gunicorn's hook in each new worker: a pool of its own (see `dispose_connections`)."""
    dispose_connections(close=False)


def gunicorn_app(bind: str, options: dict, built):
    """Return a gunicorn application serving `built`, the app made and warmed in the master (`prepare_fork`)."""
    from gunicorn.app.base import BaseApplication

    class WmoKaart(BaseApplication):
        def load_config(self):
            for key, value in {"bind": bind, **options}.items():
                if key in self.cfg.settings:  # an older gunicorn lacks the control socket: nothing to place
                    self.cfg.set(key, value)

        def load(self):
            return built

    return WmoKaart()


def serve(args) -> int:
    """Check the data once, then serve: gunicorn by default, the development server with --dev."""
    from ..core.validate import InvalidDataError
    from ..web import create_app

    try:
        server = create_app(from_env())
    except InvalidDataError as exc:
        print(f"De app start niet: de gegevens zijn ongeldig.\n{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"De app start niet: {exc}", file=sys.stderr)
        return 2
    if args.dev:
        server.run(host=args.host, port=args.port, debug=False, threaded=True)
        return 0
    instance = server.extensions["wmo_kaart"].settings.instance_path
    from ..web.api_edges import MAX_REQUEST_LINE

    # the threaded worker, answering an over-long request line with JSON 414 (wmo_kaart.cli.worker);
    # its line limit raised to the most gunicorn reads, so the documented maximum lists fit
    options = {"workers": workers(args), "worker_class": "wmo_kaart.cli.worker.JsonErrorWorker", "threads": 4,
               "timeout": 60, "graceful_timeout": 20, "keepalive": 5, "accesslog": "-", "errorlog": "-",
               "forwarded_allow_ips": "127.0.0.1", "limit_request_field_size": 16380,
               "limit_request_line": MAX_REQUEST_LINE,
               # no client address, user agent, referer or query string (a search text) in the access log
               "access_log_format": ACCESS_LOG_FORMAT}
    # gunicorn's control socket (25.1+): this instance's own, owner only, never one shared by every
    # gunicorn of the host user ($HOME/.gunicorn/gunicorn.ctl)
    options["control_socket"] = str(Path(instance) / "gunicorn.ctl")
    options["control_socket_mode"] = 0o600
    from ..logs import gunicorn_logconfig

    logconfig = gunicorn_logconfig(os.environ.get("WMO_KAART_LOG_FORMAT", "").lower() == "json")
    if logconfig:
        options["logconfig_dict"] = logconfig
    print(f"Wmo-kaart op http://{args.host}:{args.port} ({options['workers']} workers, gunicorn)", file=sys.stderr)
    few_malloc_arenas()
    # the app is built once, here, and shared by the forked workers: one copy of the live data in memory
    options.update(preload_app=True, post_fork=post_fork, post_request=post_request)
    prepare_fork(server)
    gunicorn_app(f"{args.host}:{args.port}", options, server).run()
    return 0
