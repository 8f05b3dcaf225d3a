import { Alert, Button, Center, Group, Loader, Skeleton, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconAlertTriangle, IconRefresh, type Icon } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { errorMessage } from "../api/errors";

export function PageLoader({ label = "Loading" }: { label?: string }) {
  return (
    <Center mih={240} role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="md" />
        <Text size="sm" c="dimmed">
          {label}…
        </Text>
      </Stack>
    </Center>
  );
}

/** Placeholder rows shaped like the table that is loading. */
export function TableSkeleton({ rows = 4, columns = 4 }: { rows?: number; columns?: number }) {
  return (
    <div className="table-card" role="status" aria-live="polite" aria-label="Loading">
      <Stack gap={0}>
        <Group px="md" py="sm" gap="xl" bg="var(--mantine-color-default-hover)">
          {Array.from({ length: columns }, (_, index) => (
            <Skeleton key={index} h={10} w={index === 0 ? 140 : 80} radius="xl" />
          ))}
        </Group>
        {Array.from({ length: rows }, (_, row) => (
          <Group
            key={row}
            px="md"
            py={14}
            gap="xl"
            style={{ borderTop: "1px solid var(--app-border)" }}
            wrap="nowrap"
          >
            {Array.from({ length: columns }, (_, index) => (
              <Skeleton key={index} h={12} w={index === 0 ? 200 : 110} radius="xl" />
            ))}
          </Group>
        ))}
      </Stack>
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = "Could not load this",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <Alert
      variant="light"
      color="red"
      radius="lg"
      title={title}
      icon={<IconAlertTriangle size={20} />}
      role="alert"
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button
            size="xs"
            variant="white"
            color="red"
            leftSection={<IconRefresh size={14} />}
            onClick={onRetry}
          >
            Retry
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({
  icon: IconComponent,
  title,
  description,
  action,
}: {
  icon: Icon;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="table-card">
      <Stack align="center" gap="xs" py={48} px="md" ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
          <IconComponent size={24} stroke={1.6} />
        </ThemeIcon>
        <Text fw={600} mt={4}>
          {title}
        </Text>
        {description && (
          <Text size="sm" c="dimmed" maw={420}>
            {description}
          </Text>
        )}
        {action && <div style={{ marginTop: 8 }}>{action}</div>}
      </Stack>
    </div>
  );
}

/**
 * What QueryStates needs of a query: a `useQuery` result (`refetch`), or anything with the
 * same data and error and a `reload`.
 */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  refetch?: () => unknown;
  reload?: () => void;
}

/** The retry action of a query, whichever shape it has. */
export function retryOf(query: { refetch?: () => unknown; reload?: () => void }): () => void {
  return () => {
    if (query.reload) query.reload();
    else void query.refetch?.();
  };
}

/** The states of a list loaded from the API, in the order every page checks them: an error
 * with nothing to show (say what happened, offer a retry), loading, empty, then the items. */
export function QueryStates<T>({
  query,
  errorTitle,
  loading,
  empty,
  children,
}: {
  query: QueryLike<T[]>;
  errorTitle: string;
  loading: ReactNode;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  if (query.error != null && !query.data) {
    return <ErrorState error={query.error} onRetry={retryOf(query)} title={errorTitle} />;
  }
  if (!query.data) return <>{loading}</>;
  if (query.data.length === 0) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
