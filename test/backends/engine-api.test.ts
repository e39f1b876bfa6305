import { readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  imageListPath,
  imagePath,
  inspectImagesOnSocket,
  matchListedImages,
  parseEngineVersion,
  parseImageAnswer,
  parseImageList,
  readEngineVersion,
} from "../../src/backends/engine-api.js";
import { getFromEngine, localEngineSocket, type EngineResponse } from "../../src/backends/engine-socket.js";
import { capturedAnswer, startFakeEngine, type FakeEngine } from "./fake-engine.js";
import { parseImageInspect } from "../../src/backends/images.js";

const captured = capturedAnswer;

describe("the engine's answers, as captured from dockerd 20.10", () => {
  it("reads GET /version", () => {
    expect(parseEngineVersion(captured("api-version.txt"))).toEqual({
      version: "20.10.24+dfsg1",
      apiVersion: "1.41",
      build: "5d6db84 2026-05-07T21:09:36.000000000+00:00 6.18.44-fc-v1045 linux amd64",
    });
    expect(parseEngineVersion({ status: 200, body: "<html>" })).toBeUndefined();
    expect(parseEngineVersion({ status: 200, body: '{"Version": 20}' })).toBeUndefined();
    expect(parseEngineVersion({ status: 500, body: captured("api-version.txt").body })).toBeUndefined();
  });

  it("reads GET /images/{name}/json as docker image inspect reads the same image", () => {
    const answer = parseImageAnswer(captured("api-image.txt"));
    const cli = readFileSync(new URL("../fixtures/engine/api-image.cli.json", import.meta.url), "utf8");
    const ref = "dockbuild-backend-test/fixture-cold:latest";
    expect(answer).toEqual({ kind: "found", image: parseImageInspect(cli, "", [ref]).images.get(ref) });
    expect(answer).toMatchObject({
      image: {
        id: "sha256:7dd79b4edcb07725a7ea4453dd599b5d1bfc400bfe4903adb800cce361909bbc",
        sizeBytes: 1982311,
        labels: { "org.example.fixture": "cold" },
        tags: [ref],
      },
    });
  });

  it("tells a missing image from an engine error", () => {
    expect(parseImageAnswer(captured("api-image-missing.txt"))).toEqual({ kind: "missing" });
    expect(parseImageAnswer(captured("api-image-bad-name.txt"))).toEqual({
      kind: "error",
      message:
        "no such image: dockbuild-backend-test/Bad_Name: invalid reference format: repository name must be lowercase",
    });
    expect(parseImageAnswer({ status: 500, body: "oops" })).toEqual({ kind: "error", message: "HTTP 500" });
    expect(parseImageAnswer({ status: 200, body: '{"Id": 1}' })).toMatchObject({ kind: "error" });
  });

  it("reads GET /images/json: the same details for each image listed", () => {
    const listed = parseImageList(captured("api-images-list.txt"));
    if ("error" in listed) throw new Error(listed.error);
    const found = parseImageAnswer(captured("api-image.txt"));
    expect(listed).toEqual([
      found.kind === "found" ? found.image : undefined,
      {
        id: "sha256:502f195c75c88d25ba527692f0730df7cd15757d8be4063842a1c38cfa477e4e",
        sizeBytes: 1982256,
        labels: {},
        tags: ["dockbuild-backend-test/busybox:latest"],
      },
    ]);
    expect(parseImageList({ status: 500, body: "{}" })).toEqual({ error: "HTTP 500" });
    expect(parseImageList({ status: 200, body: '[{"Id": 3}]' })).toMatchObject({ error: expect.any(String) });
  });

  it("settles each plain name by the listed image carrying that tag, and leaves digests and ids to be asked", () => {
    const image = (id: string, tags: string[]) => ({ id, sizeBytes: 1, labels: {}, tags });
    const listed = [
      image("a", ["acme/api:latest", "acme/api:dev"]),
      image("b", ["busybox:latest"]),
      image("c", []),
    ];
    const refs = [
      "acme/api",
      "docker.io/acme/api:dev",
      "docker.io/library/busybox:latest",
      "127.0.0.1:5000/acme/web:1",
      "busybox@sha256:0123",
      "sha256:0123456789abcdef0123",
      "0123456789ab",
      "Acme/Upper",
    ];
    const settled = matchListedImages(refs, listed);
    expect([...settled].map(([ref, i]) => [ref, i === "missing" ? i : i.id])).toEqual([
      ["acme/api", "a"],
      ["docker.io/acme/api:dev", "a"],
      ["docker.io/library/busybox:latest", "b"],
      ["127.0.0.1:5000/acme/web:1", "missing"],
    ]);
    expect(imageListPath(["acme/api:dev"])).toBe(
      `/images/json?filters=${encodeURIComponent('{"reference":["acme/api:dev"]}')}`,
    );
  });

  it("asks for an image by its name, its parts escaped and its slashes kept", () => {
    expect(imagePath("127.0.0.1:5000/acme/api:dev")).toBe("/images/127.0.0.1%3A5000/acme/api%3Adev/json");
    expect(imagePath("acme/api@sha256:abc")).toBe("/images/acme/api%40sha256%3Aabc/json");
  });
});

describe("localEngineSocket", () => {
  it.each([
    { env: {}, context: undefined, socket: "/var/run/docker.sock" },
    {
      env: { DOCKER_HOST: "unix:///run/user/1000/docker.sock" },
      context: undefined,
      socket: "/run/user/1000/docker.sock",
    },
    { env: { DOCKER_HOST: "" }, context: undefined, socket: "/var/run/docker.sock" },
    { env: { DOCKER_HOST: "tcp://10.0.0.2:2376" }, context: undefined, socket: undefined },
    { env: { DOCKER_HOST: "ssh://me@build" }, context: undefined, socket: undefined },
    { env: {}, context: "remote", socket: undefined },
    { env: {}, context: "default", socket: "/var/run/docker.sock" },
    { env: { DOCKER_CONTEXT: "remote" }, context: undefined, socket: undefined },
    { env: { DOCKER_CONTEXT: "default" }, context: "remote", socket: "/var/run/docker.sock" },
    {
      env: { DOCKER_HOST: "unix:///x.sock", DOCKER_CONTEXT: "remote" },
      context: undefined,
      socket: "/x.sock",
    },
  ])("$env with context $context → $socket", ({ env, context, socket }) => {
    expect(localEngineSocket(env, context)).toBe(socket);
  });
});

describe("asking an engine on a unix socket", () => {
  let dir: string;
  let socket: string;
  let engine: FakeEngine;
  const cold = "dockbuild-backend-test/fixture-cold:latest";
  const base = "dockbuild-backend-test/busybox";
  const missing = "dockbuild-backend-test/no-such-image:latest";
  const answers: Record<string, EngineResponse> = {
    "/version": captured("api-version.txt"),
    [imageListPath([cold, base, missing])]: captured("api-images-list.txt"),
    "/images/dockbuild-backend-test/fixture-cold%3Alatest/json": captured("api-image.txt"),
    "/images/dockbuild-backend-test/no-such-image%3Alatest/json": captured("api-image-missing.txt"),
    "/images/dockbuild-backend-test/Bad_Name/json": captured("api-image-bad-name.txt"),
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "dockbuild-socket-"));
    socket = path.join(dir, "engine.sock");
    engine = await startFakeEngine(socket, answers);
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the version, and nothing from a socket where no engine listens", async () => {
    expect(await readEngineVersion(socket, 2_000)).toMatchObject({
      version: "20.10.24+dfsg1",
      apiVersion: "1.41",
    });
    expect(await readEngineVersion(path.join(dir, "nothing.sock"), 2_000)).toBeUndefined();
  });

  it("lists the images once; a name it does not carry is missing; an engine error fails the query", async () => {
    engine.asked.length = 0;
    const images = await inspectImagesOnSocket(socket, [cold, base, missing, cold]);
    expect(Object.fromEntries([...images].map(([ref, image]) => [ref, image.tags]))).toEqual({
      [cold]: [cold],
      [base]: ["dockbuild-backend-test/busybox:latest"],
    });
    expect(images.get(cold)?.labels).toEqual({ "org.example.fixture": "cold" });
    expect(engine.asked, "the list settles every plain name").toEqual([imageListPath([cold, base, missing])]);
    await expect(
      inspectImagesOnSocket(socket, [cold, base, missing, "dockbuild-backend-test/Bad_Name"]),
    ).rejects.toThrow(/listing images: HTTP 404/);
  });

  it("asks one by one about what the list cannot settle, and fails on the engine's error", async () => {
    const id = "sha256:7dd79b4edcb07725a7ea4453dd599b5d1bfc400bfe4903adb800cce361909bbc";
    answers[imageListPath([cold, id])] = captured("api-images-list.txt");
    answers[imagePath(id)] = captured("api-image.txt");
    engine.asked.length = 0;
    const images = await inspectImagesOnSocket(socket, [cold, id]);
    expect(images.get(id)?.tags).toEqual([cold]);
    expect(engine.asked).toEqual([imageListPath([cold, id]), imagePath(id)]);
    answers[imageListPath([cold, "dockbuild-backend-test/Bad_Name"])] = { status: 200, body: "[]" };
    await expect(inspectImagesOnSocket(socket, [cold, "dockbuild-backend-test/Bad_Name"])).rejects.toThrow(
      /invalid reference format/,
    );
  });

  it("gives up on an engine that does not answer in time, and says it is silent", async () => {
    const silent = path.join(dir, "silent.sock");
    const mute = http.createServer(() => {});
    await new Promise<void>((resolve) => mute.listen(silent, resolve));
    await expect(getFromEngine(silent, "/version", 100)).rejects.toThrow(/no answer/);
    expect(await readEngineVersion(silent, 100), "a stopped or hung engine").toBe("silent");
    mute.closeAllConnections();
    await new Promise((resolve) => mute.close(resolve));
  });
});
