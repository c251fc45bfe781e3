"""The dispatch service: a FastAPI app over the store, solves in the background."""

from fieldroute.api.app import create_app
from fieldroute.api.settings import Settings

__all__ = ["Settings", "create_app"]
