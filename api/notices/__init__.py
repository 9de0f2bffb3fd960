"""Notices (thông báo): posts to a unit's members with read receipts, acknowledgements and reminders."""
