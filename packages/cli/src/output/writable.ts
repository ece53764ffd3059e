import { constants } from "node:fs";
import { open, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { UsageError } from "../errors.js";

/**
 * Refuses an `--out` file the CLI could not write, before a job spends credits on results it
 * could not save: a missing directory, a directory, a read-only place. An existing file is
 * opened for appending and left as it was; a new one is created and removed again.
 *
 * @param file - absolute path
 * @param shown - the path as the user typed it, for the message
 */
export async function checkWritable(file: string, shown: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--out ${shown} is a directory: give a file name such as ${shown.replace(/[\\/]*$/, "")}/creators.csv`);
  try {
    if (existing) {
      await (await open(file, constants.O_WRONLY | constants.O_APPEND)).close();
    } else {
      // O_EXCL: never truncate a file another process created in the meantime.
      await (await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL)).close();
      await unlink(file);
    }
  } catch (error) {
    throw new UsageError(`--out ${shown} cannot be written: ${reasonOf(error as NodeJS.ErrnoException, file)}`);
  }
}

function reasonOf(error: NodeJS.ErrnoException, file: string): string {
  switch (error.code) {
    case "ENOENT":
      return `the directory ${dirname(file)} does not exist`;
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "EISDIR":
      return "it is a directory";
    case "EEXIST":
      return "another process created it just now";
    default:
      return error.message;
  }
}
