"""infra/: the files an operator deploys agree with the code they deploy.

There is no Docker engine or Prefect server here to start them; these checks load the real
flows and the real packaging, so a renamed flow, a new package or a changed schedule breaks
the test instead of the first night on a server."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from prefect.flows import load_flow_from_entrypoint

from archive import Settings

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"


def _prefect_yaml() -> dict[str, Any]:
    return yaml.safe_load((INFRA / "prefect.yaml").read_text(encoding="utf-8"))


def test_every_deployment_of_the_server_layout_loads_its_flow_with_its_parameters(monkeypatch: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from flows.deploy import UNSAFE_PARAMETERS, deployments

    monkeypatch.chdir(REPO)
    spec = _prefect_yaml()
    # In a thread of its own: after a browser test (pytest-playwright's sync API) this worker's main
    # thread reports a running event loop, and Prefect's to_deployment then returns a coroutine.
    with ThreadPoolExecutor(1) as pool:
        made = pool.submit(deployments, Settings(home=REPO / "var" / "unused")).result()
    served = {d.name for d in made}
    assert {d["name"] for d in spec["deployments"]} == served  # one machine or many: the same flows
    for d in spec["deployments"]:
        flow = load_flow_from_entrypoint(d["entrypoint"])
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(d.get("parameters", {})) <= accepted, d["name"]
        assert not accepted & UNSAFE_PARAMETERS, d["name"]  # a caller of the API chooses no path, no settings


def test_the_nightly_schedule_on_the_server_is_the_one_serve_uses() -> None:
    [nightly] = [d for d in _prefect_yaml()["deployments"] if d["name"] == "nightly-ingest"]
    [schedule] = nightly["schedules"]
    defaults = Settings(home=REPO / "var" / "unused")
    assert (schedule["cron"], schedule["timezone"]) == (defaults.schedule_cron, defaults.schedule_timezone)


def test_the_prefect_versions_in_infra_match_the_pin() -> None:
    pins = (REPO / "constraints.txt").read_text()
    [pinned] = re.findall(r"^prefect==(\S+)$", pins, re.M)
    assert _prefect_yaml()["prefect-version"] == pinned
    compose = yaml.safe_load((INFRA / "docker-compose.yml").read_text(encoding="utf-8"))
    assert compose["services"]["prefect"]["image"].startswith(f"prefecthq/prefect:{pinned}-")


def test_the_image_carries_every_package_and_the_worker_deploys_this_layout() -> None:
    packages = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    dockerfile = (INFRA / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, re.M))
    assert {p.split(".")[0] for p in packages} <= copied
    compose = yaml.safe_load((INFRA / "docker-compose.yml").read_text(encoding="utf-8"))
    assert "--prefect-file infra/prefect.yaml" in compose["services"]["worker"]["command"]
    assert compose["services"]["es01"]["image"].split(":")[1].split(".")[0] == _client_major()


def _client_major() -> str:
    [version] = re.findall(r"^elasticsearch==(\d+)\.", (REPO / "constraints.txt").read_text(), re.M)
    return version
