import { useEffect, useState } from "preact/hooks";

import { type Lab, watchLab } from "./watch";

export function useLab(): Lab {
  const [current, setCurrent] = useState<Lab | null>(null);
  useEffect(() => watchLab(setCurrent), []);
  return (
    current ?? { hosts: new Map(), live: false, loaded: false, error: null, changedAt: 0 }
  );
}
