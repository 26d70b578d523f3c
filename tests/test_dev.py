"""scripts/dev.py, the README's commands: a taken port is one line with the fix and nothing is
built; stopping dev.py stops its whole process group; the preview watches data/ and overrides/;
the test command shows why tests were skipped."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sitebuild import ROOT

DEV = ROOT / "scripts" / "dev.py"
posix_only = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")


def _load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", DEV)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = _load_dev()


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 that something is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


# --- a taken port --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", [["--port", "{port}"], ["-a", "127.0.0.1:{port}"], ["--dev-addr=127.0.0.1:{port}"]])
def test_a_taken_port_is_one_line_with_the_fix_before_any_build(taken_port: int, how: list[str]) -> None:
    args = [a.format(port=taken_port) for a in how]
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(DEV), "serve", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert result.stdout == "", f"dev.py did something before reporting the port: {result.stdout!r}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{result.stderr}"
    assert f"port {taken_port}" in lines[0] and "--port" in lines[0] and "-a 127.0.0.1:" in lines[0], lines[0]
    assert elapsed < 10, f"dev.py took {elapsed:.1f} s to report a taken port (did it build first?)"


def test_the_suggested_port_is_free(taken_port: int) -> None:
    message = dev.check_port("127.0.0.1", taken_port)
    suggested = int(message.split("--port ")[1].split()[0])
    assert suggested != taken_port and dev.port_free("127.0.0.1", suggested) is None
    assert dev.check_port("127.0.0.1", free_port()) is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ("127.0.0.1", 8000, ["-a", "127.0.0.1:8000"])),
        (["--port", "8001", "--dirty"], ("127.0.0.1", 8001, ["-a", "127.0.0.1:8001", "--dirty"])),
        (["-a", "0.0.0.0:9000"], ("0.0.0.0", 9000, ["-a", "0.0.0.0:9000"])),
        (["-alocalhost:9001", "--port=9002"], ("localhost", 9002, ["-a", "localhost:9002"])),
    ],
)
def test_serve_address(args: list[str], expected: tuple[str, int, list[str]]) -> None:
    assert dev.serve_address(args) == expected


@pytest.mark.parametrize("args", [["--port"], ["--port", "http"], ["--port", "70000"], ["-a", "8000"]])
def test_a_bad_address_is_a_usage_error(args: list[str]) -> None:
    result = subprocess.run([sys.executable, str(DEV), "serve", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and result.stderr.startswith("dev.py: "), result.stderr


# --- stopping --------------------------------------------------------------------------------------

# A command that starts a grandchild in its group, serves a port, and reports the pids. With
# "stubborn" both ignore SIGINT and SIGTERM: only the final SIGKILL of the group stops them.
_COMMAND = """
import os, signal, socket, subprocess, sys, time
stubborn = sys.argv[2] == "stubborn"
if stubborn:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
code = "import signal, time\\n" + ("signal.signal(signal.SIGINT, signal.SIG_IGN); signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n" if stubborn else "") + "time.sleep(600)"
grandchild = subprocess.Popen([sys.executable, "-c", code])
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
open(sys.argv[1] + ".tmp", "w").write(f"{os.getpid()} {grandchild.pid} {server.getsockname()[1]}")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)
"""
_HARNESS = (
    "import sys; sys.path.insert(0, {scripts!r}); import dev; dev.GRACE_SECONDS = 1.0; sys.exit(dev.run([sys.executable, '-c', {command!r}, {report!r}, {mode!r}], dict(__import__('os').environ)))"
)


@posix_only
@pytest.mark.parametrize(("signum", "mode"), [(signal.SIGTERM, "polite"), (signal.SIGINT, "polite"), (signal.SIGTERM, "stubborn")])
def test_stopping_dev_py_stops_its_whole_process_group(tmp_path: Path, signum: int, mode: str) -> None:
    report = tmp_path / "pids"
    harness = _HARNESS.format(scripts=str(ROOT / "scripts"), command=_COMMAND, report=str(report), mode=mode)
    runner = subprocess.Popen([sys.executable, "-c", harness], stdin=subprocess.DEVNULL)
    try:
        assert wait_for(report.exists, 30), "the command never started"
        child, grandchild, port = map(int, report.read_text().split())
        assert os.getpgid(child) == child != os.getpgid(runner.pid), "the command is not in a process group of its own"
        assert os.getpgid(grandchild) == child and listening(port)
        runner.send_signal(signum)
        code = runner.wait(timeout=30)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert code == 128 + signum, f"dev.py exited with {code}"
    assert wait_for(lambda: not alive(child) and not alive(grandchild), 10), f"left running: {[p for p in (child, grandchild) if alive(p)]}"
    assert not group_members(child) and not listening(port)


@posix_only
def test_sigterm_stops_the_preview_and_frees_its_port(tmp_path: Path) -> None:
    """The real `dev.py serve` (a tiny project): SIGTERM leaves no `mkdocs serve` on the port."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hello\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Tiny\ntheme: mkdocs\n", encoding="utf-8")
    port = free_port()
    preview = subprocess.Popen(
        [sys.executable, str(DEV), "serve", "--port", str(port), "-f", str(tmp_path / "mkdocs.yml")], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert wait_for(lambda: listening(port) or preview.poll() is not None, 120), "the preview did not start"
        assert preview.poll() is None, preview.communicate()[0]
        children = [int(p) for p in Path(f"/proc/{preview.pid}/task/{preview.pid}/children").read_text().split()]
        assert len(children) == 1 and os.getpgid(children[0]) == children[0]
        preview.send_signal(signal.SIGTERM)
        output = preview.communicate(timeout=30)[0]
    finally:
        if preview.poll() is None:
            preview.kill()
    assert preview.returncode == 128 + signal.SIGTERM
    assert "Shutting down" in output, f"mkdocs serve was not stopped cleanly:\n{output[-2000:]}"
    assert not group_members(children[0]) and not listening(port)


# --- watching and the test command ------------------------------------------------------------------


def test_the_preview_watches_data_and_overrides() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    watched = {Path(p).resolve() for p in config.watch}
    assert {ROOT / "data", ROOT / "overrides"} <= watched, f"mkdocs.yml watch: {sorted(map(str, watched))}"


def test_the_test_command_shows_skip_reasons() -> None:
    (command,) = dev.command_line("test", Path("python"), ["-q"])
    assert command[1:3] == ["-m", "pytest"] and "-rs" in command


def test_check_runs_the_three_content_checks_on_the_committed_files() -> None:
    commands = dev.command_line("check", Path("python"), [])
    assert [c[2:] for c in commands] == [["check"], ["faq", "--check"], ["laws", "--check"]]
    assert all(c[1].endswith("kb.py") for c in commands)
