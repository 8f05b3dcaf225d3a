import { Button, Code, CopyButton, Group, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useId } from "react";

/** A value shown once (a token's secret, an invite link) with a labelled copy button. */
export function CopyableValue({
  label,
  value,
  testId,
  copyLabel,
  copyAriaLabel,
  copiedAriaLabel,
}: {
  label: string;
  value: string;
  testId: string;
  copyLabel: string;
  copyAriaLabel?: string;
  copiedAriaLabel?: string;
}) {
  const labelId = useId();
  return (
    <div>
      <Text size="sm" fw={500} mb={6} id={labelId}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code
          block
          aria-labelledby={labelId}
          data-testid={testId}
          style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap", fontSize: 13 }}
        >
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? "Copied" : "Copy to clipboard"}>
              <Button
                variant={copied ? "light" : "filled"}
                color={copied ? "teal" : undefined}
                onClick={copy}
                leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                aria-label={copied ? copiedAriaLabel : copyAriaLabel}
                h="auto"
              >
                {copied ? "Copied" : copyLabel}
              </Button>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}
