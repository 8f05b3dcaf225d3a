import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import type { Connection, ConnectorKind } from "../../../api/client";
import { useReplaceCredentialsMutation } from "../../../api/connections";
import { useSubmit } from "../../../lib/useSubmit";
import {
  credentialPayload,
  credentialsComplete,
  emptyCredentials,
  KIND_INFO,
  type CredentialValues,
} from "./connectorInfo";
import { CredentialFields } from "./CredentialFields";

interface ReplaceCredentialsModalProps {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  connection: Connection;
  connector: ConnectorKind;
  onReplaced: (connection: Connection) => void;
}

/** New credentials for a connection: checked with the source, then syncing resumes. */
export function ReplaceCredentialsModal({
  opened,
  onClose,
  workspaceId,
  connection,
  connector,
  onReplaced,
}: ReplaceCredentialsModalProps) {
  const [values, setValues] = useState<CredentialValues>(() => emptyCredentials(connector));
  const [refused, setRefused] = useState(false);
  const reset = () => {
    setValues(emptyCredentials(connector));
    setRefused(false);
  };
  const replace = useReplaceCredentialsMutation(workspaceId, connection.id);
  const { busy, error, submit, close } = useSubmit(
    async () => {
      setRefused(false);
      try {
        return await replace.mutateAsync(credentialPayload(connector, values));
      } catch (reason) {
        setRefused((reason as { code?: string }).code === "invalid_credentials");
        throw reason;
      }
    },
    { reset, onClose, onDone: onReplaced },
  );

  return (
    <Modal
      opened={opened}
      onClose={close}
      size="lg"
      title={<Text fw={650}>Replace the credentials of {connection.name}</Text>}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Enter every field again: stored secrets are never shown. {connector.display_name} checks them before they
            replace the old ones; then syncing resumes with a sync of what changed.
          </Text>
          {KIND_INFO[connector.kind]?.setup && (
            <Text size="xs" c="dimmed">
              {KIND_INFO[connector.kind].setup}
            </Text>
          )}
          {error && (
            <Alert
              color="red"
              variant="light"
              role="alert"
              title={
                refused ? `${connector.display_name} refused these credentials` : "The credentials were not replaced"
              }
            >
              {error}
            </Alert>
          )}
          <CredentialFields
            connector={connector}
            values={values}
            onChange={setValues}
            invalid={refused}
            disabled={busy}
            autoFocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!credentialsComplete(connector, values)}>
              Check and save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
