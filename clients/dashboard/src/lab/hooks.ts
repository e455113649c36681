import { useEffect, useState } from "preact/hooks";

import { EMPTY, type Lab, watchLab } from "./watch";

export function useLab(): Lab {
  const [current, setCurrent] = useState<Lab | null>(null);
  useEffect(() => watchLab(setCurrent), []);
  return current ?? EMPTY;
}
