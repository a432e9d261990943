"""The course's Jupyter kernel: IPython, with metadata that does not depend on the machine.

When JupyterLab opens a notebook it copies the kernel's ``language_info`` into
the notebook's metadata, and marks the notebook modified if that changes
anything. IPython's ``language_info`` carries the exact Python version
(``"3.11.7"``), so a lesson built on one machine would show as modified on
every other. The course kernel reports the same ``language_info`` without
the version, and :func:`crm_lessons.build.normalise` stores exactly that
(:data:`crm_lessons.build.LANGUAGE_INFO`), so opening and closing a lesson
leaves ``git status`` clean.

``python -m crm_lessons.kernel --sys-prefix`` (run by ``make setup``)
registers it as the ``crm-course`` kernel; ``--user`` registers it for the
current user instead (the conda route).

Examples
--------
>>> from crm_lessons.build import LANGUAGE_INFO
>>> CourseKernel.language_info == LANGUAGE_INFO
True
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ipykernel.ipkernel import IPythonKernel

from crm_lessons.build import KERNEL_NAME, KERNELSPEC

__all__ = ["CourseKernel", "install", "main"]


class CourseKernel(IPythonKernel):
    """IPython kernel whose ``language_info`` leaves out the machine's Python version."""

    language_info = {k: v for k, v in IPythonKernel.language_info.items() if k != "version"}


def install(*, user: bool = False, prefix: str | None = None) -> str:
    """Register the course kernel as ``crm-course``; return the folder of its kernel spec.

    Parameters
    ----------
    user : bool, default False
        Install for the current user.
    prefix : str, optional
        Install under this prefix (``sys.prefix`` for a virtual environment).

    Returns
    -------
    str
    """
    from jupyter_client.kernelspec import KernelSpecManager

    spec = {
        "argv": [
            sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
            "-f", "{connection_file}",
            "--IPKernelApp.kernel_class=crm_lessons.kernel.CourseKernel",
        ],
        "display_name": KERNELSPEC["display_name"],
        "language": KERNELSPEC["language"],
        "metadata": {"debugger": True},
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(json.dumps(spec, indent=1))
        return KernelSpecManager().install_kernel_spec(tmp, KERNEL_NAME, user=user, prefix=prefix)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m crm_lessons.kernel", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true", help="install into sys.prefix")
    where.add_argument("--user", action="store_true", help="install for the current user")
    args = parser.parse_args(argv)
    path = install(user=args.user, prefix=sys.prefix if args.sys_prefix else None)
    print(f"installed the '{KERNEL_NAME}' kernel in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
