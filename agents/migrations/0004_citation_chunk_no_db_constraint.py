"""Citation.chunk without a database constraint: knowledge_chunk becomes partitioned by
workspace (knowledge 0004), and a foreign key cannot reference its `id` alone."""

import django.db.models.deletion
from django.db import migrations, models

# Restoring the constraint needs every chunk_id to exist: clear the dangling ones first.
CLEAR_DANGLING = """
UPDATE agents_citation SET chunk_id = NULL
WHERE chunk_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM knowledge_chunk c WHERE c.id = agents_citation.chunk_id);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0003_slack_bot"),
        ("knowledge", "0003_document_synced_at"),
    ]
    # The constraint references the unpartitioned table's primary key, which 0004 replaces.
    run_before = [("knowledge", "0004_partition_chunks")]

    operations = [
        migrations.AlterField(
            model_name="citation",
            name="chunk",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="knowledge.chunk",
            ),
        ),
        # Reversed first when unapplying, so the constraint can be added back.
        migrations.RunSQL(migrations.RunSQL.noop, CLEAR_DANGLING),
    ]
