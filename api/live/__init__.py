"""Live updates: Server-Sent Events carried over Redis pub/sub."""

from api.live.publisher import LiveEvent, publish
from api.live.routes import LiveController

__all__ = ["LiveController", "LiveEvent", "publish"]
