/** Whether a build context is a URL (git over https/ssh, a tarball) rather than a folder on this machine. */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith("git@");
}
