import path from "node:path";

/** The dockbuild repository this checkout lives in, found from this file's own place. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/** The local base image every e2e fixture builds on: FROM scratch plus a static busybox. */
export const BUSYBOX_IMAGE = "dockbuild-test/busybox:latest";
