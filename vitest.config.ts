import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "node", include: ["scripts/**/*.test.ts"], environment: "node" },
      },
    ],
  },
});
