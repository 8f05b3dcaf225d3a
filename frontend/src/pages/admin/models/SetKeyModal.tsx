import { Anchor, PasswordInput, TextInput } from "@mantine/core";
import { useState } from "react";
import type { ModelCredential } from "../../../api/client";
import { useSetModelCredentialMutation } from "../../../api/models";
import { FormModal } from "../../../components/form/FormModal";
import { useSubmit } from "../../../lib/useSubmit";
import type { ProviderInfo } from "./providerInfo";

/** Sets or replaces one provider's key; the OpenAI-compatible server also takes its base URL. */
export function SetKeyModal({
  workspaceId,
  info,
  current,
  onClose,
  onSaved,
}: {
  workspaceId: number;
  info: ProviderInfo;
  current: ModelCredential | undefined;
  onClose: () => void;
  onSaved: (credential: ModelCredential) => void;
}) {
  const compatible = info.provider === "openai-compatible";
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState(current?.base_url ?? "");
  const mutation = useSetModelCredentialMutation(workspaceId);
  const { busy, error, submit, close } = useSubmit(
    () => mutation.mutateAsync({ provider: info.provider, apiKey: apiKey.trim(), baseUrl: baseUrl.trim() }),
    { reset: () => setApiKey(""), onClose, onDone: onSaved },
  );
  const ready = compatible ? baseUrl.trim() !== "" : apiKey.trim() !== "";

  return (
    <FormModal
      opened
      onClose={close}
      title={`${current ? "Replace" : "Set"} the ${info.label} key`}
      intro="The key is stored encrypted and never shown again; the list keeps its last four characters so you can tell keys apart."
      error={error}
      onSubmit={submit}
      submitLabel="Save key"
      busy={busy}
      submitDisabled={!ready}
    >
      {compatible && (
        <TextInput
          label="Base URL"
          description="The server's OpenAI-style API root, usually ending in /v1. It must be https, or a host your operator allow-listed (OUTBOUND_ALLOWED_HOSTS)."
          placeholder="https://llm.example.com/v1"
          required
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.currentTarget.value)}
          data-autofocus
        />
      )}
      <PasswordInput
        label="API key"
        description={
          <>
            {info.keyHelp}{" "}
            {info.keyUrl && (
              <Anchor href={info.keyUrl} target="_blank" rel="noreferrer" size="xs">
                Open the provider's keys page
              </Anchor>
            )}
          </>
        }
        required={!compatible}
        autoComplete="off"
        value={apiKey}
        onChange={(event) => setApiKey(event.currentTarget.value)}
        data-autofocus={!compatible || undefined}
      />
    </FormModal>
  );
}
