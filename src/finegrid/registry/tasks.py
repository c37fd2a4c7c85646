"""Background work of the registry (django-tasks, database backend).

Each task is defined beside the code it runs (so that module needs nothing from here) and named
here, the one place to look for what the worker may be asked to do.
"""

from __future__ import annotations

from finegrid.registry.imports import run_import

__all__ = ["run_import"]
