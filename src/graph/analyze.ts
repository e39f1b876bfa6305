import {
  analyzeDockerfile,
  type BuildArgs,
  type DockerfileAnalysis,
  type ParsedDockerfile,
} from "../dockerfile/index.js";

/**
 * How `buildGraph` gets the analysis of one Dockerfile for one set of build args: `parse` gives the parsed
 * text (parsed once, however many builds share the file), needed only by an analysis not already known.
 */
export type AnalyzeDockerfile = (
  text: string,
  file: string,
  args: BuildArgs,
  parse: () => ParsedDockerfile,
) => DockerfileAnalysis;

/** Analyze every time. */
export const analyzeFresh: AnalyzeDockerfile = (_text, file, args, parse) =>
  analyzeDockerfile(parse(), file, args);
