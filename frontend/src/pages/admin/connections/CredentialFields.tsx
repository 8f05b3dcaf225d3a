import { Anchor, PasswordInput, Stack, Textarea, TextInput } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import type { ConnectorKind } from "../../../api/client";
import { fieldInfo, type CredentialValues } from "./connectorInfo";

export interface CredentialFieldsProps {
  connector: ConnectorKind;
  values: CredentialValues;
  onChange: (values: CredentialValues) => void;
  /** The source refused what was entered: mark the filled-in fields. */
  invalid?: boolean;
  disabled?: boolean;
  /** Focus the first field when shown (in a modal, or the add flow's second step). */
  autoFocus?: boolean;
}

/**
 * One input per credential field the connector asks for (`credential_fields`). Secret fields
 * (`secret_fields`) are password inputs, never filled in from stored values: the API does not
 * send secrets back. Each is labelled with the connector's own help: where at the provider
 * the value is found, and a link to the provider's page about it.
 */
export function CredentialFields({ connector, values, onChange, invalid, disabled, autoFocus }: CredentialFieldsProps) {
  const secrets = new Set(connector.secret_fields);
  return (
    <Stack gap="md">
      {connector.credential_fields.map((field, index) => {
        const info = fieldInfo(connector.kind, field);
        const help = connector.credential_help?.[field];
        const value = values[field] ?? "";
        const common = {
          label: info.label,
          description: help ? (
            <>
              {help.help}{" "}
              <Anchor href={help.url} target="_blank" rel="noreferrer" size="xs">
                Where to find it
                <IconExternalLink size={11} style={{ marginLeft: 2, verticalAlign: "-1px" }} aria-hidden />
              </Anchor>
            </>
          ) : (
            info.description
          ),
          placeholder: info.placeholder,
          required: !info.optional,
          value,
          name: field,
          disabled,
          error: invalid && value.trim() !== "" ? true : undefined,
          // PasswordInput marks the error with data-invalid only; screen readers need this.
          "aria-invalid": invalid && value.trim() !== "" ? true : undefined,
          "data-autofocus": autoFocus && index === 0 ? true : undefined,
          autoComplete: "off",
          spellCheck: false,
        };
        const change = (next: string) => onChange({ ...values, [field]: next });
        if (secrets.has(field)) {
          return (
            <PasswordInput
              key={field}
              {...common}
              autoComplete="new-password"
              className="mono-input"
              onChange={(event) => change(event.currentTarget.value)}
            />
          );
        }
        if (info.multiline) {
          return (
            <Textarea
              key={field}
              {...common}
              autosize
              minRows={3}
              maxRows={8}
              className="mono-input"
              onChange={(event) => change(event.currentTarget.value)}
            />
          );
        }
        return <TextInput key={field} {...common} onChange={(event) => change(event.currentTarget.value)} />;
      })}
    </Stack>
  );
}
