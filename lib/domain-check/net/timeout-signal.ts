/**
 * An AbortSignal that fires after `ms` or when `parent` aborts. Used instead of
 * AbortSignal.any([parent, AbortSignal.timeout(ms)]): on Node 20 a timeout signal only weakly referenced by a
 * composite can be garbage-collected before it fires, and the deadline then never comes (seen in tests).
 * Here the timer holds the controller strongly; it is unref'd so it never keeps a CLI process alive.
 */
export function timeoutSignal(ms: number, parent?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const onParentAbort = () => {
    clearTimeout(timer);
    controller.abort(parent!.reason);
  };
  const timer = setTimeout(() => {
    parent?.removeEventListener("abort", onParentAbort);
    controller.abort(Object.assign(new Error(`timed out after ${ms} ms`), { name: "TimeoutError", code: "ETIMEDOUT" }));
  }, ms);
  timer.unref();
  if (parent) {
    if (parent.aborted) onParentAbort();
    else parent.addEventListener("abort", onParentAbort, { once: true });
  }
  return controller.signal;
}
