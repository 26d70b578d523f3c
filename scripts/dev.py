"""One entry point for editors: set up a virtual environment, then serve the site or run the tests.

    python scripts/dev.py serve [--port N] [mkdocs serve options]   # preview at http://127.0.0.1:8000
    python scripts/dev.py test [pytest options]                     # every test, as CI runs them
    python scripts/dev.py build [mkdocs build options]              # the static site in site/
    python scripts/dev.py check                                     # kb.py check, faq --check, laws --check

Needs only Python 3.11+ with pip. It creates `.venv/` in the repository on first use and
reinstalls the pinned requirements only when a requirements file changes. Ctrl-C (or SIGTERM to
this script) stops the command and every process it started.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import venv
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = {"serve": "requirements.txt", "build": "requirements.txt", "check": "requirements.txt", "test": "requirements-dev.txt"}
DEFAULT_ADDR = "127.0.0.1:8000"  # MkDocs' default dev_addr
GRACE_SECONDS = 5.0  # after Ctrl-C/SIGTERM: time to stop cleanly before SIGTERM, then SIGKILL


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirements_digest(name: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("requirements*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(name.encode())
    return digest.hexdigest()


def ensure_environment(requirements: str) -> Path:
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{requirements}"
    wanted = requirements_digest(requirements)
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != wanted:
        print(f"Installing {requirements} ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(ROOT / requirements)], check=True, cwd=ROOT)
        stamp.write_text(wanted, encoding="utf-8")
    return python


# --- serve: the address, checked before anything is built ------------------------------------------


class UsageError(Exception):
    """A one-line message for the editor; dev.py exits with 2."""


def serve_address(args: list[str]) -> tuple[str, int, list[str]]:
    """(host, port, mkdocs serve arguments) from dev.py's serve arguments. The address is `-a
    HOST:PORT` if given, else mkdocs.yml's `dev_addr`, else MkDocs' default; `--port N` replaces its
    port. The arguments name it explicitly, so MkDocs serves exactly the address that was checked."""
    rest: list[str] = []
    addr: str | None = None
    port: str | None = None
    i = 0
    while i < len(args):
        arg, name, value, step = args[i], "", "", 1
        if arg in ("-a", "--dev-addr", "--port"):
            if i + 1 >= len(args):
                raise UsageError(f"{arg} needs a value")
            name, value, step = ("port" if arg == "--port" else "addr"), args[i + 1], 2
        elif arg.startswith(("--dev-addr=", "--port=")):
            name, value = ("port" if arg.startswith("--port") else "addr"), arg.split("=", 1)[1]
        elif arg.startswith("-a") and len(arg) > 2:
            name, value = "addr", arg[2:].removeprefix("=")
        if name == "addr":
            addr = value
        elif name == "port":
            port = value
        else:
            rest.append(arg)
        i += step
    if addr is None:
        config = ROOT / "mkdocs.yml"
        found = re.search(r"^dev_addr:\s*['\"]?([^'\"\s#]+)", config.read_text(encoding="utf-8"), re.MULTILINE) if config.is_file() else None
        addr = found.group(1) if found else DEFAULT_ADDR
    host, sep, addr_port = addr.rpartition(":")
    if not sep or not host:
        raise UsageError(f"address {addr!r} is not HOST:PORT (for example -a 127.0.0.1:8001)")
    chosen = port if port is not None else addr_port
    if not chosen.isdigit() or not 0 < int(chosen) < 65536:
        raise UsageError(f"port {chosen!r} is not a number from 1 to 65535")
    return host, int(chosen), ["-a", f"{host}:{chosen}", *rest]


def port_free(host: str, port: int) -> OSError | None:
    """None if a server could listen on host:port now, else the error binding it gave."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        if os.name != "nt":  # as MkDocs' server does: a port in TIME_WAIT is free
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            return exc
    return None


def check_port(host: str, port: int) -> str | None:
    """The one-line message when host:port cannot be served, naming the fix."""
    error = port_free(host, port)
    if error is None:
        return None
    if isinstance(error, socket.gaierror) or getattr(error, "errno", None) not in (errno.EADDRINUSE, 10048):  # 10048: Windows' WSAEADDRINUSE
        return f"dev.py: cannot serve on {host}:{port} ({error.strerror or error}); choose another address with -a HOST:PORT"
    spare = next((p for p in range(port + 1, min(port + 50, 65536)) if port_free(host, p) is None), port + 1)
    return f"dev.py: port {port} on {host} is already in use (is another preview still running?); use another one: python scripts/dev.py serve --port {spare}  (or -a {host}:{spare})"


# --- running the command in its own process group ----------------------------------------------


def _foreground(fd: int, pgid: int) -> bool:
    """Make pgid the terminal's foreground group, as a shell does; False if we may not."""
    try:
        if os.tcgetpgrp(fd) != os.getpgrp():
            return False
        previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            os.tcsetpgrp(fd, pgid)
        finally:
            signal.signal(signal.SIGTTOU, previous)
    except OSError:
        return False
    return True


def run(args: list[str], env: dict[str, str]) -> int:
    """Run a command from the repository root; on POSIX in a process group of its own, so that
    Ctrl-C or SIGTERM (SIGHUP) to dev.py stops it and everything it started: SIGINT first (MkDocs
    and pytest stop cleanly), then SIGTERM, then SIGKILL, GRACE_SECONDS apart."""
    if os.name != "posix":
        return subprocess.run(args, cwd=ROOT, env=env, check=False).returncode
    stopping: list[int] = []  # the signals dev.py received
    escalation = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    group: list[int] = []  # the command's process group, once it runs
    deadline = [0.0]

    def send_next() -> None:
        if group and escalation:
            try:
                os.killpg(group[0], escalation.pop(0))
            except ProcessLookupError:
                pass
        deadline[0] = time.monotonic() + GRACE_SECONDS

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)
        send_next()

    # Handlers first: the command then starts with default signal handling even where dev.py was
    # started with SIGINT ignored (a background job of a script), so Ctrl-C stops it cleanly.
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    terminal: int | None = None
    try:
        child = subprocess.Popen(args, cwd=ROOT, env=env, process_group=0)
        group.append(child.pid)
        if stopping:
            send_next()
        # In a terminal the command gets the keyboard: Ctrl-C reaches it directly, and pytest --pdb
        # can read. SIGCONT in case it tried to read before it had the terminal.
        if sys.stdin is not None and sys.stdin.isatty() and _foreground(sys.stdin.fileno(), child.pid):
            terminal = sys.stdin.fileno()
            os.killpg(child.pid, signal.SIGCONT)
        while True:
            try:
                code = child.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if stopping and time.monotonic() > deadline[0]:
                    send_next()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if group:
            try:
                os.killpg(group[0], signal.SIGKILL)  # whatever the command left behind in its group
            except ProcessLookupError:
                pass
        if terminal is not None:
            ignore = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            try:
                os.tcsetpgrp(terminal, os.getpgrp())
            except OSError:
                pass
            finally:
                signal.signal(signal.SIGTTOU, ignore)
    return 128 + stopping[0] if stopping else code


def command_line(command: str, python: Path, rest: list[str]) -> list[list[str]]:
    """The commands dev.py runs for a subcommand, in order."""
    if command == "test":
        return [[str(python), "-m", "pytest", "-rs", *rest]]  # -rs: every skipped test with its reason
    if command == "check":
        kb = str(ROOT / "scripts" / "kb.py")
        return [[str(python), kb, "check", *rest], [str(python), kb, "faq", "--check"], [str(python), kb, "laws", "--check"]]
    return [[str(python), "-m", "mkdocs", command, *rest]]


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print("Python 3.11 or newer is needed (Material for MkDocs 9.8 requires it).", file=sys.stderr)
        return 2
    if not argv or argv[0] not in REQUIREMENTS:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "serve" and not {"-h", "--help"} & set(rest):
        # Before installing or building anything: a taken port is one line, not a traceback later.
        try:
            host, port, rest = serve_address(rest)
        except UsageError as exc:
            print(f"dev.py: {exc}", file=sys.stderr)
            return 2
        problem = check_port(host, port)
        if problem:
            print(problem, file=sys.stderr)
            return 1
    python = ensure_environment(REQUIREMENTS[command])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    failed = 0
    for args in command_line(command, python, rest):
        if command == "check":
            print("$ python " + " ".join(Path(a).relative_to(ROOT).as_posix() if a.endswith("kb.py") else a for a in args[1:]), flush=True)
        code = run(args, env)
        if code >= 128:
            return code  # interrupted: stop here
        failed = failed or code
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
