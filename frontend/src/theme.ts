import { createTheme, type MantineColorsTuple } from "@mantine/core";

// An indigo-violet brand scale (light to dark).
const brand: MantineColorsTuple = [
  "#f0f0ff",
  "#dedcff",
  "#bab6fb",
  "#948ef6",
  "#746cf2",
  "#5f56ef",
  "#544aee",
  "#453cd4",
  "#3c35be",
  "#302ca8",
];

export const theme = createTheme({
  primaryColor: "brand",
  primaryShade: { light: 6, dark: 5 },
  colors: { brand },
  fontFamily:
    "'Inter Variable', Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "ui-monospace, SFMono-Regular, 'JetBrains Mono', Menlo, Consolas, monospace",
  headings: {
    fontFamily:
      "'Inter Variable', Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    fontWeight: "650",
    sizes: {
      h1: { fontSize: "1.625rem", lineHeight: "1.25" },
      h2: { fontSize: "1.25rem", lineHeight: "1.3" },
      h3: { fontSize: "1.0625rem", lineHeight: "1.35" },
    },
  },
  defaultRadius: "md",
  cursorType: "pointer",
  components: {
    Button: { defaultProps: { radius: "md" } },
    Paper: { defaultProps: { radius: "lg" } },
    Card: { defaultProps: { radius: "lg", withBorder: true } },
    Modal: {
      defaultProps: { radius: "lg", centered: true, overlayProps: { backgroundOpacity: 0.4, blur: 2 } },
    },
    Table: { defaultProps: { verticalSpacing: "sm", horizontalSpacing: "md" } },
    // Native scrolling: no reserved scrollbar gutter under the last row of a table card.
    TableScrollContainer: { defaultProps: { type: "native" } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 200 } },
    Badge: { defaultProps: { radius: "sm", fw: 600 } },
  },
});
