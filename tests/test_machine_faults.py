"""Faults of the machine, not the data: each gives one line naming the path and the cause, an
exit code of its own, no traceback, and nothing good in outputs/ is lost.

The read-only and full disks are real: a small tmpfs mounted for the test (root may mount here;
where it may not, those tests are skipped and the simulated ones below still run). Permission
denied is real too: `iwm run` is started without the power to override file permissions.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from mini_study import make_mini_study

from iwm_study.exits import (
    EXIT_DISK_FULL,
    EXIT_LOCKED,
    EXIT_NO_PERMISSION,
    EXIT_NOT_A_FOLDER,
    EXIT_READ_ONLY,
    machine_fault,
)

IWM = str(Path(sys.executable).with_name("iwm"))


def iwm(*args: str, drop_override: bool = False) -> subprocess.CompletedProcess:
    command = [IWM, *args]
    if drop_override:
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--", *command]
    env = {**os.environ, "HOME": tempfile.gettempdir(), "MPLCONFIGDIR": tempfile.gettempdir()}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


def outputs_digest(root: Path) -> dict[str, str]:
    out = root / "outputs"
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".staging" not in p.parts and not p.name.endswith(".lock")
    }


def assert_one_clean_line(result: subprocess.CompletedProcess, path: str, cause: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("iwm run: cannot")]
    assert len(lines) == 1, result.stderr
    assert path in lines[0] and cause in lines[0], lines[0]


@pytest.fixture
def tmpfs():
    """A 4 MiB tmpfs, or a skip where this machine does not let the test mount one."""
    mount = Path(tempfile.mkdtemp(prefix="iwm-tmpfs-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root): " + done.stderr.decode()[:200])
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    shutil.rmtree(mount, ignore_errors=True)


def test_a_file_where_outputs_should_be(tmp_path: Path) -> None:
    study = make_mini_study(tmp_path / "mini")
    (study / "outputs").write_text("not a folder", encoding="utf-8")
    result = iwm("run", "--project", str(study))
    assert result.returncode == EXIT_NOT_A_FOLDER
    assert_one_clean_line(result, str(study / "outputs"), "a file stands where a folder is needed")
    assert (study / "outputs").read_text(encoding="utf-8") == "not a folder"


def test_read_only_disk_keeps_the_reports(tmpfs: Path) -> None:
    study = make_mini_study(tmpfs / "mini")
    assert iwm("run", "--project", str(study)).returncode == 0
    before = outputs_digest(study)
    assert "index.html" in before and "ganja/n_region.html" in before
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    result = iwm("run", "--force", "--project", str(study))
    assert result.returncode == EXIT_READ_ONLY
    assert_one_clean_line(result, str(study / "outputs"), "the disk is read-only")
    assert outputs_digest(study) == before


def test_full_disk_keeps_the_reports(tmpfs: Path) -> None:
    study = make_mini_study(tmpfs / "mini")
    assert iwm("run", "--project", str(study)).returncode == 0
    before = outputs_digest(study)
    # Fill the disk to the last block, unbuffered: a buffered file would keep the part of the
    # last block that did not fit and fail again when closed.
    with open(tmpfs / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    result = iwm("run", "--force", "--project", str(study))
    assert result.returncode == EXIT_DISK_FULL, result.stderr
    assert_one_clean_line(result, str(study / "outputs"), "the disk is full")
    assert outputs_digest(study) == before
    # with room again, the next run works and tidies up
    (tmpfs / "filler").unlink()
    assert iwm("run", "--force", "--project", str(study)).returncode == 0
    assert not (study / "outputs" / ".staging").exists()


def test_permission_denied(tmp_path: Path) -> None:
    """outputs/ that this user may not write: root without its power to override file
    permissions (the capability dac_override dropped), so the test needs no second user."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to drop the capability to override permissions")
    study = make_mini_study(tmp_path / "mini")
    (study / "outputs").mkdir()
    os.chmod(study / "outputs", 0o555)
    try:
        result = iwm("run", "--project", str(study), drop_override=True)
        assert result.returncode == EXIT_NO_PERMISSION, result.stderr
        assert_one_clean_line(result, str(study / "outputs"), "permission denied")
        assert list((study / "outputs").iterdir()) == []
    finally:
        os.chmod(study / "outputs", 0o755)


def test_every_fault_has_its_own_code() -> None:
    """The mapping from the system's error numbers, checked without a disk to break."""
    codes = {
        errno.ENOSPC: EXIT_DISK_FULL,
        errno.EDQUOT: EXIT_DISK_FULL,
        errno.EROFS: EXIT_READ_ONLY,
        errno.EACCES: EXIT_NO_PERMISSION,
        errno.EPERM: EXIT_NO_PERMISSION,
    }
    for number, code in codes.items():
        fault = machine_fault(OSError(number, os.strerror(number)), "/some/outputs")
        assert fault is not None and fault.code == code and fault.path == "/some/outputs"
    assert machine_fault(OSError(errno.EINVAL, "invalid")) is None  # a bug, not the machine
    assert (
        len({EXIT_NOT_A_FOLDER, EXIT_NO_PERMISSION, EXIT_READ_ONLY, EXIT_DISK_FULL, EXIT_LOCKED})
        == 5
    )


def test_init_and_template_report_a_read_only_disk_in_one_line(tmpfs: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    for args in (["init", str(tmpfs / "study")], ["template", str(tmpfs / "survey.xlsx")]):
        result = iwm(*args)
        assert result.returncode == EXIT_READ_ONLY, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert "the disk is read-only" in result.stderr
