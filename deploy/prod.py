"""The production profile on this machine, on loopback.

    python -m deploy.prod up [--replicas N]    (make prod-up)
    python -m deploy.prod down                 (make prod-down)
    python -m deploy.prod status

`up` installs what is missing from Debian's packages (postgresql, redis-server, nginx),
then starts: PostgreSQL with the conversations and the cases, Redis as Rasa's lock store,
N Rasa replicas and two action servers behind nginx, the web server (demo page, chat
API, officers' queue, staff workbench), the mail worker and a local mail sink. Everything
it writes is under var/prod/: generated secrets (secrets.env, mode 0600), the settings
and endpoints the processes use, process ids and logs. `down` stops all of it.
docs/production.md says how to deploy the same shape for real.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Dict, List, Optional

import yaml

from core.settings import ACTION_TOKEN_VARIABLE, PROJECT_ROOT, action_endpoint
from processes.servers import (action_server_command, backend_environment, healthy,
                               rasa_server_command, wait_until_healthy)

PROD = PROJECT_ROOT / "var" / "prod"
RUN, LOGS = PROD / "run", PROD / "logs"
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"

PUBLIC_PORT = int(os.environ.get("PROD_PUBLIC_PORT", 8080))
ACTIONS_LB_PORT = int(os.environ.get("PROD_ACTIONS_PORT", 8081))
# Loopback-only doors: the web server reaches Rasa's replicas through RASA_LB_PORT, and the
# officers' and staff areas are served on STAFF_PORT, which a council keeps on its own
# network (or behind its single sign-on); families reach only PUBLIC_PORT.
RASA_LB_PORT = int(os.environ.get("PROD_RASA_PORT", 8082))
STAFF_PORT = int(os.environ.get("PROD_STAFF_PORT", 8083))
WEB_PORT = int(os.environ.get("PROD_WEB_PORT", 8090))
REDIS_PORT = int(os.environ.get("PROD_REDIS_PORT", 6380))
MAIL_SINK_PORT = int(os.environ.get("PROD_MAIL_PORT", 8026))
PG_PORT = int(os.environ.get("PROD_PG_PORT", 5432))
RASA_BASE_PORT, ACTIONS_BASE_PORT, ACTION_SERVERS = 5101, 5201, 2
DATABASES = ("assistant_trackers", "assistant_cases")
DEBIAN_PACKAGES = {"postgresql": "pg_ctlcluster", "redis-server": "redis-server",
                   "nginx": "nginx"}
# A dead replica's lock on a conversation is given up after this many seconds.
LOCK_LIFETIME_SECONDS = 20


class ProdError(RuntimeError):
    pass


@dataclass
class Service:
    name: str
    command: List[str]
    health_url: Optional[str]
    environment: Dict[str, str]


def run(command: List[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, **kwargs)


def as_root(command: List[str]) -> List[str]:
    return command if os.geteuid() == 0 else ["sudo", *command]


def as_postgres(command: List[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 \
        else ["sudo", "-u", "postgres", *command]


def install_missing_packages() -> None:
    missing = [package for package, program in DEBIAN_PACKAGES.items()
               if not shutil.which(program) and not Path("/usr/sbin", program).exists()]
    if not missing:
        return
    print(f"installing from Debian's packages: {' '.join(missing)}", flush=True)
    run(as_root(["apt-get", "update", "-qq"]))
    run(as_root(["apt-get", "install", "-y", "-qq", *missing]),
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)


def load_secrets() -> Dict[str, str]:
    """The generated passwords, made once and kept in var/prod/secrets.env (0600)."""
    path = PROD / "secrets.env"
    values: Dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            values[key] = value
    wanted = ("PROD_PG_PASSWORD", "PROD_REDIS_PASSWORD", "ASSISTANT_OFFICER_SECRET",
              ACTION_TOKEN_VARIABLE)
    if not all(key in values for key in wanted):
        values = {key: values.get(key) or secrets.token_urlsafe(32) for key in wanted}
        path.touch(mode=0o600)
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    return values


def start_postgres(password: str) -> None:
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not clusters.strip():
        run(as_root(["pg_createcluster", "15", "main", "-p", str(PG_PORT)]))
        clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    version, cluster, port, status = clusters.split()[:4]
    if int(port) != PG_PORT:
        raise ProdError(f"the PostgreSQL cluster {version}/{cluster} listens on {port}, "
                        f"not {PG_PORT}: set PROD_PG_PORT={port}")
    if status != "online":
        run(as_root(["pg_ctlcluster", version, cluster, "start"]))
    psql = as_postgres(["psql", "-p", str(PG_PORT), "-v", "ON_ERROR_STOP=1", "-qAtc"])
    role = subprocess.run(psql + ["SELECT 1 FROM pg_roles WHERE rolname='assistant'"],
                          capture_output=True, text=True, check=True).stdout.strip()
    verb = "ALTER" if role else "CREATE"
    run(psql + [f"{verb} ROLE assistant LOGIN PASSWORD '{password}'"])
    for database in DATABASES:
        exists = subprocess.run(psql + [f"SELECT 1 FROM pg_database WHERE datname='{database}'"],
                                capture_output=True, text=True, check=True).stdout.strip()
        if not exists:
            run(psql + [f"CREATE DATABASE {database} OWNER assistant"])


def redis_cli(password: str) -> List[str]:
    return ["redis-cli", "-p", str(REDIS_PORT), "--no-auth-warning", "-a", password]


def start_redis(password: str) -> None:
    (PROD / "redis").mkdir(exist_ok=True)
    config = PROD / "redis.conf"
    config.touch(mode=0o600)
    config.write_text(
        f"bind 127.0.0.1\nport {REDIS_PORT}\nrequirepass {password}\ndaemonize yes\n"
        f"pidfile {RUN / 'redis.pid'}\nlogfile {LOGS / 'redis.log'}\ndir {PROD / 'redis'}\n"
        # Locks are short-lived: nothing is worth keeping across a restart.
        'save ""\nappendonly no\n')
    if subprocess.run(redis_cli(password) + ["ping"], capture_output=True,
                      text=True).stdout.strip() != "PONG":
        run(["redis-server", str(config)])
        wait_for(lambda: subprocess.run(redis_cli(password) + ["ping"], capture_output=True,
                                        text=True).stdout.strip() == "PONG", "Redis", 20)


def stop_redis(password: str) -> None:
    subprocess.run(redis_cli(password) + ["shutdown", "nosave"], capture_output=True)


def write_settings(values: Dict[str, str]) -> Path:
    settings = yaml.safe_load((PROJECT_ROOT / "settings" / "assistant.yml").read_text())
    settings["web"].update(mode="production", port=WEB_PORT,
                               public_url=f"http://localhost:{STAFF_PORT}")
    settings["rasa"]["url"] = f"http://127.0.0.1:{RASA_LB_PORT}"
    settings["rasa"]["tracker_store_url"] = database_url(values, "assistant_trackers")
    settings["cases"]["database_url"] = database_url(values, "assistant_cases")
    settings["mail"]["smtp_port"] = MAIL_SINK_PORT
    settings["rate_limits"]["trust_forwarded_for"] = True  # nginx overwrites the header
    path = PROD / "settings.yml"
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True))
    return path


def database_url(values: Dict[str, str], database: str) -> str:
    return (f"postgresql://assistant:{values['PROD_PG_PASSWORD']}@127.0.0.1:{PG_PORT}/"
            f"{database}")


def write_endpoints(values: Dict[str, str]) -> Path:
    endpoints = {
        "action_endpoint": action_endpoint(f"http://127.0.0.1:{ACTIONS_LB_PORT}/webhook",
                                           values[ACTION_TOKEN_VARIABLE]),
        "tracker_store": {
            "type": "redaction.tracker_store.RedactingSQLTrackerStore",
            # Rasa passes `url` to a custom tracker store as its `host`.
            "dialect": "postgresql", "url": "127.0.0.1", "port": PG_PORT,
            "db": "assistant_trackers", "username": "assistant",
            "password": values["PROD_PG_PASSWORD"]},
        "lock_store": {"type": "redis", "url": "127.0.0.1", "port": REDIS_PORT,
                       "password": values["PROD_REDIS_PASSWORD"], "db": 0,
                       "key_prefix": "assistant"},
    }
    path = PROD / "endpoints.yml"
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def write_nginx_config(replicas: int) -> Path:
    template = Template((Path(__file__).parent / "nginx.conf.template").read_text())
    servers = lambda base, count: "\n".join(  # noqa: E731
        f"        server 127.0.0.1:{base + i} max_fails=1 fail_timeout=5s;" for i in range(count))
    path = PROD / "nginx.conf"
    path.write_text(template.substitute(
        run_dir=RUN, log_dir=LOGS, public_port=PUBLIC_PORT, actions_port=ACTIONS_LB_PORT,
        rasa_port=RASA_LB_PORT, staff_port=STAFF_PORT,
        web_port=WEB_PORT, rasa_servers=servers(RASA_BASE_PORT, replicas),
        action_servers=servers(ACTIONS_BASE_PORT, ACTION_SERVERS)))
    return path


def process_environment(settings: Path, values: Dict[str, str]) -> Dict[str, str]:
    """What every process of the profile is started with."""
    return {
        "ASSISTANT_SETTINGS": str(settings), "ASSISTANT_MODE": "production",
        "ASSISTANT_DATABASE_URL": database_url(values, "assistant_cases"),
        "ASSISTANT_TRACKER_STORE_URL": database_url(values, "assistant_trackers"),
        "ASSISTANT_OFFICER_SECRET": values["ASSISTANT_OFFICER_SECRET"],
        ACTION_TOKEN_VARIABLE: values[ACTION_TOKEN_VARIABLE],
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
        **backend_environment(),
    }


def services(replicas: int, settings: Path, endpoints: Path,
             values: Dict[str, str]) -> List[Service]:
    environment = process_environment(settings, values)
    python = [sys.executable, "-m"]
    found = [
        Service("mail-sink", python + ["casework.mail_sink", "--folder", str(PROD / "mailbox")],
                None, environment),
        Service("mail-worker", python + ["casework.mail_worker"], None, environment),
    ]
    found += [Service(f"actions-{i + 1}", action_server_command(ACTIONS_BASE_PORT + i),
                      f"http://127.0.0.1:{ACTIONS_BASE_PORT + i}/health", environment)
              for i in range(ACTION_SERVERS)]
    found += [rasa_replica(i, endpoints, environment) for i in range(replicas)]
    found.append(Service("web", python + ["web", "--port", str(WEB_PORT)],
                         f"http://127.0.0.1:{WEB_PORT}/health", environment))
    return found


def rasa_replica(index: int, endpoints: Path, environment: Dict[str, str]) -> Service:
    """Replica index (0-based); the fault tests restart one with the files `up` wrote."""
    port = RASA_BASE_PORT + index
    return Service(f"rasa-{index + 1}",
                   rasa_server_command(MODEL, port, endpoints),
                   f"http://127.0.0.1:{port}/", environment)


def start(service: Service) -> subprocess.Popen:
    log = (LOGS / f"{service.name}.log").open("a")
    process = subprocess.Popen(
        service.command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **service.environment, "PYTHONPATH": str(PROJECT_ROOT)},
        start_new_session=True)
    (RUN / f"{service.name}.pid").write_text(str(process.pid))
    return process


def wait_for(check, what: str, timeout: float) -> None:
    """Wait for a service that is not our child process (Redis, nginx)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise ProdError(f"{what} was not ready after {timeout:.0f} s: see {LOGS}")


def start_and_wait(service: Service) -> None:
    started = time.monotonic()
    process = start(service)
    if service.health_url:
        try:
            wait_until_healthy(service.health_url, process, 240)
        except (RuntimeError, TimeoutError) as error:
            raise ProdError(f"{service.name}: {error}; see {LOGS / f'{service.name}.log'}")
    print(f"  {service.name:<12} ready in {time.monotonic() - started:5.1f} s", flush=True)


def up(replicas: int) -> None:
    if not MODEL.exists():
        raise ProdError(f"no trained model at {MODEL}: run `make train` first")
    os.umask(0o077)  # secrets, settings, logs and databases' files: this user's only
    for folder in (PROD, RUN, LOGS):
        folder.mkdir(parents=True, exist_ok=True)
    # Started as root, nginx runs its workers as `nobody`: they must pass through to their
    # temporary folders under run/ (nginx makes those, theirs), without listing or
    # reading anything else here.
    for folder in (PROJECT_ROOT / "var", PROD, RUN):
        folder.chmod(0o711)
    install_missing_packages()
    values = load_secrets()
    start_postgres(values["PROD_PG_PASSWORD"])
    print(f"  postgresql   ready on 127.0.0.1:{PG_PORT}", flush=True)
    start_redis(values["PROD_REDIS_PASSWORD"])
    print(f"  redis        ready on 127.0.0.1:{REDIS_PORT}", flush=True)
    settings, endpoints = write_settings(values), write_endpoints(values)
    all_services = services(replicas, settings, endpoints, values)
    running = {s.name for s in all_services if process_alive(s.name)}
    for service in all_services:
        if service.name in running:
            print(f"  {service.name:<12} already running", flush=True)
        else:
            start_and_wait(service)
    nginx = write_nginx_config(replicas)
    run(["nginx", "-t", "-q", "-c", str(nginx)])
    if pid_of("nginx") and process_alive("nginx"):
        run(["nginx", "-c", str(nginx), "-s", "reload"])
    else:
        run(["nginx", "-c", str(nginx)])
    wait_for(lambda: healthy(f"http://127.0.0.1:{RASA_LB_PORT}/webhooks/rest/"), "nginx", 20)
    print(f"""
  The production profile is up ({replicas} Rasa replicas behind nginx).
  Demo page and chat:  http://localhost:{PUBLIC_PORT}/
  REST (load-balanced, loopback only): curl -s localhost:{RASA_LB_PORT}/webhooks/rest/webhook \\
                          -d '{{"sender":"me","message":"who do you share my data with"}}'
  Officers' queue:     http://localhost:{STAFF_PORT}/officer/  (production mode: add an
                       officer with `ASSISTANT_SETTINGS={settings} .venv/bin/python -m web set-password NAME`)
  Logs: {LOGS}/   Stop: make prod-down""", flush=True)


def pid_of(name: str) -> Optional[int]:
    path = RUN / f"{name}.pid"
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def process_alive(name: str) -> bool:
    pid = pid_of(name)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_process(name: str, timeout: float = 15) -> None:
    """Stop a started process (its whole process group) and forget its pid."""
    pid = pid_of(name)
    if pid is not None and process_alive(name):
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while process_alive(name) and time.monotonic() < deadline:
            time.sleep(0.2)
        if process_alive(name):
            os.killpg(pid, signal.SIGKILL)
    (RUN / f"{name}.pid").unlink(missing_ok=True)


def down() -> None:
    if not RUN.exists():
        print("the production profile is not running")
        return
    if process_alive("nginx"):
        subprocess.run(["nginx", "-c", str(PROD / "nginx.conf"), "-s", "stop"],
                       capture_output=True)
        (RUN / "nginx.pid").unlink(missing_ok=True)
    for pid_file in sorted(RUN.glob("*.pid")):
        name = pid_file.stem
        if name != "redis":
            stop_process(name)
            print(f"  stopped {name}")
    stop_redis(load_secrets()["PROD_REDIS_PASSWORD"])
    print("  stopped redis")
    # PostgreSQL is the machine's own service (its cluster holds the data): left running.
    print("  PostgreSQL left running (stop it with: pg_ctlcluster 15 main stop)")


def status() -> int:
    names = sorted(p.stem for p in RUN.glob("*.pid")) if RUN.exists() else []
    for name in names:
        print(f"  {name:<12} {'running' if process_alive(name) else 'stopped'}")
    return 0 if names and all(process_alive(n) for n in names) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--replicas", type=int, default=2)
    args = parser.parse_args()
    try:
        if args.command == "up":
            if args.replicas < 1:
                raise ProdError("--replicas must be at least 1")
            up(args.replicas)
        elif args.command == "down":
            down()
        else:
            return status()
    except (ProdError, subprocess.CalledProcessError) as error:
        print(f"prod: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
