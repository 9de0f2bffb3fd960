import { useEffect, useState } from 'preact/hooks';

/** `value` once it has stayed true for `delayMs`; false at once when it turns false. */
export function useDelayed(value: boolean, delayMs: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!value) {
      setShown(false);
      return undefined;
    }
    const timer = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return shown;
}
