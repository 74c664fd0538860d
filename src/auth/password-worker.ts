// Source of the bcrypt worker thread. It runs as an eval'd CommonJS script so the same code works
// under tsx, in the compiled build and in tests without a loader. bcrypt never runs on the event loop.
export const PASSWORD_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const bcrypt = createRequire(workerData.base)('bcryptjs');
parentPort.on('message', (task) => {
  try {
    if (task.op === 'hash') {
      parentPort.postMessage({ id: task.id, ok: true, value: bcrypt.hashSync(task.password, task.cost) });
    } else {
      parentPort.postMessage({ id: task.id, ok: true, value: bcrypt.compareSync(task.password, task.hash) });
    }
  } catch (err) {
    parentPort.postMessage({ id: task.id, ok: false, error: String(err && err.message || err) });
  }
});
`;
