import { ActionIcon, Alert, Button, Card, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconTrash, IconWorld } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../../api/errors";
import { type ClaimedDomain, useClaimDomainMutation, useReleaseDomainMutation, useSsoDomains } from "../../../api/sso";
import { EmptyState, QueryStates, TableSkeleton } from "../../../components/states";
import { notifyError, notifySuccess } from "../../../lib/notify";

/** The email domains whose people sign in through this workspace's identity provider. */
export function DomainsCard({ workspaceId }: { workspaceId: number }) {
  const domains = useSsoDomains(workspaceId);
  const claim = useClaimDomainMutation(workspaceId);
  const release = useReleaseDomainMutation(workspaceId);
  const [domain, setDomain] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const claimed = await claim.mutateAsync(domain.trim());
      notifySuccess(`${claimed.domain} now signs in through this workspace's SSO.`);
      setDomain("");
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };

  const remove = async (item: ClaimedDomain) => {
    try {
      await release.mutateAsync(item);
      notifySuccess(`${item.domain} released.`);
    } catch (reason) {
      notifyError(reason, "Could not release the domain");
    }
  };

  return (
    <Card p="lg" component="section" aria-labelledby="sso-domains-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id="sso-domains-title">
            Domains
          </Title>
          <Text size="sm" c="dimmed">
            People whose email is at a claimed domain see “Continue with SSO” on the login page. A domain belongs to
            one workspace only.
          </Text>
        </div>
        <form onSubmit={submit} aria-label="Claim a domain">
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Domain"
              placeholder="example.com"
              value={domain}
              onChange={(event) => setDomain(event.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit" loading={claim.isPending} disabled={!domain.trim()}>
              Claim domain
            </Button>
          </Group>
        </form>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <QueryStates
          query={domains}
          errorTitle="Could not load the domains"
          loading={<TableSkeleton rows={2} columns={2} />}
          empty={<EmptyState icon={IconWorld} title="No domain claimed" description="Claim your company's email domain." />}
        >
          {(items) => (
            <Table aria-label="Claimed domains">
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>{item.domain}</Table.Td>
                    <Table.Td w={48}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Release ${item.domain}`}
                        onClick={() => void remove(item)}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryStates>
      </Stack>
    </Card>
  );
}
