import { Box, Group, Select, Stack, Slider, Text, TextInput } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import type { ModelCredential, ModelProvider } from "../../api/client";
import { FormSection } from "../../components/form/FormSection";
import { MODEL_PROVIDERS, type AgentFormErrors, type AgentFormValues } from "./agentForm";
import type { SetField } from "./useAgentEditor";

const NO_MODEL = "none";

/** What the answers will run on, given the workspace's keys (null: not known to this member). */
export function modelHint(values: AgentFormValues, credentials: ModelCredential[] | null | undefined): string {
  const providerKey = values.provider
    ? credentials?.find((credential) => credential.provider === values.provider)
    : undefined;
  const providerLabel = MODEL_PROVIDERS.find((provider) => provider.value === values.provider)?.label;
  return !values.provider
    ? "Without a model the agent answers by quoting the best passages from its sources, with citations."
    : credentials && !providerKey
      ? `No ${providerLabel} key is set in this workspace yet, so answers quote sources until an admin adds one.`
      : credentials
        ? `Uses the workspace's ${providerLabel} key.`
        : `Needs a ${providerLabel} key in this workspace; until an admin adds one, answers quote sources.`;
}

/** The provider, model and temperature of an agent. */
export function ModelSection({
  values,
  errors,
  set,
  onProviderChange,
  credentials,
}: {
  values: AgentFormValues;
  errors: AgentFormErrors;
  set: SetField;
  onProviderChange: (provider: ModelProvider | "") => void;
  credentials: ModelCredential[] | null | undefined;
}) {
  return (
    <FormSection title="Model" description="The language model that writes answers from the passages it finds.">
      <Stack gap="md">
        <Group grow align="flex-start" gap="md">
          <Select
            label="Provider"
            data={[
              { value: NO_MODEL, label: "No model: quote the sources" },
              ...MODEL_PROVIDERS.map((provider) => ({ value: provider.value, label: provider.label })),
            ]}
            value={values.provider || NO_MODEL}
            onChange={(value) => onProviderChange(!value || value === NO_MODEL ? "" : (value as ModelProvider))}
            allowDeselect={false}
          />
          <TextInput
            label="Model"
            placeholder={
              values.provider ? MODEL_PROVIDERS.find((provider) => provider.value === values.provider)?.example : "—"
            }
            required={Boolean(values.provider)}
            disabled={!values.provider}
            value={values.model}
            onChange={(event) => set("model", event.currentTarget.value)}
            error={errors.model}
            className="mono-input"
          />
        </Group>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconInfoCircle size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
          <Text size="xs" c="dimmed">
            {modelHint(values, credentials)}
          </Text>
        </Group>
        <div>
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={500} id="temperature-label">
              Temperature
            </Text>
            <Text size="sm" c="dimmed" className="mono">
              {values.temperature.toFixed(1)}
            </Text>
          </Group>
          <Box px="md">
            <Slider
              aria-labelledby="temperature-label"
              min={0}
              max={2}
              step={0.1}
              value={values.temperature}
              onChange={(value) => set("temperature", Math.round(value * 10) / 10)}
              disabled={!values.provider}
              label={(value) => value.toFixed(1)}
              marks={[
                { value: 0, label: "Precise" },
                { value: 1, label: "Balanced" },
                { value: 2, label: "Creative" },
              ]}
              mb="lg"
            />
          </Box>
          {errors.temperature && (
            <Text size="xs" c="red" mt="lg">
              {errors.temperature}
            </Text>
          )}
        </div>
      </Stack>
    </FormSection>
  );
}
