import {
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Grid,
  Group,
  Paper,
  Radio,
  Select,
  Slider,
  Stack,
  Text,
  TextInput,
  Textarea,
  ThemeIcon,
  Title,
} from "@mantine/core";
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconDeviceFloppy,
  IconHistory,
  IconInfoCircle,
  IconLock,
  IconRocket,
} from "@tabler/icons-react";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, type Agent, type AgentTool, type ModelProvider } from "../../api/client";
import { ApiError, errorMessage, unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ErrorState, PageLoader } from "../../components/states";
import { notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { NotFoundPage } from "../NotFoundPage";
import { canManageKnowledge } from "../knowledge/badges";
import {
  EMPTY_AGENT_FORM,
  MODEL_PROVIDERS,
  TOOLS,
  formFromAgent,
  formFromSnapshot,
  handleFromName,
  isDirty,
  toAgentChanges,
  toAgentInput,
  validateAgentForm,
  type AgentFormValues,
} from "./agentForm";
import { AgentAvatar, AgentStatusBadge, canBuildAgents } from "./badges";
import { TestChat } from "./TestChat";
import { VersionsDrawer } from "./VersionsDrawer";
import { ViewPicker } from "./ViewPicker";

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card p="lg" component="section" aria-label={title}>
      <Stack gap={2} mb="md">
        <Title order={3}>{title}</Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      {children}
    </Card>
  );
}

const NO_MODEL = "none";

/** The agent builder: the form on the left, a live test chat on the right. */
export function AgentBuilderPage() {
  const { agentId: agentParam } = useParams();
  const isNew = agentParam === undefined;
  const agentId = Number(agentParam);
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();

  const loaded = useApiQuery(
    () =>
      isNew
        ? Promise.resolve(null)
        : unwrap(
            api.GET("/api/v1/workspaces/{workspace_id}/agents/{agent_id}", {
              params: { path: { workspace_id: workspaceId, agent_id: agentId } },
            }),
          ),
    ["agent", workspaceId, agentParam],
  );
  const views = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/views", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["views", workspaceId],
  );
  // Only admins may read the workspace's model keys; for others the hint stays general.
  const credentials = useApiQuery(
    () =>
      workspace.role === "admin"
        ? unwrap(
            api.GET("/api/v1/workspaces/{workspace_id}/model-credentials", {
              params: { path: { workspace_id: workspaceId } },
            }),
          ).catch(() => null)
        : Promise.resolve(null),
    ["model-credentials", workspaceId, workspace.role],
  );

  const [agent, setAgent] = useState<Agent | null>(null);
  const [values, setValues] = useState<AgentFormValues>(EMPTY_AGENT_FORM);
  const [saved, setSaved] = useState<AgentFormValues>(EMPTY_AGENT_FORM);
  const [handleTouched, setHandleTouched] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [handleError, setHandleError] = useState<string | null>(null);
  const [versionsOpen, setVersionsOpen] = useState(false);
  // Bumped when a save stops at validation, to bring the first invalid field into view.
  const [invalidAttempt, setInvalidAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (loaded.data) {
      const form = formFromAgent(loaded.data);
      setAgent(loaded.data);
      setValues(form);
      setSaved(form);
    }
  }, [loaded.data]);

  useEffect(() => {
    if (invalidAttempt === 0) return;
    const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
  }, [invalidAttempt]);

  const dirty = isNew ? isDirty(values, EMPTY_AGENT_FORM) : isDirty(values, saved);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  if (!canBuildAgents(workspace.role)) {
    return (
      <Paper withBorder p={48} maw={560} mx="auto" mt="xl" ta="center">
        <Stack align="center" gap="sm">
          <ThemeIcon size={56} radius="xl" variant="light" color="orange" aria-hidden>
            <IconLock size={28} />
          </ThemeIcon>
          <Title order={2}>Only builders and admins build agents</Title>
          <Text c="dimmed" size="sm">
            You can chat with every agent listed under Agents. Ask a workspace admin for the builder
            role to create and change agents yourself.
          </Text>
          <Button component={Link} to="/agents" variant="light" mt="sm">
            See agents
          </Button>
        </Stack>
      </Paper>
    );
  }
  if (!isNew && !Number.isInteger(agentId)) return <NotFoundPage />;
  if (loaded.error != null) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <Stack gap="md">
        <ErrorState
          error={loaded.error}
          onRetry={missing ? undefined : loaded.reload}
          title={missing ? "This agent is not available" : "Could not load the agent"}
        />
        <div>
          <Button component={Link} to="/agents" variant="subtle" leftSection={<IconArrowLeft size={16} />}>
            Back to agents
          </Button>
        </div>
      </Stack>
    );
  }
  if (!isNew && !agent) return <PageLoader label="Loading the agent" />;

  const readOnly = agent != null && !agent.can_edit;
  const check = validateAgentForm(values, { isNew });
  const errors = attempted ? check.errors : {};
  const set = <K extends keyof AgentFormValues>(key: K, value: AgentFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));

  const onNameChange = (name: string) =>
    setValues((current) => ({ ...current, name, handle: isNew && !handleTouched ? handleFromName(name) : current.handle }));

  /** Saves the form; returns the saved agent, or null when it did not save. */
  /** Shows the form's errors; false (and the first invalid field focused) when there are any. */
  const validate = (): boolean => {
    setAttempted(true);
    if (check.valid) return true;
    setInvalidAttempt((count) => count + 1);
    return false;
  };

  const save = async (): Promise<Agent | null> => {
    setSaveError(null);
    setHandleError(null);
    try {
      if (isNew) {
        const created = await unwrap(
          api.POST("/api/v1/workspaces/{workspace_id}/agents", {
            params: { path: { workspace_id: workspaceId } },
            body: toAgentInput(values),
          }),
        );
        return created;
      }
      if (!agent || !dirty) return agent;
      const updated = await unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/agents/{agent_id}", {
          params: { path: { workspace_id: workspaceId, agent_id: agent.id } },
          body: toAgentChanges(values, saved),
        }),
      );
      const form = formFromAgent(updated);
      setAgent(updated);
      setValues(form);
      setSaved(form);
      return updated;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setHandleError(error.message);
      else setSaveError(errorMessage(error));
      return null;
    }
  };

  const onSave = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!validate()) return;
    setBusy("save");
    const result = await save();
    setBusy(null);
    if (!result) return;
    if (isNew) {
      notifySuccess(`@${result.handle} was created as a draft. Try it in the test chat.`);
      navigate(`/agents/${result.id}`, { replace: true });
    } else {
      notifySuccess(`Saved version ${result.version} of @${result.handle}.`);
    }
  };

  const onPublish = async () => {
    if (!validate()) return;
    setBusy("publish");
    const result = await save();
    if (!result) {
      setBusy(null);
      return;
    }
    try {
      const published = await unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/agents/{agent_id}/publish", {
          params: { path: { workspace_id: workspaceId, agent_id: result.id } },
        }),
      );
      notifySuccess(`@${published.handle} is published: everyone who can open its spaces can use it.`);
      if (isNew) {
        navigate(`/agents/${published.id}`, { replace: true });
      } else {
        const form = formFromAgent(published);
        setAgent(published);
        setValues(form);
        setSaved(form);
      }
    } catch (error) {
      setSaveError(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const providerKey = values.provider
    ? credentials.data?.find((credential) => credential.provider === values.provider)
    : undefined;
  const providerLabel = MODEL_PROVIDERS.find((provider) => provider.value === values.provider)?.label;
  const modelHint = !values.provider
    ? "Without a model the agent answers by quoting the best passages from its sources, with citations."
    : credentials.data && !providerKey
      ? `No ${providerLabel} key is set in this workspace yet, so answers quote sources until an admin adds one.`
      : credentials.data
        ? `Uses the workspace's ${providerLabel} key.`
        : `Needs a ${providerLabel} key in this workspace; until an admin adds one, answers quote sources.`;

  const published = agent?.status === "published";
  const saveLabel = isNew ? "Create draft" : published ? "Save changes" : "Save draft";
  const name = values.name.trim() || (isNew ? "New agent" : (agent?.name ?? "Agent"));

  const actions = readOnly ? null : (
    <Group gap="sm">
      {dirty && !isNew && (
        <Badge variant="dot" color="yellow" size="lg" tt="none" fw={500}>
          Unsaved changes
        </Badge>
      )}
      {agent && (
        <Button variant="default" leftSection={<IconHistory size={16} />} onClick={() => setVersionsOpen(true)}>
          Versions
        </Button>
      )}
      <Button
        variant={published ? "filled" : "default"}
        leftSection={<IconDeviceFloppy size={16} />}
        onClick={() => void onSave()}
        loading={busy === "save"}
        disabled={busy != null || (!isNew && !dirty)}
      >
        {saveLabel}
      </Button>
      {!published && (
        <Button
          leftSection={<IconRocket size={16} />}
          onClick={() => void onPublish()}
          loading={busy === "publish"}
          disabled={busy != null}
        >
          Publish
        </Button>
      )}
    </Group>
  );

  return (
    <>
      <Stack gap={6} mb="lg">
        <Breadcrumbs separator="/">
          <Anchor component={Link} to="/agents" size="sm">
            Agents
          </Anchor>
          <Text size="sm" c="dimmed">
            {isNew ? "New agent" : `@${agent?.handle}`}
          </Text>
        </Breadcrumbs>
        <Group justify="space-between" align="center" gap="md" wrap="wrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <AgentAvatar name={name} handle={values.handle || "new"} size={44} />
            <div style={{ minWidth: 0 }}>
              <Group gap="xs" wrap="nowrap">
                <Title order={1} style={{ overflowWrap: "anywhere" }}>
                  {name}
                </Title>
                {agent && <AgentStatusBadge status={agent.status} />}
              </Group>
              <Text size="sm" c="dimmed">
                {agent
                  ? `Version ${agent.version} · ${published ? "changes go live when you save" : "only its editors and admins can use a draft"}`
                  : "Describe what it answers, pick its sources, and try it beside the form."}
              </Text>
            </div>
          </Group>
          {actions}
        </Group>
      </Stack>

      {readOnly && (
        <Alert color="blue" variant="light" icon={<IconLock size={18} />} mb="md" title="You can use this agent but not change it">
          Ask one of its editors or an admin to add you as an editor. You can still try it in the test chat.
        </Alert>
      )}
      {saveError && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="md" title="Not saved" role="alert" withCloseButton onClose={() => setSaveError(null)}>
          {saveError}
        </Alert>
      )}

      <Grid gutter="lg" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <form ref={formRef} onSubmit={onSave} noValidate aria-label="Agent settings">
            <Fieldset variant="unstyled" disabled={readOnly || busy != null}>
              <Stack gap="md">
                <Section title="Basics" description="What people see when they pick an agent.">
                  <Stack gap="md">
                    <Group grow align="flex-start" gap="md">
                      <TextInput
                        label="Name"
                        placeholder="e.g. HR helper"
                        required
                        maxLength={200}
                        value={values.name}
                        onChange={(event) => onNameChange(event.currentTarget.value)}
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
                        onChange={(event) => {
                          setHandleTouched(true);
                          setHandleError(null);
                          set("handle", event.currentTarget.value.toLowerCase());
                        }}
                        error={errors.handle ?? handleError}
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
                </Section>

                <Section
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
                </Section>

                <Section title="Model" description="The language model that writes answers from the passages it finds.">
                  <Stack gap="md">
                    <Group grow align="flex-start" gap="md">
                      <Select
                        label="Provider"
                        data={[
                          { value: NO_MODEL, label: "No model: quote the sources" },
                          ...MODEL_PROVIDERS.map((provider) => ({ value: provider.value, label: provider.label })),
                        ]}
                        value={values.provider || NO_MODEL}
                        onChange={(value) =>
                          setValues((current) => ({
                            ...current,
                            provider: !value || value === NO_MODEL ? "" : (value as ModelProvider),
                            model: !value || value === NO_MODEL ? "" : current.model,
                          }))
                        }
                        allowDeselect={false}
                      />
                      <TextInput
                        label="Model"
                        placeholder={
                          values.provider
                            ? MODEL_PROVIDERS.find((provider) => provider.value === values.provider)?.example
                            : "—"
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
                        {modelHint}
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
                </Section>

                <Section
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
                    canAddData={canManageKnowledge(workspace.role)}
                  />
                </Section>

                <Section title="Tools" description="What the agent may do to find passages. Every tool reads only its data views, as the person asking.">
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
                </Section>

                <Section title="Access" description="Who can find and use the agent once it is published.">
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
                </Section>

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
                  <Group justify="flex-end" gap="sm">
                    {attempted && !check.valid && (
                      <Text size="sm" c="red" role="alert" mr="auto">
                        Fix the fields marked in red, then save again.
                      </Text>
                    )}
                    <Button type="submit" variant="default" loading={busy === "save"} disabled={busy != null || (!isNew && !dirty)}>
                      {saveLabel}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <TestChat workspaceId={workspaceId} agent={agent} dirty={dirty} />
        </Grid.Col>
      </Grid>

      {agent && (
        <VersionsDrawer
          opened={versionsOpen}
          onClose={() => setVersionsOpen(false)}
          workspaceId={workspaceId}
          agentId={agent.id}
          currentVersion={agent.version}
          onLoad={(version) => {
            setValues(formFromSnapshot(version.snapshot, values));
            setVersionsOpen(false);
            notifySuccess(`Version ${version.number} is in the form. Save to make it the current version.`);
          }}
        />
      )}
    </>
  );
}
