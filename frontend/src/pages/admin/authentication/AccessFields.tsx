import { Select, SimpleGrid, Stack, Switch, TextInput } from "@mantine/core";
import { useMembers } from "../../../api/members";
import type { OidcForm } from "./oidcPresets";

const JIT_MODES = [
  { value: "create", label: "Anyone at a claimed domain joins on first sign-in" },
  { value: "invitations_only", label: "Only invited people" },
];

const ROLES = [
  { value: "member", label: "Member" },
  { value: "builder", label: "Builder" },
  { value: "admin", label: "Admin" },
];

/** Who gets in and with what: JIT mode, default role, group mapping, require SSO. */
export function AccessFields({
  workspaceId,
  form,
  set,
}: {
  workspaceId: number;
  form: OidcForm;
  set: (changes: Partial<OidcForm>) => void;
}) {
  const members = useMembers(workspaceId);
  const admins = (members.data ?? [])
    .filter((member) => member.role === "admin")
    .map((member) => ({ value: String(member.id), label: member.email }));

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="New people"
          data={JIT_MODES}
          value={form.jitMode}
          onChange={(value) => value && set({ jitMode: value })}
          allowDeselect={false}
        />
        <Select
          label="Role of a person who joins by SSO"
          description="An invitation's role wins."
          data={ROLES}
          value={form.defaultRole}
          onChange={(value) => value && set({ defaultRole: value })}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Switch
        label="Map the provider's groups to workspace groups"
        description="Groups named in the ID token become groups (source SSO); space access granted to them follows."
        checked={form.mapGroups}
        onChange={(event) => set({ mapGroups: event.currentTarget.checked })}
      />
      {form.mapGroups && (
        <TextInput
          label="Groups claim"
          value={form.groupsClaim}
          onChange={(event) => set({ groupsClaim: event.currentTarget.value })}
        />
      )}
      <Switch
        label="Require single sign-on"
        description="Members can no longer sign in with a password, except the break-glass admin below."
        checked={form.requireSso}
        onChange={(event) => set({ requireSso: event.currentTarget.checked })}
      />
      {form.requireSso && (
        <Select
          label="Break-glass admin"
          description="May still sign in with a password if the identity provider fails; each use is audited."
          data={admins}
          value={form.breakGlass}
          onChange={(value) => set({ breakGlass: value })}
          placeholder={members.isLoading ? "Loading admins" : "Choose an admin"}
          required
        />
      )}
    </Stack>
  );
}
