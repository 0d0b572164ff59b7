"""The cache folder and its files opened first and checked as opened, so no swap after a check can plant a pickle."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = ["CacheFolder", "UnsafeCache"]

# Where the platform can open a file relative to an open folder (not on Windows), every name is reached through
# the folder's descriptor: renaming folders in the path after the check then changes nothing this process opens.
_RELATIVE = os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
# Never follow a planted symbolic link to a file, never take a terminal as the controlling one, never hang on a FIFO.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class UnsafeCache(Exception):
    """The cache folder or a file in it may not be trusted (or cannot be opened); the message says why."""


def _problem(info: os.stat_result, path: Path, *, kind: str) -> str | None:
    """Why what `info` describes may not hold a pickle this process loads; None when it may."""
    is_kind = stat.S_ISDIR if kind == "folder" else stat.S_ISREG
    if not is_kind(info.st_mode):
        return f"{path} is not a {'folder' if kind == 'folder' else 'regular file'}"
    if not hasattr(os, "geteuid"):
        return None  # Windows: the per-user cache folder is private by default; there are no POSIX modes to check
    if info.st_uid != os.geteuid():
        return f"{path} belongs to another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{path} is writable by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None


class CacheFolder:
    """The cache folder held open after its check: each file is opened through it, then checked as opened."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def open(cls, path: Path, *, create: bool) -> CacheFolder:
        """The folder opened and checked (this user's, writable by no one else); UnsafeCache saying why not.
        A symbolic link to the folder itself is followed: what is checked is the folder it led to, as opened."""
        if create:
            try:
                path.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as error:
                raise UnsafeCache(f"cannot create {path} ({error.strerror or error})") from error
        if not _RELATIVE:
            try:
                problem = _problem(path.stat(), path, kind="folder")
            except FileNotFoundError:
                raise
            except OSError as error:
                raise UnsafeCache(f"cannot inspect {path} ({error.strerror or error})") from error
            if problem:
                raise UnsafeCache(problem)
            return cls(path, None)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
        except FileNotFoundError:
            raise  # no folder yet: nothing cached, which is no problem
        except OSError as error:
            raise UnsafeCache(f"cannot open {path} ({error.strerror or error})") from error
        folder = cls(path, fd)
        problem = _problem(os.fstat(fd), path, kind="folder")
        if problem:
            folder.close()
            raise UnsafeCache(problem)
        return folder

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CacheFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _at(self, name: str) -> dict[str, int]:
        return {"dir_fd": self._fd} if self._fd is not None else {}

    def _name(self, name: str) -> str | Path:
        return name if self._fd is not None else self.path / name

    def open_trusted(self, name: str) -> BinaryIO | None:
        """The file `name` opened for reading and then checked (a regular file, this user's, writable by no one
        else, not a symbolic link); None when there is none; UnsafeCache when it may not be trusted."""
        try:
            fd = os.open(self._name(name), _READ_FLAGS | _CLOEXEC, **self._at(name))
        except FileNotFoundError:
            return None
        except OSError as error:
            # ELOOP: a symbolic link where the file should be, which is never followed.
            raise UnsafeCache(f"cannot open {self.path / name} ({error.strerror or error})") from error
        try:
            problem = _problem(os.fstat(fd), self.path / name, kind="file")
            if problem:
                raise UnsafeCache(problem)
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def create_new(self, name: str) -> BinaryIO:
        """A new file `name`, readable and writable by this user only whatever the umask; never an existing one."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC
        return os.fdopen(os.open(self._name(name), flags, 0o600, **self._at(name)), "wb")

    def replace(self, source: str, target: str) -> None:
        """`source` renamed over `target`, whole or not at all."""
        if self._fd is None:
            os.replace(self.path / source, self.path / target)
        else:
            os.replace(source, target, src_dir_fd=self._fd, dst_dir_fd=self._fd)

    def names(self) -> list[str]:
        return os.listdir(self._fd if self._fd is not None else self.path)

    def modified(self, name: str) -> float:
        return os.stat(self._name(name), follow_symlinks=False, **self._at(name)).st_mtime

    def unlink(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._name(name), **self._at(name))
