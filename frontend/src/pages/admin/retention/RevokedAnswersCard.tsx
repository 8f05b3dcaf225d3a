import { Card, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { errorMessage } from "../../../api/errors";
import {
  type RevokedSourcesPolicy,
  useRevokedSourcesPolicyMutation,
  useWorkspaceSettings,
} from "../../../api/workspaceSettings";
import { FormError } from "../../../components/form/FormError";
import { notifySuccess } from "../../../lib/notify";

const EXPLAINED: Record<RevokedSourcesPolicy, string> = {
  hide: "The answer's text is withheld; the reader sees which sources closed and can ask again under today's access.",
  show: "The answer's text stays; the sources the reader can no longer open are still hidden.",
};

/**
 * What a reader sees of an old answer that cited a source they can no longer open (deleted,
 * made private, or their access revoked). Cited passages are always re-checked on reading.
 */
export function RevokedAnswersCard({ workspaceId }: { workspaceId: number }) {
  const settings = useWorkspaceSettings(workspaceId);
  const change = useRevokedSourcesPolicyMutation(workspaceId);
  const policy = settings.data?.answers_with_revoked_sources;

  const choose = (value: string) =>
    change.mutate(value as RevokedSourcesPolicy, {
      onSuccess: () => notifySuccess("Saved. Old answers follow it from the next read."),
    });

  return (
    <Card p="lg" mt="lg" component="section" aria-label="Answers whose sources closed">
      <Stack gap="sm">
        <Title order={3}>Answers whose sources closed</Title>
        <Text size="sm" c="dimmed">
          Every answer is checked against the reader's access each time it is read. When a source
          it cited was deleted or closed to the reader:
        </Text>
        <FormError>
          {settings.error != null && `Could not load the setting: ${errorMessage(settings.error)}`}
          {change.error != null && errorMessage(change.error)}
        </FormError>
        {policy && (
          <>
            <SegmentedControl
              aria-label="Answers whose sources closed"
              value={policy}
              onChange={choose}
              disabled={change.isPending}
              data={[
                { value: "hide", label: "Hide the answer" },
                { value: "show", label: "Show the answer" },
              ]}
            />
            <Text size="sm">{EXPLAINED[policy]}</Text>
          </>
        )}
      </Stack>
    </Card>
  );
}
