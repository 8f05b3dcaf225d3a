import { Card, Text, Title } from "@mantine/core";

/** The SAML tab's place until SamlSettings.tsx (the SAML work) takes it. */
export function SamlSlot() {
  return (
    <Card p="lg" component="section" aria-labelledby="saml-title">
      <Title order={2} size="h4" id="saml-title">
        SAML 2.0
      </Title>
      <Text size="sm" c="dimmed">
        SAML sign-in is not available in this version. Use OpenID Connect, which every listed provider supports.
      </Text>
    </Card>
  );
}
