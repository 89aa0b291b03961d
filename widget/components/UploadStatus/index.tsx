import { useStore } from "@nanostores/preact";
import { $strings } from "../../stores/locale/index.ts";
import { $uploads, dismissUpload } from "../../stores/upload/index.ts";
import { Icon } from "../Icon/index.tsx";

/** Files on their way (a progress bar each) and the ones that could not be sent (an alert). */
export function UploadStatus() {
  const uploads = useStore($uploads);
  const t = useStore($strings);
  if (!uploads.length) return null;
  return (
    <ul class="uploads">
      {uploads.map((upload) =>
        upload.error ? (
          <li key={upload.id} class="upload-error" role="alert" data-testid="upload-error">
            <span>
              {upload.error === "too_large"
                ? t.fileTooBig(upload.name)
                : t.uploadFailed(upload.name, upload.error)}
            </span>
            <button type="button" aria-label={t.dismiss} onClick={() => dismissUpload(upload.id)}>
              <Icon name="close" />
            </button>
          </li>
        ) : (
          <li key={upload.id} data-testid="upload-progress">
            <label>
              {t.uploading(upload.name)}
              <progress max={1} value={upload.progress} />
            </label>
          </li>
        ),
      )}
    </ul>
  );
}
