"""Slack: channels the bot is in, mirrored as one document per thread and one per UTC day of
the messages outside threads."""
