"""The workforce back office: each part registers its models in its own module."""

from finegrid.workforce import admin_workers  # noqa: F401
