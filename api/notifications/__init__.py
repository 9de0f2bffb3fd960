"""Web Push devices, the notification inbox and notification preferences (the HTTP side of push/)."""

from api.notifications.routes import NotificationEventsController, NotificationsController, PushController

__all__ = ["NotificationEventsController", "NotificationsController", "PushController"]
