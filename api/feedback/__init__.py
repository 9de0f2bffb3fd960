"""Two-way feedback (góp ý, kiến nghị, hỏi đáp): threads, escalation and FAQ entries."""
