/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

// The Django server the dev server proxies to (`manage.py up` listens on $PORT, default 8000).
const backend = process.env.AGENTS_BACKEND_URL ?? `http://127.0.0.1:${process.env.BACKEND_PORT ?? "8000"}`;

// Django's CSRF check compares the Origin header with the host it serves; the dev server's
// origin (localhost:5173) is not one of them, so requests are passed on as if same-origin.
const toBackend: ProxyOptions = {
  target: backend,
  changeOrigin: true,
  configure(proxy) {
    proxy.on("proxyReq", (proxyReq) => {
      if (proxyReq.getHeader("origin")) proxyReq.setHeader("origin", backend);
      proxyReq.removeHeader("referer");
    });
  },
};

export default defineConfig({
  base: "/",
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { "/api": toBackend, "/healthz": toBackend },
  },
  preview: {
    port: 4173,
    proxy: { "/api": toBackend, "/healthz": toBackend },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      output: {
        // Long-lived vendor chunks, so a dashboard release does not invalidate them.
        manualChunks(id) {
          if (!id.includes("node_modules")) return undefined;
          if (/node_modules\/(react|react-dom|react-router|react-router-dom|scheduler)\//.test(id)) return "react";
          if (id.includes("node_modules/@mantine/") || id.includes("node_modules/dayjs/")) return "mantine";
          if (id.includes("node_modules/@tabler/")) return "icons";
          return "vendor";
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    // CI shares two cores with the Python suite's servers; generous limits keep a slow
    // machine from failing tests that are only waiting for a render.
    testTimeout: 30_000,
  },
});
