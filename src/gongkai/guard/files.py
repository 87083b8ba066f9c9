"""Only regular files are read: what a path names is checked by type before it is opened.

A FIFO blocks the open, ``/dev/zero`` and ``/dev/urandom`` never end, a socket cannot be
read at all: each is refused by its ``stat`` type, with a Chinese message. Symbolic links
are followed only to a regular file (``os.stat`` follows them; a loop is its own error).
Folders are walked without following links to folders, and never twice (a bind mount or a
link loop cannot make a walk go round).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator

from ..errors import GongkaiError, InputTooLarge, NotARegularFile

_KINDS = (
    (stat.S_ISDIR, "这是一个文件夹，不是文件"),
    (stat.S_ISFIFO, "这是一个命名管道（FIFO），不是普通文件，已拒绝读取"),
    (stat.S_ISCHR, "这是一个字符设备（如 /dev/zero），不是普通文件，已拒绝读取"),
    (stat.S_ISBLK, "这是一个块设备，不是普通文件，已拒绝读取"),
    (stat.S_ISSOCK, "这是一个套接字，不是普通文件，已拒绝读取"),
)
_ERRNO = {
    errno.ENOENT: "文件不存在",
    errno.ELOOP: "符号链接形成循环（或层数过多），无法读取",
    errno.EACCES: "没有读取此文件的权限",
    errno.EPERM: "没有读取此文件的权限",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一段不是文件夹",
}


def os_message(e: OSError) -> str:
    """A Chinese message for an operating-system error on a file."""
    return _ERRNO.get(e.errno or 0) or f"无法读取文件：{e.strerror or e}"


def regular_file(path: str) -> os.stat_result:
    """The stat of ``path`` (links followed) if it is a regular file; a Chinese error otherwise."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise (GongkaiError if e.errno == errno.ENOENT else NotARegularFile)(os_message(e), path) from None
    except ValueError:  # a NUL byte in the name
        raise NotARegularFile("文件名中含有空字符，无法读取", path) from None
    if not stat.S_ISREG(st.st_mode):
        for test, message in _KINDS:
            if test(st.st_mode):
                raise NotARegularFile(message, path)
        raise NotARegularFile("不是普通文件，已拒绝读取", path)
    return st


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (the type checked again on the
    open file: the name could be swapped for a FIFO between the stat and the open)."""
    st = regular_file(path)
    if st.st_size > limit:
        raise InputTooLarge(f"文件大小 {st.st_size // 1048576} MB 超过上限 {limit // 1048576} MB", path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise NotARegularFile(os_message(e), path) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile("不是普通文件，已拒绝读取", path)
        try:
            data = fh.read(limit + 1)
        except OSError as e:
            raise NotARegularFile(os_message(e), path) from None
    if len(data) > limit:  # it grew since the stat
        raise InputTooLarge(f"文件大小超过上限 {limit // 1048576} MB", path)
    return data


def walk(top: str) -> Iterator[str]:
    """The files under ``top``, in name order, hidden ones skipped; links to folders are not
    followed and no folder is entered twice."""
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(e.path)
            elif not _links_to_folder(e):
                yield e.path  # a link to a device, a loop or nowhere too: its failure is recorded
        stack.extend(reversed(subdirs))


def _links_to_folder(e: os.DirEntry[str]) -> bool:
    try:
        return e.is_symlink() and e.is_dir()
    except OSError:
        return False
