import { Alert, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage } from "../../../api/errors";
import { type RetentionPolicy, useUpdateRetentionPolicyMutation } from "../../../api/retention";
import { formatDateTime } from "../../../lib/format";
import { notifySuccess } from "../../../lib/notify";
import { PERIODS, type PeriodValues, describePeriod, periodsOf, valuesOf } from "./periods";

/** The four retention periods; empty keeps that kind of data forever. Saves all four at once. */
export function RetentionPoliciesCard({
  workspaceId,
  policy,
}: {
  workspaceId: number;
  policy: RetentionPolicy;
}) {
  const update = useUpdateRetentionPolicyMutation(workspaceId);
  const [values, setValues] = useState<PeriodValues>(() => valuesOf(policy));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValues(valuesOf(policy)), [policy]);

  const wanted = periodsOf(values);
  const dirty = PERIODS.some(({ key }) => (wanted[key] ?? null) !== (policy[key] ?? null));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await update.mutateAsync(wanted);
      notifySuccess("Retention periods saved. The next hourly run applies them.");
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card p="lg" component="section" aria-labelledby="retention-periods-title">
      <form onSubmit={save}>
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="retention-periods-title">
              Retention periods
            </Title>
            <Text size="sm" c="dimmed">
              Leave a period empty to keep that data forever (the default). A shorter period deletes what is
              older at the next hourly run, except what a legal hold covers.
            </Text>
          </div>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            {PERIODS.map(({ key, label, description }) => (
              <NumberInput
                key={key}
                label={label}
                description={description}
                placeholder="Kept forever"
                min={1}
                max={36500}
                allowDecimal={false}
                suffix=" days"
                value={values[key]}
                onChange={(value) => setValues((current) => ({ ...current, [key]: value }))}
                disabled={busy}
              />
            ))}
          </SimpleGrid>
          <Group justify="space-between" align="center">
            <Text size="xs" c="dimmed">
              {policy.updated_at
                ? `Last changed ${formatDateTime(policy.updated_at)}${policy.updated_by_email ? ` by ${policy.updated_by_email}` : ""}.`
                : "Never changed: everything is kept forever."}
            </Text>
            <Button type="submit" loading={busy} disabled={!dirty}>
              Save periods
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** What the last enforcement run deleted, per kind, if one has run. */
export function LastEnforcement({ policy }: { policy: RetentionPolicy }) {
  const counts = policy.last_enforcement_counts as Record<string, number | boolean>;
  return (
    <Card p="lg" component="section" aria-labelledby="retention-last-run-title">
      <Title order={2} size="h4" id="retention-last-run-title" mb="xs">
        Last enforcement
      </Title>
      {policy.last_enforced_at ? (
        <Stack gap={6}>
          <Text size="sm" c="dimmed">
            {formatDateTime(policy.last_enforced_at)}
            {counts.workspace_held ? " — nothing deleted: the workspace is on legal hold." : ""}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {PERIODS.map(({ key, count, label }) => (
              <div key={key}>
                <Text size="xs" c="dimmed">
                  {label} ({describePeriod(policy[key])})
                </Text>
                <Text fw={650} aria-label={`${label} deleted`}>
                  {Number(counts[count] ?? 0)}
                </Text>
              </div>
            ))}
          </SimpleGrid>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Not run yet. It runs every hour once a period is set.
        </Text>
      )}
    </Card>
  );
}
