import { Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import {
  IconArrowRight,
  IconDatabase,
  IconFolders,
  IconKey,
  IconListDetails,
  IconMessages,
  IconPlugConnected,
  IconRobot,
  IconSparkles,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { useWorkspaceCounts } from "../api/overview";
import { useAuth } from "../auth/AuthContext";
import { useCurrentWorkspace, useWorkspace } from "../auth/WorkspaceContext";
import { PageHeader } from "../components/PageHeader";
import { RoleBadge } from "../components/RoleBadge";
import { MyInvitations } from "../components/MyInvitations";
import { ErrorState } from "../components/states";
import { ROLE_SENTENCES } from "../lib/format";
import { canBuildAgents } from "./agents/badges";

function StatCard({
  label,
  value,
  icon: IconComponent,
  to,
  loading,
}: {
  label: string;
  value: number | undefined;
  icon: Icon;
  to?: string;
  loading: boolean;
}) {
  const linkProps = to ? { component: Link, to } : {};
  return (
    <Card p="lg" className="stat-card" {...(linkProps as object)}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={6}>
          <Text size="sm" c="dimmed" fw={500}>
            {label}
          </Text>
          {loading ? (
            <Skeleton h={30} w={48} />
          ) : (
            <Text fz={30} fw={700} lh={1} aria-label={`${value ?? 0} ${label.toLowerCase()}`}>
              {value ?? 0}
            </Text>
          )}
        </Stack>
        <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
          <IconComponent size={20} stroke={1.7} />
        </ThemeIcon>
      </Group>
    </Card>
  );
}

function QuickLink({ to, icon: IconComponent, title, description }: {
  to: string;
  icon: Icon;
  title: string;
  description: string;
}) {
  return (
    <Card component={Link} to={to} p="md" className="stat-card">
      <Group wrap="nowrap" gap="md">
        <ThemeIcon size={38} radius="md" variant="light" color="gray" aria-hidden>
          <IconComponent size={19} stroke={1.7} />
        </ThemeIcon>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600} size="sm">
            {title}
          </Text>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        </div>
        <IconArrowRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />
      </Group>
    </Card>
  );
}

export function HomePage() {
  const { me } = useAuth();
  const workspace = useCurrentWorkspace();
  const { isAdmin } = useWorkspace();
  const workspaceId = workspace.workspace_id;
  const counts = useWorkspaceCounts(workspaceId);

  const firstName = (me?.full_name || me?.email || "").split(/[\s@]/)[0];

  return (
    <>
      <PageHeader
        eyebrow={
          <Group gap="xs">
            <Text size="sm" c="dimmed" fw={500}>
              {workspace.workspace_name}
            </Text>
            <RoleBadge role={workspace.role} />
          </Group>
        }
        title={`Welcome back, ${firstName}`}
        description={ROLE_SENTENCES[workspace.role]}
      />

      <MyInvitations marginBottom="var(--mantine-spacing-xl)" />

      {counts.error != null ? (
        <ErrorState error={counts.error} onRetry={counts.reload} title="Could not load the workspace summary" />
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
          <StatCard
            label="Members"
            value={counts.data?.members}
            icon={IconUsers}
            loading={counts.loading && !counts.data}
            to={isAdmin ? "/admin/members" : undefined}
          />
          <StatCard
            label={isAdmin ? "Spaces" : "Spaces you can open"}
            value={counts.data?.spaces}
            icon={IconFolders}
            loading={counts.loading && !counts.data}
            to={isAdmin ? "/admin/spaces" : undefined}
          />
          <StatCard
            label="Groups"
            value={counts.data?.groups}
            icon={IconUsersGroup}
            loading={counts.loading && !counts.data}
            to={isAdmin ? "/admin/groups" : undefined}
          />
        </SimpleGrid>
      )}

      <Title order={2} mt={40} mb="md">
        Get answers
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <QuickLink
          to="/agents"
          icon={IconRobot}
          title="Agents"
          description="Ask the workspace's agents; every answer cites its sources"
        />
        <QuickLink
          to="/conversations"
          icon={IconMessages}
          title="Conversations"
          description="Pick up a thread where you left it"
        />
        {canBuildAgents(workspace.role) && (
          <>
            <QuickLink
              to="/agents/new"
              icon={IconSparkles}
              title="Build an agent"
              description="Instructions, a model and data views, tried as you go"
            />
            <QuickLink
              to="/data"
              icon={IconDatabase}
              title="Add knowledge"
              description="Upload files into a folder for agents to search and cite"
            />
          </>
        )}
      </SimpleGrid>

      {isAdmin && (
        <>
          <Title order={2} mt={40} mb="md">
            Admin console
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <QuickLink
              to="/admin/members"
              icon={IconUsers}
              title="Members & roles"
              description="Invite people and choose what they can do"
            />
            <QuickLink
              to="/admin/groups"
              icon={IconUsersGroup}
              title="Groups"
              description="Bundle members to grant access in one step"
            />
            <QuickLink
              to="/admin/spaces"
              icon={IconFolders}
              title="Spaces"
              description="Restrict knowledge to the people who should see it"
            />
            <QuickLink
              to="/admin/connections"
              icon={IconPlugConnected}
              title="Connections"
              description="Sync Slack, Notion, Google Drive and GitHub, and watch their syncs"
            />
            <QuickLink
              to="/admin/api-tokens"
              icon={IconKey}
              title="API tokens"
              description="Let scripts and integrations call the API"
            />
            <QuickLink
              to="/admin/audit"
              icon={IconListDetails}
              title="Audit log"
              description="Every change to access and configuration"
            />
          </SimpleGrid>
        </>
      )}
    </>
  );
}
