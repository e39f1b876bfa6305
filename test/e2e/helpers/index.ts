export { BUSYBOX_IMAGE, REPO_ROOT } from "./paths.js";
export {
  docker,
  dockerClient,
  imageExists,
  imageId,
  imageLabel,
  imageLabels,
  readFileInImage,
  removeImages,
  tryDocker,
  type DockerResult,
} from "./docker.js";
export {
  commitAll,
  git,
  makeTempProject,
  writeFiles,
  type FixtureFile,
  type TempProjectOptions,
} from "./project.js";
export {
  runDockbuild,
  settle,
  startDockbuild,
  type DockbuildRun,
  type DockbuildRunOptions,
} from "./dockbuild.js";
