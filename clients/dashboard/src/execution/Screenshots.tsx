// Screenshots as a timeline of thumbnails; each opens full size in a dialog.
import { useEffect, useRef, useState } from "preact/hooks";

import { blobUrl, describe } from "../api/http";
import type { Artifact } from "../api/types";
import { Notice } from "../components/Notice";
import { time } from "../format";

function isImage(artifact: Artifact): boolean {
  return artifact.media_type.startsWith("image/") || /\.(png|jpe?g)$/i.test(artifact.name);
}

export function Screenshots(props: { hostName: string | null; executionId: string; artifacts: Artifact[] }) {
  const images = props.artifacts.filter(isImage);
  const [urls, setUrls] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Artifact | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const names = images.map((a) => a.name).join("\n");
  useEffect(() => {
    const made: string[] = [];
    let stop = false;
    for (const artifact of images) {
      const path = `/server/executions/${encodeURIComponent(props.executionId)}/artifacts/${encodeURIComponent(artifact.name)}`;
      blobUrl(path, { host_name: props.hostName })
        .then((url) => {
          made.push(url);
          if (!stop) setUrls((known) => ({ ...known, [artifact.name]: url }));
        })
        .catch((e: unknown) => setError(describe(e)));
    }
    return () => {
      stop = true;
      for (const url of made) URL.revokeObjectURL(url);
    };
  }, [names]);
  useEffect(() => {
    if (open) dialog.current?.showModal();
  }, [open]);
  if (images.length === 0) return null;
  return (
    <section aria-labelledby="screenshots">
      <h2 id="screenshots">Screenshots</h2>
      {error && <Notice tone="error">{error}</Notice>}
      <ol class="shots">
        {images.map((artifact) => (
          <li key={artifact.name}>
            <button type="button" onClick={() => setOpen(artifact)} aria-label={`Open ${artifact.step_id} full size`}>
              {urls[artifact.name] ? <img src={urls[artifact.name]} alt="" /> : <span>loading…</span>}
              <span>
                {artifact.step_id} {time(artifact.created_at)}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <dialog ref={dialog} onClose={() => setOpen(null)} aria-label="Screenshot">
        {open && <img src={urls[open.name]} alt={`Screenshot at ${open.step_id}`} class="shot-full" />}
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </section>
  );
}
