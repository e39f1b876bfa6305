import type { DetectedPackage } from "./types.js";

type PythonPackage = Extract<DetectedPackage, { kind: "python" }>;

const PIP_CACHE = "--mount=type=cache,target=/root/.cache/pip";
/** The dependencies of pyproject.toml as a requirements file, read with the interpreter's own TOML reader. */
const PYPROJECT_REQUIREMENTS = `python -c "import tomllib; print('\\\\n'.join(tomllib.load(open('pyproject.toml', 'rb')).get('project', {}).get('dependencies', [])))" > /tmp/requirements.txt`;

/**
 * A multi-stage Dockerfile for a Python package: deps (the requirements only, into a virtualenv, pip's cache in a
 * cache mount), builder (the sources, the project installed when it is a package), test (on request), and a
 * slim non-root production stage with the virtualenv and the sources. Base images are build args.
 */
export function pythonDockerfile(pkg: PythonPackage): string {
  const requirements = pkg.requirements
    ? [`COPY ${pkg.requirements} ./`, `RUN ${PIP_CACHE} pip install -r ${pkg.requirements}`]
    : [
        "COPY pyproject.toml ./",
        `RUN ${PIP_CACHE} ${PYPROJECT_REQUIREMENTS} \\`,
        "    && pip install -r /tmp/requirements.txt",
      ];
  const test =
    pkg.tests === "pytest"
      ? `RUN ${PIP_CACHE} pip install pytest && python -m pytest`
      : pkg.tests === "unittest"
        ? "RUN python -m unittest discover"
        : "RUN python -m compileall -q .";
  const venv = [
    "ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1",
  ];
  return [
    `# ${pkg.name}: written by \`dockbuild init\`. Build context: the package folder.`,
    "#   deps        the requirements only, installed into /opt/venv with pip's cache in a cache mount",
    "#   builder     the sources (and the project itself, when it is a package)",
    `#   test        the tests; built only on request (dockbuild ${pkg.name} --stage test)`,
    "#   production  a slim image with the virtualenv and the sources, as a non-root user",
    "ARG PYTHON_IMAGE=python:3.12-bookworm",
    "ARG PYTHON_RUNTIME_IMAGE=python:3.12-slim-bookworm",
    "",
    "FROM ${PYTHON_IMAGE} AS deps",
    ...venv,
    "RUN python -m venv /opt/venv",
    "WORKDIR /app",
    ...requirements,
    "",
    "FROM deps AS builder",
    "COPY . .",
    pkg.installable ? `RUN ${PIP_CACHE} pip install --no-deps .` : "RUN python -m compileall -q .",
    "",
    "FROM builder AS test",
    test,
    "",
    "FROM ${PYTHON_RUNTIME_IMAGE} AS production",
    ...venv,
    "COPY --from=builder /opt/venv /opt/venv",
    "COPY --from=builder /app /app",
    "WORKDIR /app",
    "USER 10001:10001",
    `CMD ${JSON.stringify(pkg.command)}`,
    "",
  ].join("\n");
}
