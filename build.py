#!/usr/bin/env python3
"""Build the portal: `python build.py --help` lists the commands.

Run with a Python that lacks our libraries (a fresh machine's `python3`), it installs
them once into `.venv/` beside this file and runs again with that environment.
"""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
RETRIED = "SITE_GENERATOR_BOOTSTRAPPED"      # set on the second run: never loop


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def bootstrap(missing: str) -> int:
    """Install the dependencies into .venv/ (once) and run this command again there."""
    python = venv_python()
    if os.environ.get(RETRIED) or Path(sys.prefix).resolve() == VENV.resolve():     # already in .venv
        sys.stderr.write(f"Thiếu thư viện `{missing}` (missing `{missing}`). Cài đặt lại:\n"
                         f"  {python} -m pip install -e {HERE}\n")
        return 2
    if not python.exists() or subprocess.run([str(python), "-c", "import site_generator.cli"],
                                             capture_output=True).returncode != 0:
        sys.stderr.write(f"Lần chạy đầu: đang cài các thư viện cần thiết vào {VENV} (một lần, cần mạng)…\n"
                         f"First run: installing the libraries into {VENV} (once, needs the network)…\n")
        steps = ([[sys.executable, "-m", "venv", str(VENV)]] if not python.exists() else []) + [
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", str(HERE)]]
        for step in steps:
            if subprocess.run(step, stdout=sys.stderr).returncode != 0:
                sys.stderr.write("Không cài được thư viện (could not install). Thử tự cài:\n"
                                 f"  python3 -m venv {VENV} && {python} -m pip install -e {HERE}\n")
                return 2
    sys.stderr.flush()
    command = [str(python), str(Path(__file__).resolve()), *sys.argv[1:]]
    environment = {**os.environ, RETRIED: "1"}
    if os.name == "posix":
        os.execve(command[0], command, environment)       # becomes that process: Ctrl+C, exit code as usual
    return subprocess.run(command, env=environment).returncode


try:
    from site_generator.cli import entry
except ModuleNotFoundError as missing:        # a Python without our libraries
    if (missing.name or "").startswith("site_generator"):
        raise                                   # our own bug, not a missing install
    if __name__ == "__main__":
        sys.exit(bootstrap(missing.name or "?"))
    raise

if __name__ == "__main__":
    entry()
