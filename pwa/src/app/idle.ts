/**
 * Work that can wait for the first screen: run it once the page has loaded and the main thread is
 * idle (or after `timeoutMs` at the latest). A cheap phone then answers the member's first tap
 * before it starts, say, storing the whole handbook.
 */
export function afterFirstScreen(work: () => void, timeoutMs = 5000): void {
  const whenIdle = () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(() => work(), { timeout: timeoutMs });
    else setTimeout(work, 1);
  };
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}
