"""Helpers for tests/test_browser.py: local Jupyter servers and an offline headless chromium.

Servers run on 127.0.0.1, on free ports, with a random token, in a temporary copy of the
notebooks (JupyterLab autosaves; the committed notebooks must not change) and with every
Jupyter directory (runtime, config, data for settings/workspaces) pointed into the temp dir.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = Path(os.environ.get("ANALYSTKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_workdir(tmp: Path) -> Path:
    """Copy notebooks/ and seeds/ into ``tmp`` (relative paths like ../seeds keep working)."""
    shutil.copytree(REPO / "notebooks", tmp / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(REPO / "seeds", tmp / "seeds", ignore=shutil.ignore_patterns(".*"))
    return tmp / "notebooks"


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var, sub in (("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"),
                     ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"), ("IPYTHONDIR", "ipython")):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / sub)
    # no "get Jupyter news?" toast over the page (it would also fetch from the internet)
    notif = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True, exist_ok=True)
    (notif / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # render every cell: with JupyterLab 4's default windowing, cells scrolled out of view are
    # hidden and the source filter could not be clicked after scrolling to a chart
    nbext = tmp / "lab-settings" / "@jupyterlab" / "notebook-extension"
    nbext.mkdir(parents=True, exist_ok=True)
    (nbext / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["JUPYTER_PATH"] = str(REPO / "share" / "jupyter")  # the Voila template
    return env


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status < 500:
                    return
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url} in {timeout}s:\n{log.read_text()[-3000:]}")


@contextmanager
def server(kind: str, root: Path, tmp: Path):
    """Start ``jupyter lab`` (kind="lab") or ``voila`` on dashboard.ipynb (kind="voila").

    Yields (base_url, token). The process (its own session) is ended on exit.
    """
    port, token = free_port(), secrets.token_hex(16)
    log = tmp / f"{kind}-{port}.log"
    if kind == "lab":
        cmd = [str(BIN / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--ServerApp.port_retries=0", "--LabApp.expose_app_in_browser=True",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
        ready = f"http://127.0.0.1:{port}/api/status?token={token}"
    elif kind == "voila":
        # the offline template lives in the repo: share/jupyter/voila/templates/analystkit
        cmd = [str(BIN / "voila"), str(root / "dashboard.ipynb"), "--no-browser",
               "--Voila.ip=127.0.0.1", f"--port={port}", f"--token={token}",
               "--Voila.port_retries=0", "--template=analystkit"]
        ready = f"http://127.0.0.1:{port}/static/voila/themes/light/index.css"
    else:
        raise ValueError(kind)
    if kind == "lab" and hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=root, env=_env(tmp), stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_http(ready, proc, log)
        yield f"http://127.0.0.1:{port}", token
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class Offline:
    """Playwright route handler: lets 127.0.0.1/localhost through, aborts and records the rest."""

    def __init__(self):
        self.blocked: list[str] = []

    def __call__(self, route, request):
        host = urlparse(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort()
