"""Exit codes of the ``iwm`` command, and the faults of the machine that have codes of their own.

A fault of the machine (the outputs folder cannot be written, a file stands where a folder
should, a read-only or full disk) is not a fault of the data: it gets one line naming the path
and the cause, no traceback, and a code of its own, so that a script or a scheduler can tell
"fix the data" from "fix the disk". Every write into ``outputs/`` goes through a staging file and
a rename, so such a fault never replaces or truncates a good report.

| code | meaning |
|---|---|
| 0 | success |
| 1 | a job (notebook) failed; the others ran |
| 2 | invalid parameters or data; nothing was run |
| 3 | a file stands where the toolkit needs a folder (``outputs/`` is a file, say) |
| 4 | permission denied: the folder cannot be written by this user |
| 5 | the disk (file system) is read-only |
| 6 | the disk is full (or the user's quota is spent) |
| 7 | another ``iwm run`` holds the study's lock |
| 130 | interrupted (Ctrl+C); finished jobs were kept |
"""

from __future__ import annotations

import errno
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_NOT_A_FOLDER = 3
EXIT_NO_PERMISSION = 4
EXIT_READ_ONLY = 5
EXIT_DISK_FULL = 6
EXIT_LOCKED = 7
EXIT_INTERRUPTED = 130

#: errno -> (exit code, cause in words).
_CAUSES: dict[int, tuple[int, str]] = {
    errno.ENOSPC: (EXIT_DISK_FULL, "the disk is full (no space left on the device)"),
    errno.EDQUOT: (EXIT_DISK_FULL, "the disk quota is spent"),
    errno.EROFS: (EXIT_READ_ONLY, "the disk is read-only"),
    errno.EACCES: (EXIT_NO_PERMISSION, "permission denied (this user may not write there)"),
    errno.EPERM: (EXIT_NO_PERMISSION, "permission denied (this user may not write there)"),
    errno.ENOTDIR: (EXIT_NOT_A_FOLDER, "a file stands where a folder is needed"),
    errno.EEXIST: (EXIT_NOT_A_FOLDER, "a file stands where a folder is needed"),
    errno.EISDIR: (EXIT_NOT_A_FOLDER, "a folder stands where a file is needed"),
}


class MachineFault(Exception):
    """The machine, not the data, stopped the command: a path, a cause and an exit code."""

    def __init__(self, path: Path | str, cause: str, code: int):
        self.path, self.cause, self.code = str(path), cause, code
        super().__init__(f"{self.path}: {cause}")

    def line(self, command: str) -> str:
        """The one line the user sees."""
        return (
            f"{command}: cannot write {self.path}: {self.cause}. Nothing good in outputs/ was "
            "replaced or removed."
        )


def machine_fault(exc: OSError, path: Path | str | None = None) -> MachineFault | None:
    """The fault an OSError stands for, or None when it is not one of the machine faults."""
    known = _CAUSES.get(exc.errno or -1)
    if known is None:
        return None
    where = path or exc.filename or "the outputs folder"
    code, cause = known
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and where != "?":
        # name the file that is in the way, not the path below it
        p = Path(where)
        for candidate in (p, *p.parents):
            if candidate.exists() and not candidate.is_dir():
                where = candidate
                break
        else:
            return None  # EEXIST for something other than a file in the way
    return MachineFault(where, cause, code)
