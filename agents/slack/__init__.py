"""The Slack bot: people mention it in a channel or DM it, and get cited answers computed with
their own permissions, streamed into the thread."""
