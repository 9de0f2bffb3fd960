"""Moderation (kiểm duyệt): reports, the queue, hiding, locking, restricting and appeals."""
