import { PasswordInput, Stack, Textarea, TextInput } from "@mantine/core";
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
 * send secrets back.
 */
export function CredentialFields({ connector, values, onChange, invalid, disabled, autoFocus }: CredentialFieldsProps) {
  const secrets = new Set(connector.secret_fields);
  return (
    <Stack gap="md">
      {connector.credential_fields.map((field, index) => {
        const info = fieldInfo(connector.kind, field);
        const value = values[field] ?? "";
        const common = {
          label: info.label,
          description: info.description,
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
