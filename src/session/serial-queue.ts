/**
 * A FIFO queue that runs async sections one at a time: the SessionDO's lock for every
 * change of state. A section enqueued synchronously is ordered before any section
 * enqueued later, which is what lets a logout's wipe overtake commits still waiting.
 */
export class SerialQueue {
  /** Tail of the queue: resolves when the last enqueued section finished. */
  #tail: Promise<void> = Promise.resolve();

  /** Runs `fn` after every earlier section has finished (even a failed one). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release: () => void = () => undefined;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
