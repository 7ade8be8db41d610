"""The real production server in a subprocess (`wmo-kaart serve`, gunicorn), for the load benchmark and tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """`wmo-kaart serve` on a free port with its own instance folder; `env` adds settings."""

    def __init__(self, instance: Path, env: dict | None = None, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "WMO_KAART_INSTANCE": str(instance), "WMO_KAART_COOKIE_SECURE": "0", **(env or {})}
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def start(self) -> Served:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wmo_kaart.cli", "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        return self

    def wait_listening(self, timeout: float = 60) -> None:
        """Return as soon as the port accepts connections (workers may still be starting)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("server stopped: " + self.proc.stderr.read().decode(errors="replace")[-2000:])
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise TimeoutError("server did not listen")

    def wait_ready(self, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        self.wait_listening(timeout)
        while time.monotonic() < end:
            try:
                if get(self.url + "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise TimeoutError("server not ready")

    def stop(self) -> str:
        """Stop the server; return what it wrote to stderr."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.stderr.read().decode(errors="replace") if self.proc else ""


def get(url: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
    """GET `url`; return the status and body (errors included, never raising on an HTTP status)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def bundle_paths(page: str) -> list[str]:
    """Return the script addresses of Dash's component bundles on a page."""
    return re.findall(r'<script src="(/_dash-component-suites/[^"]+)"', page)
