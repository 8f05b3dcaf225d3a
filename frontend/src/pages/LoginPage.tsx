import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconAlertCircle, IconBrandGoogle, IconLogin2 } from "@tabler/icons-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { errorMessage } from "../api/errors";
import { type SsoDiscovery, discoverSso, ssoErrorMessage } from "../api/sso";
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

const EMAIL_DOMAIN = /^[^@\s]+@[^@\s]+\.[^@\s]{2,}$/;

/** Whether the typed email signs in through a workspace's identity provider (asked once the
 * address looks complete, after a short pause in typing). */
export function useSsoDiscovery(email: string): SsoDiscovery | null {
  const [found, setFound] = useState<SsoDiscovery | null>(null);
  useEffect(() => {
    const value = email.trim();
    if (!EMAIL_DOMAIN.test(value)) {
      setFound(null);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      discoverSso(value)
        .then((answer) => current && setFound(answer.sso ? answer : null))
        .catch(() => current && setFound(null));
    }, 350);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [email]);
  return found;
}

export function SsoButton({ discovery }: { discovery: SsoDiscovery }) {
  const google = discovery.preset === "google";
  return (
    <Button
      component="a"
      href={discovery.start_url}
      fullWidth
      size="md"
      variant="default"
      leftSection={google ? <IconBrandGoogle size={18} /> : <IconLogin2 size={18} />}
    >
      {google ? "Continue with Google" : `Continue with SSO (${discovery.workspace_name})`}
    </Button>
  );
}

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { login } = useAuth();
  const [email, setEmail] = useState("");
  const sso = useSsoDiscovery(email);
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
        {sso && (
          <>
            <SsoButton discovery={sso} />
            <Divider label="or use your password" labelPosition="center" />
          </>
        )}
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
  const ssoError = params.get("sso_error");

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
          {ssoError && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertCircle size={18} />}
              title="Single sign-on did not work"
              role="alert"
            >
              {ssoErrorMessage(ssoError)}
            </Alert>
          )}
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
