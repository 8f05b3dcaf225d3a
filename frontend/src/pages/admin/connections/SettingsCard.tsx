import { Alert, Button, Group, NumberInput, Stack, TextInput } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import type { Connection } from "../../../api/client";
import { useUpdateConnectionMutation } from "../../../api/connections";
import { errorMessage } from "../../../api/errors";
import { notifySuccess } from "../../../lib/notify";
import { Section } from "./detailCards";

/** Name, sync interval and request rate of a connection; saves only what changed. */
export function SettingsCard({
  workspaceId,
  connection,
}: {
  workspaceId: number;
  connection: Connection;
}) {
  // The answer replaces the connection in the page's cache.
  const update = useUpdateConnectionMutation(workspaceId, connection.id);
  const [name, setName] = useState(connection.name);
  const [interval, setSyncInterval] = useState<number | string>(connection.sync_interval_minutes);
  const [rate, setRate] = useState<number | string>(connection.requests_per_minute ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setName(connection.name);
    setSyncInterval(connection.sync_interval_minutes);
    setRate(connection.requests_per_minute ?? "");
  }, [connection.name, connection.sync_interval_minutes, connection.requests_per_minute]);

  const changes: { name?: string; sync_interval_minutes?: number; requests_per_minute?: number } = {};
  if (name.trim() && name.trim() !== connection.name) changes.name = name.trim();
  if (typeof interval === "number" && interval !== connection.sync_interval_minutes)
    changes.sync_interval_minutes = interval;
  if (typeof rate === "number" && rate !== connection.requests_per_minute) changes.requests_per_minute = rate;
  const dirty = Object.keys(changes).length > 0;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setError(null);
    try {
      await update.mutateAsync(changes);
      notifySuccess("Settings saved.");
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="settings-title" title="Settings">
      <form onSubmit={save}>
        <Stack gap="sm">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            disabled={busy}
          />
          <NumberInput
            label="Sync every"
            description="Minutes between incremental syncs. A full sync runs once a day."
            min={1}
            max={10080}
            allowDecimal={false}
            suffix=" min"
            value={interval}
            onChange={setSyncInterval}
            disabled={busy}
          />
          <NumberInput
            label="Requests per minute"
            description="The most this connection asks of the source's API. Empty: the source's default."
            placeholder="Source default"
            min={1}
            allowDecimal={false}
            value={rate}
            onChange={setRate}
            disabled={busy}
          />
          <Group justify="flex-end" mt={4}>
            <Button type="submit" variant="default" loading={busy} disabled={!dirty}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
