// The engine as the desktop runs it: the same factory as `wopi-workbench serve`.
// Built as its own bundle (dist/server/engine.cjs) that main.cjs requires, so the engine code is
// shipped once and can later be started in a utility process from the same file.
export { createWorkbench, redactEnvelope, redactText } from '../server/index';
export type { ReadyInfo, Workbench, WorkbenchOptions } from '../server/index';
