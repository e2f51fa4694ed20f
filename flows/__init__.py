"""Orchestration: Prefect flows over the plain steps in flows/steps.py.

Importing this package does not import Prefect; flows.ingest and flows.reindex do.
"""

from __future__ import annotations
