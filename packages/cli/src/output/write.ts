import { createWriteStream } from "node:fs";
import { extname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { UsageError } from "../errors.js";

/** The export format implied by a file name: `.csv` or `.json`. */
export function formatOf(file: string): "csv" | "json" {
  const ext = extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".json") return "json";
  throw new UsageError(`--out must end in .csv or .json (got "${file}")`);
}

/** Streams text chunks to a file (bounded memory for large jobs); its directory must exist (see `checkWritable`). */
export async function writeChunks(file: string, chunks: AsyncIterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks), createWriteStream(file));
}
