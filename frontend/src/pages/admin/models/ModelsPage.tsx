import { Skeleton, Stack } from "@mantine/core";
import { useState } from "react";
import type { ModelProvider } from "../../../api/client";
import {
  type CredentialTestResult,
  useDeleteModelCredentialMutation,
  useModelCredentialList,
  useTestModelCredentialMutation,
} from "../../../api/models";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { ConfirmModal } from "../../../components/ConfirmModal";
import { PageHeader } from "../../../components/PageHeader";
import { ErrorState } from "../../../components/states";
import { notifyError, notifySuccess } from "../../../lib/notify";
import { ProviderCard } from "./ProviderCard";
import { PROVIDERS, type ProviderInfo } from "./providerInfo";
import { SetKeyModal } from "./SetKeyModal";

/** Admin → Models: each model provider's key, set / replace / remove / test. */
export function ModelsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const credentials = useModelCredentialList(workspaceId);
  const testMutation = useTestModelCredentialMutation(workspaceId);
  const deleteMutation = useDeleteModelCredentialMutation(workspaceId);
  const [editing, setEditing] = useState<ProviderInfo | null>(null);
  const [removing, setRemoving] = useState<ProviderInfo | null>(null);
  const [testing, setTesting] = useState<ModelProvider | null>(null);
  const [results, setResults] = useState<Partial<Record<ModelProvider, CredentialTestResult>>>({});

  const forget = (provider: ModelProvider) =>
    setResults((previous) => {
      const next = { ...previous };
      delete next[provider];
      return next;
    });

  const test = async (provider: ModelProvider) => {
    setTesting(provider);
    forget(provider);
    try {
      const result = await testMutation.mutateAsync({ provider });
      setResults((previous) => ({ ...previous, [provider]: result }));
    } catch (error) {
      notifyError(error, "The test did not run");
    } finally {
      setTesting(null);
    }
  };

  const header = (
    <PageHeader
      title="Models"
      description="The keys agents use to call model providers. Without a key for an agent's provider the agent still answers, with the best passages quoted and no written answer. Keys are stored encrypted; only their last four characters are shown."
    />
  );

  if (credentials.error != null && !credentials.data) {
    return (
      <>
        {header}
        <ErrorState error={credentials.error} onRetry={() => void credentials.refetch()} title="Could not load the model keys" />
      </>
    );
  }

  return (
    <>
      {header}
      {!credentials.data ? (
        <Stack gap="md" role="status" aria-label="Loading model keys">
          {PROVIDERS.map((info) => (
            <Skeleton key={info.provider} h={112} radius="lg" />
          ))}
        </Stack>
      ) : (
        <Stack gap="md">
          {PROVIDERS.map((info) => (
            <ProviderCard
              key={info.provider}
              info={info}
              credential={credentials.data.find((row) => row.provider === info.provider)}
              testing={testing === info.provider}
              result={results[info.provider]}
              onSet={() => setEditing(info)}
              onTest={() => void test(info.provider)}
              onRemove={() => setRemoving(info)}
            />
          ))}
        </Stack>
      )}
      {editing && (
        <SetKeyModal
          workspaceId={workspaceId}
          info={editing}
          current={credentials.data?.find((row) => row.provider === editing.provider)}
          onClose={() => setEditing(null)}
          onSaved={() => {
            forget(editing.provider);
            notifySuccess(`The ${editing.label} key is saved. Test it to check that it works.`);
          }}
        />
      )}
      <ConfirmModal
        opened={removing != null}
        title="Remove key"
        confirmLabel="Remove key"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await deleteMutation.mutateAsync(removing.provider);
          forget(removing.provider);
          notifySuccess(`The ${removing.label} key was removed.`);
        }}
      >
        Remove the <b>{removing?.label}</b> key? Agents that use {removing?.label} models answer with quoted passages only
        until a key is set again.
      </ConfirmModal>
    </>
  );
}
