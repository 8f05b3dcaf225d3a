import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import {
  useAgent,
  useCreateAgentMutation,
  usePublishAgentMutation,
  useUpdateAgentMutation,
} from "../../api/agents";
import type { Agent } from "../../api/client";
import { ApiError, errorMessage } from "../../api/errors";
import { notifySuccess } from "../../lib/notify";
import {
  EMPTY_AGENT_FORM,
  formFromAgent,
  handleFromName,
  isDirty,
  toAgentChanges,
  toAgentInput,
  validateAgentForm,
  type AgentFormValues,
} from "./agentForm";

export type SetField = <K extends keyof AgentFormValues>(key: K, value: AgentFormValues[K]) => void;

/**
 * The agent builder's state: the saved agent (from the query cache), the form over it, and
 * the save and publish steps with their errors. A save's answer becomes the cached agent,
 * and the form follows it.
 */
export function useAgentEditor({ workspaceId, agentId }: { workspaceId: number; agentId: number | null }) {
  const isNew = agentId == null;
  const navigate = useNavigate();
  const loaded = useAgent(workspaceId, isNew || !Number.isInteger(agentId) ? null : agentId);
  const createAgent = useCreateAgentMutation(workspaceId);
  const updateAgent = useUpdateAgentMutation(workspaceId);
  const publishAgent = usePublishAgentMutation(workspaceId);

  const [agent, setAgent] = useState<Agent | null>(null);
  const [values, setValues] = useState<AgentFormValues>(EMPTY_AGENT_FORM);
  const [saved, setSaved] = useState<AgentFormValues>(EMPTY_AGENT_FORM);
  const [handleTouched, setHandleTouched] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [handleError, setHandleError] = useState<string | null>(null);
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

  const check = validateAgentForm(values, { isNew });
  const errors = attempted ? check.errors : {};
  const set: SetField = (key, value) => setValues((current) => ({ ...current, [key]: value }));

  const onNameChange = (name: string) =>
    setValues((current) => ({ ...current, name, handle: isNew && !handleTouched ? handleFromName(name) : current.handle }));
  const onHandleChange = (handle: string) => {
    setHandleTouched(true);
    setHandleError(null);
    set("handle", handle.toLowerCase());
  };

  /** Shows the form's errors; false (and the first invalid field focused) when there are any. */
  const validate = (): boolean => {
    setAttempted(true);
    if (check.valid) return true;
    setInvalidAttempt((count) => count + 1);
    return false;
  };

  /** Saves the form; returns the saved agent, or null when it did not save. */
  const save = async (): Promise<Agent | null> => {
    setSaveError(null);
    setHandleError(null);
    try {
      if (isNew) return await createAgent.mutateAsync(toAgentInput(values));
      if (!agent || !dirty) return agent;
      return await updateAgent.mutateAsync({ agentId: agent.id, changes: toAgentChanges(values, saved) });
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
      notifySuccess(
        result.has_unpublished_changes
          ? `Saved @${result.handle}'s changes. Publish them to make them live.`
          : `Saved version ${result.version} of @${result.handle}.`,
      );
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
      const published = await publishAgent.mutateAsync(result.id);
      notifySuccess(`@${published.handle} is published: everyone who can open its spaces can use it.`);
      if (isNew) navigate(`/agents/${published.id}`, { replace: true });
    } catch (error) {
      setSaveError(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  return {
    isNew,
    loaded,
    agent,
    values,
    setValues,
    set,
    dirty,
    check,
    errors,
    attempted,
    busy,
    saveError,
    clearSaveError: () => setSaveError(null),
    handleError,
    formRef,
    onNameChange,
    onHandleChange,
    onSave,
    onPublish,
  };
}

export type AgentEditor = ReturnType<typeof useAgentEditor>;
