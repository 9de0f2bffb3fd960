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

interface Scheduler {
  yield?: () => Promise<void>;
}

/**
 * Give the main thread back between slices of a long job (taps, rendering and the screens' own reads
 * go first), then carry on: `scheduler.yield()` where the browser has it (the job keeps its place at
 * the front of the queue), a zero timeout elsewhere.
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** `items` in consecutive slices of at most `size` (the last may be shorter). */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += Math.max(1, size)) out.push(items.slice(start, start + Math.max(1, size)));
  return out;
}
