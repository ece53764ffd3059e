/**
 * Turns of the event loop for the CPU work of steps (parsing a page, committing it), one at a
 * time. A plain `setImmediate` per step is not enough: the steps whose pages arrived together
 * all resume in the same check phase, one after the other, and the requests waiting meanwhile
 * (polls, new connections) wait for all of them. Chained, each step's slice gets a loop turn of
 * its own, and the I/O that arrived meanwhile is handled between two slices.
 */

const schedule = (resolve: () => void) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0));

/** The last turn handed out: the next one is scheduled once it has come. */
let last: Promise<void> = Promise.resolve();

/**
 * Resolves on a later turn of the event loop than every earlier call's: at most one caller
 * resumes per turn, after the I/O waiting at that point has been handled.
 */
export function nextLoopTurn(): Promise<void> {
  const turn = last.then(() => new Promise<void>(schedule));
  last = turn;
  return turn;
}
