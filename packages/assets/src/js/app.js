// Fetches the api's health and shows it on the page.
async function showHealth() {
  const response = await fetch("/api/health.json");
  const health = await response.json();
  document.querySelector("#health").textContent = `${health.service} ${health.version}: ${health.status}`;
}

showHealth().catch((error) => {
  document.querySelector("#health").textContent = `api unreachable: ${error}`;
});
