import type { SearchJob } from "@creatorsearch/core";
import cliProgress from "cli-progress";
import type { CliIO } from "../io.js";

/** Live progress: a bar on a terminal, plain lines otherwise (logs, CI, pipes). */
export interface ProgressView {
  update(job: SearchJob): void;
  stop(): void;
}

export function progressView(io: CliIO, target: number): ProgressView {
  if (io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.stderr,
        format: "{bar} {value}/{total} creators | {pages} pages | {calls} API calls",
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(target, 0, { pages: 0, calls: 0 });
    return {
      update: (job) => bar.update(Math.min(job.processedResults, target), { pages: job.processedRuns, calls: job.apiCalls }),
      stop: () => bar.stop(),
    };
  }
  let last = -1;
  return {
    update(job) {
      if (job.processedResults === last) return;
      last = job.processedResults;
      io.stderr.write(
        `progress ${job.progress.toFixed(0)}% ${job.processedResults}/${job.targetResults} creators, ${job.processedRuns} pages, ${job.apiCalls} API calls\n`,
      );
    },
    stop() {},
  };
}
