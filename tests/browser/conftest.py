"""Browser tests: skipped, with the reason, when Chromium or its driver is absent."""

from __future__ import annotations

import functools
import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from chrome import browser_missing, start_chrome, stop_chrome, wait_for  # noqa: E402

_MISSING = browser_missing()


def pytest_collection_modifyitems(config, items):
    if _MISSING:
        skip = pytest.mark.skip(reason=f"browser tests skipped: {_MISSING}")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


def pytest_report_header(config):
    return f"browser tests: {'SKIPPED - ' + _MISSING if _MISSING else 'headless Chromium'}"


@pytest.fixture(scope="session")
def driver(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    d = start_chrome(download_dir=downloads)
    d.download_dir = downloads
    d.set_page_load_timeout(60)
    yield d
    stop_chrome(d)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def static_server():
    """Serve a folder over http://127.0.0.1 (yields a function folder -> base URL)."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}"

    yield serve
    for srv in servers:
        srv.shutdown()
        srv.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        return


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on a free port, serving a temporary folder; yields (url, folder)."""
    folder = tmp_path_factory.mktemp("lab")
    cfg = tmp_path_factory.mktemp("labcfg")
    port = free_port()
    cmd = [
        str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--port={port}",
        "--ip=127.0.0.1", "--allow-root", "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={folder}", "--ServerApp.disable_check_xsrf=True",
        f"--LabApp.user_settings_dir={cfg / 'settings'}",
        f"--LabApp.workspaces_dir={cfg / 'workspaces'}",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    env = {**__import__("os").environ, "JUPYTER_CONFIG_DIR": str(cfg / "config")}
    log = open(cfg / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        wait_for(lambda: urllib.request.urlopen(f"{url}/api/status", timeout=2).status == 200,
                 timeout=90, what="JupyterLab to start")  # fmt: skip
        yield url, folder
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
