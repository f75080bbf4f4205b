"""Placeholder: being written."""

from starlette.applications import Starlette


def build_app(sandbox):
    return Starlette(routes=[])
