import type { DownloadedFile } from '../../api/billing';

/**
 * Hand a fetched file to the browser as a download. The file was fetched with the session's
 * token (a plain link cannot carry it), so it is saved from memory through an object URL.
 */
export function saveFile({ blob, filename }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns: let it live a little.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
