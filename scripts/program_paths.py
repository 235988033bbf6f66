"""How scripts/corpus and scripts/update-expectations take a program's folder out of its stderr.

CPython and Aso both name the main script by its absolute path (`File "/abs/folder/name.aso"`,
`/abs/folder/name.aso:3: RuntimeWarning: ...`), and modules imported from its folder too. The
committed expectations must not depend on where the repository sits, so both scripts pass stderr
through `normalised_stderr` with the same folder: file names inside it become relative, and a
module CPython imported through a `.py` symlink is named by its `.aso` target, as Aso names it.
Standard library only.
"""
import os
import re


def normalised_stderr(err, folder):
    """`err` (bytes) with file names relative to `folder`, as bytes."""
    def name(match):
        file = match.group(1)
        if file.startswith(folder + os.sep):
            file = file[len(folder) + 1:]
            full = os.path.join(folder, file)
            if file.endswith(".py") and os.path.islink(full) and os.readlink(full).endswith(".aso"):
                file = os.readlink(full)
        return f'File "{file}"'
    text = err.decode("utf-8", errors="surrogateescape")
    text = re.sub(r'File "([^"]*)"', name, text)
    # Warnings name their file at the start of a line ("path:line: RuntimeWarning: ..."), and
    # reprs inside a line ("coro=<f() running at path:line>").
    text = text.replace(folder + os.sep, "")
    return text.encode("utf-8", errors="surrogateescape")
