import { Box, Button, Card, Group, SegmentedControl, Select, Text, ThemeIcon } from "@mantine/core";
import { IconShieldLock } from "@tabler/icons-react";
import { useState } from "react";
import { useAccessPreview } from "../../api/accessPreview";
import type { Grant, Group as WorkspaceGroup, Member, SpaceAccess } from "../../api/client";
import { useGrantMutation } from "../../api/spaces";
import { notifyError, notifySuccess } from "../../lib/notify";
import { AccessPreviewNote } from "./AccessPreviewNote";

const ACCESS_OPTIONS: { value: SpaceAccess; label: string }[] = [
  { value: "read", label: "Can read" },
  { value: "read_write", label: "Can read & write" },
];

/** Grants a member or a whole group access to a space; offers only those without a grant yet. */
export function GrantAccessCard({
  workspaceId,
  spaceId,
  isCompany,
  grants,
  members,
  groups,
}: {
  workspaceId: number;
  spaceId: number;
  isCompany: boolean;
  grants: Grant[];
  members: Member[];
  groups: WorkspaceGroup[];
}) {
  const [granteeKind, setGranteeKind] = useState<"member" | "group">("member");
  const [grantee, setGrantee] = useState<string | null>(null);
  const [access, setAccess] = useState<SpaceAccess>("read");
  const grantMutation = useGrantMutation(workspaceId, spaceId);
  // Once a grantee is chosen, what the grant would open shows before "Grant access" is pressed.
  const target = !grantee
    ? null
    : granteeKind === "member"
      ? { membership_id: Number(grantee) }
      : { group_id: Number(grantee) };
  const preview = useAccessPreview(
    workspaceId,
    target && { kind: "grant", space_id: spaceId, access, ...target },
  );

  const grantedMembers = new Set(grants.map((g) => g.membership_id).filter(Boolean));
  const grantedGroups = new Set(grants.map((g) => g.group_id).filter(Boolean));
  const options =
    granteeKind === "member"
      ? members
          .filter((member) => !grantedMembers.has(member.id))
          .map((member) => ({
            value: String(member.id),
            label: member.full_name ? `${member.full_name} (${member.email})` : member.email,
          }))
      : groups
          .filter((group) => !grantedGroups.has(group.id))
          .map((group) => ({ value: String(group.id), label: group.name }));

  const grant = async () => {
    if (!grantee) return;
    try {
      const created = await grantMutation.mutateAsync({
        target: target!,
        access,
      });
      setGrantee(null);
      notifySuccess(`Granted ${created.member_email ?? created.group_name ?? "access"}.`);
    } catch (error) {
      notifyError(error, "Could not grant access");
    }
  };
  const granting = grantMutation.isPending;

  return (
    <Card p="lg" mb="lg">
      <Group gap="sm" mb="md">
        <ThemeIcon variant="light" radius="md" aria-hidden>
          <IconShieldLock size={18} />
        </ThemeIcon>
        <div>
          <Text fw={600}>Grant access</Text>
          <Text size="xs" c="dimmed">
            {isCompany
              ? "Everyone can already read the company space; grants here add write access or keep access explicit."
              : "Give a member or a whole group access to this space."}
          </Text>
        </div>
      </Group>
      <Group align="flex-end" gap="sm">
        <div>
          <Text size="sm" fw={500} mb={4} id="grantee-kind-label">
            Grant to
          </Text>
          <SegmentedControl
            aria-labelledby="grantee-kind-label"
            value={granteeKind}
            onChange={(value) => {
              setGranteeKind(value as "member" | "group");
              setGrantee(null);
            }}
            data={[
              { value: "member", label: "Member" },
              { value: "group", label: "Group" },
            ]}
          />
        </div>
        <Select
          label={granteeKind === "member" ? "Member" : "Group"}
          placeholder={
            options.length
              ? granteeKind === "member"
                ? "Choose a member"
                : "Choose a group"
              : granteeKind === "member"
                ? "Every member has a grant"
                : groups.length
                  ? "Every group has a grant"
                  : "No groups yet"
          }
          data={options}
          value={grantee}
          onChange={setGrantee}
          searchable
          nothingFoundMessage="Nothing matches"
          disabled={!options.length}
          style={{ flex: 1, minWidth: 220 }}
        />
        <Select
          label="Access"
          data={ACCESS_OPTIONS}
          value={access}
          onChange={(value) => value && setAccess(value as SpaceAccess)}
          allowDeselect={false}
          w={190}
        />
        <Button onClick={grant} loading={granting} disabled={!grantee}>
          Grant access
        </Button>
      </Group>
      {target && (
        <Box mt="md">
          <AccessPreviewNote preview={preview} />
        </Box>
      )}
    </Card>
  );
}
