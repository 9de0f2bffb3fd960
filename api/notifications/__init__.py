"""Web Push devices, the notification inbox and notification preferences (the HTTP side of push/)."""

from api.notifications.routes import NotificationsController, PushController

__all__ = ["NotificationsController", "PushController"]
