"""Files and folders for this user only: what the project writes under var/.

The case and conversation databases (SQLite in development) and the development mailbox
hold personal data. Each file is made with mode 0600 and each folder the project makes
with 0700, whatever the process's umask; a file of ours found with a looser mode is
tightened when it is opened again. SQLite gives its journal and WAL files the mode of
the database file, so a database made here keeps them private too.
"""

import os
import stat
from pathlib import Path
from typing import Optional, Union

from sqlalchemy.engine import make_url

FILE_MODE = 0o600
FOLDER_MODE = 0o700
PathLike = Union[str, Path]


def private_folder(path: PathLike) -> Path:
    """The folder, made (with any missing parents) for this user only. A folder that
    already exists is left as it is: it may be somebody else's."""
    path = missing_from = Path(path)
    missing = []
    while not missing_from.exists() and missing_from.parent != missing_from:
        missing.append(missing_from)
        missing_from = missing_from.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # another process made it a moment ago
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is narrowed by the umask, not widened
    return path


def _tighten(path: Path) -> None:
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)


def private_file(path: PathLike, make_folders: bool = True) -> Path:
    """The file, made empty if missing (never truncated), readable by its owner only."""
    path = Path(path)
    if make_folders:
        private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(descriptor)
    _tighten(path)
    return path


def write_private(path: PathLike, content: bytes) -> Path:
    """Write the file (replacing what it held), readable by its owner only."""
    path = private_file(path)
    with open(os.open(path, os.O_WRONLY | os.O_TRUNC), "wb") as handle:
        handle.write(content)
    return path


def sqlite_path(url: str) -> Optional[Path]:
    """The file of an SQLite URL, or None (another database, in memory, a URI)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:") \
            or database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(database)


def private_sqlite(url: str) -> None:
    """Make an SQLite database's file private before SQLite makes it with the umask's
    mode. Missing folders are made for a relative path (var/cases.sqlite3, under the
    folder it is taken from); for an absolute path whose folder is missing SQLite fails
    as it would have (a mistyped path is an error, not a new folder)."""
    path = sqlite_path(url)
    if path is None:
        return
    relative = not path.is_absolute()
    if relative or path.parent.is_dir():
        private_file(path, make_folders=relative)
