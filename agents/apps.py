from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "agents"
    label = "agents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agents.tasks import queue_slack_answer
        from connections.webhooks import register_event_consumer

        register_event_consumer("slack", queue_slack_answer)
