import { Button, Table, Text, Tooltip } from "@mantine/core";
import { IconChevronRight, IconMessages, IconPlus } from "@tabler/icons-react";
import { Link, useNavigate } from "react-router-dom";
import { useConversations } from "../../api/conversations";
import { withReload } from "../../api/queryState";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format";

export function ConversationsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();

  const conversations = withReload(useConversations(workspaceId));

  const newButton = (
    <Button component={Link} to="/conversations/new" leftSection={<IconPlus size={16} />}>
      New conversation
    </Button>
  );

  const body = (
    <QueryStates
      query={conversations}
      errorTitle="Could not load your conversations"
      loading={<TableSkeleton rows={4} columns={3} />}
      empty={
        <EmptyState
          icon={IconMessages}
          title="No conversations yet"
          description="Ask an agent a question and the thread shows up here, with every answer's sources. Only you see your conversations."
          action={newButton}
        />
      }
    >
      {(items) => (
        <div className="table-card">
          <Table.ScrollContainer minWidth={560}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Conversation</Table.Th>
                  <Table.Th w={170}>Last activity</Table.Th>
                  <Table.Th w={150}>Started</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((conversation) => (
                  <Table.Tr
                    key={conversation.id}
                    style={{ cursor: "pointer" }}
                    onClick={() => navigate(`/conversations/${conversation.id}`)}
                  >
                    <Table.Td>
                      <Text
                        size="sm"
                        fw={600}
                        component={Link}
                        to={`/conversations/${conversation.id}`}
                        c="var(--mantine-color-text)"
                        onClick={(event) => event.stopPropagation()}
                        lineClamp={1}
                      >
                        {conversation.title || "Untitled conversation"}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(conversation.updated_at)}>
                        <Text size="sm" c="dimmed">
                          {formatRelative(conversation.updated_at)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(conversation.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <IconChevronRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      )}
    </QueryStates>
  );

  return (
    <>
      <PageHeader
        title="Conversations"
        description="Your threads with agents, newest first. Only you see them; they keep each answer's sources."
        actions={conversations.data?.length ? newButton : undefined}
      />
      {body}
    </>
  );
}
