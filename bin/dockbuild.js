#!/bin/sh
":" //; exec node -- "$0" "$@"
// Run as a program, this file is read by sh first, and the line above hands it to Node after a `--`: Node
// (from 20.6 to 24 at least) reads `--env-file` anywhere in its arguments up to a `--`, even after the
// script, and would answer `dockbuild --env-file FILE` itself. To Node that line is a string and a comment.

// Before anything is loaded: dockbuild and its dependencies need this Node (package.json "engines").
const NEEDED = [22, 13];
const found = process.versions.node.split(".").map(Number);
if (found[0] < NEEDED[0] || (found[0] === NEEDED[0] && found[1] < NEEDED[1])) {
  process.stderr.write(
    `dockbuild: Node ${NEEDED.join(".")} or newer is needed; this is Node ${process.versions.node} (${process.execPath})\n` +
      "  hint: install a current Node (24 LTS) and put it first on PATH\n",
  );
  process.exitCode = 2;
} else {
  import("./start.js").then((start) => start.run(process.argv));
}
