import type { DetectedPackage } from "./types.js";

type GoPackage = Extract<DetectedPackage, { kind: "go" }>;

const MOD_CACHE = "--mount=type=cache,target=/go/pkg/mod";
const BUILD_CACHE = "--mount=type=cache,target=/root/.cache/go-build";

/**
 * A multi-stage Dockerfile for a Go module: deps (go.mod and go.sum, modules in a cache mount), builder (a static
 * binary, with the build cache mounted), test (on request), and a distroless non-root production stage that
 * holds the binary alone. Base images are build args.
 */
export function goDockerfile(pkg: GoPackage): string {
  const binary = `/out/${pkg.name}`;
  return [
    `# ${pkg.name}: written by \`dockbuild init\`. Build context: the module folder.`,
    "#   deps        go.mod and go.sum only; modules downloaded into a cache mount",
    "#   builder     the sources, compiled into a static binary",
    `#   test        go vet and go test; built only on request (dockbuild ${pkg.name} --stage test)`,
    "#   production  the binary alone on a distroless base, as a non-root user",
    "ARG GO_IMAGE=golang:1.23-bookworm",
    "ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot",
    "",
    "FROM ${GO_IMAGE} AS deps",
    "WORKDIR /src",
    `COPY ${pkg.hasGoSum ? "go.mod go.sum" : "go.mod"} ./`,
    `RUN ${MOD_CACHE} go mod download`,
    "",
    "FROM deps AS builder",
    "COPY . .",
    `RUN ${MOD_CACHE} ${BUILD_CACHE} \\`,
    `    CGO_ENABLED=0 go build -trimpath -o ${binary} ${pkg.mainPackage}`,
    "",
    "FROM builder AS test",
    `RUN ${MOD_CACHE} ${BUILD_CACHE} go vet ./... && go test ./...`,
    "",
    "FROM ${RUNTIME_IMAGE} AS production",
    `COPY --from=builder ${binary} /usr/local/bin/${pkg.name}`,
    "USER 65532:65532",
    `ENTRYPOINT ["/usr/local/bin/${pkg.name}"]`,
    "",
  ].join("\n");
}
