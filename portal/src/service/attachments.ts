/** The file rules of the server (server/http/multipart.ts), checked before uploading. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 10;
export const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

const allowedTypes = ['application/pdf', 'image/png', 'image/jpeg'];
const allowedExtensions = /\.(pdf|png|jpe?g)$/i;

export type FileProblem = 'type' | 'size';

export function fileProblem(file: File): FileProblem | undefined {
  // the server decides by content; here the declared type or the extension is a first filter
  if (!allowedTypes.includes(file.type) && !allowedExtensions.test(file.name)) return 'type';
  if (file.size > MAX_FILE_BYTES) return 'size';
  return undefined;
}
