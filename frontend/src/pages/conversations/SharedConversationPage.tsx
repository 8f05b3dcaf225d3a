import { Alert, Anchor, Box, Breadcrumbs, Card, Stack, Text, Title } from "@mantine/core";
import { IconEye } from "@tabler/icons-react";
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { useSharedConversation } from "../../api/conversations";
import { ApiError } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ChatThread } from "../../chat/ChatThread";
import { entriesFromMessages } from "../../chat/useChat";
import { EmptyState, ErrorState, PageLoader } from "../../components/states";
import { formatDateTime } from "../../lib/format";

/** `/shared/:token`: a conversation someone shared, read-only, as the reader may see it now. */
export function SharedConversationPage() {
  const { token = "" } = useParams();
  const workspaceId = useCurrentWorkspace().workspace_id;
  const shared = useSharedConversation(workspaceId, token);
  const entries = useMemo(() => (shared.data ? entriesFromMessages(shared.data.messages) : []), [shared.data]);

  const header = (
    <Breadcrumbs separator="/" mb="xs">
      <Anchor component={Link} to="/conversations" size="sm">
        Conversations
      </Anchor>
      <Text size="sm" c="dimmed">
        Shared with you
      </Text>
    </Breadcrumbs>
  );

  if (shared.error != null) {
    const missing = shared.error instanceof ApiError && shared.error.status === 404;
    return (
      <>
        {header}
        <ErrorState
          error={shared.error}
          onRetry={missing ? undefined : () => void shared.refetch()}
          title={missing ? "This shared conversation is not available to you" : "Could not load the shared conversation"}
        />
      </>
    );
  }
  if (!shared.data) {
    return (
      <>
        {header}
        <PageLoader label="Loading the shared conversation" />
      </>
    );
  }
  const conversation = shared.data;
  return (
    <Box maw={880}>
      {header}
      <Stack gap={6} mb="md">
        <Title order={1} lineClamp={2}>
          {conversation.title || "Untitled conversation"}
        </Title>
        <Text size="sm" c="dimmed">
          Started {formatDateTime(conversation.created_at)}
        </Text>
      </Stack>
      <Alert icon={<IconEye size={16} />} variant="light" mb="md">
        Read-only: shared by its owner. You see it because you may open every source it cites.
      </Alert>
      <Card p="lg">
        <ChatThread
          entries={entries}
          workspaceId={workspaceId}
          conversationId={null}
          streaming={false}
          empty={<EmptyState icon={IconEye} title="Nothing was asked yet" description="The conversation has no messages." />}
        />
      </Card>
    </Box>
  );
}
