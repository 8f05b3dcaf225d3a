import { Alert, Checkbox, Fieldset, Group, Radio, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { AgentTool, DataSourceView, ModelCredential } from "../../api/client";
import { FormSection } from "../../components/form/FormSection";
import { SubmitRow } from "../../components/form/SubmitRow";
import { TOOLS } from "./agentForm";
import { ModelSection } from "./ModelSection";
import type { AgentEditor } from "./useAgentEditor";
import { ViewPicker } from "./ViewPicker";

/** The agent's settings, section by section, over the editor's state. */
export function AgentSettingsForm({
  editor,
  readOnly,
  submitLabel,
  views,
  credentials,
  canAddData,
}: {
  editor: AgentEditor;
  readOnly: boolean;
  submitLabel: string;
  views: { data: DataSourceView[] | undefined; loading: boolean; error: unknown; reload: () => void };
  credentials: ModelCredential[] | null | undefined;
  canAddData: boolean;
}) {
  const { isNew, values, setValues, set, errors, check, attempted, busy, dirty } = editor;
  return (
    <form ref={editor.formRef} onSubmit={editor.onSave} noValidate aria-label="Agent settings">
      <Fieldset variant="unstyled" disabled={readOnly || busy != null}>
        <Stack gap="md">
          <FormSection title="Basics" description="What people see when they pick an agent.">
            <Stack gap="md">
              <Group grow align="flex-start" gap="md">
                <TextInput
                  label="Name"
                  placeholder="e.g. HR helper"
                  required
                  maxLength={200}
                  value={values.name}
                  onChange={(event) => editor.onNameChange(event.currentTarget.value)}
                  error={errors.name}
                  data-autofocus={isNew || undefined}
                  autoFocus={isNew}
                />
                <TextInput
                  label="Handle"
                  description={isNew ? undefined : "Fixed once created"}
                  placeholder="hr-helper"
                  required={isNew}
                  leftSection={<Text size="sm" c="dimmed">@</Text>}
                  leftSectionWidth={28}
                  maxLength={64}
                  value={values.handle}
                  onChange={(event) => editor.onHandleChange(event.currentTarget.value)}
                  error={errors.handle ?? editor.handleError}
                  disabled={!isNew}
                  className="mono-input"
                />
              </Group>
              <Textarea
                label="Description"
                placeholder="e.g. Answers questions about leave, benefits and travel from the HR handbook."
                autosize
                minRows={2}
                maxRows={4}
                value={values.description}
                onChange={(event) => set("description", event.currentTarget.value)}
              />
            </Stack>
          </FormSection>

          <FormSection
            title="Instructions"
            description="How the agent answers: its scope, tone, and what to do when the sources say nothing. Citing sources is always on."
          >
            <Textarea
              aria-label="Instructions"
              placeholder={"e.g. You help employees with HR questions. Answer in two or three sentences.\nIf the handbook does not cover it, say so and point to hr@company.com."}
              autosize
              minRows={5}
              maxRows={16}
              value={values.instructions}
              onChange={(event) => set("instructions", event.currentTarget.value)}
            />
          </FormSection>

          <ModelSection
            values={values}
            errors={errors}
            set={set}
            credentials={credentials}
            onProviderChange={(provider) =>
              setValues((current) => ({ ...current, provider, model: provider ? current.model : "" }))
            }
          />

          <FormSection
            title="Knowledge"
            description="The data views the agent searches. People can use the agent only if they can open every space these lie in."
          >
            <ViewPicker
              views={views.data}
              loading={views.loading}
              error={views.error}
              onRetry={views.reload}
              value={values.viewIds}
              onChange={(viewIds) => set("viewIds", viewIds)}
              canAddData={canAddData}
            />
          </FormSection>

          <FormSection title="Tools" description="What the agent may do to find passages. Every tool reads only its data views, as the person asking.">
            <Stack gap="sm">
              {TOOLS.map((tool) => (
                <Checkbox
                  key={tool.value}
                  label={tool.label}
                  description={tool.description}
                  checked={values.tools.includes(tool.value)}
                  onChange={(event) => {
                    const checked = event.currentTarget.checked;
                    setValues((current) => ({
                      ...current,
                      tools: (checked
                        ? [...current.tools, tool.value]
                        : current.tools.filter((item) => item !== tool.value)
                      ).sort() as AgentTool[],
                    }));
                  }}
                  styles={{ label: { fontWeight: 500 } }}
                />
              ))}
            </Stack>
          </FormSection>

          <FormSection title="Access" description="Who can find and use the agent once it is published.">
            <Radio.Group
              aria-label="Who can use it"
              value={values.visibility}
              onChange={(value) => set("visibility", value === "editors" ? "editors" : "workspace")}
            >
              <Stack gap="sm">
                <Radio value="workspace" label="Everyone who can open its spaces" styles={{ label: { fontWeight: 500 } }} />
                <Radio
                  value="editors"
                  label="Only its editors and admins"
                  description="For agents you are still trying out, even after publishing."
                  styles={{ label: { fontWeight: 500 } }}
                />
              </Stack>
            </Radio.Group>
          </FormSection>

          {check.warnings.length > 0 && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Before you publish">
              <Stack gap={4}>
                {check.warnings.map((warning) => (
                  <Text key={warning} size="sm">
                    {warning}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}

          {!readOnly && (
            <SubmitRow
              label={submitLabel}
              variant="default"
              busy={busy === "save"}
              disabled={busy != null || (!isNew && !dirty)}
              note={attempted && !check.valid ? "Fix the fields marked in red, then save again." : undefined}
            />
          )}
        </Stack>
      </Fieldset>
    </form>
  );
}
