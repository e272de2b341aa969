// The container's HEALTHCHECK: GET http://127.0.0.1:$HTTP_PORT/healthz with node itself (the slim
// image has no curl). Exit 0 when it answers 2xx within the timeout, 1 otherwise — which is all
// Docker reads. HTTP_PORT is set in the image (8080) and may be changed at run time.
const port = process.env.HTTP_PORT || "8080";
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS) || 4000;
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) console.error(`healthz answered ${response.status}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`healthz did not answer on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
