// A loop's sleep that a wake-up ends early; a wake-up that comes while the loop is busy is kept for its next sleep.

export interface Waker {
  /** Resolves after `ms`, or at once when woken since the last sleep, or as soon as woken. */
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function createWaker(): Waker {
  let woken = false;
  let resolveSleep: (() => void) | undefined;
  return {
    sleep(ms) {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          resolveSleep = undefined;
          woken = false;
          resolve();
        }
        resolveSleep = done;
      });
    },
    wake() {
      if (resolveSleep) resolveSleep();
      else woken = true;
    },
  };
}
