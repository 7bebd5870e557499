"""Static checks of the compose stack (no Docker engine runs here).

docker-compose.yml, docker/airflow/Dockerfile and .env.example must give a stack that works
for a user with Docker after `cp .env.example .env && docker compose up`: everything it
builds or mounts exists in the repository, every image is pinned, the warehouse is
TimescaleDB 2.28 on PostgreSQL 15 with timescaledb and pg_stat_statements preloaded, Airflow
runs from an image built on apache/airflow:3.3.2-python3.11 with requirements.txt and the
CeleryExecutor (Redis broker, a worker service that scales out), Grafana 13 serves the
provisioned data source and dashboards read-only, every AIRFLOW__/GF_ setting is one Airflow
or Grafana knows, and the only connections are the three fixed ones, given as environment
variables whose values .env.example provides.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"

AIRFLOW_BASE_IMAGE = "apache/airflow:3.3.2-python3.11"
EXECUTION_API_URL = "http://airflow-apiserver:8080/execution/"
CONNECTIONS = {"ytempire_warehouse", "ytempire_warehouse_owner", "youtube_default", "slack_alerts"}
AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-init",
    "airflow-worker",
}
AIRFLOW_MOUNTS = {
    "./dags": "/opt/airflow/dags",
    "./include": "/opt/airflow/include",
    "./plugins": "/opt/airflow/plugins",
}


# ---- helpers: compose variable interpolation -------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPS = (":-", ":?", ":+", "-", "?", "+")


class Ref:
    """One ``${NAME<op>arg}`` / ``$NAME`` reference; ``arg`` may hold nested references."""

    def __init__(self, name: str, op: str | None, arg: str | None):
        self.name, self.op, self.arg = name, op, arg

    @property
    def has_default(self) -> bool:
        return self.op in (":-", "-")

    def __repr__(self) -> str:
        return f"${{{self.name}{self.op or ''}{self.arg or ''}}}"


def _scan(text: str) -> list[tuple[int, int, Ref]]:
    """Find references in ``text`` as compose does (``$$`` is a literal ``$``)."""
    found, i = [], 0
    while i < len(text):
        if text[i] != "$":
            i += 1
            continue
        if text.startswith("$$", i):
            i += 2
            continue
        if text.startswith("${", i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text.startswith("${", j):
                    depth, j = depth + 1, j + 2
                    continue
                depth += {"{": 0, "}": -1}.get(text[j], 0)
                j += 1
            assert depth == 0, f"unterminated ${{ in {text!r}"
            inner = text[i + 2 : j - 1]
            m = _NAME.match(inner)
            assert m, f"bad variable reference {text[i:j]!r}"
            rest = inner[m.end() :]
            op = next((o for o in _OPS if rest.startswith(o)), None)
            assert op is not None or rest == "", f"bad variable reference {text[i:j]!r}"
            found.append((i, j, Ref(m.group(), op, rest[len(op) :] if op else None)))
            i = j
            continue
        m = _NAME.match(text, i + 1)
        if m:
            found.append((i, m.end(), Ref(m.group(), None, None)))
            i = m.end()
        else:
            i += 1
    return found


def refs_in(text: str) -> list[Ref]:
    out = []
    for _, _, ref in _scan(text):
        out.append(ref)
        if ref.arg:
            out.extend(refs_in(ref.arg))
    return out


def interpolate(text: str, env: dict[str, str]) -> str:
    """Resolve ``text`` like ``docker compose`` with the variables ``env``."""
    out, last = [], 0
    for start, end, ref in _scan(text):
        out.append(text[last:start].replace("$$", "$"))
        value = env.get(ref.name)
        if ref.op == ":-":
            value = value if value else interpolate(ref.arg, env)
        elif ref.op == "-":
            value = value if value is not None else interpolate(ref.arg, env)
        elif ref.op in (":?", "?"):
            if value is None or (ref.op == ":?" and value == ""):
                raise KeyError(f"{ref.name} is required: {interpolate(ref.arg, env)}")
        elif ref.op == ":+":
            value = interpolate(ref.arg, env) if value else ""
        elif ref.op == "+":
            value = interpolate(ref.arg, env) if value is not None else ""
        out.append(value or "")
        last = end
    out.append(text[last:].replace("$$", "$"))
    return "".join(out)


def strings(node: Any):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def parse_dotenv(path: Path) -> dict[str, str]:
    """The subset of compose's .env syntax this repo uses: KEY=value, KEY='literal'."""
    env = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and _NAME.fullmatch(key), f"{path.name}:{n}: not KEY=value: {line!r}"
        assert key not in env, f"{path.name}:{n}: {key} defined twice"
        value = value.strip()
        if value[:1] in ("'", '"'):
            assert len(value) >= 2 and value.endswith(value[0]), f"{path.name}:{n}: bad quoting"
            value = value[1:-1]
        else:
            assert " #" not in value, f"{path.name}:{n}: quote values holding ' #'"
        env[key] = value
    return env


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def command_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(str(v) for v in value)


# ---- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE_FILE.is_file(), "docker-compose.yml is missing"
    doc = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(doc, dict) and isinstance(doc.get("services"), dict)
    return doc


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    assert ENV_EXAMPLE.is_file(), ".env.example is missing"
    return parse_dotenv(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def dockerfile_path(services) -> Path:
    build = services["airflow-apiserver"]["build"]
    return REPO / build["context"] / build["dockerfile"]


# ---- structure -----------------------------------------------------------------------------


def test_compose_parses_with_expected_services(compose, services):
    assert "x-airflow-common" in compose, "keep the x-airflow-common anchor of the official file"
    assert {"warehouse", "airflow-db", "redis", "grafana"} | AIRFLOW_SERVICES <= set(services)
    for name in AIRFLOW_SERVICES:
        env = environment(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://") and "@redis:" in env[
            "AIRFLOW__CELERY__BROKER_URL"], name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://"), name
        assert "redis" in services[name]["depends_on"], name


def test_the_worker_scales_out(services, compose):
    worker = services["airflow-worker"]
    assert command_text(worker["command"]) == "celery worker"
    assert "container_name" not in worker, "a fixed container name stops --scale"
    assert not worker.get("ports"), "a host port stops --scale"
    assert worker.get("healthcheck", {}).get("test")
    assert "--scale airflow-worker=" in COMPOSE_FILE.read_text(), "document how to scale"
    assert "airflow-worker=" in (REPO / "README.md").read_text()
    for name, service in services.items():
        assert "ports" not in service or name in ("warehouse", "airflow-apiserver", "grafana"), (
            f"{name}: no host port"
        )


def test_every_service_has_an_image_or_a_build_that_exists(services, env_example):
    for name, service in services.items():
        assert "image" in service or "build" in service, f"{name}: neither image nor build"
        if "image" in service:
            image = interpolate(service["image"], env_example)
            assert re.fullmatch(r"[\w./-]+:[\w.-]+", image), f"{name}: image {image!r} has no tag"
            assert not image.endswith(":latest"), f"{name}: pin a tag, not latest"
            assert re.search(r":\d+(\.\d+)+", image), f"{name}: pin a version, not {image!r}"
        if "build" in service:
            build = service["build"]
            build = {"context": build} if isinstance(build, str) else build
            context = REPO / build.get("context", ".")
            assert context.is_dir(), f"{name}: build context {context} does not exist"
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"


def test_bind_mounts_exist_and_named_volumes_are_declared(compose, services, env_example):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            if isinstance(volume, dict):
                kind, source = (
                    volume.get("type"),
                    interpolate(volume.get("source", ""), env_example),
                )
            else:
                source = interpolate(volume, env_example).split(":")[0]
                kind = "bind" if source.startswith((".", "/", "~")) else "volume"
            if kind == "bind":
                assert not source.startswith(("/", "~")), (
                    f"{name}: host path {source} is not in the repo"
                )
                assert (REPO / source).exists(), f"{name}: bind-mounted {source} does not exist"
            elif kind == "volume":
                assert source in declared, f"{name}: volume {source!r} is not declared"


def test_depends_on_names_existing_services(services):
    for name, service in services.items():
        for dep in service.get("depends_on") or {}:
            assert dep in services, f"{name} depends on unknown service {dep}"


def test_long_running_services_have_healthchecks(services):
    for name, service in services.items():
        if name != "airflow-init":
            assert service.get("healthcheck", {}).get("test"), f"{name}: no healthcheck"


# ---- warehouse -----------------------------------------------------------------------------


def test_warehouse_is_timescaledb_on_pg15_with_preloads(services, env_example):
    warehouse = services["warehouse"]
    assert re.fullmatch(r"timescale/timescaledb:2\.28\.\d+-pg15", warehouse["image"])
    command = command_text(warehouse.get("command"))
    preload = re.findall(r"shared_preload_libraries=(\S+)", command)
    assert preload, "warehouse must pass -c shared_preload_libraries=..."
    libraries = {lib.strip().strip("'\"") for lib in preload[-1].split(",")}
    assert {"timescaledb", "pg_stat_statements"} <= libraries
    assert command.split()[0] == "postgres"
    assert any(
        str(v).endswith(":/var/lib/postgresql/data") for v in warehouse.get("volumes", [])
    ), "warehouse data must live on a volume"
    assert warehouse.get("healthcheck", {}).get("test")


def test_warehouse_connections_are_the_loader_and_the_owner_never_the_superuser(
        services, env_example):
    from urllib.parse import urlsplit

    warehouse_env = {
        k: interpolate(v, env_example) for k, v in environment(services["warehouse"]).items()
    }
    scheduler_env = environment(services["airflow-scheduler"])
    roles = {"AIRFLOW_CONN_YTEMPIRE_WAREHOUSE": ("ytempire_loader", "WAREHOUSE_LOADER_PASSWORD"),
             "AIRFLOW_CONN_YTEMPIRE_WAREHOUSE_OWNER": (warehouse_env["WAREHOUSE_OWNER_USER"],
                                                        "WAREHOUSE_OWNER_PASSWORD")}
    for variable, (user, password) in roles.items():
        parts = urlsplit(interpolate(scheduler_env[variable], env_example))
        assert parts.scheme in ("postgres", "postgresql")
        assert (parts.hostname, parts.port or 5432) == ("warehouse", 5432)
        assert (parts.username, parts.password) == (user, warehouse_env[password])
        assert parts.username != warehouse_env["POSTGRES_USER"], "a DAG connects as superuser"
        assert parts.path.lstrip("/") == warehouse_env["POSTGRES_DB"]


# ---- Airflow image -------------------------------------------------------------------------


def test_airflow_services_build_the_project_image(services):
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in AIRFLOW_SERVICES}
    assert len(builds) == 1, "all Airflow services must run the same image"
    build = services["airflow-apiserver"]["build"]
    assert build["context"] in (".", "./")
    assert build["dockerfile"] == "docker/airflow/Dockerfile"
    assert services["airflow-db"]["image"] == "postgres:16.10"


def test_dockerfile_is_based_on_airflow_and_installs_requirements(dockerfile_path):
    lines = [
        line.strip()
        for line in dockerfile_path.read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    froms = [line.split()[1:] for line in lines if line.upper().startswith("FROM ")]
    assert [f[0] for f in froms] == [AIRFLOW_BASE_IMAGE]
    copies = [line for line in lines if line.upper().startswith(("COPY ", "ADD "))]
    assert any("requirements.txt" in shlex.split(line)[1:-1] for line in copies), (
        "the Dockerfile must COPY requirements.txt"
    )
    runs = " ".join(line for line in lines if line.upper().startswith("RUN "))
    assert re.search(r"pip install [^&|;]*--no-cache-dir[^&|;]*-r \S*requirements\.txt", runs)
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in dockerfile_path.read_text()


def check_requirements(requirements: Path) -> None:
    """Only requirements.txt is in the image build: no local paths, no nested files."""
    for raw in requirements.read_text().splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip("\\").strip()
        if not line or line.startswith("--hash"):
            continue
        local = ("-e", "--editable", "-r", "--requirement", "-c", "--constraint", ".", "/", "file:")
        assert not line.startswith(local), f"requirements.txt: {raw!r} needs files the image lacks"
        airflow = re.match(r"apache-airflow\s*(\[[^\]]*\])?\s*([=<>~!].*)", line)
        if airflow:
            spec = airflow.group(2).split(";")[0].split()[0]
            assert spec == "==3.3.2", f"requirements.txt pins {raw!r}; the image is Airflow 3.3.2"


def test_requirements_txt_exists_and_builds_from_the_context_alone():
    requirements = REPO / "requirements.txt"
    assert requirements.is_file(), (
        "requirements.txt (COPYed by docker/airflow/Dockerfile) is missing"
    )
    check_requirements(requirements)


# ---- Airflow configuration -----------------------------------------------------------------


def test_airflow_environment(services, env_example):
    for name in AIRFLOW_SERVICES:
        env = environment(services[name])
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == EXECUTION_API_URL, name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"].lower() == "false", name
        assert interpolate(env["WAREHOUSE_TZ"], {}) == "America/Los_Angeles", name
        assert env["PYTHONPATH"] == "/opt/airflow/plugins", name
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in env, name
        resolved = {k: interpolate(v, env_example) for k, v in env.items()}
        assert resolved["AIRFLOW__API_AUTH__JWT_SECRET"], f"{name}: components share a JWT secret"
    apiserver = services["airflow-apiserver"]
    assert command_text(apiserver["command"]) == "api-server"
    assert any(str(p).endswith(":8080") for p in apiserver["ports"])
    for name, command in {
        "airflow-scheduler": "scheduler",
        "airflow-dag-processor": "dag-processor",
        "airflow-triggerer": "triggerer",
    }.items():
        assert command_text(services[name]["command"]) == command


def test_airflow_mounts(services):
    for name in AIRFLOW_SERVICES:
        mounts = dict(
            str(v).split(":")[:2] for v in services[name]["volumes"] if str(v).startswith(".")
        )
        for source, target in AIRFLOW_MOUNTS.items():
            assert mounts.get(source) == target, f"{name}: {source} must be mounted at {target}"


def test_init_only_migrates(services):
    init = services["airflow-init"]
    command = command_text(init.get("command")) + " " + command_text(init.get("entrypoint"))
    assert "db migrate" in command
    for by_hand in ("users create", "connections add", "connections import", "variables"):
        assert by_hand not in command
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        condition = services[name]["depends_on"]["airflow-init"]["condition"]
        assert condition == "service_completed_successfully", name


# ---- connections and variables -------------------------------------------------------------


def test_connections_are_exactly_the_fixed_ones(services, env_example, dockerfile_path):
    in_compose = {
        key.removeprefix("AIRFLOW_CONN_").lower()
        for service in services.values()
        for key in environment(service)
        if key.startswith("AIRFLOW_CONN_")
    }
    assert in_compose == CONNECTIONS
    for name in AIRFLOW_SERVICES:
        keys = {k for k in environment(services[name]) if k.startswith("AIRFLOW_CONN_")}
        assert {k.removeprefix("AIRFLOW_CONN_").lower() for k in keys} == CONNECTIONS, name
    in_env_example = {
        key.removeprefix("AIRFLOW_CONN_").lower()
        for key in env_example
        if key.startswith("AIRFLOW_CONN_")
    }
    assert in_env_example == CONNECTIONS
    assert "AIRFLOW_CONN_" not in dockerfile_path.read_text()


def test_connection_values_parse_as_airflow_connections(services, env_example, monkeypatch):
    """The values a user gets from .env.example resolve through Airflow's env-var backend."""
    from airflow.sdk.bases.hook import BaseHook

    env = environment(services["airflow-scheduler"])
    for conn_id in CONNECTIONS:
        key = f"AIRFLOW_CONN_{conn_id.upper()}"
        monkeypatch.setenv(key, interpolate(env[key], env_example))

    warehouse = BaseHook.get_connection("ytempire_warehouse")
    assert warehouse.conn_type == "postgres"
    assert (warehouse.host, warehouse.port) == ("warehouse", 5432)

    youtube = BaseHook.get_connection("youtube_default")
    assert {"client_id", "client_secret", "refresh_token"} <= set(youtube.extra_dejson)

    slack = BaseHook.get_connection("slack_alerts")
    assert slack.conn_type == "slackwebhook"
    assert "://" in slack.password, "the full webhook URL goes in the password"


def test_variables_without_default_are_defined_in_env_example(compose, env_example):
    refs = [ref for text in strings(compose) for ref in refs_in(text)]
    assert refs, "expected ${VAR} references"
    missing = sorted({ref.name for ref in refs if not ref.has_default} - set(env_example))
    assert not missing, f"used without a default but not in .env.example: {missing}"
    # and the whole file resolves with .env.example alone
    for text in strings(compose):
        interpolate(text, env_example)


def test_every_variable_the_stack_reads_is_documented_in_env_example(compose, env_example):
    names = {ref.name for text in strings(compose) for ref in refs_in(text)}
    assert not names - set(env_example), sorted(names - set(env_example))


def test_env_example_json_values_are_json(env_example):
    for key, value in env_example.items():
        if value.startswith("{"):
            assert isinstance(json.loads(value), dict), key


# ---- Grafana -------------------------------------------------------------------------------

# Settings of Grafana's conf/defaults.ini the stack sets (GF_<SECTION>_<KEY>, dots and dashes
# of a section name as underscores); checked against grafana/grafana's conf/defaults.ini
# (commit 002060fdada8ac00eda5e1cd8f24a780e2463b97). A GF_ name outside this list fails the
# test: add it here only after finding it there.
GRAFANA_SETTINGS = {
    ("security", "admin_user"),
    ("security", "admin_password"),
    ("auth.anonymous", "enabled"),
    ("auth.anonymous", "org_role"),
    ("users", "allow_sign_up"),
    ("analytics", "reporting_enabled"),
    ("analytics", "check_for_updates"),
    ("dashboards", "default_home_dashboard_path"),
}
GRAFANA_ENV = {
    "GF_" + section.upper().replace(".", "_").replace("-", "_") + "_" + key.upper(): (section, key)
    for section, key in GRAFANA_SETTINGS
}


def container_path(volume: str, env: dict) -> tuple[str, str]:
    source, target = interpolate(volume, env).split(":")[:2]
    return source, target


def test_grafana_is_pinned_13_and_provisioned_read_only(services, env_example):
    grafana = services["grafana"]
    assert re.fullmatch(r"grafana/grafana:13\.\d+\.\d+", grafana["image"])
    mounts = dict(container_path(v, env_example) for v in grafana["volumes"])
    provisioning = {t: s for s, t in mounts.items()}["/etc/grafana/provisioning"]
    assert (REPO / provisioning / "datasources" / "warehouse.yaml").is_file()
    provider_file = REPO / provisioning / "dashboards" / "ytempire.yaml"
    (provider,) = yaml.safe_load(provider_file.read_text())["providers"]
    assert provider["allowUiUpdates"] is False
    dashboards_dir = {t: s for s, t in mounts.items()}[provider["options"]["path"]]
    assert sorted(p.name for p in (REPO / dashboards_dir).glob("*.json")) == [
        "channel_performance.json", "executive.json", "experiments.json"]
    assert all(str(v).endswith(":ro") for v in grafana["volumes"] if str(v).startswith("."))
    env = environment(grafana)
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "true"
    assert env["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"
    home = env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home.startswith(provider["options"]["path"] + "/")
    assert (REPO / dashboards_dir / Path(home).name).is_file()


def test_grafana_data_source_variables_are_set_in_the_grafana_service(services, env_example):
    text = (REPO / "include/grafana/provisioning/datasources/warehouse.yaml").read_text()
    (source,) = yaml.safe_load(text)["datasources"]
    env = {k: interpolate(v, env_example) for k, v in environment(services["grafana"]).items()}
    for name in re.findall(r"\$(\w+)", text):
        assert env.get(name), f"the data source reads ${name}, which the grafana service lacks"
    assert source["url"] == "warehouse:5432"
    assert source["jsonData"]["timescaledb"] is True, "the compose warehouse is TimescaleDB"
    assert env["WAREHOUSE_DB"] == interpolate(environment(services["warehouse"])["POSTGRES_DB"],
                                              env_example)
    warehouse_env = {k: interpolate(v, env_example)
                     for k, v in environment(services["warehouse"]).items()}
    for name in ("GRAFANA_WAREHOUSE_USER", "GRAFANA_WAREHOUSE_PASSWORD"):
        assert env[name] == warehouse_env[name], f"{name}: warehouse and Grafana disagree"
    initdb = {t: s for s, t in (container_path(v, env_example)
                                for v in services["warehouse"]["volumes"]
                                if str(v).startswith("."))}["/docker-entrypoint-initdb.d"]
    script = (REPO / initdb / "10-roles.sh").read_text()
    assert "ytempire_reader" in script and "GRAFANA_WAREHOUSE_PASSWORD" in script


# Defined by the Celery provider, which the official image ships and the dev venv lacks.
CELERY_PROVIDER_SETTINGS = {("celery", "broker_url"), ("celery", "result_backend")}


def test_environment_names_are_known_to_airflow_and_grafana(services):
    from airflow.configuration import conf

    for name, service in services.items():
        for key in environment(service):
            if key.startswith("AIRFLOW__"):
                section, _, option = key.removeprefix("AIRFLOW__").partition("__")
                section, option = section.lower(), option.lower()
                described = conf.configuration_description.get(section, {}).get("options", {})
                known = (section, option) in CELERY_PROVIDER_SETTINGS or option in described
                assert known or conf.has_option(section, option), (
                    f"{name}: Airflow has no setting [{section.lower()}] {option.lower()}"
                )
            elif key.startswith("GF_"):
                assert key in GRAFANA_ENV, f"{name}: {key} is not a Grafana setting used here"
