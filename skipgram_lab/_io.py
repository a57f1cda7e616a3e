"""Writing files safely: checked targets, a temporary name beside them, renamed only on success.

Every file the package writes goes through :func:`atomic_write` (or
:func:`temporary_beside`), so the rules live in one place:

* :func:`check_output_path` refuses a target that is not a regular file (a
  directory, a FIFO, a device such as ``/dev/null``, a symbolic link, a file
  with other hard links), a target that is one of the inputs or another
  output, and a folder where the temporary file cannot be created (missing,
  read-only, a name too long). The command line calls it for every output
  before it reads the corpus, so no work is lost to a bad path.
* The bytes go to a hidden temporary file beside the target, are flushed to
  disk (``fsync``) and renamed onto the target: an interrupted write never
  leaves half a file and never destroys the previous good one.
* The new file gets the mode an ordinary ``open`` would give it (``0o666``
  minus the umask), or keeps the mode of the file it replaces.
* A temporary name carries the writer's process id; a later write to the same
  folder removes what a killed writer (``kill -9``) left behind.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import stat
from contextlib import contextmanager
from pathlib import Path

#: Longest file name most file systems accept (bytes).
_NAME_MAX = 255
_STALE = re.compile(r"^\.(?:.*)\.pid(\d+)\.[0-9a-f]{8}\.part$")


def _umask():
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def _describe(mode):
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return what
    return "not a regular file"


def _temporary_name(path):
    """``.<name>.pid<pid>.<8 hex>.part``, the name shortened to fit the file system's limit."""
    tail = f".pid{os.getpid()}.{secrets.token_hex(4)}.part"
    name = path.name
    while len(("." + name + tail).encode()) > _NAME_MAX:
        name = name[:-1]
    return path.with_name("." + name + tail)


def remove_stale_temporaries(folder):
    """Delete ``*.part`` files in ``folder`` left by writers that no longer run (``kill -9``)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _STALE.match(entry.name)
        if match and not _alive(int(match.group(1))):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def check_output_path(path, name="path", *, inputs=(), others=()):
    """Check that ``path`` can be written safely, before any work is done.

    Parameters
    ----------
    path : path
        The file to write.
    name : str
        The argument's name, for the message (``"--out"``).
    inputs : sequence of paths
        Files the run reads: the output must not be one of them.
    others : sequence of (name, path)
        The run's other outputs: two outputs must not be the same file.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        Naming the argument, the path and the fix.
    """
    path = Path(path)
    shown = f"{name} {str(path)!r}"
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise ValueError(f"{shown} cannot be used: {err.strerror}") from None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{shown} is {_describe(st.st_mode)}, not a regular file: "
                             "refusing to replace it; pass the path of a new or ordinary file")
        if st.st_nlink > 1:
            raise ValueError(f"{shown} has {st.st_nlink - 1} other hard link(s); replacing it would "
                             "split them: remove the other links or choose another name")
    for src in inputs:
        if _same_file(path, src):
            raise ValueError(f"{shown} is the input file {str(src)!r}: writing it would destroy the "
                             "input; choose another output name")
    for other_name, other in others:
        if other is not None and _same_file(path, other):
            raise ValueError(f"{shown} and {other_name} are the same file: give them different names")
    parent = path.parent
    if not parent.is_dir():
        what = "does not exist" if not parent.exists() else "is not a directory"
        raise ValueError(f"{shown}: the folder {str(parent)!r} {what}; create it first")
    trial = _temporary_name(path)
    try:  # the only sure test of "can I write here": write (read-only, permissions, name length)
        fd = os.open(trial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.unlink(trial)
    except OSError as err:
        raise ValueError(f"{shown} cannot be written: {err.strerror}") from None
    return path


def _same_file(a, b):
    a, b = Path(a), Path(b)
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist yet: compare the paths they name
        return a.resolve() == b.resolve()


def check_free_space(folder, needed, what):
    """Raise ``OSError`` (ENOSPC) naming ``folder`` if it has less than ``needed`` bytes free."""
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise OSError(28, f"not enough space for {what}: about {needed / 1e6:,.1f} MB needed, "
                          f"{free / 1e6:,.1f} MB free", str(folder))


@contextmanager
def temporary_beside(path):
    """Yield a temporary path in ``path``'s folder; it is removed unless the caller renamed it.

    The file exists (empty) with the mode ``path`` will have; rename it onto
    ``path`` with :func:`os.replace` once it is complete and flushed.
    """
    path = check_output_path(path)
    remove_stale_temporaries(path.parent)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # keep the mode of the file it replaces
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # what an ordinary open() would create
    tmp = _temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    try:
        yield tmp
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_write(path, mode="wb"):
    """Open a file to write ``path``; it appears under that name only if the block succeeds.

    The target is checked with :func:`check_output_path`; the data is
    ``fsync``-ed before the rename.
    """
    with temporary_beside(path) as tmp:
        encoding = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with open(tmp, mode, **encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)


#: The signals a forked child must not receive before it has set its own handlers.
CHILD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM (Ctrl-C, ``kill``) while forking children; deliver them after.

    A child forked in between inherits them held: it sets its handlers, then
    calls :func:`release_signals`, and it must never leave the block (that
    would unblock them first: the child would take the parent's Ctrl-C as its
    own). Without this a Ctrl-C that reaches a child while Python is still
    setting it up prints a traceback from the fork machinery. The parent gets
    a held signal as soon as the block ends.
    """
    old = signal.pthread_sigmask(signal.SIG_BLOCK, CHILD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def release_signals():
    """In a child forked under :func:`signals_held`, after its handlers are set: receive signals again."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, CHILD_SIGNALS)
