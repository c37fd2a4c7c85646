"""Participation (居民参与). Each part of the capability keeps its models in its own module and
re-exports them here."""
