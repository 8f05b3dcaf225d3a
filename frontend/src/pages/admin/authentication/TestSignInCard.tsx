import { Alert, Badge, Button, Card, Code, Group, Stack, Text, Title } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import { testSignInUrl, useSsoTestResult } from "../../../api/sso";
import { ErrorState, PageLoader, retryOf } from "../../../components/states";

/**
 * "Test sign-in" runs the whole flow in a new tab; that tab comes back here with ?test=done and
 * shows what the identity provider sent. Nobody is signed in and no membership changes.
 */
export function TestSignInCard({ workspaceId, configured }: { workspaceId: number; configured: boolean }) {
  const result = useSsoTestResult(workspaceId, configured);
  const data = result.data;

  return (
    <Card p="lg" component="section" aria-labelledby="sso-test-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id="sso-test-title">
              Test sign-in
            </Title>
            <Text size="sm" c="dimmed">
              Sign in at your identity provider in a new tab and see the claims it sends, with every check applied.
              Your own session and the workspace's members stay as they are.
            </Text>
          </div>
          <Button
            component="a"
            href={testSignInUrl(workspaceId)}
            target="_blank"
            rel="noopener"
            variant="light"
            rightSection={<IconExternalLink size={16} />}
            disabled={!configured}
          >
            Test sign-in
          </Button>
        </Group>
        {!configured ? (
          <Text size="sm" c="dimmed">
            Save the provider first.
          </Text>
        ) : data ? (
          <TestResult result={data} />
        ) : result.error != null ? (
          <ErrorState error={result.error} onRetry={retryOf(result)} title="Could not load the test result" />
        ) : (
          <PageLoader label="Loading the last test" />
        )}
      </Stack>
    </Card>
  );
}

function TestResult({ result }: { result: NonNullable<ReturnType<typeof useSsoTestResult>["data"]> }) {
  if (result.status === "none") {
    return (
      <Text size="sm" c="dimmed">
        No test yet in this browser.
      </Text>
    );
  }
  if (result.status === "error") {
    return (
      <Alert color="red" variant="light" title={`Refused: ${result.code}`} role="status">
        {result.message}
      </Alert>
    );
  }
  return (
    <Stack gap="xs" role="status" aria-label="Test sign-in result">
      <Group gap="xs">
        <Badge color="green">Signed in at the provider</Badge>
        <Text size="sm">{result.email}</Text>
        <Badge color={result.email_verified ? "green" : "red"} variant="light">
          {result.email_verified ? "email verified" : "email not verified"}
        </Badge>
      </Group>
      {result.groups && result.groups.length > 0 && <Text size="sm">Groups: {result.groups.join(", ")}</Text>}
      <Code block aria-label="Claims received">
        {JSON.stringify(result.claims, null, 2)}
      </Code>
    </Stack>
  );
}
