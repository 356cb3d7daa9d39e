// One full garbage collection on demand, after a burst of heavy requests: V8 keeps the heap a burst grew for a
// long while (its memory reducer waits for the process to look idle), and the process would hold it. The gc()
// function exists only with --expose-gc; the flag can be set at run time, and gc is then read from a new context.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null = null;

export function fullCollection(): void {
  if (gc === null) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
