"""Agents: the agent model, the LangChain runtime, conversations and the Slack bot."""
