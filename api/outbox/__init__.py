"""The outbox: side effects written in the same transaction as the change that causes them."""

from api.outbox.schemas import Audience, NotificationIntent, Urgency
from api.outbox.service import cancel_pending, enqueue_notification

__all__ = ["Audience", "NotificationIntent", "Urgency", "cancel_pending", "enqueue_notification"]
