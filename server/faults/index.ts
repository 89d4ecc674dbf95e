// The faults room: fault rules (validation, firing, presets, warnings) and the engine that keeps them.
// It imports only contracts; the store is handed in (server/state/fault-rules.ts), and the WOPI
// router applies what decide() answers (server/http/faults-apply.ts).
export { createFaultEngine, parseAdd, parseRulesFile } from './engine';
export type { FaultEngine, FaultEngineDeps } from './engine';
export { effectPhrase, firedSummary } from './describe';
export { draw, fires } from './firing';
export { FAULT_PRESETS, FOREIGN_LOCK, presetById } from './presets';
export { BODY_OPERATIONS, FAULT_STATUSES, RULE_OPERATIONS } from './validate';
export { FaultRuleError } from './types';
export type { FaultRuleStore, FiredFault, StoredFaultRule, StoredFaultRow } from './types';
export { presetsMarkdown } from './doc';
export { answerIsInjected, answerStatus, tagFaultRecord } from './answer';
