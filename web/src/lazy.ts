// Loading as things come into view, a few requests at a time: the home page's headline impacts and the
// instrument page's candidate news both go through these two.

/** A queue that runs at most `limit` jobs at once, in the order they were added. */
export function jobQueue(limit: number): (job: () => Promise<void>) => void {
  let running = 0;
  const waiting: (() => Promise<void>)[] = [];
  const next = () => {
    while (running < limit && waiting.length > 0) {
      const job = waiting.shift()!;
      running++;
      void job().finally(() => {
        running--;
        next();
      });
    }
  };
  return (job) => {
    waiting.push(job);
    next();
  };
}

/**
 * Calls `start` once, when `target` comes within `rootMargin` of the viewport; at once where the browser has no
 * IntersectionObserver. One observer serves every target given to the function returned.
 */
export function whenVisible(rootMargin: string): (target: Element, start: () => void) => void {
  if (!('IntersectionObserver' in window)) return (_target, start) => start();
  const starts = new Map<Element, () => void>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const start = starts.get(entry.target);
        observer.unobserve(entry.target);
        starts.delete(entry.target);
        start?.();
      }
    },
    { rootMargin },
  );
  return (target, start) => {
    starts.set(target, start);
    observer.observe(target);
  };
}
