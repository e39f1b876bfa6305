import { createHash } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import {
  BUSYBOX_IMAGE,
  makeTempProject,
  readFileInImage,
  removeImages,
  runDockbuild,
} from "./helpers/index.js";
import { nonce } from "./helpers/extra.js";

const RUN = `dbe2e-secretenv-${nonce(3)}`;
afterAll(() => removeImages(RUN));

describe("a secret whose variable only the project's .env defines", () => {
  test("reaches the build, as Compose passes it, and its value is printed nowhere", async () => {
    const variable = `DBE2E_TOKEN_${nonce(4).toUpperCase()}`;
    const value = `dotenv-secret-${nonce(8)}`;
    const dir = await makeTempProject(
      {
        ".env": `${variable}=${value}\n`,
        "docker-compose.yml": [
          "services:",
          "  app:",
          `    image: ${RUN}/app`,
          "    build:",
          "      context: .",
          "      secrets: [token]",
          "secrets:",
          "  token:",
          `    environment: ${variable}`,
          "",
        ].join("\n"),
        Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN --mount=type=secret,id=token echo ${nonce()} && sha256sum /run/secrets/token | cut -d" " -f1 > /token.sha\n`,
      },
      { name: "secretenv" },
    );
    expect(process.env[variable]).toBeUndefined();
    const run = await runDockbuild(["all", "--progress", "plain"], { cwd: dir });
    expect(run.exitCode, run.all).toBe(0);
    const expected = createHash("sha256").update(value).digest("hex");
    expect((await readFileInImage(`${RUN}/app`, "/token.sha")).trim()).toBe(expected);
    expect(run.all).not.toContain(value);
  });
});
