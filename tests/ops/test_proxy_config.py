"""The reverse proxy in front of gunicorn (issue 16 item 6): docker compose publishes nginx only,
with the repository's configuration, and the app trusts that proxy's address alone; the same
file is a valid nginx configuration for scripts/proxy.sh. Measured: scripts/slow_clients_test.py
(docs/scaling.md)."""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy/nginx/tracker.conf.template"


def compose() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_publishes_the_proxy_only_and_the_app_trusts_just_it():
    services = compose()["services"]
    assert "ports" not in services["web"], "gunicorn must not be reachable without the proxy"
    proxy = services["proxy"]
    assert proxy["ports"] == ["8000:80"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    mounts = [volume.split(":") for volume in proxy["volumes"]]
    assert [(source, target) for source, target, *_ in mounts] == [
        ("./deploy/nginx/tracker.conf.template", "/etc/nginx/templates/default.conf.template")
    ]
    assert (ROOT / mounts[0][0]).is_file()
    assert proxy["environment"]["UPSTREAM"] == "web:8000"
    address = proxy["networks"]["default"]["ipv4_address"]
    subnet = compose()["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet)
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == address


def test_the_template_sets_what_the_app_relies_on():
    text = TEMPLATE.read_text()
    for directive in (
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header Host $host;",
        "listen ${LISTEN} default_server;",
        "server ${UPSTREAM};",
    ):
        assert directive in text, directive


def test_proxy_sh_renders_a_configuration_nginx_accepts(tmp_path):
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None or shutil.which("envsubst") is None:
        if os.environ.get("CI") == "true":  # .ci/run installs both: a skip would hide a failure
            pytest.fail("nginx or envsubst is not installed")
        pytest.skip("nginx or envsubst is not installed")
    rendered = subprocess.run(
        ["envsubst", "${LISTEN} ${UPSTREAM}"],
        input=TEMPLATE.read_text(),
        env={"LISTEN": "127.0.0.1:8139", "UPSTREAM": "127.0.0.1:8138"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "$host" in rendered and "${" not in rendered
    (tmp_path / "tracker.conf").write_text(rendered)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ client_body_temp_path {tmp_path}/b; proxy_temp_path {tmp_path}/p; "
        f"fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u; "
        f"scgi_temp_path {tmp_path}/s; include {tmp_path}/tracker.conf; }}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
