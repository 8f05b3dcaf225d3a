import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { errorMessage } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { LogoMark } from "../components/Logo";

/**
 * Only this app's own paths are followed after login: "/..." but not "//host" or "/\host",
 * which browsers read as another site.
 */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return "/";
  return value;
}

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { login } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      onSuccess();
    } catch (reason) {
      setError(errorMessage(reason));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Log in">
      <Stack gap="md">
        {error && (
          <Alert
            ref={errorRef}
            tabIndex={-1}
            color="red"
            variant="light"
            icon={<IconAlertCircle size={18} />}
            title="Could not log you in"
            role="alert"
          >
            {error}
          </Alert>
        )}
        <TextInput
          label="Work email"
          type="email"
          autoComplete="username"
          placeholder="you@company.com"
          required
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          data-autofocus
          autoFocus
        />
        <div>
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            placeholder="Your password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Text size="xs" ta="right" mt={6}>
            <Anchor component={Link} to="/reset-password" size="xs">
              Forgot password?
            </Anchor>
          </Text>
        </div>
        <Button type="submit" fullWidth size="md" loading={busy} disabled={!email || !password} mt={4}>
          Log in
        </Button>
      </Stack>
    </form>
  );
}

export function LoginPage() {
  const { status } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));

  if (status === "authenticated") return <Navigate to={next} replace />;

  return (
    <div className="login-bg">
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={420} gap="lg">
          <Stack align="center" gap="xs">
            <LogoMark size={48} />
            <Title order={1} ta="center" mt="xs">
              Log in to Agents
            </Title>
            <Text c="dimmed" size="sm" ta="center">
              Your company's AI agents, with answers grounded in the sources you can open.
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" p={32}>
            <LoginForm onSuccess={() => navigate(next, { replace: true })} />
          </Paper>
          <Text c="dimmed" size="xs" ta="center">
            No account yet? Ask a workspace admin to invite you.{" "}
            <Anchor href="/api/v1/docs" size="xs">
              API docs
            </Anchor>
          </Text>
        </Stack>
      </Center>
    </div>
  );
}
