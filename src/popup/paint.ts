import { useEffect, useState } from 'preact/hooks';

/**
 * When the browser has put the first render on screen: after the next animation frame has been
 * produced. A page that gets no frames (hidden) must not wait for ever, so a timer also ends
 * the wait.
 */
export function afterNextPaint(
  win: Pick<Window, 'requestAnimationFrame' | 'cancelAnimationFrame'> = window,
  fallbackMs = 100,
): Promise<void> {
  return new Promise((resolve) => {
    let frame = 0;
    const done = () => {
      clearTimeout(fallback);
      win.cancelAnimationFrame(frame);
      resolve();
    };
    const fallback = setTimeout(done, fallbackMs);
    // The animation frame callback runs before that frame's paint; a task queued from it runs
    // after the frame was handed to the compositor.
    frame = win.requestAnimationFrame(() => setTimeout(done, 0));
  });
}

/**
 * Rows a long list puts in its first render: more than a popup shows without scrolling (a course
 * row is about 110 px high, and a popup at most 600 px).
 */
const FIRST_ROWS = 10;

/**
 * How many of a list's `total` rows to render: the first screenful at once, all of them once
 * that has been painted (with hundreds of courses, inserting every row would hold up the
 * first ones).
 */
export function useRowsAfterPaint(total: number): number {
  const [all, setAll] = useState(total <= FIRST_ROWS);
  useEffect(() => {
    if (all) return;
    let live = true;
    void afterNextPaint().then(() => {
      if (live) setAll(true);
    });
    return () => {
      live = false;
    };
  }, [all]);
  return all ? total : Math.min(total, FIRST_ROWS);
}
