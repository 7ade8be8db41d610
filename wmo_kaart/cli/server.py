"""The production server: gunicorn with several workers on the same app factory (`--dev`: Flask's own)."""

from __future__ import annotations

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


def gunicorn_app(bind: str, options: dict):
    """Return a gunicorn application that builds the app in each worker from the environment."""
    from gunicorn.app.base import BaseApplication

    class WmoKaart(BaseApplication):
        def load_config(self):
            for key, value in {"bind": bind, **options}.items():
                if key in self.cfg.settings:  # an older gunicorn lacks the control socket: nothing to place
                    self.cfg.set(key, value)

        def load(self):
            from ..web import create_app, warm

            server = create_app(from_env())
            warm(server)  # fully set up before the first request reaches this worker
            return server

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
    del server  # each worker builds its own app: no connections shared across a fork
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
    gunicorn_app(f"{args.host}:{args.port}", options).run()
    return 0
