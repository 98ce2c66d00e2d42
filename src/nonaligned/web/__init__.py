"""The web app and JSON API (``nonaligned serve``): thin pages over the library."""

from nonaligned.web.app import create_app

__all__ = ["create_app"]
