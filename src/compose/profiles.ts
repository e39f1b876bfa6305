/** Whether a service is enabled by the active profiles, the way Compose decides it. */
export function isProfileActive(serviceProfiles: readonly string[], active: readonly string[]): boolean {
  if (serviceProfiles.length === 0) return true;
  if (active.includes("*")) return true;
  return serviceProfiles.some((p) => active.includes(p));
}
