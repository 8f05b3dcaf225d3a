"""BM25 inside Postgres: a stable lexeme hash, per-chunk BM25 term weights as a generated
sparsevec column, and document frequencies per workspace kept by statement triggers."""

import django.contrib.postgres.search
import django.db.models.deletion
import pgvector.django.sparsevec
from django.db import migrations, models

FUNCTIONS = r"""
CREATE FUNCTION knowledge_bm25_term(lexeme text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT ('x' || substr(md5(lexeme), 1, 6))::bit(24)::integer + 1
$$;

-- BM25 document side with k1 = 1.2, b = 0.75 and a fixed average chunk length of 100 lexeme
-- occurrences (chunks are capped at the embedder's 256-token window, so lengths stay close).
CREATE FUNCTION knowledge_bm25_weights(document tsvector) RETURNS sparsevec
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH terms AS (
    SELECT knowledge_bm25_term(lexeme) AS term,
           coalesce(array_length(positions, 1), 1)::float8 AS tf
    FROM unnest(document)
  ), length AS (
    SELECT greatest(coalesce(sum(tf), 0), 1) AS dl FROM terms
  ), merged AS (
    SELECT term, sum(tf) AS tf FROM terms GROUP BY term
  )
  SELECT coalesce(
    ('{' || string_agg(
        term || ':' || round((tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / 100.0)))::numeric, 5),
        ',' ORDER BY term) || '}/16777216')::sparsevec,
    '{}/16777216'::sparsevec)
  FROM merged, length
$$;

CREATE FUNCTION knowledge_count_terms_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO knowledge_termstat (workspace_id, lexeme, chunk_count)
  SELECT workspace_id, lexeme, sum(n) FROM (
    SELECT workspace_id, unnest(tsvector_to_array(search_vector)) AS lexeme, 1 AS n FROM new_rows
    UNION ALL
    SELECT workspace_id, '' AS lexeme, 1 AS n FROM new_rows
  ) added
  GROUP BY workspace_id, lexeme
  ORDER BY workspace_id, lexeme  -- one lock order for every writer: no deadlocks
  ON CONFLICT (workspace_id, lexeme)
  DO UPDATE SET chunk_count = knowledge_termstat.chunk_count + EXCLUDED.chunk_count;
  RETURN NULL;
END $$;

CREATE FUNCTION knowledge_count_terms_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH removed AS (
    SELECT workspace_id, lexeme, sum(n) AS n FROM (
      SELECT workspace_id, unnest(tsvector_to_array(search_vector)) AS lexeme, 1 AS n
      FROM old_rows
      UNION ALL
      SELECT workspace_id, '' AS lexeme, 1 AS n FROM old_rows
    ) gone GROUP BY workspace_id, lexeme
  ), locked AS (
    SELECT stat.id, removed.n FROM knowledge_termstat stat
    JOIN removed USING (workspace_id, lexeme)
    ORDER BY stat.workspace_id, stat.lexeme
    FOR UPDATE OF stat
  )
  UPDATE knowledge_termstat stat SET chunk_count = greatest(stat.chunk_count - locked.n, 0)
  FROM locked WHERE stat.id = locked.id;
  RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER knowledge_chunk_terms_added AFTER INSERT ON knowledge_chunk
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
EXECUTE FUNCTION knowledge_count_terms_added();
CREATE TRIGGER knowledge_chunk_terms_removed AFTER DELETE ON knowledge_chunk
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
EXECUTE FUNCTION knowledge_count_terms_removed();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS knowledge_chunk_terms_added ON knowledge_chunk;
DROP TRIGGER IF EXISTS knowledge_chunk_terms_removed ON knowledge_chunk;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS knowledge_count_terms_added();
DROP FUNCTION IF EXISTS knowledge_count_terms_removed();
DROP FUNCTION IF EXISTS knowledge_bm25_weights(tsvector);
DROP FUNCTION IF EXISTS knowledge_bm25_term(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.CreateModel(
            name="TermStat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("lexeme", models.TextField()),
                ("chunk_count", models.BigIntegerField(default=0)),
                (
                    "workspace",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="workspaces.workspace"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("workspace", "lexeme"), name="term_stat_unique")
                ]
            },
        ),
        migrations.AddField(
            model_name="chunk",
            name="bm25",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    django.contrib.postgres.search.SearchVector("text", config="english"),
                    function="knowledge_bm25_weights",
                    output_field=pgvector.django.sparsevec.SparseVectorField(dimensions=16777216),
                ),
                output_field=pgvector.django.sparsevec.SparseVectorField(dimensions=16777216),
            ),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
